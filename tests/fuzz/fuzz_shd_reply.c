/* fuzz_shd_reply.c — libFuzzer target: the parent's half of the guarded SHD reader in this
 * process (sl_fe_shd_decode_reply: the child's reply over the pipe — head, sizes bounded
 * before allocating, arrays — then the verdict and sl_fe_shd_check), without forking a child
 * or starting libhdf5, so it runs at in-process speed (fuzz_shd covers the whole path). The
 * first byte picks how the child ended (0: exit 0; 1..64: killed by that signal; above:
 * exit status byte - 64); the rest is the reply, whose 8-byte magic the harness puts in (as
 * the image harness fixes the CRC) so that mutations reach the fields behind it. An accepted
 * reply must pass sl_fe_shd_check again, have off[n] spikes and bin without error; a refusal
 * must be one printable line naming the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "sl_fe_shd.h"

#define PATH "fuzz-input.h5"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const int how = data[0];
  const int ws = how == 0 ? 0 : how <= 64 ? how : ((how - 64) & 0xff) << 8;
  static uint8_t reply[1 << 20];
  size_t len = size - 1 < sizeof reply ? size - 1 : sizeof reply;
  memcpy(reply, data + 1, len);
  if (len >= 8) memcpy(reply, "SLSHDG1", 8);
  /* a 1 MiB memory limit keeps every input fast (a reply near a large limit costs a large
   * zeroed allocation per input); the bound is checked all the same */
  const sl_fe_shd_limits lim = {1.0, 1u << 20};
  sl_fe_shd s;
  sl_err err;
  sl_err_clear(&err);
  if (sl_fe_shd_decode_reply(PATH, reply, len, ws, &lim, &s, &err) == SL_OK) {
    if (ws != 0 || sl_fe_shd_check(PATH, &s, &err) != SL_OK) abort();
    static float out[80 * 140];
    for (uint32_t i = 0; i < s.n; i++)
      if (sl_fe_shd_bin(&s, i, 0.01, 80, SL_FE_SHD_UNITS, 5, out, NULL, &err) != SL_OK) abort();
    sl_fe_shd_free(&s);
  } else {
    if (strncmp(err.msg, PATH ": ", strlen(PATH) + 2) != 0) abort();
    for (const char *c = err.msg; *c; c++)
      if ((unsigned char)*c < 0x20) abort();
    if (s.off || s.times || s.units || s.label || s.speaker) abort(); /* freed on refusal */
  }
  return 0;
}
