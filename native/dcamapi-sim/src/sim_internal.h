/* sim_internal.h: the simulated cameras behind the DCAM-API entry points. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stdint.h>
#include <threads.h>

#include "dcamapi_sim.h"

/* Property ids (dcamprop.h names), the ones the simulator answers. */
#define IDPROP_TRIGGERSOURCE 0x00100110
#define IDPROP_TRIGGERACTIVE 0x00100120
#define IDPROP_TRIGGER_MODE 0x00100210
#define IDPROP_TRIGGERPOLARITY 0x00100220
#define IDPROP_TRIGGERDELAY 0x00100260
#define IDPROP_EXPOSURETIME 0x001F0110
#define IDPROP_READOUTSPEED 0x00400110
#define IDPROP_READOUT_DIRECTION 0x00400130
#define IDPROP_SENSORMODE 0x00400210
#define IDPROP_BINNING 0x00401110
#define IDPROP_SUBARRAYHPOS 0x00402110
#define IDPROP_SUBARRAYHSIZE 0x00402120
#define IDPROP_SUBARRAYVPOS 0x00402130
#define IDPROP_SUBARRAYVSIZE 0x00402140
#define IDPROP_SUBARRAYMODE 0x00402150
#define IDPROP_TIMING_READOUTTIME 0x00403010
#define IDPROP_TIMING_CYCLICTRIGGERPERIOD 0x00403020
#define IDPROP_TIMING_MINTRIGGERBLANKING 0x00403030
#define IDPROP_TIMING_MINTRIGGERINTERVAL 0x00403050
#define IDPROP_INTERNALFRAMERATE 0x00403810
#define IDPROP_INTERNAL_LINEINTERVAL 0x00403850
#define IDPROP_BITSPERCHANNEL 0x00420130
#define IDPROP_IMAGE_WIDTH 0x00420210
#define IDPROP_IMAGE_HEIGHT 0x00420220
#define IDPROP_IMAGE_ROWBYTES 0x00420230
#define IDPROP_IMAGE_FRAMEBYTES 0x00420240
#define IDPROP_IMAGE_PIXELTYPE 0x00420270
#define IDPROP_BUFFER_ROWBYTES 0x00420330
#define IDPROP_BUFFER_FRAMEBYTES 0x00420340
#define IDPROP_IMAGEDETECTOR_PIXELWIDTH 0x00420810
#define IDPROP_IMAGEDETECTOR_PIXELHEIGHT 0x00420820
#define IDPROP_IMAGEDETECTOR_PIXELNUMHORZ 0x00420830
#define IDPROP_IMAGEDETECTOR_PIXELNUMVERT 0x00420840
#define IDPROP_DEFECTCORRECT_MODE 0x00470010

/* Property values. */
#define TRIGGERSOURCE_INTERNAL 1
#define TRIGGERSOURCE_EXTERNAL 2
#define TRIGGERSOURCE_SOFTWARE 3
#define TRIGGER_MODE_NORMAL 1
#define TRIGGER_MODE_START 6
#define SENSORMODE_AREA 1
#define SENSORMODE_PROGRESSIVE 12
#define MODE_OFF 1
#define MODE_ON 2
#define PIXELTYPE_MONO16 2

/* Values the simulator stores (read-only properties are computed from these). */
enum sim_slot {
    S_TRIGGERSOURCE,
    S_TRIGGERACTIVE,
    S_TRIGGERMODE,
    S_TRIGGERPOLARITY,
    S_TRIGGERDELAY,
    S_EXPOSURE,
    S_READOUTSPEED,
    S_READOUTDIRECTION,
    S_SENSORMODE,
    S_BINNING,
    S_HPOS,
    S_HSIZE,
    S_VPOS,
    S_VSIZE,
    S_SUBARRAYMODE,
    S_LINEINTERVAL,
    S_FRAMERATE,
    S_DEFECTCORRECT,
    S_COUNT
};

typedef struct sim_model {
    char model[64];
    char serial[32];
    int32 width;
    int32 height;
    double pixel_um;
    double line_time;      /* seconds per sensor line in area readout */
    double exposure_min;
    double exposure_max;
    double exposure_step;
    uint32_t readout_dirs; /* bit n set: READOUT DIRECTION value n is supported */
    int32 subarray_step;
} sim_model;

typedef struct sim_camera {
    sim_model m;
    int32 index;
    int open;
    uint32_t generation;
    mtx_t lock;
    cnd_t changed;
    double values[S_COUNT];

    void **buffers; /* copy of the attached pointer list */
    int32 buffercount;

    int capturing;
    int snap;
    int thread_joinable;
    int stop_requested;
    thrd_t thread;
    int64_t captured;       /* frames completed in the current sequence */
    int32 newest;           /* buffer index of the newest frame, -1 before the first */
    int64_t pending_triggers;
    uint64_t frame_seq;     /* increments per completed frame (wait events) */
    uint64_t stop_seq;      /* increments per stop (wait events) */
} sim_camera;

/* One property's attributes as dcamprop_getattr reports them. */
typedef struct sim_prop {
    int32 id;
    int slot;              /* enum sim_slot, or -1 for computed read-only values */
    int32 attribute;       /* DCAMPROP_ATTR_* | DCAMPROP_TYPE_* */
    int32 unit;
    double min, max, step, def;
    uint32_t allowed;      /* mode properties: bit n set when value n is accepted; 0 for numeric properties */
    int busy_writable;     /* may be written while capturing */
} sim_prop;

void sim_model_defaults(sim_model *m, const char *model);
void sim_camera_reset(sim_camera *c);
int sim_prop_describe(const sim_camera *c, int32 id, sim_prop *p);
DCAMERR sim_prop_read(const sim_camera *c, int32 id, double *value);
DCAMERR sim_prop_write(sim_camera *c, int32 id, double *value);

/* What one frame looks like; taken under the camera lock so the capture thread can write without it. */
typedef struct sim_geometry {
    int32 width, height, rowbytes;
    int32 hpos, vpos, binning;
} sim_geometry;

sim_geometry sim_camera_geometry(const sim_camera *c);
double sim_readout_time(const sim_camera *c);
double sim_frame_period(const sim_camera *c);

/* Capture thread body; c->lock is not held on entry. */
int sim_capture_main(void *arg);
void sim_write_frame(const sim_geometry *g, void *buffer, int64_t frame);

double sim_now(void);
void sim_deadline(double t, struct timespec *ts);

#endif
