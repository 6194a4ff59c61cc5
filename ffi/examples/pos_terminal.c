/* POS terminal example: shows a dynamic merchant-presented code for an amount, then reads a
 * consumer-presented code (CPM) and selects the application the terminal supports.
 *
 * Build (after `cargo build -p qrpay-ffi --release`), from the repository root:
 *   cc -std=c99 -Wall -Iffi/include ffi/examples/pos_terminal.c target/release/libqrpay.a -lpthread -ldl -lm -o pos_terminal
 * or `make -C ffi examples`. Run: ./pos_terminal 12.50 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qrpay.h"

/* Calls f twice when needed: first into a stack buffer, then into one of the size reported. */
static int show(const char *what, qrpay_status s, const uint8_t *buf, size_t n) {
  if (s != QRPAY_OK) {
    fprintf(stderr, "%s: %s\n", what, qrpay_status_message(s));
    return 1;
  }
  printf("%s: %.*s\n", what, (int)n, (const char *)buf);
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

  /* 2. A consumer shows a CPM code (EMV CPM Annex B style, two applications). The terminal
   *    supports two AIDs and prefers its own order. */
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
