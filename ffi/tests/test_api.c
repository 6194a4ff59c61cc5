/* Tests of the C API's conventions and entry points: version macros against the library,
 * status messages, NULL pointers, buffer too small (size reported, buffer untouched),
 * invalid UTF-8, unknown flags, the MPM handle and its getters, one handle read into again
 * and again (qrpay_mpm_parse_into), building from JSON, CPM
 * application selection, routing (directory handles, JSON and list profiles), payment codes
 * (generate, verify through a C replay store), rendering (matrix, SVG) and scanning a luma
 * frame (render -> scan round trip). Prints `N passed, M failed`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qrpay.h"
#include "minijson.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The packed macro must be the documented formula (the slip rustls-ffi had). */
_Static_assert(QRPAY_VERSION_NUMBER ==
                   ((QRPAY_VERSION_MAJOR << 24) | (QRPAY_VERSION_MINOR << 16) | (QRPAY_VERSION_PATCH << 8)),
               "QRPAY_VERSION_NUMBER packs MAJOR.MINOR.PATCH");
_Static_assert(QRPAY_OK == 0, "QRPAY_OK is 0");

static int passed, failed;

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (cond) passed++;                                                         \
    else { failed++; fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define U8(s) ((const uint8_t *)(s))
#define OUT(b) ((uint8_t *)(b))

/* The CN reference payload (EMVCo-style sample from the spec dossier), CRC A13A. */
static const char CN[] =
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST "
    "TRANSPORT6007BEIJING64200002ZH0104\xe6\x9c\x80\xe4\xbd\xb3\xe8\xbf\x90\xe8\xbe\x93"
    "0202\xe5\x8c\x97\xe4\xba\xac"
    "540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A";

/* CPM Annex B2-style payload with two applications (Product1: A0000000555555, Product2:
 * A0000000666666). */
static const char B2[] =
    "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1W"
    "Xy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";

static int eq(const char *buf, size_t n, const char *want) {
  return n == strlen(want) && memcmp(buf, want, n) == 0;
}

static int contains(const char *hay, size_t n, const char *needle) {
  size_t k = strlen(needle), i;
  for (i = 0; i + k <= n; i++)
    if (memcmp(hay + i, needle, k) == 0) return 1;
  return 0;
}

static void test_version(void) {
  CHECK(strcmp(qrpay_version(), STR(QRPAY_VERSION_MAJOR) "." STR(QRPAY_VERSION_MINOR) "." STR(QRPAY_VERSION_PATCH)) == 0);
  CHECK(qrpay_version_number() == QRPAY_VERSION_NUMBER);
}

static void test_status(void) {
  const uint32_t all[] = {QRPAY_OK, QRPAY_NULL_POINTER, QRPAY_INVALID_UTF8, QRPAY_BUFFER_TOO_SMALL,
                          QRPAY_INVALID_ARGUMENT, QRPAY_INDEX_OUT_OF_RANGE, QRPAY_NOT_FOUND,
                          QRPAY_NOT_MPM, QRPAY_INVALID_JSON, QRPAY_BUILD_ERROR, QRPAY_SIGN_ERROR,
                          QRPAY_TRUST_ERROR, QRPAY_DIRECTORY_ERROR, QRPAY_PROFILE_ERROR, QRPAY_PAYCODE_LAYOUT,
                          QRPAY_REPLAY_STORE_ERROR, QRPAY_RENDER_TOO_LONG, QRPAY_RENDER_SIZE, QRPAY_SCAN_FRAME,
                          QRPAY_PANIC, QRPAY_UNSUPPORTED};
  size_t i;
  /* Fixed numbers: changing one breaks every compiled caller. */
  CHECK(QRPAY_NULL_POINTER == 100 && QRPAY_INVALID_UTF8 == 101 && QRPAY_BUFFER_TOO_SMALL == 102 &&
        QRPAY_INVALID_ARGUMENT == 103 && QRPAY_INDEX_OUT_OF_RANGE == 104 && QRPAY_NOT_FOUND == 200 &&
        QRPAY_NOT_MPM == 201 && QRPAY_INVALID_JSON == 300 && QRPAY_BUILD_ERROR == 301 && QRPAY_PANIC == 900);
  CHECK(QRPAY_SIGN_ERROR == 302 && QRPAY_TRUST_ERROR == 303 && QRPAY_DIRECTORY_ERROR == 400 &&
        QRPAY_PROFILE_ERROR == 401 && QRPAY_PAYCODE_LAYOUT == 500 && QRPAY_REPLAY_STORE_ERROR == 501 &&
        QRPAY_RENDER_TOO_LONG == 600 && QRPAY_RENDER_SIZE == 601 && QRPAY_SCAN_FRAME == 700 && QRPAY_UNSUPPORTED == 901);
  CHECK(QRPAY_PAYCODE_ACCEPTED == 0 && QRPAY_PAYCODE_MISMATCH == 1 && QRPAY_PAYCODE_EXPIRED == 2 &&
        QRPAY_PAYCODE_REPLAYED == 3 && QRPAY_PAYCODE_MALFORMED == 4 && QRPAY_CLAIM_FIRST_USE == 0 && QRPAY_CLAIM_REPLAYED == 1);
  for (i = 0; i < sizeof all / sizeof all[0]; i++) {
    const char *m = qrpay_status_message(all[i]);
    CHECK(m != NULL && strlen(m) > 0 && strcmp(m, "unknown status") != 0);
  }
  CHECK(strcmp(qrpay_status_message(12345), "unknown status") == 0);
  CHECK(strcmp(qrpay_status_message(QRPAY_OK), "success") == 0);
}

static void test_inspect_conventions(void) {
  char buf[4096], small[16];
  size_t n = 777, need;
  const size_t sentinel = 777;
  qrpay_status s;

  /* NULL pointers: status, and nothing written. */
  CHECK(qrpay_inspect_json(NULL, 3, OUT(buf), sizeof buf, &n) == QRPAY_NULL_POINTER && n == sentinel);
  CHECK(qrpay_inspect_json(U8("abc"), 3, OUT(buf), sizeof buf, NULL) == QRPAY_NULL_POINTER);
  CHECK(qrpay_inspect_json(U8("abc"), 3, NULL, 10, &n) == QRPAY_NULL_POINTER && n == sentinel);

  /* Size query: out NULL with capacity 0. */
  s = qrpay_inspect_json(U8(CN), strlen(CN), NULL, 0, &n);
  CHECK(s == QRPAY_BUFFER_TOO_SMALL && n > sizeof small);
  need = n;

  /* Too small: size reported, buffer untouched. */
  memset(small, 'Z', sizeof small);
  n = sentinel;
  s = qrpay_inspect_json(U8(CN), strlen(CN), OUT(small), sizeof small, &n);
  CHECK(s == QRPAY_BUFFER_TOO_SMALL && n == need);
  CHECK(small[0] == 'Z' && small[sizeof small - 1] == 'Z');

  /* One byte short, then exact. */
  {
    char *exact = (char *)malloc(need);
    CHECK(exact != NULL);
    if (exact) {
      CHECK(qrpay_inspect_json(U8(CN), strlen(CN), OUT(exact), need - 1, &n) == QRPAY_BUFFER_TOO_SMALL && n == need);
      CHECK(qrpay_inspect_json(U8(CN), strlen(CN), OUT(exact), need, &n) == QRPAY_OK && n == need);
      CHECK(exact[0] == '{' && exact[need - 1] == '}'); /* no newline, no NUL */
      free(exact);
    }
  }

  /* Invalid UTF-8 (a lone continuation byte; an overlong NUL). */
  n = sentinel;
  CHECK(qrpay_inspect_json(U8("0002\x80"), 5, OUT(buf), sizeof buf, &n) == QRPAY_INVALID_UTF8 && n == sentinel);
  CHECK(qrpay_inspect_json(U8("\xc0\x80"), 2, OUT(buf), sizeof buf, &n) == QRPAY_INVALID_UTF8 && n == sentinel);

  /* Unknown flag bits. */
  CHECK(qrpay_inspect_json_flags(U8(CN), strlen(CN), 1u << 20, OUT(buf), sizeof buf, &n) == QRPAY_INVALID_ARGUMENT);

  /* Flags 0 is qrpay_inspect_json; strict changes the mode member. */
  {
    char a[4096], b[4096];
    size_t na = 0, nb = 0;
    CHECK(qrpay_inspect_json(U8(CN), strlen(CN), OUT(a), sizeof a, &na) == QRPAY_OK);
    CHECK(qrpay_inspect_json_flags(U8(CN), strlen(CN), 0, OUT(b), sizeof b, &nb) == QRPAY_OK);
    CHECK(na == nb && memcmp(a, b, na) == 0);
    CHECK(qrpay_inspect_json_flags(U8(CN), strlen(CN), QRPAY_FLAG_STRICT, OUT(b), sizeof b, &nb) == QRPAY_OK);
    {
      mj_value v;
      CHECK(mj_parse(a, na, &v) == 0);
      CHECK(mj_str(&v, "mode") && strcmp(mj_str(&v, "mode"), "lenient") == 0);
      CHECK(mj_str(&v, "kind") && strcmp(mj_str(&v, "kind"), "emv-mpm") == 0);
      CHECK(mj_str(&v, "verdict") && strcmp(mj_str(&v, "verdict"), "intact") == 0);
      mj_free(&v);
      CHECK(mj_parse(b, nb, &v) == 0);
      CHECK(mj_str(&v, "mode") && strcmp(mj_str(&v, "mode"), "strict") == 0);
      mj_free(&v);
    }
  }

  /* Empty text is a payload too (kind unknown, input.empty), not an error. */
  CHECK(qrpay_inspect_json(U8(""), 0, OUT(buf), sizeof buf, &n) == QRPAY_OK && n > 0);
}

static void test_mpm(void) {
  qrpay_mpm *m = NULL, *untouched = (qrpay_mpm *)&passed;
  char buf[256];
  size_t n = 0, count = 0, i;
  bool b = false;
  qrpay_crc crc = QRPAY_CRC_MISSING;

  CHECK(qrpay_mpm_parse(NULL, 1, &m) == QRPAY_NULL_POINTER);
  CHECK(qrpay_mpm_parse(U8(CN), strlen(CN), NULL) == QRPAY_NULL_POINTER);
  CHECK(qrpay_mpm_parse(U8("upi://pay?pa=shop@okbank&pn=Shop"), 32, &untouched) == QRPAY_NOT_MPM);
  CHECK(untouched == (qrpay_mpm *)&passed);
  CHECK(qrpay_mpm_parse_flags(U8(CN), strlen(CN), 64, &m) == QRPAY_INVALID_ARGUMENT);

  CHECK(qrpay_mpm_parse(U8(CN), strlen(CN), &m) == QRPAY_OK && m != NULL);
  if (!m) return;
  CHECK(qrpay_mpm_merchant_name(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "BEST TRANSPORT"));
  CHECK(qrpay_mpm_merchant_city(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "BEIJING"));
  CHECK(qrpay_mpm_amount(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "23.72"));
  CHECK(qrpay_mpm_currency(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "156"));
  CHECK(qrpay_mpm_currency_alpha(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "CNY"));
  CHECK(qrpay_mpm_country(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "CN"));
  CHECK(qrpay_mpm_mcc(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "4111"));
  CHECK(qrpay_mpm_get(m, 1, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "12"));
  /* 12 bytes of UTF-8 for 4 characters. */
  CHECK(qrpay_mpm_get_sub(m, 64, 1, OUT(buf), sizeof buf, &n) == QRPAY_OK &&
        eq(buf, n, "\xe6\x9c\x80\xe4\xbd\xb3\xe8\xbf\x90\xe8\xbe\x93"));
  CHECK(qrpay_mpm_get_sub(m, 62, 6, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "***"));
  CHECK(qrpay_mpm_get_sub(m, 62, 3, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "1234"));
  CHECK(qrpay_mpm_get_sub(m, 29, 0, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "D15600000000"));
  CHECK(qrpay_mpm_get(m, 56, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND);
  CHECK(qrpay_mpm_get_sub(m, 62, 99, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND);
  CHECK(qrpay_mpm_get(m, 100, OUT(buf), sizeof buf, &n) == QRPAY_INVALID_ARGUMENT);
  CHECK(qrpay_mpm_merchant_name(m, OUT(buf), 3, &n) == QRPAY_BUFFER_TOO_SMALL && n == 14);
  CHECK(qrpay_mpm_merchant_name(NULL, OUT(buf), sizeof buf, &n) == QRPAY_NULL_POINTER);
  CHECK(qrpay_mpm_is_intact(m, &b) == QRPAY_OK && b);
  CHECK(qrpay_mpm_crc(m, &crc) == QRPAY_OK && crc == QRPAY_CRC_OK);
  CHECK(qrpay_mpm_is_intact(m, NULL) == QRPAY_NULL_POINTER);
  CHECK(qrpay_mpm_scheme_count(m, &count) == QRPAY_OK && count >= 1);
  {
    int unionpay = 0;
    for (i = 0; i < count; i++)
      if (qrpay_mpm_scheme(m, i, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "unionpay")) unionpay = 1;
    CHECK(unionpay); /* GUID D156... is UnionPay's */
    CHECK(qrpay_mpm_scheme(m, count, OUT(buf), sizeof buf, &n) == QRPAY_INDEX_OUT_OF_RANGE);
  }
  CHECK(qrpay_mpm_issue_count(m, &count) == QRPAY_OK);
  CHECK(qrpay_mpm_issue_code(m, count, OUT(buf), sizeof buf, &n) == QRPAY_INDEX_OUT_OF_RANGE);
  qrpay_mpm_free(m);
  qrpay_mpm_free(NULL);

  /* The same payload with its last CRC digit changed: broken, crc.mismatch at 63. */
  {
    char bad[sizeof CN];
    int found = 0;
    memcpy(bad, CN, sizeof CN);
    bad[strlen(bad) - 1] = 'B';
    CHECK(qrpay_mpm_parse(U8(bad), strlen(bad), &m) == QRPAY_OK);
    if (!m) return;
    CHECK(qrpay_mpm_is_intact(m, &b) == QRPAY_OK && !b);
    CHECK(qrpay_mpm_is_valid(m, &b) == QRPAY_OK && !b);
    CHECK(qrpay_mpm_crc(m, &crc) == QRPAY_OK && crc == QRPAY_CRC_MISMATCH);
    CHECK(qrpay_mpm_issue_count(m, &count) == QRPAY_OK && count >= 1);
    for (i = 0; i < count; i++) {
      size_t off = 0;
      if (qrpay_mpm_issue_code(m, i, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "crc.mismatch")) {
        found = 1;
        CHECK(qrpay_mpm_issue_path(m, i, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "63"));
        CHECK(qrpay_mpm_issue_is_error(m, i, &b) == QRPAY_OK && b);
        CHECK(qrpay_mpm_issue_offset(m, i, &off) == QRPAY_OK && off > 0);
        CHECK(qrpay_mpm_issue_message(m, i, OUT(buf), sizeof buf, &n) == QRPAY_OK && n > 0);
      }
    }
    CHECK(found);
    /* Values still read from a payload whose CRC is wrong. */
    CHECK(qrpay_mpm_merchant_name(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "BEST TRANSPORT"));
    qrpay_mpm_free(m);
  }
}

/* What qrpay_mpm_parse_into leaves after an error: a handle with no payload, as documented. */
static void check_empty(const qrpay_mpm *m) {
  char buf[64];
  size_t n = 0, count = 1;
  bool b = true;
  qrpay_crc crc = QRPAY_CRC_OK;
  CHECK(qrpay_mpm_merchant_name(m, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND);
  CHECK(qrpay_mpm_get(m, 0, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND);
  CHECK(qrpay_mpm_get_sub(m, 62, 5, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND);
  CHECK(qrpay_mpm_is_intact(m, &b) == QRPAY_OK && !b);
  b = true;
  CHECK(qrpay_mpm_is_valid(m, &b) == QRPAY_OK && !b);
  CHECK(qrpay_mpm_crc(m, &crc) == QRPAY_OK && crc == QRPAY_CRC_MISSING);
  CHECK(qrpay_mpm_scheme_count(m, &count) == QRPAY_OK && count == 0);
  count = 1;
  CHECK(qrpay_mpm_issue_count(m, &count) == QRPAY_OK && count == 0);
}

/* One handle read into again and again (a terminal's scan loop). */
static void test_mpm_parse_into(void) {
  static const char PIX[] =
      "00020126510014br.gov.bcb.pix0115thalesog@me.com0210Pedido 123520400005303986540510.005802BR5914THALES OGLIARI"
      "6015SAO MIGUEL DO O62070503***63040DC6";
  static const char BAD_UTF8[] = "000201\xff";
  qrpay_mpm *m = NULL;
  char buf[256];
  size_t n = 0, count = 0;
  bool b = false;
  qrpay_crc crc = QRPAY_CRC_MISSING;

  CHECK(qrpay_mpm_parse_into(NULL, U8(CN), strlen(CN), 0) == QRPAY_NULL_POINTER);
  CHECK(qrpay_mpm_parse(U8(PIX), strlen(PIX), &m) == QRPAY_OK && m != NULL);
  if (!m) return;
  /* A longer payload, with UTF-8, into a handle made for a shorter one. */
  CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), QRPAY_FLAG_STRICT) == QRPAY_OK);
  CHECK(qrpay_mpm_merchant_name(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "BEST TRANSPORT"));
  CHECK(qrpay_mpm_get_sub(m, 64, 2, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "\xe5\x8c\x97\xe4\xba\xac"));
  CHECK(qrpay_mpm_get(m, 26, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND); /* Pix's 26 is gone */
  CHECK(qrpay_mpm_is_intact(m, &b) == QRPAY_OK && b);
  CHECK(qrpay_mpm_crc(m, &crc) == QRPAY_OK && crc == QRPAY_CRC_OK);
  CHECK(qrpay_mpm_scheme(m, 0, OUT(buf), sizeof buf, &n) == QRPAY_OK && !eq(buf, n, "pix"));
  /* Back to the shorter one: nothing of the longer is left. */
  CHECK(qrpay_mpm_parse_into(m, U8(PIX), strlen(PIX), 0) == QRPAY_OK);
  CHECK(qrpay_mpm_merchant_name(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "THALES OGLIARI"));
  CHECK(qrpay_mpm_get(m, 64, OUT(buf), sizeof buf, &n) == QRPAY_NOT_FOUND);
  CHECK(qrpay_mpm_get_sub(m, 26, 1, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "thalesog@me.com"));
  {
    int pix = 0;
    size_t i;
    CHECK(qrpay_mpm_scheme_count(m, &count) == QRPAY_OK && count >= 1);
    for (i = 0; i < count; i++)
      if (qrpay_mpm_scheme(m, i, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "pix")) pix = 1;
    CHECK(pix);
  }
  /* A payload with a CRC error, then a clean one: its issues do not stay behind. */
  {
    char bad[sizeof CN];
    memcpy(bad, CN, sizeof CN);
    bad[strlen(bad) - 1] = 'B';
    CHECK(qrpay_mpm_parse_into(m, U8(bad), strlen(bad), 0) == QRPAY_OK);
    CHECK(qrpay_mpm_crc(m, &crc) == QRPAY_OK && crc == QRPAY_CRC_MISMATCH);
    CHECK(qrpay_mpm_issue_count(m, &count) == QRPAY_OK && count >= 1);
    CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), 0) == QRPAY_OK);
    CHECK(qrpay_mpm_issue_count(m, &count) == QRPAY_OK && count == 0);
    CHECK(qrpay_mpm_crc(m, &crc) == QRPAY_OK && crc == QRPAY_CRC_OK);
  }
  /* Each error empties the handle, which then reads again. */
  CHECK(qrpay_mpm_parse_into(m, U8("upi://pay?pa=shop@okbank&pn=Shop"), 32, 0) == QRPAY_NOT_MPM);
  check_empty(m);
  CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), 0) == QRPAY_OK);
  CHECK(qrpay_mpm_parse_into(m, U8(BAD_UTF8), strlen(BAD_UTF8), 0) == QRPAY_INVALID_UTF8);
  check_empty(m);
  CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), 0) == QRPAY_OK);
  CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), 64) == QRPAY_INVALID_ARGUMENT);
  check_empty(m);
  CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), 0) == QRPAY_OK);
  CHECK(qrpay_mpm_parse_into(m, NULL, 4, 0) == QRPAY_NULL_POINTER);
  check_empty(m);
  CHECK(qrpay_mpm_parse_into(m, U8(CN), strlen(CN), 0) == QRPAY_OK);
  CHECK(qrpay_mpm_country(m, OUT(buf), sizeof buf, &n) == QRPAY_OK && eq(buf, n, "CN"));
  qrpay_mpm_free(m);
}

static void test_build(void) {
  static const char desc[] =
      "{\"mcc\":\"5812\",\"currency\":\"THB\",\"country\":\"TH\",\"merchant_name\":\"SOMCHAI SHOP\","
      "\"merchant_city\":\"BANGKOK\",\"initiation\":\"dynamic\",\"amount\":\"1500.00\","
      "\"accounts\":[{\"id\":29,\"guid\":\"A000000677010111\",\"fields\":{\"01\":\"0066812345678\"}}],"
      "\"additional\":{\"05\":\"INV2024001\"}}";
  char out[512], msg[256];
  size_t n = 0, mn = 99;
  qrpay_mpm *m = NULL;
  bool b = false;
  CHECK(qrpay_mpm_build_json(U8(desc), strlen(desc), OUT(out), sizeof out, &n) == QRPAY_OK);
  CHECK(n > 12 && memcmp(out, "000201010212", 12) == 0);
  CHECK(qrpay_mpm_build_json_error(U8(desc), strlen(desc), OUT(msg), sizeof msg, &mn) == QRPAY_OK && mn == 0);
  CHECK(qrpay_mpm_parse(U8(out), n, &m) == QRPAY_OK);
  if (m) {
    char v[64];
    size_t vn = 0;
    CHECK(qrpay_mpm_is_intact(m, &b) == QRPAY_OK && b);
    CHECK(qrpay_mpm_is_valid(m, &b) == QRPAY_OK && b);
    CHECK(qrpay_mpm_amount(m, OUT(v), sizeof v, &vn) == QRPAY_OK && eq(v, vn, "1500.00"));
    CHECK(qrpay_mpm_currency(m, OUT(v), sizeof v, &vn) == QRPAY_OK && eq(v, vn, "764"));
    CHECK(qrpay_mpm_get_sub(m, 29, 1, OUT(v), sizeof v, &vn) == QRPAY_OK && eq(v, vn, "0066812345678"));
    CHECK(qrpay_mpm_get_sub(m, 62, 5, OUT(v), sizeof v, &vn) == QRPAY_OK && eq(v, vn, "INV2024001"));
    qrpay_mpm_free(m);
  }
  CHECK(qrpay_mpm_build_json(U8("{nope"), 5, OUT(out), sizeof out, &n) == QRPAY_INVALID_JSON);
  {
    static const char zero[] = "{\"mcc\":\"5812\",\"currency\":\"764\",\"country\":\"TH\",\"merchant_name\":\"S\","
                               "\"merchant_city\":\"B\",\"amount\":\"0\",\"accounts\":[{\"id\":2,\"value\":\"4000123456789012\"}]}";
    n = 1234;
    CHECK(qrpay_mpm_build_json(U8(zero), strlen(zero), OUT(out), sizeof out, &n) == QRPAY_BUILD_ERROR && n == 1234);
    CHECK(qrpay_mpm_build_json_error(U8(zero), strlen(zero), OUT(msg), sizeof msg, &mn) == QRPAY_OK && mn > 0);
  }
  CHECK(qrpay_mpm_build_json(U8("{\"colour\":\"red\"}"), 16, OUT(out), sizeof out, &n) == QRPAY_BUILD_ERROR);
  CHECK(qrpay_mpm_build_json(NULL, 0, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
}

static void test_cpm(void) {
  static const uint8_t p1[] = {0xA0, 0x00, 0x00, 0x00, 0x55, 0x55, 0x55};
  static const uint8_t p2[] = {0xA0, 0x00, 0x00, 0x00, 0x66, 0x66, 0x66};
  const uint8_t *aids[] = {p2, p1};
  const size_t lens[] = {sizeof p2, sizeof p1};
  char out[2048];
  size_t n = 0;
  mj_value v;

  /* First eligible in the payload: Product1. */
  CHECK(qrpay_cpm_select(U8(B2), strlen(B2), aids, lens, 2, 0, OUT(out), sizeof out, &n) == QRPAY_OK);
  CHECK(mj_parse(out, n, &v) == 0);
  {
    const mj_value *sel = mj_get(&v, "selected");
    CHECK(sel && sel->type == MJ_BOOL && sel->boolean);
    CHECK(mj_str(&v, "label") && strcmp(mj_str(&v, "label"), "Product1") == 0);
    CHECK(mj_str(&v, "aid") && strcmp(mj_str(&v, "aid"), "A0000000555555") == 0);
  }
  mj_free(&v);
  /* Terminal's order preferred: Product2. PAN masked unless revealed. */
  CHECK(qrpay_cpm_select(U8(B2), strlen(B2), aids, lens, 2, QRPAY_FLAG_PREFER_CONFIGURED, OUT(out), sizeof out, &n) == QRPAY_OK);
  CHECK(mj_parse(out, n, &v) == 0);
  CHECK(mj_str(&v, "label") && strcmp(mj_str(&v, "label"), "Product2") == 0);
  mj_free(&v);
  CHECK(!contains(out, n, "1234567890123458"));
  CHECK(qrpay_cpm_select(U8(B2), strlen(B2), aids, lens, 2, QRPAY_FLAG_REVEAL, OUT(out), sizeof out, &n) == QRPAY_OK);
  CHECK(contains(out, n, "1234567890123458"));

  /* No supported AID: still OK, selected false with a code. */
  CHECK(qrpay_cpm_select(U8(B2), strlen(B2), NULL, NULL, 0, 0, OUT(out), sizeof out, &n) == QRPAY_OK);
  CHECK(mj_parse(out, n, &v) == 0);
  {
    const mj_value *sel = mj_get(&v, "selected");
    CHECK(sel && sel->type == MJ_BOOL && !sel->boolean);
    CHECK(mj_str(mj_get(&v, "error"), "code") && strcmp(mj_str(mj_get(&v, "error"), "code"), "poi.no-eligible-template") == 0);
  }
  mj_free(&v);
  /* Not CPM. */
  CHECK(qrpay_cpm_select(U8(CN), strlen(CN), aids, lens, 2, 0, OUT(out), sizeof out, &n) == QRPAY_OK);
  CHECK(contains(out, n, "cpm.undecodable"));
  /* NULL arrays with a count, a NULL AID, unknown flags. */
  CHECK(qrpay_cpm_select(U8(B2), strlen(B2), NULL, lens, 2, 0, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
  {
    const uint8_t *holes[] = {p1, NULL};
    CHECK(qrpay_cpm_select(U8(B2), strlen(B2), holes, lens, 2, 0, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
  }
  CHECK(qrpay_cpm_select(U8(B2), strlen(B2), aids, lens, 2, QRPAY_FLAG_STRICT, OUT(out), sizeof out, &n) == QRPAY_INVALID_ARGUMENT);
}

/* Bharat QR (corpus: Razorpay's dynamic example): Visa in 02, Mastercard in 04, RuPay in
 * 06/08, UPI (NPCI RID A000000524) in 26/27. The issue's expected routes: accept upi -> UPI,
 * accept visa -> Visa. */
static const char BHARAT[] =
    "000201010212021643926300000000850415540461000000008061661005900000000890827YESB0CMSNOC222333004882700126430010"
    "A0000005240117razorpaybqr@icici02041.1027350010A0000005240117RZPGT8ildsFTgS5Sp52047531530335654041.105802IN5906"
    "zxcbmn6005Delhi610611008562300514GT8ildsFTgS5Sp070838R004506304B6A9";

/* Routes `text` with a JSON profile; returns the chosen scheme ("" when none) in `chosen`. */
static qrpay_status route_json(const qrpay_directory *dir, const char *text, const char *profile,
                               char *chosen, size_t chosen_cap, char *reason, size_t reason_cap) {
  char out[8192];
  size_t n = 0;
  qrpay_status s = qrpay_route(dir, U8(text), strlen(text), U8(profile), strlen(profile), OUT(out), sizeof out, &n);
  chosen[0] = reason[0] = '\0';
  if (s == QRPAY_OK) {
    mj_value v;
    if (mj_parse(out, n, &v) == 0) {
      const char *c = mj_str(&v, "chosen"), *r = mj_str(&v, "reason");
      if (c) snprintf(chosen, chosen_cap, "%s", c);
      if (r) snprintf(reason, reason_cap, "%s", r);
      mj_free(&v);
    } else {
      snprintf(reason, reason_cap, "unparsable");
    }
  }
  return s;
}

static void test_route(void) {
  qrpay_directory *dir = NULL, *untouched = (qrpay_directory *)&passed;
  char chosen[64], reason[64], out[8192];
  size_t n = 0, need = 0;
  const size_t sentinel = 4242;

  CHECK(qrpay_directory_new_builtin(NULL) == QRPAY_NULL_POINTER);
  CHECK(qrpay_directory_new_builtin(&dir) == QRPAY_OK && dir != NULL);
  if (!dir) return;
  CHECK(qrpay_directory_version(dir, OUT(out), sizeof out, &n) == QRPAY_OK && n > 0);

  /* The issue's answers. */
  CHECK(route_json(dir, BHARAT, "[\"upi\"]", chosen, sizeof chosen, reason, sizeof reason) == QRPAY_OK);
  CHECK(strcmp(chosen, "upi") == 0 && strcmp(reason, "only-accepted") == 0);
  CHECK(route_json(dir, BHARAT, "{\"name\":\"visa-wallet\",\"accept\":[{\"scheme\":\"visa\"}]}", chosen, sizeof chosen,
                   reason, sizeof reason) == QRPAY_OK);
  CHECK(strcmp(chosen, "visa") == 0);
  /* Both taken: the profile's order decides. */
  CHECK(route_json(dir, BHARAT, "[\"visa\",\"upi\"]", chosen, sizeof chosen, reason, sizeof reason) == QRPAY_OK);
  CHECK(strcmp(chosen, "visa") == 0 && strcmp(reason, "highest-priority") == 0);
  /* A UPI wallet limited to Indian rupees / to Singapore. */
  CHECK(route_json(dir, BHARAT, "{\"accept\":[{\"scheme\":\"upi\",\"currencies\":[\"INR\"]}]}", chosen, sizeof chosen,
                   reason, sizeof reason) == QRPAY_OK && strcmp(chosen, "upi") == 0);
  CHECK(route_json(dir, BHARAT, "{\"accept\":[{\"scheme\":\"upi\",\"countries\":[\"SG\"]}]}", chosen, sizeof chosen,
                   reason, sizeof reason) == QRPAY_OK);
  CHECK(chosen[0] == '\0' && strcmp(reason, "country-mismatch") == 0);
  /* A Pix wallet takes none of them; an acquirer reads the other presentment. */
  CHECK(route_json(dir, BHARAT, "[\"pix\"]", chosen, sizeof chosen, reason, sizeof reason) == QRPAY_OK);
  CHECK(chosen[0] == '\0' && strcmp(reason, "no-accepted-network") == 0);
  CHECK(route_json(dir, BHARAT, "{\"role\":\"acquirer\",\"accept\":[\"upi\"]}", chosen, sizeof chosen, reason,
                   sizeof reason) == QRPAY_OK);
  CHECK(strcmp(reason, "wrong-presentment") == 0);
  /* The decision names the profile and lists every network of the code. */
  {
    static const char prof[] = "{\"name\":\"upi-app\",\"accept\":[\"upi\"]}";
    mj_value v;
    CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8(prof), strlen(prof), OUT(out), sizeof out, &n) == QRPAY_OK);
    CHECK(mj_parse(out, n, &v) == 0);
    CHECK(mj_str(&v, "profile") && strcmp(mj_str(&v, "profile"), "upi-app") == 0);
    {
      const mj_value *c = mj_get(&v, "candidates");
      CHECK(c && c->type == MJ_ARR && c->n >= 4);
      if (c && c->n > 0) {
        CHECK(strcmp(mj_str(&c->items[0], "identifier"), "A000000524") == 0);
        CHECK(strcmp(mj_str(&c->items[0], "clearing"), "npci") == 0);
      }
    }
    mj_free(&v);
  }

  /* The list form. */
  {
    const uint8_t *ids[] = {U8("pix"), U8("visa")};
    const size_t lens[] = {3, 4};
    mj_value v;
    CHECK(qrpay_route_schemes(dir, U8(BHARAT), strlen(BHARAT), ids, lens, 2, 0, 0, OUT(out), sizeof out, &n) == QRPAY_OK);
    CHECK(mj_parse(out, n, &v) == 0);
    CHECK(mj_str(&v, "chosen") && strcmp(mj_str(&v, "chosen"), "visa") == 0);
    mj_free(&v);
    CHECK(qrpay_route_schemes(dir, U8(BHARAT), strlen(BHARAT), ids, lens, 2, QRPAY_FLAG_ACQUIRER, 0, OUT(out), sizeof out,
                              &n) == QRPAY_OK);
    CHECK(contains(out, n, "\"wrong-presentment\""));
    {
      const uint8_t *bad[] = {U8("zelle")};
      const size_t bl[] = {5};
      n = sentinel;
      CHECK(qrpay_route_schemes(dir, U8(BHARAT), strlen(BHARAT), bad, bl, 1, 0, 0, OUT(out), sizeof out, &n) ==
            QRPAY_PROFILE_ERROR && n == sentinel);
    }
    CHECK(qrpay_route_schemes(dir, U8(BHARAT), strlen(BHARAT), NULL, lens, 2, 0, 0, OUT(out), sizeof out, &n) ==
          QRPAY_NULL_POINTER);
    CHECK(qrpay_route_schemes(dir, U8(BHARAT), strlen(BHARAT), ids, lens, 2, QRPAY_FLAG_STRICT, 0, OUT(out), sizeof out,
                              &n) == QRPAY_INVALID_ARGUMENT);
    /* No scheme: a profile that takes nothing. */
    CHECK(qrpay_route_schemes(dir, U8(BHARAT), strlen(BHARAT), NULL, NULL, 0, 0, 0, OUT(out), sizeof out, &n) == QRPAY_OK);
    CHECK(contains(out, n, "\"chosen\":null"));
  }

  /* Conventions: NULLs, bad profiles, invalid UTF-8, buffer too small. */
  n = sentinel;
  CHECK(qrpay_route(NULL, U8(BHARAT), strlen(BHARAT), U8("[]"), 2, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
  CHECK(qrpay_route(dir, NULL, 3, U8("[]"), 2, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), NULL, 2, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("[]"), 2, OUT(out), sizeof out, NULL) == QRPAY_NULL_POINTER);
  CHECK(n == sentinel);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("[upi"), 4, OUT(out), sizeof out, &n) == QRPAY_INVALID_JSON);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("[\"zelle\"]"), 9, OUT(out), sizeof out, &n) == QRPAY_PROFILE_ERROR);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("{\"accept\":[],\"colour\":1}"), 24, OUT(out), sizeof out, &n) ==
        QRPAY_PROFILE_ERROR);
  CHECK(qrpay_route(dir, U8("0002\xff"), 5, U8("[]"), 2, OUT(out), sizeof out, &n) == QRPAY_INVALID_UTF8);
  CHECK(n == sentinel);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("[\"upi\"]"), 7, NULL, 0, &need) == QRPAY_BUFFER_TOO_SMALL);
  memset(out, 'Z', 8);
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("[\"upi\"]"), 7, OUT(out), 8, &n) == QRPAY_BUFFER_TOO_SMALL &&
        n == need && out[0] == 'Z');
  CHECK(qrpay_route(dir, U8(BHARAT), strlen(BHARAT), U8("[\"upi\"]"), 7, OUT(out), need, &n) == QRPAY_OK && n == need);
  CHECK(qrpay_directory_version(NULL, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
  qrpay_directory_free(dir);
  qrpay_directory_free(NULL);

  /* A directory file: merged over the built-in one by default, alone with STANDALONE. */
  {
    static const char file[] =
        "{\"format\":\"qrpay-routing/1\",\"version\":\"mine-1\",\"effective\":\"2026-01-01\",\"entries\":["
        "{\"kind\":\"guid\",\"keys\":[\"com.example.pay\"],\"scheme\":\"pix\",\"network\":\"example\","
        "\"countries\":[\"BR\"],\"currencies\":[\"BRL\"],\"clearing\":\"pix-spi\",\"source\":\"test\"}]}";
    qrpay_directory *merged = NULL, *alone = NULL;
    CHECK(qrpay_directory_from_json(U8(file), strlen(file), 0, &merged) == QRPAY_OK && merged);
    CHECK(qrpay_directory_from_json(U8(file), strlen(file), QRPAY_FLAG_STANDALONE, &alone) == QRPAY_OK && alone);
    if (merged && alone) {
      CHECK(qrpay_directory_version(merged, OUT(out), sizeof out, &n) == QRPAY_OK && eq(out, n, "mine-1"));
      /* The built-in UPI entry is still there when merged, gone when alone. */
      CHECK(route_json(merged, BHARAT, "[\"upi\"]", chosen, sizeof chosen, reason, sizeof reason) == QRPAY_OK &&
            strcmp(chosen, "upi") == 0);
      CHECK(route_json(alone, BHARAT, "[\"upi\"]", chosen, sizeof chosen, reason, sizeof reason) == QRPAY_OK &&
            chosen[0] == '\0');
    }
    qrpay_directory_free(merged);
    qrpay_directory_free(alone);
    CHECK(qrpay_directory_from_json(U8("{"), 1, 0, &untouched) == QRPAY_INVALID_JSON);
    CHECK(qrpay_directory_from_json(U8("{\"format\":\"x\"}"), 14, 0, &untouched) == QRPAY_DIRECTORY_ERROR);
    CHECK(qrpay_directory_from_json(U8(file), strlen(file), 1u << 9, &untouched) == QRPAY_INVALID_ARGUMENT);
    CHECK(qrpay_directory_from_json(NULL, 0, 0, &untouched) == QRPAY_NULL_POINTER);
    CHECK(qrpay_directory_from_json(U8(file), strlen(file), 0, NULL) == QRPAY_NULL_POINTER);
    CHECK(untouched == (qrpay_directory *)&passed);
  }
}

/* A replay store: the last accepted step per index, as RFC 6238 section 5.2 asks. */
typedef struct {
  uint64_t index[8], step[8];
  int n, calls, fail;
} store;

static int32_t claim(void *user, uint64_t index, uint64_t step) {
  store *s = (store *)user;
  int i;
  s->calls++;
  if (s->fail) return -5;
  for (i = 0; i < s->n; i++)
    if (s->index[i] == index) {
      if (step <= s->step[i]) return QRPAY_CLAIM_REPLAYED;
      s->step[i] = step;
      return QRPAY_CLAIM_FIRST_USE;
    }
  if (s->n == 8) return -1;
  s->index[s->n] = index;
  s->step[s->n++] = step;
  return QRPAY_CLAIM_FIRST_USE;
}

static void test_paycode(void) {
  uint8_t key[32];
  char code[32];
  size_t n = 0;
  const size_t sentinel = 4242;
  const uint64_t t = 1700000000u;
  store st;
  qrpay_paycode_result r, keep;
  memset(key, 0x42, sizeof key);
  memset(&st, 0, sizeof st);

  /* Expected codes computed independently (Python hmac: HMAC-SHA-256 over the 8-byte step
   * 56666666, prefix and index digits; RFC 4226 truncation; 8 digits). */
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, key, sizeof key, 123456, t, OUT(code), sizeof code, &n) == QRPAY_OK);
  CHECK(eq(code, n, "6200012345644747350"));
  CHECK(qrpay_paycode_generate(U8("99"), 2, key, sizeof key, 42, t, OUT(code), sizeof code, &n) == QRPAY_OK);
  CHECK(eq(code, n, "9900000004225609323"));
  /* Recognised as a payment code by the inspect JSON. */
  {
    char js[4096];
    size_t jn = 0;
    CHECK(qrpay_inspect_json(U8("6200012345644747350"), 19, OUT(js), sizeof js, &jn) == QRPAY_OK);
    CHECK(contains(js, jn, "\"kind\":\"paycode\""));
  }

  /* Verify once: accepted; again: replayed (through the callback). */
  memset(&r, 0xAB, sizeof r);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("6200012345644747350"), 19, t + 10, 1, 0, claim, &st,
                             &r) == QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_ACCEPTED && r.index == 123456 && r.step == t / 30);
  CHECK(st.calls == 1 && st.n == 1 && st.index[0] == 123456);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("6200012345644747350"), 19, t + 11, 1, 0, claim, &st,
                             &r) == QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_REPLAYED && r.index == 123456 && st.calls == 2);
  /* A wrong digit: mismatch, the store is not asked. */
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("6200012345644747351"), 19, t, 1, 0, claim, &st, &r) ==
        QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_MISMATCH && st.calls == 2);
  /* Five steps later with one step of grace: expired. */
  CHECK(qrpay_paycode_verify(U8("99"), 2, key, sizeof key, U8("9900000004225609323"), 19, t + 150, 1, 0, claim, &st, &r) ==
        QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_EXPIRED && r.index == 42 && st.calls == 2);
  /* ... but within a wider window, accepted. */
  CHECK(qrpay_paycode_verify(U8("99"), 2, key, sizeof key, U8("9900000004225609323"), 19, t + 150, 6, 0, claim, &st, &r) ==
        QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_ACCEPTED && r.index == 42);
  /* Not a code of the layout. */
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("12345"), 5, t, 1, 0, claim, &st, &r) == QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_MALFORMED);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("9900000004225609323"), 19, t, 1, 0, claim, &st, &r) ==
        QRPAY_OK);
  CHECK(r.verdict == QRPAY_PAYCODE_MALFORMED);
  /* The store fails: an error status, nothing written. */
  {
    store bad;
    memset(&bad, 0, sizeof bad);
    bad.fail = 1;
    memset(&keep, 0x5A, sizeof keep);
    r = keep;
    CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("6200012345644747350"), 19, t, 1, 0, claim, &bad,
                               &r) == QRPAY_REPLAY_STORE_ERROR);
    CHECK(memcmp(&r, &keep, sizeof r) == 0 && bad.calls == 1);
  }

  /* Argument errors. */
  n = sentinel;
  CHECK(qrpay_paycode_generate(U8("zelle"), 5, key, sizeof key, 1, t, OUT(code), sizeof code, &n) == QRPAY_PAYCODE_LAYOUT);
  CHECK(qrpay_paycode_generate(U8("12345"), 5, key, sizeof key, 1, t, OUT(code), sizeof code, &n) == QRPAY_PAYCODE_LAYOUT);
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, key, 15, 1, t, OUT(code), sizeof code, &n) == QRPAY_INVALID_ARGUMENT);
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, key, sizeof key, 1000000000u, t, OUT(code), sizeof code, &n) ==
        QRPAY_INVALID_ARGUMENT);
  CHECK(qrpay_paycode_generate(NULL, 8, key, sizeof key, 1, t, OUT(code), sizeof code, &n) == QRPAY_NULL_POINTER);
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, NULL, 32, 1, t, OUT(code), sizeof code, &n) == QRPAY_NULL_POINTER);
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, key, sizeof key, 1, t, OUT(code), sizeof code, NULL) == QRPAY_NULL_POINTER);
  CHECK(n == sentinel);
  memset(code, 'Z', sizeof code);
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, key, sizeof key, 1, t, OUT(code), 18, &n) == QRPAY_BUFFER_TOO_SMALL &&
        n == 19 && code[0] == 'Z');
  CHECK(qrpay_paycode_generate(U8("unionpay"), 8, key, sizeof key, 1, t, NULL, 0, &n) == QRPAY_BUFFER_TOO_SMALL && n == 19);
  memset(&keep, 0x5A, sizeof keep);
  r = keep;
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("6200012345644747350"), 19, t, 1, 0, NULL, &st, &r) ==
        QRPAY_NULL_POINTER);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("6200012345644747350"), 19, t, 1, 0, claim, &st, NULL) ==
        QRPAY_NULL_POINTER);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, NULL, 19, t, 1, 0, claim, &st, &r) == QRPAY_NULL_POINTER);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, 8, U8("6200012345644747350"), 19, t, 1, 0, claim, &st, &r) ==
        QRPAY_INVALID_ARGUMENT);
  CHECK(qrpay_paycode_verify(U8("nope"), 4, key, sizeof key, U8("6200012345644747350"), 19, t, 1, 0, claim, &st, &r) ==
        QRPAY_PAYCODE_LAYOUT);
  CHECK(qrpay_paycode_verify(U8("unionpay"), 8, key, sizeof key, U8("62\xff"), 3, t, 1, 0, claim, &st, &r) ==
        QRPAY_INVALID_UTF8);
  CHECK(memcmp(&r, &keep, sizeof r) == 0);
}

/* Draws a module matrix as a luma frame: `px` pixels per module, 0 dark, 255 light, rows
 * `stride` bytes apart (padding bytes set to 77, which the scanner must not read as pixels). */
static uint8_t *to_luma(const uint8_t *m, size_t side, size_t px, size_t stride) {
  size_t w = side * px, x, y;
  uint8_t *img = (uint8_t *)malloc(stride * w);
  if (!img) return NULL;
  memset(img, 77, stride * w);
  for (y = 0; y < w; y++)
    for (x = 0; x < w; x++) img[y * stride + x] = m[(y / px) * side + x / px] ? 0 : 255;
  return img;
}

static void test_render_scan(void) {
  uint8_t *m = NULL, *img = NULL;
  size_t n = 0, side = 0, need = 0, mneed = 0, keep_side = 999;
  const size_t sentinel = 4242;
  char out[8192];
  qrpay_status s;

  /* Size query, then the matrix. The CN payload has bytes outside 0x20-0x7E, so one byte-mode
   * segment with ECI 26: 260 bytes + 4 bytes of headers = 264 codewords at level M, over
   * version 11-M's 254 and within 12-M's 290 (ISO/IEC 18004 Table 7): version 12, 65 modules. */
  s = qrpay_render_matrix(U8(CN), strlen(CN), 4, NULL, 0, &need, &keep_side);
  CHECK(s == QRPAY_BUFFER_TOO_SMALL && keep_side == 999);
  m = (uint8_t *)malloc(need);
  CHECK(m != NULL);
  if (!m) return;
  CHECK(qrpay_render_matrix(U8(CN), strlen(CN), 4, m, need, &n, &side) == QRPAY_OK && n == need);
  CHECK(side * side == n && side == 17 + 4 * 12 + 8);
  mneed = need;
  {
    /* Quiet zone light; finder pattern: a 7x7 dark ring at the top-left corner of the symbol. */
    size_t i, dark = 0, quiet_dark = 0;
    for (i = 0; i < n; i++) {
      size_t x = i % side, y = i / side;
      CHECK(m[i] == 0 || m[i] == 1);
      dark += m[i];
      if (x < 4 || y < 4 || x >= side - 4 || y >= side - 4) quiet_dark += m[i];
    }
    CHECK(quiet_dark == 0 && dark > n / 4);
    for (i = 0; i < 7; i++) {
      CHECK(m[4 * side + 4 + i] == 1 && m[(4 + 6) * side + 4 + i] == 1);
      CHECK(m[(4 + i) * side + 4] == 1 && m[(4 + i) * side + 4 + 6] == 1);
    }
    CHECK(m[5 * side + 5] == 0 && m[6 * side + 6] == 1);
  }
  /* Without quiet zone: 8 modules narrower, the same symbol. */
  {
    uint8_t bare[65 * 65];
    size_t bn = 0, bs = 0, y;
    CHECK(qrpay_render_matrix(U8(CN), strlen(CN), 0, bare, sizeof bare, &bn, &bs) == QRPAY_OK && bs == side - 8);
    for (y = 0; y < bs; y++) CHECK(memcmp(bare + y * bs, m + (y + 4) * side + 4, bs) == 0);
  }

  /* Render -> scan round trip through the C API, with a padded stride. */
  img = to_luma(m, side, 4, side * 4 + 13);
  CHECK(img != NULL);
  if (img) {
    size_t w = side * 4;
    mj_value v;
    CHECK(qrpay_scan_first(img, w, w, side * 4 + 13, OUT(out), sizeof out, &n) == QRPAY_OK);
    CHECK(eq(out, n, CN));
    CHECK(qrpay_scan_json(img, w, w, side * 4 + 13, OUT(out), sizeof out, &n) == QRPAY_OK);
    CHECK(mj_parse(out, n, &v) == 0);
    CHECK(v.type == MJ_ARR && v.n == 1);
    if (v.type == MJ_ARR && v.n == 1) {
      const mj_value *c = &v.items[0], *corners = mj_get(c, "corners");
      CHECK(mj_str(c, "payload") && strcmp(mj_str(c, "payload"), CN) == 0);
      CHECK(mj_str(c, "kind") && strcmp(mj_str(c, "kind"), "emv-mpm") == 0);
      CHECK(mj_str(c, "verdict") && strcmp(mj_str(c, "verdict"), "intact") == 0);
      CHECK(mj_str(c, "backend") != NULL);
      CHECK(corners && corners->type == MJ_ARR && corners->n == 4);
      /* The top-left corner is at the quiet zone's edge: 16 px in. */
      if (corners && corners->n == 4 && corners->items[0].n == 2) {
        CHECK(corners->items[0].items[0].num > 12 && corners->items[0].items[0].num < 20);
        CHECK(corners->items[0].items[1].num > 12 && corners->items[0].items[1].num < 20);
      }
    }
    mj_free(&v);
    /* Buffer too small, size query. */
    memset(out, 'Z', 4);
    CHECK(qrpay_scan_json(img, w, w, side * 4 + 13, OUT(out), 4, &need) == QRPAY_BUFFER_TOO_SMALL && need == n &&
          out[0] == 'Z');
    CHECK(qrpay_scan_first(img, w, w, side * 4 + 13, NULL, 0, &need) == QRPAY_BUFFER_TOO_SMALL && need == strlen(CN));
    /* Frame errors. */
    n = sentinel;
    CHECK(qrpay_scan_json(img, 0, w, w, OUT(out), sizeof out, &n) == QRPAY_SCAN_FRAME);
    CHECK(qrpay_scan_json(img, w, 0, w, OUT(out), sizeof out, &n) == QRPAY_SCAN_FRAME);
    CHECK(qrpay_scan_json(img, w, w, w - 1, OUT(out), sizeof out, &n) == QRPAY_SCAN_FRAME);
    CHECK(qrpay_scan_json(img, 20000, 1, 20000, OUT(out), sizeof out, &n) == QRPAY_SCAN_FRAME);
    CHECK(qrpay_scan_json(img, 2, 3, SIZE_MAX, OUT(out), sizeof out, &n) == QRPAY_SCAN_FRAME);
    CHECK(qrpay_scan_json(NULL, w, w, w, OUT(out), sizeof out, &n) == QRPAY_NULL_POINTER);
    CHECK(qrpay_scan_json(img, w, w, w, OUT(out), sizeof out, NULL) == QRPAY_NULL_POINTER);
    CHECK(n == sentinel);
    free(img);
  }
  /* A blank frame: no code, OK with an empty array; NOT_FOUND for the first payload. */
  {
    uint8_t blank[64 * 64];
    memset(blank, 255, sizeof blank);
    CHECK(qrpay_scan_json(blank, 64, 64, 64, OUT(out), sizeof out, &n) == QRPAY_OK && eq(out, n, "[]"));
    n = sentinel;
    CHECK(qrpay_scan_first(blank, 64, 64, 64, OUT(out), sizeof out, &n) == QRPAY_NOT_FOUND && n == sentinel);
  }

  /* Matrix conventions. */
  n = sentinel;
  side = 999;
  CHECK(qrpay_render_matrix(U8(CN), strlen(CN), 4, m, 10, &n, &side) == QRPAY_BUFFER_TOO_SMALL && n == mneed && side == 999);
  CHECK(qrpay_render_matrix(U8(CN), strlen(CN), 65, m, mneed, &n, &side) == QRPAY_INVALID_ARGUMENT);
  CHECK(qrpay_render_matrix(NULL, 3, 4, m, mneed, &n, &side) == QRPAY_NULL_POINTER);
  CHECK(qrpay_render_matrix(U8(CN), strlen(CN), 4, m, mneed, &n, NULL) == QRPAY_NULL_POINTER);
  CHECK(qrpay_render_matrix(U8(CN), strlen(CN), 4, m, mneed, NULL, &side) == QRPAY_NULL_POINTER);
  CHECK(qrpay_render_matrix(U8("\xc0\x80"), 2, 4, m, mneed, &n, &side) == QRPAY_INVALID_UTF8);
  CHECK(n == mneed && side == 999);
  free(m);
  {
    /* 3500 capital letters: over version 40-M's alphanumeric capacity of 3391 characters
     * (ISO/IEC 18004 Table 7), so no symbol at level M holds them. */
    size_t big = 3500;
    char *t = (char *)malloc(big);
    CHECK(t != NULL);
    if (t) {
      memset(t, 'A', big);
      CHECK(qrpay_render_matrix(U8(t), big, 4, NULL, 0, &n, &side) == QRPAY_RENDER_TOO_LONG);
      CHECK(qrpay_render_svg(U8(t), big, 4, 4, NULL, 0, &n) == QRPAY_RENDER_TOO_LONG);
      free(t);
    }
  }

  /* SVG: an XML document with one path; module size checked. */
  {
    char *svg;
    CHECK(qrpay_render_svg(U8(CN), strlen(CN), 8, 4, NULL, 0, &need) == QRPAY_BUFFER_TOO_SMALL);
    svg = (char *)malloc(need);
    CHECK(svg != NULL);
    if (svg) {
      CHECK(qrpay_render_svg(U8(CN), strlen(CN), 8, 4, OUT(svg), need, &n) == QRPAY_OK && n == need);
      CHECK(n > 5 && memcmp(svg, "<?xml", 5) == 0 && contains(svg, n, "viewBox=\"0 0 73 73\""));
      CHECK(contains(svg, n, "width=\"584\"")); /* 73 modules x 8 */
      CHECK(contains(svg, n, "</svg>"));
      free(svg);
    }
    n = sentinel;
    CHECK(qrpay_render_svg(U8(CN), strlen(CN), 0, 4, OUT(out), sizeof out, &n) == QRPAY_RENDER_SIZE);
    CHECK(qrpay_render_svg(U8(CN), strlen(CN), 1000, 4, OUT(out), sizeof out, &n) == QRPAY_RENDER_SIZE);
    CHECK(qrpay_render_svg(U8(CN), strlen(CN), 8, 65, OUT(out), sizeof out, &n) == QRPAY_INVALID_ARGUMENT);
    CHECK(qrpay_render_svg(U8(CN), strlen(CN), 8, 4, NULL, 10, &n) == QRPAY_NULL_POINTER);
    CHECK(n == sentinel);
  }
}

int main(void) {
  test_version();
  test_status();
  test_inspect_conventions();
  test_mpm();
  test_mpm_parse_into();
  test_build();
  test_cpm();
  test_route();
  test_paycode();
  test_render_scan();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
