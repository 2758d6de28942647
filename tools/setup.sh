#!/usr/bin/env bash
# Installs every Debian 12 package noticescan needs to build, run and test.
# Safe to run again: apt-get skips what is already there. Needs root (or sudo).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config ca-certificates
  # OCR
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd
  # images, PDFs and barcodes (libjpeg: JPEGs decoded straight to gray or BGR; libheif: HEIC
  # photos from iPhones; libexif: which way up a JPEG photo is; libzxing: the receipt barcode)
  libopencv-dev libpoppler-cpp-dev libjpeg-dev libheif-dev libzxing-dev libexif-dev
  # JSON, CLI, hashing, the batch store, the HTTP service (and curl, which its tests use)
  nlohmann-json3-dev libcli11-dev libssl-dev libsqlite3-dev libcpp-httplib-dev curl
  # tests and sample generation: GoogleTest, cairo with real fonts, qpdf (encrypted PDFs),
  # jsonschema (validates every output against docs/schema), poppler-utils + tesseract CLI (baseline)
  libgtest-dev libcairo2-dev fonts-liberation fonts-dejavu-core qpdf python3
  python3-jsonschema poppler-utils
  # benchmark: Google Benchmark microbenchmarks; GNU parallel (the sharded batch test)
  libbenchmark-dev parallel
  # the web page's browser test: Chromium, driven by Playwright from the npm registry
  chromium
  # the fuzz preset: clang with libFuzzer and the sanitizer runtimes (docs/SECURITY.md)
  clang libclang-rt-14-dev
)
# Node.js and npm come from Debian unless the machine already has them (NodeSource's nodejs
# carries its own npm and conflicts with Debian's).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed" >&2
else
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  echo "setup: installing ${#missing[@]} packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Playwright for the browser test, at the version tests/web/package-lock.json pins (no browser
# download: the test uses Debian's Chromium).
web="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
want=$(sed -n 's/^ *"playwright-core": "\(.*\)"/\1/p' "$web/package.json")
have=$(sed -n 's/^ *"version": "\(.*\)",/\1/p' "$web/node_modules/playwright-core/package.json" 2>/dev/null | head -1 || true)
if [ "$have" != "$want" ]; then
  echo "setup: installing playwright-core $want into tests/web (npm ci)" >&2
  # Without the npm registry everything but that one test still builds and runs: say so, go on.
  if ! (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2); then
    echo "setup: WARNING: npm could not install playwright-core from the npm registry; the browser" \
         "test (WebPageInBrowser) will fail until tools/setup.sh is run again with access to it" >&2
  fi
fi
echo "setup: done" >&2
