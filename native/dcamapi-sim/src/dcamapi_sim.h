/*
 * dcamapi_sim.h: the part of the DCAM-API 4 ABI that navigate (and Navigate.Plugins.Hamamatsu) uses, declared
 * from the published layout (shared/reference/dcam-abi.md), plus test hooks named dcamsim_*.
 *
 * Conventions of the real library that the simulator keeps: every function returns a DCAMERR (int32, negative on
 * failure, 1 on success); every parameter struct starts with an int32 size that must equal sizeof the struct;
 * structs are packed to 8 bytes; handles are opaque pointers.
 */
#ifndef DCAMAPI_SIM_H
#define DCAMAPI_SIM_H

#include <stdint.h>

#if defined(_WIN32)
#define DCAMSIM_API __declspec(dllexport)
#else
#define DCAMSIM_API __attribute__((visibility("default")))
#endif

typedef int32_t int32;
typedef int32 DCAMERR;

/* Opaque to callers: the simulator encodes slot and generation in the pointer value and never dereferences it. */
typedef struct tag_dcam *HDCAM;
typedef struct DCAMWAIT *HDCAMWAIT;

/* Error codes are declared in hex as the SDK does; as int32 they are negative. */
#define DCAMERR_CODE(x) ((DCAMERR)(int64_t)(x))
#define DCAMERR_SUCCESS 1
#define DCAMERR_BUSY DCAMERR_CODE(0x80000101u - 0x100000000ll)
#define DCAMERR_ABORT DCAMERR_CODE(0x80000102u - 0x100000000ll)
#define DCAMERR_NOTREADY DCAMERR_CODE(0x80000103u - 0x100000000ll)
#define DCAMERR_TIMEOUT DCAMERR_CODE(0x80000106u - 0x100000000ll)
#define DCAMERR_NOTBUSY DCAMERR_CODE(0x80000107u - 0x100000000ll)
#define DCAMERR_NOCAMERA DCAMERR_CODE(0x80000206u - 0x100000000ll)
#define DCAMERR_UNKNOWNSTRID DCAMERR_CODE(0x80000802u - 0x100000000ll)
#define DCAMERR_INVALIDCAMERA DCAMERR_CODE(0x80000806u - 0x100000000ll)
#define DCAMERR_INVALIDHANDLE DCAMERR_CODE(0x80000807u - 0x100000000ll)
#define DCAMERR_INVALIDPARAM DCAMERR_CODE(0x80000808u - 0x100000000ll)
#define DCAMERR_INVALIDVALUE DCAMERR_CODE(0x80000821u - 0x100000000ll)
#define DCAMERR_OUTOFRANGE DCAMERR_CODE(0x80000822u - 0x100000000ll)
#define DCAMERR_NOTWRITABLE DCAMERR_CODE(0x80000823u - 0x100000000ll)
#define DCAMERR_NOTREADABLE DCAMERR_CODE(0x80000824u - 0x100000000ll)
#define DCAMERR_INVALIDPROPERTYID DCAMERR_CODE(0x80000825u - 0x100000000ll)
#define DCAMERR_INVALIDSUBARRAY DCAMERR_CODE(0x8000082bu - 0x100000000ll)
#define DCAMERR_ACCESSDENY DCAMERR_CODE(0x8000082cu - 0x100000000ll)
#define DCAMERR_NOTSUPPORT DCAMERR_CODE(0x80000f03u - 0x100000000ll)
#define DCAMERR_INVALIDWAITHANDLE DCAMERR_CODE(0x84002001u - 0x100000000ll)
#define DCAMERR_ALREADYOPENED DCAMERR_CODE(0xE1000002u - 0x100000000ll)

#define DCAMWAIT_CAPEVENT_FRAMEREADY 0x0002
#define DCAMWAIT_CAPEVENT_STOPPED 0x0010
#define DCAMWAIT_TIMEOUT_INFINITE ((int32)(0x80000000u - 0x100000000ll))

#define DCAMCAP_START_SEQUENCE (-1)
#define DCAMCAP_START_SNAP 0
#define DCAMBUF_ATTACHKIND_FRAME 0

#define DCAM_IDSTR_BUS 0x04000101
#define DCAM_IDSTR_CAMERAID 0x04000102
#define DCAM_IDSTR_VENDOR 0x04000103
#define DCAM_IDSTR_MODEL 0x04000104
#define DCAM_IDSTR_CAMERAVERSION 0x04000105
#define DCAM_IDSTR_DRIVERVERSION 0x04000106
#define DCAM_IDSTR_MODULEVERSION 0x04000107
#define DCAM_IDSTR_DCAMAPIVERSION 0x04000108

#pragma pack(push, 8)

typedef struct DCAMAPI_INIT {
    int32 size;
    int32 iDeviceCount;
    int32 reserved;
    int32 initoptionbytes;
    const int32 *initoption;
    const void *guid;
} DCAMAPI_INIT;

typedef struct DCAMDEV_OPEN {
    int32 size;
    int32 index;
    HDCAM hdcam;
} DCAMDEV_OPEN;

typedef struct DCAMDEV_STRING {
    int32 size;
    int32 iString;
    char *text;
    int32 textbytes;
} DCAMDEV_STRING;

typedef struct DCAMPROP_ATTR {
    int32 cbSize;
    int32 iProp;
    int32 option;
    int32 iReserved1;
    int32 attribute;
    int32 iGroup;
    int32 iUnit;
    int32 attribute2;
    double valuemin;
    double valuemax;
    double valuestep;
    double valuedefault;
    int32 nMaxChannel;
    int32 iReserved3;
    int32 nMaxView;
    int32 iProp_NumberOfElement;
    int32 iProp_ArrayBase;
    int32 iPropStep_Element;
} DCAMPROP_ATTR;

typedef struct DCAMBUF_ATTACH {
    int32 size;
    int32 iKind;
    void **buffer;
    int32 buffercount;
} DCAMBUF_ATTACH;

typedef struct DCAMCAP_TRANSFERINFO {
    int32 size;
    int32 iKind;
    int32 nNewestFrameIndex;
    int32 nFrameCount;
} DCAMCAP_TRANSFERINFO;

typedef struct DCAMWAIT_OPEN {
    int32 size;
    int32 supportevent;
    HDCAMWAIT hwait;
    HDCAM hdcam;
} DCAMWAIT_OPEN;

typedef struct DCAMWAIT_START {
    int32 size;
    int32 eventhappened;
    int32 eventmask;
    int32 timeout;
} DCAMWAIT_START;

/* Test hook: what the simulator has seen since the process started (or since dcamsim_reset_stats). */
typedef struct DCAMSIM_STATS {
    int32 size;
    int32 initialized;     /* 1 between a successful dcamapi_init and dcamapi_uninit */
    int32 init_calls;      /* dcamapi_init calls */
    int32 uninit_calls;    /* dcamapi_uninit calls */
    int32 open_cameras;    /* HDCAMs open now */
    int32 open_waits;      /* HDCAMWAITs open now */
    int32 attached;        /* cameras with frame buffers attached now */
    int32 capturing;       /* cameras capturing now */
    int32 device_count;    /* cameras the last dcamapi_init found */
    int32 reserved;
} DCAMSIM_STATS;

#pragma pack(pop)

#ifdef __cplusplus
extern "C" {
#endif

DCAMSIM_API DCAMERR dcamapi_init(DCAMAPI_INIT *param);
DCAMSIM_API DCAMERR dcamapi_uninit(void);
DCAMSIM_API DCAMERR dcamdev_open(DCAMDEV_OPEN *param);
DCAMSIM_API DCAMERR dcamdev_close(HDCAM h);
DCAMSIM_API DCAMERR dcamdev_getstring(HDCAM h, DCAMDEV_STRING *param);

DCAMSIM_API DCAMERR dcamprop_getattr(HDCAM h, DCAMPROP_ATTR *param);
DCAMSIM_API DCAMERR dcamprop_getvalue(HDCAM h, int32 iProp, double *pValue);
DCAMSIM_API DCAMERR dcamprop_setvalue(HDCAM h, int32 iProp, double fValue);
DCAMSIM_API DCAMERR dcamprop_setgetvalue(HDCAM h, int32 iProp, double *pValue, int32 option);

DCAMSIM_API DCAMERR dcambuf_attach(HDCAM h, const DCAMBUF_ATTACH *param);
DCAMSIM_API DCAMERR dcambuf_release(HDCAM h, int32 iKind);

DCAMSIM_API DCAMERR dcamcap_start(HDCAM h, int32 mode);
DCAMSIM_API DCAMERR dcamcap_stop(HDCAM h);
DCAMSIM_API DCAMERR dcamcap_transferinfo(HDCAM h, DCAMCAP_TRANSFERINFO *param);
DCAMSIM_API DCAMERR dcamcap_firetrigger(HDCAM h, int32 iKind);

DCAMSIM_API DCAMERR dcamwait_open(DCAMWAIT_OPEN *param);
DCAMSIM_API DCAMERR dcamwait_close(HDCAMWAIT hWait);
DCAMSIM_API DCAMERR dcamwait_start(HDCAMWAIT hWait, DCAMWAIT_START *param);
DCAMSIM_API DCAMERR dcamwait_abort(HDCAMWAIT hWait);

/* ---- test hooks (not part of DCAM-API) ---- */

/* Copies the counters into *stats (stats->size must be sizeof(DCAMSIM_STATS)). */
DCAMSIM_API DCAMERR dcamsim_get_stats(DCAMSIM_STATS *stats);
/* Zeroes the call counters (init_calls, uninit_calls). */
DCAMSIM_API DCAMERR dcamsim_reset_stats(void);
/* Blocks until camera `index` has captured at least `count` frames in its current sequence; TIMEOUT otherwise. */
DCAMSIM_API DCAMERR dcamsim_wait_captured(int32 index, int64_t count, int32 timeout_ms);
/* Makes the next call of `function` (e.g. "dcamcap_start") fail with `err`; a null function clears it. */
DCAMSIM_API DCAMERR dcamsim_fail_next(const char *function, int32 err);
/* offsetof(struct, field) as this compiler lays it out; field -1 gives sizeof(struct). Structs are numbered
   0 DCAMAPI_INIT, 1 DCAMDEV_OPEN, 2 DCAMDEV_STRING, 3 DCAMPROP_ATTR, 4 DCAMBUF_ATTACH, 5 DCAMCAP_TRANSFERINFO,
   6 DCAMWAIT_OPEN, 7 DCAMWAIT_START; fields in declaration order. -1 when out of range. */
DCAMSIM_API int32 dcamsim_layout(int32 structure, int32 field);

#ifdef __cplusplus
}
#endif

#endif
