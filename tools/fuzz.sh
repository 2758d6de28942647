#!/usr/bin/env bash
# Fuzz campaigns (issue 9): builds the libFuzzer targets with ASan + UBSan (the fuzz preset, clang
# from Debian), gives each its seeds and runs it for a number of executions or a time limit,
# whichever comes first, one target per core. Prints (and writes to build-fuzz/fuzz-report.md) the
# executions, coverage and findings of each; crashing inputs are left in build-fuzz/findings/TARGET/
# (copy them into tests/fuzz/regressions/TARGET/ once fixed: the ordinary test run replays them).
#
#   tools/fuzz.sh [--runs N] [--seconds S] [--jobs J] [TARGET...]
#
# Defaults: 1000000 executions or 1800 s per target, 2 targets at a time, all four targets.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=1000000
seconds=1800
jobs=2
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(FuzzExtract FuzzImageLoader FuzzPdfLoader FuzzJsonReport)

cd "$root"
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j"$(nproc)" > /dev/null
out="$root/build-fuzz"
export OMP_THREAD_LIMIT=1
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:malloc_limit_mb=2048"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# Seeds: the committed ones, small images in every format, the samples and the bad-input suite.
seeds="$out/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{FuzzExtract,FuzzJsonReport,FuzzImageLoader,FuzzPdfLoader}
cp tests/fuzz/seeds/FuzzExtract/* "$seeds/FuzzExtract/"
cp tests/fuzz/seeds/FuzzJsonReport/* "$seeds/FuzzJsonReport/"
"$out/tests/fuzz-make-seeds" "$seeds/FuzzImageLoader" > /dev/null
python3 tests/badinputs/make_bad_inputs.py samples "$out/bad-inputs" > /dev/null
for f in "$out"/bad-inputs/*; do
  case $f in
    *.pdf) cp "$f" "$seeds/FuzzPdfLoader/" ;;
    *) cp "$f" "$seeds/FuzzImageLoader/" ;;
  esac
done
cp samples/*.pdf "$seeds/FuzzPdfLoader/"

run_one() {
  local target=$1 max_len
  # Text layouts and results are small; images and PDFs need room for their structure.
  case $target in
    FuzzExtract) max_len=4096 ;;
    FuzzJsonReport) max_len=2048 ;;
    FuzzImageLoader) max_len=65536 ;;
    *) max_len=131072 ;;
  esac
  mkdir -p "$out/corpus/$target" "$out/findings/$target"
  "$out/tests/$target" "$out/corpus/$target" "$seeds/$target" -runs="$runs" -max_total_time="$seconds" \
    -max_len="$max_len" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$out/findings/$target/" > "$out/$target.log" 2>&1 || true
}
export -f run_one
export out runs seconds seeds
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'

report="$out/fuzz-report.md"
{
  echo "| target | executions | seconds | exec/s | coverage (edges) | features | corpus | findings |"
  echo "|---|---|---|---|---|---|---|---|"
  for target in "${targets[@]}"; do
    log="$out/$target.log"
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    took=$(sed -n 's/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<< "$last")
    findings=$(find "$out/findings/$target" -type f 2>/dev/null | wc -l)
    rate="-"
    if [ -n "$executions" ] && [ -n "$took" ] && [ "$took" -gt 0 ]; then rate=$((executions / took)); fi
    echo "| $target | ${executions:-?} | ${took:-?} | $rate | ${cov:-?} | ${ft:-?} | ${corp:-?} | $findings |"
  done
} | tee "$report"
logs=()
for target in "${targets[@]}"; do logs+=("$out/$target.log"); done
grep -l 'ERROR: \|invariant broken\|runtime error' "${logs[@]}" 2>/dev/null && echo "findings: see the logs above" || true
