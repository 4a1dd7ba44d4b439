/* sl_fe_shd.h — Spiking Heidelberg Digits (SHD) files: the real HDF5 layout (ragged float16
 * spikes/times in seconds, uint16 spikes/units 0..699, labels 0..19, extra/speaker), a
 * guarded reader (libhdf5 runs in a limited child process), a writer of the same layout,
 * and binning to dt steps with optional channel pooling. */
#ifndef SL_FE_SHD_H
#define SL_FE_SHD_H

#include <stddef.h>
#include <stdint.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_FE_SHD_UNITS 700
#define SL_FE_SHD_CLASSES 20

typedef struct {
  uint32_t n;          /* samples */
  uint64_t *off;       /* [n + 1]: sample i's spikes are [off[i], off[i+1]) */
  float *times;        /* [off[n]] seconds (float16 in the file) */
  uint16_t *units;     /* [off[n]] */
  uint16_t *label;     /* [n] */
  uint16_t *speaker;   /* [n] */
} sl_fe_shd;

/* Allocate for n samples and total spikes (zeroed; off all 0). */
sl_status sl_fe_shd_alloc(sl_fe_shd *s, uint32_t n, uint64_t total, sl_err *err);
void sl_fe_shd_free(sl_fe_shd *s);
/* Limits of the child process that reads an SHD file with libhdf5. */
typedef struct {
  double timeout_s;    /* wall clock (and, rounded up + 1 s, CPU time); the child is killed after */
  uint64_t mem_bytes;  /* address space the child may add (RLIMIT_AS; not in ASan builds); 0: none */
} sl_fe_shd_limits;
/* The defaults for a file: 3 s + 1 s per 8 MiB, 256 MiB + 16 x its size. */
void sl_fe_shd_limits_default(const char *path, sl_fe_shd_limits *l);

/* Read an SHD file (the default limits). libhdf5 runs in a forked child process; the parent
 * gets the arrays over a pipe and checks them (sl_fe_shd_check). Errors name the file and
 * the problem: a missing or malformed dataset, a value out of range, or libhdf5 crashing,
 * running past the time limit or the memory limit (the child is killed). */
sl_status sl_fe_shd_read(const char *path, sl_fe_shd *s, sl_err *err);
sl_status sl_fe_shd_read_limited(const char *path, sl_fe_shd *s, const sl_fe_shd_limits *lim,
                                 sl_err *err);
/* The parent's half of sl_fe_shd_read_limited on a reply held in memory: `reply` as the
 * bytes the child sent over the pipe (a head with the child's status and the sizes, then the
 * arrays), `wait_status` as waitpid's status of the child (0: it exited with status 0). The
 * same decoding, bounds, verdicts and checks as a real read; for tests and fuzzing. */
sl_status sl_fe_shd_decode_reply(const char *path, const void *reply, size_t len, int wait_status,
                                 const sl_fe_shd_limits *lim, sl_fe_shd *s, sl_err *err);
/* Check what a reader returned: offsets from 0 and non-decreasing, labels < 20, units
 * < 700, spike times finite, >= 0 and non-decreasing within each sample. */
sl_status sl_fe_shd_check(const char *path, const sl_fe_shd *s, sl_err *err);
/* Write the SHD layout atomically; times are stored as IEEE half floats (rounded). Also
 * writes extra/keys (the 20 class names). */
sl_status sl_fe_shd_write(const char *path, const sl_fe_shd *s, sl_err *err);

/* Bin sample i: out[n_steps][ceil(n_units / pool)] (overwritten) gets the number of spikes
 * of unit u at time t in step floor(t / dt), channel u / pool; spikes at or after
 * n_steps * dt are dropped (*dropped counts them, may be NULL). A unit >= n_units is an
 * error. The DCLS recipe: dt 0.01, n_units 700, pool 5 -> 140 channels. */
sl_status sl_fe_shd_bin(const sl_fe_shd *s, uint32_t i, double dt, uint32_t n_steps,
                        uint32_t n_units, uint32_t pool, float *out, uint64_t *dropped,
                        sl_err *err);

/* IEEE 754 binary16 conversions (round to nearest even), as the file stores times. */
uint16_t sl_fe_half_from_float(float f);
float sl_fe_half_to_float(uint16_t h);

#ifdef __cplusplus
}
#endif
#endif
