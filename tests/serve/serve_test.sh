#!/usr/bin/env bash
# `noticescan serve` with a real HTTP client (curl) on a free loopback port: the endpoints, the
# error answers (415, 422, 413, 504 past --timeout), concurrent requests beyond capacity (503 with
# Retry-After), a log without identifier values, a clean stop on SIGTERM, and a worker process
# that crashes or stops answering mid-scan costing its request and not the server. Every answer is checked against
# docs/openapi.json (tools/check_api.py).
# Usage: serve_test.sh NOTICESCAN SAMPLES_DIR
set -euo pipefail
cli=$1
samples=$2
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- server log:" >&2
  cat "$work/server.log" >&2 || true
  exit 1
}
export OMP_THREAD_LIMIT=1

# Starts a server with the given options on a free port; sets $server (its pid) and $url.
start_server() {
  "$cli" serve --port 0 "$@" 2>"$work/server.log" &
  server=$!
  for _ in $(seq 100); do
    grep -q 'listening on' "$work/server.log" 2>/dev/null && break
    sleep 0.1
  done
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log") || fail "the server ($*) did not start"
}
# A language that is not installed stops the server at start (exit 3), not at its first request,
# and its worker processes stop with it (they once outlived it and, on a busy machine, wrote into
# the next server's log). The marker in their environment finds any still there; an idle machine
# lets such a worker end by itself within milliseconds, so this catches the race when it is busy.
code=0
marker="serve-test-$$-$RANDOM"
SERVE_TEST_MARK=$marker timeout 60 "$cli" serve --port 0 --jobs 2 --lang zzz 2>"$work/server.log" || code=$?
[ "$code" = 3 ] || fail "serve with a missing language should exit 3, exited $code"
grep -q "cannot load the 'zzz' language" "$work/server.log" || fail "no message for the missing language"
if grep -lsa "SERVE_TEST_MARK=$marker" /proc/[0-9]*/environ >/dev/null; then
  fail "worker processes outlived the server that failed to start"
fi
start_server --jobs 2 --queue 2 --max-body-mib 1

# The status code of a request; its body is left in $work/body.
post() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
# Every answer must be one docs/openapi.json describes.
api() { python3 "$(dirname "$samples")/tools/check_api.py" "$1" "$2" "$3" "$work/body" || fail "answer not as docs/openapi.json says"; }

[ "$(post "$url/healthz")" = 200 ] || fail "healthz"
api GET /healthz 200
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["status"] == "ok"' "$work/body" || fail "healthz body"
[ "$(post "$url/v1/version")" = 200 ] || fail "version"
api GET /v1/version 200
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["schema_version"] == 1' "$work/body" || fail "version body"

# The same JSON fields as the command line, raw body and multipart.
"$cli" scan "$samples/receipt-scan-clean.png" > "$work/cli.json"
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan")" = 200 ] || fail "raw POST"
api POST /v1/scan 200
cp "$work/body" "$work/raw.json"
[ "$(post -F "file=@$samples/receipt-scan-clean.png" "$url/v1/scan")" = 200 ] || fail "multipart POST"
api POST /v1/scan 200
python3 - "$work/cli.json" "$work/raw.json" "$work/body" <<'PY' || fail "the service's fields differ from the command line's"
import json, sys
want = [(f["type"], f["value"], f["confidence"]) for f in json.load(open(sys.argv[1]))["fields"]]
for path in sys.argv[2:]:
    got = json.load(open(path))
    assert got["status"] == "ok" and got["schema_version"] == 1, got
    assert [(f["type"], f["value"], f["confidence"]) for f in got["fields"]] == want, (path, got["fields"])
assert json.load(open(sys.argv[3]))["file"] == "receipt-scan-clean.png"
PY
# Options as query parameters.
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan?redact=1")" = 200 ] || fail "redact"
python3 -c 'import json,sys; assert all(f["value"].startswith("*") for f in json.load(open(sys.argv[1]))["fields"])' "$work/body" || fail "redact did not mask"

# min_confidence: at 1 every value is read too uncertainly to list and goes to withheld_fields,
# each with its warning; a bar that is not a number from 0 to 1 is refused.
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan?min_confidence=1")" = 200 ] || fail "min_confidence=1"
api POST /v1/scan 200
python3 - "$work/body" "$work/cli.json" <<'PY' || fail "min_confidence=1 did not move every value to withheld_fields"
import json, sys
got, cli = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert got["fields"] == [] and len(got["withheld_fields"]) == len(cli["fields"]) > 0, got
assert sum(w["code"] == "value_withheld" for w in got["warnings"]) == len(cli["fields"]), got["warnings"]
PY
for bad in 1.5 -0.1 abc ''; do
  [ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan?min_confidence=$bad")" = 422 ] || fail "min_confidence=$bad should be 422"
  api POST /v1/scan 422
done

# preview=1: each page comes with a JPEG of itself, sized as it says; not together with redact.
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan?preview=1")" = 200 ] || fail "preview"
api POST /v1/scan 200
python3 - "$work/body" <<'PY' || fail "the preview is not a JPEG of the size it says"
import base64, json, struct, sys
page = json.load(open(sys.argv[1]))["pages"][0]
preview = page["preview"]
jpeg = base64.b64decode(preview["data"])
assert jpeg[:2] == b"\xff\xd8", "not a JPEG"
# The frame header (SOF0/SOF2) holds height and width.
i = 2
while i < len(jpeg):
    marker, length = jpeg[i + 1], struct.unpack(">H", jpeg[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC2):
        height, width = struct.unpack(">HH", jpeg[i + 5:i + 9])
        break
    i += 2 + length
assert (width, height) == (preview["width"], preview["height"]), (width, height)
assert max(width, height) <= 1200
assert abs(preview["source_width"] / preview["source_height"] - width / height) < 0.01
PY
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan?preview=1&redact=1")" = 422 ] || fail "preview with redact should be 422"
api POST /v1/scan 422
# The page for people, with a policy that keeps it to this server.
curl -s -D "$work/page-head" -o "$work/page" "$url/" || fail "GET /"
grep -qi '^Content-Type: text/html' "$work/page-head" || fail "/ is not HTML"
grep -qi "^Content-Security-Policy: default-src 'none'" "$work/page-head" || fail "/ has no Content-Security-Policy"
grep -q '<script src="/app.js"' "$work/page" || fail "the page does not load its script"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/app.js")" = 200 ] || fail "/app.js"

# Errors answer with a JSON body and the right status.
[ "$(post -H 'Content-Type: text/plain' --data-binary 'not a notice at all' "$url/v1/scan")" = 415 ] || fail "garbage should be 415"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["code"] == "unsupported_format"' "$work/body" || fail "415 body"
api POST /v1/scan 415
head -c 3000 "$samples/receipt-scan-clean.png" > "$work/torn.png"
[ "$(post -H 'Content-Type: image/png' --data-binary @"$work/torn.png" "$url/v1/scan")" = 422 ] || fail "a torn image should be 422"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["status"] == "error"' "$work/body" || fail "422 body"
api POST /v1/scan 422
head -c $((2 * 1024 * 1024)) /dev/zero > "$work/big.bin"
[ "$(post -H 'Content-Type: application/octet-stream' --data-binary @"$work/big.bin" "$url/v1/scan")" = 413 ] || fail "2 MiB over a 1 MiB limit should be 413"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["code"] == "too_large"' "$work/body" || fail "413 body"
api POST /v1/scan 413

# Eight at once against 2 scanners and a queue of 2: each is served or told to come back.
seq 8 | xargs -P 8 -I{} curl -s -D "$work/head{}" -o "$work/out{}" -w '%{http_code}\n' \
  -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan" > "$work/codes"
ok=$(grep -c '^200$' "$work/codes" || true)
busy=$(grep -c '^503$' "$work/codes" || true)
[ $((ok + busy)) -eq 8 ] || fail "concurrent answers were $(tr '\n' ' ' < "$work/codes")"
[ "$ok" -ge 2 ] || fail "only $ok of 8 concurrent requests were served"
for i in $(seq 8); do
  cp "$work/out$i" "$work/body"
  api POST /v1/scan "$(awk 'NR == 1 {print $2}' "$work/head$i")"  # the status of answer i
done
if [ "$busy" -gt 0 ]; then
  grep -qi '^Retry-After:' $(grep -l ' 503' "$work"/head*) || fail "a 503 without Retry-After"
fi

# The log: one line per request, no identifier value.
receipt=$(python3 -c 'import json,sys; print([f["value"] for f in json.load(open(sys.argv[1]))["fields"]][0])' "$work/cli.json")
! grep -q "$receipt" "$work/server.log" || fail "an identifier value is in the server log"
[ "$(grep -c 'POST /v1/scan' "$work/server.log")" -ge 16 ] || fail "not one log line per request"

kill -TERM "$server"
wait "$server" || fail "the server did not exit cleanly on SIGTERM"
server=""
grep -q 'stopped' "$work/server.log" || fail "no stop message"
# A server whose scans may take 0.2 s: a photo takes longer, so it is answered 504 with error code
# timeout, and the scanner is free again for the next request.
start_server --jobs 1 --queue 0 --timeout 0.2
for attempt in 1 2; do
  [ "$(post -H 'Content-Type: image/jpeg' --data-binary @"$samples/photo-perspective-shadow.jpg" "$url/v1/scan")" = 504 ] ||
    fail "a scan past --timeout should be 504 (attempt $attempt)"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["code"] == "timeout"' "$work/body" || fail "504 body"
  api POST /v1/scan 504
done
[ "$(post "$url/healthz")" = 200 ] || fail "healthz after a timeout"
kill -TERM "$server"
wait "$server" || fail "the server with --timeout did not exit cleanly"
server=""


# Scans run in worker processes (children of the server). One that crashes while it holds a
# request (a decoder fault, here a SIGSEGV sent while it is held stopped, so the request is surely
# in its hands) costs that request a 500, not the server, and a new worker takes the next one.
# The processes whose parent is $1 (from /proc: procps may not be installed).
children_of() { grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3 || true; }
# Under AddressSanitizer a worker would catch the SIGSEGV sent below and abort instead.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:handle_segv=0" start_server --jobs 1 --queue 1 --timeout 5
worker=$(children_of "$server")
[ -n "$worker" ] || fail "no worker process under the server"
[ "$(echo "$worker" | wc -l)" = 1 ] || fail "--jobs 1 started $(echo "$worker" | wc -l) workers"
kill -STOP "$worker"
post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan" > "$work/code" &
client=$!
sleep 0.5
kill -SEGV "$worker"
kill -CONT "$worker"
wait "$client"
[ "$(cat "$work/code")" = 500 ] || fail "a request whose worker crashed should be 500, was $(cat "$work/code")"
api POST /v1/scan 500
python3 - "$work/body" <<'PY' || fail "the 500 does not say the scanner crashed"
import json, sys
error = json.load(open(sys.argv[1]))["error"]
assert error["code"] == "internal" and "signal 11" in error["message"], error
PY
kill -0 "$server" || fail "the server died with its worker"
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan")" = 200 ] ||
  fail "the request after a crash was not scanned"
python3 - "$work/cli.json" "$work/body" <<'PY' || fail "the request after a crash gave other fields"
import json, sys
fields = lambda path: [(f["type"], f["value"]) for f in json.load(open(path))["fields"]]
assert fields(sys.argv[1]) == fields(sys.argv[2])
PY
replacement=$(children_of "$server")
[ -n "$replacement" ] || fail "no worker after the crash"
[ "$replacement" != "$worker" ] || fail "the crashed worker is still listed"
# A worker that stops answering (held stopped: stuck where the in-process limit cannot reach) is
# killed once the hard limit (--timeout 5 plus a grace of 2.5 s) has passed, and answered 504.
kill -STOP "$replacement"
began=$(date +%s.%N)
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan")" = 504 ] ||
  fail "a request whose worker hangs should be 504 with --timeout"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["error"]["code"] == "timeout"' "$work/body" || fail "504 body"
api POST /v1/scan 504
python3 -c 'import sys; assert float(sys.argv[2]) - float(sys.argv[1]) < 20' "$began" "$(date +%s.%N)" ||
  fail "the hung worker was not stopped in time"
! kill -0 "$replacement" 2>/dev/null || fail "the hung worker was left running"
[ "$(post -H 'Content-Type: image/png' --data-binary @"$samples/receipt-scan-clean.png" "$url/v1/scan")" = 200 ] ||
  fail "the request after a hang was not scanned"
kill -TERM "$server"
wait "$server" || fail "the server exited badly after its workers were replaced"
server=""
echo "serve: endpoints, errors, timeout, concurrency, log, stop and lost workers all hold ($ok served, $busy told to retry)"
