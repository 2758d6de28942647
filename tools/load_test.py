#!/usr/bin/env python3
"""Load test of `noticescan serve` (issue 7): N concurrent clients post a mixed set of corpus files
for a fixed time against a server with --jobs 2; reports requests served, failed and turned away
(503), throughput, and the server's peak memory, beside `noticescan batch --jobs 2` on the same
files in the same run.

    tools/load_test.py --corpus build/corpus --clients 8 --seconds 60 --out-md build/load.md
"""
import argparse
import collections
import json
import os
import pathlib
import re
import shutil
import sys
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from batch_benchmark import pick  # noqa: E402  the same choice of files as the batch benchmark

ROOT = pathlib.Path(__file__).resolve().parent.parent
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")
TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png", ".tif": "image/tiff",
         ".webp": "image/webp", ".heic": "image/heic"}


def status_fields(pid):
    try:
        return dict(line.split(":", 1) for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines()
                    if ":" in line)
    except OSError:
        return {}


def rss_mib(pid):
    """Resident memory of the server and its worker processes together."""
    total = 0.0
    for status in pathlib.Path("/proc").glob("[0-9]*/status"):
        fields = status_fields(status.parent.name)
        if status.parent.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=pathlib.Path)
    ap.add_argument("--files", type=int, default=36)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scanner", default=str(ROOT / "build" / "noticescan"))
    ap.add_argument("--out-md", type=pathlib.Path)
    args = ap.parse_args()

    files = pick(args.corpus, "test", args.files)
    bodies = [(f.read_bytes(), TYPES.get(f.suffix, "application/octet-stream")) for f in files]
    work = pathlib.Path(tempfile.mkdtemp(prefix="noticescan-load-"))
    try:
        log = open(work / "server.log", "w")
        server = subprocess.Popen([args.scanner, "serve", "--port", "0", "--jobs", str(args.jobs)], env=ENV,
                                  stderr=log, stdout=subprocess.DEVNULL)
        url = None
        for _ in range(200):
            m = re.search(r"http://[0-9.]+:\d+", (work / "server.log").read_text())
            if m:
                url = m.group(0)
                break
            time.sleep(0.05)
        if not url:
            raise SystemExit("the server did not start")

        counts = collections.Counter()
        latencies = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds
        peak = [0.0]

        def client(k):
            i = k
            while time.monotonic() < stop_at:
                body, media = bodies[i % len(bodies)]
                i += args.clients
                request = urllib.request.Request(f"{url}/v1/scan", data=body, headers={"Content-Type": media})
                began = time.monotonic()
                try:
                    with urllib.request.urlopen(request, timeout=300) as response:
                        json.loads(response.read())
                        code = response.status
                except urllib.error.HTTPError as e:
                    code = e.code
                    if code == 503:
                        time.sleep(float(e.headers.get("Retry-After", "1")) / 5)  # come back soon
                except Exception:  # noqa: BLE001  connection refused, reset, timeout: a failure
                    code = "failed"
                with lock:
                    counts[code] += 1
                    if code == 200:
                        latencies.append(time.monotonic() - began)

        def watch():
            while time.monotonic() < stop_at + 5:
                peak[0] = max(peak[0], rss_mib(server.pid))
                time.sleep(0.5)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        watcher = threading.Thread(target=watch, daemon=True)
        started = time.monotonic()
        watcher.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        server.terminate()
        server.wait(timeout=30)

        # The batch on the same files, for the throughput to compare with.
        inputs = work / "in"
        inputs.mkdir()
        for f in files:
            shutil.copy(f, inputs / f.name)
        began = time.monotonic()
        subprocess.run([args.scanner, "batch", str(inputs), "--out", str(work / "b.db"), "--jobs", str(args.jobs)],
                       env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        batch_rate = len(files) / (time.monotonic() - began)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    served = counts[200]
    rate = served / elapsed
    failed = sum(v for k, v in counts.items() if k not in (200, 503))
    latencies.sort()
    p50 = latencies[len(latencies) // 2] if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    text = (f"`tools/load_test.py`: {args.clients} clients for {args.seconds:.0f} s against `noticescan serve --jobs "
            f"{args.jobs}`, posting {len(files)} test-split corpus files in turn (every category).\n\n"
            "| served (200) | turned away (503) | failed | served per s | batch --jobs 2, same files, per s | "
            "ratio | latency p50 / p95 s | server + workers peak RSS MiB |\n|---|---|---|---|---|---|---|---|\n"
            f"| {served} | {counts[503]} | {failed} | {rate:.3f} | {batch_rate:.3f} | {rate / batch_rate:.3f} | "
            f"{p50:.2f} / {p95:.2f} | {peak[0]:.0f} |\n")
    print(text)
    if args.out_md:
        args.out_md.write_text(text)


if __name__ == "__main__":
    main()
