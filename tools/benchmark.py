#!/usr/bin/env python3
"""Times noticescan per corpus category, on one core and on all cores, against the `tesseract`
command line (default OpenMP threading, and OMP_THREAD_LIMIT=1) on the same files in the same run.

Machines here are shared and noisy: read the ratios (measured side by side), not the absolute
seconds. Reports seconds per document, pages per second, peak resident memory, and the median of
each pipeline stage (load, page, ocr, extract) from noticescan's own timings.

    tools/benchmark.py --corpus build/corpus --per-category 4 --out-md build/bench.md
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from evaluate import add_corpus_arguments, baseline_text, corpus_documents  # noqa: E402  the same baseline and documents as the evaluation


def scanner_run(scanner, files, env):
    """One noticescan process over `files`: (seconds, outputs, peak RSS in MiB)."""
    start = time.monotonic()
    proc = subprocess.Popen([scanner, "scan", "--jsonl", *map(str, files)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    outputs = [json.loads(line) for line in out.splitlines() if line.strip()]
    return seconds, outputs, usage.ru_maxrss / 1024


def scanner_parallel(scanner, files, env, jobs):
    start = time.monotonic()
    procs = [subprocess.Popen([scanner, "scan", "--jsonl", *map(str, files[i::jobs])], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(jobs) if files[i::jobs]]
    for p in procs:
        p.wait()
    return time.monotonic() - start


def tesseract_peak_mib(files, env):
    """Largest resident set of `tesseract FILE -` over the image files (None for PDFs only)."""
    peak = None
    for f in files:
        if f.suffix == ".pdf":
            continue
        proc = subprocess.Popen(["tesseract", str(f), "-"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        peak = max(peak or 0, usage.ru_maxrss / 1024)
    return peak


def tesseract_run(files, env):
    start = time.monotonic()
    for f in files:
        try:
            baseline_text(f, env)
        except RuntimeError:
            pass  # a file tesseract cannot read (HEIC) still took its time
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(ap)
    ap.add_argument("--per-category", type=int, default=4, help="documents timed per category")
    ap.add_argument("--skip-tesseract-default", action="store_true",
                    help="skip tesseract with its default threading (slow on small machines)")
    ap.add_argument("--out-json", type=pathlib.Path)
    ap.add_argument("--out-md", type=pathlib.Path)
    args = ap.parse_args()

    docs = corpus_documents(args)
    categories = sorted({d["category"] for d in docs})
    one_core = dict(os.environ, OMP_THREAD_LIMIT="1")
    default_threads = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}

    rows = []
    for cat in categories:
        chosen = [d for d in docs if d["category"] == cat][: args.per_category]
        files = [args.corpus / d["file"] for d in chosen]
        pages = sum(d["pages"] for d in chosen)
        scan_s, outputs, rss = scanner_run(args.scanner, files, one_core)
        all_s = scanner_parallel(args.scanner, files, one_core, args.jobs)
        t1_s = tesseract_run(files, one_core)
        tdef_s = None if args.skip_tesseract_default else tesseract_run(files, default_threads)
        stages = {}
        for stage in ("load", "page", "ocr", "reread", "barcode", "extract", "total"):
            values = [o["timings_ms"].get(stage, 0) for o in outputs if o.get("timings_ms")]
            stages[stage] = round(statistics.median(values)) if values else None
        rss_t = tesseract_peak_mib(files, one_core)
        n = len(files)
        row = {
            "category": cat, "docs": n, "pages": pages,
            "noticescan_1core_s_per_doc": round(scan_s / n, 3),
            "noticescan_all_cores_s_per_doc": round(all_s / n, 3),
            "noticescan_pages_per_s_all_cores": round(pages / all_s, 2),
            "tesseract_omp1_s_per_doc": round(t1_s / n, 3),
            "tesseract_default_s_per_doc": round(tdef_s / n, 3) if tdef_s is not None else None,
            "ratio_vs_tesseract_omp1": round(t1_s / scan_s, 2),
            "ratio_vs_tesseract_default": round(tdef_s / scan_s, 2) if tdef_s is not None else None,
            "median_stage_ms": stages,
            "peak_rss_mib": round(rss, 1),
            "tesseract_peak_rss_mib": round(rss_t, 1) if rss_t else None,
        }
        rows.append(row)
        print(f"{cat}: {row['noticescan_1core_s_per_doc']} s/doc on one core", file=sys.stderr)

    lines = [f"Corpus `{args.corpus}`, split `{args.split}`, {args.per_category} documents per category, "
             f"{args.jobs} cores. Seconds per document; ratio = tesseract time / noticescan one-core time "
             "(higher is better for noticescan). tesseract CLI + pdftotext read the text only; noticescan "
             "also orients, deskews and extracts.", "",
             "| category | docs | pages | noticescan 1 core | noticescan all cores | pages/s (all cores) | "
             "tesseract OMP=1 | tesseract default | x vs OMP=1 | x vs default | peak MiB (noticescan run / tesseract) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['category']} | {r['docs']} | {r['pages']} | {r['noticescan_1core_s_per_doc']} | "
                     f"{r['noticescan_all_cores_s_per_doc']} | {r['noticescan_pages_per_s_all_cores']} | "
                     f"{r['tesseract_omp1_s_per_doc']} | {r['tesseract_default_s_per_doc'] or '-'} | "
                     f"{r['ratio_vs_tesseract_omp1']} | {r['ratio_vs_tesseract_default'] or '-'} | "
                     f"{r['peak_rss_mib']} / {r['tesseract_peak_rss_mib'] or '-'} |")
    lines += ["", "Median milliseconds per stage (noticescan, one core):", "",
              "| category | load | page | ocr | reread | barcode | extract | total |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = r["median_stage_ms"]
        lines.append(f"| {r['category']} | {s['load']} | {s['page']} | {s['ocr']} | {s['reread']} | {s['barcode']} | "
                     f"{s['extract']} | {s['total']} |")
    md = "\n".join(lines) + "\n"
    if args.out_json:
        args.out_json.write_text(json.dumps({"corpus": str(args.corpus), "rows": rows}, indent=2) + "\n")
    if args.out_md:
        args.out_md.write_text(md)
    print(md)


if __name__ == "__main__":
    sys.exit(main())
