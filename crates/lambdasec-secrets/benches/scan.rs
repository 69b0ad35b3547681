//! Throughput of the detector and of package scanning.
//!
//! - `detector/code`: one thread over 32 MB of generated source code and configuration (a line
//!   in twelve has a keyword such as `token`, `password`, `secret`; URLs, hashes; no secrets).
//! - `package/directory`: an extracted package of 2,000 files (128 MB of text, plus native
//!   libraries skipped by name) scanned from disk with every core.
//! - `package/zip-100mb`: a 100 MB deployment package (deflated code plus stored native
//!   libraries) scanned from disk with every core.
//!
//! `cargo bench -p lambdasec-secrets --bench scan`

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark setup: a failure aborts the run"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lambdasec_secrets::{Detector, ScanOptions, Scanner};
use std::io::Write;
use std::path::Path;

/// xorshift64*.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn ident(&mut self) -> String {
        const SYL: &[&str] = &[
            "order", "user", "item", "count", "get", "set", "value", "data", "cfg", "client",
            "req", "res", "handler", "event", "ctx", "line", "buf", "map", "list", "parse", "load",
            "save", "id", "name", "path", "key", "index", "size", "total", "state",
        ];
        let n = 1 + self.below(3);
        let mut s = String::new();
        for i in 0..n {
            let w = SYL[self.below(SYL.len())];
            if i > 0 && self.below(2) == 0 {
                s.push('_');
            }
            s.push_str(w);
        }
        s
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect()
    }
}

/// One line of code-like text.
fn line(g: &mut Gen) -> String {
    let (a, b, c) = (g.ident(), g.ident(), g.ident());
    // Keyword lines (token, password, secret, api_key) are 4 in 48: about one line in twelve.
    match g.below(48) {
        0 => format!("def {a}({b}, {c}=None):\n"),
        1 => format!("    {a} = {b}.{c}({})\n", g.below(1000)),
        2 => format!(
            "    if {a} is None or len({b}) > {}:\n        return {c}\n",
            g.below(64)
        ),
        3 => format!("const {a} = require('{b}/{c}');\n"),
        4 => format!("  \"{a}\": \"{b}-{c}\",\n"),
        5 => format!("    token = self.{a}.get_token({b})  # refresh the {c} token\n"),
        6 => format!(
            "    password = os.environ[\"{}_PASSWORD\"]\n",
            a.to_uppercase()
        ),
        7 => format!(
            "    url = \"https://{a}.example.com/{b}/{c}?page={}\"\n",
            g.below(99)
        ),
        8 => format!("  integrity: sha512-{}\n", g.hex(86)),
        9 => format!("    secret_name = \"prod/{a}/{b}\"\n"),
        10 => {
            format!("// {a} {b} {c}: see the docs for the {a} lifecycle and the api_key header\n")
        }
        11 => format!("    for {a} in {b}.{c}():\n        yield {a}\n"),
        12 => format!("{a}.{b} = function({c}) {{ return {c} && {c}.{a}; }};\n"),
        13 => format!(
            "    logger.debug(\"{a} %s {b} %d\", {c}, {})\n",
            g.below(10)
        ),
        14 => format!("    raise ValueError(f\"invalid {a}: {{{b}!r}}\")\n"),
        15..=31 => format!(
            "    return {{\"{a}\": {b}, \"{c}\": {}}}\n",
            g.below(1 << 16)
        ),
        _ => format!("    {a}.{b}({c}, {})\n", g.below(100)),
    }
}

fn text(g: &mut Gen, bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 256);
    while out.len() < bytes {
        out.extend_from_slice(line(g).as_bytes());
    }
    out
}

fn random_bytes(g: &mut Gen, bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 8);
    while out.len() < bytes {
        out.extend_from_slice(&g.next().to_le_bytes());
    }
    out.truncate(bytes);
    out
}

fn write_package(root: &Path, files: usize, text_bytes: usize, g: &mut Gen) {
    for i in 0..files {
        let dir = root.join(format!("pkg{}/mod{}", i % 40, i % 7));
        std::fs::create_dir_all(&dir).unwrap();
        let ext = ["py", "js", "json", "yaml", "ts"][i % 5];
        std::fs::write(dir.join(format!("f{i}.{ext}")), text(g, text_bytes / files)).unwrap();
        if i % 50 == 0 {
            std::fs::write(dir.join(format!("native{i}.so")), random_bytes(g, 1 << 20)).unwrap();
        }
    }
}

/// A zip of about `target` bytes: deflated code and stored native libraries (60/40).
fn write_zip(path: &Path, target: u64, g: &mut Gen) -> u64 {
    let file = std::fs::File::create(path).unwrap();
    let mut w = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut written = 0u64;
    let mut i = 0;
    while written < target {
        if i % 10 < 4 {
            let data = random_bytes(g, 4 << 20);
            w.start_file(format!("lib/native{i}.so"), stored).unwrap();
            w.write_all(&data).unwrap();
            written += data.len() as u64;
        } else {
            let data = text(g, 1 << 20);
            w.start_file(format!("src/pkg{}/m{i}.py", i % 13), deflate)
                .unwrap();
            w.write_all(&data).unwrap();
            written += data.len() as u64 / 4;
        }
        i += 1;
    }
    w.finish()
        .unwrap()
        .into_inner()
        .unwrap()
        .sync_all()
        .unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn benches(c: &mut Criterion) {
    let detector = Detector::shared().unwrap();
    let scanner = Scanner::new(detector, ScanOptions::default());
    let mut g = Gen(0x5eed);

    let code = text(&mut g, 32 << 20);
    let mut group = c.benchmark_group("detector");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(code.len() as u64));
    group.bench_function("code", |b| b.iter(|| detector.scan(&code)));
    group.finish();

    let dir = tempfile::tempdir().unwrap();
    write_package(dir.path(), 2000, 128 << 20, &mut g);
    let probe = scanner.scan_path(dir.path());
    assert!(probe.errors.is_empty());
    let mut group = c.benchmark_group("package");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(probe.bytes_scanned));
    group.bench_function("directory", |b| b.iter(|| scanner.scan_path(dir.path())));

    let zip_path = dir.path().join("function.zip");
    let size = write_zip(&zip_path, 100 << 20, &mut g);
    let probe = scanner.scan_path(&zip_path);
    assert!(probe.errors.is_empty());
    eprintln!(
        "zip: {:.1} MB on disk, {:.1} MB of text scanned, {} files, {} skipped",
        size as f64 / 1e6,
        probe.bytes_scanned as f64 / 1e6,
        probe.files_scanned,
        probe.skipped.len()
    );
    group.throughput(Throughput::Bytes(size));
    group.bench_function("zip-100mb", |b| b.iter(|| scanner.scan_path(&zip_path)));
    group.finish();
}

criterion_group!(scan, benches);
criterion_main!(scan);
