//! Capability report of an authorization-details file, as JSON on stdout:
//! `cargo run --release -p lambdasec-iam --example analyze -- FILE`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: analyze AUTHORIZATION_DETAILS.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let start = std::time::Instant::now();
    let details = match lambdasec_iam::read_authorization_details(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let reports = details.analyze();
    eprintln!(
        "{path}: {} principals in {:?}",
        reports.len(),
        start.elapsed()
    );
    match serde_json::to_string_pretty(&reports) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
