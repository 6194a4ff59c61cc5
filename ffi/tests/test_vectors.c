/* Runs every conformance vector of spec/vectors/ through the C API (qrpay_inspect_json_flags)
 * and checks the JSON it returns the way `qrpay conform` does (qrpay::conform::compare):
 * kind; verdict, crc, valid when expected; the exact set of issue codes; expected schemes
 * among those reported; field values by path. Each vector is also read into one handle kept
 * across all of them (qrpay_mpm_parse_into), which must answer every getter as a new handle
 * from qrpay_mpm_parse_flags does, or be empty where that gives no handle. Prints
 * `N passed, M failed`.
 *
 * Usage: test_vectors [DIR]   (default: spec/vectors) */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qrpay.h"
#include "minijson.h"

static int passed, failed;

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = (char *)malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    if (buf) { buf[n] = '\0'; *len = (size_t)n; }
  }
  fclose(f);
  return buf;
}

/* Calls the API with a deliberately small first buffer, so that the BUFFER_TOO_SMALL path
 * (size reported, then a second call) runs for every vector. */
static char *inspect(const char *text, size_t len, uint32_t flags, size_t *out_len) {
  size_t cap = 64, n = 0;
  char *buf = (char *)malloc(cap);
  qrpay_status s;
  if (!buf) return NULL;
  s = qrpay_inspect_json_flags((const uint8_t *)text, len, flags, (uint8_t *)buf, cap, &n);
  if (s == QRPAY_BUFFER_TOO_SMALL) {
    char *bigger = (char *)realloc(buf, n);
    if (!bigger) { free(buf); return NULL; }
    buf = bigger;
    cap = n;
    s = qrpay_inspect_json_flags((const uint8_t *)text, len, flags, (uint8_t *)buf, cap, &n);
    if (s == QRPAY_OK && n != cap) s = QRPAY_PANIC; /* the size reported must be exact */
  }
  if (s != QRPAY_OK) {
    fprintf(stderr, "  status %u: %s\n", (unsigned)s, qrpay_status_message(s));
    free(buf);
    return NULL;
  }
  *out_len = n;
  return buf;
}

static int has_string(const mj_value *arr, const char *s, const char *member) {
  size_t i;
  if (!arr || arr->type != MJ_ARR) return 0;
  for (i = 0; i < arr->n; i++) {
    const mj_value *e = &arr->items[i];
    const char *v = member ? mj_str(e, member) : (e->type == MJ_STR ? e->str : NULL);
    if (v && strcmp(v, s) == 0) return 1;
  }
  return 0;
}

#define DIFF(...) do { fprintf(stderr, "  %s: ", name); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); ok = 0; } while (0)

static int compare(const char *name, const mj_value *expect, const mj_value *got) {
  int ok = 1;
  size_t i;
  const char *want, *have;
  const char *members[] = {"kind", "verdict", "crc"};
  const mj_value *v;
  for (i = 0; i < 3; i++) {
    want = mj_str(expect, members[i]);
    if (!want) continue;
    have = mj_str(got, members[i]);
    if (!have || strcmp(want, have)) DIFF("%s: expected %s, got %s", members[i], want, have ? have : "(none)");
  }
  if (!mj_str(expect, "kind")) DIFF("vector has no kind");
  if ((v = mj_get(expect, "valid")) != NULL) {
    const mj_value *g = mj_get(got, "valid");
    if (!g || g->type != MJ_BOOL || g->boolean != v->boolean) DIFF("valid: expected %d", v->boolean);
  }
  if ((v = mj_get(expect, "issues")) != NULL) {
    const mj_value *g = mj_get(got, "issues");
    /* Same set: every expected code reported, every reported code expected. */
    for (i = 0; i < v->n; i++)
      if (v->items[i].type == MJ_STR && !has_string(g, v->items[i].str, "code"))
        DIFF("issue %s expected, not reported", v->items[i].str);
    for (i = 0; g && g->type == MJ_ARR && i < g->n; i++) {
      const char *code = mj_str(&g->items[i], "code");
      if (!code || !has_string(v, code, NULL)) DIFF("issue %s reported, not expected", code ? code : "(none)");
    }
  }
  if ((v = mj_get(expect, "schemes")) != NULL) {
    const mj_value *g = mj_get(got, "schemes");
    for (i = 0; i < v->n; i++)
      if (v->items[i].type == MJ_STR && !has_string(g, v->items[i].str, NULL))
        DIFF("scheme %s expected among those reported", v->items[i].str);
  }
  if ((v = mj_get(expect, "fields")) != NULL && v->type == MJ_OBJ) {
    const mj_value *g = mj_get(got, "fields");
    for (i = 0; i < v->n; i++) {
      const char *path = v->keys[i], *value = v->items[i].str;
      const char *found = NULL;
      size_t j;
      for (j = 0; g && g->type == MJ_ARR && j < g->n; j++) {
        const char *p = mj_str(&g->items[j], "path");
        if (p && strcmp(p, path) == 0) { found = mj_str(&g->items[j], "value"); break; }
      }
      if (!value || !found || strcmp(found, value)) DIFF("field %s: expected \"%s\", got \"%s\"", path, value ? value : "?", found ? found : "(none)");
    }
  }
  return ok;
}

/* What a handle answers, as text: the status and value of intact, valid, CRC, the value of
 * every root ID (0-99), the schemes, and each issue's code, path, offset and grade. */
static void put_field(char **at, const char *end, const char *what, qrpay_status s, const uint8_t *v, size_t n) {
  int w = snprintf(*at, (size_t)(end - *at), "%s %u ", what, (unsigned)s);
  if (w < 0 || w >= end - *at) { *at = (char *)end; return; }
  *at += w;
  if (s == QRPAY_OK && n <= (size_t)(end - *at)) { memcpy(*at, v, n); *at += n; }
  if (*at < end) *(*at)++ = '\n';
}

static size_t describe(const qrpay_mpm *m, char *buf, size_t cap) {
  char *at = buf, *end = buf + cap;
  uint8_t v[1024];
  char what[32];
  size_t n = 0, count = 0, i, off = 0;
  bool b = false;
  qrpay_crc crc = QRPAY_CRC_MISSING;
  qrpay_status s;
  s = qrpay_mpm_is_intact(m, &b);
  put_field(&at, end, b ? "intact 1" : "intact 0", s, v, 0);
  s = qrpay_mpm_is_valid(m, &b);
  put_field(&at, end, b ? "valid 1" : "valid 0", s, v, 0);
  s = qrpay_mpm_crc(m, &crc);
  snprintf(what, sizeof what, "crc %u", (unsigned)crc);
  put_field(&at, end, what, s, v, 0);
  for (i = 0; i <= 99; i++) {
    s = qrpay_mpm_get(m, (uint32_t)i, v, sizeof v, &n);
    snprintf(what, sizeof what, "id %zu", i);
    put_field(&at, end, what, s, v, n);
  }
  s = qrpay_mpm_scheme_count(m, &count);
  put_field(&at, end, "schemes", s, v, 0);
  for (i = 0; s == QRPAY_OK && i < count; i++) {
    qrpay_status t = qrpay_mpm_scheme(m, i, v, sizeof v, &n);
    put_field(&at, end, "scheme", t, v, n);
  }
  s = qrpay_mpm_issue_count(m, &count);
  put_field(&at, end, "issues", s, v, 0);
  for (i = 0; s == QRPAY_OK && i < count; i++) {
    qrpay_status t = qrpay_mpm_issue_code(m, i, v, sizeof v, &n);
    put_field(&at, end, "code", t, v, n);
    t = qrpay_mpm_issue_path(m, i, v, sizeof v, &n);
    put_field(&at, end, "path", t, v, n);
    t = qrpay_mpm_issue_offset(m, i, &off);
    snprintf(what, sizeof what, "offset %zu", off);
    put_field(&at, end, what, t, v, 0);
    t = qrpay_mpm_issue_is_error(m, i, &b);
    put_field(&at, end, b ? "error 1" : "error 0", t, v, 0);
  }
  return (size_t)(at - buf);
}

/* The handle every vector is read into in turn, and what an empty handle answers. */
static qrpay_mpm *shared;
static char empty_desc[16384];
static size_t empty_len;

/* Reads the vector into `shared` and compares with a new handle (or, when the text gives
 * none, with an empty handle). */
static int same_through_shared(const char *name, const char *text, size_t len, uint32_t flags) {
  static char want[16384], got[16384];
  qrpay_mpm *fresh = NULL;
  qrpay_status a = qrpay_mpm_parse_flags((const uint8_t *)text, len, flags, &fresh);
  qrpay_status b = qrpay_mpm_parse_into(shared, (const uint8_t *)text, len, flags);
  size_t wn, gn;
  int ok = 1;
  if (a != b) DIFF("qrpay_mpm_parse_into: status %u, qrpay_mpm_parse_flags %u", (unsigned)b, (unsigned)a);
  if (a == QRPAY_OK && fresh) {
    wn = describe(fresh, want, sizeof want);
  } else {
    memcpy(want, empty_desc, empty_len);
    wn = empty_len;
  }
  gn = describe(shared, got, sizeof got);
  if (wn != gn || memcmp(want, got, wn)) DIFF("qrpay_mpm_parse_into: the handle answers otherwise");
  qrpay_mpm_free(fresh);
  return ok;
}

static void run_file(const char *path) {
  size_t len = 0, i;
  char *src = read_file(path, &len);
  mj_value file;
  const mj_value *vectors;
  int p0 = passed, f0 = failed;
  if (!src || mj_parse(src, len, &file)) {
    fprintf(stderr, "%s: cannot read or parse\n", path);
    failed++;
    if (src) mj_free(&file);
    free(src);
    return;
  }
  vectors = mj_get(&file, "vectors");
  for (i = 0; vectors && vectors->type == MJ_ARR && i < vectors->n; i++) {
    const mj_value *vec = &vectors->items[i];
    const mj_value *input = mj_get(vec, "input");
    const char *name = mj_str(vec, "name"), *mode = mj_str(vec, "mode");
    uint32_t flags = QRPAY_FLAG_REVEAL; /* as qrpay::conform::check */
    char *json;
    size_t jlen = 0;
    mj_value got;
    if (!name) name = "(unnamed)";
    if (!input || input->type != MJ_STR || !mode) { fprintf(stderr, "  %s: malformed vector\n", name); failed++; continue; }
    if (strcmp(mode, "strict") == 0) flags |= QRPAY_FLAG_STRICT;
    else if (strcmp(mode, "lenient") != 0) { fprintf(stderr, "  %s: unknown mode %s\n", name, mode); failed++; continue; }
    json = inspect(input->str, input->len, flags, &jlen);
    if (!json) { fprintf(stderr, "  %s: call failed\n", name); failed++; continue; }
    if (mj_parse(json, jlen, &got)) {
      fprintf(stderr, "  %s: the API returned JSON that does not parse\n", name);
      failed++;
    } else if (compare(name, mj_get(vec, "expect"), &got) &&
               same_through_shared(name, input->str, input->len, flags & QRPAY_FLAG_STRICT)) {
      passed++;
    } else {
      failed++;
    }
    mj_free(&got);
    free(json);
  }
  printf("%s: %d passed, %d failed\n", path, passed - p0, failed - f0);
  mj_free(&file);
  free(src);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json below `dir`, in name order (recursively). */
static void walk(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  if (!d) { fprintf(stderr, "%s: cannot open\n", dir); failed++; return; }
  while ((e = readdir(d)) != NULL) {
    size_t l = strlen(dir) + strlen(e->d_name) + 2;
    char *full;
    if (e->d_name[0] == '.') continue;
    if (n == cap) {
      char **nn = (char **)realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *nn);
      if (!nn) break;
      names = nn;
    }
    full = (char *)malloc(l);
    if (!full) break;
    snprintf(full, l, "%s/%s", dir, e->d_name);
    names[n++] = full;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, by_name);
  for (i = 0; i < n; i++) {
    struct stat st;
    size_t l = strlen(names[i]);
    if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) walk(names[i]);
    else if (l > 5 && strcmp(names[i] + l - 5, ".json") == 0) run_file(names[i]);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  /* The shared handle starts with a payload; emptied by a failed read, it answers as an
   * empty handle does. */
  static const char start[] = "00020101021153037645802TH5904SHOP6007BANGKOK6304";
  if (qrpay_mpm_parse((const uint8_t *)start, strlen(start), &shared) != QRPAY_OK ||
      qrpay_mpm_parse_into(shared, (const uint8_t *)"upi://pay?pa=a@b", 16, 0) != QRPAY_NOT_MPM) {
    fprintf(stderr, "cannot make the shared handle\n");
    return 1;
  }
  empty_len = describe(shared, empty_desc, sizeof empty_desc);
  walk(argc > 1 ? argv[1] : "spec/vectors");
  qrpay_mpm_free(shared);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
