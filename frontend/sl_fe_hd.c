/* sl_fe_hd.c — loader of a Heidelberg Digits directory: file names, labels, split lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sl_fe_hd.h"

uint64_t sl_fe_fnv1a(uint64_t h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* digits at *s (1..5 of them) into *v; advances *s */
static int take_num(const char **s, unsigned *v) {
  unsigned x = 0;
  int k = 0;
  while (**s >= '0' && **s <= '9' && k < 5) x = x * 10 + (unsigned)(*(*s)++ - '0'), k++;
  if (k == 0 || (**s >= '0' && **s <= '9')) return 0;
  *v = x;
  return 1;
}

static int take(const char **s, const char *lit) {
  size_t n = strlen(lit);
  if (strncmp(*s, lit, n)) return 0;
  *s += n;
  return 1;
}

sl_status sl_fe_hd_parse_name(const char *name, sl_fe_hd_entry *e, sl_err *err) {
  const char *s = name;
  unsigned spk, trial, digit;
  memset(e, 0, sizeof *e);
  if (strlen(name) >= sizeof e->name) goto bad;
  if (!take(&s, "lang-")) goto bad;
  if (take(&s, "english")) e->german = 0;
  else if (take(&s, "german")) e->german = 1;
  else goto bad;
  if (!take(&s, "_speaker-") || !take_num(&s, &spk) || spk > 65535) goto bad;
  if (!take(&s, "_trial-") || !take_num(&s, &trial) || trial > 65535) goto bad;
  if (!take(&s, "_digit-") || !take_num(&s, &digit) || digit > 9) goto bad;
  if (strcmp(s, ".flac")) goto bad;
  strcpy(e->name, name);
  e->speaker = (uint16_t)spk;
  e->trial = (uint16_t)trial;
  e->digit = (uint8_t)digit;
  e->label = (uint16_t)(digit + 10u * e->german);
  return SL_OK;
bad:
  return sl_err_set(err, SL_ERR_PARSE,
                    "'%s' is not lang-{english|german}_speaker-NN_trial-T_digit-D.flac", name);
}

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const sl_fe_hd_entry *)a)->name, ((const sl_fe_hd_entry *)b)->name);
}

static sl_fe_hd_entry *find(const sl_fe_hd *hd, const char *name) {
  sl_fe_hd_entry key;
  if (strlen(name) >= sizeof key.name) return NULL;
  strcpy(key.name, name);
  return bsearch(&key, hd->e, hd->n, sizeof key, cmp_entry);
}

/* Read one list. mode 0: append entries with the split flag; mode 1: mark validation. */
static sl_status read_list(sl_fe_hd *hd, const char *list, uint8_t split, int required,
                           size_t *cap, sl_err *err) {
  char path[1200], line[512];
  snprintf(path, sizeof path, "%s/%s", hd->dir, list);
  FILE *f = fopen(path, "r");
  if (!f) {
    if (!required && errno == ENOENT) return SL_OK;
    return sl_err_set(err, SL_ERR_IO, "%s: cannot open (%s) — not a Heidelberg Digits directory?",
                      path, strerror(errno));
  }
  if (split == SL_FE_VALID) hd->valid_from_list = 1;
  sl_status s = SL_OK;
  for (long ln = 1; fgets(line, sizeof line, f); ln++) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                   line[len - 1] == '\t'))
      line[--len] = '\0';
    if (len == 0) continue;
    sl_fe_hd_entry e;
    sl_err e2;
    if (sl_fe_hd_parse_name(line, &e, &e2) != SL_OK) {
      s = sl_err_set(err, SL_ERR_PARSE, "%s:%ld: %s", path, ln, e2.msg);
      break;
    }
    if (split == SL_FE_VALID) {
      sl_fe_hd_entry *t = find(hd, line);
      if (!t || !(t->split & SL_FE_TRAIN)) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s:%ld: %s is not in train_filenames.txt", path, ln, line);
        break;
      }
      t->split |= SL_FE_VALID;
      continue;
    }
    char apath[1600];
    struct stat st;
    snprintf(apath, sizeof apath, "%s/audio/%s", hd->dir, line);
    if (stat(apath, &st) != 0) {
      s = sl_err_set(err, SL_ERR_IO, "%s: listed in %s (line %ld) but missing", apath, list, ln);
      break;
    }
    if (hd->n == *cap) {
      size_t nc = *cap ? 2 * *cap : 1024;
      sl_fe_hd_entry *ne = realloc(hd->e, nc * sizeof *ne);
      if (!ne) {
        s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
        break;
      }
      hd->e = ne;
      *cap = nc;
    }
    e.split = split;
    hd->e[hd->n++] = e;
  }
  if (s == SL_OK && ferror(f)) s = sl_err_set(err, SL_ERR_IO, "%s: read error", path);
  fclose(f);
  return s;
}

sl_status sl_fe_hd_open(const char *dir, sl_fe_hd *hd, sl_err *err) {
  memset(hd, 0, sizeof *hd);
  if (strlen(dir) >= sizeof hd->dir)
    return sl_err_set(err, SL_ERR_ARG, "%s: path too long", dir);
  strcpy(hd->dir, dir);
  strcpy(hd->sub, "audio");
  size_t cap = 0;
  sl_status s = read_list(hd, "train_filenames.txt", SL_FE_TRAIN, 1, &cap, err);
  if (s == SL_OK) s = read_list(hd, "test_filenames.txt", SL_FE_TEST, 1, &cap, err);
  if (s == SL_OK && hd->n == 0)
    s = sl_err_set(err, SL_ERR_PARSE, "%s: train_filenames.txt and test_filenames.txt list no files", dir);
  if (s == SL_OK) {
    qsort(hd->e, hd->n, sizeof *hd->e, cmp_entry);
    for (size_t i = 1; i < hd->n; i++)
      if (!strcmp(hd->e[i].name, hd->e[i - 1].name)) {
        s = sl_err_set(err, SL_ERR_PARSE, "%s: %s is listed twice", dir, hd->e[i].name);
        break;
      }
  }
  if (s == SL_OK) s = read_list(hd, "validation_filenames.txt", SL_FE_VALID, 0, &cap, err);
  if (s == SL_OK && !hd->valid_from_list)
    for (size_t i = 0; i < hd->n; i++)
      if (hd->e[i].split == SL_FE_TRAIN &&
          sl_fe_fnv1a(SL_FE_FNV_INIT, hd->e[i].name, strlen(hd->e[i].name)) % 10 == 0)
        hd->e[i].split |= SL_FE_VALID;
  if (s != SL_OK) sl_fe_hd_free(hd);
  return s;
}

void sl_fe_hd_free(sl_fe_hd *hd) {
  if (!hd) return;
  free(hd->e);
  free(hd->speaker_names);
  hd->e = NULL;
  hd->speaker_names = NULL;
  hd->n = hd->n_speakers = 0;
}

char *sl_fe_hd_path(const sl_fe_hd *hd, size_t i, char *buf, size_t len) {
  if (hd->sub[0]) snprintf(buf, len, "%s/%s/%s", hd->dir, hd->sub, hd->e[i].name);
  else snprintf(buf, len, "%s/%s", hd->dir, hd->e[i].name);
  return buf;
}

uint64_t sl_fe_hd_key(const sl_fe_hd *hd) {
  uint64_t h = SL_FE_FNV_INIT;
  char path[1200];
  for (size_t i = 0; i < hd->n; i++) {
    struct stat st;
    int64_t size = stat(sl_fe_hd_path(hd, i, path, sizeof path), &st) == 0 ? (int64_t)st.st_size : -1;
    h = sl_fe_fnv1a(h, hd->e[i].name, strlen(hd->e[i].name) + 1);
    h = sl_fe_fnv1a(h, &hd->e[i].split, 1);
    h = sl_fe_fnv1a(h, &size, sizeof size);
  }
  return h;
}
