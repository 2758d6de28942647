#!/usr/bin/env python3
"""Checks that reading a page header first gives what reading it whole gives.

Scans the corpus split twice with the same scanner, once as it is (header first) and once with
`--full-page`, and compares each document's answer: the identifiers (type, value, page, role,
label), the document facts (notice type, form type, dates) and the confidences. Also reports the
OCR time both ways (noticescan's own `timings_ms`).

    tools/compare_reads.py --corpus build/corpus --out-md build/compare-reads.md

Exits 1 when any document differs in content. Values are not printed unless --show-values.
"""
import argparse
import pathlib
import statistics
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from evaluate import add_corpus_arguments, corpus_documents, run_scanner  # noqa: E402  as the evaluation does

FACTS = ("notice_type", "form_type", "notice_date", "received_date", "priority_date")


def content(result):
    fields = {(f["type"], f["value"], f.get("page"), f.get("role"), f.get("label")) for f in result.get("fields", [])}
    facts = {k: result.get("document", {}).get(k) for k in FACTS}
    return fields, facts


def confidences(result):
    return {(f["type"], f["value"]): f["confidence"] for f in result.get("fields", [])}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_arguments(ap)
    ap.add_argument("--show-values", action="store_true", help="print the differing values (synthetic data only)")
    ap.add_argument("--out-md", type=pathlib.Path)
    args = ap.parse_args()

    docs = corpus_documents(args)

    header = run_scanner(args.scanner, docs, args.corpus, args.jobs, [])
    full = run_scanner(args.scanner, docs, args.corpus, args.jobs, ["--full-page"])

    rows = {}
    differences = []
    deltas = []
    for d in docs:
        a, b = header.get(d["file"], {}), full.get(d["file"], {})
        fields_a, facts_a = content(a)
        fields_b, facts_b = content(b)
        same = fields_a == fields_b and facts_a == facts_b
        ca, cb = confidences(a), confidences(b)
        deltas += [abs(ca[k] - cb[k]) for k in ca.keys() & cb.keys()]
        r = rows.setdefault(d["category"], {"docs": 0, "same": 0, "ocr_header": [], "ocr_full": [],
                                            "total_header": [], "total_full": []})
        r["docs"] += 1
        r["same"] += same
        for key, res in (("header", a), ("full", b)):
            t = res.get("timings_ms") or {}
            r["ocr_" + key].append(t.get("ocr", 0) + t.get("reread", 0))
            r["total_" + key].append(t.get("total", 0))
        if not same:
            show = (lambda s: sorted(map(str, s))) if args.show_values else (lambda s: sorted(x[0] for x in s))
            differences.append({
                "file": d["file"],
                "only_header_first": show(fields_a - fields_b),
                "only_full_page": show(fields_b - fields_a),
                "facts": {k: (facts_a[k], facts_b[k]) for k in FACTS if facts_a[k] != facts_b[k]}
                if args.show_values else [k for k in FACTS if facts_a[k] != facts_b[k]],
            })

    med = lambda v: round(statistics.median(v)) if v else 0
    lines = [f"Corpus `{args.corpus}`, split `{args.split}`: header-first read against full-page read, same "
             "scanner, same run. Same content = identical identifiers (type, value, page, role, label) and "
             "document facts. Milliseconds are medians of noticescan's own timings (ocr = ocr + reread).", "",
             "| category | docs | same content | ocr ms header-first | ocr ms full page | total ms header-first | "
             "total ms full page |", "|---|---|---|---|---|---|---|"]
    total_docs = total_same = 0
    for cat in sorted(rows):
        r = rows[cat]
        total_docs += r["docs"]
        total_same += r["same"]
        lines.append(f"| {cat} | {r['docs']} | {r['same']} | {med(r['ocr_header'])} | {med(r['ocr_full'])} | "
                     f"{med(r['total_header'])} | {med(r['total_full'])} |")
    every = lambda k: [x for r in rows.values() for x in r[k]]
    lines.append(f"| **all** | {total_docs} | {total_same} | {med(every('ocr_header'))} | {med(every('ocr_full'))} | "
                 f"{med(every('total_header'))} | {med(every('total_full'))} |")
    if deltas:
        lines += ["", f"Confidence of the identifiers both reads found: mean absolute difference "
                      f"{statistics.mean(deltas):.4f}, largest {max(deltas):.4f} ({len(deltas)} identifiers)."]
    if differences:
        lines += ["", "Documents that differ:", ""]
        lines += [f"- `{x['file']}`: only header-first {x['only_header_first']}, only full page "
                  f"{x['only_full_page']}, facts {x['facts']}" for x in differences]
    md = "\n".join(lines) + "\n"
    if args.out_md:
        args.out_md.write_text(md)
    print(md)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
