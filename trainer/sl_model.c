/* sl_model.c — the trainer's model: configuration, parameters (one allocation), kernels,
 * the batch loop (OpenMP over samples), Adam, DEEP R + RigL rewiring and checkpoints. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "sl_atomic.h"
#include "sl_crc32.h"
#include "sl_image.h"
#include "sl_parse.h"
#include "sl_train.h"

/* ------------------------------------------------------------------ configuration */

void sl_train_cfg_default(sl_train_cfg *c) {
  memset(c, 0, sizeof *c);
  c->n_in = 40;
  c->n_hid = 256;
  c->n_layers = 1;
  c->n_out = 20;
  c->steps = 80;
  c->taps = 25;
  c->batch = 256;
  c->epochs = 150;
  c->qat_epochs = 10;
  c->tau = 10.05f;
  c->tau_out = 10.05f;
  c->surr_alpha = 5.0f;
  c->dropout = 0.4f;
  c->in_scale = 1.584f / 255.0f;
  c->init_gain = 1.0f;
  c->delay_mode = SL_DELAY_DCLS;
  c->sigma_start = 0; /* 0 = taps / 2 */
  c->sigma_end = 0.23f;
  c->sigma_add = 0.27f;
  c->sigma_frac = 0.25f;
  c->kernel_radius = 3.0f;
  c->dcls_kernel = SL_KERNEL_INTERP; /* as accurate as gauss here, cost independent of sigma */
  c->deepr = 0;
  c->n_cand = 1;
  c->dale = 1;
  c->regrow_random = 0;
  c->rewire = 1;
  c->row_cap = 0; /* 0 = the smallest power of two that holds a dense row */
  c->sparsity = 0;
  c->regrow_init = 1e-4f;
  c->regrow_every = 1;
  c->lr_w = 5e-3f;
  c->lr_w_div = 5.0f;
  c->lr_w_final_div = 1e3f;
  c->lr_w_pct = 0.3f;
  c->lr_pos = 0.1f;
  c->lr_qat = 3e-4f;
  c->qat_membrane = 20.0f; /* align the readout with the hardware decision (docs/trainer.md) */
  c->qat_readout_only = 1;
  c->membrane = 0.0f;
  c->l1 = 0.0f;
  c->adam_b1 = 0.9f;
  c->adam_b2 = 0.999f;
  c->adam_eps = 1e-8f;
  c->seed = 1;
}

typedef struct {
  const char *key;
  char type; /* i int32, f float, u uint64, d delay mode, k DCLS kernel */
  size_t off;
  int64_t lo, hi; /* 'i': the range accepted (checked in 64 bits, before the value is stored) */
  const char *help;
} cfg_field;

#define SL_MAX_EPOCHS 1000000
#define SL_MAX_BATCH 65536
#define F(k, t, m, h) {k, t, offsetof(sl_train_cfg, m), 0, 0, h}
#define I(k, m, lo, hi, h) {k, 'i', offsetof(sl_train_cfg, m), lo, hi, h}
static const cfg_field fields[] = {
    I("inputs", n_in, 1, 1024, "input channels"),
    I("hidden", n_hid, 1, 1024, "LIF neurons per hidden layer"),
    I("layers", n_layers, 1, SL_TRAIN_MAX_LAYERS, "hidden layers"),
    I("classes", n_out, 2, 256, "readout neurons"),
    I("steps", steps, 2, 65535, "timesteps per sample"),
    I("taps", taps, 1, SL_TRAIN_MAX_TAPS, "delay range 0..taps-1 (<= 32)"),
    I("batch", batch, 1, SL_MAX_BATCH, "samples per optimiser step"),
    I("epochs", epochs, 0, SL_MAX_EPOCHS, "epochs of the main phase"),
    I("qat-epochs", qat_epochs, 0, SL_MAX_EPOCHS, "quantisation-aware fine-tuning epochs"),
    F("tau", 'f', tau, "hidden membrane time constant (steps)"),
    F("tau-out", 'f', tau_out, "readout time constant (steps)"),
    F("surr-alpha", 'f', surr_alpha, "arctan surrogate steepness"),
    F("dropout", 'f', dropout, "dropout on hidden spikes"),
    F("in-scale", 'f', in_scale, "feature value of payload 1"),
    F("init-gain", 'f', init_gain, "multiplier of the Kaiming-uniform bound"),
    F("delays", 'd', delay_mode, "none | fixed | dcls"),
    F("sigma-start", 'f', sigma_start, "DCLS initial sigma (0 = taps/2)"),
    F("sigma-end", 'f', sigma_end, "DCLS final annealed sigma"),
    F("sigma-add", 'f', sigma_add, "DCLS constant added to sigma"),
    F("sigma-frac", 'f', sigma_frac, "fraction of epochs over which sigma anneals"),
    F("kernel-radius", 'f', kernel_radius, "DCLS kernel truncation (in sigmas)"),
    F("dcls-kernel", 'k', dcls_kernel, "DCLS kernel: gauss | interp (two Gaussians)"),
    F("ste-frac", 'f', ste_frac, "DCLS: final fraction of epochs with rounded delays (straight-through)"),
    I("deepr", deepr, 0, 1, "1 = DEEP R + RigL structure learning"),
    I("candidates", n_cand, 1, SL_TRAIN_MAX_TAPS, "candidate delays per pre/post pair (DEEP R)"),
    I("dale", dale, 0, 1, "1 = sign per presynaptic neuron, 0 = per synapse"),
    I("regrow-random", regrow_random, 0, 1, "1 = random regrowth instead of RigL"),
    I("rewire", rewire, 0, 1, "0 = keep the initial sparse mask (baseline)"),
    I("row-cap", row_cap, 0, 1024, "hardware row capacity (0 = auto)"),
    F("sparsity", 'f', sparsity, "fraction of dense pairs pruned (DEEP R)"),
    F("regrow-init", 'f', regrow_init, "magnitude of a regrown synapse"),
    I("regrow-every", regrow_every, 1, INT32_MAX, "DEEP R: regrow every N steps (RigL gradients only then)"),
    F("lr-w", 'f', lr_w, "peak weight learning rate (one-cycle)"),
    F("lr-w-div", 'f', lr_w_div, "one-cycle: initial = peak / div"),
    F("lr-w-final-div", 'f', lr_w_final_div, "one-cycle: final = initial / final-div"),
    F("lr-w-pct", 'f', lr_w_pct, "one-cycle: fraction of steps rising"),
    F("lr-pos", 'f', lr_pos, "position learning rate (cosine)"),
    F("lr-qat", 'f', lr_qat, "weight learning rate of fine-tuning"),
    F("l1", 'f', l1, "L1 coefficient on the weights"),
    F("aug-shift", 'f', aug_shift, "augmentation: max shift along the input channels (bands)"),
    F("aug-stretch", 'f', aug_stretch, "augmentation: max relative time stretch (0.1 = +-10 %)"),
    F("aug-time", 'f', aug_time, "augmentation: max time shift (steps)"),
    I("aug-fmask", aug_fmask, 0, 1024, "augmentation: max width of a silenced band range (bands)"),
    I("aug-tmask", aug_tmask, 0, 65535, "augmentation: max width of a silenced time range (steps)"),
    F("qat-membrane", 'f', qat_membrane, "fine-tuning: weight of the CE of the mean readout membrane"),
    I("qat-readout-only", qat_readout_only, 0, 1, "fine-tuning: 1 = only the readout projection learns"),
    F("membrane", 'f', membrane, "main phase: weight of the CE of the mean readout membrane"),
    F("seed", 'u', seed, "random seed"),
};
#undef F
#undef I
#define N_FIELDS (sizeof fields / sizeof fields[0])

static const char *delay_names[] = {"none", "fixed", "dcls"};
static const char *kernel_names[] = {"gauss", "interp"};

sl_status sl_train_cfg_set(sl_train_cfg *c, const char *key, const char *val, sl_err *err) {
  for (size_t i = 0; i < N_FIELDS; i++) {
    const cfg_field *fd = &fields[i];
    if (strcmp(fd->key, key)) continue;
    void *p = (char *)c + fd->off;
    sl_parse_result r = SL_PARSE_SYNTAX;
    switch (fd->type) {
      case 'i': {
        int64_t v;
        if (!(r = sl_parse_int(val, fd->lo, fd->hi, &v))) { *(int32_t *)p = (int32_t)v; return SL_OK; }
        if (r == SL_PARSE_RANGE)
          return sl_err_set(err, SL_ERR_ARG, "%s %s out of range %lld..%lld (%s)", key, val, (long long)fd->lo,
                            (long long)fd->hi, fd->help);
        break;
      }
      case 'f': {
        float v;
        if (!(r = sl_parse_real(val, &v))) { *(float *)p = v; return SL_OK; }
        break;
      }
      case 'u': {
        uint64_t v;
        if (!(r = sl_parse_u64(val, &v))) { *(uint64_t *)p = v; return SL_OK; }
        break;
      }
      case 'd':
        for (int k = 0; k < 3; k++)
          if (!strcmp(val, delay_names[k])) { *(int32_t *)p = k; return SL_OK; }
        return sl_err_set(err, SL_ERR_ARG, "bad value '%s' for %s (%s)", val, key, fd->help);
      case 'k':
        for (int k = 0; k < 2; k++)
          if (!strcmp(val, kernel_names[k])) { *(int32_t *)p = k; return SL_OK; }
        return sl_err_set(err, SL_ERR_ARG, "bad value '%s' for %s (%s)", val, key, fd->help);
    }
    return sl_err_set(err, SL_ERR_ARG, "bad value '%s' for %s: %s (%s)", val, key, sl_parse_what(r), fd->help);
  }
  return sl_err_set(err, SL_ERR_ARG, "unknown option '%s'", key);
}

sl_status sl_train_cfg_read(sl_train_cfg *c, FILE *f, const char *name, sl_err *err) {
  char line[512];
  int ln = 0;
  while (fgets(line, sizeof line, f)) {
    ln++;
    if (!strchr(line, '\n') && !feof(f))
      return sl_err_set(err, SL_ERR_PARSE, "%s:%d: line longer than %zu characters", name, ln, sizeof line - 2);
    char *h = strchr(line, '#');
    if (h) *h = 0;
    char key[128], val[128], extra[2];
    char *eq = strchr(line, '=');
    if (!eq) {
      if (sscanf(line, " %127s", key) == 1) return sl_err_set(err, SL_ERR_PARSE, "%s:%d: expected 'key = value'", name, ln);
      continue;
    }
    *eq = 0;
    if (sscanf(line, " %127s %1s", key, extra) != 1 || sscanf(eq + 1, " %127s %1s", val, extra) != 1)
      return sl_err_set(err, SL_ERR_PARSE, "%s:%d: expected 'key = value'", name, ln);
    sl_err e2;
    if (sl_train_cfg_set(c, key, val, &e2)) return sl_err_set(err, SL_ERR_PARSE, "%s:%d: %s", name, ln, e2.msg);
  }
  if (ferror(f)) return sl_err_set(err, SL_ERR_IO, "%s: read error", name);
  return SL_OK;
}

sl_status sl_train_cfg_load(sl_train_cfg *c, const char *path, sl_err *err) {
  FILE *f = fopen(path, "r");
  if (!f) return sl_err_set(err, SL_ERR_IO, "%s: cannot open", path);
  struct stat sb;
  if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
    fclose(f);
    return sl_err_set(err, SL_ERR_IO, "%s: not a regular file (a configuration is a text file)", path);
  }
  sl_status st = sl_train_cfg_read(c, f, path, err);
  fclose(f);
  return st;
}

void sl_train_cfg_print(FILE *f, const sl_train_cfg *c) {
  for (size_t i = 0; i < N_FIELDS; i++) {
    const void *p = (const char *)c + fields[i].off;
    switch (fields[i].type) {
      case 'i': fprintf(f, "%s = %d\n", fields[i].key, *(const int32_t *)p); break;
      case 'f': fprintf(f, "%s = %.9g\n", fields[i].key, *(const float *)p); break;
      case 'u': fprintf(f, "%s = %llu\n", fields[i].key, (unsigned long long)*(const uint64_t *)p); break;
      case 'd': fprintf(f, "%s = %s\n", fields[i].key, delay_names[*(const int32_t *)p]); break;
      case 'k': fprintf(f, "%s = %s\n", fields[i].key, kernel_names[*(const int32_t *)p]); break;
    }
  }
}

void sl_train_cfg_help(FILE *f);
void sl_train_cfg_help(FILE *f) {
  sl_train_cfg d;
  sl_train_cfg_default(&d);
  for (size_t i = 0; i < N_FIELDS; i++) {
    const void *p = (const char *)&d + fields[i].off;
    char def[64];
    switch (fields[i].type) {
      case 'i': snprintf(def, sizeof def, "%d", *(const int32_t *)p); break;
      case 'f': snprintf(def, sizeof def, "%g", *(const float *)p); break;
      case 'u': snprintf(def, sizeof def, "%llu", (unsigned long long)*(const uint64_t *)p); break;
      case 'k': snprintf(def, sizeof def, "%s", kernel_names[*(const int32_t *)p]); break;
      default: snprintf(def, sizeof def, "%s", delay_names[*(const int32_t *)p]); break;
    }
    fprintf(f, "  --%-15s %-44s [%s]\n", fields[i].key, fields[i].help, def);
  }
}

static int is_pow2(int x) { return x > 0 && !(x & (x - 1)); }

/* a real in [lo, hi] (NaN fails every comparison, so it is refused too) */
static int in_range(float x, double lo, double hi) { return isfinite(x) && x >= lo && x <= hi; }

sl_status sl_train_cfg_check(const sl_train_cfg *c, sl_err *err) {
  /* every field alone: integers in their ranges, every real finite */
  for (size_t i = 0; i < N_FIELDS; i++) {
    const void *p = (const char *)c + fields[i].off;
    if (fields[i].type == 'i') {
      const int64_t v = *(const int32_t *)p;
      if (v < fields[i].lo || v > fields[i].hi)
        return sl_err_set(err, SL_ERR_ARG, "%s %lld out of range %lld..%lld (%s)", fields[i].key, (long long)v,
                          (long long)fields[i].lo, (long long)fields[i].hi, fields[i].help);
    } else if (fields[i].type == 'f' && !isfinite(*(const float *)p)) {
      return sl_err_set(err, SL_ERR_ARG, "%s %g is not a finite number", fields[i].key, *(const float *)p);
    }
  }
  if (c->delay_mode < 0 || c->delay_mode > 2) return sl_err_set(err, SL_ERR_ARG, "bad delay mode %d", c->delay_mode);
  if (c->dcls_kernel < 0 || c->dcls_kernel > 1) return sl_err_set(err, SL_ERR_ARG, "bad DCLS kernel %d", c->dcls_kernel);
  if (c->smooth < 0 || c->smooth > 1) return sl_err_set(err, SL_ERR_ARG, "smooth %d not 0 or 1", c->smooth);
  if (!isfinite(c->adam_b1) || !isfinite(c->adam_b2) || !isfinite(c->adam_eps) || !(c->adam_b1 >= 0 && c->adam_b1 < 1) ||
      !(c->adam_b2 >= 0 && c->adam_b2 < 1) || !(c->adam_eps > 0))
    return sl_err_set(err, SL_ERR_ARG, "Adam constants b1 %g, b2 %g not in [0, 1) or eps %g not > 0", c->adam_b1,
                      c->adam_b2, c->adam_eps);
  /* the sizes together (in 64 bits: each is in range, the product cannot overflow) */
  if ((int64_t)c->n_hid * c->n_layers + c->n_out > 1024)
    return sl_err_set(err, SL_ERR_ARG, "hidden %d x layers %d + classes %d exceeds the core's 1024 neurons",
                      c->n_hid, c->n_layers, c->n_out);
  /* the reals */
  if (!(c->tau > 1) || !(c->tau_out > 1)) return sl_err_set(err, SL_ERR_ARG, "tau %g, tau-out %g: must be > 1 step", c->tau, c->tau_out);
  if (!(c->surr_alpha > 0)) return sl_err_set(err, SL_ERR_ARG, "surr-alpha %g must be > 0", c->surr_alpha);
  if (!(c->dropout >= 0 && c->dropout < 1)) return sl_err_set(err, SL_ERR_ARG, "dropout %g not in [0, 1)", c->dropout);
  if (!(c->in_scale > 0 && c->in_scale <= 1e6f)) /* in-scale x 255 is the largest feature */
    return sl_err_set(err, SL_ERR_ARG, "in-scale %g not in (0, 1e6]", c->in_scale);
  if (!(c->init_gain > 0)) return sl_err_set(err, SL_ERR_ARG, "init-gain %g must be > 0", c->init_gain);
  /* sigma is in taps: beyond the delay range a wider kernel changes nothing */
  if (!in_range(c->sigma_start, 0, 4 * SL_TRAIN_MAX_TAPS) || !in_range(c->sigma_end, 0, 4 * SL_TRAIN_MAX_TAPS) ||
      !in_range(c->sigma_add, 0, 4 * SL_TRAIN_MAX_TAPS))
    return sl_err_set(err, SL_ERR_ARG, "sigma-start %g, sigma-end %g, sigma-add %g: each must be in [0, %d]",
                      c->sigma_start, c->sigma_end, c->sigma_add, 4 * SL_TRAIN_MAX_TAPS);
  if (!in_range(c->sigma_frac, 0, 1)) return sl_err_set(err, SL_ERR_ARG, "sigma-frac %g not in [0, 1]", c->sigma_frac);
  if (!(c->kernel_radius > 0 && c->kernel_radius <= 4 * SL_TRAIN_MAX_TAPS))
    return sl_err_set(err, SL_ERR_ARG, "kernel-radius %g not in (0, %d]", c->kernel_radius, 4 * SL_TRAIN_MAX_TAPS);
  if (!in_range(c->ste_frac, 0, 1)) return sl_err_set(err, SL_ERR_ARG, "ste-frac %g not in [0, 1]", c->ste_frac);
  if (!(c->sparsity >= 0 && c->sparsity < 1)) return sl_err_set(err, SL_ERR_ARG, "sparsity %g not in [0, 1)", c->sparsity);
  if (!(c->regrow_init >= 0)) return sl_err_set(err, SL_ERR_ARG, "regrow-init %g must be >= 0", c->regrow_init);
  if (!(c->lr_w >= 0) || !(c->lr_pos >= 0) || !(c->lr_qat >= 0) || !(c->l1 >= 0))
    return sl_err_set(err, SL_ERR_ARG, "lr-w %g, lr-pos %g, lr-qat %g, l1 %g: each must be >= 0", c->lr_w, c->lr_pos,
                      c->lr_qat, c->l1);
  if (!(c->lr_w_div > 0) || !(c->lr_w_final_div > 0))
    return sl_err_set(err, SL_ERR_ARG, "lr-w-div %g, lr-w-final-div %g: each must be > 0", c->lr_w_div, c->lr_w_final_div);
  if (!in_range(c->lr_w_pct, 0, 1)) return sl_err_set(err, SL_ERR_ARG, "lr-w-pct %g not in [0, 1]", c->lr_w_pct);
  if (!(c->qat_membrane >= 0)) return sl_err_set(err, SL_ERR_ARG, "qat-membrane %g must be >= 0", c->qat_membrane);
  if (!(c->membrane >= 0)) return sl_err_set(err, SL_ERR_ARG, "membrane %g must be >= 0", c->membrane);
  if (c->n_cand > c->taps) return sl_err_set(err, SL_ERR_ARG, "candidates %d not in 1..taps", c->n_cand);
  if (c->n_cand > 1 && !c->deepr) return sl_err_set(err, SL_ERR_ARG, "candidates > 1 needs deepr = 1");
  if (c->row_cap && !is_pow2(c->row_cap))
    return sl_err_set(err, SL_ERR_ARG, "row-cap %d is not a power of two <= 1024", c->row_cap);
  if (!(c->aug_shift >= 0 && c->aug_shift < c->n_in))
    return sl_err_set(err, SL_ERR_ARG, "aug-shift %g not in [0, inputs)", c->aug_shift);
  if (!(c->aug_stretch >= 0 && c->aug_stretch <= 0.5f))
    return sl_err_set(err, SL_ERR_ARG, "aug-stretch %g not in [0, 0.5]", c->aug_stretch);
  if (!(c->aug_time >= 0 && c->aug_time < c->steps))
    return sl_err_set(err, SL_ERR_ARG, "aug-time %g not in [0, steps)", c->aug_time);
  if (c->aug_fmask >= c->n_in)
    return sl_err_set(err, SL_ERR_ARG, "aug-fmask %d not in [0, inputs)", (int)c->aug_fmask);
  if (c->aug_tmask >= c->steps)
    return sl_err_set(err, SL_ERR_ARG, "aug-tmask %d not in [0, steps)", (int)c->aug_tmask);
  return SL_OK;
}

int32_t sl_leak_q12(float tau) { return (int32_t)floor((1.0 - 1.0 / tau) * 4096.0 + 0.5); }

/* ------------------------------------------------------------------ RNG and schedules */

uint64_t sl_hash64(uint64_t x) { /* splitmix64 finaliser */
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x;
}

static uint64_t stream(uint64_t seed, uint64_t a, uint64_t b) {
  return sl_hash64(seed * 0x9E3779B97F4A7C15ull ^ sl_hash64(a * 0xD1B54A32D192ED03ull + b));
}

int sl_ste_at(const sl_train_cfg *c, int32_t epoch) {
  if (c->delay_mode != SL_DELAY_DCLS || c->ste_frac <= 0) return 0;
  const int32_t n = (int32_t)floor(c->ste_frac * c->epochs + 0.5);
  return epoch < c->epochs && epoch >= c->epochs - n;
}

float sl_sigma_at(const sl_train_cfg *c, int32_t epoch) {
  if (c->delay_mode != SL_DELAY_DCLS || sl_ste_at(c, epoch)) return 0;
  const double s0 = c->sigma_start > 0 ? c->sigma_start : (double)(c->taps / 2);
  const double s1 = c->sigma_end;
  double e_a = c->sigma_frac * c->epochs;
  if (e_a < 1) e_a = 1;
  double s = epoch >= e_a ? s1 : s0 * pow(s1 / s0, epoch / e_a);
  return (float)(s + c->sigma_add);
}

float sl_lr_w_at(const sl_train_cfg *c, int64_t step, int64_t spe) {
  const double total = (double)c->epochs * spe;
  const double peak = c->lr_w, init = peak / c->lr_w_div, fin = init / c->lr_w_final_div;
  const double up = c->lr_w_pct * total;
  if (total <= 0) return (float)init;
  if (step < up) return (float)(init + (peak - init) * 0.5 * (1 - cos(3.14159265358979 * step / up)));
  double f = (step - up) / (total - up > 1 ? total - up : 1);
  if (f > 1) f = 1;
  return (float)(fin + (peak - fin) * 0.5 * (1 + cos(3.14159265358979 * f)));
}

float sl_lr_pos_at(const sl_train_cfg *c, int32_t epoch) {
  if (c->epochs <= 0) return 0;
  double f = (double)epoch / c->epochs;
  if (f > 1) f = 1;
  return (float)(c->lr_pos * 0.5 * (1 + cos(3.14159265358979 * f)));
}

/* ------------------------------------------------------------------ workspaces */

typedef struct {
  sl_real *x;                         /* [n_in][T] */
  int32_t *nz_mem;                    /* event lists of all layers' presynaptic rows */
  const int32_t **nzp[SL_TRAIN_MAX_PROJ];
  int32_t *nnz[SL_TRAIN_MAX_PROJ];
  sl_real *I[SL_TRAIN_MAX_LAYERS], *V[SL_TRAIN_MAX_LAYERS], *h[SL_TRAIN_MAX_LAYERS];
  sl_real *gh[SL_TRAIN_MAX_LAYERS], *gI[SL_TRAIN_MAX_LAYERS], *mask[SL_TRAIN_MAX_LAYERS];
  uint8_t *s[SL_TRAIN_MAX_LAYERS];
  sl_real *J, *M, *gM, *gJ;
  sl_real *gtap[SL_TRAIN_MAX_PROJ];
  sl_real *gdorm;
  sl_real *sm;                        /* INTERP: smoothed input rows [n_in][taps][sl_cstride] */
  sl_real *zc;                        /* INTERP: per-centre rows (sl_interp_post_*) */
  double loss, spikes;
  int32_t correct, n;
} sl_ws;

/* INTERP kernel: smooth the presynaptic rows (pre side) when there are fewer of them than
 * postsynaptic rows, and only for the input projection (no gradient to its input is needed
 * there); otherwise smooth per postsynaptic neuron (post side). */
static int interp_pre_side(const sl_model *m, int p) { return p == 0 && m->proj[p].n_pre <= m->proj[p].n_post; }

/* Activation arrays get SL_BORDER extra zeros in front, so that row 0 has its left border. */
static sl_real *acalloc(size_t n, int *fail) {
  sl_real *p = calloc(n + 2 * SL_BORDER, sizeof(sl_real));
  if (!p) { *fail = 1; return NULL; }
  return p + SL_BORDER;
}
static void afree(sl_real *p) {
  if (p) free(p - SL_BORDER);
}

static void *xcalloc(size_t n, size_t sz, int *fail) {
  void *p = calloc(n ? n : 1, sz);
  if (!p) *fail = 1;
  return p;
}

static void ws_free(sl_ws *w, int n_proj) {
  afree(w->x);
  free(w->nz_mem);
  for (int p = 0; p < n_proj; p++) {
    free(w->nzp[p]);
    free(w->nnz[p]);
    free(w->gtap[p]);
  }
  for (int l = 0; l < SL_TRAIN_MAX_LAYERS; l++) {
    afree(w->I[l]); afree(w->V[l]); afree(w->h[l]); afree(w->gh[l]); afree(w->gI[l]); free(w->mask[l]); free(w->s[l]);
  }
  afree(w->J); afree(w->M); afree(w->gM); afree(w->gJ); free(w->gdorm);
  afree(w->sm); afree(w->zc);
}

static int ws_alloc(sl_ws *w, const sl_model *m) {
  const sl_train_cfg *c = &m->cfg;
  const size_t T = (size_t)c->steps, S = (size_t)sl_stride(c->steps), H = (size_t)c->n_hid;
  int fail = 0;
  memset(w, 0, sizeof *w);
  w->x = acalloc((size_t)c->n_in * S, &fail);
  size_t rows = (size_t)c->n_in + H * c->n_layers;
  w->nz_mem = xcalloc(rows * T, sizeof(int32_t), &fail);
  size_t off = 0;
  for (int p = 0; p < m->n_proj; p++) {
    int np = m->proj[p].n_pre;
    w->nzp[p] = xcalloc((size_t)np, sizeof(int32_t *), &fail);
    w->nnz[p] = xcalloc((size_t)np, sizeof(int32_t), &fail);
    if (!fail)
      for (int i = 0; i < np; i++) w->nzp[p][i] = w->nz_mem + off + (size_t)i * T;
    off += (size_t)np * T;
    w->gtap[p] = xcalloc((size_t)m->proj[p].k_cap, sizeof(sl_real), &fail);
  }
  for (int l = 0; l < c->n_layers; l++) {
    w->I[l] = acalloc(H * S, &fail);
    w->V[l] = acalloc(H * S, &fail);
    w->h[l] = acalloc(H * S, &fail);
    w->gh[l] = acalloc(H * S, &fail);
    w->gI[l] = acalloc(H * S, &fail);
    w->mask[l] = xcalloc(H, sizeof(sl_real), &fail);
    w->s[l] = xcalloc(H * S, 1, &fail);
  }
  const size_t R = (size_t)c->n_out;
  w->J = acalloc(R * S, &fail);
  w->M = acalloc(R * S, &fail);
  w->gM = acalloc(R * S, &fail);
  w->gJ = acalloc(R * S, &fail);
  size_t nd = 0;
  for (int p = 0; p < m->n_proj; p++) nd += (size_t)m->proj[p].n_syn;
  if (c->deepr) w->gdorm = xcalloc(nd, sizeof(sl_real), &fail);
  if (c->delay_mode == SL_DELAY_DCLS && c->dcls_kernel == SL_KERNEL_INTERP) {
    const size_t K = (size_t)c->taps;
    size_t rows = 0;
    for (int p = 0; p < m->n_proj; p++)
      if (interp_pre_side(m, p)) w->sm = acalloc((size_t)m->proj[p].n_pre * K * sl_cstride(c->steps), &fail);
      else if ((size_t)m->proj[p].n_post * K > rows) rows = (size_t)m->proj[p].n_post * K;
    /* the forward's Z needs taps rows of S, the backward's G rows * sl_cstride */
    if (rows) w->zc = acalloc(rows * sl_cstride(c->steps) > K * S ? rows * sl_cstride(c->steps) : K * S, &fail);
  }
  return !fail;
}

/* ------------------------------------------------------------------ model init */

static void proj_free(sl_proj *p) {
  free(p->row); free(p->post); free(p->pre); free(p->col); free(p->col_syn); free(p->sign); free(p->active); free(p->best_active);
  free(p->ct_start); free(p->ct_pre); free(p->ct_sh); free(p->ct_tap); free(p->ct_w); free(p->k_d0); free(p->k_len); free(p->k_off); free(p->k_w); free(p->k_n); free(p->k_dn);
  memset(p, 0, sizeof *p);
}

void sl_model_free(sl_model *m) {
  if (!m) return;
  if (m->ws) {
    sl_ws *w = m->ws;
    for (int t = 0; t < m->n_threads; t++) ws_free(&w[t], m->n_proj);
    free(m->ws);
  }
  for (int p = 0; p < m->n_proj; p++) proj_free(&m->proj[p]);
  free(m->params_mem); free(m->grads_mem); free(m->m_mem); free(m->v_mem); free(m->best_mem);
  free(m->gdorm);
  memset(m, 0, sizeof *m);
}

/* Candidate c of a pair gets a delay slot spread over the range with a random offset. */
static float cand_pos(const sl_train_cfg *c, int cand, uint64_t *rng) {
  if (c->n_cand > 1) return (float)floor((cand + sl_unif(rng)) * c->taps / c->n_cand);
  switch (c->delay_mode) {
    case SL_DELAY_FIXED: return (float)floor(sl_unif(rng) * c->taps);
    case SL_DELAY_DCLS: return (float)(sl_unif(rng) * (c->taps - 1));
    default: return 0;
  }
}

static void set_views(sl_model *m, sl_real *mem, sl_params *v) {
  size_t off = 0;
  for (int p = 0; p < m->n_proj; p++) {
    v->w[p] = mem + off;
    off += m->t_size[2 * p];
    v->pos[p] = mem + off;
    off += m->t_size[2 * p + 1];
  }
}

sl_status sl_model_init(sl_model *m, const sl_train_cfg *cfg, int n_threads, sl_err *err) {
  memset(m, 0, sizeof *m);
  sl_status st = sl_train_cfg_check(cfg, err);
  if (st) return st;
  m->cfg = *cfg;
  sl_train_cfg *c = &m->cfg;
  m->n_proj = c->n_layers + 1;
  int row_cap = c->row_cap;
  if (!row_cap) {
    int need = c->n_hid > c->n_out ? c->n_hid : c->n_out;
    row_cap = 1;
    while (row_cap < need && row_cap < 1024) row_cap <<= 1; /* need <= 1024 (sl_train_cfg_check) */
  }
  c->row_cap = row_cap;
  int fail = 0;
  uint64_t rng = stream(c->seed, 1, 0);
  for (int p = 0; p < m->n_proj; p++) {
    sl_proj *q = &m->proj[p];
    q->n_pre = p == 0 ? c->n_in : c->n_hid;
    q->n_post = p == m->n_proj - 1 ? c->n_out : c->n_hid;
    q->payload_scale_is_input = p == 0;
    const int nc = c->deepr ? c->n_cand : 1;
    q->n_syn = q->n_pre * q->n_post * nc;
    q->row_cap = row_cap;
    const int64_t dense = (int64_t)q->n_pre * q->n_post;
    q->budget = c->deepr ? (int32_t)floor((1.0 - c->sparsity) * (double)dense + 0.5) : q->n_syn;
    if (q->budget < 1) q->budget = 1;
    if ((int64_t)q->budget > (int64_t)q->n_pre * row_cap)
      return sl_err_set(err, SL_ERR_ARG, "projection %d: %d synapses do not fit %d rows of capacity %d", p,
                        q->budget, q->n_pre, row_cap);
    q->row = xcalloc((size_t)q->n_pre + 1, sizeof(int32_t), &fail);
    q->post = xcalloc((size_t)q->n_syn, sizeof(int32_t), &fail);
    q->pre = xcalloc((size_t)q->n_syn, sizeof(int32_t), &fail);
    q->col = xcalloc((size_t)q->n_post + 1, sizeof(int32_t), &fail);
    q->col_syn = xcalloc((size_t)q->n_syn, sizeof(int32_t), &fail);
    q->sign = xcalloc((size_t)q->n_syn, 1, &fail);
    q->active = xcalloc((size_t)q->n_syn, 1, &fail);
    q->best_active = xcalloc((size_t)q->n_syn, 1, &fail);
    q->k_cap = q->n_syn * c->taps;
    q->k_d0 = xcalloc((size_t)q->n_syn, sizeof(int32_t), &fail);
    q->k_len = xcalloc((size_t)q->n_syn, sizeof(int32_t), &fail);
    q->k_off = xcalloc((size_t)q->n_syn, sizeof(int32_t), &fail);
    q->k_w = xcalloc((size_t)q->k_cap, sizeof(sl_real), &fail);
    q->k_n = xcalloc((size_t)q->k_cap, sizeof(sl_real), &fail);
    q->k_dn = xcalloc((size_t)q->k_cap, sizeof(sl_real), &fail);
    q->ct_start = xcalloc((size_t)q->n_post + 1, sizeof(int32_t), &fail);
    q->ct_pre = xcalloc((size_t)q->k_cap, sizeof(int32_t), &fail);
    q->ct_sh = xcalloc((size_t)q->k_cap, sizeof(int32_t), &fail);
    q->ct_tap = xcalloc((size_t)q->k_cap, sizeof(int32_t), &fail);
    q->ct_w = xcalloc((size_t)q->k_cap, sizeof(sl_real), &fail);
    m->t_size[2 * p] = (size_t)q->n_syn;
    m->t_size[2 * p + 1] = (size_t)q->n_syn;
    m->n_params += 2 * (size_t)q->n_syn;
    if (fail) break;
    for (int i = 0; i <= q->n_pre; i++) q->row[i] = i * q->n_post * nc;
    for (int i = 0; i < q->n_pre; i++)
      for (int j = 0; j < q->n_post; j++)
        for (int k = 0; k < nc; k++) {
          q->post[(i * q->n_post + j) * nc + k] = j;
          q->pre[(i * q->n_post + j) * nc + k] = i;
        }
    /* column view, pre-major within a column (the forward sums in this order) */
    for (int j = 0; j <= q->n_post; j++) q->col[j] = j * q->n_pre * nc;
    for (int j = 0; j < q->n_post; j++)
      for (int i = 0; i < q->n_pre; i++)
        for (int k = 0; k < nc; k++) q->col_syn[q->col[j] + i * nc + k] = (i * q->n_post + j) * nc + k;
  }
  if (!fail) {
    m->params_mem = xcalloc(m->n_params, sizeof(sl_real), &fail);
    m->grads_mem = xcalloc(m->n_params, sizeof(sl_real), &fail);
    m->m_mem = xcalloc(m->n_params, sizeof(sl_real), &fail);
    m->v_mem = xcalloc(m->n_params, sizeof(sl_real), &fail);
    m->best_mem = xcalloc(m->n_params, sizeof(sl_real), &fail);
  }
  if (fail) {
    sl_model_free(m);
    return sl_err_set(err, SL_ERR_NOMEM, "out of memory for the model");
  }
  set_views(m, m->params_mem, &m->params);
  set_views(m, m->grads_mem, &m->grads);
  /* Initialisation: signs, active masks, Kaiming-uniform weights, positions. */
  for (int p = 0; p < m->n_proj; p++) {
    sl_proj *q = &m->proj[p];
    const int nc = c->deepr ? c->n_cand : 1;
    const double fan_in = c->deepr ? fmax(1.0, (double)q->budget / q->n_post) : q->n_pre;
    const double bound = c->init_gain / sqrt(fan_in);
    for (int i = 0; i < q->n_pre; i++) {
      const int8_t pre_sign = sl_unif(&rng) < 0.5 ? 1 : -1;
      for (int s = q->row[i]; s < q->row[i + 1]; s++) {
        const double u = sl_unif(&rng);
        if (c->deepr) {
          q->sign[s] = c->dale ? pre_sign : (sl_unif(&rng) < 0.5 ? 1 : -1);
          m->params.w[p][s] = (sl_real)(q->sign[s] * bound * (1 - u)); /* magnitude in (0, bound] */
        } else {
          m->params.w[p][s] = (sl_real)(bound * (2 * u - 1));
        }
        m->params.pos[p][s] = cand_pos(c, (s - q->row[i]) % nc, &rng);
      }
    }
    /* Active set: the budget spread evenly over rows, random within a row. */
    if (!c->deepr) {
      memset(q->active, 1, (size_t)q->n_syn);
    } else {
      const int per = q->row[1] - q->row[0];
      int32_t *idx = malloc(sizeof(int32_t) * (size_t)per);
      if (!idx) { sl_model_free(m); return sl_err_set(err, SL_ERR_NOMEM, "out of memory"); }
      for (int i = 0; i < q->n_pre; i++) {
        int want = q->budget / q->n_pre + (i < q->budget % q->n_pre);
        if (want > row_cap) want = row_cap;
        for (int k = 0; k < per; k++) idx[k] = k;
        for (int k = 0; k < want; k++) { /* partial Fisher-Yates */
          int r = k + (int)(sl_unif(&rng) * (per - k));
          int t = idx[k]; idx[k] = idx[r]; idx[r] = t;
          q->active[q->row[i] + idx[k]] = 1;
        }
      }
      free(idx);
      for (int s = 0; s < q->n_syn; s++)
        if (!q->active[s]) m->params.w[p][s] = 0;
    }
  }
  sl_model_snapshot(m);
  m->best_val = -1;
  m->best_epoch = -1;
  size_t nd = 0;
  for (int p = 0; p < m->n_proj; p++) {
    m->dorm_off[p] = nd;
    nd += (size_t)m->proj[p].n_syn;
  }
  if (c->deepr) {
    m->gdorm = xcalloc(nd, sizeof(sl_real), &fail);
  }
#ifdef _OPENMP
  if (n_threads <= 0) n_threads = omp_get_max_threads();
#else
  n_threads = 1;
#endif
  if (n_threads < 1) n_threads = 1;
  m->n_threads = n_threads;
  sl_ws *w = calloc((size_t)n_threads, sizeof(sl_ws));
  m->ws = w;
  if (!w || fail) fail = 1;
  for (int t = 0; !fail && t < n_threads; t++)
    if (!ws_alloc(&w[t], m)) fail = 1;
  if (fail) {
    sl_model_free(m);
    return sl_err_set(err, SL_ERR_NOMEM, "out of memory for the workspaces");
  }
  m->sigma = sl_sigma_at(c, 0);
  sl_model_prepare(m, m->sigma, 0);
  return SL_OK;
}

void sl_model_snapshot(sl_model *m) {
  memcpy(m->best_mem, m->params_mem, m->n_params * sizeof(sl_real));
  for (int p = 0; p < m->n_proj; p++) memcpy(m->proj[p].best_active, m->proj[p].active, (size_t)m->proj[p].n_syn);
}

void sl_model_restore(sl_model *m) {
  memcpy(m->params_mem, m->best_mem, m->n_params * sizeof(sl_real));
  for (int p = 0; p < m->n_proj; p++) memcpy(m->proj[p].active, m->proj[p].best_active, (size_t)m->proj[p].n_syn);
  memset(m->m_mem, 0, m->n_params * sizeof(sl_real));
  memset(m->v_mem, 0, m->n_params * sizeof(sl_real));
}

int32_t sl_delay_of(const sl_model *m, float pos) {
  int32_t d = (int32_t)floor(pos + 0.5);
  if (d < 0) d = 0;
  if (d > m->cfg.taps - 1) d = m->cfg.taps - 1;
  return d;
}

/* Quantisation scale of a projection (docs/trainer.md, "Export"): integer weight =
 * round(w * k). Into a spiking population the membrane scale S = floor(127 / (max|w| ps))
 * is an integer so that the threshold 1.0 maps exactly onto theta = S; ps is the value of
 * payload 1 at the projection's input (in_scale for features, 1 for spikes). Into the
 * readout any scale will do (argmax) and k = 127 / max|w|. */
double sl_proj_qscale(const sl_model *m, int p, int32_t *S_int);
double sl_proj_qscale(const sl_model *m, int p, int32_t *S_int) {
  const sl_proj *q = &m->proj[p];
  double mx = 0;
  for (int s = 0; s < q->n_syn; s++)
    if (q->active[s]) mx = fmax(mx, fabs((double)m->params.w[p][s]));
  if (mx <= 0) mx = 1;
  const double ps = q->payload_scale_is_input ? m->cfg.in_scale : 1.0;
  if (p < m->n_proj - 1) {
    double S = floor(127.0 / (mx * ps));
    if (S < 1) S = 1;
    if (S > 8388607) S = 8388607;
    if (S_int) *S_int = (int32_t)S;
    return S * ps;
  }
  if (S_int) *S_int = 0;
  return 127.0 / mx;
}

void sl_model_prepare(sl_model *m, float sigma, int quant) {
  const sl_train_cfg *c = &m->cfg;
  m->sigma = sigma;
  m->quant = quant;
  /* Straight-through (ste): each synapse gets the two integer taps c0, c0 + 1 of the
   * interp kernel at sigma 0, but only the one its position rounds to carries the weight,
   * so the forward is exactly the deployed integer delay (zero-weight taps are skipped),
   * while d/dp = (-1, +1) still reads the loss's slope between the two delays. The taps go
   * through the generic per-tap delay path, not the shared-smoothing one. */
  const int ste = m->ste && sigma <= 0 && c->delay_mode == SL_DELAY_DCLS && c->taps > 1;
  const int interp = sigma > 0 && c->dcls_kernel == SL_KERNEL_INTERP;
  if (interp) { /* the basis: one truncated normalised Gaussian per centre */
    sl_basis *nb = &m->basis;
    nb->grid = sl_interp_grid(sigma);
    nb->taps = (c->taps - 2) / nb->grid + 2; /* 0, g, ... below the last delay, then the last */
    if (c->taps < 2) nb->taps = 1;
    nb->taps_range = c->taps;
    const double R = c->kernel_radius * sigma, s2 = (double)sigma * sigma;
    for (int k = 0; k < nb->taps; k++) {
      const int cc = sl_interp_centre(k, nb->grid, c->taps);
      int lo = (int)ceil(cc - R), hi = (int)floor(cc + R);
      if (lo < 0) lo = 0;
      if (hi > c->taps - 1) hi = c->taps - 1;
      if (hi < lo) lo = hi = cc;
      double g[SL_TRAIN_MAX_TAPS], G = 0;
      for (int d = lo; d <= hi; d++) G += g[d - lo] = exp(-(double)(d - cc) * (d - cc) / (2 * s2));
      nb->lo[k] = lo;
      nb->len[k] = hi - lo + 1;
      for (int d = lo; d <= hi; d++) nb->n[k][d - lo] = (sl_real)(g[d - lo] / G);
    }
    sl_basis_blocks(nb);
  }
  /* centres of the two-tap synapses: the basis's (interp) or every integer (straight-through) */
  const int n_cen = interp ? m->basis.taps : c->taps, grid = interp ? m->basis.grid : 1;
  for (int p = 0; p < m->n_proj; p++) {
    sl_proj *q = &m->proj[p];
    q->interp = interp;
    const sl_real *w = m->params.w[p], *pos = m->params.pos[p];
    const double k = quant ? sl_proj_qscale(m, p, NULL) : 0;
    q->qscale = (float)k;
    int32_t off = 0;
    for (int s = 0; s < q->n_syn; s++) {
      double ws = w[s];
      if (quant) {
        double r = floor(ws * k + 0.5);
        if (r > 127) r = 127;
        if (r < -127) r = -127;
        ws = r / k;
      }
      q->k_off[s] = off;
      if (!q->active[s]) {
        q->k_len[s] = 0;
        q->k_d0[s] = sl_delay_of(m, (float)pos[s]);
        continue;
      }
      if (sigma <= 0 && !ste) {
        q->k_d0[s] = sl_delay_of(m, (float)pos[s]);
        q->k_len[s] = 1;
        q->k_w[off] = (sl_real)ws;
        q->k_n[off] = 1;
        q->k_dn[off] = 0;
        off += 1;
        continue;
      }
      if (interp || ste) { /* centres c0, c0 + 1 with weights 1 - f, f; d/dp = (-1, +1) / gap */
        const double P = pos[s];
        int c0 = (int)floor(P / grid);
        if (c0 > n_cen - 2) c0 = n_cen - 2;
        if (c0 < 0) c0 = 0;
        const double at = sl_interp_centre(c0, grid, c->taps);
        const double gap = n_cen > 1 ? sl_interp_centre(c0 + 1, grid, c->taps) - at : 1;
        double f = n_cen > 1 ? (P - at) / gap : 0;
        if (ste) f = sl_delay_of(m, (float)P) - c0; /* 0 or 1: the rounded delay */
        const int len = n_cen > 1 ? 2 : 1;
        q->k_d0[s] = c0; /* interp: the centre's index */
        q->k_len[s] = len;
        for (int j = 0; j < len; j++) {
          const double n = j ? f : 1 - f;
          q->k_n[off + j] = (sl_real)n;
          q->k_dn[off + j] = len > 1 ? (sl_real)((j ? 1 : -1) / gap) : 0;
          q->k_w[off + j] = (sl_real)(ws * n);
        }
        off += len;
        continue;
      }
      const double P = pos[s], R = c->kernel_radius * sigma;
      int lo = (int)ceil(P - R), hi = (int)floor(P + R);
      if (lo < 0) lo = 0;
      if (hi > c->taps - 1) hi = c->taps - 1;
      if (hi < lo) lo = hi = sl_delay_of(m, (float)P);
      double G = 0, mu = 0, g[SL_TRAIN_MAX_TAPS];
      const double s2 = (double)sigma * sigma;
      for (int d = lo; d <= hi; d++) {
        g[d - lo] = exp(-(d - P) * (d - P) / (2 * s2));
        G += g[d - lo];
      }
      for (int d = lo; d <= hi; d++) mu += g[d - lo] / G * (d - P) / s2;
      q->k_d0[s] = lo;
      q->k_len[s] = hi - lo + 1;
      for (int d = lo; d <= hi; d++) {
        const double n = g[d - lo] / G;
        q->k_n[off + d - lo] = (sl_real)n;
        q->k_dn[off + d - lo] = (sl_real)(n * ((d - P) / s2 - mu));
        q->k_w[off + d - lo] = (sl_real)(ws * n);
      }
      off += hi - lo + 1;
    }
    int32_t n = 0;
    for (int o = 0; o < q->n_post; o++) {
      q->ct_start[o] = n;
      for (int cc = q->col[o]; cc < q->col[o + 1]; cc++) {
        const int s = q->col_syn[cc];
        for (int j = 0; j < q->k_len[s]; j++) {
          const int sh = interp ? q->k_d0[s] + j : 1 + q->k_d0[s] + j; /* interp: the centre */
          if (!interp && sh >= c->steps) break;
          q->ct_pre[n] = q->pre[s];
          q->ct_sh[n] = sh;
          q->ct_tap[n] = q->k_off[s] + j;
          q->ct_w[n] = q->k_w[q->k_off[s] + j];
          n++;
        }
      }
    }
    q->ct_start[q->n_post] = n;
  }
}

/* ------------------------------------------------------------------ one sample */

static void build_nz(const int32_t **nz, int32_t *nnz, const sl_real *in, int n, int T) {
  for (int i = 0; i < n; i++) {
    int32_t *ev = (int32_t *)nz[i];
    int k = 0;
    for (int t = 0; t < T; t++)
      if (in[(size_t)i * sl_stride(T) + t] != 0) ev[k++] = t;
    nnz[i] = k;
  }
}

static void make_mask(sl_real *mask, int H, float p, uint64_t seed) {
  uint64_t r = seed;
  const sl_real keep = (sl_real)(1.0 / (1.0 - p));
  for (int n = 0; n < H; n++) mask[n] = p > 0 && sl_unif(&r) < p ? 0 : keep;
}

void sl_model_dropout_mask(const sl_model *m, uint64_t batch_seed, int b, int layer, int train, sl_real *mask) {
  const uint64_t ms = stream(batch_seed, (uint64_t)b, 7);
  make_mask(mask, m->cfg.n_hid, train ? m->cfg.dropout : 0, sl_hash64(ms + (uint64_t)layer * 0x632BE59BD9B4E019ull));
}

/* out += projection p of the presynaptic rows in (out zeroed by the caller) */
static void proj_forward(const sl_model *m, sl_ws *w, int p, sl_real *out, const sl_real *in) {
  const sl_proj *q = &m->proj[p];
  const int T = m->cfg.steps;
  if (!q->interp)
    sl_delay_forward(out, in, w->nzp[p], w->nnz[p], q, T);
  else if (interp_pre_side(m, p))
    sl_interp_pre_forward(out, w->sm, in, w->nnz[p], q, &m->basis, T);
  else
    sl_interp_post_forward(out, w->zc, in, w->nzp[p], w->nnz[p], q, &m->basis, T);
}

/* 1 if optimiser step `step` (counted from 1) regrows: every regrow_every-th step */
static int regrow_step(const sl_model *m, int64_t step) {
  const sl_train_cfg *c = &m->cfg;
  return c->deepr && c->rewire && step % c->regrow_every == 0;
}

/* 1 if the batch about to run needs the RigL gradients of the dormant candidates */
static int rigl_batch(const sl_model *m) { return !m->cfg.regrow_random && regrow_step(m, m->step + 1); }

/* Forward (and, if gscale != 0, backward) of one sample into workspace w. */
static double sample_fb(sl_model *m, sl_ws *w, const uint8_t *payload, int32_t label, int train,
                        uint64_t mask_seed, const sl_real *mask_given, sl_real gscale, int32_t *pred) {
  const sl_train_cfg *c = &m->cfg;
  const int T = c->steps, S = sl_stride(T), C = c->n_in, H = c->n_hid, R = c->n_out, L = c->n_layers;
  const sl_real beta = (sl_real)(sl_leak_q12(c->tau) / 4096.0);
  const sl_real beta_o = (sl_real)(sl_leak_q12(c->tau_out) / 4096.0);
  const sl_real alpha = c->surr_alpha;
  for (int t = 0; t < T; t++)
    for (int i = 0; i < C; i++) w->x[(size_t)i * S + t] = (sl_real)payload[(size_t)t * C + i] * c->in_scale;
  build_nz(w->nzp[0], w->nnz[0], w->x, C, T);
  const sl_real *in = w->x;
  for (int l = 0; l < L; l++) {
    memset(w->I[l], 0, sizeof(sl_real) * (size_t)H * S);
    proj_forward(m, w, l, w->I[l], in);
    if (mask_given)
      memcpy(w->mask[l], mask_given + (size_t)l * H, sizeof(sl_real) * (size_t)H);
    else
      make_mask(w->mask[l], H, train ? c->dropout : 0, sl_hash64(mask_seed + (uint64_t)l * 0x632BE59BD9B4E019ull));
    sl_lif_forward(w->V[l], w->s[l], w->h[l], w->I[l], w->mask[l], H, T, beta, alpha, c->smooth);
    build_nz(w->nzp[l + 1], w->nnz[l + 1], w->h[l], H, T);
    int64_t ns = 0; /* an integer sum: vectorised, and exact */
    for (size_t k = 0; k < (size_t)H * S; k++) ns += w->s[l][k];
    w->spikes += (double)ns;
    in = w->h[l];
  }
  memset(w->J, 0, sizeof(sl_real) * (size_t)R * S);
  proj_forward(m, w, L, w->J, in);
  sl_li_forward(w->M, w->J, R, T, beta_o);
  memset(w->gM, 0, sizeof(sl_real) * (size_t)R * S);
  double loss = sl_loss_forward_backward(gscale != 0 ? w->gM : NULL, w->M, label, R, T, gscale, pred, m->rule);
  const double lam = m->phase == 1 ? c->qat_membrane : c->membrane; /* the hardware-rule term */
  if (lam > 0)
    loss += lam * sl_loss_membrane_forward_backward(gscale != 0 ? w->gM : NULL, w->M, label, R, T, (sl_real)(gscale * lam));
  if (gscale == 0) return loss;
  /* backward */
  memset(w->gJ, 0, sizeof(sl_real) * (size_t)R * S);
  sl_li_backward(w->gJ, w->gM, R, T, beta_o);
  const sl_real *g = w->gJ;
  /* fine-tuning the readout only: the hidden layers' gradients would go unused */
  const int readout_only = m->phase == 1 && c->qat_readout_only;
  for (int p = L; p >= 0; p--) {
    const sl_real *pin = p == 0 ? w->x : w->h[p - 1];
    const sl_proj *q = &m->proj[p];
    sl_real *gin = p > 0 && !readout_only ? w->gh[p - 1] : NULL;
    if (gin) memset(gin, 0, sizeof(sl_real) * (size_t)H * S);
    if (!q->interp) {
      sl_delay_backward_taps(w->gtap[p], g, pin, w->nzp[p], w->nnz[p], q, T);
      if (gin) sl_delay_backward_in(gin, g, q, T);
    } else if (interp_pre_side(m, p)) {
      sl_interp_pre_backward_taps(w->gtap[p], g, w->sm, w->nnz[p], q, &m->basis, T);
    } else {
      sl_interp_post_backward(w->gtap[p], gin, w->zc, g, pin, w->nzp[p], w->nnz[p], q, &m->basis, T);
    }
    if (rigl_batch(m)) { /* RigL: gradients of the dormant candidates */
      sl_real *gd = w->gdorm + m->dorm_off[p];
      for (int i = 0; i < q->n_pre; i++) {
        const int ne = w->nnz[p][i];
        if (!ne) continue;
        const sl_real *x = pin + (size_t)i * S;
        const int32_t *ev = w->nzp[p][i];
        for (int s = q->row[i]; s < q->row[i + 1]; s++) {
          if (q->k_len[s]) continue;
          const int sh = 1 + q->k_d0[s];
          const sl_real *go = g + (size_t)q->post[s] * S;
          sl_real acc = 0;
          if (4 * ne >= T) { /* dense row: the vectorised dot of the layer code */
            sl_delay_dot(&acc, go + sh, x, T);
          } else {
            for (int e = 0; e < ne && ev[e] + sh < T; e++) acc += go[ev[e] + sh] * x[ev[e]];
          }
          gd[s] += acc;
        }
      }
    }
    if (p == 0 || readout_only) break;
    memset(w->gI[p - 1], 0, sizeof(sl_real) * (size_t)H * S);
    sl_lif_backward(w->gI[p - 1], w->gh[p - 1], w->V[p - 1], w->s[p - 1], w->mask[p - 1], H, T, beta, alpha);
    g = w->gI[p - 1];
  }
  return loss;
}

double sl_model_sample(sl_model *m, const uint8_t *payload, int32_t label, const sl_real *mask_or_null,
                       sl_real *M_out, int32_t *pred) {
  sl_ws *w = m->ws;
  double loss = sample_fb(m, w, payload, label, 0, 0, mask_or_null, 0, pred);
  const int T = m->cfg.steps, S = sl_stride(T);
  if (M_out)
    for (int k = 0; k < m->cfg.n_out; k++) memcpy(M_out + (size_t)k * T, w->M + (size_t)k * S, sizeof(sl_real) * T);
  return loss;
}

/* ------------------------------------------------------------------ one batch */

void sl_model_batch(sl_model *m, const uint8_t *const *payload, const int32_t *label, int32_t B, int train,
                    uint64_t mask_seed, sl_stats *st) {
  sl_ws *W = m->ws;
  const int nt = m->n_threads;
  const sl_real gscale = train ? (sl_real)(1.0 / B) : 0;
  for (int t = 0; t < nt; t++) {
    W[t].loss = 0;
    W[t].spikes = 0;
    W[t].correct = W[t].n = 0;
    if (train) {
      for (int p = 0; p < m->n_proj; p++) memset(W[t].gtap[p], 0, sizeof(sl_real) * (size_t)m->proj[p].k_cap);
      if (W[t].gdorm) {
        size_t nd = m->dorm_off[m->n_proj - 1] + (size_t)m->proj[m->n_proj - 1].n_syn;
        memset(W[t].gdorm, 0, sizeof(sl_real) * nd);
      }
    }
  }
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt) if (nt > 1)
#endif
  for (int b = 0; b < B; b++) {
    int tid = 0;
#ifdef _OPENMP
    tid = omp_get_thread_num();
#endif
    sl_ws *w = &W[tid];
    int32_t pred;
    w->loss += sample_fb(m, w, payload[b], label[b], train, stream(mask_seed, (uint64_t)b, 7), NULL, gscale, &pred);
    w->correct += pred == label[b];
    w->n++;
  }
  /* reduce in thread order: deterministic for a given thread count */
  if (st) {
    for (int t = 0; t < nt; t++) {
      st->loss += W[t].loss;
      st->correct += W[t].correct;
      st->n += W[t].n;
      st->spikes_per_neuron += W[t].spikes / ((double)m->cfg.n_hid * m->cfg.n_layers);
    }
  }
  if (!train) return;
  memset(m->grads_mem, 0, sizeof(sl_real) * m->n_params);
  for (int p = 0; p < m->n_proj; p++) {
    sl_proj *q = &m->proj[p];
    sl_real *gt = W[0].gtap[p];
    for (int t = 1; t < nt; t++)
      for (int k = 0; k < q->k_cap; k++) gt[k] += W[t].gtap[p][k];
    /* chain rule from taps to weight and position: k_w[j] = w n_j(pos) */
    const sl_real *wv = m->params.w[p];
    for (int s = 0; s < q->n_syn; s++) {
      const int len = q->k_len[s];
      if (!len) continue;
      double gw = 0, gp = 0;
      for (int j = 0; j < len; j++) {
        gw += (double)gt[q->k_off[s] + j] * q->k_n[q->k_off[s] + j];
        gp += (double)gt[q->k_off[s] + j] * q->k_dn[q->k_off[s] + j];
      }
      m->grads.w[p][s] = (sl_real)gw;
      m->grads.pos[p][s] = (sl_real)(gp * wv[s]);
    }
  }
  if (m->gdorm) {
    size_t nd = m->dorm_off[m->n_proj - 1] + (size_t)m->proj[m->n_proj - 1].n_syn;
    memset(m->gdorm, 0, sizeof(sl_real) * nd);
    if (rigl_batch(m))
      for (int t = 0; t < nt; t++)
        for (size_t k = 0; k < nd; k++) m->gdorm[k] += W[t].gdorm[k];
  }
}

/* ------------------------------------------------------------------ update */

typedef struct {
  double score;
  int32_t idx;
} cand_t;

static int cand_cmp(const void *a, const void *b) {
  const cand_t *x = a, *y = b;
  if (x->score > y->score) return -1;
  if (x->score < y->score) return 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* DEEP R: prune synapses whose weight crossed (or reached) zero against their sign; RigL:
 * regrow as many dormant candidates, those whose gradient promises the fastest descent in
 * their sign's direction (or random ones), in rows with free capacity. */
static void rewire(sl_model *m) {
  const sl_train_cfg *c = &m->cfg;
  m->pruned_last = 0;
  for (int p = 0; p < m->n_proj; p++) {
    sl_proj *q = &m->proj[p];
    sl_real *w = m->params.w[p];
    const size_t base = (size_t)(m->params.w[p] - m->params_mem);
    int32_t *fill = calloc((size_t)q->n_pre, sizeof(int32_t));
    uint8_t *fresh = calloc((size_t)q->n_syn, 1);
    cand_t *cd = malloc(sizeof(cand_t) * (size_t)q->n_syn);
    if (!fill || !fresh || !cd) { free(fill); free(fresh); free(cd); return; }
    int pruned = 0, kept = 0;
    for (int i = 0; i < q->n_pre; i++)
      for (int s = q->row[i]; s < q->row[i + 1]; s++) {
        if (!q->active[s]) continue;
        if (w[s] * q->sign[s] <= 0) {
          q->active[s] = 0;
          w[s] = 0;
          m->m_mem[base + s] = m->v_mem[base + s] = 0;
          fresh[s] = 1;
          pruned++;
        } else {
          fill[i]++;
          kept++;
        }
      }
    /* regrow what the budget lacks (this step's prunes and, with regrow_every > 1, those of
     * the steps since the last regrowth: the deficit is budget - active, no extra state) */
    const int deficit = regrow_step(m, m->step) ? q->budget - kept : 0;
    if (deficit > 0) {
      uint64_t rng = stream(c->seed, (uint64_t)m->step, 100 + (uint64_t)p);
      int n = 0;
      const sl_real *gd = m->gdorm ? m->gdorm + m->dorm_off[p] : NULL;
      for (int s = 0; s < q->n_syn; s++) {
        if (q->active[s] || fresh[s]) continue;
        cd[n].idx = s;
        cd[n].score = c->regrow_random || !gd ? sl_unif(&rng) : -(double)q->sign[s] * gd[s];
        n++;
      }
      qsort(cd, (size_t)n, sizeof(cand_t), cand_cmp);
      int grown = 0;
      for (int k = 0; k < n && grown < deficit; k++) {
        const int s = cd[k].idx;
        int i = 0;
        /* row of s: rows are equal-sized */
        i = s / (q->row[1] - q->row[0]);
        if (fill[i] >= q->row_cap) continue;
        fill[i]++;
        q->active[s] = 1;
        w[s] = (sl_real)(q->sign[s] * c->regrow_init);
        m->m_mem[base + s] = m->v_mem[base + s] = 0;
        grown++;
      }
    }
    m->pruned_last += pruned;
    free(fill); free(fresh); free(cd);
  }
  m->pruned_total += m->pruned_last;
}

void sl_model_update(sl_model *m, float lr_w, float lr_pos, int train_pos) {
  const sl_train_cfg *c = &m->cfg;
  m->step++;
  const double b1 = c->adam_b1, b2 = c->adam_b2, eps = c->adam_eps;
  const double bc1 = 1 - pow(b1, (double)m->step), bc2 = 1 - pow(b2, (double)m->step);
  /* L1 on the weights of active synapses */
  if (c->l1 > 0)
    for (int p = 0; p < m->n_proj; p++)
      for (int s = 0; s < m->proj[p].n_syn; s++) {
        const sl_real wv = m->params.w[p][s];
        if (m->proj[p].active[s]) m->grads.w[p][s] += (sl_real)(c->l1 * ((wv > 0) - (wv < 0)));
      }
  /* one flat Adam loop over the tensors, each with its learning rate */
  size_t off = 0;
  for (int k = 0; k < 2 * m->n_proj; k++) {
    const int is_pos = k & 1;
    double lr = is_pos ? (train_pos ? lr_pos : 0) : lr_w;
    if (m->phase == 1 && c->qat_readout_only && k / 2 < m->n_proj - 1) lr = 0; /* hidden frozen */
    const size_t n = m->t_size[k];
    if (lr > 0) {
      sl_real *pw = m->params_mem + off, *g = m->grads_mem + off, *mm = m->m_mem + off, *vv = m->v_mem + off;
      for (size_t i = 0; i < n; i++) {
        const double gi = g[i];
        mm[i] = (sl_real)(b1 * mm[i] + (1 - b1) * gi);
        vv[i] = (sl_real)(b2 * vv[i] + (1 - b2) * gi * gi);
        pw[i] -= (sl_real)(lr * (mm[i] / bc1) / (sqrt(vv[i] / bc2) + eps));
      }
    }
    off += n;
  }
  for (int p = 0; p < m->n_proj; p++) {
    sl_proj *q = &m->proj[p];
    for (int s = 0; s < q->n_syn; s++) {
      sl_real *ps = &m->params.pos[p][s];
      if (*ps < 0) *ps = 0;
      if (*ps > c->taps - 1) *ps = (sl_real)(c->taps - 1);
      if (!q->active[s]) m->params.w[p][s] = 0;
    }
  }
  if (c->deepr && c->rewire) rewire(m);
}

/* ------------------------------------------------------------------ checkpoint */

#define CKPT_MAGIC "SLTC"
#define CKPT_VERSION 5 /* 2: the configuration gained dcls_kernel, augmentation and fine-tuning loss; 3: ste_frac, regrow_every; 4: membrane; 5: aug_fmask, aug_tmask */
#define CKPT_HEADER 64

typedef struct {
  char magic[4];
  uint16_t version, real_size;
  uint32_t cfg_size, crc;
  uint64_t n_params, total;
  int64_t step;
  int32_t epoch, phase, best_epoch, pruned_total;
  float best_val, sigma;
} ckpt_header;

_Static_assert(sizeof(ckpt_header) == CKPT_HEADER, "checkpoint header is 64 bytes");

/* the configuration bytes of a checkpoint version: version 4 holds sl_train_cfg up to seed */
_Static_assert(offsetof(sl_train_cfg, aug_fmask) == offsetof(sl_train_cfg, seed) + sizeof(uint64_t),
               "version-4 configuration = the prefix up to and including seed");
static size_t ckpt_cfg_size(unsigned version) {
  return version == 4 ? offsetof(sl_train_cfg, aug_fmask) : version == CKPT_VERSION ? sizeof(sl_train_cfg) : 0;
}

/* bytes of a checkpoint of m whose configuration takes cfg_size bytes */
static size_t ckpt_size(const sl_model *m, size_t cfg_size) {
  size_t n = CKPT_HEADER + cfg_size + 4 * m->n_params * sizeof(sl_real);
  for (int p = 0; p < m->n_proj; p++) n += 2 * (size_t)m->proj[p].n_syn; /* active, best active */
  return n;
}

/* The size a checkpoint of a configuration has and its parameter count, computed in 64 bits
 * from a checked configuration, before anything is allocated. */
static uint64_t ckpt_size_of(const sl_train_cfg *c, size_t cfg_size, uint64_t *n_params) {
  const int64_t nc = c->deepr ? c->n_cand : 1;
  uint64_t syn = 0;
  for (int p = 0; p <= c->n_layers; p++) {
    const int64_t n_pre = p == 0 ? c->n_in : c->n_hid, n_post = p == c->n_layers ? c->n_out : c->n_hid;
    syn += (uint64_t)(n_pre * n_post * nc);
  }
  *n_params = 2 * syn;
  return CKPT_HEADER + cfg_size + 4 * *n_params * sizeof(sl_real) + 2 * syn;
}

sl_status sl_ckpt_encode(const sl_model *m, uint8_t **out, size_t *out_len, sl_err *err) {
  const size_t total = ckpt_size(m, sizeof(sl_train_cfg));
  uint8_t *buf = calloc(1, total);
  if (!buf) return sl_err_set(err, SL_ERR_NOMEM, "out of memory for a checkpoint of %zu bytes", total);
  ckpt_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, CKPT_MAGIC, 4);
  h.version = CKPT_VERSION;
  h.real_size = sizeof(sl_real);
  h.cfg_size = sizeof(sl_train_cfg);
  h.n_params = m->n_params;
  h.total = total;
  h.step = m->step;
  h.epoch = m->epoch;
  h.phase = m->phase;
  h.best_epoch = m->best_epoch;
  h.pruned_total = m->pruned_total;
  h.best_val = m->best_val;
  h.sigma = m->sigma;
  size_t off = CKPT_HEADER;
  memcpy(buf + off, &m->cfg, sizeof m->cfg);
  off += sizeof m->cfg;
  const size_t tb = m->n_params * sizeof(sl_real);
  memcpy(buf + off, m->params_mem, tb); off += tb;
  memcpy(buf + off, m->m_mem, tb); off += tb;
  memcpy(buf + off, m->v_mem, tb); off += tb;
  memcpy(buf + off, m->best_mem, tb); off += tb;
  for (int p = 0; p < m->n_proj; p++) {
    memcpy(buf + off, m->proj[p].active, (size_t)m->proj[p].n_syn);
    off += (size_t)m->proj[p].n_syn;
  }
  for (int p = 0; p < m->n_proj; p++) {
    memcpy(buf + off, m->proj[p].best_active, (size_t)m->proj[p].n_syn);
    off += (size_t)m->proj[p].n_syn;
  }
  memcpy(buf, &h, sizeof h);
  h.crc = sl_crc32(0, buf, total);
  memcpy(buf, &h, sizeof h);
  *out = buf;
  *out_len = total;
  return SL_OK;
}

sl_status sl_ckpt_save(const sl_model *m, const char *path, sl_err *err) {
  uint8_t *buf;
  size_t total;
  sl_err e2;
  sl_status st = sl_ckpt_encode(m, &buf, &total, &e2);
  if (st) return sl_err_set(err, st, "%s: %s", path, e2.msg);
  st = sl_write_file_atomic(path, buf, total, err);
  free(buf);
  return st;
}

/* A parameter-shaped tensor (w0, pos0, w1, pos1, ...) of a loaded checkpoint: delay positions
 * (with_pos) within 0..taps-1, as they are clamped after every step, checked first; then every
 * entry finite and, with nonneg, >= 0. Returns 0, or 1 with the message. */
static int bad_tensor(const sl_model *m, const sl_real *mem, const char *what, int with_pos, int nonneg,
                      const char *name, sl_err *err) {
  for (int pass = 0; pass < 2; pass++) {
    size_t off = 0;
    for (int p = 0; p < m->n_proj; p++)
      for (int half = 0; half < 2; half++) {
        const size_t n = m->t_size[2 * p + half];
        const int pos = with_pos && half == 1;
        for (size_t k = 0; pass == 0 && pos && k < n; k++) {
          const sl_real v = mem[off + k];
          if (!(isfinite(v) && v >= 0 && v <= m->cfg.taps - 1)) {
            sl_err_set(err, SL_ERR_RANGE, "%s: %s: projection %d synapse %zu: delay position %g outside 0..%d", name,
                       what, p, k, (double)v, m->cfg.taps - 1);
            return 1;
          }
        }
        for (size_t k = 0; pass == 1 && k < n; k++) {
          const sl_real v = mem[off + k];
          if (!isfinite(v) || (nonneg && v < 0)) {
            sl_err_set(err, SL_ERR_RANGE, "%s: %s: projection %d %s %zu is %g (must be finite%s)", name, what, p,
                       half ? "position entry" : "weight entry", k, (double)v, nonneg ? " and >= 0" : "");
            return 1;
          }
        }
        off += n;
      }
  }
  return 0;
}

sl_status sl_ckpt_decode(sl_model *m, const uint8_t *data, size_t len, const char *name, int n_threads, sl_err *err) {
  memset(m, 0, sizeof *m);
  ckpt_header h;
  if (len < CKPT_HEADER)
    return sl_err_set(err, SL_ERR_TRUNCATED, "%s: %zu bytes, too short for a checkpoint (header %d bytes)", name, len,
                      CKPT_HEADER);
  memcpy(&h, data, sizeof h);
  if (memcmp(h.magic, CKPT_MAGIC, 4)) return sl_err_set(err, SL_ERR_MAGIC, "%s: not a spikeline checkpoint (bad magic)", name);
  const size_t cfg_size = ckpt_cfg_size(h.version);
  if (!cfg_size || h.real_size != sizeof(sl_real) || h.cfg_size != cfg_size)
    return sl_err_set(err, SL_ERR_VERSION,
                      "%s: checkpoint version %u (real %u bytes) but this trainer reads 4 and %u (real %zu): re-run "
                      "`spikeline train` to make a new one", name, h.version, h.real_size, CKPT_VERSION, sizeof(sl_real));
  if (h.total != len)
    return sl_err_set(err, SL_ERR_SIZE, "%s: %zu bytes but the header says %llu (truncated?)", name, len,
                      (unsigned long long)h.total);
  if (len < CKPT_HEADER + cfg_size)
    return sl_err_set(err, SL_ERR_TRUNCATED, "%s: %zu bytes, too short for the header and configuration (%zu bytes)",
                      name, len, CKPT_HEADER + cfg_size);
  /* the CRC over the file with the CRC field as zero */
  ckpt_header z = h;
  z.crc = 0;
  uint32_t crc = sl_crc32(0, &z, sizeof z);
  crc = sl_crc32(crc, data + CKPT_HEADER, len - CKPT_HEADER);
  if (crc != h.crc) return sl_err_set(err, SL_ERR_CRC, "%s: checksum mismatch (corrupt checkpoint)", name);
  sl_train_cfg cfg;
  memset(&cfg, 0, sizeof cfg); /* fields an older version lacks: 0, their "off" */
  memcpy(&cfg, data + CKPT_HEADER, cfg_size);
  sl_err e2;
  if (sl_train_cfg_check(&cfg, &e2)) return sl_err_set(err, SL_ERR_RANGE, "%s: configuration: %s", name, e2.msg);
  uint64_t n_params;
  const uint64_t want = ckpt_size_of(&cfg, cfg_size, &n_params);
  if (want != len || n_params != h.n_params)
    return sl_err_set(err, SL_ERR_SIZE, "%s: %zu bytes, %llu parameters, but its configuration needs %llu bytes, %llu "
                      "parameters", name, len, (unsigned long long)h.n_params, (unsigned long long)want,
                      (unsigned long long)n_params);
  const int64_t epochs = (int64_t)cfg.epochs + cfg.qat_epochs;
  if (h.step < 0 || h.epoch < 0 || h.epoch > epochs || h.phase < 0 || h.phase > 1 || h.best_epoch < -1 ||
      h.best_epoch > epochs || h.pruned_total < 0)
    return sl_err_set(err, SL_ERR_RANGE, "%s: training state out of range (step %lld, epoch %d, phase %d, best epoch %d, "
                      "pruned %d; %lld epochs)", name, (long long)h.step, h.epoch, h.phase, h.best_epoch,
                      h.pruned_total, (long long)epochs);
  if (!(isfinite(h.best_val) && h.best_val >= -1 && h.best_val <= 1))
    return sl_err_set(err, SL_ERR_RANGE, "%s: best validation accuracy %g not in [-1, 1]", name, h.best_val);
  if (!(isfinite(h.sigma) && h.sigma >= 0 && h.sigma <= 8 * SL_TRAIN_MAX_TAPS))
    return sl_err_set(err, SL_ERR_RANGE, "%s: DCLS sigma %g not in [0, %d]", name, h.sigma, 8 * SL_TRAIN_MAX_TAPS);
  sl_status st = sl_model_init(m, &cfg, n_threads, &e2);
  if (st) return sl_err_set(err, st, "%s: %s", name, e2.msg);
  if (ckpt_size(m, cfg_size) != len || m->n_params != h.n_params) { /* ckpt_size_of and sl_model_init agree */
    sl_model_free(m);
    return sl_err_set(err, SL_ERR_SIZE, "%s: sizes disagree with its configuration", name);
  }
  size_t off = CKPT_HEADER + cfg_size;
  const size_t tb = m->n_params * sizeof(sl_real);
  memcpy(m->params_mem, data + off, tb); off += tb;
  memcpy(m->m_mem, data + off, tb); off += tb;
  memcpy(m->v_mem, data + off, tb); off += tb;
  memcpy(m->best_mem, data + off, tb); off += tb;
  for (int p = 0; p < m->n_proj; p++) {
    memcpy(m->proj[p].active, data + off, (size_t)m->proj[p].n_syn);
    off += (size_t)m->proj[p].n_syn;
  }
  for (int p = 0; p < m->n_proj; p++) {
    memcpy(m->proj[p].best_active, data + off, (size_t)m->proj[p].n_syn);
    off += (size_t)m->proj[p].n_syn;
  }
  static const char *tname[4] = {"parameters", "Adam first moments", "Adam second moments", "best parameters"};
  const sl_real *mem[4] = {m->params_mem, m->m_mem, m->v_mem, m->best_mem};
  for (int k = 0; k < 4; k++)
    if (bad_tensor(m, mem[k], tname[k], k == 0 || k == 3, k == 2, name, err)) {
      sl_model_free(m);
      return SL_ERR_RANGE;
    }
  for (int p = 0; p < m->n_proj; p++)
    for (int32_t s = 0; s < m->proj[p].n_syn; s++)
      if (m->proj[p].active[s] > 1 || m->proj[p].best_active[s] > 1) {
        sl_model_free(m);
        return sl_err_set(err, SL_ERR_RANGE, "%s: projection %d synapse %d: active flag not 0 or 1", name, p, s);
      }
  m->step = h.step;
  m->epoch = h.epoch;
  m->phase = h.phase;
  m->best_epoch = h.best_epoch;
  m->pruned_total = h.pruned_total;
  m->best_val = h.best_val;
  m->sigma = h.sigma;
  sl_model_prepare(m, m->sigma, m->phase == 1);
  return SL_OK;
}

sl_status sl_ckpt_load(sl_model *m, const char *path, int n_threads, sl_err *err) {
  uint8_t *buf;
  size_t len;
  memset(m, 0, sizeof *m);
  sl_status st = sl_read_file(path, &buf, &len, err);
  if (st) return st;
  st = sl_ckpt_decode(m, buf, len, path, n_threads, err);
  free(buf);
  return st;
}
