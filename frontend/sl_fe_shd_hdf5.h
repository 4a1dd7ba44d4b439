/* sl_fe_shd_hdf5.h — the SHD reader that calls libhdf5 directly. Private to the front end:
 * libhdf5 can crash or hang on a hostile file, so only the guard (sl_fe_shd_guard.c) calls
 * this, inside a time- and memory-limited child process. Everyone else uses sl_fe_shd_read. */
#ifndef SL_FE_SHD_HDF5_H
#define SL_FE_SHD_HDF5_H

#include "sl_fe_shd.h"

/* Read an SHD file with libhdf5 in this process. Errors name the file and the dataset;
 * SL_ERR_NOMEM when libhdf5 ran out of memory. The values are not checked (the guard's
 * parent does that with sl_fe_shd_check). */
sl_status sl_fe_shd_read_hdf5(const char *path, sl_fe_shd *s, sl_err *err);

#endif
