/*
 * sim_camera.c: simulated Hamamatsu sCMOS cameras: property table with real-looking ranges and steps, frame
 * timing (exposure, readout, light-sheet line interval, trigger source), and the capture thread that fills the
 * attached buffers round-robin.
 *
 * Frame content (the contract tests check): 16-bit little-endian pixels, row-major, rows of `rowbytes` bytes.
 * Pixel (x, y) of frame k holds (3 * xs + 5 * ys + k) mod 65536, where (xs, ys) = (hpos + x * binning,
 * vpos + y * binning) is the sensor position of the pixel's top-left corner; then the first four pixels are
 * overwritten with the 64-bit frame number k, least significant 16 bits first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_internal.h"

#define ATTR_HASRANGE ((int32)(0x80000000u - 0x100000000ll))
#define ATTR_HASSTEP 0x40000000
#define ATTR_HASDEFAULT 0x20000000
#define ATTR_WRITABLE 0x00020000
#define ATTR_READABLE 0x00010000
#define ATTR_ACCESSREADY 0x00002000
#define ATTR_ACCESSBUSY 0x00001000
#define TYPE_MODE 1
#define TYPE_LONG 2
#define TYPE_REAL 3
#define UNIT_NONE 0
#define UNIT_SECOND 1
#define UNIT_PERSECOND 5
#define UNIT_MICROMETER 7

#define BIT(n) (1u << (n))

double sim_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void sim_deadline(double t, struct timespec *ts)
{
    double whole = floor(t);
    ts->tv_sec = (time_t)whole;
    ts->tv_nsec = (long)((t - whole) * 1e9);
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec += 1;
        ts->tv_nsec -= 1000000000L;
    }
}

void sim_model_defaults(sim_model *m, const char *model)
{
    memset(m, 0, sizeof(*m));
    strncpy(m->model, model, sizeof(m->model) - 1);
    m->pixel_um = 6.5;
    m->line_time = 4.87e-6;
    m->exposure_max = 10.0;
    m->subarray_step = 4;
    if (strncmp(model, "C15440", 6) == 0) {
        /* ORCA-Fusion BT */
        m->width = 2304;
        m->height = 2304;
        m->exposure_min = 7.2e-6;
        m->exposure_step = 1e-6;
        m->readout_dirs = BIT(1) | BIT(2) | BIT(5) | BIT(6) | BIT(7);
    } else {
        /* ORCA-Flash4.0 V3 (C13440) and anything unknown */
        m->width = 2048;
        m->height = 2048;
        m->exposure_min = 1e-3;
        m->exposure_step = 9.74e-6;
        m->readout_dirs = BIT(1) | BIT(2);
    }
}

void sim_camera_reset(sim_camera *c)
{
    double *v = c->values;
    v[S_TRIGGERSOURCE] = TRIGGERSOURCE_INTERNAL;
    v[S_TRIGGERACTIVE] = 1;
    v[S_TRIGGERMODE] = TRIGGER_MODE_NORMAL;
    v[S_TRIGGERPOLARITY] = 1;
    v[S_TRIGGERDELAY] = 0;
    v[S_EXPOSURE] = 0.01;
    v[S_READOUTSPEED] = 2;
    v[S_READOUTDIRECTION] = 1;
    v[S_SENSORMODE] = SENSORMODE_AREA;
    v[S_BINNING] = 1;
    v[S_HPOS] = 0;
    v[S_HSIZE] = c->m.width;
    v[S_VPOS] = 0;
    v[S_VSIZE] = c->m.height;
    v[S_SUBARRAYMODE] = MODE_OFF;
    v[S_LINEINTERVAL] = 1e-5;
    v[S_FRAMERATE] = 1e4;
    v[S_DEFECTCORRECT] = MODE_ON;
}

sim_geometry sim_camera_geometry(const sim_camera *c)
{
    sim_geometry g;
    int on = c->values[S_SUBARRAYMODE] == MODE_ON;
    g.binning = (int32)c->values[S_BINNING];
    g.hpos = on ? (int32)c->values[S_HPOS] : 0;
    g.vpos = on ? (int32)c->values[S_VPOS] : 0;
    g.width = (on ? (int32)c->values[S_HSIZE] : c->m.width) / g.binning;
    g.height = (on ? (int32)c->values[S_VSIZE] : c->m.height) / g.binning;
    g.rowbytes = g.width * 2;
    return g;
}

static double sensor_lines(const sim_camera *c)
{
    return c->values[S_SUBARRAYMODE] == MODE_ON ? c->values[S_VSIZE] : c->m.height;
}

double sim_readout_time(const sim_camera *c)
{
    double lines = sensor_lines(c);
    if (c->values[S_SENSORMODE] == SENSORMODE_PROGRESSIVE) {
        return lines * c->values[S_LINEINTERVAL];
    }
    /* Area readout: slower readout speed (1) takes about three times longer. */
    double per_line = c->values[S_READOUTSPEED] == 1 ? c->m.line_time * 3 : c->m.line_time;
    return lines * per_line;
}

static double natural_period(const sim_camera *c)
{
    double exposure = c->values[S_EXPOSURE];
    double readout = sim_readout_time(c);
    if (c->values[S_SENSORMODE] == SENSORMODE_PROGRESSIVE) {
        return exposure + readout;
    }
    /* Rolling shutter overlaps exposure and readout. */
    return (exposure > readout ? exposure : readout) + c->m.line_time;
}

double sim_frame_period(const sim_camera *c)
{
    double period = natural_period(c);
    double paced = 1.0 / c->values[S_FRAMERATE];
    return paced > period ? paced : period;
}

static void describe_mode(sim_prop *p, int slot, uint32_t allowed, double def, int busy)
{
    int lo = 0, hi = 31;
    while (lo < 32 && !(allowed & BIT(lo))) {
        lo++;
    }
    while (hi > 0 && !(allowed & BIT(hi))) {
        hi--;
    }
    p->slot = slot;
    p->attribute = ATTR_HASRANGE | ATTR_HASSTEP | ATTR_HASDEFAULT | ATTR_WRITABLE | ATTR_READABLE | ATTR_ACCESSREADY
                   | (busy ? ATTR_ACCESSBUSY : 0) | TYPE_MODE;
    p->min = lo;
    p->max = hi;
    p->step = 1;
    p->def = def;
    p->allowed = allowed;
    p->busy_writable = busy;
}

static void describe_number(sim_prop *p, int slot, int32 type, int32 unit, double min, double max, double step,
                            double def, int busy)
{
    p->slot = slot;
    p->attribute = ATTR_HASRANGE | ATTR_HASSTEP | ATTR_HASDEFAULT | ATTR_WRITABLE | ATTR_READABLE | ATTR_ACCESSREADY
                   | (busy ? ATTR_ACCESSBUSY : 0) | type;
    p->unit = unit;
    p->min = min;
    p->max = max;
    p->step = step;
    p->def = def;
    p->busy_writable = busy;
}

static void describe_readonly(sim_prop *p, int32 type, int32 unit, double min, double max)
{
    p->slot = -1;
    p->attribute = ATTR_HASRANGE | ATTR_READABLE | ATTR_ACCESSREADY | ATTR_ACCESSBUSY | type;
    p->unit = unit;
    p->min = min;
    p->max = max;
}

int sim_prop_describe(const sim_camera *c, int32 id, sim_prop *p)
{
    const sim_model *m = &c->m;
    int32 step = m->subarray_step;
    memset(p, 0, sizeof(*p));
    p->id = id;
    switch (id) {
    case IDPROP_TRIGGERSOURCE: describe_mode(p, S_TRIGGERSOURCE, BIT(1) | BIT(2) | BIT(3), 1, 0); break;
    case IDPROP_TRIGGERACTIVE: describe_mode(p, S_TRIGGERACTIVE, BIT(1) | BIT(2) | BIT(3), 1, 0); break;
    case IDPROP_TRIGGER_MODE: describe_mode(p, S_TRIGGERMODE, BIT(1) | BIT(6), 1, 0); break;
    case IDPROP_TRIGGERPOLARITY: describe_mode(p, S_TRIGGERPOLARITY, BIT(1) | BIT(2), 1, 1); break;
    case IDPROP_TRIGGERDELAY: describe_number(p, S_TRIGGERDELAY, TYPE_REAL, UNIT_SECOND, 0, 10, 1e-6, 0, 1); break;
    case IDPROP_EXPOSURETIME:
        describe_number(p, S_EXPOSURE, TYPE_REAL, UNIT_SECOND, m->exposure_min, m->exposure_max, m->exposure_step,
                        0.01, 1);
        break;
    case IDPROP_READOUTSPEED:
        describe_number(p, S_READOUTSPEED, TYPE_LONG, UNIT_NONE, 1, 2, 1, 2, 0);
        break;
    case IDPROP_READOUT_DIRECTION: describe_mode(p, S_READOUTDIRECTION, m->readout_dirs, 1, 0); break;
    case IDPROP_SENSORMODE: describe_mode(p, S_SENSORMODE, BIT(SENSORMODE_AREA) | BIT(SENSORMODE_PROGRESSIVE), 1, 0); break;
    case IDPROP_BINNING: describe_mode(p, S_BINNING, BIT(1) | BIT(2) | BIT(4), 1, 0); break;
    case IDPROP_SUBARRAYHPOS: describe_number(p, S_HPOS, TYPE_LONG, UNIT_NONE, 0, m->width - step, step, 0, 0); break;
    case IDPROP_SUBARRAYHSIZE: describe_number(p, S_HSIZE, TYPE_LONG, UNIT_NONE, step, m->width, step, m->width, 0); break;
    case IDPROP_SUBARRAYVPOS: describe_number(p, S_VPOS, TYPE_LONG, UNIT_NONE, 0, m->height - step, step, 0, 0); break;
    case IDPROP_SUBARRAYVSIZE: describe_number(p, S_VSIZE, TYPE_LONG, UNIT_NONE, step, m->height, step, m->height, 0); break;
    case IDPROP_SUBARRAYMODE: describe_mode(p, S_SUBARRAYMODE, BIT(MODE_OFF) | BIT(MODE_ON), MODE_OFF, 0); break;
    case IDPROP_DEFECTCORRECT_MODE: describe_mode(p, S_DEFECTCORRECT, BIT(MODE_OFF) | BIT(MODE_ON), MODE_ON, 0); break;
    case IDPROP_INTERNAL_LINEINTERVAL:
        /* The shortest interval is one sensor line time, rounded up onto the 0.1 µs grid. */
        describe_number(p, S_LINEINTERVAL, TYPE_REAL, UNIT_SECOND, ceil(m->line_time / 1e-7) * 1e-7, 1.0, 1e-7, 1e-5, 0);
        break;
    case IDPROP_INTERNALFRAMERATE: {
        /* The fastest rate is what exposure and readout allow right now. */
        double fastest = 1.0 / natural_period(c);
        describe_number(p, S_FRAMERATE, TYPE_REAL, UNIT_PERSECOND, 0.01, fastest, 0, fastest, 0);
        p->attribute &= ~ATTR_HASSTEP;
        break;
    }
    case IDPROP_TIMING_READOUTTIME:
    case IDPROP_TIMING_CYCLICTRIGGERPERIOD:
    case IDPROP_TIMING_MINTRIGGERBLANKING:
    case IDPROP_TIMING_MINTRIGGERINTERVAL: describe_readonly(p, TYPE_REAL, UNIT_SECOND, 0, 100); break;
    case IDPROP_BITSPERCHANNEL: describe_readonly(p, TYPE_LONG, UNIT_NONE, 16, 16); break;
    case IDPROP_IMAGE_WIDTH: describe_readonly(p, TYPE_LONG, UNIT_NONE, step, m->width); break;
    case IDPROP_IMAGE_HEIGHT: describe_readonly(p, TYPE_LONG, UNIT_NONE, step, m->height); break;
    case IDPROP_IMAGE_ROWBYTES:
    case IDPROP_BUFFER_ROWBYTES: describe_readonly(p, TYPE_LONG, UNIT_NONE, 2.0 * step, 2.0 * m->width); break;
    case IDPROP_IMAGE_FRAMEBYTES:
    case IDPROP_BUFFER_FRAMEBYTES:
        describe_readonly(p, TYPE_LONG, UNIT_NONE, 2.0 * step * step, 2.0 * m->width * m->height);
        break;
    case IDPROP_IMAGE_PIXELTYPE: describe_readonly(p, TYPE_MODE, UNIT_NONE, PIXELTYPE_MONO16, PIXELTYPE_MONO16); break;
    case IDPROP_IMAGEDETECTOR_PIXELWIDTH:
    case IDPROP_IMAGEDETECTOR_PIXELHEIGHT: describe_readonly(p, TYPE_REAL, UNIT_MICROMETER, m->pixel_um, m->pixel_um); break;
    case IDPROP_IMAGEDETECTOR_PIXELNUMHORZ: describe_readonly(p, TYPE_LONG, UNIT_NONE, m->width, m->width); break;
    case IDPROP_IMAGEDETECTOR_PIXELNUMVERT: describe_readonly(p, TYPE_LONG, UNIT_NONE, m->height, m->height); break;
    default: return 0;
    }
    return 1;
}

DCAMERR sim_prop_read(const sim_camera *c, int32 id, double *value)
{
    sim_prop p;
    if (!sim_prop_describe(c, id, &p)) {
        return DCAMERR_INVALIDPROPERTYID;
    }
    if (p.slot >= 0) {
        *value = c->values[p.slot];
        if (id == IDPROP_INTERNALFRAMERATE && *value > p.max) {
            *value = p.max;
        }
        return DCAMERR_SUCCESS;
    }
    sim_geometry g = sim_camera_geometry(c);
    double readout = sim_readout_time(c);
    switch (id) {
    case IDPROP_TIMING_READOUTTIME: *value = readout; break;
    case IDPROP_TIMING_CYCLICTRIGGERPERIOD: *value = sim_frame_period(c); break;
    case IDPROP_TIMING_MINTRIGGERBLANKING: *value = readout; break;
    case IDPROP_TIMING_MINTRIGGERINTERVAL: *value = c->values[S_EXPOSURE] + readout; break;
    case IDPROP_BITSPERCHANNEL: *value = 16; break;
    case IDPROP_IMAGE_WIDTH: *value = g.width; break;
    case IDPROP_IMAGE_HEIGHT: *value = g.height; break;
    case IDPROP_IMAGE_ROWBYTES:
    case IDPROP_BUFFER_ROWBYTES: *value = g.rowbytes; break;
    case IDPROP_IMAGE_FRAMEBYTES:
    case IDPROP_BUFFER_FRAMEBYTES: *value = (double)g.rowbytes * g.height; break;
    case IDPROP_IMAGE_PIXELTYPE: *value = PIXELTYPE_MONO16; break;
    default: *value = p.min; break;
    }
    return DCAMERR_SUCCESS;
}

static int subarray_fits(const double *v, const sim_model *m)
{
    return v[S_HPOS] + v[S_HSIZE] <= m->width && v[S_VPOS] + v[S_VSIZE] <= m->height;
}

DCAMERR sim_prop_write(sim_camera *c, int32 id, double *value)
{
    sim_prop p;
    double v = *value;
    if (!sim_prop_describe(c, id, &p)) {
        return DCAMERR_INVALIDPROPERTYID;
    }
    if (p.slot < 0) {
        return DCAMERR_NOTWRITABLE;
    }
    if (c->capturing && !p.busy_writable) {
        return DCAMERR_BUSY;
    }
    if (isnan(v)) {
        return DCAMERR_INVALIDVALUE;
    }
    if (v < p.min - 1e-12 || v > p.max + 1e-12) {
        return DCAMERR_OUTOFRANGE;
    }
    int32 type = p.attribute & 0x0F;
    if (type == TYPE_MODE) {
        if (v != floor(v) || v < 0 || v > 31 || !(p.allowed & BIT((int)v))) {
            return DCAMERR_INVALIDVALUE;
        }
    } else if (type == TYPE_LONG) {
        if (v != floor(v) || fmod(v - p.min, p.step) != 0) {
            return DCAMERR_INVALIDVALUE;
        }
    } else if (p.step > 0) {
        /* Real values are rounded to the nearest step, as the camera does. */
        if (v < p.max) {
            v = p.min + floor((v - p.min) / p.step + 0.5) * p.step;
        }
        if (v > p.max) {
            v = p.max; /* the ends of the range are valid values even off the step grid */
        }
    }

    double before = c->values[p.slot];
    c->values[p.slot] = v;
    int subarray = p.slot == S_HPOS || p.slot == S_HSIZE || p.slot == S_VPOS || p.slot == S_VSIZE
                   || p.slot == S_SUBARRAYMODE;
    if (subarray && c->values[S_SUBARRAYMODE] == MODE_ON && !subarray_fits(c->values, &c->m)) {
        c->values[p.slot] = before;
        return DCAMERR_INVALIDSUBARRAY;
    }
    *value = v;
    return DCAMERR_SUCCESS;
}

void sim_write_frame(const sim_geometry *g, void *buffer, int64_t frame)
{
    uint8_t *base = buffer;
    for (int32 y = 0; y < g->height; y++) {
        uint16_t *row = (uint16_t *)(base + (size_t)y * g->rowbytes);
        uint32_t ys = (uint32_t)(g->vpos + y * g->binning);
        uint32_t start = 5u * ys + (uint32_t)frame + 3u * (uint32_t)g->hpos;
        uint32_t dx = 3u * (uint32_t)g->binning;
        for (int32 x = 0; x < g->width; x++) {
            row[x] = (uint16_t)(start + dx * (uint32_t)x);
        }
    }
    /* The frame number goes into the first four pixels, little-endian 16-bit words; stored on little-endian hosts. */
    int64_t pixels = (int64_t)g->width * g->height;
    uint16_t *first = (uint16_t *)base;
    for (int i = 0; i < 4 && i < pixels; i++) {
        first[i] = (uint16_t)((uint64_t)frame >> (16 * i));
    }
}

/* Waits on c->changed until `deadline` (absolute sim_now() seconds) or a stop request; c->lock is held. */
static int wait_until(sim_camera *c, double deadline)
{
    while (!c->stop_requested) {
        double now = sim_now();
        if (now >= deadline) {
            return 1;
        }
        struct timespec ts;
        sim_deadline(deadline, &ts);
        cnd_timedwait(&c->changed, &c->lock, &ts);
    }
    return 0;
}

int sim_capture_main(void *arg)
{
    sim_camera *c = arg;
    mtx_lock(&c->lock);
    double next = sim_now();
    int started = 0; /* trigger mode START: the first trigger switches to internal pacing */
    while (!c->stop_requested) {
        int source = (int)c->values[S_TRIGGERSOURCE];
        int start_mode = c->values[S_TRIGGERMODE] == TRIGGER_MODE_START;
        double due;
        if (source == TRIGGERSOURCE_INTERNAL || (start_mode && started)) {
            due = next + sim_frame_period(c);
        } else if (source == TRIGGERSOURCE_SOFTWARE) {
            if (c->pending_triggers == 0) {
                cnd_wait(&c->changed, &c->lock);
                continue;
            }
            c->pending_triggers--;
            started = 1;
            due = sim_now() + c->values[S_TRIGGERDELAY] + c->values[S_EXPOSURE] + sim_readout_time(c);
        } else {
            /* External or master-pulse triggers: there is no trigger line in a simulator, so no frames. */
            cnd_wait(&c->changed, &c->lock);
            continue;
        }
        if (!wait_until(c, due)) {
            break;
        }
        sim_geometry g = sim_camera_geometry(c);
        int32 index = (int32)(c->captured % c->buffercount);
        void *buffer = c->buffers[index];
        int64_t frame = c->captured;
        mtx_unlock(&c->lock);
        sim_write_frame(&g, buffer, frame);
        mtx_lock(&c->lock);
        if (c->stop_requested) {
            break; /* a frame cut short by dcamcap_stop is not delivered */
        }
        c->captured++;
        c->newest = index;
        c->frame_seq++;
        next = due;
        if (c->snap && c->captured >= c->buffercount) {
            c->capturing = 0;
            c->stop_seq++;
            cnd_broadcast(&c->changed);
            break;
        }
        cnd_broadcast(&c->changed);
    }
    mtx_unlock(&c->lock);
    return 0;
}
