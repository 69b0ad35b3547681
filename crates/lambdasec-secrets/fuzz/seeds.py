"""Write small seed archives for the `archive` fuzz target into the directory given."""
import io
import os
import sys
import zipfile


def zip_of(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def main(out):
    os.makedirs(out, exist_ok=True)
    text = b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\npassword = \"Zr4Qm9Tx2Lp7Vb1Nc8Kd\"\n"
    inner = zip_of([("config/app.properties", text), ("lib/x.so", b"\x7fELF\0\0")])
    seeds = {
        "plain.zip": zip_of([("a.txt", text)]),
        "stored.zip": zip_of([("a.txt", text), ("dir/", b"")], zipfile.ZIP_STORED),
        "nested.zip": zip_of([("lib/inner.jar", inner), ("README.md", b"hello")]),
        "deep.zip": zip_of([("a.zip", zip_of([("b.zip", inner)]))]),
        "ratio.zip": zip_of([("bomb.txt", b"a" * 200000)]),
        "empty.zip": zip_of([]),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus/archive")
