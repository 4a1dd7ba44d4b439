/* sl_atomic.c — temp-file-then-rename output (see sl_atomic.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sl_atomic.h"

sl_status sl_afile_open(sl_afile *a, const char *path, sl_err *err) {
  memset(a, 0, sizeof *a);
  if (strlen(path) >= sizeof a->path) return sl_err_set(err, SL_ERR_ARG, "%s: path too long", path);
  strcpy(a->path, path);
  snprintf(a->tmp, sizeof a->tmp, "%s.tmp.XXXXXX", path);
  int fd = mkstemp(a->tmp);
  if (fd < 0) {
    a->tmp[0] = '\0';
    return sl_err_set(err, SL_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
  }
  /* mkstemp creates 0600; an output gets the mode open(O_CREAT, 0666) would give it */
  const mode_t mask = umask(022);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) {
    const int e = errno;
    close(fd);
    unlink(a->tmp);
    a->tmp[0] = '\0';
    return sl_err_set(err, SL_ERR_IO, "%s: cannot set the mode: %s", path, strerror(e));
  }
  a->f = fdopen(fd, "wb");
  if (!a->f) {
    close(fd);
    unlink(a->tmp);
    a->tmp[0] = '\0';
    return sl_err_set(err, SL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  }
  return SL_OK;
}

sl_status sl_afile_commit(sl_afile *a, sl_err *err) {
  int bad = ferror(a->f) || fflush(a->f) != 0 || fsync(fileno(a->f)) != 0;
  int e = errno;
  if (fclose(a->f) != 0) bad = 1;
  a->f = NULL;
  if (!bad && rename(a->tmp, a->path) == 0) {
    a->tmp[0] = '\0';
    return SL_OK;
  }
  if (!bad) e = errno;
  unlink(a->tmp);
  a->tmp[0] = '\0';
  return sl_err_set(err, SL_ERR_IO, "%s: cannot write: %s", a->path, strerror(e));
}

void sl_afile_abort(sl_afile *a) {
  if (a->f) fclose(a->f);
  a->f = NULL;
  if (a->tmp[0]) unlink(a->tmp);
  a->tmp[0] = '\0';
}

sl_status sl_write_file_atomic(const char *path, const void *data, size_t len, sl_err *err) {
  sl_afile a;
  sl_status s = sl_afile_open(&a, path, err);
  if (s) return s;
  if (fwrite(data, 1, len, a.f) != len) {
    sl_afile_abort(&a);
    return sl_err_set(err, SL_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
  }
  return sl_afile_commit(&a, err);
}
