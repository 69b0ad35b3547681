#!/usr/bin/env python3
"""Score lambdasec against the labelled IaC suites of a corpus directory (kics-lambda and
checkov-lambda-iam, each with an EXPECTED.json written in lambdasec's rule codes).

Usage: scripts/score-corpus.py CORPUS_DIR [--bin target/debug/lambdasec] [--codes URL001,...]

For every scorable entry (verdict `lambdasec` FAIL or PASS) of a rule lambdasec implements, a FAIL
must be reported for the entry's resource, and a PASS must not. Entries marked `mode: strict-mode`
are scored with --strict. Prints a per-code table and every disagreement.
"""
import argparse
import collections
import json
import os
import subprocess
import sys


def scan(binary, files, strict):
    cmd = [binary, "scan", "--format", "json", "--fail-on", "critical", "--color", "never"]
    if strict:
        cmd.append("--strict")
    out = subprocess.run(cmd + files, capture_output=True, text=True)
    if out.returncode not in (0, 1, 2):
        sys.exit(f"lambdasec failed ({out.returncode}): {out.stderr}")
    doc = json.loads(out.stdout)
    by_file = collections.defaultdict(list)
    for f in doc["findings"]:
        by_file[os.path.realpath(f["location"].get("file", ""))].append(f)
    errors = collections.defaultdict(list)
    for e in doc["errors"]:
        errors[os.path.realpath(e["file"])].append(e["message"])
    return by_file, errors


def about(finding, resource):
    """A finding is about `resource` when it names it, or when one of its related locations is
    the resource itself (a URL finding points at its function)."""
    if finding["resource"]["id"] == resource:
        return True
    return any(r["location"].get("path") == f"Resources.{resource}" for r in finding.get("related", []))


def entries(suite_dir):
    exp = json.load(open(os.path.join(suite_dir, "EXPECTED.json")))
    for path, v in exp["files"].items():
        items = v["findings"] if isinstance(v, dict) else v
        for it in items:
            verdict = it.get("lambdasec")
            if verdict not in ("FAIL", "PASS"):
                continue
            yield os.path.realpath(os.path.join(suite_dir, path)), it


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--bin", default="target/debug/lambdasec")
    ap.add_argument("--codes", default="")
    args = ap.parse_args()
    rules = json.loads(subprocess.run([args.bin, "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout)
    implemented = {r["code"] for r in rules["rules"]}
    if args.codes:
        implemented &= set(args.codes.split(","))
    table = collections.defaultdict(lambda: collections.Counter())
    problems = []
    for suite in ("kics-lambda", "checkov-lambda-iam"):
        sdir = os.path.join(args.corpus, suite)
        todo = [(p, it) for p, it in entries(sdir) if it.get("our_code") in implemented]
        for strict in (False, True):
            batch = [(p, it) for p, it in todo if (it.get("mode") == "strict-mode") == strict]
            if not batch:
                continue
            files = sorted({p for p, _ in batch})
            found, errors = scan(args.bin, files, strict)
            for path, it in batch:
                code, res, want = it["our_code"], it.get("resource"), it["lambdasec"]
                hits = [f for f in found.get(path, []) if f["code"] == code and (res is None or about(f, res))]
                got = "FAIL" if hits else "PASS"
                rel = os.path.relpath(path, args.corpus)
                # A file with errors is still scored (loaders keep what they can read); the
                # errors are listed so a verdict that depends on them can be explained.
                if errors.get(path):
                    table[code]["with-errors"] += 1
                if got == want:
                    table[code]["agree"] += 1
                else:
                    table[code]["disagree"] += 1
                    problems.append(f"{code} {rel} [{res}]: expected {want}, got {got}" + (f" ({it.get('note')})" if it.get("note") else "")
                                    + (f" [file errors: {errors[path][0]}]" if errors.get(path) else ""))
    print(f"{'code':8} {'agree':>6} {'disagree':>9} {'with-errors':>12}")
    for code in sorted(table):
        c = table[code]
        print(f"{code:8} {c['agree']:>6} {c['disagree']:>9} {c['with-errors']:>12}")
    if problems:
        print("\nDifferences:")
        for p in problems:
            print("  " + p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
