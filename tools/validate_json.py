#!/usr/bin/env python3
"""Validates noticescan output against docs/schema/result-v1.schema.json.

Reads JSON (one pretty object) or JSON Lines from the files named, or stdin. Exits 0 when every
object is valid, 1 otherwise, printing each problem (never the values themselves).
"""
import json
import pathlib
import sys

import jsonschema

SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "docs" / "schema" / "result-v1.schema.json"


def documents(text):
    text = text.strip()
    if not text:
        return []
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def main(argv):
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    sources = argv[1:] or ["-"]
    count, bad = 0, 0
    for source in sources:
        text = sys.stdin.read() if source == "-" else pathlib.Path(source).read_text()
        for doc in documents(text):
            count += 1
            for error in validator.iter_errors(doc):
                bad += 1
                where = "/".join(str(p) for p in error.absolute_path) or "(top)"
                print(f"{source}: object {count}: {where}: {error.validator} check failed", file=sys.stderr)
    if count == 0:
        print("no JSON object to validate", file=sys.stderr)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
