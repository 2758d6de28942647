#!/usr/bin/env bash
# Installs every Debian 12 package noticescan needs to build, run and test.
# Safe to run again: apt-get skips what is already there. Needs root (or sudo).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config ca-certificates
  # OCR
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
  # images, PDFs and barcodes (libheif: HEIC photos from iPhones; libzxing: the receipt barcode)
  libopencv-dev libpoppler-cpp-dev libheif-dev libzxing-dev
  # JSON, CLI, hashing, the batch store, the HTTP service (and curl, which its tests use)
  nlohmann-json3-dev libcli11-dev libssl-dev libsqlite3-dev libcpp-httplib-dev curl
  # tests and sample generation: GoogleTest, cairo with real fonts, qpdf (encrypted PDFs),
  # jsonschema (validates every output against docs/schema), poppler-utils + tesseract CLI (baseline)
  libgtest-dev libcairo2-dev fonts-liberation fonts-dejavu-core qpdf python3
  python3-jsonschema poppler-utils
  # benchmark: Google Benchmark microbenchmarks; GNU parallel (the sharded batch test)
  libbenchmark-dev parallel
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed" >&2
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "setup: installing ${#missing[@]} packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
