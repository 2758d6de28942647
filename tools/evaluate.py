#!/usr/bin/env python3
"""Measures noticescan on a corpus made by `noticescan-samplegen corpus`, beside the baseline a user
would reach for first: the `tesseract` command line (pdftotext for PDFs with text) plus regular
expressions, run on the same files in the same run.

Reports precision, recall and F1 over (type, value) per document, overall, per category and per
field type; whole-document exact match; failures and crashes; calibration of the scanner's
confidences (expected calibration error over 10 bins, precision among fields at >= 0.9); median
and p95 seconds per document. Writes a JSON report and a markdown table. With --floors, exits 1
when overall F1 or precision fall below the floors in that file.

No identifier value is printed: only counts and rates.

    tools/evaluate.py --corpus corpus --split test --out-json build/eval.json --out-md build/eval.md
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
TYPES = ("receipt_number", "a_number", "online_account_number")


# ---------------------------------------------------------------------------------------------
# Running the scanner: one process per worker, each scanning its share of the files in one call
# (so Tesseract is initialised once per worker, as in real batch use).

def run_scanner(scanner, docs, corpus, jobs, extra_args):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    results = {}

    def worker(share):
        remaining = list(share)
        while remaining:
            files = [str(corpus / d["file"]) for d in remaining]
            proc = subprocess.run([scanner, "scan", "--jsonl", *extra_args, *files], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            lines = [line for line in proc.stdout.splitlines() if line.strip()]
            for doc, line in zip(remaining, lines):
                results[doc["file"]] = json.loads(line)
            if len(lines) >= len(remaining):
                return
            # The process died on the next file: record the crash and go on with the rest.
            crashed = remaining[len(lines)]
            results[crashed["file"]] = {"status": "crash", "fields": [], "returncode": proc.returncode}
            remaining = remaining[len(lines) + 1:]

    shares = [docs[i::jobs] for i in range(jobs)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(worker, shares))
    return results


# ---------------------------------------------------------------------------------------------
# The baseline: `tesseract FILE -` (or pdftotext / pdftoppm + tesseract) and regular expressions.

RECEIPT_RE = re.compile(r"\b([A-Z]{3})[- ]?(\d{2})[- ]?(\d{3})[- ]?(\d{5})\b")
A_NUMBER_RE = re.compile(r"\bA[#\- ]{0,3}(\d{3})[- ]?(\d{3})[- ]?(\d{3})\b|\bA(\d{8})\b")
ACCOUNT_RE = re.compile(r"\b(\d{4}) ?(\d{4}) ?(\d{4})\b")


def baseline_fields(text):
    found = set()
    for m in RECEIPT_RE.finditer(text):
        found.add(("receipt_number", "".join(m.groups())))
    for m in A_NUMBER_RE.finditer(text):
        digits = "".join(g for g in m.groups() if g)
        found.add(("a_number", "A" + digits.zfill(9)))
    for m in ACCOUNT_RE.finditer(text):
        found.add(("online_account_number", "".join(m.groups())))
    return found


def baseline_text(path, env=None):
    """The text a user gets by hand: pdftotext for a PDF with text, else tesseract on each page.
    `env` defaults to OMP_THREAD_LIMIT=1."""
    env = env if env is not None else dict(os.environ, OMP_THREAD_LIMIT="1")
    run = lambda cmd: subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, timeout=600)
    if path.suffix == ".pdf":
        text = run(["pdftotext", "-layout", str(path), "-"]).stdout
        if sum(c.isalnum() for c in text) >= 40:
            return text
        with tempfile.TemporaryDirectory() as tmp:
            # PGM, not PNG: pdftoppm spends seconds compressing a noisy 300 dpi page as PNG.
            run(["pdftoppm", "-r", "300", "-gray", str(path), f"{tmp}/page"])
            # PGM carries no resolution: say it, as a user converting a PDF would.
            return "\n".join(run(["tesseract", str(p), "-", "--dpi", "300"]).stdout
                             for p in sorted(pathlib.Path(tmp).glob("*.pgm")))
    proc = run(["tesseract", str(path), "-"])
    if proc.returncode != 0:
        raise RuntimeError("tesseract failed")
    return proc.stdout


def run_baseline(docs, corpus, jobs):
    def one(doc):
        start = time.monotonic()
        try:
            fields = baseline_fields(baseline_text(corpus / doc["file"]))
            status = "ok"
        except Exception:  # the baseline's own failures count as failures, like the scanner's
            fields, status = set(), "error"
        return doc["file"], {"status": status, "found": fields, "seconds": time.monotonic() - start}

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, docs))


# ---------------------------------------------------------------------------------------------
# Scoring

def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.docs = self.exact = self.failures = self.crashes = 0
        self.seconds = []
        self.by_type = {t: [0, 0, 0] for t in TYPES}

    def add(self, truth, found, status, seconds):
        self.docs += 1
        self.failures += status == "error"
        self.crashes += status == "crash"
        self.exact += truth == found
        if seconds is not None:
            self.seconds.append(seconds)
        for t in TYPES:
            want = {v for (k, v) in truth if k == t}
            got = {v for (k, v) in found if k == t}
            tally = self.by_type[t]
            tally[0] += len(want & got)
            tally[1] += len(got - want)
            tally[2] += len(want - got)
        self.tp += len(truth & found)
        self.fp += len(found - truth)
        self.fn += len(truth - found)

    def summary(self):
        p, r, f = prf(self.tp, self.fp, self.fn)
        secs = sorted(self.seconds)
        p95 = secs[min(len(secs) - 1, int(round(0.95 * (len(secs) - 1))))] if secs else None
        return {
            "docs": self.docs, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "exact_match": round(self.exact / self.docs, 4) if self.docs else None,
            "failures": self.failures, "crashes": self.crashes,
            "median_s": round(statistics.median(secs), 3) if secs else None,
            "p95_s": round(p95, 3) if p95 is not None else None,
            "by_type": {t: dict(zip(("precision", "recall", "f1"), (round(x, 4) for x in prf(*v))),
                                tp=v[0], fp=v[1], fn=v[2]) for t, v in self.by_type.items()},
        }


def calibration(pairs):
    """pairs: (confidence, correct). Expected calibration error over 10 equal-width bins."""
    bins = [[] for _ in range(10)]
    for conf, ok in pairs:
        bins[min(9, int(conf * 10))].append((conf, ok))
    ece, table = 0.0, []
    for i, b in enumerate(bins):
        if not b:
            continue
        conf = sum(c for c, _ in b) / len(b)
        acc = sum(ok for _, ok in b) / len(b)
        ece += len(b) / len(pairs) * abs(acc - conf)
        table.append({"bin": f"{i / 10:.1f}-{(i + 1) / 10:.1f}", "n": len(b), "mean_confidence": round(conf, 3),
                      "accuracy": round(acc, 3)})
    high = [ok for c, ok in pairs if c >= 0.9]
    return {"fields": len(pairs), "ece": round(ece, 4) if pairs else None,
            "precision_at_0_9": round(sum(high) / len(high), 4) if high else None,
            "fields_at_0_9": len(high), "bins": table}


def ignored(doc):
    """Identifiers cut by a photo's edge: reading them is neither required nor an error. A value
    printed twice, once cut and once whole (header and letter), is required all the same."""
    whole = {(f["type"], f["value"]) for f in doc["fields"]}
    return {(f["type"], f["value"]) for f in doc.get("partial_fields", [])} - whole


def score(docs, outputs, found_of, status_of, seconds_of):
    overall, by_category = Tally(), {}
    for doc in docs:
        truth = {(f["type"], f["value"]) for f in doc["fields"]}
        out = outputs.get(doc["file"], {"status": "crash"})
        found, status, seconds = found_of(out) - ignored(doc), status_of(out), seconds_of(out)
        overall.add(truth, found, status, seconds)
        by_category.setdefault(doc["category"], Tally()).add(truth, found, status, seconds)
    return {"overall": overall.summary(),
            "by_category": {c: t.summary() for c, t in sorted(by_category.items())}}


def by_sharpness(docs, outputs):
    """Categories split by the scanner's own verdict: documents it warned `low_sharpness` about
    (it told the person to retake the photo) and the rest. Only categories with a warned document."""
    tallies = {}
    for doc in docs:
        out = outputs.get(doc["file"], {"status": "crash"})
        warned = any(w.get("code") == "low_sharpness" for w in out.get("warnings", []))
        truth = {(f["type"], f["value"]) for f in doc["fields"]}
        key = (doc["category"], "low_sharpness" if warned else "sharp")
        tallies.setdefault(key, Tally()).add(truth, scanner_found(out) - ignored(doc), out.get("status", "crash"),
                                             scanner_seconds(out))
    warnedCategories = {c for (c, k) in tallies if k == "low_sharpness"}
    return [{"category": c, "verdict": k, **t.summary()} for (c, k), t in sorted(tallies.items()) if c in warnedCategories]


def outline_errors(docs, outputs):
    """For photos whose sheet is wholly in frame: how far the reported outline's corners are from
    the true ones, as a share of the page's diagonal (mean of the four corners, each matched to the
    nearest reported corner)."""
    errors = []
    for doc in docs:
        if not doc.get("page_in_frame"):
            continue
        out = outputs.get(doc["file"], {})
        pages = out.get("pages") or []
        if len(pages) < doc["notice_page"]:
            continue
        found = pages[doc["notice_page"] - 1]["outline"]
        truth = doc["page_corners"]
        diagonal = max(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for a in truth for b in truth)
        mean = sum(min(((t[0] - f[0]) ** 2 + (t[1] - f[1]) ** 2) ** 0.5 for f in found) for t in truth) / 4
        errors.append(mean / diagonal)
    if not errors:
        return None
    errors.sort()
    return {"photos": len(errors), "median_corner_error": round(statistics.median(errors), 4),
            "within_1_percent": round(sum(e <= 0.01 for e in errors) / len(errors), 4),
            "worst": round(errors[-1], 4)}


def withheld(docs, outputs):
    """The values the scanner withheld as too uncertain (withheld_fields): how many were right and
    wrong, and the overall scores had it reported them too."""
    right = wrong = 0
    tally = Tally()
    for doc in docs:
        truth = {(f["type"], f["value"]) for f in doc["fields"]}
        out = outputs.get(doc["file"], {"status": "crash"})
        held = {(f["type"], f["value"]) for f in out.get("withheld_fields", [])} - ignored(doc)
        right += len(held & truth)
        wrong += len(held - truth)
        tally.add(truth, (scanner_found(out) | held) - ignored(doc), out.get("status", "crash"), scanner_seconds(out))
    return {"fields": right + wrong, "right": right, "wrong": wrong, "overall_if_reported": tally.summary()}


def scanner_found(out):
    return {(f["type"], f["value"]) for f in out.get("fields", [])}


def scanner_seconds(out):
    total = out.get("timings_ms", {}).get("total")
    return total / 1000 if total is not None else None


# ---------------------------------------------------------------------------------------------
# Reports

def pct(x):
    return "-" if x is None else f"{100 * x:.1f}"


def markdown(report):
    s, b = report["scanner"], report.get("baseline")
    lines = [f"Corpus `{report['corpus']}`, split `{report['split']}`: {report['docs']} documents, "
             f"{report['truth_fields']} identifiers. Figures in percent; seconds per document.", ""]
    head = "| | docs | precision | recall | F1 | exact docs | failures | crashes | median s | p95 s |"
    lines += ["### Overall", "", head, "|---|---|---|---|---|---|---|---|---|---|"]

    def row(name, o):
        return (f"| {name} | {o['docs']} | {pct(o['precision'])} | {pct(o['recall'])} | {pct(o['f1'])} | "
                f"{pct(o['exact_match'])} | {o['failures']} | {o['crashes']} | {o['median_s']} | {o['p95_s']} |")

    lines.append(row("noticescan", s["overall"]))
    if b:
        lines.append(row("baseline (tesseract + regex)", b["overall"]))
    lines += ["", "### Per category (F1; precision / recall)", ""]
    if b:
        lines += ["| category | docs | noticescan F1 | P / R | exact | baseline F1 | P / R | exact |",
                  "|---|---|---|---|---|---|---|---|"]
    else:
        lines += ["| category | docs | noticescan F1 | P / R | exact |", "|---|---|---|---|---|"]
    for cat, o in s["by_category"].items():
        cells = [cat, str(o["docs"]), pct(o["f1"]), f"{pct(o['precision'])} / {pct(o['recall'])}", pct(o["exact_match"])]
        if b:
            bo = b["by_category"][cat]
            cells += [pct(bo["f1"]), f"{pct(bo['precision'])} / {pct(bo['recall'])}", pct(bo["exact_match"])]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "### Per field type (F1; precision / recall)", ""]
    lines += ["| type | noticescan F1 | P / R | baseline F1 | P / R |" if b else "| type | noticescan F1 | P / R |",
              "|---|---|---|---|---|" if b else "|---|---|---|"]
    for t in TYPES:
        o = s["overall"]["by_type"][t]
        cells = [t, pct(o["f1"]), f"{pct(o['precision'])} / {pct(o['recall'])}"]
        if b:
            bo = b["overall"]["by_type"][t]
            cells += [pct(bo["f1"]), f"{pct(bo['precision'])} / {pct(bo['recall'])}"]
        lines.append("| " + " | ".join(cells) + " |")
    c = s["calibration"]
    lines += ["", "### Calibration of noticescan's confidence", "",
              f"{c['fields']} reported fields; expected calibration error (10 bins): {c['ece']}; "
              f"precision among the {c['fields_at_0_9']} fields with confidence >= 0.9: {pct(c['precision_at_0_9'])}.",
              "", "| confidence | fields | mean confidence | share correct |", "|---|---|---|---|"]
    for bin_ in c["bins"]:
        lines.append(f"| {bin_['bin']} | {bin_['n']} | {bin_['mean_confidence']} | {bin_['accuracy']} |")
    w = s.get("withheld")
    if w:
        a = w["overall_if_reported"]
        lines += ["", "### Values withheld as too uncertain", "",
                  f"{w['fields']} values were withheld (confidence under the scan's minimum, reported under "
                  f"`withheld_fields`): {w['right']} right, {w['wrong']} wrong. Reported with the rest they would give "
                  f"F1 {pct(a['f1'])}, precision {pct(a['precision'])}, recall {pct(a['recall'])} overall."]
    rows = s.get("by_sharpness")
    if rows:
        lines += ["", "### By the scanner's own sharpness verdict", "",
                  "Documents the scanner warned `low_sharpness` about (it asks the person to retake the photo) "
                  "and the rest.", "", "| category | verdict | docs | F1 | P / R | exact |", "|---|---|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {r['category']} | {r['verdict']} | {r['docs']} | {pct(r['f1'])} | "
                         f"{pct(r['precision'])} / {pct(r['recall'])} | {pct(r['exact_match'])} |")
    o = s.get("outline")
    if o:
        lines += ["", "### Page outline on photos with the whole sheet in frame", "",
                  f"{o['photos']} photos: median corner error {pct(o['median_corner_error'])}% of the page diagonal; "
                  f"{pct(o['within_1_percent'])}% of photos within 1%; worst {pct(o['worst'])}%."]
    return "\n".join(lines) + "\n"


def add_corpus_arguments(ap):
    """The options that choose the documents and the scanner (shared with compare_reads.py)."""
    ap.add_argument("--corpus", required=True, type=pathlib.Path)
    ap.add_argument("--split", default="test", choices=["test", "train", "all"])
    ap.add_argument("--category", action="append", help="only this category (repeatable)")
    ap.add_argument("--scanner", default=str(ROOT / "build" / "noticescan"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)


def corpus_documents(args):
    """The truth records the options of add_corpus_arguments choose; exits when there are none."""
    docs = [json.loads(line) for line in (args.corpus / "truth.jsonl").read_text().splitlines() if line.strip()]
    if args.split != "all":
        docs = [d for d in docs if d["split"] == args.split]
    if args.category:
        docs = [d for d in docs if d["category"] in args.category]
    if not docs:
        sys.exit(f"no documents in split {args.split!r} of {args.corpus}")
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(ap)
    ap.add_argument("--no-baseline", action="store_true", help="skip the tesseract + regex baseline")
    ap.add_argument("--out-json", type=pathlib.Path)
    ap.add_argument("--out-md", type=pathlib.Path)
    ap.add_argument("--floors", type=pathlib.Path, help="JSON with minimum overall f1 and precision")
    args = ap.parse_args()

    docs = corpus_documents(args)

    started = time.monotonic()
    outputs = run_scanner(args.scanner, docs, args.corpus, args.jobs, [])
    scanner = score(docs, outputs, scanner_found, lambda o: o.get("status", "crash"), scanner_seconds)
    pairs = []
    for doc in docs:
        truth = {(f["type"], f["value"]) for f in doc["fields"]}
        for f in outputs.get(doc["file"], {}).get("fields", []):
            if (f["type"], f["value"]) not in ignored(doc):
                pairs.append((f["confidence"], (f["type"], f["value"]) in truth))
    scanner["calibration"] = calibration(pairs)
    scanner["outline"] = outline_errors(docs, outputs)
    scanner["by_sharpness"] = by_sharpness(docs, outputs)
    scanner["withheld"] = withheld(docs, outputs)
    scanner["wall_s"] = round(time.monotonic() - started, 1)

    report = {"corpus": str(args.corpus), "split": args.split, "docs": len(docs),
              "truth_fields": sum(len(d["fields"]) for d in docs), "jobs": args.jobs, "scanner": scanner}
    if not args.no_baseline:
        started = time.monotonic()
        base = run_baseline(docs, args.corpus, args.jobs)
        report["baseline"] = score(docs, base, lambda o: o["found"], lambda o: o["status"], lambda o: o["seconds"])
        report["baseline"]["wall_s"] = round(time.monotonic() - started, 1)

    md = markdown(report)
    if args.out_json:
        args.out_json.write_text(json.dumps(report, indent=2) + "\n")
    if args.out_md:
        args.out_md.write_text(md)
    print(md)

    if args.floors:
        floors = json.loads(args.floors.read_text())
        o = scanner["overall"]
        problems = [f"{k} {o[k]:.4f} < floor {floors[k]}" for k in ("f1", "precision") if k in floors and o[k] < floors[k]]
        if o["crashes"]:
            problems.append(f"{o['crashes']} crashes")
        if problems:
            print("FAILED: " + "; ".join(problems), file=sys.stderr)
            return 1
        print(f"floors met: f1 {o['f1']} >= {floors.get('f1')}, precision {o['precision']} >= {floors.get('precision')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
