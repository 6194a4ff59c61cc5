/* A small JSON reader for the C tests and examples (RFC 8259: objects, arrays, strings with
 * every escape including surrogate pairs, numbers, true/false/null). Not a general library:
 * it keeps each value as a tree of malloc'd nodes, freed with mj_free. Header-only. */
#ifndef QRPAY_MINIJSON_H
#define QRPAY_MINIJSON_H

#include <stdlib.h>
#include <string.h>

typedef enum { MJ_NULL, MJ_BOOL, MJ_NUM, MJ_STR, MJ_ARR, MJ_OBJ } mj_type;

typedef struct mj_value {
  mj_type type;
  int boolean;
  double num;
  char *str;              /* MJ_STR: UTF-8, NUL-terminated copy (len excludes the NUL) */
  size_t len;
  size_t n;               /* MJ_ARR / MJ_OBJ: number of items */
  struct mj_value *items; /* items (MJ_OBJ: the values) */
  char **keys;            /* MJ_OBJ: keys, NUL-terminated */
} mj_value;

typedef struct {
  const char *p, *end;
  int depth;
} mj_cursor;

static void mj_free(mj_value *v) {
  size_t i;
  if (!v) return;
  free(v->str);
  for (i = 0; i < v->n; i++) {
    mj_free(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  memset(v, 0, sizeof *v);
}

static void mj_ws(mj_cursor *c) {
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) c->p++;
}

static int mj_hex4(mj_cursor *c, unsigned *out) {
  unsigned v = 0;
  int i;
  if (c->end - c->p < 4) return -1;
  for (i = 0; i < 4; i++) {
    char h = *c->p++;
    v <<= 4;
    if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
    else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
    else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

static size_t mj_utf8(unsigned cp, char *o) {
  if (cp < 0x80) { o[0] = (char)cp; return 1; }
  if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
  }
  o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Reads a string at c->p (on the opening quote) into a new buffer. */
static int mj_string(mj_cursor *c, char **out, size_t *out_len) {
  /* Escapes only shrink (\uXXXX is 6 bytes for at most 3; a pair 12 for 4). */
  size_t cap = 1, n = 0;
  const char *q = c->p + 1;
  char *s;
  while (q < c->end && *q != '"') { if (*q == '\\' && q + 1 < c->end) q++; q++; cap += 2; }
  s = (char *)malloc(cap + 1);
  if (!s) return -1;
  c->p++;
  while (c->p < c->end && *c->p != '"') {
    unsigned char ch = (unsigned char)*c->p++;
    if (ch < 0x20) goto bad;
    if (ch != '\\') { s[n++] = (char)ch; continue; }
    if (c->p >= c->end) goto bad;
    switch (*c->p++) {
      case '"': s[n++] = '"'; break;
      case '\\': s[n++] = '\\'; break;
      case '/': s[n++] = '/'; break;
      case 'b': s[n++] = '\b'; break;
      case 'f': s[n++] = '\f'; break;
      case 'n': s[n++] = '\n'; break;
      case 'r': s[n++] = '\r'; break;
      case 't': s[n++] = '\t'; break;
      case 'u': {
        unsigned cp, lo;
        if (mj_hex4(c, &cp)) goto bad;
        if (cp >= 0xD800 && cp < 0xDC00) {
          if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u') goto bad;
          c->p += 2;
          if (mj_hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF) goto bad;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp < 0xE000) {
          goto bad;
        }
        n += mj_utf8(cp, s + n);
        break;
      }
      default: goto bad;
    }
  }
  if (c->p >= c->end) goto bad;
  c->p++;
  s[n] = '\0';
  *out = s;
  *out_len = n;
  return 0;
bad:
  free(s);
  return -1;
}

static int mj_value_at(mj_cursor *c, mj_value *v);

static int mj_push(mj_value *v, size_t *cap, int with_key) {
  if (v->n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    mj_value *items = (mj_value *)realloc(v->items, nc * sizeof *items);
    if (!items) return -1;
    v->items = items;
    if (with_key) {
      char **keys = (char **)realloc(v->keys, nc * sizeof *keys);
      if (!keys) return -1;
      v->keys = keys;
    }
    *cap = nc;
  }
  memset(&v->items[v->n], 0, sizeof v->items[v->n]);
  if (with_key) v->keys[v->n] = NULL;
  v->n++;
  return 0;
}

static int mj_value_at(mj_cursor *c, mj_value *v) {
  size_t cap = 0;
  memset(v, 0, sizeof *v);
  mj_ws(c);
  if (c->p >= c->end) return -1;
  if (++c->depth > 128) return -1;
  switch (*c->p) {
    case '{':
      v->type = MJ_OBJ;
      c->p++;
      mj_ws(c);
      if (c->p < c->end && *c->p == '}') { c->p++; break; }
      for (;;) {
        size_t klen;
        mj_ws(c);
        if (c->p >= c->end || *c->p != '"') return -1;
        if (mj_push(v, &cap, 1)) return -1;
        if (mj_string(c, &v->keys[v->n - 1], &klen)) return -1;
        mj_ws(c);
        if (c->p >= c->end || *c->p != ':') return -1;
        c->p++;
        if (mj_value_at(c, &v->items[v->n - 1])) return -1;
        mj_ws(c);
        if (c->p < c->end && *c->p == ',') { c->p++; continue; }
        if (c->p < c->end && *c->p == '}') { c->p++; break; }
        return -1;
      }
      break;
    case '[':
      v->type = MJ_ARR;
      c->p++;
      mj_ws(c);
      if (c->p < c->end && *c->p == ']') { c->p++; break; }
      for (;;) {
        if (mj_push(v, &cap, 0)) return -1;
        if (mj_value_at(c, &v->items[v->n - 1])) return -1;
        mj_ws(c);
        if (c->p < c->end && *c->p == ',') { c->p++; continue; }
        if (c->p < c->end && *c->p == ']') { c->p++; break; }
        return -1;
      }
      break;
    case '"':
      v->type = MJ_STR;
      if (mj_string(c, &v->str, &v->len)) return -1;
      break;
    case 't':
      if (c->end - c->p < 4 || memcmp(c->p, "true", 4)) return -1;
      v->type = MJ_BOOL; v->boolean = 1; c->p += 4;
      break;
    case 'f':
      if (c->end - c->p < 5 || memcmp(c->p, "false", 5)) return -1;
      v->type = MJ_BOOL; c->p += 5;
      break;
    case 'n':
      if (c->end - c->p < 4 || memcmp(c->p, "null", 4)) return -1;
      v->type = MJ_NULL; c->p += 4;
      break;
    default: {
      char buf[64];
      size_t k = 0;
      while (c->p < c->end && k < sizeof buf - 1 &&
             (strchr("+-.eE", *c->p) || (*c->p >= '0' && *c->p <= '9')) && *c->p) {
        buf[k++] = *c->p++;
      }
      if (k == 0) return -1;
      buf[k] = '\0';
      v->type = MJ_NUM;
      v->num = strtod(buf, NULL);
    }
  }
  c->depth--;
  return 0;
}

/* Parses `len` bytes; 0 on success (free *out with mj_free either way). */
static int mj_parse(const char *s, size_t len, mj_value *out) {
  mj_cursor c;
  c.p = s; c.end = s + len; c.depth = 0;
  if (mj_value_at(&c, out)) return -1;
  mj_ws(&c);
  return c.p == c.end ? 0 : -1;
}

/* The member `key` of an object, or NULL. */
static const mj_value *mj_get(const mj_value *o, const char *key) {
  size_t i;
  if (!o || o->type != MJ_OBJ) return NULL;
  for (i = 0; i < o->n; i++)
    if (o->keys[i] && strcmp(o->keys[i], key) == 0) return &o->items[i];
  return NULL;
}

/* The string value of member `key`, or NULL when absent or not a string. */
static const char *mj_str(const mj_value *o, const char *key) {
  const mj_value *v = mj_get(o, key);
  return v && v->type == MJ_STR ? v->str : NULL;
}

#endif
