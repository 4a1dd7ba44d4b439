/* sl_regress_junit.c — the JUnit XML file of `spikeline regress`: writing it, and reading back
 * exactly that layout (one element per line) for the merge of shards. Anything else — a cut
 * file, a count that disagrees with the cases, an element out of place — is refused with the
 * file and line named. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sl_regress.h"

static const char case_head[] = "  <testcase classname=\"cosim\" name=\"";

static void xml_escape(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else if (*s == '"') fputs("&quot;", f);
    else if ((unsigned char)*s >= 32) fputc(*s, f);
  }
}

void sl_rg_junit_begin(FILE *f, unsigned long long tests, unsigned long long failures, unsigned long long errors,
                       double secs) {
  fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
             "<testsuite name=\"spikeline-regress\" tests=\"%llu\" failures=\"%llu\" errors=\"%llu\" time=\"%.3f\">\n",
          tests, failures, errors, secs);
}

void sl_rg_junit_case(FILE *f, const sl_rg_case *c) {
  fprintf(f, "%s", case_head);
  xml_escape(f, c->name);
  fprintf(f, "\" time=\"%.3f\"", c->secs);
  if (c->state == 2) {
    fputs("/>\n", f);
    return;
  }
  fprintf(f, ">\n    <%s message=\"", c->state == 3 ? "failure" : "error");
  xml_escape(f, c->msg);
  fprintf(f, "\"/>\n  </testcase>\n");
}

void sl_rg_junit_end(FILE *f) { fputs("</testsuite>\n</testsuites>\n", f); }

/* Copy an escaped attribute value up to its closing quote; returns the text after the quote. */
static const char *attr_value(const char *s, char *out, size_t cap) {
  size_t n = 0;
  while (*s && *s != '"') {
    char c = *s++;
    if (c == '&') {
      static const struct {
        const char *ent;
        char c;
      } ents[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}};
      int ok = 0;
      for (size_t i = 0; i < sizeof ents / sizeof ents[0] && !ok; i++)
        if (!strncmp(s, ents[i].ent, strlen(ents[i].ent))) {
          c = ents[i].c;
          s += strlen(ents[i].ent);
          ok = 1;
        }
      if (!ok) return NULL;
    } else if (c == '<') {
      return NULL;
    }
    if (n + 1 >= cap) return NULL;
    out[n++] = c;
  }
  if (*s != '"') return NULL;
  out[n] = '\0';
  return s + 1;
}

static int parse_u64(const char *s, const char **end, unsigned long long *v) {
  if (*s < '0' || *s > '9') return -1;
  char *e;
  errno = 0;
  *v = strtoull(s, &e, 10);
  *end = e;
  return errno ? -1 : 0;
}

static int read_line(FILE *f, char *buf, size_t cap, int *lineno) {
  if (!fgets(buf, (int)cap, f)) return -1;
  (*lineno)++;
  size_t m = strlen(buf);
  if (m == 0 || buf[m - 1] != '\n') return -2;
  buf[m - 1] = '\0';
  return 0;
}

sl_status sl_rg_junit_read(const char *path, sl_rg_case_fn on_case, void *ctx, unsigned long long head[3], sl_err *err) {
  FILE *f = fopen(path, "r");
  if (!f) return sl_err_set(err, SL_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
  char line[4096];
  int lineno = 0, r;
  sl_status st = SL_OK;
  unsigned long long count[3] = {0, 0, 0}; /* cases, failures, errors */
  sl_rg_case c;
#define BAD(...)                                          \
  do {                                                    \
    st = sl_err_set(err, SL_ERR_PARSE, __VA_ARGS__);      \
    goto done;                                            \
  } while (0)
#define NEXT(what)                                                                  \
  do {                                                                              \
    r = read_line(f, line, sizeof line, &lineno);                                   \
    if (r == -1) BAD("%s: cut short after line %d (expected %s)", path, lineno, what); \
    if (r == -2) BAD("%s: line %d: cut short or too long", path, lineno);           \
  } while (0)
  NEXT("the XML declaration");
  if (strcmp(line, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")) BAD("%s: line 1: not a regress JUnit file", path);
  NEXT("<testsuites>");
  if (strcmp(line, "<testsuites>")) BAD("%s: line %d: expected <testsuites>", path, lineno);
  NEXT("<testsuite>");
  {
    static const char pre[] = "<testsuite name=\"spikeline-regress\" tests=\"";
    const char *p = line;
    if (strncmp(p, pre, sizeof pre - 1)) BAD("%s: line %d: expected the spikeline-regress testsuite", path, lineno);
    p += sizeof pre - 1;
    if (parse_u64(p, &p, &head[0]) || strncmp(p, "\" failures=\"", 12)) BAD("%s: line %d: bad testsuite line", path, lineno);
    p += 12;
    if (parse_u64(p, &p, &head[1]) || strncmp(p, "\" errors=\"", 10)) BAD("%s: line %d: bad testsuite line", path, lineno);
    p += 10;
    if (parse_u64(p, &p, &head[2]) || strncmp(p, "\" time=\"", 8)) BAD("%s: line %d: bad testsuite line", path, lineno);
    p += 8;
    char *e;
    (void)strtod(p, &e);
    if (e == p || strcmp(e, "\">")) BAD("%s: line %d: bad testsuite line", path, lineno);
  }
  for (;;) {
    NEXT("</testsuite>");
    if (!strcmp(line, "</testsuite>")) break;
    if (strncmp(line, case_head, sizeof case_head - 1)) BAD("%s: line %d: expected a testcase", path, lineno);
    memset(&c, 0, sizeof c);
    const char *p = attr_value(line + sizeof case_head - 1, c.name, sizeof c.name);
    if (!p || strncmp(p, " time=\"", 7)) BAD("%s: line %d: bad testcase line", path, lineno);
    p += 7;
    char *e;
    c.secs = strtod(p, &e);
    if (e == p || *e != '"') BAD("%s: line %d: bad testcase time", path, lineno);
    p = e + 1;
    if (!strcmp(p, "/>")) {
      c.state = 2;
    } else if (!strcmp(p, ">")) {
      NEXT("<failure> or <error>");
      const char *q = line;
      if (!strncmp(q, "    <failure message=\"", 22)) {
        c.state = 3;
        q += 22;
      } else if (!strncmp(q, "    <error message=\"", 20)) {
        c.state = 4;
        q += 20;
      } else {
        BAD("%s: line %d: expected <failure> or <error>", path, lineno);
      }
      q = attr_value(q, c.msg, sizeof c.msg);
      if (!q || strcmp(q, "/>")) BAD("%s: line %d: bad %s line", path, lineno, c.state == 3 ? "failure" : "error");
      NEXT("</testcase>");
      if (strcmp(line, "  </testcase>")) BAD("%s: line %d: expected </testcase>", path, lineno);
    } else {
      BAD("%s: line %d: bad testcase line", path, lineno);
    }
    count[0]++;
    if (c.state == 3) count[1]++;
    if (c.state == 4) count[2]++;
    if (on_case && (st = on_case(ctx, &c, err))) goto done;
  }
  NEXT("</testsuites>");
  if (strcmp(line, "</testsuites>")) BAD("%s: line %d: expected </testsuites>", path, lineno);
  r = read_line(f, line, sizeof line, &lineno);
  if (r != -1) BAD("%s: line %d: text after </testsuites>", path, lineno);
  if (count[0] != head[0] || count[1] != head[1] || count[2] != head[2])
    BAD("%s: %llu cases (%llu failures, %llu errors), but its testsuite says %llu (%llu, %llu)", path, count[0],
        count[1], count[2], head[0], head[1], head[2]);
done:
  if (!st && ferror(f)) st = sl_err_set(err, SL_ERR_IO, "%s: read error", path);
  fclose(f);
  return st;
#undef BAD
#undef NEXT
}
