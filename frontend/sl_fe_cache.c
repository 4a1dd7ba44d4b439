/* sl_fe_cache.c — writing and reading the feature cache (.slf), from a file or from bytes in
 * memory (the same checks). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_atomic.h"
#include "sl_crc32.h"
#include "sl_fe.h"
#include "sl_fe_cache.h"
#include "sl_fe_hd.h"
#include "sl_le.h"


static uint64_t body_size(uint64_t n, uint64_t frames, uint64_t mels) {
  return n * (frames * mels * 4 + 2 + 2 + 1 + SL_FE_CACHE_NAME);
}

sl_status sl_fe_cache_alloc(sl_fe_cache *c, uint32_t n, uint16_t n_frames, uint16_t n_mels,
                            sl_err *err) {
  memset(c, 0, sizeof *c);
  c->n = n;
  c->n_frames = n_frames;
  c->n_mels = n_mels;
  sl_fe_params d;
  sl_fe_params_default(&d);
  c->minor = SL_FE_CACHE_MINOR;
  c->top_db = d.top_db;
  c->scale = d.scale;
  c->band_limit = 0;
  size_t m = n ? n : 1; /* an empty cache still gets (tiny) arrays: never one utterance's worth */
  c->feat = calloc(n ? m * n_frames * n_mels : 1, sizeof(float));
  c->label = calloc(m, sizeof(uint16_t));
  c->speaker = calloc(m, sizeof(uint16_t));
  c->split = calloc(m, 1);
  c->name = calloc(m, SL_FE_CACHE_NAME);
  if (!c->feat || !c->label || !c->speaker || !c->split || !c->name) {
    sl_fe_cache_free(c);
    return sl_err_set(err, SL_ERR_NOMEM, "feature cache: out of memory for %u samples", n);
  }
  return SL_OK;
}

float sl_fe_cache_in_scale(const sl_fe_cache *c) {
  const float fmax = c->top_db * c->scale; /* 80 x 0.0198f is 1.584f exactly in binary32 */
  return fmax / 255.0f;
}

/* The recorded recipe against the front end's limits at its analysis rate (message after
 * the file's name). */
static sl_status check_recipe(const sl_fe_cache *c, const char *path, sl_err *err) {
  sl_fe_params d;
  sl_fe_params_default(&d);
  sl_err e2;
  if (c->band_limit > (uint32_t)INT32_MAX)
    return sl_err_set(err, SL_ERR_RANGE, "%s: recipe: band limit %u Hz out of %d..%d (or 0 for none)", path,
                      c->band_limit, SL_FE_BAND_MIN, d.sample_rate / 2 - 1);
  if (sl_fe_check_recipe(c->top_db, c->scale, (int32_t)c->band_limit, d.sample_rate, &e2))
    return sl_err_set(err, SL_ERR_RANGE, "%s: recipe: %s", path, e2.msg);
  return SL_OK;
}

void sl_fe_cache_free(sl_fe_cache *c) {
  if (!c) return;
  free(c->feat);
  free(c->label);
  free(c->speaker);
  free(c->split);
  free(c->name);
  c->feat = NULL;
  c->label = c->speaker = NULL;
  c->split = NULL;
  c->name = NULL;
}

/* write len bytes and fold them into the CRC */
static int wr(FILE *f, const void *p, size_t len, uint32_t *crc) {
  *crc = sl_crc32(*crc, p, len);
  return fwrite(p, 1, len, f) == len;
}

sl_status sl_fe_cache_save(const char *path, const sl_fe_cache *c, sl_err *err) {
  sl_afile a;
  if (c->minor > SL_FE_CACHE_MINOR)
    return sl_err_set(err, SL_ERR_VERSION, "%s: feature cache minor %u, this build writes 0..%d", path, c->minor,
                      SL_FE_CACHE_MINOR);
  sl_status s = c->minor >= 1 ? check_recipe(c, path, err) : SL_OK;
  if (s != SL_OK) return s;
  s = sl_afile_open(&a, path, err);
  if (s != SL_OK) return s;
  uint8_t h[SL_FE_CACHE_HEADER] = {0}, buf[4096];
  uint32_t crc = 0;
  int ok = fwrite(h, 1, sizeof h, a.f) == sizeof h;   /* placeholder, rewritten below */
  size_t nf = (size_t)c->n * c->n_frames * c->n_mels;
  for (size_t i = 0; ok && i < nf;) {
    size_t k = 0;
    for (; k < sizeof buf / 4 && i < nf; k++, i++) {
      uint32_t u;
      memcpy(&u, &c->feat[i], 4);
      sl_put32(buf + 4 * k, u);
    }
    ok = wr(a.f, buf, 4 * k, &crc);
  }
  for (uint32_t i = 0; ok && i < c->n; i++) sl_put16(buf, c->label[i]), ok = wr(a.f, buf, 2, &crc);
  for (uint32_t i = 0; ok && i < c->n; i++) sl_put16(buf, c->speaker[i]), ok = wr(a.f, buf, 2, &crc);
  if (ok && c->n) ok = wr(a.f, c->split, c->n, &crc);
  for (uint32_t i = 0; ok && i < c->n; i++) {
    memset(buf, 0, SL_FE_CACHE_NAME);
    strncpy((char *)buf, c->name[i], SL_FE_CACHE_NAME - 1);
    ok = wr(a.f, buf, SL_FE_CACHE_NAME, &crc);
  }
  memcpy(h, SL_FE_CACHE_MAGIC, 4);
  sl_put16(h + 4, SL_FE_CACHE_VERSION);
  sl_put16(h + 6, c->minor); /* 0 only for a cache read from minor 0: nothing recorded */
  sl_put32(h + 8, c->n);
  sl_put16(h + 12, c->n_frames);
  sl_put16(h + 14, c->n_mels);
  sl_put64(h + 16, c->params_hash);
  sl_put64(h + 24, c->corpus_key);
  sl_put32(h + 32, crc);
  sl_put32(h + 36, SL_FE_CACHE_NAME);
  sl_put64(h + 40, SL_FE_CACHE_HEADER + body_size(c->n, c->n_frames, c->n_mels));
  if (c->minor >= 1) {
    uint32_t u;
    memcpy(&u, &c->top_db, 4);
    sl_put32(h + 48, u);
    memcpy(&u, &c->scale, 4);
    sl_put32(h + 52, u);
    sl_put32(h + 56, c->band_limit);
  }
  if (ok) ok = fseek(a.f, 0, SEEK_SET) == 0 && fwrite(h, 1, sizeof h, a.f) == sizeof h;
  if (!ok) {
    sl_afile_abort(&a);
    return sl_err_set(err, SL_ERR_IO, "%s: write failed", path);
  }
  return sl_afile_commit(&a, err);
}

/* The 64-byte header: magic, version, fields, the size it claims against `real` (the
 * bytes there are). Fills c's header fields, the stored body CRC and the claimed size. */
static sl_status check_header(const uint8_t *h, uint64_t real, const char *path, sl_fe_cache *c, uint32_t *crc,
                              uint64_t *fsize, sl_err *err) {
  if (real < SL_FE_CACHE_HEADER)
    return sl_err_set(err, SL_ERR_TRUNCATED, "%s: shorter than a feature-cache header", path);
  if (memcmp(h, SL_FE_CACHE_MAGIC, 4))
    return sl_err_set(err, SL_ERR_MAGIC, "%s: not a spikeline feature cache (bad magic)", path);
  if (sl_get16(h + 4) != SL_FE_CACHE_VERSION)
    return sl_err_set(err, SL_ERR_VERSION,
                      "%s: feature cache version %u, this build reads %d; re-run `spikeline features`",
                      path, sl_get16(h + 4), SL_FE_CACHE_VERSION);
  memset(c, 0, sizeof *c);
  c->n = sl_get32(h + 8);
  c->n_frames = sl_get16(h + 12);
  c->n_mels = sl_get16(h + 14);
  c->params_hash = sl_get64(h + 16);
  c->corpus_key = sl_get64(h + 24);
  *crc = sl_get32(h + 32);
  *fsize = sl_get64(h + 40);
  if (sl_get32(h + 36) != SL_FE_CACHE_NAME || c->n_frames == 0 || c->n_mels == 0)
    return sl_err_set(err, SL_ERR_HEADER, "%s: bad header fields", path);
  /* n x per-utterance bytes must not wrap around 64 bits (it would match a small file) */
  if (c->n > (UINT64_MAX - SL_FE_CACHE_HEADER) / body_size(1, c->n_frames, c->n_mels) ||
      SL_FE_CACHE_HEADER + body_size(c->n, c->n_frames, c->n_mels) > (uint64_t)SIZE_MAX / 2)
    return sl_err_set(err, SL_ERR_HEADER, "%s: %u utterances x %u frames x %u bands is too large", path,
                      c->n, c->n_frames, c->n_mels);
  /* minor 0: bytes 48..63 reserved; minor 1: the recipe in 48..59, 60..63 reserved. A later
   * minor only gives meaning to reserved bytes: read as minor 1 */
  c->minor = sl_get16(h + 6) ? 1 : 0;
  for (int i = c->minor ? 60 : 48; i < SL_FE_CACHE_HEADER; i++)
    if (h[i]) return sl_err_set(err, SL_ERR_RESERVED, "%s: reserved header bytes not zero", path);
  sl_fe_params d;
  sl_fe_params_default(&d);
  c->top_db = d.top_db;
  c->scale = d.scale;
  c->band_limit = 0;
  if (c->minor) {
    uint32_t u = sl_get32(h + 48);
    memcpy(&c->top_db, &u, 4);
    u = sl_get32(h + 52);
    memcpy(&c->scale, &u, 4);
    c->band_limit = sl_get32(h + 56);
    sl_status s = check_recipe(c, path, err);
    if (s != SL_OK) return s;
  }
  if (*fsize != SL_FE_CACHE_HEADER + body_size(c->n, c->n_frames, c->n_mels))
    return sl_err_set(err, SL_ERR_SIZE, "%s: header size field disagrees with its counts", path);
  /* the real size must be the header's */
  if (real != *fsize)
    return sl_err_set(err, *fsize > real ? SL_ERR_TRUNCATED : SL_ERR_SIZE,
                      "%s: %llu bytes, header says %llu; re-run `spikeline features`", path,
                      (unsigned long long)real, (unsigned long long)*fsize);
  return SL_OK;
}

static sl_status crc_error(const char *path, sl_err *err) {
  return sl_err_set(err, SL_ERR_CRC, "%s: CRC mismatch (file damaged); re-run `spikeline features`", path);
}

sl_status sl_fe_cache_peek(const char *path, sl_fe_cache *c, sl_err *err) {
  /* the same checks as a load (a cache `events` or the trainer would refuse is not up to
   * date), keeping only the header fields */
  sl_status s = sl_fe_cache_load(path, c, err);
  sl_fe_cache_free(c);
  return s;
}

/* A CRC only proves the file is what was written: the values must still make sense (a
 * crafted file with a valid CRC can hold anything). */
static sl_status check_values(const char *path, const sl_fe_cache *c, sl_err *err) {
  for (uint32_t i = 0; i < c->n; i++) {
    const char *name = c->name[i];
    for (const char *q = name; *q; q++)
      if (*q < 0x20 || *q > 0x7e)
        return sl_err_set(err, SL_ERR_RANGE, "%s: utterance %u: the name is not printable ASCII", path, i);
    if (c->label[i] >= 20)
      return sl_err_set(err, SL_ERR_RANGE, "%s: utterance %u (%s): label %u, not 0..19", path, i, name, c->label[i]);
    if (c->split[i] != SL_FE_TRAIN && c->split[i] != SL_FE_TEST && c->split[i] != (SL_FE_TRAIN | SL_FE_VALID))
      return sl_err_set(err, SL_ERR_RANGE, "%s: utterance %u (%s): split flags 0x%02x, not train, test or "
                        "train + validation", path, i, name, c->split[i]);
    const float *f = c->feat + (size_t)i * c->n_frames * c->n_mels;
    for (size_t k = 0; k < (size_t)c->n_frames * c->n_mels; k++)
      if (!isfinite(f[k]))
        return sl_err_set(err, SL_ERR_RANGE, "%s: utterance %u (%s): feature %zu is not finite", path, i, name, k);
  }
  return SL_OK;
}

/* The body (after a header check_header accepted, hdr): its CRC, then the arrays and every
 * value. Shared by the file and the in-memory reader. */
static sl_status decode_body(const uint8_t *b, size_t body, uint32_t want_crc, const sl_fe_cache *hdr,
                             const char *path, sl_fe_cache *c, sl_err *err) {
  if (sl_crc32(0, b, body) != want_crc) return crc_error(path, err);
  sl_status s = sl_fe_cache_alloc(c, hdr->n, hdr->n_frames, hdr->n_mels, err);
  if (s != SL_OK) return s;
  c->params_hash = hdr->params_hash;
  c->corpus_key = hdr->corpus_key;
  c->minor = hdr->minor;
  c->top_db = hdr->top_db;
  c->scale = hdr->scale;
  c->band_limit = hdr->band_limit;
  size_t nf = (size_t)c->n * c->n_frames * c->n_mels;
  const uint8_t *p = b;
  for (size_t i = 0; i < nf; i++, p += 4) {
    uint32_t u = sl_get32(p);
    memcpy(&c->feat[i], &u, 4);
  }
  for (uint32_t i = 0; i < c->n; i++, p += 2) c->label[i] = sl_get16(p);
  for (uint32_t i = 0; i < c->n; i++, p += 2) c->speaker[i] = sl_get16(p);
  memcpy(c->split, p, c->n);
  p += c->n;
  for (uint32_t i = 0; i < c->n && s == SL_OK; i++, p += SL_FE_CACHE_NAME) {
    /* NUL-padded: a NUL within the field and nothing but NULs after it (else a save
     * would not give back the same file) */
    const uint8_t *nul = memchr(p, 0, SL_FE_CACHE_NAME);
    for (const uint8_t *q = nul; q && q < p + SL_FE_CACHE_NAME && s == SL_OK; q++)
      if (*q) s = sl_err_set(err, SL_ERR_RANGE, "%s: utterance %u: the name is not NUL-padded", path, i);
    if (!nul) s = sl_err_set(err, SL_ERR_RANGE, "%s: utterance %u: the name has no terminating NUL", path, i);
    memcpy(c->name[i], p, SL_FE_CACHE_NAME);
    c->name[i][SL_FE_CACHE_NAME - 1] = '\0';
  }
  if (s == SL_OK) s = check_values(path, c, err);
  if (s != SL_OK) sl_fe_cache_free(c);
  return s;
}

sl_status sl_fe_cache_load(const char *path, sl_fe_cache *c, sl_err *err) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "rb");
  if (!f) return sl_err_set(err, SL_ERR_IO, "%s: cannot open", path);
  uint32_t want_crc = 0; /* set by check_header; initialised for -O3's flow analysis */
  uint64_t fsize = 0;
  sl_fe_cache hdr;
  uint8_t h[SL_FE_CACHE_HEADER];
  uint8_t *b = NULL;
  /* the header and the file's real size first: nothing is read past a header that lies */
  size_t got = fread(h, 1, sizeof h, f);
  long real = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  sl_status s = real < 0 || fseek(f, SL_FE_CACHE_HEADER, SEEK_SET) != 0
                    ? sl_err_set(err, SL_ERR_IO, "%s: cannot seek", path)
                    : check_header(h, got < sizeof h ? got : (uint64_t)real, path, &hdr, &want_crc, &fsize, err);
  if (s != SL_OK) goto out;
  size_t body = (size_t)(fsize - SL_FE_CACHE_HEADER);
  b = malloc(body ? body : 1);
  if (!b) {
    s = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
    goto out;
  }
  if (fread(b, 1, body, f) != body) {
    s = sl_err_set(err, SL_ERR_IO, "%s: read error", path);
    goto out;
  }
  s = decode_body(b, body, want_crc, &hdr, path, c, err);
out:
  free(b);
  fclose(f);
  return s;
}

sl_status sl_fe_cache_head(const char *path, sl_fe_cache *c, sl_err *err) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "rb");
  if (!f) return sl_err_set(err, SL_ERR_IO, "%s: cannot open", path);
  uint32_t crc = 0;
  uint64_t fsize = 0;
  uint8_t h[SL_FE_CACHE_HEADER];
  size_t got = fread(h, 1, sizeof h, f);
  long real = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
  fclose(f);
  if (real < 0) return sl_err_set(err, SL_ERR_IO, "%s: cannot seek", path);
  return check_header(h, got < sizeof h ? got : (uint64_t)real, path, c, &crc, &fsize, err);
}

sl_status sl_fe_cache_decode(const void *data, size_t size, const char *name, sl_fe_cache *c, sl_err *err) {
  memset(c, 0, sizeof *c);
  uint32_t want_crc = 0;
  uint64_t fsize = 0;
  sl_fe_cache hdr;
  sl_status s = check_header(data, size, name, &hdr, &want_crc, &fsize, err);
  if (s != SL_OK) return s;
  return decode_body((const uint8_t *)data + SL_FE_CACHE_HEADER, (size_t)(fsize - SL_FE_CACHE_HEADER), want_crc,
                     &hdr, name, c, err);
}
