/* sl_train.h — the spikeline host trainer: a delay-SNN trained with surrogate-gradient BPTT,
 * delays learned by gradient (DCLS) and/or by structure (DEEP R + RigL), quantised onto the
 * integer core of docs/spec.md and exported as a model image.
 *
 * The float network is the float image of the spec (docs/trainer.md):
 *   I_t   = sum over synapses of w * x_{t-1-d}        (one-step lag: consumed at t+1+d)
 *   s_t   = H(V_{t-1} - 1)                             (spike from V before this step's input)
 *   V_t   = (1 - s_t) (beta V_{t-1} + I_t)             (reset to zero; reset not differentiated)
 *   M_t   = beta M_{t-1} + J_t                          (readout: leaky integrator)
 *   loss  = CE(softmax(sum_t softmax(M_t)), y)          decision = argmax_k sum_t M_t[k]
 * with beta = L/4096, L = round((1 - 1/tau) 4096): the leak the hardware applies.
 *
 * Layout follows llm.c: one allocation for all parameters with typed views, gradients and
 * Adam state in the same layout, layers as x_forward / x_backward pairs (sl_layers.c). */
#ifndef SL_TRAIN_H
#define SL_TRAIN_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "sl_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The trainer's real type. The gradient-check test builds the same sources in double. */
#ifdef SL_REAL_DOUBLE
typedef double sl_real;
#else
typedef float sl_real;
#endif

#define SL_TRAIN_MAX_LAYERS 4    /* hidden layers; + 1 readout = populations of the image */
#define SL_TRAIN_MAX_PROJ (SL_TRAIN_MAX_LAYERS + 1)
#define SL_TRAIN_MAX_TAPS 32     /* delay range 0..taps-1; the ring depth D of the spec is 32 */

enum { SL_DELAY_NONE = 0, SL_DELAY_FIXED = 1, SL_DELAY_DCLS = 2 };
/* Decision rule of an evaluation: the hardware's (argmax of the summed readout membrane),
 * the seed's (argmax of the summed per-step softmax), or a per-step vote (for comparison). */
enum { SL_RULE_HARDWARE = 0, SL_RULE_SOFTMAX = 1, SL_RULE_VOTE = 2 };
/* DCLS kernel of a synapse at real position p (docs/trainer.md, "Delays by gradient"):
 * GAUSS = the truncated normalised Gaussian centred at p; INTERP = the linear interpolation
 * between the two truncated normalised Gaussians centred at the integers around p. */
enum { SL_KERNEL_GAUSS = 0, SL_KERNEL_INTERP = 1 };

/* ---- configuration (every field fixed-width: it is stored in the checkpoint) ---- */
typedef struct {
  /* sizes */
  int32_t n_in, n_hid, n_layers, n_out, steps, taps; /* taps: delays 0..taps-1 */
  int32_t batch, epochs, qat_epochs;
  /* neurons */
  float tau, tau_out, surr_alpha, dropout;
  float in_scale;          /* input feature = payload * in_scale (payload 1..255) */
  float init_gain;         /* Kaiming-uniform bound multiplier */
  /* delays */
  int32_t delay_mode;      /* SL_DELAY_* */
  float sigma_start, sigma_end, sigma_add, sigma_frac, kernel_radius; /* DCLS (in taps) */
  int32_t dcls_kernel;     /* SL_KERNEL_* */
  /* DCLS: fraction of the main epochs, at the end, trained with the rounded (deployed)
   * delays in the forward and straight-through position gradients (sl_model_prepare) */
  float ste_frac;
  /* structure (DEEP R + RigL) */
  int32_t deepr, n_cand, dale, regrow_random, row_cap, rewire;
  float sparsity;          /* fraction of the dense pairs pruned: 0, 1/2, 3/4, ... */
  float regrow_init;       /* magnitude of a regrown synapse */
  int32_t regrow_every;    /* regrow every N optimiser steps (pruning stays every step) */
  /* optimiser */
  float lr_w, lr_w_div, lr_w_final_div, lr_w_pct, lr_pos, lr_qat, l1;
  float adam_b1, adam_b2, adam_eps;
  int32_t smooth;          /* test hook: spike output = smooth arctan step (gradient checks) */
  /* augmentation of training samples (sl_augment.h): band shift, time stretch, time shift
   * (the band and time masks are at the end) */
  float aug_shift, aug_stretch, aug_time;
  /* fine-tuning: weight of a second loss term, the cross-entropy of softmax(mean_t M) whose
   * argmax is the hardware decision (argmax of the summed readout membrane); 1 = only the
   * readout projection learns (the hidden layers keep their trained weights) */
  float qat_membrane;
  int32_t qat_readout_only;
  /* the same term's weight in the main phase (0 = the seed's loss alone) */
  float membrane;
  uint64_t seed;
  /* Fields added since checkpoint version 4 go here, at the end, so that the configuration
   * of an older checkpoint is a prefix of this one (sl_ckpt_decode zero-fills the rest). */
  int32_t aug_fmask, aug_tmask; /* largest widths of one band and one time mask (SpecAugment) */
} sl_train_cfg;

/* Defaults of the reference method (Meszaros, Knight, Nowotny 2024; docs/trainer.md). */
void sl_train_cfg_default(sl_train_cfg *c);
/* Set one option by name ("hidden", "lr-w", ...) from text; returns SL_ERR_ARG naming it. */
sl_status sl_train_cfg_set(sl_train_cfg *c, const char *key, const char *val, sl_err *err);
/* Read "key = value" lines ('#' comments) from a regular file; errors name it and the line. */
sl_status sl_train_cfg_load(sl_train_cfg *c, const char *path, sl_err *err);
/* The same from an open stream (name: for the messages). */
sl_status sl_train_cfg_read(sl_train_cfg *c, FILE *f, const char *name, sl_err *err);
void sl_train_cfg_print(FILE *f, const sl_train_cfg *c);
/* Every field in its range (integers in 64 bits, reals finite), then the fields together. */
sl_status sl_train_cfg_check(const sl_train_cfg *c, sl_err *err);
/* The hardware leak for a time constant: L = round((1 - 1/tau) 4096); beta = L / 4096. */
int32_t sl_leak_q12(float tau);

/* ---- a projection: candidate synapses (pre, post, delay slot), grouped by pre (rows) ---- */
typedef struct {
  int32_t n_pre, n_post, n_syn;
  int32_t *row;        /* [n_pre + 1] CSR offsets: synapses of pre are row[pre] .. row[pre+1]-1 */
  int32_t *post;       /* [n_syn] */
  int32_t *pre;        /* [n_syn] */
  int32_t *col, *col_syn; /* CSC view: synapses onto post o are col_syn[col[o] .. col[o+1]-1] */
  int8_t *sign;        /* [n_syn] fixed sign under DEEP R (+1 / -1); 0 = free */
  uint8_t *active;     /* [n_syn] 1 = in the budget (dense: all) */
  uint8_t *best_active; /* the structure of the best (validation) snapshot */
  int32_t budget;      /* active synapses kept (DEEP R) */
  int32_t row_cap;     /* at most this many active synapses per row (hardware row capacity) */
  int32_t payload_scale_is_input; /* 1: presynaptic values are payload*in_scale (input layer) */
  /* Derived once per optimiser step (sl_model_prepare): the delay kernel of every synapse. */
  int32_t *k_d0, *k_len, *k_off; /* first tap, taps (0 = inactive), offset into k_w / k_n */
  sl_real *k_w;        /* tap weights w * n_d (w fake-quantised under QAT) */
  sl_real *k_n;        /* normalised Gaussian n_d (1 for an integer delay) */
  sl_real *k_dn;       /* d n_d / d position */
  int32_t k_cap;
  /* The same taps in column order (per post), contiguous for the per-sample loops:
   * taps of post o are ct_pre/ct_sh/ct_w/ct_tap[ct_start[o] .. ct_start[o+1]-1]. */
  int32_t *ct_start, *ct_pre, *ct_sh, *ct_tap;
  sl_real *ct_w;
  /* INTERP kernel (sl_model_prepare): the two "taps" of a synapse are its integer centres
   * c0 = k_d0 and c0 + 1 with k_n = (1 - f, f), k_dn = (-1, 1); ct_sh holds the centre. */
  int32_t interp;
  float qscale;        /* QAT: weight -> integer multiplier (0 = no quantisation) */
} sl_proj;

/* Parameter tensors in the one allocation, in this order: for each projection p,
 * w[p] then pos[p]. Gradients and Adam m, v share the layout. */
typedef struct {
  sl_real *w[SL_TRAIN_MAX_PROJ];
  sl_real *pos[SL_TRAIN_MAX_PROJ];
} sl_params;

typedef struct {
  double loss;              /* mean cross-entropy */
  int32_t correct, n;       /* hardware decision rule */
  double spikes_per_neuron; /* hidden spikes per neuron per sample */
} sl_stats;

/* The INTERP kernel's basis: taps centres, centre c at delay sl_interp_centre(c, grid, taps)
 * (0, g, 2g, ... and the last delay, g = grid = sl_interp_grid(sigma)), at each the Gaussian
 * of width sigma truncated at +-kernel_radius sigma and normalised over the delays it keeps:
 * n_d(c) = n[c][d - lo[c]] for d = lo[c] .. lo[c] + len[c] - 1. wide != 0 when some window
 * has 8 delays or more; the smoothing then runs on the same weights laid out in blocks of 4
 * centres, bw[b][d - blo[b]][k] = n_d(4b + k) for blo[b] <= d < bhi[b] (zero outside a
 * centre's window): sl_basis_blocks, once per sl_model_prepare, which also finds the run of
 * centres with whole windows (reg0, reg1). */
#define SL_BASIS_BLOCKS ((SL_TRAIN_MAX_TAPS + 3) / 4)
typedef struct {
  int32_t taps, grid, lo[SL_TRAIN_MAX_TAPS], len[SL_TRAIN_MAX_TAPS];
  int32_t taps_range;      /* the delay range 0 .. taps_range - 1 the centres span */
  sl_real n[SL_TRAIN_MAX_TAPS][SL_TRAIN_MAX_TAPS];
  int32_t wide, blo[SL_BASIS_BLOCKS], bhi[SL_BASIS_BLOCKS];
  sl_real bw[SL_BASIS_BLOCKS][SL_TRAIN_MAX_TAPS][4];
  /* centres reg0 .. reg1 have whole (untruncated) windows, hence the same weights: their
   * smoothed rows are shifts of one another (reg1 < reg0 + 2: no such run) */
  int32_t reg0, reg1;
} sl_basis;

/* Spacing of the INTERP kernel's centres: ceil(sigma / 2), at least 1. Blending two Gaussians
 * g apart widens the kernel midway to sqrt(sigma^2 + g^2 / 4): never more than spacing 1
 * does at sigma = 1 (+11.8 %), while the smoothing work (centres x kernel length) stays
 * bounded whatever sigma is instead of growing with it. */
static inline int sl_interp_grid(float sigma) {
  const int g = (int)ceilf(sigma * 0.5f);
  return g < 1 ? 1 : g;
}
/* the delay of centre c (grid 1: the integer c itself, as the straight-through taps use) */
static inline int sl_interp_centre(int c, int grid, int taps) { return c * grid < taps - 1 ? c * grid : taps - 1; }

typedef struct sl_model {
  sl_train_cfg cfg;
  int32_t n_proj;
  sl_proj proj[SL_TRAIN_MAX_PROJ];
  size_t n_params;
  size_t t_size[2 * SL_TRAIN_MAX_PROJ]; /* tensor sizes: w0, pos0, w1, pos1, ... */
  sl_real *params_mem, *grads_mem, *m_mem, *v_mem, *best_mem;
  sl_params params, grads;
  /* training state */
  int64_t step;             /* optimiser steps done */
  int32_t epoch;            /* epochs done */
  int32_t phase;            /* 0 = main, 1 = quantisation-aware fine-tuning */
  float best_val;           /* best validation accuracy so far (selection) */
  int32_t best_epoch;
  float sigma;              /* DCLS width in force (0 = integer delays) */
  int32_t ste;              /* 1 with sigma 0: rounded delays forward, straight-through positions */
  int32_t quant;            /* 1 = forward uses fake-quantised weights */
  int32_t rule;             /* SL_RULE_* of the decisions counted (not stored; 0 = hardware) */
  sl_basis basis;           /* INTERP kernel at the current sigma */
  int32_t n_threads;
  /* per-thread workspaces (sl_model.c) */
  void *ws;
  /* DEEP R statistics of the last step */
  int32_t pruned_last, pruned_total;
  sl_real *gdorm;           /* dormant-candidate gradients, per projection offsets below */
  size_t dorm_off[SL_TRAIN_MAX_PROJ];
} sl_model;

/* ---- model ---- */
sl_status sl_model_init(sl_model *m, const sl_train_cfg *cfg, int n_threads, sl_err *err);
void sl_model_free(sl_model *m);
/* Kernels for the current parameters: sigma (0 = integer delays) and quantisation. */
void sl_model_prepare(sl_model *m, float sigma, int quant);
/* Sigma of the DCLS schedule at an epoch (0 when the delays are integer). */
float sl_sigma_at(const sl_train_cfg *c, int32_t epoch);
/* 1 if a main-phase epoch trains with rounded delays and straight-through positions. */
int sl_ste_at(const sl_train_cfg *c, int32_t epoch);
/* Learning rates at an optimiser step. */
float sl_lr_w_at(const sl_train_cfg *c, int64_t step, int64_t steps_per_epoch);
float sl_lr_pos_at(const sl_train_cfg *c, int32_t epoch);

/* One batch: payload[b] points at sample b's [steps][n_in] payloads (0 = no event).
 * train = 1: dropout, gradients into m->grads (zeroed here). st accumulates. */
void sl_model_batch(sl_model *m, const uint8_t *const *payload, const int32_t *label, int32_t B,
                    int train, uint64_t mask_seed, sl_stats *st);
/* The dropout mask sl_model_batch uses for sample b of a batch (for the PyTorch twin). */
void sl_model_dropout_mask(const sl_model *m, uint64_t batch_seed, int b, int layer, int train, sl_real *mask);
/* Forward of one sample with outputs for inspection (tests, twin): M [n_out][steps]. */
double sl_model_sample(sl_model *m, const uint8_t *payload, int32_t label, const sl_real *mask_or_null,
                       sl_real *M_out, int32_t *pred);
/* L1, Adam, position clamp, DEEP R rewiring. Call after sl_model_batch(train=1). */
void sl_model_update(sl_model *m, float lr_w, float lr_pos, int train_pos);
/* Best-on-validation snapshot: copy parameters and structure to / from best_mem; restore
 * also clears the Adam state (a new phase starts from the snapshot). */
void sl_model_snapshot(sl_model *m);
void sl_model_restore(sl_model *m);
/* Integer quantisation multiplier of projection p (and the integer membrane scale S of a
 * spiking target population, which becomes its threshold). */
double sl_proj_qscale(const sl_model *m, int p, int32_t *S_int);
void sl_train_cfg_help(FILE *f);
/* Round-half-up integer delay of a position, clamped to 0..taps-1. */
int32_t sl_delay_of(const sl_model *m, float pos);

/* Activations are [n][sl_stride(T)] with a zero border of SL_TRAIN_MAX_TAPS on both sides
 * of the T steps (rounded up to 16): row n of array a starts at a + n * stride, and
 * a[n][-32 .. -1] and a[n][T .. Tr + 31] are zeros (workspace arrays point past the first
 * border; see sl_model.c). */
static inline int sl_round8(int T) { return (T + 15) & ~15; }
static inline int sl_stride(int T) { return sl_round8(T) + 2 * SL_TRAIN_MAX_TAPS; }
#define SL_BORDER SL_TRAIN_MAX_TAPS
/* Rows without borders (the INTERP kernel's smoothed rows): the vectorised loops touch
 * exactly [0, Tr), Tr = sl_round8(T); no slack, so the rows a sample walks stay compact. */
static inline int sl_cstride(int T) { return sl_round8(T); }

/* ---- layers (sl_layers.c): forward / backward pairs; outputs first, sizes last ---- */
void sl_delay_forward(sl_real *out, const sl_real *in, const int32_t *const *nz, const int32_t *nnz,
                      const sl_proj *p, int T);
void sl_delay_backward_in(sl_real *gin, const sl_real *gout, const sl_proj *p, int T);
void sl_delay_backward_taps(sl_real *gtap, const sl_real *gout, const sl_real *in,
                            const int32_t *const *nz, const int32_t *nnz, const sl_proj *p, int T);
/* *out = sum over the padded row length of a[t] b[t] (the layers' vectorised dot). */
void sl_delay_dot(sl_real *out, const sl_real *a, const sl_real *b, int T);
/* INTERP kernel (sl_layers.c), see docs/trainer.md. "pre" side: the presynaptic rows are
 * smoothed once per sample, Sm[i][c] = sum_d n_d(c) in[i][t - 1 - d] ([n_pre][taps] rows of
 * sl_stride(T)); each synapse is then two unshifted adds of Sm rows and two dots. */
/* Sm: [n_pre][taps] rows of sl_cstride(T). */
/* fills the basis's wide flag and 4-centre blocks from taps, lo, len, n */
void sl_basis_blocks(sl_basis *nb);
void sl_interp_pre_forward(sl_real *out, sl_real *Sm, const sl_real *in, const int32_t *nnz, const sl_proj *p,
                           const sl_basis *nb, int T);
void sl_interp_pre_backward_taps(sl_real *gtap, const sl_real *gout, const sl_real *Sm, const int32_t *nnz,
                                 const sl_proj *p, const sl_basis *nb, int T);
/* "post" side: per postsynaptic neuron o, the unshifted presynaptic rows are first summed per
 * centre (Z[c], taps rows of the workspace zc) and then smoothed once into out[o]; backward,
 * gout[o] is smoothed once per centre, G[c][t] = sum_d n_d(c) gout[o][t + 1 + d], and each
 * synapse is two dots (event by event for spikes) and, if gin, two adds into gin. zc: the
 * forward's Z is taps rows of sl_stride(T) (zero borders), the backward's G [n_post][taps]
 * rows of sl_cstride(T). */
void sl_interp_post_forward(sl_real *out, sl_real *zc, const sl_real *in, const int32_t *const *nz,
                            const int32_t *nnz, const sl_proj *p, const sl_basis *nb, int T);
void sl_interp_post_backward(sl_real *gtap, sl_real *gin, sl_real *zc, const sl_real *gout, const sl_real *in,
                             const int32_t *const *nz, const int32_t *nnz, const sl_proj *p, const sl_basis *nb,
                             int T);
void sl_lif_forward(sl_real *V, uint8_t *s, sl_real *h, const sl_real *I, const sl_real *mask, int N, int T,
                    sl_real beta, sl_real alpha, int smooth);
void sl_lif_backward(sl_real *gI, const sl_real *gh, const sl_real *V, const uint8_t *s, const sl_real *mask,
                     int N, int T, sl_real beta, sl_real alpha);
void sl_li_forward(sl_real *M, const sl_real *J, int N, int T, sl_real beta);
void sl_li_backward(sl_real *gJ, const sl_real *gM, int N, int T, sl_real beta);
double sl_loss_forward_backward(sl_real *gM, const sl_real *M, int32_t label, int R, int T, sl_real scale,
                                int32_t *pred, int rule);
/* Cross-entropy of softmax(z), z_k = mean_t M_k[t] (gradient scaled by scale into gM). */
double sl_loss_membrane_forward_backward(sl_real *gM, const sl_real *M, int32_t label, int R, int T, sl_real scale);

/* ---- checkpoint: one write (header + config + state + tensors), atomic ---- */
sl_status sl_ckpt_save(const sl_model *m, const char *path, sl_err *err);
/* Load into an uninitialised model (it is initialised from the stored config). The length
 * is checked before anything is read, then every field: the configuration's ranges, the
 * training state, finite tensors and delay positions inside the range. Errors name the file. */
sl_status sl_ckpt_load(sl_model *m, const char *path, int n_threads, sl_err *err);
/* The same from bytes in memory (name: for the messages). */
sl_status sl_ckpt_decode(sl_model *m, const uint8_t *data, size_t len, const char *name, int n_threads, sl_err *err);
/* The checkpoint bytes of a model (malloc'd). */
sl_status sl_ckpt_encode(const sl_model *m, uint8_t **out, size_t *out_len, sl_err *err);

/* ---- RNG: counter-based, so batches, masks and rewiring depend on (seed, step), not history */
uint64_t sl_hash64(uint64_t x);
static inline double sl_unif(uint64_t *s) {
  *s += 0x9E3779B97F4A7C15ull;
  return (double)(sl_hash64(*s) >> 11) * (1.0 / 9007199254740992.0);
}

#ifdef __cplusplus
}
#endif
#endif
