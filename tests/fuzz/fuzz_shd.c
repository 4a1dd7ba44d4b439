/* fuzz_shd.c — libFuzzer target: arbitrary bytes as an SHD (.h5) file through the guarded
 * reader (sl_fe_shd_read_limited: libhdf5 in a forked child with a 1 s time limit, the
 * arrays checked again in this process), from a temporary file. libhdf5 may crash or hang in the child — that is
 * what the guard is for and is reported as an error; this process must never crash, and an
 * accepted file must pass sl_fe_shd_check again and bin without error. A refusal must be
 * one line naming the file. Coverage comes from this process only (the child's counters die
 * with it). A child's allocation above libFuzzer's -malloc_limit_mb may leave an oom-
 * artifact from the child; this process carries on. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sl_fe_shd.h"

/* a named file: libhdf5 resolves the real path, so a memfd's /proc/self/fd link fails */
static char path[1024];
static void remove_file(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int fd = -1;
  if (fd < 0) {
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/fuzz-shd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) abort();
    atexit(remove_file);
  }
  if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) abort();
  const sl_fe_shd_limits lim = {1.0, 256u << 20};
  sl_fe_shd s;
  sl_err err;
  sl_err_clear(&err);
  if (sl_fe_shd_read_limited(path, &s, &lim, &err) == SL_OK) {
    if (sl_fe_shd_check(path, &s, &err) != SL_OK) abort();
    static float out[80 * 140];
    for (uint32_t i = 0; i < s.n; i++)
      if (sl_fe_shd_bin(&s, i, 0.01, 80, SL_FE_SHD_UNITS, 5, out, NULL, &err) != SL_OK) abort();
    sl_fe_shd_free(&s);
  } else if (strncmp(err.msg, path, strlen(path)) != 0 || strchr(err.msg, '\n')) {
    abort();
  }
  return 0;
}
