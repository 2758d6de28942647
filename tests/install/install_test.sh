#!/usr/bin/env bash
# The library as another project uses it: `cmake --install` into a fresh prefix, then
# examples/consumer configured with find_package(noticescan), built against the installed copy,
# and run on a sample. The installed headers must not expose Tesseract, Leptonica or Poppler.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" || fail "cmake --install failed"
[ -f "$work/prefix/include/noticescan/Scanner.h" ] || fail "public header not installed"
[ -f "$work/prefix/lib/cmake/noticescan/noticescanConfig.cmake" ] || \
  [ -n "$(find "$work/prefix" -name noticescanConfig.cmake)" ] || fail "no package config"
if grep -rlE '#include *<(tesseract|leptonica|poppler|allheaders)' "$work/prefix/include"; then
  fail "an installed header includes an OCR or PDF library's header"
fi
if grep -rqE 'tesseract::|TessBaseAPI|poppler::|\bPix\b' "$work/prefix/include"; then
  fail "an installed header names an OCR or PDF library's type"
fi

cmake -S "$source/examples/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" \
  > "$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "the consumer does not configure"; }
cmake --build "$work/consumer" -j2 > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; fail "the consumer does not build"; }

want=$(python3 -c 'import json,sys; print("\n".join(f["value"] for f in json.load(open(sys.argv[1]))["fields"] if f["type"] == "receipt_number"))' \
  "$source/samples/receipt-digital.pdf.expected.json")
got=$(OMP_THREAD_LIMIT=1 "$work/consumer/receipts" "$source/samples/receipt-digital.pdf")
[ "$got" = "$want" ] || fail "the consumer printed '$got', expected '$want'"
echo "install: the installed library builds and runs in another project ($got)"
