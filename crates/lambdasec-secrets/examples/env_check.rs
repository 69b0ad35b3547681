//! Check `NAME<TAB>VALUE[<TAB>SOURCE]` lines from stdin with SEC001 (`check_env`) and SEC004
//! (`check_sensitive_plaintext`); print what fires (redacted) and a summary.
//!
//! `cargo run --release -p lambdasec-secrets --example env_check < pairs.tsv`

use lambdasec_secrets::Detector;
use std::io::BufRead;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let detector = Detector::shared().map_err(|e| e.to_string())?;
    let (mut total, mut sec001, mut sec004) = (0usize, 0usize, 0usize);
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let mut parts = line.splitn(3, '\t');
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let source = parts.next().unwrap_or("");
        total += 1;
        if let Some(m) = detector.check_env(name, value) {
            sec001 += 1;
            println!(
                "SEC001 {source} {name}: {} ({}) {}",
                m.kind, m.confidence, m.redacted
            );
        } else if let Some(p) = detector.check_sensitive_plaintext(name, value) {
            sec004 += 1;
            println!("SEC004 {source} {name}: term {} {}", p.term, p.redacted);
        }
    }
    eprintln!("{total} variables: SEC001 {sec001}, SEC004 {sec004}");
    Ok(())
}
