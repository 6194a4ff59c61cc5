/* Wallet example: scans a camera frame, says what the code is, who is paid and how much, and
 * picks the network this wallet pays through.
 *
 * The frame is a binary PGM file (P5, 8-bit grey, as `convert photo.jpg frame.pgm` makes), or,
 * when the argument is not a .pgm file, a payload text that the example first draws into an
 * in-memory frame (4 pixels a module), as a phone camera would see it on a merchant's stand.
 * `--save FILE.pgm` writes that frame out.
 *
 * Build (after `cargo build -p qrpay-ffi --release`), from the repository root:
 *   cc -std=c99 -Wall -Iffi/include ffi/examples/wallet_scan.c target/release/libqrpay.a -lpthread -ldl -lm -o wallet_scan
 * or `make -C ffi examples`. Run: ./wallet_scan frame.pgm, or ./wallet_scan '000201...6304XXXX'.
 * Exit status: 0 paid through a network, 1 not payable (broken, or no network taken), 2 errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qrpay.h"

/* The networks this wallet pays through, in order of preference. */
static const char *const NETWORKS[] = {"upi", "unionpay", "alipay", "promptpay", "visa", "mastercard"};

typedef struct {
  uint8_t *px;
  size_t width, height;
} frame;

static int contains(const uint8_t *hay, size_t n, const char *needle) {
  size_t k = strlen(needle), i;
  for (i = 0; i + k <= n; i++)
    if (memcmp(hay + i, needle, k) == 0) return 1;
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Reads a binary PGM (P5, maxval <= 255; comments allowed in the header). */
static int read_pgm(const char *path, frame *f) {
  FILE *in = fopen(path, "rb");
  unsigned long v[3];
  int i, c;
  if (!in) return -1;
  if (fgetc(in) != 'P' || fgetc(in) != '5') goto bad;
  for (i = 0; i < 3; i++) {
    while ((c = fgetc(in)) == '#' || c == ' ' || c == '\t' || c == '\r' || c == '\n')
      if (c == '#')
        while ((c = fgetc(in)) != '\n' && c != EOF) {
        }
    if (c < '0' || c > '9') goto bad;
    v[i] = 0;
    while (c >= '0' && c <= '9' && v[i] < 100000) {
      v[i] = v[i] * 10 + (unsigned long)(c - '0');
      c = fgetc(in);
    }
  }
  if (v[0] == 0 || v[1] == 0 || v[0] > 16384 || v[1] > 16384 || v[2] == 0 || v[2] > 255) goto bad;
  f->width = v[0];
  f->height = v[1];
  f->px = (uint8_t *)malloc(f->width * f->height);
  if (!f->px || fread(f->px, 1, f->width * f->height, in) != f->width * f->height) {
    free(f->px);
    goto bad;
  }
  fclose(in);
  return 0;
bad:
  fclose(in);
  return -1;
}

/* Draws a payload into a frame: the module matrix with a 4-module quiet zone, 4 px a module. */
static qrpay_status draw(const char *text, frame *f) {
  size_t need = 0, n = 0, side = 0, x, y;
  const size_t px = 4;
  uint8_t *m;
  qrpay_status s = qrpay_render_matrix((const uint8_t *)text, strlen(text), 4, NULL, 0, &need, &side);
  if (s != QRPAY_BUFFER_TOO_SMALL) return s;
  m = (uint8_t *)malloc(need);
  if (!m) return QRPAY_PANIC;
  s = qrpay_render_matrix((const uint8_t *)text, strlen(text), 4, m, need, &n, &side);
  if (s == QRPAY_OK) {
    f->width = f->height = side * px;
    f->px = (uint8_t *)malloc(f->width * f->height);
    if (!f->px) s = QRPAY_PANIC;
    else
      for (y = 0; y < f->height; y++)
        for (x = 0; x < f->width; x++) f->px[y * f->width + x] = m[(y / px) * side + x / px] ? 0 : 255;
  }
  free(m);
  return s;
}

static void field(const qrpay_mpm *m, const char *label,
                  qrpay_status (*get)(const qrpay_mpm *, uint8_t *, size_t, size_t *)) {
  char buf[128];
  size_t n = 0;
  if (get(m, (uint8_t *)buf, sizeof buf, &n) == QRPAY_OK) printf("%-10s %.*s\n", label, (int)n, buf);
}

/* Says what the payload is; returns 0 when it may be paid, 1 when broken. */
static int describe(const char *text, size_t len) {
  qrpay_mpm *m = NULL;
  qrpay_status s = qrpay_mpm_parse((const uint8_t *)text, len, &m);
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
    if (qrpay_inspect_json((const uint8_t *)text, len, NULL, 0, &n) != QRPAY_BUFFER_TOO_SMALL) return 2;
    json = (uint8_t *)malloc(n);
    if (!json) return 2;
    s = qrpay_inspect_json((const uint8_t *)text, len, json, n, &n);
    if (s == QRPAY_OK) printf("%-10s %.*s\n", "inspect", (int)n, (const char *)json);
    free(json);
    return s == QRPAY_OK ? 0 : 2;
  }
  fprintf(stderr, "wallet_scan: %s\n", qrpay_status_message(s));
  return 2;
}

/* Routes the payload for NETWORKS and prints the decision; 0 when a network is chosen. */
static int route(const char *text, size_t len) {
  const size_t count = sizeof NETWORKS / sizeof NETWORKS[0];
  const uint8_t *ids[sizeof NETWORKS / sizeof NETWORKS[0]];
  size_t lens[sizeof NETWORKS / sizeof NETWORKS[0]], i, n = 0;
  uint8_t decision[8192];
  qrpay_directory *dir = NULL;
  qrpay_status s;
  for (i = 0; i < count; i++) {
    ids[i] = (const uint8_t *)NETWORKS[i];
    lens[i] = strlen(NETWORKS[i]);
  }
  s = qrpay_directory_new_builtin(&dir);
  if (s == QRPAY_OK)
    s = qrpay_route_schemes(dir, (const uint8_t *)text, len, ids, lens, count, 0, 0, decision, sizeof decision, &n);
  qrpay_directory_free(dir);
  if (s != QRPAY_OK) {
    fprintf(stderr, "wallet_scan: route: %s\n", qrpay_status_message(s));
    return 2;
  }
  printf("%-10s %.*s\n", "route", (int)n, (const char *)decision);
  return contains(decision, n, "\"chosen\":null") ? 1 : 0;
}

int main(int argc, char **argv) {
  char line[4400], *text = NULL;
  const char *arg = NULL, *save = NULL;
  frame f = {NULL, 0, 0};
  size_t n = 0, cap = 0;
  qrpay_status s;
  int i, rc;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--save") == 0 && i + 1 < argc) save = argv[++i];
    else arg = argv[i];
  }
  if (!arg) {
    if (!fgets(line, sizeof line, stdin)) return 2;
    line[strcspn(line, "\r\n")] = '\0';
    arg = line;
  }
  if (ends_with(arg, ".pgm")) {
    if (read_pgm(arg, &f) != 0) {
      fprintf(stderr, "wallet_scan: %s: not a readable binary PGM\n", arg);
      return 2;
    }
  } else if ((s = draw(arg, &f)) != QRPAY_OK) {
    /* QRPAY_UNSUPPORTED when the library was built without the `image` feature. */
    fprintf(stderr, "wallet_scan: render: %s\n", qrpay_status_message(s));
    return 2;
  }
  if (save) {
    FILE *out = fopen(save, "wb");
    if (!out || fprintf(out, "P5\n%zu %zu\n255\n", f.width, f.height) < 0 ||
        fwrite(f.px, 1, f.width * f.height, out) != f.width * f.height) {
      fprintf(stderr, "wallet_scan: cannot write %s\n", save);
      if (out) fclose(out);
      free(f.px);
      return 2;
    }
    fclose(out);
  }

  /* The camera's part: find the code in the frame (stride = width here). */
  s = qrpay_scan_first(f.px, f.width, f.height, f.width, NULL, 0, &cap);
  if (s == QRPAY_BUFFER_TOO_SMALL && (text = (char *)malloc(cap)) != NULL)
    s = qrpay_scan_first(f.px, f.width, f.height, f.width, (uint8_t *)text, cap, &n);
  free(f.px);
  if (s != QRPAY_OK) {
    fprintf(stderr, "wallet_scan: %s\n", s == QRPAY_NOT_FOUND ? "no QR code in the frame" : qrpay_status_message(s));
    free(text);
    return 2;
  }
  printf("%-10s %.*s\n", "scanned", (int)n, text);
  rc = describe(text, n);
  if (rc == 0) rc = route(text, n);
  free(text);
  return rc;
}
