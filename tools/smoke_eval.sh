#!/bin/sh
# CTest's smoke evaluation: a fresh 40-document corpus, scanned on every core, scored against the
# floors in tools/smoke_floors.json (raise them when the scanner gets better; never lower them).
#   tools/smoke_eval.sh SAMPLEGEN NOTICESCAN OUTDIR
set -eu
samplegen=$1 scanner=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out/corpus"
mkdir -p "$out"
"$samplegen" corpus "$out/corpus" --seed 7 --count 40 2>/dev/null
exec python3 "$here/evaluate.py" --corpus "$out/corpus" --split all --no-baseline \
  --scanner "$scanner" --floors "$here/smoke_floors.json" \
  --out-json "$out/smoke-eval.json" --out-md "$out/smoke-eval.md"
