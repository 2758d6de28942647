#!/usr/bin/env bash
# The part of the test suite CI runs under AddressSanitizer + UndefinedBehaviorSanitizer (issue 9):
# builds the scanner, the unit tests and the fuzz targets' replay programs with the asan preset's
# flags in BUILD_DIR, then runs the unit tests, every fuzz regression and seed, and the bad-input
# suite through the sanitized command line. Any sanitizer report fails it. The whole suite under
# the sanitizers is `ctest --preset asan` (docs/SECURITY.md); it takes longer than CI allows.
# Usage: asan_subset.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(realpath "$1")
build=$2
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNOTICESCAN_BUILD_TOOLS=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" > "$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
targets=(noticescan noticescan_unit_tests FuzzExtractReplay FuzzImageLoaderReplay FuzzPdfLoaderReplay FuzzJsonReportReplay)
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" > "$build.build.log" 2>&1 ||
  { tail -30 "$build.build.log"; exit 1; }

export OMP_THREAD_LIMIT=1
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$src/tests/sanitizer/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

"$build/tests/noticescan_unit_tests" --gtest_brief=1
for target in FuzzExtract FuzzImageLoader FuzzPdfLoader FuzzJsonReport; do
  seeds="$src/tests/fuzz/seeds/$target"
  [ -d "$seeds" ] || seeds="$src/samples"
  "$build/tests/${target}Replay" "$src/tests/fuzz/regressions/$target" "$seeds"
done
bash "$src/tests/badinputs/bad_inputs_test.sh" "$build/noticescan" "$src/samples" | tail -1
echo "asan subset: unit tests, fuzz regressions and seeds, bad inputs: no sanitizer report"
