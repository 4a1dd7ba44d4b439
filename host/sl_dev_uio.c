/* sl_dev_uio.c — the board backend: the core's AXI4-Lite window and an AXI4-Stream FIFO
 * (Xilinx axi_fifo_mm_s, AXI4-Lite data interface) mapped through Linux UIO.
 *
 *   uio:/dev/uioN[,fifo=/dev/uioM]
 * map0 of uioN is the core's 2 MiB register window; the FIFO is map1 of uioN or map0 of
 * uioM. Event words go out through the FIFO's transmit side (one packet per step), spike
 * words come back through its receive side (the core's spike stream with TLAST tied high,
 * so every word is one packet). A slave error on the bus raises SIGBUS in the mapping
 * process; it is caught around each access and reported as a bus error. docs/board.md has
 * the block design and the device-tree fragment. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "sl_dev_backend.h"

/* axi_fifo_mm_s registers (PG080). */
#define FIFO_ISR 0x00u
#define FIFO_TDFR 0x08u
#define FIFO_TDFV 0x0Cu
#define FIFO_TDFD 0x10u
#define FIFO_TLR 0x14u
#define FIFO_RDFR 0x18u
#define FIFO_RDFO 0x1Cu
#define FIFO_RDFD 0x20u
#define FIFO_RLR 0x24u
#define FIFO_RESET_KEY 0xA5u

typedef struct {
  int fd, fifo_fd;
  volatile uint32_t *regs, *fifo;
  size_t regs_len, fifo_len;
} uio_ctx;

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t in_access;
static void on_sigbus(int sig) {
  if (in_access) siglongjmp(bus_jmp, 1);
  signal(sig, SIG_DFL);
  raise(sig);
}

static size_t map_size(const char *dev, int map) {
  char path[256], buf[64];
  const char *name = strrchr(dev, '/');
  snprintf(path, sizeof path, "/sys/class/uio/%s/maps/map%d/size", name ? name + 1 : dev, map);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t sz = 0;
  if (fgets(buf, sizeof buf, f)) sz = (size_t)strtoull(buf, NULL, 0);
  fclose(f);
  return sz;
}

static volatile uint32_t *map(int fd, int index, size_t len) {
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)index * sysconf(_SC_PAGESIZE));
  return p == MAP_FAILED ? NULL : p;
}

static int uio_read32(void *c, uint32_t addr, uint32_t *v) {
  uio_ctx *u = c;
  if (addr + 4 > u->regs_len) return SL_BUS_SLVERR;
  in_access = 1;
  if (sigsetjmp(bus_jmp, 1)) {
    in_access = 0;
    return SL_BUS_SLVERR;
  }
  *v = u->regs[addr / 4];
  in_access = 0;
  return SL_BUS_OK;
}

static int uio_write32(void *c, uint32_t addr, uint32_t v) {
  uio_ctx *u = c;
  if (addr + 4 > u->regs_len) return SL_BUS_SLVERR;
  in_access = 1;
  if (sigsetjmp(bus_jmp, 1)) {
    in_access = 0;
    return SL_BUS_SLVERR;
  }
  u->regs[addr / 4] = v;
  __sync_synchronize();
  in_access = 0;
  return SL_BUS_OK;
}

static int uio_xfer(void *c, const uint32_t *in, uint32_t n_in, uint32_t *taken, uint32_t *out, uint32_t max_out,
                    uint32_t *got) {
  uio_ctx *u = c;
  volatile uint32_t *f = u->fifo;
  *taken = *got = 0;
  in_access = 1;
  if (sigsetjmp(bus_jmp, 1)) {
    in_access = 0;
    return SL_BUS_TIMEOUT;
  }
  uint32_t room = f[FIFO_TDFV / 4], n = n_in < room ? n_in : room;
  for (uint32_t i = 0; i < n; i++) f[FIFO_TDFD / 4] = in[i];
  if (n) f[FIFO_TLR / 4] = 4 * n; /* send them as one packet */
  *taken = n;
  while (*got < max_out && f[FIFO_RDFO / 4]) {
    uint32_t len = f[FIFO_RLR / 4] & 0x7FFFFFu;
    for (uint32_t b = 0; b < len; b += 4) {
      uint32_t w = f[FIFO_RDFD / 4];
      if (*got < max_out) out[(*got)++] = w;
    }
  }
  in_access = 0;
  if (!*taken && !*got) {
    const struct timespec pause = {0, 10000};
    nanosleep(&pause, NULL);
  }
  return SL_BUS_OK;
}

static uint64_t uio_cycles(void *c) {
  uint32_t lo = 0, hi = 0;
  if (uio_read32(c, 0x040, &lo) || uio_read32(c, 0x044, &hi)) return 0;
  return (uint64_t)hi << 32 | lo;
}

static void uio_reset(void *c) {
  uio_ctx *u = c;
  u->fifo[FIFO_TDFR / 4] = FIFO_RESET_KEY;
  u->fifo[FIFO_RDFR / 4] = FIFO_RESET_KEY;
  u->fifo[FIFO_ISR / 4] = 0xFFFFFFFFu;
  /* The core has no reset register: disable it and clear its state and counters. */
  uio_write32(c, 0x010, 0x2u | 0x8u);
}

static void uio_close(void *c) {
  uio_ctx *u = c;
  if (!u) return;
  if (u->regs) munmap((void *)u->regs, u->regs_len);
  if (u->fifo && u->fifo_fd != u->fd) munmap((void *)u->fifo, u->fifo_len);
  if (u->fifo_fd >= 0 && u->fifo_fd != u->fd) close(u->fifo_fd);
  if (u->fd >= 0) close(u->fd);
  free(u);
}

static const sl_dev_ops uio_ops = {"uio", uio_read32, uio_write32, uio_xfer, uio_cycles, uio_reset, uio_close};

sl_status sl_dev_uio_open(const char *args, const sl_dev_ops **ops, void **ctx, sl_err *err) {
  char dev[200] = "", fifo_dev[200] = "";
  const char *comma = strchr(args, ',');
  snprintf(dev, sizeof dev, "%.*s", comma ? (int)(comma - args) : (int)strlen(args), args);
  if (comma && !strncmp(comma + 1, "fifo=", 5)) snprintf(fifo_dev, sizeof fifo_dev, "%s", comma + 6);
  uio_ctx *u = calloc(1, sizeof *u);
  if (!u) return sl_err_set(err, SL_ERR_NOMEM, "uio:%s: out of memory", args);
  u->fd = u->fifo_fd = -1;
  u->fd = open(dev, O_RDWR | O_SYNC);
  if (u->fd < 0) {
    sl_status s = sl_err_set(err, SL_ERR_IO, "uio:%s: cannot open: %s", dev, strerror(errno));
    uio_close(u);
    return s;
  }
  u->regs_len = map_size(dev, 0);
  if (u->regs_len < 0x100) u->regs_len = 0x200000;
  u->regs = map(u->fd, 0, u->regs_len);
  if (fifo_dev[0]) {
    u->fifo_fd = open(fifo_dev, O_RDWR | O_SYNC);
    u->fifo_len = map_size(fifo_dev, 0);
    if (u->fifo_fd >= 0) u->fifo = map(u->fifo_fd, 0, u->fifo_len ? u->fifo_len : 0x1000);
  } else {
    u->fifo_fd = u->fd;
    u->fifo_len = map_size(dev, 1);
    u->fifo = map(u->fd, 1, u->fifo_len ? u->fifo_len : 0x1000);
  }
  if (!u->regs || !u->fifo) {
    sl_status s = sl_err_set(err, SL_ERR_IO, "uio:%s: cannot map the register window and the stream FIFO: %s", args,
                             strerror(errno));
    uio_close(u);
    return s;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigbus;
  sigaction(SIGBUS, &sa, NULL);
  *ops = &uio_ops;
  *ctx = u;
  return SL_OK;
}
