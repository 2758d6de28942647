#!/usr/bin/env bash
# The hardening suite (issue 9): every hostile or broken input made by make_bad_inputs.py, plus a
# directory, a FIFO, a file nobody may read, a missing path and a sparse 300 MB file, each scanned
# on its own: the right error code in valid JSON and exit code 2 (0 for the inputs that are fine),
# never a crash (no signal) or a hang (60 s guard). Then all of them in one `scan` and one `batch`:
# each gets its answer and the run goes on to the end. Prints a table with each input's time.
# Usage: bad_inputs_test.sh NOTICESCAN SAMPLES_DIR
set -euo pipefail
cli=$(realpath "$1")
samples=$(realpath "$2")
here=$(dirname "$(realpath "$0")")
tools=$(dirname "$samples")/tools
work=$(mktemp -d)
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
export OMP_THREAD_LIMIT=1

bad="$work/bad"
python3 "$here/make_bad_inputs.py" "$samples" "$bad" > "$work/manifest"
mkdir "$bad/a folder.pdf"
mkfifo "$bad/pipe.pdf"
truncate -s 300M "$bad/sparse-300MB.pdf"
printf 'a folder.pdf\tunreadable\npipe.pdf\tunreadable\nsparse-300MB.pdf\ttoo_large\nmissing.pdf\tnot_found\n' >> "$work/manifest"

# A file its reader may not open. Root may open anything, so as root the scan runs as nobody.
cp "$samples/receipt-scan-clean.png" "$bad/no-permission.png"
chmod 000 "$bad/no-permission.png"
as_reader=()
if [ "$(id -u)" -eq 0 ]; then
  cp "$cli" "$work/noticescan-copy"
  chmod 755 "$work" "$work/noticescan-copy" "$bad"
  as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# One input: its error code (or ok) and exit status must be as the manifest says.
check() {
  local name=$1 want=$2 program=$3
  shift 3
  local start end rc=0
  start=$(date +%s%N)
  (cd "$bad" && timeout 60 "$@" "$program" scan -- "$name" > "$work/out.json" 2> "$work/err.txt") || rc=$?
  end=$(date +%s%N)
  [ "$rc" -ne 124 ] || fail "$name: no answer within 60 s"
  [ "$rc" -lt 128 ] || fail "$name: killed by signal $((rc - 128))"
  python3 "$tools/validate_json.py" "$work/out.json" > /dev/null || fail "$name: the JSON does not match the schema"
  local got
  got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["error"]["code"] if d["error"] else "ok")' "$work/out.json")
  [ "$got" = "$want" ] || fail "$name: error code $got, expected $want ($(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; print(e["message"] if e else "")' "$work/out.json"))"
  if [ "$want" = ok ]; then [ "$rc" -eq 0 ] || fail "$name: exit $rc, expected 0"; else [ "$rc" -eq 2 ] || fail "$name: exit $rc, expected 2"; fi
  ! grep -qi 'sanitizer\|segmentation\|abort' "$work/err.txt" || fail "$name: $(head -3 "$work/err.txt")"
  printf '| %s | %s | %d | %d ms |\n' "$name" "$got" "$rc" $(((end - start) / 1000000))
}

echo "| input | answer | exit | time |"
echo "|---|---|---|---|"
count=0
while IFS=$'\t' read -r name want; do
  check "$name" "$want" "$cli"
  count=$((count + 1))
done < "$work/manifest"
if [ ${#as_reader[@]} -gt 0 ]; then
  check no-permission.png unreadable "$work/noticescan-copy" "${as_reader[@]}"
else
  check no-permission.png unreadable "$cli"
fi

# All at once: one line per input, in order, and the run reaches the end.
mapfile -t names < <(cut -f1 "$work/manifest")
rc=0
(cd "$bad" && timeout 300 "$cli" scan --jsonl -- "${names[@]}" > "$work/all.jsonl" 2>/dev/null) || rc=$?
[ "$rc" -eq 2 ] || fail "scanning them all together: exit $rc, expected 2"
[ "$(wc -l < "$work/all.jsonl")" -eq "$count" ] || fail "scanning them all together: $(wc -l < "$work/all.jsonl") answers for $count inputs"
python3 "$tools/validate_json.py" "$work/all.jsonl" > /dev/null || fail "scanning them all together: invalid JSON lines"

# A batch over the folder: every file gets a verdict and the batch finishes.
rm -f "$bad/pipe.pdf"  # the batch walks folders for regular files; a FIFO is not one
rc=0
timeout 600 "$cli" batch "$bad" --out "$work/store.db" --jobs 2 > /dev/null 2> "$work/batch.txt" || rc=$?
[ "$rc" -eq 2 ] || fail "batch over the bad inputs: exit $rc, expected 2 ($(tail -5 "$work/batch.txt"))"
grep -q 'noticescan batch done' "$work/batch.txt" || fail "the batch did not finish"
"$cli" export --db "$work/store.db" --format jsonl > "$work/export.jsonl"
python3 "$tools/validate_json.py" "$work/export.jsonl" > /dev/null || fail "the batch's results are not valid JSON"
echo "bad inputs: $((count + 1)) inputs answered with the expected code, alone, together and in a batch"
