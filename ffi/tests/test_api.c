/* Tests of the C API's conventions and entry points: version macros against the library,
 * status messages, NULL pointers, buffer too small (size reported, buffer untouched),
 * invalid UTF-8, unknown flags, the MPM handle and its getters, building from JSON, CPM
 * application selection. Prints `N passed, M failed`. */
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
                          QRPAY_NOT_MPM, QRPAY_INVALID_JSON, QRPAY_BUILD_ERROR, QRPAY_PANIC};
  size_t i;
  /* Fixed numbers: changing one breaks every compiled caller. */
  CHECK(QRPAY_NULL_POINTER == 100 && QRPAY_INVALID_UTF8 == 101 && QRPAY_BUFFER_TOO_SMALL == 102 &&
        QRPAY_INVALID_ARGUMENT == 103 && QRPAY_INDEX_OUT_OF_RANGE == 104 && QRPAY_NOT_FOUND == 200 &&
        QRPAY_NOT_MPM == 201 && QRPAY_INVALID_JSON == 300 && QRPAY_BUILD_ERROR == 301 && QRPAY_PANIC == 900);
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

int main(void) {
  test_version();
  test_status();
  test_inspect_conventions();
  test_mpm();
  test_build();
  test_cpm();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
