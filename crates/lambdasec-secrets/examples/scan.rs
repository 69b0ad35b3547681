//! Scan paths and print the findings (redacted), what was skipped, and the throughput.
//!
//! `cargo run --release -p lambdasec-secrets --example scan -- PATH... [--low]`

use lambdasec_secrets::{Confidence, Detector, ScanOptions, Scanner};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let low = args.iter().any(|a| a == "--low");
    let quiet = args.iter().any(|a| a == "--quiet");
    let detector = Detector::shared().map_err(|e| e.to_string())?;
    let options = ScanOptions {
        min_confidence: if low {
            Confidence::Low
        } else {
            Confidence::Medium
        },
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(detector, options);
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let start = Instant::now();
        let report = scanner.scan_path(std::path::Path::new(path));
        let secs = start.elapsed().as_secs_f64();
        if !quiet {
            for f in &report.findings {
                println!(
                    "{}:{}:{}: {} ({}, {}) {}",
                    f.path,
                    f.line,
                    f.column,
                    f.secret.kind,
                    f.secret.confidence,
                    f.secret.rule,
                    f.secret.redacted
                );
            }
        }
        let skipped_binary = report
            .skipped
            .iter()
            .filter(|s| s.reason == lambdasec_secrets::SkipReason::Binary)
            .count();
        eprintln!(
            "{path}: {} findings, {} files ({:.1} MB text) in {} archives, {} skipped ({} binary), {} errors, {:.3} s, {:.0} MB/s",
            report.findings.len(),
            report.files_scanned,
            report.bytes_scanned as f64 / 1e6,
            report.archives,
            report.skipped.len(),
            skipped_binary,
            report.errors.len(),
            secs,
            report.bytes_scanned as f64 / 1e6 / secs
        );
        for e in &report.errors {
            eprintln!("error: {e}");
        }
    }
    Ok(())
}
