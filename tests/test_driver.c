/* test_driver.c — the host driver against the Verilated RTL core (sim: backend): loading
 * with read-back, run-time rewiring, per-sample equality with the C model, and every fault
 * the driver must survive — a bus error, an image larger than the core, a version mismatch,
 * a malformed (overflowing) event word, a device that does not answer — each giving its
 * error and leaving the core in a known state. Built twice: test_driver (SL_SIM "sim:") and
 * test_driver_sc (SL_SIM "sim:sc,", the SystemC virtual platform, plus its own tests). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "sl_dev.h"
#include "sl_netdesc.h"
#include "sl_regs.h"

/* The backend under test: the prefix of every device URI (options follow it). */
#ifndef SL_SIM
#define SL_SIM "sim:"
#endif

static sl_net *tiny(void) {
  sl_net *n = sl_net_new();
  sl_names nm;
  sl_err err;
  ck_assert_int_eq(sl_netdesc_load(SL_EXAMPLES "/tiny.sln", n, &nm, &err), SL_OK);
  return n;
}

static sl_eventset tiny_events(void) {
  sl_eventset es;
  sl_err err;
  ck_assert_int_eq(sl_events_load(SL_EXAMPLES "/tiny.sle", &es, &err), SL_OK);
  return es;
}

static sl_dev *open_ok(const char *uri) {
  sl_dev *d = NULL;
  sl_err err;
  sl_status s = sl_dev_open(uri, &d, &err);
  ck_assert_msg(s == SL_OK, "open %s: %s", uri, err.msg);
  return d;
}

/* The reference runner's spikes for one sample, compared with the device's. */
static void assert_same_as_cmodel(const sl_net *n, const sl_eventset *es, uint32_t i, const sl_dev_result *r) {
  sl_core *c = sl_core_new();
  memcpy(&c->net, n, sizeof *n);
  sl_core_configure(c);
  FILE *f = tmpfile();
  int32_t d = sl_run_sample(c, es, i, f, NULL, NULL);
  rewind(f);
  char line[256];
  uint32_t k = 0;
  ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* sample line */
  while (fgets(line, sizeof line, f) && strncmp(line, "decision", 8)) {
    unsigned t, nn;
    ck_assert_int_eq(sscanf(line, "%u %u", &t, &nn), 2);
    ck_assert_uint_lt(k, r->n_spikes);
    ck_assert_uint_eq(r->spk[k].step, t);
    ck_assert_uint_eq(r->spk[k].neuron, nn);
    k++;
  }
  ck_assert_uint_eq(k, r->n_spikes);
  ck_assert_int_eq(d, r->decision);
  for (uint32_t q = 0; q < c->n_readouts; q++) ck_assert_int_eq(c->score[q], r->score[q]);
  fclose(f);
  sl_core_free(c);
}

START_TEST(load_run_equals_cmodel) {
  sl_dev *d = open_ok(SL_SIM);
  sl_net *n = tiny();
  sl_eventset es = tiny_events();
  sl_dev_result r = {0};
  sl_err err;
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
  for (uint32_t i = 0; i < es.n_samples; i++) {
    ck_assert_msg(sl_dev_run_sample(d, &es, i, &r, &err) == SL_OK, "%s", err.msg);
    assert_same_as_cmodel(n, &es, i, &r);
    ck_assert_uint_gt(r.cycles, 0);
  }
  sl_dev_counters cnt;
  ck_assert_int_eq(sl_dev_read_counters(d, &cnt, &err), SL_OK);
  ck_assert_uint_eq(cnt.steps, es.n_samples * es.steps);
  ck_assert_uint_eq(cnt.events, es.n_events);
  sl_dev_result_free(&r);
  sl_events_free(&es);
  sl_net_free(n);
  sl_dev_close(d);
}
END_TEST

START_TEST(rewire_changes_only_that_synapse) {
  sl_dev *d = open_ok(SL_SIM);
  sl_net *n = tiny();
  sl_eventset es = tiny_events();
  sl_dev_result r = {0};
  sl_err err;
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
  /* in:0 slot 0 (hidden:0, w 60) becomes hidden:1 with w 127, delay 2. */
  const uint32_t e = sl_syn_pack(1, 127, 2);
  ck_assert_int_eq(sl_dev_rewire(d, 0, 0, e, &err), SL_OK);
  n->syn[0 * n->row_cap + 0] = e;
  ck_assert_int_eq(sl_dev_run_sample(d, &es, 0, &r, &err), SL_OK);
  assert_same_as_cmodel(n, &es, 0, &r);
  uint32_t v;
  ck_assert_int_eq(sl_dev_read32(d, SL_WIN_SYN, &v, &err), SL_OK);
  ck_assert_uint_eq(v, e);
  /* An illegal entry (delay 8 >= depth 8) is refused by the driver, the table unchanged. */
  ck_assert_int_eq(sl_dev_rewire(d, 0, 1, sl_syn_pack(0, 1, 8), &err), SL_ERR_DELAY);
  ck_assert_int_eq(sl_dev_read32(d, SL_WIN_SYN + 4, &v, &err), SL_OK);
  ck_assert_uint_eq(v, n->syn[1]);
  sl_dev_result_free(&r);
  sl_events_free(&es);
  sl_net_free(n);
  sl_dev_close(d);
}
END_TEST

START_TEST(fault_bus_error) {
  sl_dev *d = open_ok(SL_SIM);
  sl_err err;
  uint32_t v;
  /* Between the register block and the first window: unmapped. */
  ck_assert_int_eq(sl_dev_write32(d, 0x001000, 1, &err), SL_ERR_BUS);
  ck_assert_ptr_nonnull(strstr(err.msg, "bus error"));
  ck_assert_ptr_nonnull(strstr(err.msg, "0x001000"));
  /* Known state: the sticky BUS_ADDR bit is set and clears; the core still answers. */
  ck_assert_int_eq(sl_dev_read_errors(d, &v, SL_ERR_BUS_ADDR, &err), SL_OK);
  ck_assert_uint_eq(v & SL_ERR_BUS_ADDR, SL_ERR_BUS_ADDR);
  ck_assert_int_eq(sl_dev_read_errors(d, &v, 0, &err), SL_OK);
  ck_assert_uint_eq(v, 0);
  ck_assert_int_eq(sl_dev_read32(d, SL_REG_ID, &v, &err), SL_OK);
  ck_assert_uint_eq(v, SL_ID_VALUE);
  sl_dev_close(d);
}
END_TEST

START_TEST(fault_bus_error_mid_load_leaves_core_disabled_and_empty) {
  sl_net *n = tiny();
  sl_err err;
  /* Writes during load: CTRL, 5 + 4*2 config registers, CTRL clear, then the table: the
   * 20th write is a table entry. */
  sl_dev *d = open_ok(SL_SIM "fault=slverr@20");
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_ERR_BUS);
  uint32_t v;
  ck_assert_int_eq(sl_dev_read32(d, SL_REG_CTRL, &v, &err), SL_OK);
  ck_assert_uint_eq(v & SL_CTRL_ENABLE, 0);
  for (uint32_t i = 0; i < sl_net_sources(n) * n->row_cap; i++) {
    ck_assert_int_eq(sl_dev_read32(d, SL_WIN_SYN + 4 * i, &v, &err), SL_OK);
    ck_assert_uint_eq(v, 0);
  }
  sl_eventset es = tiny_events();
  sl_dev_result r = {0};
  ck_assert_int_eq(sl_dev_run_sample(d, &es, 0, &r, &err), SL_ERR_DEVICE); /* nothing loaded */
  ck_assert_ptr_nonnull(strstr(err.msg, "no model loaded"));
  sl_events_free(&es);
  sl_dev_close(d);
  sl_net_free(n);
}
END_TEST

START_TEST(fault_image_larger_than_core) {
  sl_dev *d = open_ok(SL_SIM);
  sl_net *n = sl_net_new();
  sl_err err;
  n->n_inputs = 8, n->n_neurons = 600, n->n_pops = 1, n->depth = 8, n->row_cap = 4;
  n->pop[0] = (sl_pop){600, 4096, 10, SL_RESET_ZERO, SL_POP_SPIKING};
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_ERR_DEVICE);
  ck_assert_ptr_nonnull(strstr(err.msg, "model has 600 neurons; this core holds at most 512"));
  uint32_t v;
  ck_assert_int_eq(sl_dev_read32(d, SL_REG_CTRL, &v, &err), SL_OK);
  ck_assert_uint_eq(v & SL_CTRL_ENABLE, 0);
  sl_net_free(n);
  sl_dev_close(d);
  /* The same check against what the core reports: CAPS of a 64-neuron core. */
  d = open_ok(SL_SIM "fault=smallcaps");
  n = tiny();
  n->pop[0].count = 60, n->n_neurons = 62;
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
  n->pop[0].count = 70, n->n_neurons = 72;
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_ERR_DEVICE);
  ck_assert_ptr_nonnull(strstr(err.msg, "at most 64"));
  sl_net_free(n);
  sl_dev_close(d);
}
END_TEST

START_TEST(fault_version_mismatch) {
  sl_dev *d = (sl_dev *)1;
  sl_err err;
  ck_assert_int_eq(sl_dev_open(SL_SIM "fault=version", &d, &err), SL_ERR_DEVICE);
  ck_assert_ptr_null(d);
  ck_assert_ptr_nonnull(strstr(err.msg, "spec version"));
}
END_TEST

START_TEST(fault_event_overflow) {
  sl_dev *d = open_ok(SL_SIM);
  sl_net *n = tiny();
  sl_dev_result r = {0};
  sl_err err;
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
  /* Channel 9 on a 4-input core, and a word with stray bits: both dropped and flagged. */
  const uint32_t words[] = {SL_IN_EVENT(9, 1), 0x7F000001u, SL_IN_EVENT(0, 1)};
  ck_assert_int_eq(sl_dev_step_raw(d, words, 3, &r, &err), SL_ERR_DEVICE);
  ck_assert_ptr_nonnull(strstr(err.msg, "dropped 2 malformed event word(s)"));
  /* Known state afterwards: the error was cleared and a normal sample runs exactly. */
  sl_eventset es = tiny_events();
  ck_assert_msg(sl_dev_run_sample(d, &es, 1, &r, &err) == SL_OK, "%s", err.msg);
  assert_same_as_cmodel(n, &es, 1, &r);
  sl_events_free(&es);
  sl_dev_result_free(&r);
  sl_net_free(n);
  sl_dev_close(d);
}
END_TEST

START_TEST(fault_device_does_not_answer) {
  sl_dev *d = (sl_dev *)1;
  sl_err err;
  ck_assert_int_eq(sl_dev_open(SL_SIM "fault=hang", &d, &err), SL_ERR_TIMEOUT);
  ck_assert_ptr_null(d);
  ck_assert_ptr_nonnull(strstr(err.msg, "does not answer"));
  ck_assert_int_eq(sl_dev_open("nonsense:", &d, &err), SL_ERR_ARG);
  ck_assert_int_eq(sl_dev_open(SL_SIM "fault=nonsense", &d, &err), SL_ERR_ARG);
}
END_TEST

#ifdef SL_TEST_SC
/* SystemC elaborates once per process: a second sim:sc open while one is open fails with a
 * clear message, the first keeps working, and after close the platform opens again. */
START_TEST(sc_second_open_fails_then_reopens) {
  sl_dev *d = open_ok("sim:sc");
  sl_dev *d2 = (sl_dev *)1;
  sl_err err;
  uint32_t v;
  ck_assert_int_eq(sl_dev_open("sim:sc", &d2, &err), SL_ERR_DEVICE);
  ck_assert_ptr_null(d2);
  ck_assert_ptr_nonnull(strstr(err.msg, "already open in this process"));
  ck_assert_int_eq(sl_dev_read32(d, SL_REG_ID, &v, &err), SL_OK);
  ck_assert_uint_eq(v, SL_ID_VALUE);
  sl_dev_close(d);
  /* Waves need the first open (before SystemC time starts); a plain reopen works. */
  ck_assert_int_eq(sl_dev_open("sim:sc,fst=never.fst", &d2, &err), SL_ERR_ARG);
  ck_assert_ptr_nonnull(strstr(err.msg, "first sim:sc open"));
  d = open_ok("sim:sc");
  sl_net *n = tiny();
  sl_eventset es = tiny_events();
  sl_dev_result r = {0};
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
  ck_assert_msg(sl_dev_run_sample(d, &es, 0, &r, &err) == SL_OK, "%s", err.msg);
  assert_same_as_cmodel(n, &es, 0, &r);
  sl_dev_result_free(&r);
  sl_events_free(&es);
  sl_net_free(n);
  sl_dev_close(d);
}
END_TEST

/* The same sample on both backends: equal results and the same cycle count. */
START_TEST(sc_equals_cpp_backend_cycle_for_cycle) {
  sl_net *n = tiny();
  sl_eventset es = tiny_events();
  sl_dev_result r[2] = {{0}, {0}};
  const char *uri[2] = {"sim:", "sim:sc"};
  sl_err err;
  for (int b = 0; b < 2; b++) {
    sl_dev *d = open_ok(uri[b]);
    ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
    ck_assert_msg(sl_dev_run_sample(d, &es, 1, &r[b], &err) == SL_OK, "%s", err.msg);
    sl_dev_close(d);
  }
  ck_assert_uint_eq(r[0].cycles, r[1].cycles);
  ck_assert_uint_eq(r[0].n_spikes, r[1].n_spikes);
  ck_assert_int_eq(r[0].decision, r[1].decision);
  for (uint32_t k = 0; k < r[0].n_spikes; k++) {
    ck_assert_uint_eq(r[0].spk[k].step, r[1].spk[k].step);
    ck_assert_uint_eq(r[0].spk[k].neuron, r[1].spk[k].neuron);
  }
  sl_dev_result_free(&r[0]);
  sl_dev_result_free(&r[1]);
  sl_events_free(&es);
  sl_net_free(n);
}
END_TEST

/* Waves on the first open of a process: an FST file is written. */
START_TEST(sc_fst_waves) {
  const char *dir = getenv("SL_TMPDIR");
  char path[512], uri[600];
  snprintf(path, sizeof path, "%s/test_driver_sc.fst", dir ? dir : ".");
  snprintf(uri, sizeof uri, "sim:sc,fst=%s", path);
  remove(path);
  sl_dev *d = open_ok(uri);
  sl_net *n = tiny();
  sl_err err;
  ck_assert_int_eq(sl_dev_load(d, n, &err), SL_OK);
  sl_dev_close(d);
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  fseek(f, 0, SEEK_END);
  ck_assert_int_gt(ftell(f), 1000);
  fclose(f);
  sl_net_free(n);
}
END_TEST
#endif

int main(void) {
  Suite *s = suite_create("driver");
  TCase *ok = tcase_create("load and run");
  tcase_set_timeout(ok, 60);
  tcase_add_test(ok, load_run_equals_cmodel);
  tcase_add_test(ok, rewire_changes_only_that_synapse);
  suite_add_tcase(s, ok);
  TCase *f = tcase_create("faults");
  tcase_set_timeout(f, 60);
  tcase_add_test(f, fault_bus_error);
  tcase_add_test(f, fault_bus_error_mid_load_leaves_core_disabled_and_empty);
  tcase_add_test(f, fault_image_larger_than_core);
  tcase_add_test(f, fault_version_mismatch);
  tcase_add_test(f, fault_event_overflow);
  tcase_add_test(f, fault_device_does_not_answer);
  suite_add_tcase(s, f);
#ifdef SL_TEST_SC
  TCase *sc = tcase_create("systemc");
  tcase_set_timeout(sc, 120);
  tcase_add_test(sc, sc_second_open_fails_then_reopens);
  tcase_add_test(sc, sc_equals_cpp_backend_cycle_for_cycle);
  tcase_add_test(sc, sc_fst_waves);
  suite_add_tcase(s, sc);
#endif
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
