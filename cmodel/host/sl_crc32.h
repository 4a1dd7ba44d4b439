/* sl_crc32.h — CRC-32 (IEEE 802.3, as zlib's crc32) for model images (docs/spec.md §8.1). */
#ifndef SL_CRC32_H
#define SL_CRC32_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif
/* Continue a CRC: start with crc = 0. */
uint32_t sl_crc32(uint32_t crc, const void *data, size_t len);
#ifdef __cplusplus
}
#endif
#endif
