#!/usr/bin/env bash
# Refresh crates/lambdasec-load/data/sam-policy-templates.json (the SAM policy templates that
# `Policies:` entries such as `DynamoDBCrudPolicy: {TableName: ...}` expand to) from the PyPI
# package `aws-sam-translator` (Apache-2.0), with its license and notice, and rewrite the
# origin note beside it.
# Usage: scripts/update-sam-policy-templates.sh [aws-sam-translator version]
set -euo pipefail
version="${1:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/crates/lambdasec-load/data"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" "aws-sam-translator${version:+==$version}"
wheel="$(ls "$tmp"/aws_sam_translator-*.whl)"
python3 - "$wheel" "$data" <<'PY'
import json, sys, zipfile
wheel, data = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(wheel)
version = wheel.rsplit("/", 1)[-1].split("-")[1]
name = "samtranslator/policy_templates_data/policy_templates.json"
info = z.getinfo(name)
templates = json.loads(z.read(name))
assert "Templates" in templates and templates["Templates"], "no templates in the package"
with open(f"{data}/sam-policy-templates.json", "wb") as f:
    f.write(z.read(name))
dist = f"aws_sam_translator-{version}.dist-info/licenses"
for src, dst in (("LICENSE", "LICENSE"), ("NOTICE", "NOTICE")):
    with open(f"{data}/sam-policy-templates.{dst}", "wb") as f:
        f.write(z.read(f"{dist}/{src}"))
with open(f"{data}/sam-policy-templates.md", "w") as f:
    f.write(f"""# SAM policy templates

`sam-policy-templates.json` is `{name}` from the PyPI package
`aws-sam-translator` {version} (file dated {"%04d-%02d-%02d" % info.date_time[:3]}), unchanged:
{len(templates["Templates"])} templates, format version {templates.get("Version")}.

License: Apache-2.0 (`sam-policy-templates.LICENSE`, `sam-policy-templates.NOTICE`), from
aws/serverless-application-model.

Refresh with `scripts/update-sam-policy-templates.sh [version]`; the loader's tests check that
every template expands.
""")
print(f"aws-sam-translator {version}: {len(templates['Templates'])} templates")
PY
