#!/usr/bin/env python3
"""Fits noticescan's confidence calibration (models/calibration.json) on a corpus's train split.

Runs the scanner with --raw-confidence on the split, turns every reported field into features
(the same ones src/noticescan/extract/Extractor.cpp computes: the logit of the raw score, evidence
flags, the number of repairs, the warnings of the field's page such as low_sharpness) and a label
(is the (type, value) on the page?), fits an L2-regularised logistic regression by Newton's
method, and writes the weights. Rebuild afterwards: the models are compiled in.

    build/noticescan-samplegen corpus build/corpus --seed 1 --count 360
    build/noticescan-samplegen corpus build/tune --seed 2 --count 1080 --only phone_photo
    tools/calibrate.py --corpus build/corpus --corpus build/tune:all --out models/calibration.json
    cmake --build build && tools/evaluate.py --corpus build/corpus --split test
"""

import argparse
import importlib.util
import json
import math
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FEATURES = ["logit_score", "label", "known_prefix", "unknown_prefix", "a_prefix", "text_layer", "reread",
            "reread_disputed", "repeated", "role_label", "repairs", "low_sharpness", "low_ocr_confidence",
            "barcode", "barcode_agrees", "barcode_corrected", "fiscal_year_agrees", "fiscal_year_disagrees",
            "workday_out_of_range", "outvoted_misread_twin"]


def load_evaluate():
    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "tools" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def feature(field, name, page_warnings):
    """Mirrors extract::calibrationFeature: the score's logit, the repair count, or 1/0 for an
    evidence word of the field or a warning code of its page."""
    if name == "logit_score":
        p = min(0.99, max(0.01, field["confidence"]))
        return math.log(p / (1 - p))
    if name == "repairs":
        return float(len(field["repairs"]))
    return 1.0 if name in field["evidence"] or name in page_warnings else 0.0


def rows(docs, outputs, ignored):
    out = []
    for doc in docs:
        truth = {(f["type"], f["value"]) for f in doc["fields"]}
        result = outputs.get(doc["file"], {})
        for f in result.get("fields", []):
            key = (f["type"], f["value"])
            if key in ignored(doc):
                continue
            warnings = {w.get("code") for w in result.get("warnings", []) if w.get("page") == f["page"]}
            out.append(([feature(f, n, warnings) for n in FEATURES], 1.0 if key in truth else 0.0))
    return out


def solve(a, b):
    """Solves a x = b (small, symmetric positive definite) by Gauss-Jordan elimination."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[col][col] != 0:
                factor = m[r][col] / m[col][col]
                m[r] = [x - factor * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def fit(data, l2):
    """Logistic regression with an intercept (not penalised) by Newton's method."""
    dims = len(FEATURES) + 1
    w = [0.0] * dims
    xs = [[1.0] + x for x, _ in data]
    ys = [y for _, y in data]
    for _ in range(50):
        grad = [0.0] * dims
        hess = [[0.0] * dims for _ in range(dims)]
        for x, y in zip(xs, ys):
            z = sum(a * b for a, b in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(dims):
                grad[i] += (p - y) * x[i]
                for j in range(dims):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, dims):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, action="append",
                    help="a corpus made by noticescan-samplegen, optionally DIR:SPLIT to take another split "
                         "from it (repeatable: the fit pools them)")
    ap.add_argument("--split", default="train", choices=["train", "test", "all"],
                    help="the split taken from every corpus (never fit on the split you report)")
    ap.add_argument("--scanner", default=str(ROOT / "build" / "noticescan"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--l2", type=float, default=1.0, help="L2 penalty on the weights (not the bias)")
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "models" / "calibration.json")
    args = ap.parse_args()

    evaluate = load_evaluate()
    data = []
    names = []
    for given in args.corpus:
        path, _, split = given.partition(":")
        split = split or args.split
        if split not in ("train", "test", "all"):
            sys.exit(f"unknown split {split!r} in {given}")
        corpus = pathlib.Path(path)
        names.append(f"{corpus.name} ({split})")
        docs = [json.loads(line) for line in (corpus / "truth.jsonl").read_text().splitlines() if line.strip()]
        if split != "all":
            docs = [d for d in docs if d["split"] == split]
        if not docs:
            sys.exit(f"no documents in split {split!r} of {corpus}")
        outputs = evaluate.run_scanner(args.scanner, docs, corpus, args.jobs, ["--raw-confidence"])
        data += rows(docs, outputs, evaluate.ignored)
    wrong = sum(1 for _, y in data if y == 0)
    if not data or wrong == 0 or wrong == len(data):
        sys.exit(f"{len(data)} fields, {wrong} wrong: both right and wrong fields are needed to fit")
    w = fit(data, args.l2)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    model = {
        "description": previous.get("description", "Logistic calibration of field confidence."),
        "fitted_on": f"{', '.join(names)}: {len(data)} fields, "
                     f"{wrong} wrong; l2 {args.l2}",
        "features": FEATURES,
        "weights": [round(x, 4) for x in w[1:]],
        "bias": round(w[0], 4),
    }
    args.out.write_text(json.dumps(model, indent=2) + "\n")
    print(f"fitted on {len(data)} fields ({wrong} wrong); wrote {args.out}")
    for name, weight in zip(FEATURES, model["weights"]):
        print(f"  {name:16s} {weight:+.3f}")
    print(f"  {'bias':16s} {model['bias']:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
