/* sl_fe_fsdd.c — loader of a Free Spoken Digit Dataset folder: file names, speakers,
 * labels and FSDD's official split (takes 0-4 test). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sl_fe_fsdd.h"

#define FSDD_FORM "{digit}_{speaker}_{take}.wav|.flac"

int sl_fe_fsdd_official_test(unsigned take) { return take <= 4; }

static int ends_with(const char *s, const char *t) {
  size_t a = strlen(s), b = strlen(t);
  return a >= b && !strcmp(s + a - b, t);
}

static int is_audio_name(const char *s) {
  return s[0] != '.' && (ends_with(s, ".wav") || ends_with(s, ".flac"));
}

/* name as one line of printable ASCII for a message: other bytes (a newline, an escape
 * sequence, UTF-8) and the backslash as \xNN; cut short with "..." to fit in cap */
static const char *shown(const char *name, char *buf, size_t cap) {
  size_t k = 0;
  for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
    if (k + 8 > cap) {
      strcpy(buf + k, "...");
      return buf;
    }
    if (*c >= 0x20 && *c <= 0x7e && *c != '\\') buf[k++] = (char)*c;
    else k += (size_t)snprintf(buf + k, cap - k, "\\x%02x", *c);
  }
  buf[k] = '\0';
  return buf;
}

sl_status sl_fe_fsdd_parse_name(const char *name, sl_fe_hd_entry *e,
                                char speaker[SL_FE_SPEAKER_NAME], sl_err *err) {
  memset(e, 0, sizeof *e);
  speaker[0] = '\0';
  const char *why = NULL;
  char field[3][80] = {{0}};
  size_t len = strlen(name), stem = len;
  if (ends_with(name, ".wav")) stem = len - 4;
  else if (ends_with(name, ".flac")) stem = len - 5;
  else why = "not a .wav or .flac file";
  if (!why && len >= sizeof e->name) why = "name longer than 63 characters";
  /* three fields separated by '_' */
  int nf = 0;
  size_t k = 0;
  for (size_t i = 0; !why && i < stem; i++) {
    if (name[i] == '_') {
      if (++nf > 2) why = "more than two '_'";
      k = 0;
    } else if (k + 1 < sizeof field[0]) {
      field[nf][k++] = name[i];
    } else {
      why = "a field is too long";
    }
  }
  if (!why && nf != 2) why = "not three fields separated by '_'";
  unsigned digit = 0, take = 0;
  if (!why) {
    const char *d = field[0];
    if (!(d[0] >= '0' && d[0] <= '9' && d[1] == '\0')) why = "the digit is not 0-9";
    else digit = (unsigned)(d[0] - '0');
  }
  if (!why) {
    const char *s = field[1];
    size_t n = strlen(s);
    if (n == 0 || n >= SL_FE_SPEAKER_NAME) why = "the speaker name is empty or longer than 31 characters";
    for (size_t i = 0; !why && i < n; i++)
      if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
            s[i] == '-'))
        why = "the speaker name holds a character other than a letter, a digit or '-'";
  }
  if (!why) {
    const char *t = field[2];
    size_t n = strlen(t);
    if (n == 0 || n > 5 || (n > 1 && t[0] == '0')) why = "the take is not a number 0-65535 (no leading zeros)";
    for (size_t i = 0; !why && i < n; i++)
      if (t[i] < '0' || t[i] > '9') why = "the take is not a number 0-65535 (no leading zeros)";
      else take = take * 10 + (unsigned)(t[i] - '0');
    if (!why && take > 65535) why = "the take is not a number 0-65535 (no leading zeros)";
  }
  if (why) {
    char buf[300];
    return sl_err_set(err, SL_ERR_PARSE, "%s: not an FSDD name " FSDD_FORM " (%s)", shown(name, buf, sizeof buf), why);
  }
  strcpy(e->name, name);
  strcpy(speaker, field[1]);
  e->digit = (uint8_t)digit;
  e->trial = (uint16_t)take;
  e->label = (uint16_t)digit;
  return SL_OK;
}

/* names of the .wav/.flac files directly in path (malloc'ed array of malloc'ed strings) */
static sl_status scan(const char *path, char ***names, size_t *n, sl_err *err) {
  *names = NULL;
  *n = 0;
  DIR *d = opendir(path);
  if (!d) return sl_err_set(err, SL_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
  size_t cap = 0;
  sl_status s = SL_OK;
  for (struct dirent *de; (de = readdir(d)) != NULL;) {
    if (!is_audio_name(de->d_name)) continue;
    if (*n == cap) {
      size_t nc = cap ? 2 * cap : 256;
      char **nn = realloc(*names, nc * sizeof *nn);
      if (!nn) {
        s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
        break;
      }
      *names = nn;
      cap = nc;
    }
    if (!((*names)[*n] = strdup(de->d_name))) {
      s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
      break;
    }
    (*n)++;
  }
  closedir(d);
  return s;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
static int cmp_spk(const void *a, const void *b) { return strcmp((const char *)a, (const char *)b); }

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

sl_status sl_fe_fsdd_open(const char *dir, sl_fe_hd *hd, sl_err *err) {
  memset(hd, 0, sizeof *hd);
  hd->layout = SL_FE_LAYOUT_FSDD;
  if (strlen(dir) >= sizeof hd->dir) return sl_err_set(err, SL_ERR_ARG, "%s: path too long", dir);
  strcpy(hd->dir, dir);
  char path[1200];
  char **names = NULL;
  size_t n = 0;
  sl_status s = scan(dir, &names, &n, err);
  if (s == SL_OK && n == 0) {
    snprintf(path, sizeof path, "%s/recordings", dir);
    if (is_dir(path)) {
      free_names(names, n);
      strcpy(hd->sub, "recordings");
      s = scan(path, &names, &n, err);
    }
  }
  if (s == SL_OK && n == 0)
    s = sl_err_set(err, SL_ERR_PARSE,
                   "%s: no " FSDD_FORM " files here or in recordings/ (FSDD) and no train_filenames.txt "
                   "(Heidelberg Digits)", dir);
  if (s != SL_OK) {
    free_names(names, n);
    return s;
  }
  if (hd->sub[0]) snprintf(path, sizeof path, "%s/%s", dir, hd->sub);
  else snprintf(path, sizeof path, "%s", dir);
  qsort(names, n, sizeof *names, cmp_str);
  hd->e = calloc(n, sizeof *hd->e);
  char (*spk)[SL_FE_SPEAKER_NAME] = calloc(n, sizeof *spk);
  if (!hd->e || !spk) {
    s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    sl_err e2;
    if (sl_fe_fsdd_parse_name(names[i], &hd->e[i], spk[i], &e2) != SL_OK) {
      s = sl_err_set(err, SL_ERR_PARSE, "%s/%s", path, e2.msg);
      goto out;
    }
    /* sorted by name, x.flac and x.wav are neighbours: one utterance twice */
    if (i > 0) {
      size_t a = strrchr(names[i - 1], '.') - names[i - 1], b = strrchr(names[i], '.') - names[i];
      if (a == b && !strncmp(names[i - 1], names[i], a)) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s/%s: the same utterance as %s", path, names[i], names[i - 1]);
        goto out;
      }
    }
  }
  hd->n = n;
  /* the sorted distinct speaker names; an entry's speaker is its name's index */
  char (*uniq)[SL_FE_SPEAKER_NAME] = malloc(n * sizeof *uniq);
  if (!uniq) {
    s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
    goto out;
  }
  memcpy(uniq, spk, n * sizeof *uniq);
  qsort(uniq, n, sizeof *uniq, cmp_spk);
  size_t nu = 0;
  for (size_t i = 0; i < n; i++)
    if (nu == 0 || strcmp(uniq[nu - 1], uniq[i])) memmove(uniq[nu++], uniq[i], sizeof *uniq);
  if (nu > 65535) {
    free(uniq);
    s = sl_err_set(err, SL_ERR_RANGE, "%s: %zu speakers; at most 65535", path, nu);
    goto out;
  }
  hd->speaker_names = uniq;
  hd->n_speakers = nu;
  for (size_t i = 0; i < n; i++) {
    char(*f)[SL_FE_SPEAKER_NAME] = bsearch(spk[i], uniq, nu, sizeof *uniq, cmp_spk);
    sl_fe_hd_entry *e = &hd->e[i];
    e->speaker = (uint16_t)(f - uniq);
    e->split = sl_fe_fsdd_official_test(e->trial) ? SL_FE_TEST : SL_FE_TRAIN;
    if (e->split == SL_FE_TRAIN && sl_fe_fnv1a(SL_FE_FNV_INIT, e->name, strlen(e->name)) % 10 == 0)
      e->split |= SL_FE_VALID;
  }
out:
  free(spk);
  free_names(names, n);
  if (s != SL_OK) sl_fe_hd_free(hd);
  return s;
}
