/* test_data_speaker.c — speakers of corpus samples named from their file names
 * (sl_speaker_from_name, sl_data_name_speakers): the HD and FSDD layouts, names that say
 * nothing (the cache's number then), and the id order of the per-speaker tables. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "sl_data.h"

static const char *name_of(const char *file) {
  static char out[SL_DATA_SPEAKER_LEN];
  return sl_speaker_from_name(file, out, sizeof out) ? out : NULL;
}

START_TEST(names_of_files) {
  ck_assert_str_eq(name_of("lang-english_speaker-03_trial-1_digit-0.flac"), "3");
  ck_assert_str_eq(name_of("lang-german_speaker-10_trial-0_digit-9.flac"), "10");
  ck_assert_str_eq(name_of("lang-german_speaker-00_trial-0_digit-9.flac"), "0");
  ck_assert_str_eq(name_of("0_jackson_0.wav"), "jackson");
  ck_assert_str_eq(name_of("9_yweweler_49.wav"), "yweweler");
  ck_assert_str_eq(name_of("3_two_part_12.flac"), "two_part"); /* first and last '_' */
  ck_assert_str_eq(name_of("3_x_7"), "x");                     /* no extension */
  /* names that say nothing */
  ck_assert_ptr_null(name_of("recording.wav"));
  ck_assert_ptr_null(name_of("a_jackson_0.wav"));  /* digit field not digits */
  ck_assert_ptr_null(name_of("3_jackson_b.wav"));  /* take not digits */
  ck_assert_ptr_null(name_of("3__0.wav"));         /* empty name */
  ck_assert_ptr_null(name_of("3_0.wav"));          /* one '_' only */
  ck_assert_ptr_null(name_of("3_jackson_.wav"));   /* empty take */
  ck_assert_ptr_null(name_of("speaker-x_1_2.wav")); /* "speaker-" without a number, no FSDD fields */
  ck_assert_str_eq(name_of("1_speaker-_2.wav"), "speaker-"); /* "speaker-" without a number: FSDD rule */
  /* a long name is cut to the buffer, never overflowing */
  char longname[200];
  memset(longname, 'a', sizeof longname);
  memcpy(longname, "1_", 2);
  strcpy(longname + 150, "_2.wav");
  ck_assert_uint_eq(strlen(name_of(longname)), SL_DATA_SPEAKER_LEN - 1);
}
END_TEST

/* ids in name order: numbers numerically, before words; the cache's number ("#n") where the
 * name says nothing; the same name always the same id. */
START_TEST(speaker_ids) {
  sl_dataset d;
  sl_err e;
  ck_assert_int_eq(sl_data_init(&d, 2, 2, &e), SL_OK);
  static const char names[6][64] = {"lang-english_speaker-10_trial-0_digit-1.flac", "5_theo_0.wav",
                                    "lang-english_speaker-9_trial-0_digit-1.flac", "odd.wav", "7_theo_3.wav",
                                    "2_jackson_1.wav"};
  const uint16_t fallback[6] = {0, 0, 0, 4, 0, 0};
  for (int i = 0; i < 6; i++) ck_assert_ptr_nonnull(sl_data_add(&d, 0, SL_SPLIT_TEST, &e));
  ck_assert_int_eq(sl_data_name_speakers(&d, 0, 6, names, fallback, &e), SL_OK);
  ck_assert_int_eq(d.n_speakers, 5);
  static const char *want[5] = {"9", "10", "#4", "jackson", "theo"};
  for (int s = 0; s < 5; s++) ck_assert_str_eq(d.speaker_name[s], want[s]);
  static const int16_t ids[6] = {1, 4, 0, 2, 4, 3};
  for (int i = 0; i < 6; i++) ck_assert_int_eq(d.speaker[i], ids[i]);
  sl_data_free(&d);
  ck_assert_ptr_null(d.speaker_name);
}
END_TEST

int main(void) {
  Suite *s = suite_create("data_speaker");
  TCase *tc = tcase_create("speaker");
  tcase_add_test(tc, names_of_files);
  tcase_add_test(tc, speaker_ids);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
