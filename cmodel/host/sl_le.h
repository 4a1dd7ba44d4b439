/* sl_le.h — little-endian stores and loads of 16-, 32- and 64-bit fields in byte buffers, for
 * the binary file formats (model image, feature cache). */
#ifndef SL_LE_H
#define SL_LE_H

#include <stdint.h>

static inline void sl_put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void sl_put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline void sl_put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static inline uint32_t sl_get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t sl_get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t sl_get64(const uint8_t *p) { return (uint64_t)sl_get32(p) | (uint64_t)sl_get32(p + 4) << 32; }

#endif
