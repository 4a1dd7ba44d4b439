/* sl_fe_split.c — corpus layout detection (HD or FSDD) and the speaker splits: named test
 * speakers and leave-one-speaker-out folds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sl_fe_fsdd.h"
#include "sl_fe_split.h"

void sl_fe_split_default(sl_fe_split *sp) { memset(sp, 0, sizeof *sp); }

/* the speaker's printable name: FSDD's name, HD's number */
static void speaker_name(const sl_fe_hd *c, unsigned id, char *buf, size_t len) {
  if (c->speaker_names && id < c->n_speakers) snprintf(buf, len, "%s", c->speaker_names[id]);
  else snprintf(buf, len, "%02u", id);
}

/* the sorted ids of the speakers present; returns how many */
static size_t speaker_ids(const sl_fe_hd *c, const unsigned char *present, unsigned *ids) {
  size_t n = 0;
  for (unsigned s = 0; s < 65536; s++)
    if (present[s]) ids[n++] = s;
  (void)c;
  return n;
}

static void list_speakers(const sl_fe_hd *c, const unsigned *ids, size_t n, char *buf, size_t len) {
  size_t k = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && k + 1 < len; i++) {
    char nm[SL_FE_SPEAKER_NAME + 8];
    speaker_name(c, ids[i], nm, sizeof nm);
    int w = snprintf(buf + k, len - k, "%s%s", i ? ", " : "", nm);
    if (w < 0) break;
    k += (size_t)w;
  }
}

/* the id of a speaker given by name (FSDD) or number (HD); -1 when the corpus has none */
static long find_speaker(const sl_fe_hd *c, const unsigned char *present, const char *tok) {
  if (c->speaker_names) {
    for (size_t i = 0; i < c->n_speakers; i++)
      if (!strcmp(c->speaker_names[i], tok)) return (long)i;
    return -1;
  }
  char *end;
  long v = strtol(tok, &end, 10);
  if (end == tok || *end || v < 0 || v > 65535 || !present[v]) return -1;
  return v;
}

sl_status sl_fe_split_apply(sl_fe_hd *c, const sl_fe_split *sp, char *note, size_t note_len,
                            sl_err *err) {
  if (note && note_len) note[0] = '\0';
  if (!sp || (sp->fold == 0 && sp->test_speakers[0] == '\0')) return SL_OK;
  if (sp->fold != 0 && sp->test_speakers[0])
    return sl_err_set(err, SL_ERR_ARG, "%s: --fold and --test-speakers exclude each other", c->dir);
  unsigned char *present = calloc(65536, 1), *test = calloc(65536, 1);
  unsigned *ids = malloc(65536 * sizeof *ids);
  char all[1024], held[600] = "";
  sl_status s = SL_OK;
  if (!present || !test || !ids) {
    s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", c->dir);
    goto out;
  }
  for (size_t i = 0; i < c->n; i++) present[c->e[i].speaker] = 1;
  size_t ns = speaker_ids(c, present, ids);
  list_speakers(c, ids, ns, all, sizeof all);
  if (sp->fold != 0) {
    if (sp->fold < 1 || (size_t)sp->fold > ns) {
      s = sl_err_set(err, SL_ERR_ARG, "%s: fold %d out of 1..%zu (speakers: %s)", c->dir, sp->fold, ns, all);
      goto out;
    }
    test[ids[sp->fold - 1]] = 1;
    speaker_name(c, ids[sp->fold - 1], held, sizeof held);
  } else {
    char buf[sizeof sp->test_speakers];
    snprintf(buf, sizeof buf, "%s", sp->test_speakers);
    size_t k = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
      while (*tok == ' ') tok++;
      for (size_t l = strlen(tok); l && tok[l - 1] == ' ';) tok[--l] = '\0';
      if (!*tok) continue;
      long id = find_speaker(c, present, tok);
      if (id < 0) {
        s = sl_err_set(err, SL_ERR_ARG, "%s: no speaker '%s' (speakers: %s)", c->dir, tok, all);
        goto out;
      }
      if (!test[id]) {
        test[id] = 1;
        int w = snprintf(held + k, sizeof held - k, "%s%s", k ? ", " : "", tok);
        if (w > 0 && (size_t)w < sizeof held - k) k += (size_t)w;
      }
    }
    if (k == 0) {
      s = sl_err_set(err, SL_ERR_ARG, "%s: --test-speakers names no speaker (speakers: %s)", c->dir, all);
      goto out;
    }
  }
  size_t ntest = 0;
  for (size_t i = 0; i < ns; i++) ntest += test[ids[i]];
  if (ntest == ns) {
    s = sl_err_set(err, SL_ERR_ARG, "%s: every speaker is a test speaker; none is left to train on", c->dir);
    goto out;
  }
  for (size_t i = 0; i < c->n; i++) {
    sl_fe_hd_entry *e = &c->e[i];
    e->split = test[e->speaker] ? SL_FE_TEST : SL_FE_TRAIN;
    if (e->split == SL_FE_TRAIN && sl_fe_fnv1a(SL_FE_FNV_INIT, e->name, strlen(e->name)) % 10 == 0)
      e->split |= SL_FE_VALID;
  }
  c->valid_from_list = 0;
  if (note && note_len) {
    if (sp->fold) snprintf(note, note_len, "fold %d of %zu: speaker %s held out (test)", sp->fold, ns, held);
    else snprintf(note, note_len, "test speakers: %s (of %s)", held, all);
  }
out:
  free(present);
  free(test);
  free(ids);
  return s;
}

sl_status sl_fe_corpus_open(const char *dir, const sl_fe_split *sp, sl_fe_hd *c, char *note,
                            size_t note_len, sl_err *err) {
  char path[1200];
  snprintf(path, sizeof path, "%s/train_filenames.txt", dir);
  sl_status s = access(path, F_OK) == 0 ? sl_fe_hd_open(dir, c, err) : sl_fe_fsdd_open(dir, c, err);
  if (s != SL_OK) return s;
  s = sl_fe_split_apply(c, sp, note, note_len, err);
  if (s != SL_OK) sl_fe_hd_free(c);
  return s;
}
