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
#define SL_IMAGE_VERSION_MINOR 2 /* the highest minor this build knows (writes it when needed) */
#define SL_IMAGE_HEADER_SIZE 64
#define SL_IMAGE_POP_SIZE 32

/* The front end's limits on a recorded band limit (Hz) and top_db (dB), as its own checks at
 * its analysis rate of 20510 Hz (frontend/sl_fe.h sl_fe_check_recipe). */
#define SL_IMAGE_BAND_MIN 1000u
#define SL_IMAGE_BAND_MAX 10254u
#define SL_IMAGE_TOP_DB_MAX 1000.0f

/* What an image records beside the network (spec §8.1). Version minor 1: the input scale the
 * model was trained with, the feature value of payload 1; 0 = not recorded (every minor-0
 * image), otherwise finite and positive. Minor 2: the front-end recipe of its training
 * features, band_limit (Hz, 0 = none or unknown; else SL_IMAGE_BAND_MIN..MAX) and top_db
 * (dB, 0 = not recorded, read as 80; else in (0, SL_IMAGE_TOP_DB_MAX]). */
typedef struct {
  float in_scale;
  uint32_t band_limit;
  float top_db;
} sl_image_meta;

/* 1 when meta records a front-end recipe (a band limit or a top_db: minor 2). */
int sl_image_meta_has_recipe(const sl_image_meta *meta);

/* Bytes an image of this network takes. */
size_t sl_image_size(const sl_net *n);

/* Serialise n (and names, may be NULL) into buf of sl_image_size(n) bytes, CRC included.
 * Version minor 0: nothing recorded beside the network. */
void sl_image_encode(const sl_net *n, const sl_names *nm, uint8_t *buf);
/* The same with what meta records (NULL or all 0: nothing, minor 0; an in_scale alone: minor 1;
 * a band limit or top_db: minor 2). The encoder writes the lowest minor that holds it, so
 * images that record less stay byte-identical to those of earlier builds. */
void sl_image_encode_meta(const sl_net *n, const sl_names *nm, const sl_image_meta *meta, uint8_t *buf);

/* Parse and validate an image held in memory. `what` names it in messages. On error n is
 * unspecified. nm may be NULL. */
sl_status sl_image_decode(const uint8_t *buf, size_t len, const char *what, sl_net *n, sl_names *nm,
                          sl_err *err);
/* The same, also returning what the image records (meta may be NULL; 0 for what a lower minor
 * does not hold). */
sl_status sl_image_decode_meta(const uint8_t *buf, size_t len, const char *what, sl_net *n, sl_names *nm,
                               sl_image_meta *meta, sl_err *err);

/* The version minor of an image held in memory (len >= 8; a reader accepts any minor: minor
 * versions only give meaning to reserved fields). */
unsigned sl_image_version_minor(const uint8_t *buf);

/* Read and validate a file. */
sl_status sl_image_load(const char *path, sl_net *n, sl_names *nm, sl_err *err);
sl_status sl_image_load_meta(const char *path, sl_net *n, sl_names *nm, sl_image_meta *meta, sl_err *err);

/* Validate n, then write it atomically (temp file + rename): all or nothing. */
sl_status sl_image_save(const char *path, const sl_net *n, const sl_names *nm, sl_err *err);
/* The same with what meta records (an in_scale that is not finite and >= 0, a band limit or
 * top_db out of the ranges above is refused). */
sl_status sl_image_save_meta(const char *path, const sl_net *n, const sl_names *nm, const sl_image_meta *meta,
                             sl_err *err);

/* Read a whole file into a malloc'd buffer (host helper shared by the readers). */
sl_status sl_read_file(const char *path, uint8_t **buf, size_t *len, sl_err *err);

/* Read a whole text file into a malloc'd NUL-terminated string; a NUL byte inside the file is
 * refused ("<path>:<line>: binary data (a NUL byte) in a text <kind> file"). */
sl_status sl_read_text(const char *path, const char *kind, char **text, sl_err *err);

#ifdef __cplusplus
}
#endif
#endif
