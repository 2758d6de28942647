#!/usr/bin/env python3
"""Measures `noticescan batch` (issue 6's targets): throughput with --jobs 1 and --jobs 2 on the same
corpus files in the same run, the CPU the batch machinery adds over one `noticescan scan` process
reading the same files, and (with --memory-files N) worker memory over a long batch of N distinct
files, sampled as it runs.

    tools/batch_benchmark.py --corpus build/corpus --count 60 --memory-files 1000 --out-md build/batch-bench.md
"""
import argparse
import collections
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
ENV = dict(os.environ, OMP_THREAD_LIMIT="1")


def pick(corpus, split, count):
    docs = [json.loads(l) for l in (corpus / "truth.jsonl").read_text().splitlines() if l.strip()]
    docs = [d for d in docs if split == "all" or d["split"] == split]
    by_category = collections.defaultdict(list)
    for d in docs:
        by_category[d["category"]].append(corpus / d["file"])
    files = []
    while len(files) < count and any(by_category.values()):
        for category in sorted(by_category):
            if by_category[category] and len(files) < count:
                files.append(by_category[category].pop(0))
    return files


def timed(cmd):
    """Runs `cmd`; returns (wall seconds, CPU seconds of it and its reaped children, peak RSS MiB)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        raise SystemExit(f"{cmd[:2]} failed with {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def worker_rss_mib(parent):
    """Resident memory of each child process of `parent` (the batch's workers), in MiB."""
    out = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if ppid != parent:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        except (OSError, ValueError):
            continue
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, type=pathlib.Path)
    ap.add_argument("--split", default="test", choices=["test", "train", "all"])
    ap.add_argument("--count", type=int, default=60, help="files for the throughput runs")
    ap.add_argument("--memory-files", type=int, default=0, help="distinct files for the memory run (0: skip)")
    ap.add_argument("--scanner", default=str(ROOT / "build" / "noticescan"))
    ap.add_argument("--out-json", type=pathlib.Path)
    ap.add_argument("--out-md", type=pathlib.Path)
    args = ap.parse_args()

    files = pick(args.corpus, args.split, args.count)
    work = pathlib.Path(tempfile.mkdtemp(prefix="noticescan-batch-bench-"))
    report = {"files": len(files), "corpus": str(args.corpus), "split": args.split}
    try:
        inputs = work / "in"
        inputs.mkdir()
        for f in files:
            shutil.copy(f, inputs / f.name)
        scan_wall, scan_cpu, _ = timed([args.scanner, "scan", "--jsonl", *map(str, sorted(inputs.iterdir()))])
        runs = {}
        for jobs in (1, 2):
            wall, cpu, _ = timed([args.scanner, "batch", str(inputs), "--out", str(work / f"jobs{jobs}.db"),
                                  "--jobs", str(jobs)])
            runs[jobs] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "files_per_s": round(len(files) / wall, 3)}
        report["scan_one_process"] = {"wall_s": round(scan_wall, 2), "cpu_s": round(scan_cpu, 2)}
        report["batch"] = runs
        report["speedup_jobs2"] = round(runs[1]["wall_s"] / runs[2]["wall_s"], 3)
        report["batch_cpu_overhead"] = round(runs[1]["cpu_s"] / scan_cpu - 1, 4)

        if args.memory_files:
            many = work / "many"
            many.mkdir()
            all_files = pick(args.corpus, "all", 10**6)
            for i in range(args.memory_files):
                src = all_files[i % len(all_files)]
                # Bytes after the end of the image or PDF make each copy distinct content (decoders
                # ignore them), so every file is scanned rather than recognised as a duplicate.
                data = src.read_bytes() + f"\n%copy {i}\n".encode()
                (many / f"{i:05d}-{src.name}").write_bytes(data)
            store = work / "many.db"
            proc = subprocess.Popen([args.scanner, "batch", str(many), "--out", str(store), "--jobs", "2"], env=ENV,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples = []
            start = time.monotonic()
            while proc.poll() is None:
                time.sleep(5)
                rss = worker_rss_mib(proc.pid)
                done = 0
                try:
                    with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
                        done = db.execute("SELECT count(*) FROM documents").fetchone()[0]
                except sqlite3.Error:
                    pass
                if rss:
                    samples.append({"s": round(time.monotonic() - start), "done": done, "max_worker_rss_mib": round(max(rss))})
            with sqlite3.connect(store) as db:
                stored = db.execute("SELECT count(*) FROM files").fetchone()[0]
            report["memory"] = {"files": args.memory_files, "stored": stored, "seconds": round(time.monotonic() - start),
                                "samples": samples,
                                "peak_worker_rss_mib": max((s["max_worker_rss_mib"] for s in samples), default=None)}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    lines = [f"`tools/batch_benchmark.py`: {len(files)} files of `{args.corpus}` ({args.split} split, categories in turn), "
             "2 cores, OMP_THREAD_LIMIT=1.", "",
             "| run | wall s | CPU s | files/s |", "|---|---|---|---|",
             f"| `noticescan scan --jsonl` (one process, all files) | {report['scan_one_process']['wall_s']} | "
             f"{report['scan_one_process']['cpu_s']} | {round(len(files) / report['scan_one_process']['wall_s'], 3)} |"]
    for jobs, r in runs.items():
        lines.append(f"| `noticescan batch --jobs {jobs}` | {r['wall_s']} | {r['cpu_s']} | {r['files_per_s']} |")
    lines += ["", f"Speed-up of `--jobs 2` over `--jobs 1`: {report['speedup_jobs2']}x. "
                  f"CPU the batch adds over one scan process: {report['batch_cpu_overhead'] * 100:.1f}%."]
    if "memory" in report:
        m = report["memory"]
        lines += ["", f"Memory over a {m['files']}-file batch (`--jobs 2`, {m['stored']} stored, {m['seconds']} s): "
                      f"peak worker RSS {m['peak_worker_rss_mib']} MiB.", "",
                  "| seconds | documents stored | largest worker RSS MiB |", "|---|---|---|"]
        step = max(1, len(m["samples"]) // 12)
        for s in m["samples"][::step] + m["samples"][-1:]:
            lines.append(f"| {s['s']} | {s['done']} | {s['max_worker_rss_mib']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out_md:
        args.out_md.write_text(text)
    if args.out_json:
        args.out_json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
