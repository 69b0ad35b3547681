//! The archive reader on arbitrary bytes: never panics, and the caps hold.
#![no_main]

use lambdasec_secrets::{Detector, Limits, ScanOptions, Scanner};
use libfuzzer_sys::fuzz_target;

const LIMITS: Limits = Limits {
    max_file_size: 64 * 1024,
    max_total_size: 256 * 1024,
    max_entries: 64,
    max_depth: 3,
    max_ratio: 100,
};

fuzz_target!(|data: &[u8]| {
    let Ok(detector) = Detector::shared() else {
        return;
    };
    let scanner = Scanner::new(
        detector,
        ScanOptions {
            limits: LIMITS,
            ..ScanOptions::default()
        },
    );
    let report = scanner.scan_bytes("fuzz.zip", data);
    assert!(report.bytes_scanned <= LIMITS.max_total_size);
    for finding in &report.findings {
        assert!(finding.path.matches("!/").count() <= LIMITS.max_depth + 1);
        assert!(finding.line >= 1 && finding.column >= 1);
    }
});
