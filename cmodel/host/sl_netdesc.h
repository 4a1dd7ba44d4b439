/* sl_netdesc.h — the human-writable network description (.sln, docs/spec.md §9), compiled
 * into an sl_net that passes sl_net_validate. */
#ifndef SL_NETDESC_H
#define SL_NETDESC_H
#include "sl_net.h"
#ifdef __cplusplus
extern "C" {
#endif
/* Parse text; errors read "<what>:<line>: <problem>". n must be zeroed by the caller
 * (sl_net_new). */
sl_status sl_netdesc_parse(const char *text, const char *what, sl_net *n, sl_names *nm, sl_err *err);
sl_status sl_netdesc_load(const char *path, sl_net *n, sl_names *nm, sl_err *err);
#ifdef __cplusplus
}
#endif
#endif
