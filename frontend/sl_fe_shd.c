/* sl_fe_shd.c — reading (inside the guard's child process, sl_fe_shd_guard.c), writing and
 * binning Spiking Heidelberg Digits HDF5 files. HDF5 1.10
 * has no native half float: the file type is built from a copy of IEEE F32LE (fields 15,
 * 10, 5, 0, 10; size 2; exponent bias 15) and HDF5 converts to float on read. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sl_fe_shd.h"
#include "sl_fe_shd_hdf5.h"

static const char *const class_keys[20] = {
  "english zero", "english one", "english two", "english three", "english four",
  "english five", "english six", "english seven", "english eight", "english nine",
  "german null", "german eins", "german zwei", "german drei", "german vier",
  "german fuenf", "german sechs", "german sieben", "german acht", "german neun"};

/* HDF5 prints an error stack on every failure by default; the library reports its own. */
typedef struct {
  H5E_auto2_t fn;
  void *data;
} quiet_t;
static quiet_t quiet_on(void) {
  quiet_t q;
  H5Eget_auto2(H5E_DEFAULT, &q.fn, &q.data);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  return q;
}
static void quiet_off(quiet_t q) { H5Eset_auto2(H5E_DEFAULT, q.fn, q.data); }

static herr_t resource_walk(unsigned n, const H5E_error2_t *e, void *found) {
  (void)n;
  if (e->maj_num == H5E_RESOURCE || e->min_num == H5E_CANTALLOC || e->min_num == H5E_NOSPACE)
    *(int *)found = 1;
  return 0;
}
/* Did the last failure run out of memory (the guard's limit)? */
static int out_of_memory(void) {
  int found = 0;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, resource_walk, &found);
  return found;
}

static hid_t half_type(void) {
  hid_t t = H5Tcopy(H5T_IEEE_F32LE);
  H5Tset_fields(t, 15, 10, 5, 0, 10);
  H5Tset_size(t, 2);
  H5Tset_ebias(t, 15);
  return t;
}

static void reclaim(hid_t mtype, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(mtype, space, H5P_DEFAULT, buf);
#else
  H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, buf);
#endif
}

sl_status sl_fe_shd_alloc(sl_fe_shd *s, uint32_t n, uint64_t total, sl_err *err) {
  memset(s, 0, sizeof *s);
  s->n = n;
  s->off = calloc((size_t)n + 1, sizeof *s->off);
  s->times = calloc(total ? total : 1, sizeof *s->times);
  s->units = calloc(total ? total : 1, sizeof *s->units);
  s->label = calloc(n ? n : 1, sizeof *s->label);
  s->speaker = calloc(n ? n : 1, sizeof *s->speaker);
  if (!s->off || !s->times || !s->units || !s->label || !s->speaker) {
    sl_fe_shd_free(s);
    return sl_err_set(err, SL_ERR_NOMEM, "SHD: out of memory for %u samples", n);
  }
  return SL_OK;
}

void sl_fe_shd_free(sl_fe_shd *s) {
  if (!s) return;
  free(s->off);
  free(s->times);
  free(s->units);
  free(s->label);
  free(s->speaker);
  memset(s, 0, sizeof *s);
}

/* The length of dataset `name`, which must be 1-D (an error naming it otherwise). */
static sl_status dset_len(hid_t d, const char *path, const char *name, hssize_t *n, sl_err *err) {
  hid_t sp = H5Dget_space(d);
  int nd = sp < 0 ? -1 : H5Sget_simple_extent_ndims(sp);
  *n = nd == 1 ? H5Sget_simple_extent_npoints(sp) : -1;
  if (sp >= 0) H5Sclose(sp);
  if (nd < 0 || (nd == 1 && *n < 0))
    return sl_err_set(err, SL_ERR_PARSE, "%s: cannot read the shape of '%s'", path, name);
  if (nd != 1)
    return sl_err_set(err, SL_ERR_HEADER, "%s: '%s' has %d dimensions; it must be 1-D (one entry per sample)",
                      path, name, nd);
  return SL_OK;
}

static sl_status read_u16(hid_t f, const char *path, const char *name, uint32_t n, uint16_t *out,
                          sl_err *err) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return sl_err_set(err, SL_ERR_PARSE, "%s: no dataset '%s' (not an SHD file?)", path, name);
  hssize_t len = 0;
  sl_status s = dset_len(d, path, name, &len, err);
  if (s == SL_OK && len != (hssize_t)n)
    s = sl_err_set(err, SL_ERR_SIZE, "%s: '%s' has %lld entries, spikes/times has %u", path, name,
                   (long long)len, n);
  if (s == SL_OK && n && H5Dread(d, H5T_NATIVE_UINT16, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
    s = out_of_memory() ? sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory reading '%s'", path, name)
                        : sl_err_set(err, SL_ERR_PARSE, "%s: cannot read '%s' as unsigned integers", path, name);
  H5Dclose(d);
  return s;
}

sl_status sl_fe_shd_read_hdf5(const char *path, sl_fe_shd *s, sl_err *err) {
  memset(s, 0, sizeof *s);
  quiet_t q = quiet_on();
  sl_status st = SL_OK;
  hid_t f = -1, dt = -1, du = -1, mt = -1, mu = -1, sp = -1;
  hvl_t *vt = NULL, *vu = NULL;
  if (access(path, R_OK) != 0) {
    st = sl_err_set(err, SL_ERR_IO, "%s: cannot open", path);
    goto out;
  }
#if H5_VERSION_GE(1, 12, 0)
  htri_t is_h5 = H5Fis_accessible(path, H5P_DEFAULT);
#else
  htri_t is_h5 = H5Fis_hdf5(path);
#endif
  if (is_h5 <= 0 || (f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    st = sl_err_set(err, SL_ERR_MAGIC, "%s: not an HDF5 file (or damaged)", path);
    goto out;
  }
  dt = H5Dopen2(f, "spikes/times", H5P_DEFAULT);
  du = H5Dopen2(f, "spikes/units", H5P_DEFAULT);
  if (dt < 0 || du < 0) {
    st = sl_err_set(err, SL_ERR_PARSE, "%s: no dataset '%s' (not an SHD file?)", path,
                    dt < 0 ? "spikes/times" : "spikes/units");
    goto out;
  }
  hssize_t n = 0, nu = 0;
  if ((st = dset_len(dt, path, "spikes/times", &n, err)) != SL_OK ||
      (st = dset_len(du, path, "spikes/units", &nu, err)) != SL_OK)
    goto out;
  if (n > 0x7fffffff || nu != n) {
    st = sl_err_set(err, SL_ERR_SIZE, "%s: spikes/times has %lld samples, spikes/units %lld", path,
                    (long long)n, (long long)nu);
    goto out;
  }
  mt = H5Tvlen_create(H5T_NATIVE_FLOAT);
  mu = H5Tvlen_create(H5T_NATIVE_UINT16);
  vt = calloc((size_t)n + 1, sizeof *vt);
  vu = calloc((size_t)n + 1, sizeof *vu);
  if (!vt || !vu) {
    st = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", path);
    goto out;
  }
  sp = H5Dget_space(dt);
  if (n && (H5Dread(dt, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, vt) < 0 ||
            H5Dread(du, mu, H5S_ALL, H5S_ALL, H5P_DEFAULT, vu) < 0)) {
    if (out_of_memory())
      st = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory reading spikes/times and spikes/units", path);
    else
      st = sl_err_set(err, SL_ERR_PARSE, "%s: spikes/times or spikes/units is not a ragged array of numbers", path);
    free(vt), free(vu);
    vt = vu = NULL;
    goto out;
  }
  uint64_t total = 0;
  for (hssize_t i = 0; i < n; i++) {
    if (vt[i].len != vu[i].len) {
      st = sl_err_set(err, SL_ERR_SIZE, "%s: sample %lld has %zu times but %zu units", path,
                      (long long)i, vt[i].len, vu[i].len);
      goto out;
    }
    total += vt[i].len;
  }
  if ((st = sl_fe_shd_alloc(s, (uint32_t)n, total, err)) != SL_OK) goto out;
  for (hssize_t i = 0; i < n; i++) {
    uint64_t o = s->off[i];
    if (vt[i].len) memcpy(s->times + o, vt[i].p, vt[i].len * sizeof(float));
    if (vu[i].len) memcpy(s->units + o, vu[i].p, vu[i].len * sizeof(uint16_t));
    s->off[i + 1] = o + vt[i].len;
  }
  if ((st = read_u16(f, path, "labels", s->n, s->label, err)) != SL_OK ||
      (st = read_u16(f, path, "extra/speaker", s->n, s->speaker, err)) != SL_OK)
    sl_fe_shd_free(s);
out:
  /* any libhdf5 failure for want of memory (the guard's limit) is reported as such */
  if (st != SL_OK && st != SL_ERR_NOMEM && out_of_memory())
    st = sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory in libhdf5", path);
  if (vt && vu && sp >= 0) {
    reclaim(mt, sp, vt);
    reclaim(mu, sp, vu);
  }
  free(vt);
  free(vu);
  if (sp >= 0) H5Sclose(sp);
  if (mt >= 0) H5Tclose(mt);
  if (mu >= 0) H5Tclose(mu);
  if (dt >= 0) H5Dclose(dt);
  if (du >= 0) H5Dclose(du);
  if (f >= 0) H5Fclose(f);
  quiet_off(q);
  return st;
}

static herr_t write_1d(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                       const void *buf) {
  hid_t sp = H5Screate_simple(1, &n, NULL);
  hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  herr_t r = d < 0 ? -1 : (n ? H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) : 0);
  if (d >= 0) H5Dclose(d);
  H5Sclose(sp);
  return r;
}

sl_status sl_fe_shd_write(const char *path, const sl_fe_shd *s, sl_err *err) {
  char tmp[1100];
  if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
    return sl_err_set(err, SL_ERR_ARG, "%s: path too long", path);
  quiet_t q = quiet_on();
  sl_status st = SL_OK;
  hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) {
    quiet_off(q);
    return sl_err_set(err, SL_ERR_IO, "%s: cannot create", tmp);
  }
  hid_t half = half_type(), ft = H5Tvlen_create(half), mt = H5Tvlen_create(H5T_NATIVE_FLOAT);
  hid_t fu = H5Tvlen_create(H5T_STD_U16LE), mu = H5Tvlen_create(H5T_NATIVE_UINT16);
  hid_t str = H5Tcopy(H5T_C_S1);
  H5Tset_size(str, H5T_VARIABLE);
  hid_t gs = H5Gcreate2(f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hid_t ge = H5Gcreate2(f, "extra", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hvl_t *vt = calloc((size_t)s->n + 1, sizeof *vt), *vu = calloc((size_t)s->n + 1, sizeof *vu);
  if (!vt || !vu || gs < 0 || ge < 0) {
    st = sl_err_set(err, vt && vu ? SL_ERR_IO : SL_ERR_NOMEM, "%s: cannot create groups", tmp);
    goto out;
  }
  for (uint32_t i = 0; i < s->n; i++) {
    vt[i].len = vu[i].len = (size_t)(s->off[i + 1] - s->off[i]);
    vt[i].p = s->times + s->off[i];
    vu[i].p = s->units + s->off[i];
  }
  if (write_1d(gs, "times", ft, mt, s->n, vt) < 0 || write_1d(gs, "units", fu, mu, s->n, vu) < 0 ||
      write_1d(f, "labels", H5T_STD_U16LE, H5T_NATIVE_UINT16, s->n, s->label) < 0 ||
      write_1d(ge, "speaker", H5T_STD_U16LE, H5T_NATIVE_UINT16, s->n, s->speaker) < 0 ||
      write_1d(ge, "keys", str, str, 20, class_keys) < 0)
    st = sl_err_set(err, SL_ERR_IO, "%s: writing a dataset failed", tmp);
out:
  free(vt);
  free(vu);
  if (gs >= 0) H5Gclose(gs);
  if (ge >= 0) H5Gclose(ge);
  H5Tclose(str);
  H5Tclose(fu);
  H5Tclose(mu);
  H5Tclose(ft);
  H5Tclose(mt);
  H5Tclose(half);
  if (H5Fclose(f) < 0 && st == SL_OK) st = sl_err_set(err, SL_ERR_IO, "%s: close failed", tmp);
  quiet_off(q);
  if (st == SL_OK && rename(tmp, path) != 0)
    st = sl_err_set(err, SL_ERR_IO, "%s: cannot rename %s onto it", path, tmp);
  if (st != SL_OK) unlink(tmp);
  return st;
}

sl_status sl_fe_shd_bin(const sl_fe_shd *s, uint32_t i, double dt, uint32_t n_steps,
                        uint32_t n_units, uint32_t pool, float *out, uint64_t *dropped,
                        sl_err *err) {
  if (i >= s->n) return sl_err_set(err, SL_ERR_RANGE, "SHD: sample %u of %u", i, s->n);
  if (!(dt > 0.0) || pool == 0 || n_units == 0 || n_steps == 0)
    return sl_err_set(err, SL_ERR_ARG, "SHD: binning needs dt > 0, pool, units and steps >= 1");
  uint32_t nc = (n_units + pool - 1) / pool;
  memset(out, 0, sizeof(float) * (size_t)n_steps * nc);
  uint64_t drop = 0;
  for (uint64_t k = s->off[i]; k < s->off[i + 1]; k++) {
    if (s->units[k] >= n_units)
      return sl_err_set(err, SL_ERR_RANGE, "SHD: sample %u: unit %u >= %u", i, s->units[k], n_units);
    double b = floor((double)s->times[k] / dt);
    if (!(b >= 0.0) || b >= (double)n_steps) {
      drop++;
      continue;
    }
    out[(size_t)b * nc + s->units[k] / pool] += 1.0f;
  }
  if (dropped) *dropped = drop;
  return SL_OK;
}
