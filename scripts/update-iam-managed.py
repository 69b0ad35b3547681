#!/usr/bin/env python3
"""Regenerate crates/lambdasec-iam/data/managed-policies.json.gz, the AWS managed policies.

Input: a snapshot of AWS managed policy documents in the shape
  {"_source": "...", "_unreadable_in_snapshot": ["aws/managedpolicies/<Name>.json", ...],
   "policies": {"arn:aws:iam::aws:policy/...": {"version", "updatedate", "deprecated", "document"}}}
(made from iann0036/iam-dataset, MIT; its LICENSE is kept as data/managed-policies.LICENSE),
plus data/managed-supplement.json, the few large policies the snapshot could not read, written
from the AWS Managed Policy Reference. Supplement entries win.

Output (gzip, JSON): {"source": [...], "missing": [names with no document],
  "policies": {arn: {"version", "updatedate", "deprecated", "document"}}}

Usage: scripts/update-iam-managed.py SNAPSHOT.json
"""
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "crates", "lambdasec-iam", "data")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    snap = json.load(open(sys.argv[1]))
    supp = json.load(open(os.path.join(DATA, "managed-supplement.json")))
    policies = {}
    for arn, p in snap["policies"].items():
        policies[arn] = {
            "version": p.get("version"),
            "updatedate": p.get("updatedate"),
            "deprecated": bool(p.get("deprecated")),
            "document": p["document"],
        }
    for arn, p in supp["policies"].items():
        policies[arn] = {**p, "deprecated": False}
    have = {a.rsplit("/", 1)[-1] for a in policies}
    missing = sorted(
        {
            os.path.basename(m).split(".json")[0]
            for m in snap.get("_unreadable_in_snapshot", [])
        }
        - have
    )
    out = {
        "source": [snap.get("_source", "?"), supp["_source"]],
        "missing": missing,
        "policies": dict(sorted(policies.items())),
    }
    text = json.dumps(out, separators=(",", ":"), sort_keys=False).encode()
    with open(os.path.join(DATA, "managed-policies.json.gz"), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as g:
            g.write(text)
    print(f"{len(policies)} policies, {len(missing)} missing, {len(text)} bytes raw",
          file=sys.stderr)


if __name__ == "__main__":
    main()
