//! `lambdasec secrets PATH...`: scan directories, files and archives for secrets directly.

use crate::cli::{OutputFormat, SecretsArgs};
use anyhow::anyhow;
use lambdasec_secrets::{Detector, Limits, ScanOptions, ScanReport, Scanner, output};
use rayon::prelude::*;
use std::process::ExitCode;

/// Exit 0 when nothing was found, 1 with findings, 2 when a path could not be read.
pub fn run(args: &SecretsArgs) -> anyhow::Result<ExitCode> {
    let detector = Detector::shared().map_err(|e| anyhow!("the secret detector: {e}"))?;
    let scanner = Scanner::new(
        detector,
        ScanOptions {
            limits: Limits {
                max_file_size: args.max_file_size.saturating_mul(1024 * 1024),
                ..Limits::default()
            },
            min_confidence: args.min_confidence.into(),
            skip_dirs: ScanOptions::NOT_DEPLOYED,
        },
    );
    let report = args
        .paths
        .par_iter()
        .map(|p| scanner.scan_path(p))
        .reduce(ScanReport::default, ScanReport::merge);

    if args.format != OutputFormat::Text {
        for e in &report.errors {
            eprintln!("error: {e}");
        }
    }
    let out = match args.format {
        OutputFormat::Text => output::text(&report),
        OutputFormat::Json => format!("{:#}\n", output::json(&report)),
        OutputFormat::Sarif => format!("{:#}\n", output::sarif(&report)),
    };
    crate::output::deliver(&out, args.output.as_deref())?;
    Ok(if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
