#!/usr/bin/env bash
# Bulk import, end to end with the real scanner (noticescan batch / export / merge):
#  1. a batch killed with SIGKILL at a random moment and then resumed leaves every file in the
#     store exactly once, with the same results as a batch that was never interrupted;
#  2. the same command run as three shards under GNU parallel, the shard stores merged, gives the
#     same store as a single process;
#  3. running again scans nothing; a changed file is scanned again;
#  4. a file over the time limit, and a worker killed mid-file, are recorded and the batch goes on.
# Usage: batch_test.sh NOTICESCAN SAMPLES_DIR
set -euo pipefail
cli=$1
samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_THREAD_LIMIT=1

# Inputs: every sample, copies under another folder (same content), a note that is not a
# document, a truncated image and a symbolic link back up the tree (must not loop).
mkdir -p "$work/in/2024" "$work/in/2025/scans"
cp "$samples"/*.png "$samples"/*.jpg "$samples"/*.pdf "$samples"/*.tif "$samples"/*.heic "$work/in/2024/"
cp "$samples"/receipt-scan-clean.png "$work/in/2025/scans/copy of receipt.png"
echo "call the lawyer on monday" > "$work/in/2025/notes.pdf"
head -c 4000 "$samples/receipt-scan-clean.png" > "$work/in/2025/scans/torn.png"
ln -s .. "$work/in/2025/scans/up"

# The results a store holds, comparable across runs: one line per path, timings dropped.
normalised() {
  "$cli" export --db "$1" --format jsonl | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    r.pop("timings_ms", None)
    print(json.dumps(r, sort_keys=True))' | sort
}
fail() { echo "FAIL: $*" >&2; exit 1; }

# Uninterrupted: exit 2 because of the torn image, which is recorded, not fatal.
status=0
"$cli" batch "$work/in" --out "$work/whole.db" --jobs 2 2>"$work/whole.log" || status=$?
[ "$status" -eq 2 ] || fail "uninterrupted batch exited $status, expected 2 (one bad input)"
grep -q "duplicates       1" "$work/whole.log" || fail "the copy was not recognised: $(cat "$work/whole.log")"
grep -q "not documents    1" "$work/whole.log" || fail "the note was not skipped"
normalised "$work/whole.db" > "$work/whole.jsonl"
files=$(find "$work/in" -type f -o -type l | grep -v '/up$' | wc -l)
lines=$(wc -l < "$work/whole.jsonl")
# Every file but the note is in the export: documents, the copy and the torn image (as an error).
[ "$lines" -eq $((files - 1)) ] || fail "export has $lines results for $files files"

# 1. Killed at a random moment, then resumed.
"$cli" batch "$work/in" --out "$work/killed.db" --jobs 2 >/dev/null 2>&1 &
pid=$!
sleep "$(python3 -c 'import random; print(round(random.uniform(0.3, 3.0), 2))')"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$cli" batch "$work/in" --out "$work/killed.db" --jobs 2 --resume >/dev/null 2>&1 || true
normalised "$work/killed.db" > "$work/killed.jsonl"
cmp -s "$work/whole.jsonl" "$work/killed.jsonl" || {
  diff "$work/whole.jsonl" "$work/killed.jsonl" | head -5 >&2
  fail "the resumed store differs from the uninterrupted one"
}
dupes=$(python3 -c 'import json,sys; p=[json.loads(l)["file"] for l in open(sys.argv[1])]; print(len(p)-len(set(p)))' "$work/killed.jsonl")
[ "$dupes" -eq 0 ] || fail "$dupes files recorded twice after the resume"

# 2. Three shards under GNU parallel, merged.
parallel --will-cite -j 2 "$cli" batch "$work/in" --out "$work/shard{}.db" --shard {}/3 --jobs 1 ">/dev/null 2>&1 || true" ::: 1 2 3
"$cli" merge "$work/merged.db" "$work/shard1.db" "$work/shard2.db" "$work/shard3.db" 2>/dev/null
normalised "$work/merged.db" > "$work/merged.jsonl"
cmp -s "$work/whole.jsonl" "$work/merged.jsonl" || {
  diff "$work/whole.jsonl" "$work/merged.jsonl" | head -5 >&2
  fail "the merged shard stores differ from the single-process store"
}

# 3. Again: nothing scanned. Then one file changed: only it is scanned.
"$cli" batch "$work/in" --out "$work/whole.db" 2>"$work/again.log" || true
grep -q "scanned          0 " "$work/again.log" || fail "a second run scanned again: $(cat "$work/again.log")"
# New content at a known path (bytes after a PNG's end are ignored by decoders).
printf 'edited' >> "$work/in/2024/receipt-scan-clean.png"
"$cli" batch "$work/in" --out "$work/whole.db" 2>"$work/changed.log" || true
grep -q "scanned          1 " "$work/changed.log" || fail "the changed file was not scanned again: $(cat "$work/changed.log")"
# 5. The confidence bar is part of what decides a result: at 1 every value goes to
#    withheld_fields, a store scanned at another bar is scanned again, and a redacted export masks
#    withheld values as it masks fields.
mkdir -p "$work/bar"
cp "$samples/receipt-digital.pdf" "$work/bar/"
"$cli" batch "$work/bar" --out "$work/bar.db" --jobs 1 --min-confidence 1 2>"$work/bar.log" || fail "batch --min-confidence 1"
grep -q "withheld         [1-9]" "$work/bar.log" || fail "the summary does not count the withheld values: $(cat "$work/bar.log")"
"$cli" export --db "$work/bar.db" --format jsonl > "$work/bar.jsonl"
"$cli" export --db "$work/bar.db" --format jsonl --redact > "$work/bar-redacted.jsonl"
python3 - "$work/bar.jsonl" "$work/bar-redacted.jsonl" <<'PY' || fail "withheld values not stored apart, or not masked"
import json, sys
plain, masked = (json.loads(open(p).read()) for p in sys.argv[1:])
assert plain["fields"] == [] and plain["withheld_fields"], plain
for f in plain["withheld_fields"]:
    assert f["value"][-5:] not in json.dumps(masked), f["type"]
PY
"$cli" batch "$work/bar" --out "$work/bar.db" --jobs 1 2>"$work/bar.log" || true
grep -q "scanned          1 " "$work/bar.log" || fail "a new confidence bar did not scan again: $(cat "$work/bar.log")"
# 4. Isolation: a file over the time limit and a worker that dies mid-file are recorded as failed
#    (timeout, internal) and the others are still scanned.
mkdir -p "$work/slow" "$work/crash"
cp "$samples/rfe-scan-sideways.tif" "$samples/receipt-digital.pdf" "$work/slow/"
status=0
# The sideways scan needs OCR (about 1 s on one core); the text PDF takes tens of milliseconds.
"$cli" batch "$work/slow" --out "$work/slow.db" --jobs 1 --timeout 0.3 >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "a timed-out file should make the batch exit 2, got $status"
"$cli" export --db "$work/slow.db" --format jsonl | python3 -c '
import json, sys
got = {json.loads(l)["file"].rsplit("/", 1)[1]: json.loads(l) for l in sys.stdin}
assert got["rfe-scan-sideways.tif"]["error"]["code"] == "timeout", got["rfe-scan-sideways.tif"]["error"]
assert got["receipt-digital.pdf"]["status"] == "ok"' || fail "timeout not recorded, or the next file not scanned"

cp "$samples/approval-scanned.pdf" "$samples/receipt-digital.pdf" "$work/crash/"
# Under AddressSanitizer the worker would catch the SIGSEGV sent below and abort instead.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" "$cli" batch "$work/crash" --out "$work/crash.db" --jobs 1 >/dev/null 2>&1 &
pid=$!
# The worker is the batch's child; it scans the scanned PDF (first in order) for about 2 s.
worker=""
for _ in $(seq 50); do
  worker=$(pgrep -P "$pid" | head -1 || true)
  [ -n "$worker" ] && break
  sleep 0.1
done
[ -n "$worker" ] || fail "no worker process appeared"
sleep 0.5
kill -SEGV "$worker"
status=0
wait "$pid" || status=$?
[ "$status" -eq 2 ] || fail "a crashed worker should make the batch exit 2, got $status"
"$cli" export --db "$work/crash.db" --format jsonl | python3 -c '
import json, sys
got = {json.loads(l)["file"].rsplit("/", 1)[1]: json.loads(l) for l in sys.stdin}
crashed = got["approval-scanned.pdf"]
assert crashed["error"]["code"] == "internal" and "signal 11" in crashed["error"]["message"], crashed["error"]
assert got["receipt-digital.pdf"]["status"] == "ok"' || fail "the crash was not recorded, or the next file not scanned"

echo "batch: resume after SIGKILL, shards through GNU parallel, change detection and isolation all hold"
