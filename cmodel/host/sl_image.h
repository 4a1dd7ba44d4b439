/* sl_image.h — model images (.slm, docs/spec.md §8.1): load with full validation, save
 * atomically, and the same in memory (for drivers, tests and the HLS bench). */
#ifndef SL_IMAGE_H
#define SL_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include "sl_net.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SL_IMAGE_MAGIC "SLMI"
#define SL_IMAGE_VERSION_MAJOR 1
#define SL_IMAGE_VERSION_MINOR 0
#define SL_IMAGE_HEADER_SIZE 64
#define SL_IMAGE_POP_SIZE 32

/* Bytes an image of this network takes. */
size_t sl_image_size(const sl_net *n);

/* Serialise n (and names, may be NULL) into buf of sl_image_size(n) bytes, CRC included. */
void sl_image_encode(const sl_net *n, const sl_names *nm, uint8_t *buf);

/* Parse and validate an image held in memory. `what` names it in messages. On error n is
 * unspecified. nm may be NULL. */
sl_status sl_image_decode(const uint8_t *buf, size_t len, const char *what, sl_net *n, sl_names *nm,
                          sl_err *err);

/* The version minor of an image held in memory (len >= 8; a reader accepts any minor, and the
 * encoder writes SL_IMAGE_VERSION_MINOR: the fields this build knows carry all the meaning). */
unsigned sl_image_version_minor(const uint8_t *buf);

/* Read and validate a file. */
sl_status sl_image_load(const char *path, sl_net *n, sl_names *nm, sl_err *err);

/* Validate n, then write it atomically (temp file + rename): all or nothing. */
sl_status sl_image_save(const char *path, const sl_net *n, const sl_names *nm, sl_err *err);

/* Read a whole file into a malloc'd buffer (host helper shared by the readers). */
sl_status sl_read_file(const char *path, uint8_t **buf, size_t *len, sl_err *err);

/* Read a whole text file into a malloc'd NUL-terminated string; a NUL byte inside the file is
 * refused ("<path>:<line>: binary data (a NUL byte) in a text <kind> file"). */
sl_status sl_read_text(const char *path, const char *kind, char **text, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
