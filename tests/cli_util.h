/* cli_util.h — helpers for tests that run the `spikeline` binary (SL_CLI): spawn it with
 * posix_spawn, capture its exit status, stdout and stderr, and inspect the scratch directory.
 * Header-only (static functions) so each test program stays one unit. */
#ifndef SL_TEST_CLI_UTIL_H
#define SL_TEST_CLI_UTIL_H

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
  int status;      /* exit code, or 128 + signal */
  char out[65536]; /* stdout */
  char err[8192];  /* stderr */
} cli_result;

/* Read up to cap-1 bytes of a file into buf (NUL-terminated). Returns the byte count or -1. */
static inline long read_text(const char *path, char *buf, size_t cap) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t n = fread(buf, 1, cap - 1, f);
  fclose(f);
  buf[n] = '\0';
  return (long)n;
}

/* A fresh scratch directory under $SL_TMPDIR (or /tmp). */
static inline void make_scratch(char *dir, size_t len, const char *tag) {
  const char *base = getenv("SL_TMPDIR");
  snprintf(dir, len, "%s/%s_XXXXXX", base && *base ? base : "/tmp", tag);
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Run SL_CLI with args (NULL-terminated, without argv[0]); stdout and stderr go to files in
 * dir (named .stdout / .stderr, removed afterwards). */
static inline void run_cli(cli_result *r, const char *dir, const char *const *args) {
  char outp[1100], errp[1100];
  snprintf(outp, sizeof outp, "%s/.stdout", dir);
  snprintf(errp, sizeof errp, "%s/.stderr", dir);
  const char *argv[64];
  int n = 0;
  argv[n++] = SL_CLI;
  while (*args && n < 63) argv[n++] = *args++;
  argv[n] = NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  int rc = posix_spawn(&pid, SL_CLI, &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  ck_assert_msg(rc == 0, "cannot spawn %s", SL_CLI);
  int st;
  ck_assert_int_eq(waitpid(pid, &st, 0), pid);
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  if (read_text(outp, r->out, sizeof r->out) < 0) r->out[0] = '\0';
  if (read_text(errp, r->err, sizeof r->err) < 0) r->err[0] = '\0';
  unlink(outp);
  unlink(errp);
}

#define RUN(r, dir, ...)                                          \
  do {                                                            \
    const char *const args_[] = {__VA_ARGS__, NULL};              \
    run_cli((r), (dir), args_);                                   \
  } while (0)

static inline int file_exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* Number of entries in dir whose name contains ".tmp." (leftover atomic-write temp files). */
/* Entries of dir other than . and .. */
static inline int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

static inline int count_tmp_files(const char *dir) {
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (strstr(e->d_name, ".tmp.")) n++;
  closedir(d);
  return n;
}

static inline void write_bytes(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  fclose(f);
}

static inline void path_join(char *buf, size_t len, const char *dir, const char *name) { snprintf(buf, len, "%s/%s", dir, name); }

#endif
