/* sl_export.c — from float parameters to a model image, and deployed accuracy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "sl_export.h"
#include "sl_image.h"

sl_status sl_export_net(const sl_model *m, sl_net *net, sl_names *nm, sl_err *err) {
  const sl_train_cfg *c = &m->cfg;
  const int L = c->n_layers, H = c->n_hid, R = c->n_out;
  memset(net, 0, sizeof *net);
  if (nm) memset(nm, 0, sizeof *nm);
  int depth = 2;
  while (depth < c->taps && depth < SL_TRAIN_MAX_TAPS) depth <<= 1; /* taps <= 32 (sl_train_cfg_check) */
  net->n_inputs = (uint16_t)c->n_in;
  net->n_neurons = (uint16_t)(L * H + R);
  net->n_pops = (uint16_t)(L + 1);
  net->depth = (uint16_t)depth;
  net->row_cap = (uint16_t)c->row_cap;
  if ((uint64_t)sl_net_sources(net) * net->row_cap > SL_MAX_SYN)
    return sl_err_set(err, SL_ERR_CAPACITY, "export: %u sources x row capacity %u exceed the table (%u entries)",
                      sl_net_sources(net), net->row_cap, SL_MAX_SYN);
  for (int l = 0; l <= L; l++) {
    sl_pop *p = &net->pop[l];
    int32_t S = 0;
    sl_proj_qscale(m, l, &S);
    p->count = (uint16_t)(l < L ? H : R);
    p->leak = (uint16_t)sl_leak_q12(l < L ? c->tau : c->tau_out);
    p->threshold = l < L ? S : SL_V_MAX;
    p->reset = SL_RESET_ZERO;
    p->flags = l < L ? SL_POP_SPIKING : SL_POP_READOUT;
    if (nm) {
      if (l < L)
        snprintf(nm->pop[l], sizeof nm->pop[l], "hidden%d", l % 10);
      else
        snprintf(nm->pop[l], sizeof nm->pop[l], "readout");
    }
  }
  for (int l = 0; l <= L; l++) {
    const sl_proj *q = &m->proj[l];
    const double k = sl_proj_qscale(m, l, NULL);
    for (int i = 0; i < q->n_pre; i++) {
      const uint32_t src = l == 0 ? (uint32_t)i : (uint32_t)(c->n_in + (l - 1) * H + i);
      uint32_t slot = 0;
      for (int s = q->row[i]; s < q->row[i + 1]; s++) {
        if (!q->active[s]) continue;
        if (slot >= net->row_cap)
          return sl_err_set(err, SL_ERR_CAPACITY, "export: row of source %u needs more than %u entries", src,
                            net->row_cap);
        double r = floor(m->params.w[l][s] * k + 0.5);
        if (r > 127) r = 127;
        if (r < -127) r = -127;
        const uint32_t tgt = (uint32_t)(l < L ? l * H + q->post[s] : L * H + q->post[s]);
        net->syn[src * net->row_cap + slot++] =
            sl_syn_pack((uint16_t)tgt, (int8_t)r, (uint8_t)sl_delay_of(m, (float)m->params.pos[l][s]));
      }
    }
  }
  return sl_net_validate(net, "export", err);
}

sl_status sl_export_save(const sl_model *m, const char *path, sl_err *err) {
  return sl_export_save_recipe(m, path, 0, 0.0f, err);
}

sl_status sl_export_save_recipe(const sl_model *m, const char *path, uint32_t band_limit, float top_db,
                                sl_err *err) {
  sl_net *net = sl_net_new();
  sl_names nm;
  if (!net) return sl_err_set(err, SL_ERR_NOMEM, "out of memory");
  sl_status st = sl_export_net(m, net, &nm, err);
  sl_image_meta meta = {.in_scale = m->cfg.in_scale}; /* the scale training quantised with */
  if (top_db > 0 && (band_limit != 0 || top_db != 80.0f)) { /* a recipe other than the default */
    meta.band_limit = band_limit;
    meta.top_db = top_db;
  }
  if (!st) st = sl_image_save_meta(path, net, &nm, &meta, err);
  sl_net_free(net);
  return st;
}

double sl_deployed_accuracy(const sl_net *net, const sl_dataset *d, const int32_t *idx, int32_t n,
                            sl_run_stats *st, sl_err *err) {
  sl_eventset es;
  memset(&es, 0, sizeof es);
  if (sl_data_to_events(d, idx, n, &es, err)) {
    sl_events_free(&es);
    return -1;
  }
  int nt = 1;
#ifdef _OPENMP
  nt = omp_get_max_threads();
#endif
  sl_core **cores = calloc((size_t)nt, sizeof(sl_core *));
  sl_run_stats *sts = calloc((size_t)nt, sizeof(sl_run_stats));
  int ok = cores && sts;
  for (int t = 0; ok && t < nt; t++) {
    cores[t] = sl_core_new();
    if (!cores[t]) ok = 0;
    else {
      cores[t]->net = *net;
      sl_core_configure(cores[t]);
    }
  }
  long correct = 0;
  if (ok) {
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 8) reduction(+ : correct) num_threads(nt)
#endif
    for (int32_t i = 0; i < n; i++) {
      int tid = 0;
#ifdef _OPENMP
      tid = omp_get_thread_num();
#endif
      int32_t dec = sl_run_sample(cores[tid], &es, (uint32_t)i, NULL, NULL, &sts[tid]);
      correct += dec == es.samples[i].label;
    }
    if (st)
      for (int t = 0; t < nt; t++) {
        st->steps += sts[t].steps;
        st->input_events += sts[t].input_events;
        st->spikes += sts[t].spikes;
        st->synops += sts[t].synops;
      }
  } else {
    sl_err_set(err, SL_ERR_NOMEM, "out of memory for the C model cores");
  }
  for (int t = 0; cores && t < nt; t++) sl_core_free(cores[t]);
  free(cores);
  free(sts);
  sl_events_free(&es);
  return ok ? (n ? (double)correct / n : 0) : -1;
}
