/* sl_events.c — reader and writer of event files (docs/spec.md §8.2). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl_atomic.h"
#include "sl_config.h"
#include "sl_events.h"
#include "sl_image.h"

sl_status sl_events_init(sl_eventset *es, uint32_t channels, uint32_t steps, sl_err *err) {
  memset(es, 0, sizeof *es);
  if (channels < 1 || channels > SL_MAX_INPUTS)
    return sl_err_set(err, SL_ERR_HEADER, "events: channels %u not in 1..%u", channels, SL_MAX_INPUTS);
  if (steps < 1 || steps > SL_MAX_STEPS)
    return sl_err_set(err, SL_ERR_HEADER, "events: steps %u not in 1..%u", steps, SL_MAX_STEPS);
  es->channels = channels;
  es->steps = steps;
  return SL_OK;
}

void sl_events_free(sl_eventset *es) {
  if (!es) return;
  free(es->samples);
  free(es->ev);
  memset(es, 0, sizeof *es);
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem) {
  if (need <= *cap) return 1;
  uint32_t nc = *cap ? *cap : 64;
  while (nc < need) nc *= 2;
  void *np = realloc(*p, nc * elem);
  if (!np) return 0;
  *p = np;
  *cap = nc;
  return 1;
}

sl_status sl_events_add_sample(sl_eventset *es, int32_t id, int32_t label, sl_err *err) {
  if (!grow((void **)&es->samples, &es->cap_samples, es->n_samples + 1, sizeof(sl_sample)))
    return sl_err_set(err, SL_ERR_NOMEM, "events: out of memory");
  sl_sample *s = &es->samples[es->n_samples++];
  s->id = id;
  s->label = label;
  s->first = es->n_events;
  s->count = 0;
  return SL_OK;
}

/* The checks of §8.2 against the previous events of the current sample. */
sl_status sl_events_add(sl_eventset *es, uint32_t step, uint32_t chan, uint32_t payload, sl_err *err) {
  if (es->n_samples == 0) {
    sl_status s = sl_events_add_sample(es, 0, -1, err);
    if (s) return s;
  }
  sl_sample *cur = &es->samples[es->n_samples - 1];
  if (step >= es->steps)
    return sl_err_set(err, SL_ERR_EVENT, "step %u >= steps %u", step, es->steps);
  if (chan >= es->channels)
    return sl_err_set(err, SL_ERR_EVENT, "channel %u >= channels %u", chan, es->channels);
  if (payload < 1 || payload > SL_PAYLOAD_MAX)
    return sl_err_set(err, SL_ERR_EVENT, "payload %u not in 1..%d", payload, SL_PAYLOAD_MAX);
  for (uint32_t i = cur->first + cur->count; i-- > cur->first;) {
    const sl_event *e = &es->ev[i];
    if (e->step > step)
      return sl_err_set(err, SL_ERR_EVENT, "step %u after step %u: steps must not decrease", step, e->step);
    if (e->step < step) break;
    if (e->chan == chan)
      return sl_err_set(err, SL_ERR_EVENT, "channel %u appears twice in step %u", chan, step);
  }
  if (!grow((void **)&es->ev, &es->cap_events, es->n_events + 1, sizeof(sl_event)))
    return sl_err_set(err, SL_ERR_NOMEM, "events: out of memory");
  es->ev[es->n_events].step = (uint16_t)step;
  es->ev[es->n_events].chan = (uint16_t)chan;
  es->ev[es->n_events].payload = (uint8_t)payload;
  es->n_events++;
  cur->count++;
  return SL_OK;
}

/* Split a line into at most 8 whitespace-separated words (comments already removed). */
static int split(char *line, char **w, int max) {
  int n = 0;
  for (char *p = strtok(line, " \t\r"); p && n < max; p = strtok(NULL, " \t\r")) w[n++] = p;
  return n;
}

static int to_u32(const char *s, uint32_t *v) {
  char *end;
  if (*s < '0' || *s > '9') return 0;
  errno = 0;
  unsigned long x = strtoul(s, &end, 10);
  if (*end || errno || x > 0xFFFFFFFFul) return 0;
  *v = (uint32_t)x;
  return 1;
}

static int to_i32(const char *s, int32_t *v) {
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (!*s || *end || errno || x < -2147483647L - 1 || x > 2147483647L) return 0;
  *v = (int32_t)x;
  return 1;
}

sl_status sl_events_parse(const char *text, const char *what, sl_eventset *es, sl_err *err) {
  memset(es, 0, sizeof *es);
  char *copy = strdup(text);
  if (!copy) return sl_err_set(err, SL_ERR_NOMEM, "%s: out of memory", what);
  sl_status st = SL_OK;
  int have_header = 0;
  uint32_t lineno = 0;
  char *save = NULL;
  sl_err e2;
  for (char *line = copy; line; line = save) {
    save = strchr(line, '\n');
    if (save) *save++ = '\0';
    lineno++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *w[9];
    int n = split(line, w, 9);
    if (n == 0) continue;
    if (!have_header) {
      uint32_t ch, steps, ver;
      if (n != 6 || strcmp(w[0], "sl-events") || !to_u32(w[1], &ver) || strcmp(w[2], "channels") ||
          !to_u32(w[3], &ch) || strcmp(w[4], "steps") || !to_u32(w[5], &steps)) {
        st = sl_err_set(err, SL_ERR_PARSE, "%s:%u: expected header 'sl-events 1 channels <C> steps <T>'", what, lineno);
        break;
      }
      if (ver != 1) {
        st = sl_err_set(err, SL_ERR_VERSION, "%s:%u: unsupported event file version %u", what, lineno, ver);
        break;
      }
      if ((st = sl_events_init(es, ch, steps, &e2))) {
        sl_err_set(err, st, "%s:%u: %s", what, lineno, e2.msg);
        break;
      }
      have_header = 1;
      continue;
    }
    if (!strcmp(w[0], "sample")) {
      int32_t id, label = -1;
      if (!((n == 2 || (n == 4 && !strcmp(w[2], "label") && to_i32(w[3], &label) && label >= 0)) &&
            to_i32(w[1], &id))) {
        st = sl_err_set(err, SL_ERR_PARSE, "%s:%u: expected 'sample <id> [label <k>]'", what, lineno);
        break;
      }
      if ((st = sl_events_add_sample(es, id, label, &e2))) {
        sl_err_set(err, st, "%s:%u: %s", what, lineno, e2.msg);
        break;
      }
      continue;
    }
    uint32_t step, chan, payload;
    if (n != 3 || !to_u32(w[0], &step) || !to_u32(w[1], &chan) || !to_u32(w[2], &payload)) {
      st = sl_err_set(err, SL_ERR_PARSE, "%s:%u: expected '<step> <channel> <payload>'", what, lineno);
      break;
    }
    if ((st = sl_events_add(es, step, chan, payload, &e2))) {
      sl_err_set(err, st, "%s:%u: %s", what, lineno, e2.msg);
      break;
    }
  }
  if (!st && !have_header) st = sl_err_set(err, SL_ERR_PARSE, "%s: empty: no 'sl-events' header", what);
  if (!st && es->n_samples == 0) st = sl_events_add_sample(es, 0, -1, err);
  free(copy);
  if (st) sl_events_free(es);
  return st;
}

sl_status sl_events_load(const char *path, sl_eventset *es, sl_err *err) {
  memset(es, 0, sizeof *es);
  char *text;
  sl_status s = sl_read_text(path, "event", &text, err);
  if (s) return s;
  s = sl_events_parse(text, path, es, err);
  free(text);
  return s;
}

sl_status sl_events_save(const char *path, const sl_eventset *es, sl_err *err) {
  sl_afile a;
  sl_status s = sl_afile_open(&a, path, err);
  if (s) return s;
  fprintf(a.f, "sl-events 1 channels %u steps %u\n", es->channels, es->steps);
  for (uint32_t i = 0; i < es->n_samples; i++) {
    const sl_sample *sm = &es->samples[i];
    if (sm->label >= 0)
      fprintf(a.f, "sample %d label %d\n", sm->id, sm->label);
    else
      fprintf(a.f, "sample %d\n", sm->id);
    for (uint32_t k = 0; k < sm->count; k++) {
      const sl_event *e = &es->ev[sm->first + k];
      fprintf(a.f, "%u %u %u\n", e->step, e->chan, e->payload);
    }
  }
  return sl_afile_commit(&a, err);
}
