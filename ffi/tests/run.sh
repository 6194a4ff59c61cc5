#!/usr/bin/env bash
# Builds libqrpay (release), then compiles and runs the C tests three ways: under
# AddressSanitizer + UndefinedBehaviorSanitizer, and without sanitizers under valgrind
# (leaks and memory errors fail the run; valgrind.supp names the one process-wide table
# rxing keeps). Also compiles the C examples and runs them once.
# Run from anywhere: ffi/tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q -p qrpay-ffi --release
lib=target/release/libqrpay.a
out=target/ffi-tests
mkdir -p "$out"
CC=${CC:-gcc}
CFLAGS=(-std=c99 -Wall -Wextra -Wpedantic -Werror -g -Iffi/include)
LIBS=(-lpthread -ldl -lm)

for t in test_api test_vectors; do
  "$CC" "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    "ffi/tests/$t.c" "$lib" "${LIBS[@]}" -o "$out/$t.asan"
  "$CC" "${CFLAGS[@]}" -O1 "ffi/tests/$t.c" "$lib" "${LIBS[@]}" -o "$out/$t"
done
for e in pos_terminal wallet_scan; do
  "$CC" "${CFLAGS[@]}" -O1 "ffi/examples/$e.c" "$lib" "${LIBS[@]}" -o "$out/$e"
done

echo "== C API tests (ASan+UBSan)"
"$out/test_api.asan"
echo "== spec vectors through qrpay_inspect_json (ASan+UBSan)"
"$out/test_vectors.asan" spec/vectors | tail -1
echo "== C API tests (valgrind)"
valgrind -q --suppressions=ffi/tests/valgrind.supp --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=1 "$out/test_api"
echo "== spec vectors (valgrind)"
valgrind -q --suppressions=ffi/tests/valgrind.supp --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=1 \
  "$out/test_vectors" spec/vectors | tail -1
echo "== examples (valgrind)"
valgrind -q --suppressions=ffi/tests/valgrind.supp --leak-check=full --error-exitcode=1 "$out/pos_terminal" 1500.00 > "$out/pos_terminal.txt"
grep -q '^route: .*"chosen":"unionpay"' "$out/pos_terminal.txt"
grep -q '"label":"Product2"' "$out/pos_terminal.txt"
cn='00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A'
# Rendered in memory, scanned, routed (a UnionPay code for a wallet taking UnionPay), and the
# frame saved as PGM and read back.
valgrind -q --suppressions=ffi/tests/valgrind.supp --leak-check=full --error-exitcode=1 "$out/wallet_scan" --save "$out/cn.pgm" "$cn" > "$out/wallet_cn.txt"
grep -q '"chosen":"unionpay"' "$out/wallet_cn.txt"
valgrind -q --suppressions=ffi/tests/valgrind.supp --leak-check=full --error-exitcode=1 "$out/wallet_scan" "$out/cn.pgm" | grep -q '^payee      BEST TRANSPORT$'
valgrind -q --suppressions=ffi/tests/valgrind.supp --leak-check=full --error-exitcode=1 "$out/wallet_scan" 'upi://pay?pa=shop@okbank&pn=Shop&am=10.00&cu=INR' \
  | grep -q '"chosen":"upi"'
cat "$out/wallet_cn.txt"
echo "C tests: ok"
