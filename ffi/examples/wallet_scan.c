/* Wallet example: takes a payload as a scanner would read it (argument, or one line on
 * standard input) and says what it is, who is paid, and how much.
 *
 * For now the payload comes as text: decoding a camera image is a later part of the C API
 * (the `scan` feature); it will hand this same text to the calls below.
 *
 * Build (after `cargo build -p qrpay-ffi --release`), from the repository root:
 *   cc -std=c99 -Wall -Iffi/include ffi/examples/wallet_scan.c target/release/libqrpay.a -lpthread -ldl -lm -o wallet_scan
 * or `make -C ffi examples`. Run: ./wallet_scan '000201...6304XXXX' */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qrpay.h"

static void field(const qrpay_mpm *m, const char *label,
                  qrpay_status (*get)(const qrpay_mpm *, uint8_t *, size_t, size_t *)) {
  char buf[128];
  size_t n = 0;
  if (get(m, (uint8_t *)buf, sizeof buf, &n) == QRPAY_OK) printf("%-10s %.*s\n", label, (int)n, buf);
}

int main(int argc, char **argv) {
  char line[4400];
  const char *text = argc > 1 ? argv[1] : NULL;
  qrpay_mpm *m = NULL;
  qrpay_status s;
  if (!text) {
    if (!fgets(line, sizeof line, stdin)) return 2;
    line[strcspn(line, "\r\n")] = '\0';
    text = line;
  }
  s = qrpay_mpm_parse((const uint8_t *)text, strlen(text), &m);
  if (s == QRPAY_OK) {
    size_t count = 0, i, n = 0;
    char buf[128];
    bool intact = false, valid = false;
    printf("%-10s %s\n", "kind", "EMV merchant-presented");
    if (qrpay_mpm_scheme_count(m, &count) == QRPAY_OK)
      for (i = 0; i < count; i++)
        if (qrpay_mpm_scheme(m, i, (uint8_t *)buf, sizeof buf, &n) == QRPAY_OK) printf("%-10s %.*s\n", "scheme", (int)n, buf);
    field(m, "payee", qrpay_mpm_merchant_name);
    field(m, "city", qrpay_mpm_merchant_city);
    field(m, "amount", qrpay_mpm_amount);
    field(m, "currency", qrpay_mpm_currency_alpha);
    qrpay_mpm_is_intact(m, &intact);
    qrpay_mpm_is_valid(m, &valid);
    printf("%-10s %s, %s\n", "status", intact ? "intact" : "BROKEN (do not pay)", valid ? "valid" : "deviates from the spec");
    if (qrpay_mpm_issue_count(m, &count) == QRPAY_OK)
      for (i = 0; i < count; i++)
        if (qrpay_mpm_issue_message(m, i, (uint8_t *)buf, sizeof buf, &n) == QRPAY_OK) printf("%-10s %.*s\n", "issue", (int)n, buf);
    qrpay_mpm_free(m);
    return intact ? 0 : 1;
  }
  if (s == QRPAY_NOT_MPM) {
    /* UPI, EPC, Swiss QR-bill, wallet URLs, paycodes: the inspect JSON says it all. */
    size_t n = 0;
    uint8_t *json;
    if (qrpay_inspect_json((const uint8_t *)text, strlen(text), NULL, 0, &n) != QRPAY_BUFFER_TOO_SMALL) return 2;
    json = (uint8_t *)malloc(n);
    if (!json) return 2;
    s = qrpay_inspect_json((const uint8_t *)text, strlen(text), json, n, &n);
    if (s == QRPAY_OK) printf("%.*s\n", (int)n, (const char *)json);
    free(json);
    return s == QRPAY_OK ? 0 : 2;
  }
  fprintf(stderr, "wallet_scan: %s\n", qrpay_status_message(s));
  return 2;
}
