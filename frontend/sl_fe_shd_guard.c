/* sl_fe_shd_guard.c — reading an SHD file without trusting libhdf5 (docs/decisions.md,
 * "SHD files are read in a child process"). The read runs in a forked child with a CPU-time
 * and an address-space limit; the parent waits with a wall-clock deadline (and kills the
 * child when it passes), receives the arrays over a pipe and checks every one of them
 * (sl_fe_shd_check) before the caller sees them. A crash, hang or runaway allocation inside
 * libhdf5 becomes a one-line error naming the file. The parent's decoding of the reply also
 * runs on bytes in memory (sl_fe_shd_decode_reply), so that it can be tested and fuzzed
 * without a child. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sl_fe_shd.h"
#include "sl_fe_shd_hdf5.h"

/* AddressSanitizer reserves terabytes of address space for its shadow memory, so an
 * RLIMIT_AS in the child would make every allocation fail: sanitizer builds keep the time
 * limit and leave memory to ASan's own allocator checks. */
#if defined(__SANITIZE_ADDRESS__)
#define SL_GUARD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SL_GUARD_ASAN 1
#endif
#endif
#ifndef SL_GUARD_ASAN
#define SL_GUARD_ASAN 0
#endif

/* What the child sends first; the arrays of sl_fe_shd follow when code is SL_OK:
 * off[n + 1] (uint64), times[total] (float), units[total], label[n], speaker[n] (uint16). */
typedef struct {
  char magic[8];    /* "SLSHDG1" */
  int32_t code;     /* sl_status of the child's read */
  uint32_t n;
  uint64_t total;
  char msg[sizeof(((sl_err *)0)->msg)];
} wire_head;
static const char wire_magic[8] = "SLSHDG1";

void sl_fe_shd_limits_default(const char *path, sl_fe_shd_limits *l) {
  struct stat sb;
  double size = stat(path, &sb) == 0 && sb.st_size > 0 ? (double)sb.st_size : 0.0;
  l->timeout_s = 3.0 + size / (8.0 * 1024 * 1024);        /* 3 s + 1 s per 8 MiB */
  l->mem_bytes = (uint64_t)(256.0 * 1024 * 1024 + 16.0 * size); /* 256 MiB + 16 x the file */
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Address space the process already has (inherited from the parent), bytes; 0 if unknown. */
static uint64_t vm_now(void) {
  unsigned long long pages = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (fscanf(f, "%llu", &pages) != 1) pages = 0;
  fclose(f);
  return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

static int write_all(int fd, const void *p, size_t len) {
  const char *c = p;
  while (len) {
    ssize_t k = write(fd, c, len);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return 0;
    c += k, len -= (size_t)k;
  }
  return 1;
}

/* The child: limits, quiet, read with libhdf5, send, _exit (no atexit handlers, no stdio
 * flush of the parent's buffers). */
/* In sanitizer builds (and under libFuzzer) a report calls the runtime's death callback;
 * libFuzzer's saves the current input as a crash of the fuzzer itself. The child clears it:
 * its crash is reported by the parent, as any other. Weak: absent without a sanitizer. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static void child(int fd, const char *path, const sl_fe_shd_limits *lim) {
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(NULL);
  /* default dispositions: a crash ends the child with its signal instead of running a
   * handler inherited from the parent (a sanitizer's or a fuzzer's) */
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGXCPU, SIGALRM, SIGPIPE};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) signal(sigs[i], SIG_DFL);
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, 1), dup2(null, 2); /* libhdf5's and sanitizers' reports */
  struct rlimit r = {0, 0};
  setrlimit(RLIMIT_CORE, &r); /* no core file left behind */
  r.rlim_cur = (rlim_t)ceil(lim->timeout_s) + 1;
  r.rlim_max = r.rlim_cur + 1;
  setrlimit(RLIMIT_CPU, &r);
  uint64_t vm = vm_now();
  if (!SL_GUARD_ASAN && lim->mem_bytes && vm) {
    r.rlim_cur = r.rlim_max = (rlim_t)(vm + lim->mem_bytes);
    setrlimit(RLIMIT_AS, &r);
  }
  sl_fe_shd s;
  sl_err e;
  sl_err_clear(&e);
  wire_head h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, wire_magic, sizeof h.magic);
  h.code = (int32_t)sl_fe_shd_read_hdf5(path, &s, &e);
  memcpy(h.msg, e.msg, sizeof h.msg);
  if (h.code == SL_OK) h.n = s.n, h.total = s.off[s.n];
  int ok = write_all(fd, &h, sizeof h);
  if (ok && h.code == SL_OK)
    ok = write_all(fd, s.off, sizeof *s.off * ((size_t)s.n + 1)) &&
         write_all(fd, s.times, sizeof *s.times * h.total) &&
         write_all(fd, s.units, sizeof *s.units * h.total) &&
         write_all(fd, s.label, sizeof *s.label * s.n) &&
         write_all(fd, s.speaker, sizeof *s.speaker * s.n);
  _exit(ok ? 0 : 3);
}

enum { GOT, ENDED, LATE };
/* Read exactly len bytes before the deadline: GOT, ENDED (the child closed the pipe early)
 * or LATE. */
static int read_all(int fd, void *p, size_t len, double deadline) {
  char *c = p;
  while (len) {
    double left = deadline - now_s();
    if (left <= 0) return LATE;
    struct pollfd pf = {fd, POLLIN, 0};
    int k = poll(&pf, 1, (int)ceil(left * 1000.0));
    if (k < 0 && errno == EINTR) continue;
    if (k == 0) return LATE;
    if (k < 0) return ENDED;
    ssize_t got = read(fd, c, len);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return ENDED;
    c += got, len -= (size_t)got;
  }
  return GOT;
}

/* Wait for the child until the deadline, then kill it. Returns 1 if it ended by itself. */
static int reap(pid_t pid, double deadline, int *status) {
  for (;;) {
    pid_t w = waitpid(pid, status, WNOHANG);
    if (w == pid) return 1;
    if (w < 0 && errno != EINTR) {
      *status = 0;
      return 1;
    }
    if (now_s() >= deadline) {
      kill(pid, SIGKILL);
      while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
      }
      return 0;
    }
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
  }
}

/* Where the parent reads the child's reply from: the pipe, until the deadline, or (mem not
 * NULL: sl_fe_shd_decode_reply, for tests and fuzzing) bytes in memory. */
typedef struct {
  int fd;
  double deadline;
  const unsigned char *mem;
  size_t len, pos;
} wire_src;

static int wire_get(wire_src *w, void *p, size_t len) {
  if (!w->mem) return read_all(w->fd, p, len, w->deadline);
  if (len > w->len - w->pos) {
    w->pos = w->len;
    return ENDED;
  }
  if (len) memcpy(p, w->mem + w->pos, len);
  w->pos += len;
  return GOT;
}

/* The parent's first half: the reply's head, its sizes bounded before anything is
 * allocated, then the arrays. *r gets GOT, ENDED or LATE; the return value is set (with err)
 * only when the parent refuses the sizes itself. */
static sl_status receive(wire_src *w, const char *path, const sl_fe_shd_limits *lim, wire_head *h, int *r,
                         sl_fe_shd *s, sl_err *err) {
  const double mib = (double)lim->mem_bytes / (1024.0 * 1024.0);
  sl_status st = SL_OK;
  *r = wire_get(w, h, sizeof *h);
  if (*r == GOT && (memcmp(h->magic, wire_magic, sizeof h->magic) || h->code < 0 || h->code >= SL_ERR_COUNT_))
    *r = ENDED;
  if (*r == GOT && h->code == SL_OK) {
    /* the sizes come from the file: bound them before allocating */
    double bytes = 8.0 * ((double)h->n + 1) + 6.0 * (double)h->total + 4.0 * (double)h->n;
    if (h->n > 0x7fffffffu || (lim->mem_bytes && bytes > (double)lim->mem_bytes))
      st = sl_err_set(err, SL_ERR_NOMEM, "%s: memory limit (%.3g MiB) reached: %u samples, %llu spikes",
                      path, mib, h->n, (unsigned long long)h->total);
    else if (sl_fe_shd_alloc(s, h->n, h->total, NULL) != SL_OK)
      st = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory for %u samples, %llu spikes", path, h->n,
                      (unsigned long long)h->total);
    else {
      if ((*r = wire_get(w, s->off, sizeof *s->off * ((size_t)h->n + 1))) == GOT &&
          (*r = wire_get(w, s->times, sizeof *s->times * h->total)) == GOT &&
          (*r = wire_get(w, s->units, sizeof *s->units * h->total)) == GOT &&
          (*r = wire_get(w, s->label, sizeof *s->label * h->n)) == GOT)
        *r = wire_get(w, s->speaker, sizeof *s->speaker * h->n);
    }
  }
  return st;
}

/* The parent's second half: the verdict on the reply (st, r from receive) and on how the
 * child ended (ended: by itself, before the deadline; ws: its wait status). On any error
 * the arrays are freed. */
static sl_status judge(const char *path, const sl_fe_shd_limits *lim, sl_status st, int r, int ended, int ws,
                       wire_head *h, sl_fe_shd *s, sl_err *err) {
  const double mib = (double)lim->mem_bytes / (1024.0 * 1024.0);
  if (st != SL_OK) {
    /* refused above, err is set */
  } else if (r == LATE || !ended || (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGXCPU)) {
    st = sl_err_set(err, SL_ERR_TIMEOUT, "%s: timed out after %.3g s reading it with libhdf5 (damaged or hostile file?)",
                    path, lim->timeout_s);
  } else if (WIFSIGNALED(ws)) {
    st = sl_err_set(err, SL_ERR_PARSE, "%s: libhdf5 crashed reading it (signal %d, %s); the file is damaged or hostile",
                    path, WTERMSIG(ws), strsignal(WTERMSIG(ws)));
  } else if (r != GOT || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
    /* a sanitizer's report ends the child with an exit status, not a signal */
    st = sl_err_set(err, SL_ERR_PARSE, "%s: libhdf5 crashed reading it (exit status %d); the file is damaged or hostile",
                    path, WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
  } else if (h->code == SL_ERR_NOMEM) {
    st = sl_err_set(err, SL_ERR_NOMEM, "%s: memory limit (%.3g MiB) reached reading it with libhdf5", path, mib);
  } else if (h->code != SL_OK) {
    /* the child's own message: one printable line that names the file */
    h->msg[sizeof h->msg - 1] = '\0';
    for (char *c = h->msg; *c; c++)
      if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = ' ';
    const size_t pl = strlen(path);
    if (strncmp(h->msg, path, pl) == 0 && h->msg[pl] == ':' && h->msg[pl + 1] == ' ')
      st = sl_err_set(err, (sl_status)h->code, "%s", h->msg);
    else
      st = sl_err_set(err, (sl_status)h->code, "%s: %s", path, h->msg);
  } else if (s->off[0] != 0 || s->off[s->n] != h->total) {
    st = sl_err_set(err, SL_ERR_PARSE, "%s: libhdf5 returned inconsistent spike counts", path);
  } else {
    st = sl_fe_shd_check(path, s, err);
  }
  if (st != SL_OK) sl_fe_shd_free(s);
  return st;
}

sl_status sl_fe_shd_read_limited(const char *path, sl_fe_shd *s, const sl_fe_shd_limits *lim,
                                 sl_err *err) {
  memset(s, 0, sizeof *s);
  if (access(path, R_OK) != 0) return sl_err_set(err, SL_ERR_IO, "%s: cannot open", path);
  int fds[2];
  if (pipe(fds) != 0)
    return sl_err_set(err, SL_ERR_IO, "%s: cannot make a pipe for the reader process (%s)", path,
                      strerror(errno));
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]), close(fds[1]);
    return sl_err_set(err, SL_ERR_IO, "%s: cannot start the reader process (%s)", path, strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    child(fds[1], path, lim);
  }
  close(fds[1]);
  const double deadline = now_s() + lim->timeout_s;
  wire_src w = {fds[0], deadline, NULL, 0, 0};
  wire_head h;
  int r;
  sl_status st = receive(&w, path, lim, &h, &r, s, err);
  close(fds[0]);
  int ws = 0;
  /* our own refusal above does not wait for the child */
  int ended = reap(pid, st != SL_OK || r == LATE ? 0.0 : deadline, &ws);
  return judge(path, lim, st, r, ended, ws, &h, s, err);
}

sl_status sl_fe_shd_decode_reply(const char *path, const void *reply, size_t len, int wait_status,
                                 const sl_fe_shd_limits *lim, sl_fe_shd *s, sl_err *err) {
  memset(s, 0, sizeof *s);
  wire_src w = {-1, 0.0, reply, len, 0};
  wire_head h;
  int r;
  sl_status st = receive(&w, path, lim, &h, &r, s, err);
  return judge(path, lim, st, r, 1, wait_status, &h, s, err);
}

sl_status sl_fe_shd_read(const char *path, sl_fe_shd *s, sl_err *err) {
  sl_fe_shd_limits lim;
  sl_fe_shd_limits_default(path, &lim);
  return sl_fe_shd_read_limited(path, s, &lim, err);
}

sl_status sl_fe_shd_check(const char *path, const sl_fe_shd *s, sl_err *err) {
  if (s->off[0] != 0) return sl_err_set(err, SL_ERR_RANGE, "%s: spike offsets do not start at 0", path);
  /* every offset first: the arrays hold off[n] spikes, and only non-decreasing offsets keep
   * each sample's range inside them (a later decrease would come too late for the walk) */
  for (uint32_t i = 0; i < s->n; i++)
    if (s->off[i + 1] < s->off[i])
      return sl_err_set(err, SL_ERR_RANGE, "%s: sample %u: spike offsets decrease", path, i);
  for (uint32_t i = 0; i < s->n; i++) {
    if (s->label[i] >= SL_FE_SHD_CLASSES)
      return sl_err_set(err, SL_ERR_RANGE, "%s: sample %u: label %u; SHD has %d classes (0..%d)", path, i,
                        s->label[i], SL_FE_SHD_CLASSES, SL_FE_SHD_CLASSES - 1);
    for (uint64_t k = s->off[i]; k < s->off[i + 1]; k++) {
      float t = s->times[k];
      if (s->units[k] >= SL_FE_SHD_UNITS)
        return sl_err_set(err, SL_ERR_RANGE, "%s: sample %u: unit %u; SHD has %d units (0..%d)", path, i,
                          s->units[k], SL_FE_SHD_UNITS, SL_FE_SHD_UNITS - 1);
      if (!isfinite(t) || t < 0.0f)
        return sl_err_set(err, SL_ERR_RANGE, "%s: sample %u: spike time %g s (must be finite and >= 0)", path, i,
                          (double)t);
      if (k > s->off[i] && t < s->times[k - 1])
        return sl_err_set(err, SL_ERR_RANGE, "%s: sample %u: spike times decrease (%.6g s after %.6g s)", path,
                          i, (double)t, (double)s->times[k - 1]);
    }
  }
  return SL_OK;
}
