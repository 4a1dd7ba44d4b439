/* sl_rewire.h — the edit syntax of `spikeline rewire` (SOURCE/SLOT=TARGET,WEIGHT,DELAY or
 * SOURCE/SLOT=-), parsed against a network into one synapse-table write. */
#ifndef SL_REWIRE_H
#define SL_REWIRE_H

#include <stddef.h>
#include <stdint.h>
#include "sl_net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parse one edit. On success returns 1 and sets src, slot and the entry word (0 clears the
 * slot); on failure returns 0 with a short reason in why. Only the syntax and the ranges of
 * the fields are checked here: sl_net_check_entry checks the write itself (fan-in). */
int sl_rewire_parse(const sl_net *n, const sl_names *nm, const char *edit, uint32_t *src, uint32_t *slot,
                    uint32_t *entry, char *why, size_t len);

#ifdef __cplusplus
}
#endif
#endif
