#!/usr/bin/env python3
"""Checks one answer of `noticescan serve` against docs/openapi.json: the status must be listed for
the path and method, and the JSON body must match the schema given there.

    tools/check_api.py METHOD PATH STATUS BODY_FILE

Exits 0 when it does, 1 (with the reason, never the body's values) when it does not.
"""
import json
import pathlib
import sys

import jsonschema

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


def resolve(node, spec):
    """The schema with every $ref replaced by what it names (components, or a file beside the spec)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target = spec
            for part in ref[2:].split("/"):
                target = target[part]
            return resolve(target, spec)
        if isinstance(ref, str):
            # A JSON Schema document beside the spec: inlined, its own "#/..." references with it,
            # so any jsonschema version validates it the same way.
            document = json.loads((DOCS / ref).read_text())
            document.pop("$id", None)
            document.pop("$schema", None)
            return resolve(document, document)
        return {k: resolve(v, spec) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, spec) for v in node]
    return node


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    method, path, status, body_file = argv[1].lower(), argv[2], argv[3], argv[4]
    spec = json.loads((DOCS / "openapi.json").read_text())
    operation = spec["paths"].get(path, {}).get(method)
    if operation is None:
        print(f"{method.upper()} {path} is not in the API description", file=sys.stderr)
        return 1
    response = operation["responses"].get(status)
    if response is None:
        print(f"{method.upper()} {path} answered {status}, which the API description does not list", file=sys.stderr)
        return 1
    schema = resolve(response["content"]["application/json"]["schema"], spec)
    body = json.loads(pathlib.Path(body_file).read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(body))
    for error in errors[:5]:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        print(f"{method.upper()} {path} {status}: {where}: {error.validator} check failed", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
