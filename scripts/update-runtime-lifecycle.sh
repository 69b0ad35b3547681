#!/usr/bin/env bash
# Regenerate crates/lambdasec-rules/data/runtime-lifecycle.json from the Lambda runtime lifecycle
# table that cfn-lint ships (PyPI package `cfn-lint`, MIT-0), which follows the AWS documentation
# page "Lambda runtimes" (deprecation, block-create and block-update dates).
# Usage: scripts/update-runtime-lifecycle.sh [cfn-lint version]
set -euo pipefail
version="${1:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
spec="cfn-lint${version:+==$version}"
python3 -m pip download --quiet --no-deps --dest "$tmp" "$spec"
wheel="$(ls "$tmp"/cfn_lint-*.whl)"
python3 - "$wheel" "$root/crates/lambdasec-rules/data/runtime-lifecycle.json" <<'PY'
import json, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(wheel)
name = "cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json"
info = z.getinfo(name)
table = json.loads(z.read(name))
version = wheel.rsplit("/", 1)[-1].split("-")[1]
runtimes = {
    rt: {k: v for k, v in sorted(entry.items()) if k in ("deprecated", "create-block", "update-block", "successor")}
    for rt, entry in sorted(table.items())
}
doc = {
    "source": f"cfn-lint {version} (PyPI), {name}; license MIT-0; dates from the AWS Lambda runtimes documentation",
    "as_of": "%04d-%02d-%02d" % info.date_time[:3],
    "runtimes": runtimes,
}
with open(out, "w") as f:
    json.dump(doc, f, indent=1, sort_keys=False)
    f.write("\n")
print(f"wrote {len(runtimes)} runtimes to {out} (table dated {doc['as_of']})")
PY
