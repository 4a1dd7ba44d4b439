/* sl_atomic.h — output files that appear whole or not at all: write to a temporary file in
 * the same directory, then rename over the destination. An aborted write leaves nothing. */
#ifndef SL_ATOMIC_H
#define SL_ATOMIC_H
#include <stdio.h>
#include "sl_status.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  FILE *f;          /* write here */
  char path[1024];  /* final name */
  char tmp[1040];   /* temporary name */
} sl_afile;

/* Create "<path>.tmp.XXXXXX" and open it for writing. */
sl_status sl_afile_open(sl_afile *a, const char *path, sl_err *err);
/* Flush, fsync, close and rename onto the final path. On failure the temp file is removed. */
sl_status sl_afile_commit(sl_afile *a, sl_err *err);
/* Close and remove the temporary file (safe to call after a failed open or a commit). */
void sl_afile_abort(sl_afile *a);
/* Whole-buffer convenience. */
sl_status sl_write_file_atomic(const char *path, const void *data, size_t len, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
