/* sl_layers.c — the trainer's layers as forward / backward pairs (llm.c style): outputs first,
 * inputs next, sizes last; backward ADDS into its gradient outputs (the caller zeroes).
 * All activations of one sample are neuron-major [n][T]: a synapse with an integer delay is
 * then one contiguous axpy over time, which the compiler vectorises. */
#include <math.h>
#include <string.h>
#include "sl_train.h"

#define SL_PI 3.14159265358979323846

#if !defined(SL_REAL_DOUBLE) && defined(__GNUC__) && !defined(SL_NO_VEC)
#define SL_VEC 1
typedef float sl_v8 __attribute__((vector_size(32), aligned(4)));
#endif

/* Dot product with 8 independent partial sums: IEEE float addition is not associative, so
 * without them the compiler may not vectorise the reduction (and we never use fast-math).
 * The order is fixed, so results do not depend on threads. */
static inline sl_real dot8(const sl_real *restrict a, const sl_real *restrict b, int n) {
#if defined(SL_VEC)
  /* n is a multiple of 16: two independent 8-wide chains hide the FMA latency */
  sl_v8 s0 = {0, 0, 0, 0, 0, 0, 0, 0}, s1 = s0;
  for (int t = 0; t < n; t += 16) {
    s0 += *(const sl_v8 *)(a + t) * *(const sl_v8 *)(b + t);
    s1 += *(const sl_v8 *)(a + t + 8) * *(const sl_v8 *)(b + t + 8);
  }
  s0 += s1;
  return ((s0[0] + s0[1]) + (s0[2] + s0[3])) + ((s0[4] + s0[5]) + (s0[6] + s0[7]));
#endif
  sl_real acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int t = 0;
  for (; t + 8 <= n; t += 8)
    for (int k = 0; k < 8; k++) acc[k] += a[t + k] * b[t + k];
  sl_real r = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; t < n; t++) r += a[t] * b[t];
  return r;
}

void sl_delay_dot(sl_real *out, const sl_real *a, const sl_real *b, int T) { *out = dot8(a, b, sl_round8(T)); }

static inline void axpy(sl_real *restrict y, sl_real a, const sl_real *restrict x, int n) {
  for (int t = 0; t < n; t++) y[t] += a * x[t];
}

/* ---- delayed projection ----
 * A row is sl_stride(T) long and starts SL_TRAIN_MAX_TAPS zeros after its allocation: zeros,
 * T steps rounded up to 16, zeros again.
 * Every dense axpy / dot runs over the same Tr = round16(T) elements whatever the delay:
 * contributions that land at t >= T fall into the padding and are never read, and reads
 * past T see zeros. No remainder loops, predictable branches, aligned rows.
 * out[post][t] += sum_{syn pre->post} sum_j kw[j] * in[pre][t - 1 - (d0 + j)]
 * A value sent at step t through delay d is consumed at t + 1 + d (spec §4); consumption
 * times >= T are dropped. nz[pre] lists the steps where in[pre] != 0 (events), ascending;
 * sparse rows (spikes) are walked event by event, dense rows (features) as axpys. */
/* The dense part of one column: y[u] += sum_q a[q] * xs[q][u] for u < Tr, xs[q] = the
 * presynaptic row shifted by its delay. The fast version (GCC vector extensions), then the
 * readable one. */
#if defined(SL_VEC)
/* NV vectors (8 * NV steps) of one column held in registers while all nq taps stream
 * through: one load of x per FMA and NV independent chains. NV is a constant at every call
 * (the switch below), so the loops over v unroll and the sums stay in registers. */
static inline __attribute__((always_inline)) void column_block(sl_real *y, const sl_real *const *xs, const sl_real *a,
                                                               int nq, int u0, int add, const int NV) {
  sl_v8 s[12];
#pragma GCC unroll 12
  for (int v = 0; v < NV; v++) s[v] = add ? *(const sl_v8 *)(y + u0 + 8 * v) : (sl_v8){0, 0, 0, 0, 0, 0, 0, 0};
  for (int q = 0; q < nq; q++) {
    const float *x = xs[q] + u0;
    const float w = a[q];
#pragma GCC unroll 12
    for (int v = 0; v < NV; v++) s[v] += w * *(const sl_v8 *)(x + 8 * v);
  }
#pragma GCC unroll 12
  for (int v = 0; v < NV; v++) *(sl_v8 *)(y + u0 + 8 * v) = s[v];
}
#endif

/* y[u] (+)= sum_q a[q] xs[q][u] for u < Tr, q ascending from y (add) or from zero: the same
 * order for every u whatever the blocking, so results do not depend on it. */
static inline void column_dense_op(sl_real *y, const sl_real *const *xs, const sl_real *a, int nq, int Tr, int add) {
#if defined(SL_VEC)
  for (int u0 = 0; u0 < Tr;) { /* Tr is a multiple of 16: blocks of 2..12 vectors */
    const int nv = (Tr - u0) / 8 > 12 ? 8 : (Tr - u0) / 8;
    switch (nv) {
      case 2: column_block(y, xs, a, nq, u0, add, 2); break;
      case 4: column_block(y, xs, a, nq, u0, add, 4); break;
      case 6: column_block(y, xs, a, nq, u0, add, 6); break;
      case 8: column_block(y, xs, a, nq, u0, add, 8); break;
      case 10: column_block(y, xs, a, nq, u0, add, 10); break;
      default: column_block(y, xs, a, nq, u0, add, 12); break;
    }
    u0 += 8 * nv;
  }
#else
  if (!add)
    for (int t = 0; t < Tr; t++) y[t] = 0;
  for (int q = 0; q < nq; q++) axpy(y, a[q], xs[q], Tr);
#endif
}

static void column_dense(sl_real *y, const sl_real *const *xs, const sl_real *a, int nq, int Tr) {
  column_dense_op(y, xs, a, nq, Tr, 1);
}
/* y = sum_q a[q] xs[q] (y's previous contents ignored) */
static void column_set(sl_real *y, const sl_real *const *xs, const sl_real *a, int nq, int Tr) {
  column_dense_op(y, xs, a, nq, Tr, 0);
}

void sl_delay_forward(sl_real *out, const sl_real *in, const int32_t *const *nz, const int32_t *nnz,
                      const sl_proj *p, int T) {
  // out [n_post][S], in [n_pre][S]. Walked by column (post) over the prepared tap list:
  // dense presynaptic rows (features) through column_dense, sparse ones (spikes) event by
  // event, silent ones not at all.
  const int S = sl_stride(T), Tr = sl_round8(T);
  const sl_real *xs[4096];
  sl_real a[4096];
  for (int o = 0; o < p->n_post; o++) {
    sl_real *y = out + (size_t)o * S;
    int nq = 0;
    for (int k = p->ct_start[o]; k < p->ct_start[o + 1]; k++) {
      const int i = p->ct_pre[k], sh = p->ct_sh[k];
      const int ne = nnz ? nnz[i] : T;
      if (ne == 0 || p->ct_w[k] == 0) continue; /* zero taps: the straight-through spare tap */
      const sl_real *x = in + (size_t)i * S;
      if (nz && 4 * ne < T) {
        const int32_t *ev = nz[i];
        for (int e = 0; e < ne; e++) y[ev[e] + sh] += p->ct_w[k] * x[ev[e]];
        continue;
      }
      xs[nq] = x - sh;
      a[nq++] = p->ct_w[k];
      if (nq == 4096) {
        column_dense(y, xs, a, nq, Tr);
        nq = 0;
      }
    }
    column_dense(y, xs, a, nq, Tr);
  }
}

/* gin[pre][t] += sum_syn sum_j kw[j] * gout[post][t + 1 + d0 + j]   (dense: the surrogate
 * gradient reaches every step, not only the spiking ones) */
void sl_delay_backward_in(sl_real *gin, const sl_real *gout, const sl_proj *p, int T) {
  // gin [n_pre][S], gout [n_post][S]; row by row, gout read shifted left by the delay
  const int S = sl_stride(T), Tr = sl_round8(T);
  const sl_real *gs[4096];
  sl_real a[4096];
  for (int i = 0; i < p->n_pre; i++) {
    int nq = 0;
    for (int s = p->row[i]; s < p->row[i + 1]; s++) {
      const int len = p->k_len[s];
      if (!len) continue;
      const sl_real *go = gout + (size_t)p->post[s] * S;
      for (int j = 0; j < len; j++) {
        if (p->k_w[p->k_off[s] + j] == 0) continue;
        gs[nq] = go + 1 + p->k_d0[s] + j;
        a[nq++] = p->k_w[p->k_off[s] + j];
        if (nq == 4096) {
          column_dense(gin + (size_t)i * S, gs, a, nq, Tr);
          nq = 0;
        }
      }
    }
    column_dense(gin + (size_t)i * S, gs, a, nq, Tr);
  }
}

/* gtap[off + j] += sum_t gout[post][t + 1 + d0 + j] * in[pre][t]   (per kernel tap; the
 * chain to weight and position is in sl_model.c) */
/* Dots sharing one gradient row: out[q] += sum_u g[u] * xs[q][u], u < Tr, where
 * xs[q] = the presynaptic row shifted right by the tap's delay (its left zeros cover u < sh).
 * Eight (then four) dots at a time share each load of g, one chain each: enough chains to
 * cover the FMA latency. Each dot sums in the same order in either group. */
#if defined(SL_VEC)
static inline __attribute__((always_inline)) void dots_block(sl_real *const *out, const sl_real *g,
                                                             const sl_real *const *xs, int Tr, const int NQ) {
  sl_v8 acc[8];
#pragma GCC unroll 8
  for (int k = 0; k < NQ; k++) acc[k] = (sl_v8){0, 0, 0, 0, 0, 0, 0, 0};
  for (int u = 0; u < Tr; u += 8) {
    const sl_v8 gv = *(const sl_v8 *)(g + u);
#pragma GCC unroll 8
    for (int k = 0; k < NQ; k++) acc[k] += gv * *(const sl_v8 *)(xs[k] + u);
  }
#pragma GCC unroll 8
  for (int k = 0; k < NQ; k++)
    *out[k] += ((acc[k][0] + acc[k][1]) + (acc[k][2] + acc[k][3])) + ((acc[k][4] + acc[k][5]) + (acc[k][6] + acc[k][7]));
}
#endif

static void column_dots(sl_real *const *out, const sl_real *g, const sl_real *const *xs, int nq, int Tr) {
  int q = 0;
#if defined(SL_VEC)
  for (; q + 8 <= nq; q += 8) dots_block(out + q, g, xs + q, Tr, 8);
  for (; q + 4 <= nq; q += 4) dots_block(out + q, g, xs + q, Tr, 4);
#endif
  for (; q < nq; q++) *out[q] += dot8(g, xs[q], Tr);
}

void sl_delay_backward_taps(sl_real *gtap, const sl_real *gout, const sl_real *in,
                            const int32_t *const *nz, const int32_t *nnz, const sl_proj *p, int T) {
  // gtap [taps of all synapses], gout [n_post][S], in [n_pre][S]; by column, like the forward
  const int S = sl_stride(T), Tr = sl_round8(T);
  const sl_real *xs[4096];
  sl_real *dst[4096];
  for (int o = 0; o < p->n_post; o++) {
    const sl_real *go = gout + (size_t)o * S;
    int nq = 0;
    for (int k = p->ct_start[o]; k < p->ct_start[o + 1]; k++) {
      const int i = p->ct_pre[k], sh = p->ct_sh[k];
      const int ne = nnz ? nnz[i] : T;
      if (ne == 0) continue;
      const sl_real *x = in + (size_t)i * S;
      if (nz && 4 * ne < T) { /* spikes: event by event */
        const int32_t *ev = nz[i];
        sl_real acc = 0;
        for (int e = 0; e < ne && ev[e] + sh < T; e++) acc += go[ev[e] + sh] * x[ev[e]];
        gtap[p->ct_tap[k]] += acc;
        continue;
      }
      xs[nq] = x - sh;
      dst[nq++] = gtap + p->ct_tap[k];
      if (nq == 4096) {
        column_dots(dst, go, xs, nq, Tr);
        nq = 0;
      }
    }
    column_dots(dst, go, xs, nq, Tr);
  }
}

/* ---- the INTERP kernel ----
 * A synapse at position p between the centres C(c0) <= p <= C(c0 + 1) (C = sl_interp_centre)
 * has the kernel (1 - f) n(c0) + f n(c0 + 1), f = (p - C(c0)) / (C(c0 + 1) - C(c0)), n(c) the
 * truncated normalised Gaussian at the centre C(c) (sl_basis: every delay at narrow sigma, every g-th
 * at wide). Convolving with n(c) does not depend on the synapse, so it is done once per
 * presynaptic row and centre (pre side) or once per postsynaptic row and centre (post side)
 * instead of once per synapse: the per-synapse work is two taps whatever sigma is. */

/* Wide kernels (sigma of a few steps and more): every centre's row is a sum over most of the
 * delays, i.e. a small matrix product out[c][u] = sum_d N[c][d] x[u + dir (1 + d)]. Four
 * centres and 16 steps at a time share each load of x across eight accumulators; the terms
 * are added in the same order (d ascending, from zero) as column_set adds them, and the
 * zeros of N outside a centre's window add exact zeros, so the result is bit-identical to
 * the narrow path. Returns 0 (nothing done) when the kernel is narrow or vectors are off. */
void sl_basis_blocks(sl_basis *nb) {
  /* whole windows: as wide on both sides as the widest half-window of any centre */
  int half = 0;
  for (int c = 0; c < nb->taps; c++) {
    const int cc = sl_interp_centre(c, nb->grid, nb->taps_range);
    half = cc - nb->lo[c] > half ? cc - nb->lo[c] : half;
  }
  nb->reg0 = 0, nb->reg1 = -1;
  for (int c = 0; c < nb->taps; c++) {
    const int cc = sl_interp_centre(c, nb->grid, nb->taps_range);
    if (nb->lo[c] != cc - half || nb->len[c] != 2 * half + 1) continue;
    if (nb->reg1 < nb->reg0) nb->reg0 = c;
    nb->reg1 = c;
  }
  nb->wide = 0;
  for (int c = 0; c < nb->taps; c++) nb->wide |= nb->len[c] >= 8;
  for (int b = 0; 4 * b < nb->taps; b++) {
    const int c0 = 4 * b, nc = nb->taps - c0 < 4 ? nb->taps - c0 : 4;
    int dlo = SL_TRAIN_MAX_TAPS, dhi = 0;
    for (int k = 0; k < nc; k++) {
      dlo = nb->lo[c0 + k] < dlo ? nb->lo[c0 + k] : dlo;
      dhi = nb->lo[c0 + k] + nb->len[c0 + k] > dhi ? nb->lo[c0 + k] + nb->len[c0 + k] : dhi;
    }
    nb->blo[b] = dlo;
    nb->bhi[b] = dhi;
    for (int d = dlo; d < dhi; d++)
      for (int k = 0; k < 4; k++) {
        const int c = c0 + k, j = k < nc ? d - nb->lo[c] : -1;
        nb->bw[b][d - dlo][k] = j >= 0 && j < nb->len[c] ? nb->n[c][j] : 0;
      }
  }
}

static int smooth_wide(sl_real *out, int ostride, const sl_real *x, int dir, const sl_basis *nb, int Tr,
                       uint32_t need) {
#if defined(SL_VEC)
  if (!nb->wide) return 0;
  for (int c0 = 0; c0 < nb->taps; c0 += 4) {
    if (!(need >> c0 & 15)) continue; /* blocks of 4 centres with one needed */
    const int nc = nb->taps - c0 < 4 ? nb->taps - c0 : 4, dlo = nb->blo[c0 / 4], dhi = nb->bhi[c0 / 4];
    for (int u0 = 0; u0 < Tr; u0 += 16) {
      const sl_v8 z = {0, 0, 0, 0, 0, 0, 0, 0};
      sl_v8 a0 = z, b0 = z, a1 = z, b1 = z, a2 = z, b2 = z, a3 = z, b3 = z;
      for (int d = dlo; d < dhi; d++) {
        const float *xp = x + u0 + dir * (1 + d);
        const sl_v8 x0 = *(const sl_v8 *)xp, x1 = *(const sl_v8 *)(xp + 8);
        const float *w = nb->bw[c0 / 4][d - dlo];
        a0 += w[0] * x0, b0 += w[0] * x1;
        a1 += w[1] * x0, b1 += w[1] * x1;
        a2 += w[2] * x0, b2 += w[2] * x1;
        a3 += w[3] * x0, b3 += w[3] * x1;
      }
      float *o = out + (size_t)c0 * ostride + u0;
      *(sl_v8 *)o = a0, *(sl_v8 *)(o + 8) = b0;
      if (nc > 1) *(sl_v8 *)(o + ostride) = a1, *(sl_v8 *)(o + ostride + 8) = b1;
      if (nc > 2) *(sl_v8 *)(o + 2 * ostride) = a2, *(sl_v8 *)(o + 2 * ostride + 8) = b2;
      if (nc > 3) *(sl_v8 *)(o + 3 * ostride) = a3, *(sl_v8 *)(o + 3 * ostride + 8) = b3;
    }
  }
  return 1;
#else
  (void)out, (void)ostride, (void)x, (void)dir, (void)nb, (void)Tr, (void)need;
  return 0;
#endif
}

/* out[c][u] = sum_d n_d(c) x[u + dir (1 + d)] for one centre, u < Tr */
static void smooth_centre(sl_real *out, const sl_real *x, int dir, const sl_basis *nb, int c, int Tr) {
  const sl_real *xs[SL_TRAIN_MAX_TAPS];
  sl_real a[SL_TRAIN_MAX_TAPS];
  for (int j = 0; j < nb->len[c]; j++) {
    xs[j] = x + dir * (1 + nb->lo[c] + j);
    a[j] = nb->n[c][j];
  }
  column_set(out, xs, a, nb->len[c], Tr);
}

/* out[c][u] = sum_d n_d(c) x[u + dir (1 + d)] for u < Tr and the centres in used (bit c).
 * Centres with whole windows (reg0 .. reg1) apply one kernel at different shifts: with
 * dir = -1, row c at u equals row reg0 at u - s (s = the centres' distance) where that is
 * >= 0 and row reg1 at u + (distance to reg1) before, so only the two end rows of the run
 * are computed and the inner ones copied, values bit-identical to computing them (the
 * same terms in the same order); dir = +1 mirrored. The truncated centres near the ends
 * of the delay range are computed one by one. */
static void smooth(sl_real *out, int ostride, const sl_real *x, int dir, const sl_basis *nb, int Tr, uint32_t used) {
  const int r0 = nb->reg0, r1 = nb->reg1, R = nb->taps_range;
  const int c0 = sl_interp_centre(r0, nb->grid, R), c1 = sl_interp_centre(r1, nb->grid, R);
  const int share = r1 - r0 >= 2 && c1 - c0 <= Tr;
  uint32_t need = used; /* the centres computed: all used ones, or the run's ends and outside */
  if (share) {
    need &= ~(((1u << (r1 - r0 - 1)) - 1) << (r0 + 1));
    need |= 1u << r0 | 1u << r1;
  }
  if (!smooth_wide(out, ostride, x, dir, nb, Tr, need))
    for (int c = 0; c < nb->taps; c++)
      if (need >> c & 1) smooth_centre(out + (size_t)c * ostride, x, dir, nb, c, Tr);
  if (!share) return;
  const sl_real *a = out + (size_t)r0 * ostride, *b = out + (size_t)r1 * ostride;
  for (int c = r0 + 1; c < r1; c++) {
    if (!(used >> c & 1)) continue;
    const int cc = sl_interp_centre(c, nb->grid, R), s = cc - c0, t = c1 - cc;
    sl_real *o = out + (size_t)c * ostride;
    if (dir < 0) {
      memcpy(o + s, a, (size_t)(Tr - s) * sizeof *o);
      memcpy(o, b + t, (size_t)s * sizeof *o);
    } else {
      memcpy(o, a + s, (size_t)(Tr - s) * sizeof *o);
      memcpy(o + Tr - s, b + Tr - s - t, (size_t)s * sizeof *o);
    }
  }
}

/* The pre side walks the presynaptic rows in blocks of IB (their smoothed rows, IB * taps *
 * sl_cstride(T) reals, stay in L1 while every column takes its taps from them); cur[o] is
 * column o's position in its tap list, which is in presynaptic order. */
#define IB 6
void sl_interp_pre_forward(sl_real *out, sl_real *Sm, const sl_real *in, const int32_t *nnz, const sl_proj *p,
                           const sl_basis *nb, int T) {
  // out [n_post][S], Sm [n_pre][taps][C], in [n_pre][S]; silent rows (nnz 0) are skipped
  // here and in the backward, their Sm rows are not computed
  const int S = sl_stride(T), C = sl_cstride(T), Tr = sl_round8(T), K = nb->taps;
  for (int i = 0; i < p->n_pre; i++)
    if (!nnz || nnz[i]) /* Sm[i][c][u] = sum_d n_d(c) x_i[u - 1 - d], every centre */
      smooth(Sm + (size_t)i * K * C, C, in + (size_t)i * S, -1, nb, Tr, ~0u);
  const sl_real *xs[4096];
  sl_real a[4096];
  int32_t cur[1024];
  for (int o = 0; o < p->n_post; o++) cur[o] = p->ct_start[o];
  for (int i1 = IB < p->n_pre ? IB : p->n_pre;; i1 = i1 + IB < p->n_pre ? i1 + IB : p->n_pre) {
    for (int o = 0; o < p->n_post; o++) {
      sl_real *y = out + (size_t)o * S;
      int nq = 0, k = cur[o];
      for (; k < p->ct_start[o + 1] && p->ct_pre[k] < i1; k++) {
        const int i = p->ct_pre[k];
        if (nnz && !nnz[i]) continue;
        xs[nq] = Sm + ((size_t)i * K + p->ct_sh[k]) * C;
        a[nq++] = p->ct_w[k];
        if (nq == 4096) {
          column_dense(y, xs, a, nq, Tr);
          nq = 0;
        }
      }
      cur[o] = k;
      if (nq) column_dense(y, xs, a, nq, Tr);
    }
    if (i1 == p->n_pre) break;
  }
}

void sl_interp_pre_backward_taps(sl_real *gtap, const sl_real *gout, const sl_real *Sm, const int32_t *nnz,
                                 const sl_proj *p, const sl_basis *nb, int T) {
  // gtap[tap of centre c] += sum_t gout[post][t] Sm[pre][c][t]; blocked like the forward
  const int S = sl_stride(T), C = sl_cstride(T), Tr = sl_round8(T), taps = nb->taps;
  const sl_real *xs[4096];
  sl_real *dst[4096];
  int32_t cur[1024];
  for (int o = 0; o < p->n_post; o++) cur[o] = p->ct_start[o];
  for (int i1 = IB < p->n_pre ? IB : p->n_pre;; i1 = i1 + IB < p->n_pre ? i1 + IB : p->n_pre) {
    for (int o = 0; o < p->n_post; o++) {
      const sl_real *go = gout + (size_t)o * S;
      int nq = 0, k = cur[o];
      for (; k < p->ct_start[o + 1] && p->ct_pre[k] < i1; k++) {
        const int i = p->ct_pre[k];
        if (nnz && !nnz[i]) continue;
        xs[nq] = Sm + ((size_t)i * taps + p->ct_sh[k]) * C;
        dst[nq++] = gtap + p->ct_tap[k];
        if (nq == 4096) {
          column_dots(dst, go, xs, nq, Tr);
          nq = 0;
        }
      }
      cur[o] = k;
      if (nq) column_dots(dst, go, xs, nq, Tr);
    }
    if (i1 == p->n_pre) break;
  }
}

/* centres used by the synapses onto o (bit c) */
static uint32_t centres_of(const sl_proj *p, int o) {
  uint32_t used = 0;
  for (int k = p->ct_start[o]; k < p->ct_start[o + 1]; k++) used |= 1u << p->ct_sh[k];
  return used;
}

void sl_interp_post_forward(sl_real *out, sl_real *zc, const sl_real *in, const int32_t *const *nz,
                            const int32_t *nnz, const sl_proj *p, const sl_basis *nb, int T) {
  // zc: taps rows of S with zero borders. Z[c][t] = sum over taps k onto o with centre c of
  // ct_w[k] in[pre][t]; out[o][u] += sum_c sum_d n_d(c) Z[c][u - 1 - d]
  const int S = sl_stride(T), Tr = sl_round8(T), K = nb->taps;
  const sl_real *xs[SL_TRAIN_MAX_TAPS * SL_TRAIN_MAX_TAPS];
  sl_real a[SL_TRAIN_MAX_TAPS * SL_TRAIN_MAX_TAPS];
  for (int o = 0; o < p->n_post; o++) {
    const uint32_t used = centres_of(p, o);
    for (int c = 0; c < K; c++)
      if (used >> c & 1)
        /* the row with its borders (G's): from SL_BORDER before row c's start; the offset is
         * taken from the row's start, so no unsigned index wraps below zero for row 0 */
        memset(zc + (size_t)c * S - SL_BORDER, 0, sizeof(sl_real) * (size_t)(Tr + 2 * SL_BORDER));
    for (int k = p->ct_start[o]; k < p->ct_start[o + 1]; k++) {
      const int i = p->ct_pre[k];
      const int ne = nnz ? nnz[i] : T;
      if (ne == 0) continue;
      const sl_real *x = in + (size_t)i * S;
      sl_real *z = zc + (size_t)p->ct_sh[k] * S;
      const sl_real w = p->ct_w[k];
      if (nz && 4 * ne < T) {
        const int32_t *ev = nz[i];
        for (int e = 0; e < ne; e++) z[ev[e]] += w * x[ev[e]];
      } else {
        axpy(z, w, x, Tr);
      }
    }
    int nq = 0;
    for (int c = 0; c < K; c++) {
      if (!(used >> c & 1)) continue;
      for (int j = 0; j < nb->len[c]; j++) {
        xs[nq] = zc + (size_t)c * S - 1 - nb->lo[c] - j;
        a[nq++] = nb->n[c][j];
      }
    }
    column_dense(out + (size_t)o * S, xs, a, nq, Tr);
  }
}

void sl_interp_post_backward(sl_real *gtap, sl_real *gin, sl_real *zc, const sl_real *gout, const sl_real *in,
                             const int32_t *const *nz, const int32_t *nnz, const sl_proj *p, const sl_basis *nb,
                             int T) {
  // zc: [n_post][taps] rows of C = sl_cstride(T). G[o][c][u] = sum_d n_d(c) gout[o][u + 1 + d]
  // (zero for u >= T); gtap[k] += sum_t G[o][c][t] in[pre][t]; gin[pre] += ct_w G[o][c]
  const int S = sl_stride(T), C = sl_cstride(T), Tr = sl_round8(T), K = nb->taps;
  const sl_real *xs[4096];
  sl_real a[4096];
  for (int o = 0; o < p->n_post; o++) {
    const uint32_t used = centres_of(p, o);
    const sl_real *go = gout + (size_t)o * S;
    sl_real *G = zc + (size_t)o * K * C;
    smooth(G, C, go, 1, nb, Tr, used);
    for (int k = p->ct_start[o]; k < p->ct_start[o + 1]; k++) {
      const int i = p->ct_pre[k];
      const int ne = nnz ? nnz[i] : T;
      if (ne == 0) continue;
      const sl_real *x = in + (size_t)i * S;
      const sl_real *g = G + (size_t)p->ct_sh[k] * C;
      sl_real acc = 0;
      if (nz && 4 * ne < T) {
        const int32_t *ev = nz[i];
        for (int e = 0; e < ne; e++) acc += g[ev[e]] * x[ev[e]];
      } else {
        acc = dot8(g, x, Tr);
      }
      gtap[p->ct_tap[k]] += acc;
    }
  }
  if (!gin) return;
  /* gin by presynaptic row: its synapses' two centres, summed in registers */
  for (int i = 0; i < p->n_pre; i++) {
    int nq = 0;
    for (int s = p->row[i]; s < p->row[i + 1]; s++) {
      const int len = p->k_len[s];
      if (!len) continue;
      const sl_real *G = zc + (size_t)p->post[s] * K * C;
      for (int j = 0; j < len; j++) {
        xs[nq] = G + (size_t)(p->k_d0[s] + j) * C;
        a[nq++] = p->k_w[p->k_off[s] + j];
        if (nq == 4096) {
          column_dense(gin + (size_t)i * S, xs, a, nq, Tr);
          nq = 0;
        }
      }
    }
    column_dense(gin + (size_t)i * S, xs, a, nq, Tr);
  }
}

/* ---- LIF, reset to zero, spike decided from V before this step's input (spec §5) ----
 * s_t = H(V_{t-1} - 1);  V_t = (1 - s_t)(beta V_{t-1} + I_t);  h_t = s_t * mask[n]
 * (mask = inverted dropout, one value per neuron and sample). smooth = 1 replaces the output
 * spike by the smooth step whose derivative is the surrogate (gradient checks only); the
 * reset always uses the hard spike. */
static inline sl_real surrogate(sl_real x, sl_real alpha) {
  const sl_real u = (sl_real)(SL_PI / 2) * alpha * x;
  return (alpha / 2) / (1 + u * u);
}

void sl_lif_forward(sl_real *V, uint8_t *s, sl_real *h, const sl_real *I, const sl_real *mask, int N, int T,
                    sl_real beta, sl_real alpha, int smooth) {
  const int S = sl_stride(T);
  // V, s, h, I [N][T]
  for (int n = 0; n < N; n++) {
    const sl_real mk = mask ? mask[n] : 1;
    sl_real v = 0;
    for (int t = 0; t < T; t++) {
      const size_t k = (size_t)n * S + t;
      const int st = v >= 1;
      const sl_real out = smooth ? (sl_real)(atan((SL_PI / 2) * alpha * (v - 1)) / SL_PI + 0.5) : (sl_real)st;
      h[k] = out * mk;
      s[k] = (uint8_t)st;
      v = st ? 0 : beta * v + I[k];
      V[k] = v;
    }
  }
}

/* gI[t] = g_t (1 - s_t) with g_t = dL/dV_t;  dL/dV_{t-1} = g_t (1 - s_t) beta + gh_t mask sg(V_{t-1} - 1) */
void sl_lif_backward(sl_real *gI, const sl_real *gh, const sl_real *V, const uint8_t *s, const sl_real *mask,
                     int N, int T, sl_real beta, sl_real alpha) {
  const int S = sl_stride(T);
  for (int n = 0; n < N; n++) {
    const sl_real mk = mask ? mask[n] : 1;
    sl_real g = 0;
    for (int t = T - 1; t >= 0; t--) {
      const size_t k = (size_t)n * S + t;
      const sl_real keep = s[k] ? 0 : 1;
      const sl_real vprev = t ? V[k - 1] : 0;
      gI[k] += g * keep;
      g = g * keep * beta + gh[k] * mk * surrogate(vprev - 1, alpha);
    }
  }
}

/* ---- leaky-integrator readout: M_t = beta M_{t-1} + J_t ---- */
void sl_li_forward(sl_real *M, const sl_real *J, int N, int T, sl_real beta) {
  const int S = sl_stride(T);
  for (int n = 0; n < N; n++) {
    sl_real m = 0;
    for (int t = 0; t < T; t++) {
      m = beta * m + J[(size_t)n * S + t];
      M[(size_t)n * S + t] = m;
    }
  }
}

void sl_li_backward(sl_real *gJ, const sl_real *gM, int N, int T, sl_real beta) {
  const int S = sl_stride(T);
  for (int n = 0; n < N; n++) {
    sl_real g = 0;
    for (int t = T - 1; t >= 0; t--) {
      g = gM[(size_t)n * S + t] + beta * g;
      gJ[(size_t)n * S + t] += g;
    }
  }
}

/* ---- summed-softmax cross-entropy (the seed's loss) and the decision ----
 * P_k = sum_t softmax(M_t)_k;  loss = -log softmax(P)_label.  gM = scale * dloss/dM
 * (gM may be NULL). pred = argmax_k of, by rule: sum_t M[k][t] (SL_RULE_HARDWARE, spec §6),
 * P_k (SL_RULE_SOFTMAX, the seed's), or the number of steps k leads (SL_RULE_VOTE, ties
 * broken by the membrane sum); ties to the lowest k. */
double sl_loss_forward_backward(sl_real *gM, const sl_real *M, int32_t label, int R, int T, sl_real scale,
                                int32_t *pred, int rule) {
  const int S = sl_stride(T);
  double P[256], q[256], sum[256], vote[256];
  if (R > 256) R = 256;
  for (int k = 0; k < R; k++) P[k] = sum[k] = vote[k] = 0;
  for (int t = 0; t < T; t++) {
    double mx = -INFINITY, z = 0;
    int lead = 0;
    for (int k = 0; k < R; k++) {
      sum[k] += M[(size_t)k * S + t];
      if (M[(size_t)k * S + t] > mx) mx = M[(size_t)k * S + t], lead = k;
    }
    vote[lead] += 1;
    for (int k = 0; k < R; k++) z += exp(M[(size_t)k * S + t] - mx);
    for (int k = 0; k < R; k++) P[k] += exp(M[(size_t)k * S + t] - mx) / z;
  }
  double mx = -INFINITY, z = 0;
  for (int k = 0; k < R; k++) mx = P[k] > mx ? P[k] : mx;
  for (int k = 0; k < R; k++) z += exp(P[k] - mx);
  for (int k = 0; k < R; k++) q[k] = exp(P[k] - mx) / z;
  const double loss = label >= 0 && label < R ? -log(q[label] > 1e-300 ? q[label] : 1e-300) : 0;
  if (pred) {
    const double *key = rule == SL_RULE_SOFTMAX ? P : rule == SL_RULE_VOTE ? vote : sum;
    int best = 0;
    for (int k = 1; k < R; k++)
      if (key[k] > key[best] || (key[k] == key[best] && rule == SL_RULE_VOTE && sum[k] > sum[best])) best = k;
    *pred = best;
  }
  if (gM && label >= 0 && label < R) {
    double gP[256];
    for (int k = 0; k < R; k++) gP[k] = q[k] - (k == label);
    for (int t = 0; t < T; t++) {
      double mx2 = -INFINITY, z2 = 0, p[256], dot = 0;
      for (int k = 0; k < R; k++) mx2 = M[(size_t)k * S + t] > mx2 ? M[(size_t)k * S + t] : mx2;
      for (int k = 0; k < R; k++) z2 += (p[k] = exp(M[(size_t)k * S + t] - mx2));
      for (int k = 0; k < R; k++) dot += (p[k] /= z2) * gP[k];
      for (int k = 0; k < R; k++) gM[(size_t)k * S + t] += (sl_real)(scale * p[k] * (gP[k] - dot));
    }
  }
  return loss;
}

/* Cross-entropy of softmax(z), z_k = (1/T) sum_t M_k[t]: a loss whose argmax is the hardware
 * decision rule. dL/dM_k[t] = (q_k - [k = label]) / T. */
double sl_loss_membrane_forward_backward(sl_real *gM, const sl_real *M, int32_t label, int R, int T, sl_real scale) {
  const int S = sl_stride(T);
  double z[256], q[256];
  if (R > 256) R = 256;
  if (label < 0 || label >= R) return 0;
  double mx = -INFINITY, zs = 0;
  for (int k = 0; k < R; k++) {
    double sum = 0;
    for (int t = 0; t < T; t++) sum += M[(size_t)k * S + t];
    z[k] = sum / T;
    if (z[k] > mx) mx = z[k];
  }
  for (int k = 0; k < R; k++) zs += (q[k] = exp(z[k] - mx));
  for (int k = 0; k < R; k++) q[k] /= zs;
  if (gM)
    for (int k = 0; k < R; k++) {
      const sl_real g = (sl_real)(scale * (q[k] - (k == label)) / T);
      for (int t = 0; t < T; t++) gM[(size_t)k * S + t] += g;
    }
  return -log(q[label] > 1e-300 ? q[label] : 1e-300);
}
