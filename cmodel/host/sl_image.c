/* sl_image.c — model image encoder/decoder (docs/spec.md §8.1). Explicit little-endian
 * byte access, so the format does not depend on the host's endianness or struct padding. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_atomic.h"
#include "sl_crc32.h"
#include "sl_image.h"
#include "sl_le.h"

size_t sl_image_size(const sl_net *n) {
  return SL_IMAGE_HEADER_SIZE + (size_t)SL_IMAGE_POP_SIZE * n->n_pops + 4u * (size_t)sl_net_sources(n) * n->row_cap;
}

static uint32_t float_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static float bits_float(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* The recorded input scale of a minor >= 1 image (bytes 44..47): 0 (not recorded) or a
 * finite positive float. Checked on the bits, as the HLS top does. */
static sl_status check_in_scale(uint32_t bits, const char *what, sl_err *err) {
  if (((bits >> 23) & 0xFFu) == 0xFFu)
    return sl_err_set(err, SL_ERR_HEADER, "%s: in_scale (input scale) is not finite (%s)", what,
                      bits & 0x7FFFFFu ? "NaN" : "infinity");
  if (bits >> 31)
    return sl_err_set(err, SL_ERR_HEADER, "%s: in_scale (input scale) %g is negative (0 = not recorded)", what,
                      (double)bits_float(bits));
  return SL_OK;
}

/* The recorded recipe of a minor >= 2 image (bytes 48..55): band limit 0 or in the front
 * end's range, top_db 0 or a float in (0, 1000] (checked on the bits, as the HLS top does:
 * for a sign bit of 0 the bits order as the values, NaN and infinity above 1000). */
static sl_status check_recipe(uint32_t band, uint32_t top_bits, const char *what, sl_err *err) {
  if (band != 0 && (band < SL_IMAGE_BAND_MIN || band > SL_IMAGE_BAND_MAX))
    return sl_err_set(err, SL_ERR_HEADER, "%s: band_limit %u Hz out of %u..%u (0 = none)", what, band,
                      SL_IMAGE_BAND_MIN, SL_IMAGE_BAND_MAX);
  if (top_bits > float_bits(SL_IMAGE_TOP_DB_MAX))
    return sl_err_set(err, SL_ERR_HEADER, "%s: top_db %g out of (0, %g] (0 = not recorded)", what,
                      (double)bits_float(top_bits), (double)SL_IMAGE_TOP_DB_MAX);
  return SL_OK;
}

int sl_image_meta_has_recipe(const sl_image_meta *meta) {
  return meta && (meta->band_limit != 0 || float_bits(meta->top_db) != 0);
}

void sl_image_encode(const sl_net *n, const sl_names *nm, uint8_t *buf) { sl_image_encode_meta(n, nm, NULL, buf); }

void sl_image_encode_meta(const sl_net *n, const sl_names *nm, const sl_image_meta *meta, uint8_t *buf) {
  const uint32_t scale = meta ? float_bits(meta->in_scale) : 0;
  const int recipe = sl_image_meta_has_recipe(meta);
  const size_t size = sl_image_size(n);
  const uint32_t pop_size = SL_IMAGE_POP_SIZE * n->n_pops;
  const uint32_t words = sl_net_sources(n) * n->row_cap;
  memset(buf, 0, size);
  memcpy(buf, SL_IMAGE_MAGIC, 4);
  sl_put16(buf + 4, SL_IMAGE_VERSION_MAJOR);
  sl_put16(buf + 6, recipe ? 2 : scale ? 1 : 0); /* the lowest minor that holds what is recorded */
  sl_put32(buf + 8, (uint32_t)size);
  sl_put16(buf + 16, n->n_inputs);
  sl_put16(buf + 18, n->n_neurons);
  sl_put16(buf + 20, n->n_pops);
  sl_put16(buf + 22, n->depth);
  sl_put16(buf + 24, n->row_cap);
  sl_put32(buf + 28, SL_IMAGE_HEADER_SIZE);
  sl_put32(buf + 32, pop_size);
  sl_put32(buf + 36, SL_IMAGE_HEADER_SIZE + pop_size);
  sl_put32(buf + 40, 4u * words);
  sl_put32(buf + 44, scale);
  if (recipe) {
    sl_put32(buf + 48, meta->band_limit);
    sl_put32(buf + 52, float_bits(meta->top_db));
  }
  for (uint32_t p = 0; p < n->n_pops; p++) {
    uint8_t *r = buf + SL_IMAGE_HEADER_SIZE + SL_IMAGE_POP_SIZE * p;
    if (nm) memcpy(r, nm->pop[p], strnlen(nm->pop[p], SL_NAME_LEN));
    sl_put16(r + 16, n->pop[p].count);
    sl_put16(r + 18, n->pop[p].leak);
    sl_put32(r + 20, (uint32_t)n->pop[p].threshold);
    r[24] = n->pop[p].reset;
    r[25] = n->pop[p].flags;
  }
  uint8_t *syn = buf + SL_IMAGE_HEADER_SIZE + pop_size;
  for (uint32_t i = 0; i < words; i++) sl_put32(syn + 4 * i, n->syn[i]);
  sl_put32(buf + 12, sl_crc32(0, buf, size));
}

static int all_zero(const uint8_t *p, size_t len) {
  while (len--)
    if (*p++) return 0;
  return 1;
}

static sl_status decode_pop(const uint8_t *r, uint32_t p, const char *what, sl_net *n, sl_names *nm, sl_err *err) {
  size_t len = strnlen((const char *)r, SL_NAME_LEN);
  if (len == 0)
    return sl_err_set(err, SL_ERR_POP, "%s: population %u: empty name", what, p);
  for (size_t i = 0; i < len; i++)
    if (r[i] <= ' ' || r[i] > '~' || r[i] == ':')
      return sl_err_set(err, SL_ERR_POP, "%s: population %u: name has a non-printable, blank or ':' character", what, p);
  if (!all_zero(r + len, SL_NAME_LEN - len))
    return sl_err_set(err, SL_ERR_POP, "%s: population %u: name not NUL-padded", what, p);
  if (!all_zero(r + 26, 6))
    return sl_err_set(err, SL_ERR_RESERVED, "%s: population %u: reserved bytes not zero", what, p);
  if (nm) {
    memcpy(nm->pop[p], r, len);
    nm->pop[p][len] = '\0';
    for (uint32_t q = 0; q < p; q++)
      if (!strcmp(nm->pop[q], nm->pop[p]))
        return sl_err_set(err, SL_ERR_POP, "%s: population %u: name '%s' used twice", what, p, nm->pop[p]);
  }
  n->pop[p].count = (uint16_t)sl_get16(r + 16);
  n->pop[p].leak = (uint16_t)sl_get16(r + 18);
  n->pop[p].threshold = (int32_t)sl_get32(r + 20);
  n->pop[p].reset = r[24];
  n->pop[p].flags = r[25];
  return SL_OK;
}

sl_status sl_image_decode(const uint8_t *buf, size_t len, const char *what, sl_net *n, sl_names *nm,
                          sl_err *err) {
  return sl_image_decode_meta(buf, len, what, n, nm, NULL, err);
}

sl_status sl_image_decode_meta(const uint8_t *buf, size_t len, const char *what, sl_net *n, sl_names *nm_out,
                               sl_image_meta *meta, sl_err *err) {
  sl_names nm_local;
  sl_names *nm = nm_out ? nm_out : &nm_local;
  memset(nm, 0, sizeof *nm);
  if (len < SL_IMAGE_HEADER_SIZE)
    return sl_err_set(err, SL_ERR_TRUNCATED, "%s: truncated: %zu bytes, a header needs %d", what, len, SL_IMAGE_HEADER_SIZE);
  if (memcmp(buf, SL_IMAGE_MAGIC, 4))
    return sl_err_set(err, SL_ERR_MAGIC, "%s: bad magic: not a spikeline model image", what);
  if (sl_get16(buf + 4) != SL_IMAGE_VERSION_MAJOR)
    return sl_err_set(err, SL_ERR_VERSION, "%s: unsupported version %u.%u (this build reads %d.x)", what,
                      sl_get16(buf + 4), sl_get16(buf + 6), SL_IMAGE_VERSION_MAJOR);
  const uint32_t file_size = sl_get32(buf + 8);
  if (file_size > len)
    return sl_err_set(err, SL_ERR_TRUNCATED, "%s: truncated: header says %u bytes, file has %zu", what, file_size, len);
  if (file_size < len)
    return sl_err_set(err, SL_ERR_SIZE, "%s: file_size %u but file has %zu bytes", what, file_size, len);
  {
    uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = sl_crc32(0, buf, 12);
    crc = sl_crc32(crc, zero, 4);
    crc = sl_crc32(crc, buf + 16, len - 16);
    if (crc != sl_get32(buf + 12))
      return sl_err_set(err, SL_ERR_CRC, "%s: bad CRC: stored 0x%08x, computed 0x%08x", what, sl_get32(buf + 12), crc);
  }
  memset(n, 0, sizeof *n);
  n->n_inputs = (uint16_t)sl_get16(buf + 16);
  n->n_neurons = (uint16_t)sl_get16(buf + 18);
  n->n_pops = (uint16_t)sl_get16(buf + 20);
  n->depth = (uint16_t)sl_get16(buf + 22);
  n->row_cap = (uint16_t)sl_get16(buf + 24);
  sl_status s;
  /* minor 0: bytes 44..63 reserved; minor >= 1: 44..47 is the recorded input scale; minor
   * >= 2: 48..51 the band limit, 52..55 top_db; the rest reserved */
  const unsigned minor = sl_get16(buf + 6);
  const int has_scale = minor >= 1, has_recipe = minor >= 2;
  const int first_reserved = has_recipe ? 56 : has_scale ? 48 : 44;
  if (sl_get16(buf + 26) || !all_zero(buf + first_reserved, (size_t)(SL_IMAGE_HEADER_SIZE - first_reserved)))
    return sl_err_set(err, SL_ERR_RESERVED, "%s: reserved header fields not zero", what);
  if (has_scale && (s = check_in_scale(sl_get32(buf + 44), what, err))) return s;
  if (has_recipe && (s = check_recipe(sl_get32(buf + 48), sl_get32(buf + 52), what, err))) return s;
  if (meta) {
    meta->in_scale = has_scale ? bits_float(sl_get32(buf + 44)) : 0.0f;
    meta->band_limit = has_recipe ? sl_get32(buf + 48) : 0;
    meta->top_db = has_recipe ? bits_float(sl_get32(buf + 52)) : 0.0f;
  }
  /* Header ranges first: the section sizes below are products of them. */
  if ((s = sl_net_validate_header(n, what, err))) return s;
  const uint32_t pop_size = SL_IMAGE_POP_SIZE * n->n_pops;
  const uint64_t words = (uint64_t)sl_net_sources(n) * n->row_cap;
  if (sl_get32(buf + 28) != SL_IMAGE_HEADER_SIZE)
    return sl_err_set(err, SL_ERR_HEADER, "%s: pop_offset %u, expected %d", what, sl_get32(buf + 28), SL_IMAGE_HEADER_SIZE);
  if (sl_get32(buf + 32) != pop_size)
    return sl_err_set(err, SL_ERR_HEADER, "%s: pop_size %u, expected %u for %u populations", what, sl_get32(buf + 32),
                      pop_size, n->n_pops);
  if (sl_get32(buf + 36) != SL_IMAGE_HEADER_SIZE + pop_size)
    return sl_err_set(err, SL_ERR_HEADER, "%s: syn_offset %u, expected %u", what, sl_get32(buf + 36),
                      SL_IMAGE_HEADER_SIZE + pop_size);
  if (sl_get32(buf + 40) != 4 * words)
    return sl_err_set(err, SL_ERR_HEADER, "%s: syn_size %u, expected %llu (%u sources x row_cap %u; maximum %u entries)",
                      what, sl_get32(buf + 40), (unsigned long long)(4 * words), sl_net_sources(n), n->row_cap, SL_MAX_SYN);
  if ((uint64_t)SL_IMAGE_HEADER_SIZE + pop_size + 4 * words != file_size)
    return sl_err_set(err, SL_ERR_SIZE, "%s: sections end at %llu, file_size is %u", what,
                      (unsigned long long)(SL_IMAGE_HEADER_SIZE + pop_size + 4 * words), file_size);
  for (uint32_t p = 0; p < n->n_pops; p++)
    if ((s = decode_pop(buf + SL_IMAGE_HEADER_SIZE + SL_IMAGE_POP_SIZE * p, p, what, n, nm, err))) return s;
  const uint8_t *syn = buf + SL_IMAGE_HEADER_SIZE + pop_size;
  for (uint64_t i = 0; i < words; i++) n->syn[i] = sl_get32(syn + 4 * i);
  if ((s = sl_net_validate(n, what, err))) return s;
  return SL_OK;
}

unsigned sl_image_version_minor(const uint8_t *buf) { return sl_get16(buf + 6); }

sl_status sl_read_file(const char *path, uint8_t **buf, size_t *len, sl_err *err) {
  FILE *f = fopen(path, "rb");
  *buf = NULL;
  *len = 0;
  if (!f) return sl_err_set(err, SL_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 1 << 16, n = 0;
  uint8_t *b = malloc(cap);
  while (b) {
    n += fread(b + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *nb = realloc(b, cap *= 2);
    if (!nb) free(b);
    b = nb;
  }
  int bad = ferror(f);
  fclose(f);
  if (!b) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
  if (bad) {
    free(b);
    return sl_err_set(err, SL_ERR_IO, "%s: read error", path);
  }
  *buf = b;
  *len = n;
  return SL_OK;
}

sl_status sl_read_text(const char *path, const char *kind, char **text, sl_err *err) {
  uint8_t *buf;
  size_t len;
  *text = NULL;
  sl_status s = sl_read_file(path, &buf, &len, err);
  if (s) return s;
  const uint8_t *nul = memchr(buf, '\0', len);
  if (nul) {
    uint32_t line = 1;
    for (const uint8_t *p = buf; p < nul; p++) line += *p == '\n';
    free(buf);
    return sl_err_set(err, SL_ERR_PARSE, "%s:%u: binary data (a NUL byte) in a text %s file", path, line, kind);
  }
  char *t = realloc(buf, len + 1);
  if (!t) {
    free(buf);
    return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
  }
  t[len] = '\0';
  *text = t;
  return SL_OK;
}

sl_status sl_image_load(const char *path, sl_net *n, sl_names *nm, sl_err *err) {
  return sl_image_load_meta(path, n, nm, NULL, err);
}

sl_status sl_image_load_meta(const char *path, sl_net *n, sl_names *nm, sl_image_meta *meta, sl_err *err) {
  uint8_t *buf;
  size_t len;
  sl_status s = sl_read_file(path, &buf, &len, err);
  if (s) return s;
  s = sl_image_decode_meta(buf, len, path, n, nm, meta, err);
  free(buf);
  return s;
}

sl_status sl_image_save(const char *path, const sl_net *n, const sl_names *nm, sl_err *err) {
  return sl_image_save_meta(path, n, nm, NULL, err);
}

sl_status sl_image_save_meta(const char *path, const sl_net *n, const sl_names *nm, const sl_image_meta *meta,
                             sl_err *err) {
  sl_status s = sl_net_validate(n, path, err);
  if (s) return s;
  if (meta && (s = check_in_scale(float_bits(meta->in_scale), path, err))) return s;
  if (meta && (s = check_recipe(meta->band_limit, float_bits(meta->top_db), path, err))) return s;
  const size_t size = sl_image_size(n);
  uint8_t *buf = malloc(size);
  if (!buf) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
  sl_image_encode_meta(n, nm, meta, buf);
  s = sl_write_file_atomic(path, buf, size, err);
  free(buf);
  return s;
}
