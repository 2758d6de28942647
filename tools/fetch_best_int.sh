#!/usr/bin/env bash
# Fetches Tesseract's English best_int model (not packaged by Debian) from the npm registry into
# DIR, checks it against the checksums in models/README.md, and links Debian's orientation model
# beside it, so that `noticescan scan --tessdata DIR` reads with it.
#
#     tools/fetch_best_int.sh build/models/best_int
set -euo pipefail

dir=${1:?usage: tools/fetch_best_int.sh DIR}
package_sha256=c9bddf2e2f0a214ac7918f3f4a3caf45e09ce8674fe26662ae7787ac8927f7bb
model_sha256=5dc5d8d640a212c9d6184921ba103b186f50e0fed9ee716c53e6b312b400d747

mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @tesseract.js-data/eng@1.0.0 >/dev/null)
echo "$package_sha256  $work/tesseract.js-data-eng-1.0.0.tgz" | sha256sum --check --quiet
tar -xzf "$work/tesseract.js-data-eng-1.0.0.tgz" -C "$work" package/4.0.0_best_int/eng.traineddata.gz
gunzip -c "$work/package/4.0.0_best_int/eng.traineddata.gz" > "$work/eng.traineddata"
echo "$model_sha256  $work/eng.traineddata" | sha256sum --check --quiet
mv "$work/eng.traineddata" "$dir/eng.traineddata"
ln -sf /usr/share/tesseract-ocr/5/tessdata/osd.traineddata "$dir/osd.traineddata"
echo "best_int model in $dir"
