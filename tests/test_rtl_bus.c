/* test_rtl_bus.c — directed checks of the RTL core's host bus and input checks through the
 * driver's sim: backend (Verilated RTL), for paths the random cosimulation never takes: the
 * ring, membrane and score windows (write, read back, range), the refused membrane value,
 * misaligned and unmapped addresses with ERR_ADDR, the table window's end, every writable
 * register at its bounds, refused register values, ERR cleared bit by
 * bit, a table clear that keeps the state, clears of the full-size memories and their
 * durations, CLEAR_COUNTERS, register values out of reset, CTRL read-back, a step requested with an inconsistent configuration (ERR CFG), and malformed input words. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "sl_dev.h"
#include "sl_netdesc.h"
#include "sl_regs.h"

static sl_dev *dev;
static uint32_t n_neurons;

static uint32_t rd(uint32_t addr) {
  uint32_t v = 0xDEADBEEFu;
  sl_err err;
  ck_assert_msg(sl_dev_read32(dev, addr, &v, &err) == SL_OK, "read 0x%06x: %s", addr, err.msg);
  return v;
}

static void wr(uint32_t addr, uint32_t v) {
  sl_err err;
  ck_assert_msg(sl_dev_write32(dev, addr, v, &err) == SL_OK, "write 0x%06x: %s", addr, err.msg);
}

/* ERR and ERR_ADDR after a refused access; clears ERR (write 1 to clear) */
static void refused(uint32_t want_bits, uint32_t want_addr) {
  uint32_t bits = 0;
  sl_err err;
  ck_assert_int_eq(sl_dev_read_errors(dev, &bits, 0xFFFFFFFFu, &err), SL_OK);
  ck_assert_msg(bits == want_bits, "ERR 0x%02x, want 0x%02x", bits, want_bits);
  ck_assert_uint_eq(rd(SL_REG_ERR_ADDR), want_addr);
  ck_assert_uint_eq(rd(SL_REG_ERR), 0);
}

static void setup(void) {
  sl_err err;
  sl_names nm;
  sl_net *n = sl_net_new();
  ck_assert_int_eq(sl_netdesc_load(SL_EXAMPLES "/tiny.sln", n, &nm, &err), SL_OK);
  ck_assert_msg(sl_dev_open("sim:", &dev, &err) == SL_OK, "%s", err.msg);
  ck_assert_msg(sl_dev_load(dev, n, &err) == SL_OK, "%s", err.msg);
  sl_net_free(n);
  n_neurons = rd(SL_REG_N_NEURONS);
  ck_assert_uint_gt(n_neurons, 1);
}

static void teardown(void) {
  sl_dev_close(dev);
  dev = NULL;
}

START_TEST(ring_and_membrane_windows) {
  const uint32_t ring_words = 1u << 14; /* default core: 512 neurons x 32 slots */
  wr(SL_WIN_RING + 4 * 5, 0x12345678u);
  wr(SL_WIN_RING + 4 * (ring_words - 1), 0xFFFFFFF0u);
  ck_assert_uint_eq(rd(SL_WIN_RING + 4 * 5), 0x12345678u);
  ck_assert_uint_eq(rd(SL_WIN_RING + 4 * (ring_words - 1)), 0xFFFFFFF0u);
  /* membranes are 24-bit, read back sign-extended */
  wr(SL_WIN_V + 4 * 1, 0xFFFFFFFBu); /* -5 */
  wr(SL_WIN_V + 4 * 0, 0x007FFFFFu);
  ck_assert_uint_eq(rd(SL_WIN_V + 4 * 1), 0xFFFFFFFBu);
  ck_assert_uint_eq(rd(SL_WIN_V + 4 * 0), 0x007FFFFFu);
  ck_assert_uint_eq(rd(SL_REG_ERR), 0);
}
END_TEST

START_TEST(refused_accesses) {
  sl_err err;
  uint32_t v;
  /* a membrane outside 24 bits is refused and the old value stays */
  wr(SL_WIN_V + 4 * 1, 0xFFFFFFFBu);
  ck_assert_int_ne(sl_dev_write32(dev, SL_WIN_V + 4 * 1, 0x00800000u, &err), SL_OK);
  refused(SL_ERR_BAD_VALUE, SL_WIN_V + 4 * 1);
  ck_assert_uint_eq(rd(SL_WIN_V + 4 * 1), 0xFFFFFFFBu);
  /* beyond the ring and membrane memories of this core */
  ck_assert_int_ne(sl_dev_read32(dev, SL_WIN_RING + 4 * (1u << 14), &v, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_RING + 4 * (1u << 14));
  ck_assert_int_ne(sl_dev_write32(dev, SL_WIN_V + 4 * 512, 0, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_V + 4 * 512);
  /* scores: read-only, two words for each of the 64 readouts of this core */
  ck_assert_uint_eq(rd(SL_WIN_SCORE + 4 * 127), 0);
  ck_assert_int_ne(sl_dev_read32(dev, SL_WIN_SCORE + 4 * 128, &v, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_SCORE + 4 * 128);
  ck_assert_int_ne(sl_dev_write32(dev, SL_WIN_SCORE, 0, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_SCORE);
  /* misaligned read and write, an unmapped register, a write to a read-only one */
  ck_assert_int_ne(sl_dev_read32(dev, SL_REG_ID + 2, &v, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_REG_ID + 2);
  ck_assert_int_ne(sl_dev_write32(dev, SL_WIN_RING + 1, 0, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_RING + 1);
  ck_assert_int_ne(sl_dev_read32(dev, 0x0FCu, &v, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, 0x0FCu);
  ck_assert_int_ne(sl_dev_write32(dev, SL_REG_STEPS, 1, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_REG_STEPS);
}
END_TEST

/* register writes with refused values change nothing and raise BAD_VALUE alone; ERR clears
 * bit by bit (write 1 to clear) */
START_TEST(refused_values_and_sticky_errors) {
  sl_err err;
  const uint32_t depth = rd(SL_REG_DEPTH_LOG2), thr = rd(SL_REG_POP(0) + 8);
  ck_assert_int_ne(sl_dev_write32(dev, SL_REG_N_NEURONS, 0, &err), SL_OK);
  refused(SL_ERR_BAD_VALUE, SL_REG_N_NEURONS);
  ck_assert_int_ne(sl_dev_write32(dev, SL_REG_DEPTH_LOG2, 0, &err), SL_OK);
  refused(SL_ERR_BAD_VALUE, SL_REG_DEPTH_LOG2);
  ck_assert_int_ne(sl_dev_write32(dev, SL_REG_POP(0) + 8, 0, &err), SL_OK);
  refused(SL_ERR_BAD_VALUE, SL_REG_POP(0) + 8);
  ck_assert_uint_eq(rd(SL_REG_N_NEURONS), n_neurons);
  ck_assert_uint_eq(rd(SL_REG_DEPTH_LOG2), depth);
  ck_assert_uint_eq(rd(SL_REG_POP(0) + 8), thr);
  /* two sticky bits; clearing one leaves the other */
  ck_assert_int_ne(sl_dev_write32(dev, SL_REG_N_NEURONS, 0, &err), SL_OK);
  ck_assert_int_ne(sl_dev_write32(dev, SL_REG_ID + 1, 0, &err), SL_OK);
  ck_assert_uint_eq(rd(SL_REG_ERR), SL_ERR_BAD_VALUE | SL_ERR_BUS_ADDR);
  wr(SL_REG_ERR, SL_ERR_BUS_ADDR);
  ck_assert_uint_eq(rd(SL_REG_ERR), SL_ERR_BAD_VALUE);
  wr(SL_REG_ERR, SL_ERR_BAD_VALUE);
  ck_assert_uint_eq(rd(SL_REG_ERR), 0);
}
END_TEST

/* every writable register at its bounds (docs/rtl.md, default core): the largest value is
 * taken and reads back, one more is refused with BAD_VALUE and ERR_ADDR and changes nothing,
 * and so is 0 where 0 is not allowed */
START_TEST(register_bounds) {
  sl_err err;
  const struct { uint32_t addr, max; int zero_ok; } r[] = {
      {SL_REG_N_INPUTS, 64, 0},          {SL_REG_N_NEURONS, 512, 0},       {SL_REG_N_POPS, 8, 0},
      {SL_REG_DEPTH_LOG2, 5, 0},         {SL_REG_ROWCAP_LOG2, 8, 1},       {SL_REG_POP(0), 512, 0},
      {SL_REG_POP(7) + 4, 4096, 1},      {SL_REG_POP(3) + 8, 0x7FFFFF, 0}, {SL_REG_POP(5) + 12, 7, 1}};
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
    const uint32_t old = rd(r[i].addr);
    ck_assert_msg(sl_dev_write32(dev, r[i].addr, r[i].max + 1, &err) != SL_OK, "0x%03x = %u taken", r[i].addr,
                  r[i].max + 1);
    refused(SL_ERR_BAD_VALUE, r[i].addr);
    ck_assert_uint_eq(rd(r[i].addr), old);
    if (!r[i].zero_ok) {
      ck_assert_msg(sl_dev_write32(dev, r[i].addr, 0, &err) != SL_OK, "0x%03x = 0 taken", r[i].addr);
      refused(SL_ERR_BAD_VALUE, r[i].addr);
      ck_assert_uint_eq(rd(r[i].addr), old);
    }
    wr(r[i].addr, r[i].max);
    ck_assert_uint_eq(rd(r[i].addr), r[i].max);
    if (old || r[i].zero_ok) wr(r[i].addr, old); /* (unused populations hold 0) */
  }
  ck_assert_uint_eq(rd(SL_REG_ERR), 0);
}
END_TEST

/* the table window ends at the configured table (sources x row capacity): the word after it
 * is refused, the last one is taken */
START_TEST(table_window_ends_at_the_table) {
  sl_err err;
  uint32_t v;
  const uint32_t words = (rd(SL_REG_N_INPUTS) + n_neurons) << rd(SL_REG_ROWCAP_LOG2);
  wr(SL_WIN_SYN + 4 * (words - 1), 0);
  ck_assert_int_ne(sl_dev_write32(dev, SL_WIN_SYN + 4 * words, 0, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_SYN + 4 * words);
  ck_assert_int_ne(sl_dev_read32(dev, SL_WIN_SYN + 4 * words, &v, &err), SL_OK);
  refused(SL_ERR_BUS_ADDR, SL_WIN_SYN + 4 * words);
}
END_TEST

static void ctrl_and_wait(uint32_t v) {
  wr(SL_REG_CTRL, v);
  for (int i = 0; i < 1000000; i++)
    if (rd(SL_REG_STATUS) & SL_STATUS_IDLE) return;
  ck_abort_msg("core not idle after CTRL 0x%x", v);
}

/* clearing the table alone keeps membranes, rings and the step count */
START_TEST(table_clear_keeps_state) {
  ctrl_and_wait(SL_CTRL_CLEAR_STATE);
  wr(SL_WIN_V + 4 * 1, 0xFFFFFFFBu);
  wr(SL_WIN_RING + 4 * 3, 77);
  ck_assert_uint_ne(rd(SL_WIN_SYN), 0);
  ctrl_and_wait(SL_CTRL_CLEAR_TABLE);
  ck_assert_uint_eq(rd(SL_WIN_SYN), 0);
  ck_assert_uint_eq(rd(SL_WIN_V + 4 * 1), 0xFFFFFFFBu);
  ck_assert_uint_eq(rd(SL_WIN_RING + 4 * 3), 77);
}
END_TEST

/* the clears reach the last word of each memory at its largest size: the whole 2^17-word
 * table (64 inputs + 448 neurons, 256 slots a row), and with 512 neurons every membrane and
 * all 2^14 ring words */
START_TEST(full_size_clears) {
  const uint32_t last = (1u << 17) - 1, entry = SL_SYN_VALID | 1u; /* neuron 0, weight 1, delay 0 */
  const uint32_t words[] = {0, 1, 1u << 16, last - 1, last};
  wr(SL_REG_N_INPUTS, 64);
  wr(SL_REG_N_NEURONS, 448);
  wr(SL_REG_ROWCAP_LOG2, 8);
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) wr(SL_WIN_SYN + 4 * words[i], entry);
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) ck_assert_uint_eq(rd(SL_WIN_SYN + 4 * words[i]), entry);
  ctrl_and_wait(SL_CTRL_CLEAR_TABLE);
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    ck_assert_msg(rd(SL_WIN_SYN + 4 * words[i]) == 0, "table word %u not cleared", words[i]);
  wr(SL_REG_N_NEURONS, 512);
  const uint32_t ring[] = {0, 1, (1u << 14) - 2, (1u << 14) - 1}, v[] = {0, 1, 510, 511};
  for (size_t i = 0; i < 4; i++) {
    wr(SL_WIN_RING + 4 * ring[i], 1000 + (uint32_t)i);
    wr(SL_WIN_V + 4 * v[i], 2000 + (uint32_t)i);
  }
  ctrl_and_wait(SL_CTRL_CLEAR_STATE);
  for (size_t i = 0; i < 4; i++) {
    ck_assert_msg(rd(SL_WIN_RING + 4 * ring[i]) == 0, "ring word %u not cleared", ring[i]);
    ck_assert_msg(rd(SL_WIN_V + 4 * v[i]) == 0, "membrane %u not cleared", v[i]);
  }
  ck_assert_uint_eq(rd(SL_REG_ERR), 0);
}
END_TEST

/* cycles from a CTRL clear request to STATUS idle, read from CYCLES (the polling adds a few) */
static uint32_t clear_cycles(uint32_t ctrl) {
  const uint32_t c0 = rd(SL_REG_CYC_LO);
  ctrl_and_wait(ctrl);
  return rd(SL_REG_CYC_LO) - c0;
}

/* a clear takes the cycles docs/rtl.md gives: CLEAR_STATE max(N * 2^DepthAw, 2^ReadoutAw)
 * (5 neurons: 160), CLEAR_TABLE 2^SynAw, both together the longer */
START_TEST(clear_durations) {
  const uint32_t state = n_neurons * 32 > 64 ? n_neurons * 32 : 64, table = 1u << 17;
  uint32_t d = clear_cycles(SL_CTRL_CLEAR_STATE);
  ck_assert_msg(d >= state && d < state + 40, "CLEAR_STATE took %u cycles, want %u (+ bus)", d, state);
  d = clear_cycles(SL_CTRL_CLEAR_TABLE);
  ck_assert_msg(d >= table && d < table + 40, "CLEAR_TABLE took %u cycles, want %u (+ bus)", d, table);
  d = clear_cycles(SL_CTRL_CLEAR_STATE | SL_CTRL_CLEAR_TABLE);
  ck_assert_msg(d >= table && d < table + 40, "both clears took %u cycles, want %u (+ bus)", d, table);
}
END_TEST

/* CLEAR_COUNTERS zeroes every counter, after two steps that made them count (the stall
 * counter included: the core waits on the host between input words) */
START_TEST(clear_counters_clears_all) {
  sl_err err;
  sl_dev_result r;
  memset(&r, 0, sizeof r);
  const uint32_t words[] = {SL_IN_EVENT(0, 255), SL_IN_EVENT(3, 255), SL_IN_EVENT(2, 255), 0x01000000u};
  ck_assert_int_eq(sl_dev_step_raw(dev, words, 4, &r, &err), SL_ERR_DEVICE); /* the last word is malformed */
  sl_dev_result_free(&r);
  ck_assert_int_eq(sl_dev_step_raw(dev, NULL, 0, &r, &err), SL_OK);
  sl_dev_result_free(&r);
  wr(SL_REG_ERR, SL_ERR_IN_PROTO);
  const uint32_t counted[] = {SL_REG_BUSY_CYC, SL_REG_SWEEP_CYC, SL_REG_DELIV_CYC, SL_REG_STALL_CYC,
                              SL_REG_EVENTS,   SL_REG_SYNOPS,    SL_REG_STEPS,     SL_REG_IN_BAD};
  for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++)
    ck_assert_msg(rd(counted[i]) != 0, "counter 0x%03x is 0", counted[i]);
  wr(SL_REG_CTRL, SL_CTRL_ENABLE | SL_CTRL_CLEAR_COUNT);
  for (uint32_t a = SL_REG_BUSY_CYC; a <= SL_REG_IN_BAD; a += 4)
    ck_assert_msg(rd(a) == 0, "counter 0x%03x not cleared", a);
  ck_assert_uint_eq(rd(SL_REG_CYC_HI), 0);
  ck_assert_uint_lt(rd(SL_REG_CYC_LO), 100);
}
END_TEST

/* every register's value out of reset (docs/rtl.md), before any write */
START_TEST(reset_values) {
  sl_err err;
  sl_dev *fresh = NULL;
  ck_assert_msg(sl_dev_open("sim:", &fresh, &err) == SL_OK, "%s", err.msg);
  sl_dev *loaded = dev;
  dev = fresh;
  ck_assert_uint_eq(rd(SL_REG_CAPS), 0x36118596u); /* pops 8, readouts 64, syn 2^17, C 256, D 32, 512 n, 64 in */
  ck_assert_uint_eq(rd(SL_REG_VARIANT), 0);
  ck_assert_uint_eq(rd(SL_REG_CTRL), 0);
  ck_assert_uint_eq(rd(SL_REG_STATUS), SL_STATUS_IDLE); /* step 0, configuration not consistent */
  ck_assert_uint_eq(rd(SL_REG_ERR), 0);
  ck_assert_uint_eq(rd(SL_REG_ERR_ADDR), 0);
  ck_assert_uint_eq(rd(SL_REG_N_INPUTS), 1);
  ck_assert_uint_eq(rd(SL_REG_N_NEURONS), 1);
  ck_assert_uint_eq(rd(SL_REG_N_POPS), 1);
  ck_assert_uint_eq(rd(SL_REG_DEPTH_LOG2), 1);
  ck_assert_uint_eq(rd(SL_REG_ROWCAP_LOG2), 0);
  ck_assert_uint_eq(rd(SL_REG_N_READOUTS), 0);
  for (uint32_t a = SL_REG_BUSY_CYC; a <= SL_REG_IN_BAD; a += 4) ck_assert_msg(rd(a) == 0, "counter 0x%03x", a);
  for (uint32_t p = 0; p < 8; p++)
    for (uint32_t f = 0; f < 4; f++) ck_assert_msg(rd(SL_REG_POP(p) + 4 * f) == 0, "pop %u field %u", p, f);
  dev = loaded;
  sl_dev_close(fresh);
}
END_TEST

START_TEST(ctrl_reads_back) {
  wr(SL_REG_CTRL, SL_CTRL_ENABLE);
  ck_assert_uint_eq(rd(SL_REG_CTRL), SL_CTRL_ENABLE);
  wr(SL_REG_CTRL, 0);
  ck_assert_uint_eq(rd(SL_REG_CTRL), 0);
  wr(SL_REG_CTRL, SL_CTRL_ENABLE);
}
END_TEST

START_TEST(inconsistent_config_does_not_step) {
  sl_err err;
  sl_dev_result r;
  memset(&r, 0, sizeof r);
  ck_assert_uint_ne(rd(SL_REG_STATUS) & SL_STATUS_CFG_OK, 0);
  /* one neuron more than the populations hold: no step starts, ERR CFG is raised */
  wr(SL_REG_N_NEURONS, n_neurons + 1);
  ck_assert_uint_eq(rd(SL_REG_STATUS) & SL_STATUS_CFG_OK, 0);
  ck_assert_int_eq(sl_dev_step_raw(dev, NULL, 0, &r, &err), SL_ERR_DEVICE);
  ck_assert_msg(strstr(err.msg, "inconsistent configuration") != NULL, "%s", err.msg);
  sl_dev_result_free(&r);
  ck_assert_uint_eq(rd(SL_REG_STEPS), 0);
  ck_assert_uint_ne(rd(SL_REG_ERR) & SL_ERR_CFG, 0);
}
END_TEST

START_TEST(malformed_input_words_are_dropped_and_counted) {
  sl_err err;
  sl_dev_result r;
  memset(&r, 0, sizeof r);
  /* bit 31 without being the end word; bits 30..24 set; payload 0; channel out of range */
  const uint32_t n_in = rd(SL_REG_N_INPUTS);
  const uint32_t words[] = {0x80000000u | SL_IN_EVENT(0, 1), 0x01000000u | SL_IN_EVENT(0, 1), SL_IN_EVENT(0, 0),
                            SL_IN_EVENT(n_in, 1)};
  ck_assert_int_eq(sl_dev_step_raw(dev, words, 4, &r, &err), SL_ERR_DEVICE);
  ck_assert_msg(strstr(err.msg, "malformed"), "%s", err.msg);
  sl_dev_result_free(&r);
  ck_assert_uint_eq(rd(SL_REG_IN_BAD), 4);
  ck_assert_uint_eq(rd(SL_REG_EVENTS), 0);
  ck_assert_uint_eq(rd(SL_REG_STEPS), 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rtl_bus");
  TCase *tc = tcase_create("sim");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, ring_and_membrane_windows);
  tcase_add_test(tc, refused_accesses);
  tcase_add_test(tc, refused_values_and_sticky_errors);
  tcase_add_test(tc, table_clear_keeps_state);
  tcase_add_test(tc, full_size_clears);
  tcase_add_test(tc, register_bounds);
  tcase_add_test(tc, table_window_ends_at_the_table);
  tcase_add_test(tc, clear_durations);
  tcase_add_test(tc, clear_counters_clears_all);
  tcase_add_test(tc, reset_values);
  tcase_add_test(tc, ctrl_reads_back);
  tcase_add_test(tc, inconsistent_config_does_not_step);
  tcase_add_test(tc, malformed_input_words_are_dropped_and_counted);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int nf = srunner_ntests_failed(sr);
  srunner_free(sr);
  return nf ? EXIT_FAILURE : EXIT_SUCCESS;
}
