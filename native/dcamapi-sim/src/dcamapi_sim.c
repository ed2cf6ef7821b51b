/*
 * dcamapi_sim.c: the DCAM-API 4 entry points of the simulator: initialisation, device and wait handles, properties,
 * buffers, capture, and the checks the real library makes (struct sizes, handles, states, ranges).
 *
 * Environment:
 *   DCAMSIM_CAMERAS  cameras found by dcamapi_init, comma-separated "MODEL/SERIAL[/WIDTHxHEIGHT]"
 *                    (default "C13440-20CU/301234,C15440-20UP/500678"; empty: no camera, init fails with NOCAMERA).
 *   DCAMSIM_LOG      a file every API call and its result are appended to ("dcamapi_uninit 0x00000001").
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

#define MAX_CAMERAS 8
#define MAX_WAITS 32
#define DEFAULT_CAMERAS "C13440-20CU/301234,C15440-20UP/500678"

typedef struct sim_wait {
    int open;
    uint32_t generation;
    int32 camera;
    uint64_t abort_seq;
} sim_wait;

static once_flag g_once = ONCE_FLAG_INIT;
static mtx_t g_lock;
static int g_initialized;
static int32 g_device_count;
static sim_camera g_cameras[MAX_CAMERAS];
static sim_wait g_waits[MAX_WAITS];
static int32 g_init_calls;
static int32 g_uninit_calls;
static char g_fail_function[64];
static DCAMERR g_fail_error;

static void global_setup(void)
{
    mtx_init(&g_lock, mtx_plain);
    for (int i = 0; i < MAX_CAMERAS; i++) {
        mtx_init(&g_cameras[i].lock, mtx_plain);
        cnd_init(&g_cameras[i].changed);
        g_cameras[i].index = i;
    }
}

static void sim_log(const char *function, DCAMERR err)
{
    const char *path = getenv("DCAMSIM_LOG");
    if (path == NULL || *path == '\0') {
        return;
    }
    FILE *f = fopen(path, "a");
    if (f != NULL) {
        fprintf(f, "%s 0x%08X\n", function, (unsigned)err);
        fclose(f);
    }
}

static DCAMERR done(const char *function, DCAMERR err)
{
    sim_log(function, err);
    return err;
}

/* One-shot failure injected by dcamsim_fail_next. */
static int injected(const char *function, DCAMERR *err)
{
    int hit = 0;
    mtx_lock(&g_lock);
    if (g_fail_function[0] != '\0' && strcmp(g_fail_function, function) == 0) {
        *err = g_fail_error;
        g_fail_function[0] = '\0';
        hit = 1;
    }
    mtx_unlock(&g_lock);
    return hit;
}

#define ENTER(name)                                                                                                    \
    call_once(&g_once, global_setup);                                                                                  \
    DCAMERR injected_err;                                                                                              \
    if (injected(name, &injected_err)) {                                                                               \
        return done(name, injected_err);                                                                               \
    }

/* Handles carry (generation << 8 | slot + 1): stale and made-up handles are recognised, never dereferenced. */
static HDCAM camera_handle(const sim_camera *c)
{
    return (HDCAM)(uintptr_t)(((uintptr_t)c->generation << 8) | (uintptr_t)(c->index + 1));
}

static sim_camera *find_camera(HDCAM h)
{
    uintptr_t v = (uintptr_t)h;
    uintptr_t slot = v & 0xFF;
    if (slot == 0 || slot > MAX_CAMERAS) {
        return NULL;
    }
    sim_camera *c = &g_cameras[slot - 1];
    if (!g_initialized || !c->open || (v >> 8) != c->generation) {
        return NULL;
    }
    return c;
}

static HDCAMWAIT wait_handle(int32 slot)
{
    return (HDCAMWAIT)(uintptr_t)(((uintptr_t)g_waits[slot].generation << 8) | (uintptr_t)(slot + 1));
}

static sim_wait *find_wait(HDCAMWAIT h)
{
    uintptr_t v = (uintptr_t)h;
    uintptr_t slot = v & 0xFF;
    if (slot == 0 || slot > MAX_WAITS) {
        return NULL;
    }
    sim_wait *w = &g_waits[slot - 1];
    if (!g_initialized || !w->open || (v >> 8) != w->generation) {
        return NULL;
    }
    return w;
}

static void parse_cameras(void)
{
    const char *spec = getenv("DCAMSIM_CAMERAS");
    if (spec == NULL) {
        spec = DEFAULT_CAMERAS;
    }
    char buffer[1024];
    strncpy(buffer, spec, sizeof(buffer) - 1);
    buffer[sizeof(buffer) - 1] = '\0';
    g_device_count = 0;
    char *save_entry = NULL;
    for (char *entry = strtok_r(buffer, ",", &save_entry); entry != NULL && g_device_count < MAX_CAMERAS;
         entry = strtok_r(NULL, ",", &save_entry)) {
        char *save_field = NULL;
        char *model = strtok_r(entry, "/", &save_field);
        char *serial = strtok_r(NULL, "/", &save_field);
        char *size = strtok_r(NULL, "/", &save_field);
        if (model == NULL || *model == '\0') {
            continue;
        }
        sim_camera *c = &g_cameras[g_device_count];
        sim_model_defaults(&c->m, model);
        snprintf(c->m.serial, sizeof(c->m.serial), "%s", serial != NULL ? serial : "000000");
        int w, h;
        if (size != NULL && sscanf(size, "%dx%d", &w, &h) == 2 && w >= 16 && h >= 16) {
            c->m.width = w - w % c->m.subarray_step;
            c->m.height = h - h % c->m.subarray_step;
        }
        g_device_count++;
    }
}

/* Stops the capture thread of `c` and waits for it; c->lock is not held. */
static void stop_capture(sim_camera *c)
{
    mtx_lock(&c->lock);
    int join = c->thread_joinable;
    int was_capturing = c->capturing;
    c->stop_requested = 1;
    cnd_broadcast(&c->changed);
    mtx_unlock(&c->lock);
    if (join) {
        thrd_join(c->thread, NULL);
    }
    mtx_lock(&c->lock);
    c->thread_joinable = 0;
    c->capturing = 0;
    c->stop_requested = 0;
    if (was_capturing) {
        c->stop_seq++;
    }
    cnd_broadcast(&c->changed);
    mtx_unlock(&c->lock);
}

static void release_buffers(sim_camera *c)
{
    mtx_lock(&c->lock);
    free(c->buffers);
    c->buffers = NULL;
    c->buffercount = 0;
    mtx_unlock(&c->lock);
}

static void close_camera(sim_camera *c)
{
    stop_capture(c);
    release_buffers(c);
    mtx_lock(&c->lock);
    c->open = 0;
    c->generation++;
    cnd_broadcast(&c->changed);
    mtx_unlock(&c->lock);
}

DCAMERR dcamapi_init(DCAMAPI_INIT *param)
{
    call_once(&g_once, global_setup);
    mtx_lock(&g_lock);
    g_init_calls++; /* counted even when a failure is injected */
    mtx_unlock(&g_lock);
    ENTER("dcamapi_init");
    if (param == NULL || param->size != (int32)sizeof(DCAMAPI_INIT)) {
        return done("dcamapi_init", DCAMERR_INVALIDPARAM);
    }
    mtx_lock(&g_lock);
    if (!g_initialized) {
        parse_cameras();
        for (int i = 0; i < g_device_count; i++) {
            sim_camera_reset(&g_cameras[i]);
        }
    }
    g_initialized = 1;
    param->iDeviceCount = g_device_count;
    DCAMERR err = g_device_count == 0 ? DCAMERR_NOCAMERA : DCAMERR_SUCCESS;
    mtx_unlock(&g_lock);
    return done("dcamapi_init", err);
}

DCAMERR dcamapi_uninit(void)
{
    call_once(&g_once, global_setup);
    mtx_lock(&g_lock);
    g_uninit_calls++; /* counted even when a failure is injected */
    mtx_unlock(&g_lock);
    ENTER("dcamapi_uninit");
    mtx_lock(&g_lock);
    /* Like the real library, uninit closes whatever the application left open. */
    for (int i = 0; i < MAX_WAITS; i++) {
        if (g_waits[i].open) {
            sim_camera *c = &g_cameras[g_waits[i].camera];
            mtx_lock(&c->lock);
            g_waits[i].open = 0;
            g_waits[i].generation++;
            cnd_broadcast(&c->changed);
            mtx_unlock(&c->lock);
        }
    }
    for (int i = 0; i < MAX_CAMERAS; i++) {
        if (g_cameras[i].open) {
            close_camera(&g_cameras[i]);
        }
    }
    g_initialized = 0;
    mtx_unlock(&g_lock);
    return done("dcamapi_uninit", DCAMERR_SUCCESS);
}

DCAMERR dcamdev_open(DCAMDEV_OPEN *param)
{
    ENTER("dcamdev_open");
    if (param == NULL || param->size != (int32)sizeof(DCAMDEV_OPEN)) {
        return done("dcamdev_open", DCAMERR_INVALIDPARAM);
    }
    mtx_lock(&g_lock);
    DCAMERR err = DCAMERR_SUCCESS;
    if (!g_initialized) {
        err = DCAMERR_NOTREADY;
    } else if (param->index < 0 || param->index >= g_device_count) {
        err = DCAMERR_INVALIDCAMERA;
    } else if (g_cameras[param->index].open) {
        err = DCAMERR_ALREADYOPENED;
    } else {
        sim_camera *c = &g_cameras[param->index];
        mtx_lock(&c->lock);
        c->open = 1;
        c->generation++;
        c->captured = 0;
        c->newest = -1;
        c->pending_triggers = 0;
        sim_camera_reset(c);
        mtx_unlock(&c->lock);
        param->hdcam = camera_handle(c);
    }
    mtx_unlock(&g_lock);
    return done("dcamdev_open", err);
}

DCAMERR dcamdev_close(HDCAM h)
{
    ENTER("dcamdev_close");
    mtx_lock(&g_lock);
    sim_camera *c = find_camera(h);
    if (c == NULL) {
        mtx_unlock(&g_lock);
        return done("dcamdev_close", DCAMERR_INVALIDHANDLE);
    }
    close_camera(c);
    mtx_unlock(&g_lock);
    return done("dcamdev_close", DCAMERR_SUCCESS);
}

DCAMERR dcamdev_getstring(HDCAM h, DCAMDEV_STRING *param)
{
    ENTER("dcamdev_getstring");
    if (param == NULL || param->size != (int32)sizeof(DCAMDEV_STRING) || param->text == NULL || param->textbytes <= 0) {
        return done("dcamdev_getstring", DCAMERR_INVALIDPARAM);
    }
    mtx_lock(&g_lock);
    sim_camera *c = find_camera(h);
    if (c == NULL) {
        mtx_unlock(&g_lock);
        return done("dcamdev_getstring", DCAMERR_INVALIDHANDLE);
    }
    char text[128];
    DCAMERR err = DCAMERR_SUCCESS;
    switch (param->iString) {
    case DCAM_IDSTR_BUS: snprintf(text, sizeof(text), "USB3.0 (simulated)"); break;
    case DCAM_IDSTR_CAMERAID: snprintf(text, sizeof(text), "S/N: %s", c->m.serial); break;
    case DCAM_IDSTR_VENDOR: snprintf(text, sizeof(text), "HAMAMATSU (dcamapi-sim)"); break;
    case DCAM_IDSTR_MODEL: snprintf(text, sizeof(text), "%s", c->m.model); break;
    case DCAM_IDSTR_CAMERAVERSION: snprintf(text, sizeof(text), "sim-1.0"); break;
    case DCAM_IDSTR_DRIVERVERSION: snprintf(text, sizeof(text), "dcamapi-sim 1.0"); break;
    case DCAM_IDSTR_MODULEVERSION: snprintf(text, sizeof(text), "dcamapi-sim 1.0"); break;
    case DCAM_IDSTR_DCAMAPIVERSION: snprintf(text, sizeof(text), "4.00"); break;
    default: err = DCAMERR_UNKNOWNSTRID; break;
    }
    mtx_unlock(&g_lock);
    if (err == DCAMERR_SUCCESS) {
        /* Truncated to the caller's buffer, always terminated. */
        snprintf(param->text, (size_t)param->textbytes, "%s", text);
    }
    return done("dcamdev_getstring", err);
}

/* Looks up `h` and locks its camera; NULL (and *err set) when the handle is bad. */
static sim_camera *lock_camera(HDCAM h, DCAMERR *err)
{
    mtx_lock(&g_lock);
    sim_camera *c = find_camera(h);
    if (c == NULL) {
        mtx_unlock(&g_lock);
        *err = DCAMERR_INVALIDHANDLE;
        return NULL;
    }
    mtx_lock(&c->lock);
    mtx_unlock(&g_lock);
    return c;
}

DCAMERR dcamprop_getattr(HDCAM h, DCAMPROP_ATTR *param)
{
    ENTER("dcamprop_getattr");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcamprop_getattr", err);
    }
    if (param == NULL || param->cbSize != (int32)sizeof(DCAMPROP_ATTR)) {
        mtx_unlock(&c->lock);
        return done("dcamprop_getattr", DCAMERR_INVALIDPARAM);
    }
    sim_prop p;
    if (!sim_prop_describe(c, param->iProp, &p)) {
        err = DCAMERR_INVALIDPROPERTYID;
    } else {
        param->attribute = p.attribute;
        param->iGroup = 0;
        param->iUnit = p.unit;
        param->attribute2 = 0;
        param->valuemin = p.min;
        param->valuemax = p.max;
        param->valuestep = p.step;
        param->valuedefault = p.def;
        param->nMaxChannel = 1;
        param->iReserved3 = 0;
        param->nMaxView = 1;
        param->iProp_NumberOfElement = 0;
        param->iProp_ArrayBase = 0;
        param->iPropStep_Element = 0;
    }
    mtx_unlock(&c->lock);
    return done("dcamprop_getattr", err);
}

DCAMERR dcamprop_getvalue(HDCAM h, int32 iProp, double *pValue)
{
    ENTER("dcamprop_getvalue");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcamprop_getvalue", err);
    }
    err = pValue == NULL ? DCAMERR_INVALIDPARAM : sim_prop_read(c, iProp, pValue);
    mtx_unlock(&c->lock);
    return done("dcamprop_getvalue", err);
}

static DCAMERR set_value(const char *function, HDCAM h, int32 iProp, double *value)
{
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done(function, err);
    }
    err = sim_prop_write(c, iProp, value);
    if (err == DCAMERR_SUCCESS) {
        cnd_broadcast(&c->changed); /* timing may have changed under a running capture */
    }
    mtx_unlock(&c->lock);
    return done(function, err);
}

DCAMERR dcamprop_setvalue(HDCAM h, int32 iProp, double fValue)
{
    ENTER("dcamprop_setvalue");
    return set_value("dcamprop_setvalue", h, iProp, &fValue);
}

DCAMERR dcamprop_setgetvalue(HDCAM h, int32 iProp, double *pValue, int32 option)
{
    ENTER("dcamprop_setgetvalue");
    if (pValue == NULL) {
        return done("dcamprop_setgetvalue", DCAMERR_INVALIDPARAM);
    }
    return set_value("dcamprop_setgetvalue", h, iProp, pValue);
}

DCAMERR dcambuf_attach(HDCAM h, const DCAMBUF_ATTACH *param)
{
    ENTER("dcambuf_attach");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcambuf_attach", err);
    }
    if (param == NULL || param->size != (int32)sizeof(DCAMBUF_ATTACH) || param->buffer == NULL
        || param->buffercount <= 0) {
        err = DCAMERR_INVALIDPARAM;
    } else if (param->iKind != DCAMBUF_ATTACHKIND_FRAME) {
        err = DCAMERR_NOTSUPPORT;
    } else if (c->capturing) {
        err = DCAMERR_BUSY;
    } else if (c->buffers != NULL) {
        err = DCAMERR_ACCESSDENY;
    } else {
        for (int32 i = 0; i < param->buffercount; i++) {
            if (param->buffer[i] == NULL) {
                err = DCAMERR_INVALIDPARAM;
            }
        }
        if (err == DCAMERR_SUCCESS) {
            /* The caller's pointer list need not outlive the call: keep a copy. */
            c->buffers = malloc(sizeof(void *) * (size_t)param->buffercount);
            memcpy(c->buffers, param->buffer, sizeof(void *) * (size_t)param->buffercount);
            c->buffercount = param->buffercount;
        }
    }
    mtx_unlock(&c->lock);
    return done("dcambuf_attach", err);
}

DCAMERR dcambuf_release(HDCAM h, int32 iKind)
{
    ENTER("dcambuf_release");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcambuf_release", err);
    }
    if (iKind != DCAMBUF_ATTACHKIND_FRAME) {
        err = DCAMERR_INVALIDPARAM;
    } else if (c->capturing) {
        err = DCAMERR_BUSY;
    } else {
        free(c->buffers);
        c->buffers = NULL;
        c->buffercount = 0;
    }
    mtx_unlock(&c->lock);
    return done("dcambuf_release", err);
}

DCAMERR dcamcap_start(HDCAM h, int32 mode)
{
    ENTER("dcamcap_start");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcamcap_start", err);
    }
    if (mode != DCAMCAP_START_SEQUENCE && mode != DCAMCAP_START_SNAP) {
        err = DCAMERR_INVALIDPARAM;
    } else if (c->capturing) {
        err = DCAMERR_BUSY;
    } else if (c->buffers == NULL) {
        err = DCAMERR_NOTREADY;
    } else {
        int join = c->thread_joinable; /* a finished snap leaves its thread to be joined */
        c->thread_joinable = 0;
        if (join) {
            mtx_unlock(&c->lock);
            thrd_join(c->thread, NULL);
            mtx_lock(&c->lock);
        }
        c->capturing = 1;
        c->snap = mode == DCAMCAP_START_SNAP;
        c->stop_requested = 0;
        c->captured = 0;
        c->newest = -1;
        c->pending_triggers = 0;
        if (thrd_create(&c->thread, sim_capture_main, c) != thrd_success) {
            c->capturing = 0;
            err = DCAMERR_NOTREADY;
        } else {
            c->thread_joinable = 1;
        }
    }
    mtx_unlock(&c->lock);
    return done("dcamcap_start", err);
}

DCAMERR dcamcap_stop(HDCAM h)
{
    ENTER("dcamcap_stop");
    mtx_lock(&g_lock);
    sim_camera *c = find_camera(h);
    if (c == NULL) {
        mtx_unlock(&g_lock);
        return done("dcamcap_stop", DCAMERR_INVALIDHANDLE);
    }
    stop_capture(c);
    mtx_unlock(&g_lock);
    return done("dcamcap_stop", DCAMERR_SUCCESS);
}

DCAMERR dcamcap_transferinfo(HDCAM h, DCAMCAP_TRANSFERINFO *param)
{
    ENTER("dcamcap_transferinfo");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcamcap_transferinfo", err);
    }
    if (param == NULL || param->size != (int32)sizeof(DCAMCAP_TRANSFERINFO) || param->iKind != 0) {
        err = DCAMERR_INVALIDPARAM;
    } else {
        param->nNewestFrameIndex = c->newest;
        param->nFrameCount = (int32)c->captured;
    }
    mtx_unlock(&c->lock);
    return done("dcamcap_transferinfo", err);
}

DCAMERR dcamcap_firetrigger(HDCAM h, int32 iKind)
{
    ENTER("dcamcap_firetrigger");
    DCAMERR err = DCAMERR_SUCCESS;
    sim_camera *c = lock_camera(h, &err);
    if (c == NULL) {
        return done("dcamcap_firetrigger", err);
    }
    if (iKind != 0) {
        err = DCAMERR_INVALIDPARAM;
    } else if (!c->capturing) {
        err = DCAMERR_NOTBUSY;
    } else if (c->values[S_TRIGGERSOURCE] != TRIGGERSOURCE_SOFTWARE) {
        err = DCAMERR_NOTSUPPORT;
    } else {
        c->pending_triggers++;
        cnd_broadcast(&c->changed);
    }
    mtx_unlock(&c->lock);
    return done("dcamcap_firetrigger", err);
}

DCAMERR dcamwait_open(DCAMWAIT_OPEN *param)
{
    ENTER("dcamwait_open");
    if (param == NULL || param->size != (int32)sizeof(DCAMWAIT_OPEN)) {
        return done("dcamwait_open", DCAMERR_INVALIDPARAM);
    }
    mtx_lock(&g_lock);
    sim_camera *c = find_camera(param->hdcam);
    DCAMERR err = DCAMERR_SUCCESS;
    if (c == NULL) {
        err = DCAMERR_INVALIDHANDLE;
    } else {
        err = DCAMERR_NOTREADY; /* out of wait slots */
        for (int32 i = 0; i < MAX_WAITS; i++) {
            if (!g_waits[i].open) {
                g_waits[i].open = 1;
                g_waits[i].generation++;
                g_waits[i].camera = c->index;
                g_waits[i].abort_seq = 0;
                param->hwait = wait_handle(i);
                param->supportevent = DCAMWAIT_CAPEVENT_FRAMEREADY | DCAMWAIT_CAPEVENT_STOPPED;
                err = DCAMERR_SUCCESS;
                break;
            }
        }
    }
    mtx_unlock(&g_lock);
    return done("dcamwait_open", err);
}

DCAMERR dcamwait_close(HDCAMWAIT hWait)
{
    ENTER("dcamwait_close");
    mtx_lock(&g_lock);
    sim_wait *w = find_wait(hWait);
    if (w == NULL) {
        mtx_unlock(&g_lock);
        return done("dcamwait_close", DCAMERR_INVALIDWAITHANDLE);
    }
    sim_camera *c = &g_cameras[w->camera];
    mtx_lock(&c->lock);
    w->open = 0;
    w->generation++;
    cnd_broadcast(&c->changed); /* a thread still waiting on it returns ABORT */
    mtx_unlock(&c->lock);
    mtx_unlock(&g_lock);
    return done("dcamwait_close", DCAMERR_SUCCESS);
}

DCAMERR dcamwait_start(HDCAMWAIT hWait, DCAMWAIT_START *param)
{
    ENTER("dcamwait_start");
    mtx_lock(&g_lock);
    sim_wait *w = find_wait(hWait);
    if (w == NULL) {
        mtx_unlock(&g_lock);
        return done("dcamwait_start", DCAMERR_INVALIDWAITHANDLE);
    }
    if (param == NULL || param->size != (int32)sizeof(DCAMWAIT_START) || param->eventmask == 0) {
        mtx_unlock(&g_lock);
        return done("dcamwait_start", DCAMERR_INVALIDPARAM);
    }
    sim_camera *c = &g_cameras[w->camera];
    uint32_t generation = w->generation;
    mtx_lock(&c->lock);
    mtx_unlock(&g_lock);

    /* Events count from the moment the wait starts. */
    uint64_t frames = c->frame_seq, stops = c->stop_seq, aborts = w->abort_seq;
    int infinite = param->timeout == DCAMWAIT_TIMEOUT_INFINITE;
    double deadline = sim_now() + (infinite ? 0 : (param->timeout < 0 ? 0 : param->timeout) / 1000.0);
    DCAMERR err = DCAMERR_TIMEOUT;
    param->eventhappened = 0;
    for (;;) {
        if (!w->open || w->generation != generation || w->abort_seq != aborts || !c->open) {
            err = DCAMERR_ABORT;
            break;
        }
        int32 happened = 0;
        if ((param->eventmask & DCAMWAIT_CAPEVENT_FRAMEREADY) && c->frame_seq != frames) {
            happened |= DCAMWAIT_CAPEVENT_FRAMEREADY;
        }
        if ((param->eventmask & DCAMWAIT_CAPEVENT_STOPPED) && c->stop_seq != stops) {
            happened |= DCAMWAIT_CAPEVENT_STOPPED;
        }
        if (happened != 0) {
            param->eventhappened = happened;
            err = DCAMERR_SUCCESS;
            break;
        }
        if (infinite) {
            cnd_wait(&c->changed, &c->lock);
            continue;
        }
        if (sim_now() >= deadline) {
            err = DCAMERR_TIMEOUT;
            break;
        }
        struct timespec ts;
        sim_deadline(deadline, &ts);
        cnd_timedwait(&c->changed, &c->lock, &ts);
    }
    mtx_unlock(&c->lock);
    return done("dcamwait_start", err);
}

DCAMERR dcamwait_abort(HDCAMWAIT hWait)
{
    ENTER("dcamwait_abort");
    mtx_lock(&g_lock);
    sim_wait *w = find_wait(hWait);
    if (w == NULL) {
        mtx_unlock(&g_lock);
        return done("dcamwait_abort", DCAMERR_INVALIDWAITHANDLE);
    }
    sim_camera *c = &g_cameras[w->camera];
    mtx_lock(&c->lock);
    w->abort_seq++;
    cnd_broadcast(&c->changed);
    mtx_unlock(&c->lock);
    mtx_unlock(&g_lock);
    return done("dcamwait_abort", DCAMERR_SUCCESS);
}

/* ---- test hooks ---- */

DCAMERR dcamsim_get_stats(DCAMSIM_STATS *stats)
{
    call_once(&g_once, global_setup);
    if (stats == NULL || stats->size != (int32)sizeof(DCAMSIM_STATS)) {
        return DCAMERR_INVALIDPARAM;
    }
    mtx_lock(&g_lock);
    memset(stats, 0, sizeof(*stats));
    stats->size = (int32)sizeof(DCAMSIM_STATS);
    stats->initialized = g_initialized;
    stats->init_calls = g_init_calls;
    stats->uninit_calls = g_uninit_calls;
    stats->device_count = g_device_count;
    for (int i = 0; i < MAX_CAMERAS; i++) {
        sim_camera *c = &g_cameras[i];
        mtx_lock(&c->lock);
        stats->open_cameras += c->open;
        stats->attached += c->buffers != NULL;
        stats->capturing += c->capturing;
        mtx_unlock(&c->lock);
    }
    for (int i = 0; i < MAX_WAITS; i++) {
        stats->open_waits += g_waits[i].open;
    }
    mtx_unlock(&g_lock);
    return DCAMERR_SUCCESS;
}

DCAMERR dcamsim_reset_stats(void)
{
    call_once(&g_once, global_setup);
    mtx_lock(&g_lock);
    g_init_calls = 0;
    g_uninit_calls = 0;
    mtx_unlock(&g_lock);
    return DCAMERR_SUCCESS;
}

DCAMERR dcamsim_wait_captured(int32 index, int64_t count, int32 timeout_ms)
{
    call_once(&g_once, global_setup);
    if (index < 0 || index >= MAX_CAMERAS) {
        return DCAMERR_INVALIDCAMERA;
    }
    sim_camera *c = &g_cameras[index];
    double deadline = sim_now() + timeout_ms / 1000.0;
    DCAMERR err = DCAMERR_SUCCESS;
    mtx_lock(&c->lock);
    while (c->captured < count) {
        if (sim_now() >= deadline) {
            err = DCAMERR_TIMEOUT;
            break;
        }
        struct timespec ts;
        sim_deadline(deadline, &ts);
        cnd_timedwait(&c->changed, &c->lock, &ts);
    }
    mtx_unlock(&c->lock);
    return err;
}

DCAMERR dcamsim_fail_next(const char *function, int32 err)
{
    call_once(&g_once, global_setup);
    mtx_lock(&g_lock);
    if (function == NULL) {
        g_fail_function[0] = '\0';
    } else {
        snprintf(g_fail_function, sizeof(g_fail_function), "%s", function);
        g_fail_error = err;
    }
    mtx_unlock(&g_lock);
    return DCAMERR_SUCCESS;
}

#define FIELDS(...) { __VA_ARGS__, -1 }

int32 dcamsim_layout(int32 structure, int32 field)
{
    static const int32 sizes[] = {
        sizeof(DCAMAPI_INIT), sizeof(DCAMDEV_OPEN), sizeof(DCAMDEV_STRING), sizeof(DCAMPROP_ATTR),
        sizeof(DCAMBUF_ATTACH), sizeof(DCAMCAP_TRANSFERINFO), sizeof(DCAMWAIT_OPEN), sizeof(DCAMWAIT_START),
    };
    static const int32 offsets[8][19] = {
        FIELDS(offsetof(DCAMAPI_INIT, size), offsetof(DCAMAPI_INIT, iDeviceCount), offsetof(DCAMAPI_INIT, reserved),
               offsetof(DCAMAPI_INIT, initoptionbytes), offsetof(DCAMAPI_INIT, initoption), offsetof(DCAMAPI_INIT, guid)),
        FIELDS(offsetof(DCAMDEV_OPEN, size), offsetof(DCAMDEV_OPEN, index), offsetof(DCAMDEV_OPEN, hdcam)),
        FIELDS(offsetof(DCAMDEV_STRING, size), offsetof(DCAMDEV_STRING, iString), offsetof(DCAMDEV_STRING, text),
               offsetof(DCAMDEV_STRING, textbytes)),
        FIELDS(offsetof(DCAMPROP_ATTR, cbSize), offsetof(DCAMPROP_ATTR, iProp), offsetof(DCAMPROP_ATTR, option),
               offsetof(DCAMPROP_ATTR, iReserved1), offsetof(DCAMPROP_ATTR, attribute), offsetof(DCAMPROP_ATTR, iGroup),
               offsetof(DCAMPROP_ATTR, iUnit), offsetof(DCAMPROP_ATTR, attribute2), offsetof(DCAMPROP_ATTR, valuemin),
               offsetof(DCAMPROP_ATTR, valuemax), offsetof(DCAMPROP_ATTR, valuestep),
               offsetof(DCAMPROP_ATTR, valuedefault), offsetof(DCAMPROP_ATTR, nMaxChannel),
               offsetof(DCAMPROP_ATTR, iReserved3), offsetof(DCAMPROP_ATTR, nMaxView),
               offsetof(DCAMPROP_ATTR, iProp_NumberOfElement), offsetof(DCAMPROP_ATTR, iProp_ArrayBase),
               offsetof(DCAMPROP_ATTR, iPropStep_Element)),
        FIELDS(offsetof(DCAMBUF_ATTACH, size), offsetof(DCAMBUF_ATTACH, iKind), offsetof(DCAMBUF_ATTACH, buffer),
               offsetof(DCAMBUF_ATTACH, buffercount)),
        FIELDS(offsetof(DCAMCAP_TRANSFERINFO, size), offsetof(DCAMCAP_TRANSFERINFO, iKind),
               offsetof(DCAMCAP_TRANSFERINFO, nNewestFrameIndex), offsetof(DCAMCAP_TRANSFERINFO, nFrameCount)),
        FIELDS(offsetof(DCAMWAIT_OPEN, size), offsetof(DCAMWAIT_OPEN, supportevent), offsetof(DCAMWAIT_OPEN, hwait),
               offsetof(DCAMWAIT_OPEN, hdcam)),
        FIELDS(offsetof(DCAMWAIT_START, size), offsetof(DCAMWAIT_START, eventhappened),
               offsetof(DCAMWAIT_START, eventmask), offsetof(DCAMWAIT_START, timeout)),
    };
    if (structure < 0 || structure >= 8) {
        return -1;
    }
    if (field == -1) {
        return sizes[structure];
    }
    if (field < 0 || field >= 19) {
        return -1;
    }
    for (int32 i = 0; i <= field; i++) {
        if (offsets[structure][i] == -1) {
            return -1;
        }
    }
    return offsets[structure][field];
}
