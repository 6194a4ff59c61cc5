/* POS terminal example: shows a dynamic merchant-presented code for an amount (printed as a QR
 * code in the terminal from the module matrix), then reads consumer-presented codes: a
 * one-time payment code, routed with the acquirer's profile, and an EMV CPM code, whose
 * application the terminal selects.
 *
 * Build (after `cargo build -p qrpay-ffi --release`), from the repository root:
 *   cc -std=c99 -Wall -Iffi/include ffi/examples/pos_terminal.c target/release/libqrpay.a -lpthread -ldl -lm -o pos_terminal
 * or `make -C ffi examples`. Run: ./pos_terminal 12.50 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qrpay.h"

static int show(const char *what, qrpay_status s, const uint8_t *buf, size_t n) {
  if (s != QRPAY_OK) {
    fprintf(stderr, "%s: %s\n", what, qrpay_status_message(s));
    return 1;
  }
  printf("%s: %.*s\n", what, (int)n, (const char *)buf);
  return 0;
}

/* Prints a payload as a QR code with two text rows per line (upper and lower half blocks),
 * dark modules as spaces on a light background, so it scans from a dark-on-light terminal
 * and from the usual light-on-dark one alike. */
static int print_qr(const uint8_t *payload, size_t len) {
  size_t need = 0, n = 0, side = 0, x, y;
  uint8_t *m;
  qrpay_status s = qrpay_render_matrix(payload, len, 2, NULL, 0, &need, &side);
  if (s != QRPAY_BUFFER_TOO_SMALL) return show("render", s, NULL, 0);
  m = (uint8_t *)malloc(need);
  if (!m) return 1;
  s = qrpay_render_matrix(payload, len, 2, m, need, &n, &side);
  if (s != QRPAY_OK) {
    free(m);
    return show("render", s, NULL, 0);
  }
  for (y = 0; y < side; y += 2) {
    for (x = 0; x < side; x++) {
      int top = m[y * side + x], bottom = y + 1 < side ? m[(y + 1) * side + x] : 0;
      /* Light modules are drawn: a full block, an upper half, a lower half, or a space. */
      fputs(!top && !bottom ? "\xe2\x96\x88" : !top ? "\xe2\x96\x80" : !bottom ? "\xe2\x96\x84" : " ", stdout);
    }
    putchar('\n');
  }
  free(m);
  return 0;
}

int main(int argc, char **argv) {
  const char *amount = argc > 1 ? argv[1] : "12.50";
  char desc[1024];
  uint8_t payload[512]; /* an MPM payload is at most 512 characters */
  size_t n = 0;
  qrpay_status s;

  /* 1. The merchant's dynamic code: static data from the terminal's configuration, the
   *    amount of this sale. */
  snprintf(desc, sizeof desc,
           "{\"mcc\":\"5812\",\"currency\":\"THB\",\"country\":\"TH\","
           "\"merchant_name\":\"SOMCHAI SHOP\",\"merchant_city\":\"BANGKOK\","
           "\"initiation\":\"dynamic\",\"amount\":\"%s\","
           "\"accounts\":[{\"id\":29,\"guid\":\"A000000677010111\",\"fields\":{\"01\":\"0066812345678\"}}],"
           "\"additional\":{\"07\":\"T1\"}}",
           amount);
  s = qrpay_mpm_build_json((const uint8_t *)desc, strlen(desc), payload, sizeof payload, &n);
  if (s == QRPAY_BUILD_ERROR) {
    char why[256];
    size_t wn = 0;
    if (qrpay_mpm_build_json_error((const uint8_t *)desc, strlen(desc), (uint8_t *)why, sizeof why, &wn) == QRPAY_OK)
      fprintf(stderr, "refused: %.*s\n", (int)wn, why);
    return 1;
  }
  if (show("merchant code", s, payload, n)) return 1;
  /* QRPAY_UNSUPPORTED when the library was built without the `image` feature. */
  if (print_qr(payload, n)) return 1;

  /* 2. A customer shows a one-time payment code instead (here made on the spot, as a UnionPay
   *    wallet would on the phone). The acquirer forwards to WeChat Pay, Alipay and UnionPay. */
  {
    static const uint8_t device_key[32] = {0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
                                           0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
                                           0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42};
    static const char acquirer[] =
        "{\"name\":\"th-acquirer\",\"role\":\"acquirer\",\"accept\":[\"wechatpay\",\"alipay\",\"unionpay\"]}";
    uint8_t code[32], decision[4096];
    qrpay_directory *dir = NULL;
    int rc;
    s = qrpay_paycode_generate((const uint8_t *)"unionpay", 8, device_key, sizeof device_key, 123456, 1700000000u,
                               code, sizeof code, &n);
    if (show("consumer code", s, code, n)) return 1;
    s = qrpay_directory_new_builtin(&dir);
    if (s != QRPAY_OK) return show("directory", s, NULL, 0);
    s = qrpay_route(dir, code, n, (const uint8_t *)acquirer, strlen(acquirer), decision, sizeof decision, &n);
    rc = show("route", s, decision, n);
    qrpay_directory_free(dir);
    if (rc) return rc;
  }

  /* 3. Or an EMV CPM code (EMV CPM Annex B style, two applications). The terminal supports
   *    two AIDs and prefers its own order. */
  {
    static const char consumer[] =
        "hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1W"
        "Xy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==";
    static const uint8_t aid_a[] = {0xA0, 0x00, 0x00, 0x00, 0x66, 0x66, 0x66};
    static const uint8_t aid_b[] = {0xA0, 0x00, 0x00, 0x00, 0x55, 0x55, 0x55};
    const uint8_t *aids[] = {aid_a, aid_b};
    const size_t lens[] = {sizeof aid_a, sizeof aid_b};
    uint8_t *json;
    int rc;
    /* Ask for the size first (out NULL, capacity 0), then allocate exactly. */
    s = qrpay_cpm_select((const uint8_t *)consumer, strlen(consumer), aids, lens, 2,
                         QRPAY_FLAG_PREFER_CONFIGURED, NULL, 0, &n);
    if (s != QRPAY_BUFFER_TOO_SMALL) return show("selection", s, NULL, 0);
    json = (uint8_t *)malloc(n);
    if (!json) return 1;
    s = qrpay_cpm_select((const uint8_t *)consumer, strlen(consumer), aids, lens, 2,
                         QRPAY_FLAG_PREFER_CONFIGURED, json, n, &n);
    rc = show("selection", s, json, n);
    free(json);
    return rc;
  }
}
