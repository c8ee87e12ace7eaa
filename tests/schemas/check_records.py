#!/usr/bin/env python3
"""Validates example records against the JSON Schemas in docs/schemas.

  check_records.py SCHEMA_DIR EXAMPLES_PROGRAM

Runs EXAMPLES_PROGRAM, which prints `<schema file>\t<record>` lines (one example of each
record the gateway forwards, from its real encoders), and validates every record with
python3-jsonschema (Draft 2020-12). Fails naming the record and what is wrong, and also
when a schema got no example at all, so that a new record type cannot go unchecked.
"""
import collections
import json
import os
import subprocess
import sys

import jsonschema


def main():
    schema_dir, program = sys.argv[1], sys.argv[2]
    schemas = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".schema.json"):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
                schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(schema)
            schemas[name] = jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    output = subprocess.run([program], check=True, capture_output=True, text=True,
                            timeout=60).stdout
    checked = collections.Counter()
    sources = collections.Counter()
    failures = 0
    for number, line in enumerate(output.splitlines(), 1):
        schema_name, text = line.split("\t", 1)
        record = json.loads(text)
        for error in schemas[schema_name].iter_errors(record):
            failures += 1
            where = "/".join(str(p) for p in error.absolute_path) or "(record)"
            print(f"example {number} ({schema_name}): {where}: {error.message}\n  {text}")
        checked[schema_name] += 1
        if schema_name == "alert.schema.json":
            sources[f"{record.get('source')}:{record.get('state')}"] += 1
    for name in schemas:
        if checked[name] == 0:
            failures += 1
            print(f"{name}: no example record was checked against it")
    print("checked:", dict(checked))
    print("alert sources and states:", dict(sorted(sources.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
