/* sl_hls_tb.c — C-simulation bench of the HLS top (csim: gcc here, Vitis HLS `csim_design`
 * on a machine with the tool). Every case is run three ways in lockstep:
 *   - the HLS top, driven only through its command interface (image in, event words in,
 *     spike and state words out), as the hardware would be;
 *   - the C model's reference (a separate sl_core stepped by the host layer; at the end of
 *     each sample the trace of sl_run_sample, byte for byte);
 *   - a transcription of docs/spec.md §5 with 64-bit rings (independent of sl_core.c, so a
 *     fault in the core's optimised fan-out walk cannot hide behind itself).
 * Spikes, membranes, rings, scores, the step counter, synaptic operations and the decision
 * are compared after every step. The expected decision is computed here from the scores
 * (which match the spec transcription's) with the rule of spec §6 — largest score, ties to
 * the lowest class — not taken from sl_core_decision, which the top itself calls. main
 * returns 0 only on an exact match everywhere; the first mismatch is printed with its case,
 * step, neuron and both values. A case this build's maxima cannot hold is reported as
 * skipped, never counted as passed.
 *
 * Cases: examples/tiny.sln + tiny.sle, hand-written networks (saturation, forwarding
 * stress, recurrence, tied scores, fan-in limit, image refusals), and random legal networks.
 *   sl_hls_tb [--examples DIR] [--cases N] [--seed S] [--quick] [--fault] [-v]
 * --quick skips the fan-in case (a 65,664-word image; slow in RTL cosim).
 * --fault perturbs one event seen by the HLS top only: the bench must then fail. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_crc32.h"
#include "sl_hls_top.h"
#include "sl_image.h"
#include "sl_net.h"
#include "sl_netdesc.h"
#include "sl_trace.h"

/* ---------------------------------------------------------------- the top, as a device */
static uint32_t *g_in, *g_out;
static uint32_t g_n_out, g_result, g_status;

static void top(uint32_t cmd, uint32_t arg0, uint32_t arg1, uint32_t n_in) {
  sl_hls_top(cmd, arg0, arg1, n_in, g_in, g_out, &g_n_out, &g_result, &g_status);
}

/* ---------------------------------------------------------------- reporting */
static const char *g_case = "";
static int g_verbose, g_fault, g_quick;
static uint32_t g_passed, g_skipped;
static char g_skip_names[256];

static void skipped(const char *name, const char *why) {
  printf("sl_hls_tb: case %s SKIPPED: %s\n", name, why);
  g_skipped++;
  if (strlen(g_skip_names) + strlen(name) + 3 < sizeof g_skip_names) {
    if (g_skip_names[0]) strcat(g_skip_names, ", ");
    strcat(g_skip_names, name);
  }
}

/* Spec §6: the class with the largest score, ties to the lowest class; -1 without readouts. */
static int32_t spec_decision(const int64_t *score, uint32_t r) {
  int32_t best = -1;
  for (uint32_t k = 0; k < r; k++)
    if (best < 0 || score[k] > score[best]) best = (int32_t)k;
  return best;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "sl_hls_tb: mismatch in case '%s': ", g_case);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 1;
}

/* ---------------------------------------------------------------- random numbers */
static uint64_t g_rng = 1;
static uint32_t rnd(void) { /* splitmix64 */
  uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return (uint32_t)((z ^ (z >> 31)) >> 32);
}
static uint32_t below(uint32_t n) { return n ? rnd() % n : 0; }
static int chance(uint32_t pct) { return below(100) < pct; }

/* ---------------------------------------------------------------- the spec, transcribed */
typedef struct {
  int32_t v[SL_MAX_NEURONS];
  int64_t ring[SL_MAX_NEURONS][SL_MAX_DEPTH];
  int64_t score[SL_MAX_READOUTS];
  uint32_t t;
} oracle;

static int64_t sat24(int64_t x) { return x > 8388607 ? 8388607 : x < -8388608 ? -8388608 : x; }

static void oracle_deliver(oracle *o, const sl_net *n, uint32_t src, uint32_t p) {
  for (uint32_t k = 0; k < n->row_cap; k++) {
    const uint32_t e = n->syn[src * n->row_cap + k];
    if (!(e & SL_SYN_VALID)) continue;
    const uint32_t d = (e >> 8) & 31, tgt = (e >> 16) & 1023;
    const int32_t w = (int32_t)(int8_t)(e & 0xFF);
    o->ring[tgt][(o->t + 1 + d) % n->depth] += (int64_t)w * p;
  }
}

static void oracle_step(oracle *o, const sl_net *n, const uint16_t *chan, const uint8_t *pay, uint32_t ne,
                        uint8_t *spk) {
  uint32_t nn = 0, k = 0;
  for (uint32_t p = 0; p < n->n_pops; p++) {
    const sl_pop *q = &n->pop[p];
    for (uint32_t i = 0; i < q->count; i++, nn++) {
      const int64_t a = sat24(o->ring[nn][o->t % n->depth]);
      const int64_t v = o->v[nn];
      const int s = (q->flags & SL_POP_SPIKING) && v >= q->threshold;
      int64_t lk = v * q->leak + 2048; /* floor division by 4096, written without >> */
      lk = (lk >= 0) ? lk / 4096 : -((-lk + 4095) / 4096);
      o->ring[nn][o->t % n->depth] = 0;
      o->v[nn] = (int32_t)(!s ? sat24(lk + a) : q->reset == SL_RESET_ZERO ? 0 : sat24(lk + a - q->threshold));
      spk[nn] = (uint8_t)s;
      if (q->flags & SL_POP_READOUT) o->score[k++] += o->v[nn];
    }
  }
  for (uint32_t i = 0; i < n->n_neurons; i++)
    if (spk[i]) oracle_deliver(o, n, n->n_inputs + i, 1);
  for (uint32_t i = 0; i < ne; i++) oracle_deliver(o, n, chan[i], pay[i]);
  o->t++;
}

/* ---------------------------------------------------------------- one case */
static uint8_t *g_image;
static oracle g_or;

static int load(const sl_net *n) {
  const size_t len = sl_image_size(n);
  sl_image_encode(n, NULL, g_image);
  for (size_t i = 0; i < len / 4; i++)
    g_in[i] = (uint32_t)g_image[4 * i] | (uint32_t)g_image[4 * i + 1] << 8 | (uint32_t)g_image[4 * i + 2] << 16 |
              (uint32_t)g_image[4 * i + 3] << 24;
  top(SL_HLS_CMD_LOAD, 0, 0, (uint32_t)(len / 4));
  if (g_status != SL_HLS_ST_CONFIGURED || g_result != 1)
    return fail("LOAD of a valid image: status 0x%x result %u, expected 0x%x 1", g_status, g_result,
                SL_HLS_ST_CONFIGURED);
  return 0;
}

/* A random rewire (legal or not) applied to both; the top must agree with the host check. */
static int random_rewire(sl_core *ref) {
  const sl_net *n = &ref->net;
  const uint32_t src = below(sl_net_sources(n) + 1), slot = below(n->row_cap + 1u);
  uint32_t e;
  switch (below(8)) {
    case 0: e = 0; break;
    case 1: e = sl_syn_pack((uint16_t)below(n->n_neurons), (int8_t)below(256), (uint8_t)below(32)); break;
    case 2: e = sl_syn_pack((uint16_t)below(1024), (int8_t)below(256), (uint8_t)below(n->depth)); break;
    case 3: { /* any one reserved bit: 13..15 or 26..30 */
      static const uint8_t rsv[] = {13, 14, 15, 26, 27, 28, 29, 30};
      e = sl_syn_pack((uint16_t)below(n->n_neurons), 5, 0) | (1u << rsv[below(8)]);
      break;
    }
    case 4: e = below(0x7FFFFFFF) + 1; break; /* invalid but not zero */
    default: e = sl_syn_pack((uint16_t)below(n->n_neurons), (int8_t)below(256), (uint8_t)below(n->depth));
  }
  const int want = src < sl_net_sources(n) && slot < n->row_cap && sl_net_check_entry(n, src, slot, e, "rewire", NULL) == SL_OK;
  top(SL_HLS_CMD_REWIRE, src | slot << 16, e, 0);
  if ((int)g_result != want)
    return fail("step %u: REWIRE row %u slot %u word 0x%08x: top says %u, host check says %d", ref->t, src, slot, e,
                g_result, want);
  if (!want != !!(g_status & SL_HLS_ST_ERR_REWIRE))
    return fail("step %u: REWIRE status 0x%x does not match the outcome %d", ref->t, g_status, want);
  if (want) sl_core_rewire(ref, (uint16_t)src, (uint16_t)slot, e);
  top(SL_HLS_CMD_CLEAR, 0, 0, 0);
  return 0;
}

/* Run every sample of es through top, reference and oracle. rewire_pct: chance per step of a
 * random rewire (then the end-of-sample trace comparison is skipped: sl_run_sample does
 * not rewire); bad_pct: chance per step of a malformed event word sent to the top only. */
static int run_case(const char *name, const sl_net *net, const sl_eventset *es, uint32_t rewire_pct,
                    uint32_t bad_pct) {
  g_case = name;
  sl_core *ref = sl_core_new(), *ref2 = sl_core_new();
  uint8_t spk[SL_MAX_NEURONS], ospk[SL_MAX_NEURONS], hspk[SL_MAX_NEURONS];
  uint16_t chan[SL_MAX_INPUTS];
  uint8_t pay[SL_MAX_INPUTS];
  char *want_buf = NULL, *got_buf = NULL;
  size_t want_len = 0, got_len = 0;
  int bad = 0;
  if (!ref || !ref2) { fprintf(stderr, "sl_hls_tb: out of memory\n"); exit(2); }
  ref->net = *net;
  sl_core_configure(ref);
  ref2->net = *net;
  sl_core_configure(ref2);
  if ((bad = load(net))) goto out;
  const uint32_t N = net->n_neurons, D = net->depth, R = ref->n_readouts;
  for (uint32_t si = 0; si < es->n_samples && !bad; si++) {
    const sl_sample *sm = &es->samples[si];
    FILE *got = open_memstream(&got_buf, &got_len);
    uint32_t k = 0;
    sl_core_reset(ref);
    memset(&g_or, 0, sizeof g_or);
    top(SL_HLS_CMD_RESET, 0, 0, 0);
    sl_trace_write_sample(got, sm->id, sm->label);
    for (uint32_t t = 0; t < es->steps && !bad; t++) {
      uint32_t ne = 0, nw = 0, expect_err = 0;
      while (k < sm->count && es->ev[sm->first + k].step == t) {
        chan[ne] = es->ev[sm->first + k].chan;
        pay[ne++] = es->ev[sm->first + k].payload;
        k++;
      }
      if (rewire_pct && chance(rewire_pct) && (bad = random_rewire(ref))) break;
      /* The top gets the events in a shuffled order (delivery order must not matter),
       * with malformed words mixed in when asked. */
      for (uint32_t i = 0; i < ne; i++) g_in[nw++] = SL_HLS_EV_WORD(chan[i], pay[i]);
      for (uint32_t i = nw; i > 1; i--) {
        const uint32_t j = below(i), x = g_in[i - 1];
        g_in[i - 1] = g_in[j], g_in[j] = x;
      }
      if (bad_pct && chance(bad_pct)) {
        switch (below(4)) {
          case 0: g_in[nw++] = SL_HLS_EV_WORD(net->n_inputs + below(8), 1 + below(255)); break;
          case 1: g_in[nw++] = SL_HLS_EV_WORD(below(net->n_inputs), 0); break;
          case 2: g_in[nw++] = SL_HLS_EV_WORD(below(net->n_inputs), 1) | (1u << (24 + below(8))); break;
          default:
            if (ne == 0) g_in[nw++] = SL_HLS_EV_WORD(net->n_inputs, 1);
            else {
              const uint32_t dup = g_in[below(nw)] ^ (1u << 16); /* a channel repeated in the step */
              g_in[nw++] = dup;
            }
        }
        expect_err = 1;
      }
      if (g_fault && t >= es->steps / 2 && nw > 0) { /* once: a legal but different payload */
        const uint32_t p = (g_in[0] >> 16) & 0xFF;
        g_in[0] = (g_in[0] & 0xFFFFu) | (p == 255 ? 254u : p + 1) << 16;
        g_fault = 0;
      }
      const uint32_t ops = sl_core_step(ref, chan, pay, ne, spk);
      oracle_step(&g_or, &ref->net, chan, pay, ne, ospk);
      top(SL_HLS_CMD_STEP, 0, 0, nw);
      if (expect_err != !!(g_status & SL_HLS_ST_ERR_EVENT)) {
        bad = fail("step %u: status 0x%x, expected the bad-event bit %s", t, g_status, expect_err ? "set" : "clear");
        break;
      }
      if (g_result != ops) { bad = fail("step %u: synaptic operations top %u, reference %u", t, g_result, ops); break; }
      memset(hspk, 0, N);
      for (uint32_t i = 0; i < g_n_out && !bad; i++) {
        const uint32_t w = g_out[i], n = SL_HLS_SPK_NEURON(w);
        if (SL_HLS_SPK_STEP(w) != (t & 0xFFFF) || n >= N || (i > 0 && n <= SL_HLS_SPK_NEURON(g_out[i - 1])))
          bad = fail("step %u: malformed spike word %u: 0x%08x", t, i, w);
        else
          hspk[n] = 1;
      }
      for (uint32_t n = 0; n < N && !bad; n++) {
        if (hspk[n] != spk[n]) bad = fail("step %u neuron %u: spike top %u, reference %u", t, n, hspk[n], spk[n]);
        else if (ospk[n] != spk[n]) bad = fail("step %u neuron %u: spike spec %u, reference %u", t, n, ospk[n], spk[n]);
      }
      if (bad) break;
      if (expect_err) top(SL_HLS_CMD_CLEAR, 0, 0, 0); /* after the spike words were read */
      sl_trace_write_spikes(got, t, hspk, N);
      /* State at the timestep boundary. */
      top(SL_HLS_CMD_READ, SL_HLS_READ_V | SL_HLS_READ_RING | SL_HLS_READ_SCORE | SL_HLS_READ_T, 0, 0);
      const uint32_t words = N + N * D + 2 * R + 1;
      if (g_n_out != words) { bad = fail("step %u: READ gave %u words, expected %u", t, g_n_out, words); break; }
      for (uint32_t n = 0; n < N && !bad; n++) {
        const int32_t hv = (int32_t)g_out[n];
        if (hv != ref->v[n]) bad = fail("step %u neuron %u: V top %d, reference %d", t, n, hv, ref->v[n]);
        else if (g_or.v[n] != ref->v[n]) bad = fail("step %u neuron %u: V spec %d, reference %d", t, n, g_or.v[n], ref->v[n]);
        for (uint32_t s = 0; s < D && !bad; s++) {
          const int32_t hr = (int32_t)g_out[N + n * D + s], rr = ref->ring[n * SL_MAX_DEPTH + s];
          if (hr != rr)
            bad = fail("step %u neuron %u ring slot %u: top %d, reference %d", t, n, s, hr, rr);
          else if (g_or.ring[n][s] != rr)
            bad = fail("step %u neuron %u ring slot %u: spec %" PRId64 ", reference %d", t, n, s, g_or.ring[n][s], rr);
        }
      }
      for (uint32_t r = 0; r < R && !bad; r++) {
        const int64_t hs = (int64_t)((uint64_t)g_out[N + N * D + 2 * r] | (uint64_t)g_out[N + N * D + 2 * r + 1] << 32);
        if (hs != ref->score[r])
          bad = fail("step %u readout %u: score top %" PRId64 ", reference %" PRId64, t, r, hs, ref->score[r]);
        else if (g_or.score[r] != ref->score[r])
          bad = fail("step %u readout %u: score spec %" PRId64 ", reference %" PRId64, t, r, g_or.score[r], ref->score[r]);
      }
      if (!bad && g_out[words - 1] != ref->t) bad = fail("step %u: t top %u, reference %u", t, g_out[words - 1], ref->t);
      if (!bad && (int32_t)g_result != spec_decision(g_or.score, R))
        bad = fail("step %u: decision top %d, spec rule on the scores %d", t, (int32_t)g_result,
                   spec_decision(g_or.score, R));
      if (!bad && g_status != SL_HLS_ST_CONFIGURED) bad = fail("step %u: status 0x%x", t, g_status);
    }
    /* The whole sample's trace, byte for byte against the reference runner (spec §8.3). */
    top(SL_HLS_CMD_READ, SL_HLS_READ_SCORE, 0, 0);
    int64_t score[SL_MAX_READOUTS];
    for (uint32_t r = 0; r < R; r++) score[r] = (int64_t)((uint64_t)g_out[2 * r] | (uint64_t)g_out[2 * r + 1] << 32);
    sl_trace_write_decision(got, (int32_t)g_result, score, R);
    fclose(got);
    if (!bad && !rewire_pct) {
      FILE *want = open_memstream(&want_buf, &want_len);
      sl_run_sample(ref2, es, si, want, NULL, NULL);
      fclose(want);
      if (want_len != got_len || memcmp(want_buf, got_buf, got_len)) {
        size_t i = 0, line = 1;
        while (i < want_len && i < got_len && want_buf[i] == got_buf[i]) line += want_buf[i++] == '\n';
        bad = fail("sample %d: trace differs from sl_run_sample's at line %zu", sm->id, line);
      }
      free(want_buf);
      want_buf = NULL;
    }
    free(got_buf);
    got_buf = NULL;
  }
  if (!bad && g_verbose) printf("sl_hls_tb: %-24s ok (%u neurons, %u samples x %u steps)\n", name, net->n_neurons, es->n_samples, es->steps);
  if (!bad) g_passed++;
out:
  sl_core_free(ref);
  sl_core_free(ref2);
  return bad;
}

/* ---------------------------------------------------------------- hand-written networks */
static sl_net *parse_net(const char *text, const char *what) {
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err err;
  memset(&nm, 0, sizeof nm);
  if (!n || sl_netdesc_parse(text, what, n, &nm, &err) != SL_OK) {
    fprintf(stderr, "sl_hls_tb: %s\n", n ? err.msg : "out of memory");
    exit(2);
  }
  return n;
}

static void add(sl_eventset *es, uint32_t step, uint32_t chan, uint32_t payload) {
  sl_err err;
  if (sl_events_add(es, step, chan, payload, &err) != SL_OK) {
    fprintf(stderr, "sl_hls_tb: bench events: %s\n", err.msg);
    exit(2);
  }
}

/* 4 inputs at payload 255, each with 80 entries of weight 127 (or -128) onto one neuron:
 * one slot holds +-1.04e7 > 2^23, so the read saturates (spec §5); the membranes then pin
 * at the 24-bit limits and a subtract-reset neuron with threshold 2^23-1 fires. */
static int case_saturation(void) {
  static char text[8192];
  size_t len = (size_t)snprintf(text, sizeof text, "inputs 4\ndepth 4\nrowcap 256\n"
                                "pop hi 1 leak 4096 threshold 8388607 reset sub spiking\n"
                                "pop lo 1 leak 4096 threshold 1 reset zero readout\n"
                                "pop mid 2 leak 4095 threshold 4000000 reset zero spiking readout\n"
                                "syn hi:0 mid:0-1 weight 127 delay 1\n");
  for (int r = 0; r < 80; r++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "syn in:0-3 hi:0 weight 127 delay 0\nsyn in:0-3 lo:0 weight -128 delay 3\n");
  sl_net *n = parse_net(text, "saturation");
  sl_eventset es;
  sl_events_init(&es, 4, 12, NULL);
  sl_events_add_sample(&es, 0, -1, NULL);
  for (uint32_t t = 0; t < 6; t++)
    for (uint32_t c = 0; c < 4; c++) add(&es, t, c, 255);
  const int bad = run_case("saturation", n, &es, 0, 0);
  sl_events_free(&es);
  sl_net_free(n);
  return bad;
}

/* One row whose entries hit the same ring cell back to back, two apart and three apart: the
 * read-after-write cases of the pipelined fan-out walk (sl_core.c, forwarding registers). */
static int case_forwarding(void) {
  sl_net *n = parse_net("inputs 2\ndepth 4\nrowcap 16\n"
                        "pop h 3 leak 4096 threshold 1 reset zero readout\n"
                        "syn in:0 h:0 weight 127 delay 1\nsyn in:0 h:0 weight 127 delay 1\n"
                        "syn in:0 h:0 weight -128 delay 1\nsyn in:0 h:1 weight 3 delay 1\n"
                        "syn in:0 h:0 weight 5 delay 1\nsyn in:0 h:1 weight 7 delay 1\n"
                        "syn in:0 h:2 weight 11 delay 1\nsyn in:0 h:0 weight 13 delay 1\n"
                        "syn in:0 h:1 weight 17 delay 1\nsyn in:0 h:2 weight 19 delay 1\n"
                        "syn in:0 h:0 weight 23 delay 1\nsyn in:0 h:0 weight 29 delay 3\n"
                        "syn in:0 h:0 weight 31 delay 1\nsyn in:0 h:0 weight 37 delay 3\n"
                        "slot in:0 15 h:0 weight 41 delay 1\n"
                        "syn in:1 h:2 weight -128 delay 0\nsyn in:1 h:2 weight -128 delay 0\n"
                        "syn in:1 h:2 weight -128 delay 0\nsyn in:1 h:2 weight -128 delay 0\n",
                        "forwarding");
  sl_eventset es;
  sl_events_init(&es, 2, 16, NULL);
  sl_events_add_sample(&es, 0, -1, NULL);
  for (uint32_t t = 0; t < 12; t++) {
    add(&es, t, 0, t % 3 ? 255 : 1);
    if (t % 2) add(&es, t, 1, 200);
  }
  const int bad = run_case("forwarding", n, &es, 0, 0);
  sl_events_free(&es);
  sl_net_free(n);
  return bad;
}

/* All-to-all recurrence with self-loops at delay 0 and D-1, both reset modes. */
static int case_recurrent(void) {
  sl_net *n = parse_net("inputs 2\ndepth 8\nrowcap 8\n"
                        "pop a 4 leak 3688 threshold 50 reset sub spiking\n"
                        "pop b 2 leak 0 threshold 20 reset zero spiking\n"
                        "pop o 2 leak 2048 threshold 1 reset zero readout\n"
                        "syn a:0-3 a:0-3 weight 30 delay 0\n"
                        "syn a:0 a:0 weight 127 delay 7\n"
                        "syn a:1-2 b:0-1 weight 25 delay 7\n"
                        "syn b:0-1 o:0-1 weight -7 delay 2\n"
                        "syn b:0 a:3 weight -128 delay 0\n"
                        "syn in:0 a:0-1 weight 60 delay 0\n"
                        "syn in:1 a:2-3 weight 60 delay 5\n",
                        "recurrent");
  sl_eventset es;
  sl_events_init(&es, 2, 40, NULL);
  for (int s = 0; s < 2; s++) {
    sl_events_add_sample(&es, s, s, NULL);
    for (uint32_t t = 0; t < 30; t += 3 + (uint32_t)s) add(&es, t, (uint32_t)s, 1 + 40 * (uint32_t)s);
  }
  const int bad = run_case("recurrent", n, &es, 0, 0);
  sl_events_free(&es);
  sl_net_free(n);
  return bad;
}

/* Fan-in at exactly 65535 on neuron 0 is legal; one more is refused, by LOAD and by
 * REWIRE alike, and a refused LOAD leaves nothing runnable. */
static int case_fanin(void) {
  g_case = "fanin";
#if SL_MAX_INPUTS < 1024 || SL_MAX_SYN < 1026 * 64
  skipped("fanin", "this build's maxima cannot hold a fan-in of 65535");
  return 0; /* counted as skipped, not as passed: a smaller build cannot hold this network */
#else
  sl_net *n = sl_net_new();
  n->n_inputs = 1024, n->n_neurons = 2, n->n_pops = 1, n->depth = 2, n->row_cap = 64;
  n->pop[0] = (sl_pop){.count = 2, .leak = 4096, .threshold = 100, .reset = 0, .flags = SL_POP_SPIKING};
  const uint32_t total = 1026u * 64;
  for (uint32_t i = 0; i < 65535; i++) n->syn[i] = sl_syn_pack(0, 1, 0);
  if (sl_net_validate(n, "fanin", NULL) != SL_OK) return fail("bench: the fan-in network is not valid");
  int bad = load(n);
  if (!bad) {
    top(SL_HLS_CMD_REWIRE, 1025u | 63u << 16, sl_syn_pack(0, 1, 1), 0);
    if (g_result != 0 || !(g_status & SL_HLS_ST_ERR_REWIRE)) bad = fail("REWIRE to fan-in 65536 was accepted");
    top(SL_HLS_CMD_CLEAR, 0, 0, 0);
    top(SL_HLS_CMD_REWIRE, 1025u | 63u << 16, sl_syn_pack(1, 1, 1), 0);
    if (!bad && (g_result != 1 || g_status != SL_HLS_ST_CONFIGURED)) bad = fail("legal REWIRE was refused");
    top(SL_HLS_CMD_REWIRE, 0, 0, 0); /* remove one onto neuron 0: room for one again */
    top(SL_HLS_CMD_REWIRE, 1025u | 62u << 16, sl_syn_pack(0, -1, 0), 0);
    if (!bad && (g_result != 1 || g_status != SL_HLS_ST_CONFIGURED)) bad = fail("REWIRE after a removal was refused");
  }
  n->syn[total - 1] = sl_syn_pack(0, 1, 0); /* 65536 onto neuron 0 */
  if (!bad) {
    const size_t len = sl_image_size(n);
    sl_image_encode(n, NULL, g_image);
    memcpy(g_in, g_image, len); /* little-endian host */
    top(SL_HLS_CMD_LOAD, 0, 0, (uint32_t)(len / 4));
    if (g_status != SL_HLS_ST_ERR_IMAGE) bad = fail("LOAD with fan-in 65536: status 0x%x", g_status);
    top(SL_HLS_CMD_STEP, 0, 0, 0);
    if (!bad && !(g_status & SL_HLS_ST_ERR_CMD)) bad = fail("STEP after a refused LOAD: status 0x%x", g_status);
  }
  sl_net_free(n);
  if (!bad && g_verbose) printf("sl_hls_tb: %-24s ok\n", "fanin");
  if (!bad) g_passed++;
  return bad;
#endif
}

/* g_image with its CRC fixed up, through the host loader and the top's LOAD: whether each
 * accepts it (the top: configured with result 1). */
static void load_both(uint32_t words, int *host_ok, int *top_ok) {
  memset(g_image + 12, 0, 4);
  const uint32_t crc = sl_crc32(0, g_image, 4u * words);
  for (int b = 0; b < 4; b++) g_image[12 + b] = (uint8_t)(crc >> (8 * b));
  sl_net *m = sl_net_new();
  *host_ok = m && sl_image_decode(g_image, 4u * words, "image", m, NULL, NULL) == SL_OK;
  sl_net_free(m);
  memcpy(g_in, g_image, 4u * words);
  top(SL_HLS_CMD_LOAD, 0, 0, words);
  *top_ok = g_status == SL_HLS_ST_CONFIGURED && g_result == 1;
}

/* Corrupted images: each must be refused (the host loader refuses them too). */
static int case_bad_images(void) {
  g_case = "bad images";
  sl_net *n = parse_net("inputs 2\ndepth 8\nrowcap 4\npop h 2 leak 4096 threshold 10 reset zero spiking\n"
                        "syn in:0 h:0 weight 5 delay 2\n", "bad-images");
  const uint32_t words = (uint32_t)(sl_image_size(n) / 4), syn0 = 16 + 8;
  static const struct { uint32_t word, xor_mask; int len_delta; const char *what; } bad[] = {
      {0, 0x1, 0, "magic"},         {1, 0x2, 0, "version major"},   {2, 0x4, 0, "file_size"},
      {4, 0x7FF, 0, "n_inputs"},    {5, 0x30000, 0, "depth"},       {6, 0x3, 0, "row_cap"},
      {6, 0x10000, 0, "reserved"},  {9, 0x4, 0, "syn_offset"},      {13, 0x1, 0, "reserved tail"},
      {20, 0x1, 0, "pop count"},    {20, 0x30000000, 0, "leak"},    {21, 0x7F000000, 0, "threshold"},
      {22, 0x2, 0, "reset"},        {22, 0x400, 0, "flags"},        {23, 0x1, 0, "pop reserved"},
      {syn0, 0x2000, 0, "reserved bits"}, {syn0, 0x800, 0, "delay"}, {syn0, 0x20000, 0, "target"},
      {syn0, 0x80000000, 0, "invalid not zero"}, {0, 0, -1, "truncated"}, {0, 0, 1, "too long"}};
  int fails = 0;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    sl_image_encode(n, NULL, g_image);
    memcpy(g_in, g_image, 4u * words);
    g_in[words] = 0;
    g_in[bad[i].word] ^= bad[i].xor_mask;
    top(SL_HLS_CMD_LOAD, 0, 0, (uint32_t)((int)words + bad[i].len_delta));
    if (g_status != SL_HLS_ST_ERR_IMAGE) fails |= fail("corrupted %s: LOAD status 0x%x", bad[i].what, g_status);
  }
  /* The recorded input scale (word 11, spec §8.1 minor 1): the top takes what the host
   * loader takes. Minor 0 keeps the word reserved. */
  static const struct { uint32_t minor, bits; const char *what; } scale[] = {
      {0, 0x3F800000u, "1.0 in a minor-0 image"}, {1, 0, "not recorded"},   {1, 0x3BCB8C0Fu, "1.584/255"},
      {1, 0x00000001u, "smallest subnormal"},     {3, 0x3F800000u, "1.0, minor 3"}, {1, 0x7F800000u, "infinity"},
      {1, 0x7FC00000u, "NaN"},                    {1, 0xBF800000u, "-1.0"},     {1, 0x80000000u, "-0"},
      {2, 0xFF800000u, "-infinity, minor 2"}};
  sl_names nm; /* the host loader wants names (the top ignores them) */
  memset(&nm, 0, sizeof nm);
  for (uint32_t p = 0; p < n->n_pops; p++) snprintf(nm.pop[p], sizeof nm.pop[p], "p%u", p);
  for (size_t i = 0; i < sizeof scale / sizeof scale[0]; i++) {
    sl_image_encode(n, &nm, g_image);
    g_image[6] = (uint8_t)scale[i].minor;
    for (int b = 0; b < 4; b++) g_image[44 + b] = (uint8_t)(scale[i].bits >> (8 * b));
    int host_ok, top_ok;
    load_both(words, &host_ok, &top_ok);
    const int want = scale[i].minor ? scale[i].bits < 0x7F800000u : scale[i].bits == 0;
    if (top_ok != want || host_ok != want)
      fails |= fail("input scale %s (0x%08x): top %s, host loader %s, expected %s", scale[i].what, scale[i].bits,
                    top_ok ? "accepts" : "refuses", host_ok ? "accepts" : "refuses", want ? "accepted" : "refused");
  }
  /* The recorded front-end recipe (words 12 and 13, spec §8.1 minor 2): the top takes what the
   * host loader takes; below minor 2 the words stay reserved, word 14 always is. */
  static const struct { uint32_t minor, band, top_db, word14; int want; const char *what; } recipe[] = {
      {2, 4000, 0x42480000u, 0, 1, "4000 Hz, 50 dB"},     {2, 0, 0, 0, 1, "nothing recorded"},
      {2, 10254, 0x447A0000u, 0, 1, "10254 Hz, 1000 dB"}, {2, 1000, 0x00000001u, 0, 1, "1000 Hz, subnormal"},
      {3, 8000, 0x42A00000u, 0, 1, "minor 3"},            {2, 999, 0, 0, 0, "999 Hz"},
      {2, 10255, 0, 0, 0, "10255 Hz"},                    {2, 0xFFFFFFFFu, 0, 0, 0, "2^32-1 Hz"},
      {2, 0, 0x447A0001u, 0, 0, "top_db above 1000"},     {2, 0, 0x7FC00000u, 0, 0, "top_db NaN"},
      {2, 0, 0x7F800000u, 0, 0, "top_db infinity"},       {2, 0, 0xC2480000u, 0, 0, "top_db -50"},
      {2, 0, 0x80000000u, 0, 0, "top_db -0"},             {1, 4000, 0, 0, 0, "band in minor 1"},
      {1, 0, 0x42480000u, 0, 0, "top_db in minor 1"},     {2, 4000, 0x42480000u, 1, 0, "word 14 in minor 2"}};
  for (size_t i = 0; i < sizeof recipe / sizeof recipe[0]; i++) {
    sl_image_encode(n, &nm, g_image);
    g_image[6] = (uint8_t)recipe[i].minor;
    for (int b = 0; b < 4; b++) {
      g_image[48 + b] = (uint8_t)(recipe[i].band >> (8 * b));
      g_image[52 + b] = (uint8_t)(recipe[i].top_db >> (8 * b));
      g_image[56 + b] = (uint8_t)(recipe[i].word14 >> (8 * b));
    }
    int host_ok, top_ok;
    load_both(words, &host_ok, &top_ok);
    if (top_ok != recipe[i].want || host_ok != recipe[i].want)
      fails |= fail("recipe %s (band 0x%08x, top_db 0x%08x): top %s, host loader %s, expected %s", recipe[i].what,
                    recipe[i].band, recipe[i].top_db, top_ok ? "accepts" : "refuses", host_ok ? "accepts" : "refuses",
                    recipe[i].want ? "accepted" : "refused");
  }
  sl_net_free(n);
  if (!fails && g_verbose) printf("sl_hls_tb: %-24s ok (%zu refusals)\n", "bad images", sizeof bad / sizeof bad[0]);
  if (!fails) g_passed++;
  return fails;
}

/* Tied scores: readouts fed identically, so the decision is the tie rule alone (spec §6:
 * the lowest class). Sample 0: classes 0..3 tie at a positive score. Sample 1: class 0 is
 * held down by an inhibitory input, classes 1..3 tie above it (decision 1). Sample 2: no
 * input, every score is 0 (decision 0). A rule that gives ties to the highest class, or to
 * the last maximum seen, fails here. */
static int case_ties(void) {
  sl_net *n = parse_net("inputs 2\ndepth 4\nrowcap 8\n"
                        "pop o 4 leak 2048 threshold 1 reset zero readout\n"
                        "syn in:0 o:0-3 weight 9 delay 1\n"
                        "syn in:1 o:0 weight -20 delay 0\n",
                        "ties");
  sl_eventset es;
  sl_events_init(&es, 2, 10, NULL);
  sl_events_add_sample(&es, 0, 0, NULL);
  for (uint32_t t = 0; t < 6; t++) add(&es, t, 0, 7);
  sl_events_add_sample(&es, 1, 1, NULL);
  for (uint32_t t = 0; t < 6; t++) {
    add(&es, t, 0, 7);
    add(&es, t, 1, 3);
  }
  sl_events_add_sample(&es, 2, 0, NULL);
  const int bad = run_case("ties", n, &es, 0, 0);
  sl_events_free(&es);
  sl_net_free(n);
  return bad;
}

/* ---------------------------------------------------------------- golden: examples/ */
static int case_tiny(const char *dir) {
  char p1[512], p2[512];
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_eventset es;
  sl_err err;
  snprintf(p1, sizeof p1, "%s/tiny.sln", dir);
  snprintf(p2, sizeof p2, "%s/tiny.sle", dir);
  if (sl_netdesc_load(p1, n, &nm, &err) || sl_events_load(p2, &es, &err)) {
    fprintf(stderr, "sl_hls_tb: %s\n", err.msg);
    sl_net_free(n);
    return 1;
  }
  const int bad = run_case("examples/tiny", n, &es, 0, 0);
  sl_events_free(&es);
  sl_net_free(n);
  return bad;
}

/* ---------------------------------------------------------------- random legal networks */
static void random_net(sl_net *n) {
  static const uint16_t leaks[] = {0, 4096, 3688, 2048, 4095, 1};
  memset(n, 0, sizeof *n);
  n->n_inputs = (uint16_t)(1 + below(12));
  n->n_pops = (uint16_t)(1 + below(4));
  n->depth = (uint16_t)(2u << below(5));
  n->row_cap = (uint16_t)(1u << below(5));
  for (uint32_t p = 0; p < n->n_pops; p++) {
    sl_pop *q = &n->pop[p];
    q->count = (uint16_t)(1 + below(6));
    q->leak = chance(20) ? (uint16_t)below(4097) : leaks[below(6)];
    switch (below(5)) {
      case 0: q->threshold = 1; break;
      case 1: q->threshold = SL_V_MAX; break;
      case 2: q->threshold = (int32_t)(1 + below(200)); break;
      case 3: q->threshold = (int32_t)(1 + below(30000)); break;
      default: q->threshold = (int32_t)(1 + below(SL_V_MAX));
    }
    q->reset = (uint8_t)below(2);
    q->flags = (uint8_t)below(4);
    n->n_neurons = (uint16_t)(n->n_neurons + q->count);
  }
  const uint32_t S = sl_net_sources(n), fill = 20 + below(81);
  for (uint32_t s = 0; s < S; s++)
    for (uint32_t k = 0; k < n->row_cap; k++) {
      uint32_t *e = &n->syn[s * n->row_cap + k];
      if (!chance(fill)) continue;
      if (k > 0 && chance(25) && n->syn[s * n->row_cap + k - 1]) { /* same cell as the last entry */
        *e = (n->syn[s * n->row_cap + k - 1] & ~SL_SYN_W_MASK) | below(256);
        continue;
      }
      if (k > 1 && chance(15) && n->syn[s * n->row_cap + k - 2]) { /* same cell as two back */
        *e = n->syn[s * n->row_cap + k - 2];
        continue;
      }
      const uint32_t wsel = below(4), dsel = below(3);
      const int32_t w = wsel == 0 ? -128 : wsel == 1 ? 127 : (int32_t)below(256) - 128;
      const uint32_t d = dsel == 0 ? 0 : dsel == 1 ? n->depth - 1u : below(n->depth);
      *e = sl_syn_pack((uint16_t)below(n->n_neurons), (int8_t)w, (uint8_t)d);
    }
}

static int random_cases(uint32_t cases, uint64_t seed) {
  sl_net *n = sl_net_new();
  int bad = 0;
  char name[64];
  for (uint32_t c = 0; c < cases && !bad; c++) {
    g_rng = seed * 1000003u + c;
    random_net(n);
    sl_err err;
    if (sl_net_validate(n, "random", &err) != SL_OK) {
      fprintf(stderr, "sl_hls_tb: bench bug: random network %u invalid: %s\n", c, err.msg);
      bad = 1;
      break;
    }
    sl_eventset es;
    const uint32_t steps = 1 + below(60), density = 5 + below(90), samples = 1 + below(2);
    sl_events_init(&es, n->n_inputs, steps, NULL);
    for (uint32_t s = 0; s < samples; s++) {
      sl_events_add_sample(&es, (int32_t)s, chance(50) ? (int32_t)below(10) : -1, NULL);
      for (uint32_t t = 0; t < steps; t++)
        for (uint32_t ch = 0; ch < n->n_inputs; ch++)
          if (chance(density)) {
            const uint32_t ps = below(3);
            add(&es, t, ch, ps == 0 ? 1 : ps == 1 ? 255 : 1 + below(255));
          }
    }
    snprintf(name, sizeof name, "random %u (seed %" PRIu64 ")", c, seed);
    bad = run_case(name, n, &es, chance(30) ? 10 : 0, chance(30) ? 15 : 0);
    sl_events_free(&es);
  }
  sl_net_free(n);
  if (!bad) printf("sl_hls_tb: %u random networks ok (seed %" PRIu64 ")\n", cases, seed);
  return bad;
}

int main(int argc, char **argv) {
  const char *examples = SL_EXAMPLES;
  uint32_t cases = 300;
  uint64_t seed = 1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--examples") && i + 1 < argc) examples = argv[++i];
    else if (!strcmp(argv[i], "--cases") && i + 1 < argc) cases = (uint32_t)strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--fault")) g_fault = 1;
    else if (!strcmp(argv[i], "--quick")) g_quick = 1;
    else if (!strcmp(argv[i], "-v")) g_verbose = 1;
    else {
      fprintf(stderr, "usage: sl_hls_tb [--examples DIR] [--cases N] [--seed S] [--quick] [--fault] [-v]\n");
      return 2;
    }
  }
  g_in = calloc(SL_HLS_IN_WORDS + 1, sizeof *g_in);
  g_out = calloc(SL_HLS_OUT_WORDS, sizeof *g_out);
  g_image = calloc(SL_HLS_IMAGE_WORDS, 4);
  if (!g_in || !g_out || !g_image) {
    fprintf(stderr, "sl_hls_tb: out of memory\n");
    return 2;
  }
  top(SL_HLS_CMD_STEP, 0, 0, 0); /* before any LOAD: refused */
  int bad = !(g_status & SL_HLS_ST_ERR_CMD) ? fail("STEP before LOAD: status 0x%x", g_status) : 0;
  if (!bad) bad = case_tiny(examples);
  if (!bad) bad = case_saturation();
  if (!bad) bad = case_forwarding();
  if (!bad) bad = case_recurrent();
  if (!bad) bad = case_ties();
  if (!bad && !g_quick) bad = case_fanin();
  if (!bad && g_quick) skipped("fanin", "--quick");
  if (!bad) bad = case_bad_images();
  if (!bad) bad = random_cases(cases, seed);
  free(g_in);
  free(g_out);
  free(g_image);
  printf("sl_hls_tb: %u passed, %d failed, %u skipped%s%s%s\n", g_passed, bad ? 1 : 0, g_skipped,
         g_skipped ? " (" : "", g_skip_names, g_skipped ? ")" : "");
  printf("sl_hls_tb: %s\n", bad ? "FAIL"
                             : g_skipped ? "PASS with skipped cases: the HLS top matches the C model exactly where run"
                                         : "PASS: the HLS top matches the C model exactly");
  return bad ? 1 : 0;
}
