//! `lambdasec scan`.

use crate::cli::{ColorChoice, OutputFormat, ScanArgs};
use crate::config::Settings;
use crate::pipeline::analyse;
use anyhow::bail;
use lambdasec_load::{Discovery, discover, load};
use lambdasec_model::{Inventory, SourceMap};
use lambdasec_report::{Format, Report, ReportError, TextOptions, render};
use lambdasec_rules::compliance::{self, Framework};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let settings = Settings::resolve(args)?;
    let framework = match args.compliance.as_deref() {
        None => None,
        Some(name) => Some(compliance_framework(name)?),
    };
    if framework.is_some() && args.format == OutputFormat::Sarif {
        bail!("--compliance is reported in the text and JSON formats, not in SARIF");
    }
    let sources = SourceMap::new();
    let (discovery, inventories) = if args.aws {
        // The live account, mapped exactly as a snapshot of it would be.
        let collection = crate::collect_cmd::collect(&args.live, args.region.as_deref(), None)?;
        (Discovery::default(), vec![collection.inventory()])
    } else {
        let discovery = discover(&args.paths, &sources);
        let inventories: Vec<Inventory> = discovery
            .units
            .par_iter()
            .map(|u| load(u, &sources, &settings.load))
            .collect();
        (discovery, inventories)
    };
    let mut analysis = analyse(&sources, &inventories, &settings, framework);
    analysis.errors.splice(
        0..0,
        discovery.errors.iter().map(|e| ReportError {
            file: e.path.clone(),
            message: e.message.clone(),
            line: None,
            column: None,
        }),
    );

    let format = match args.format {
        OutputFormat::Text => Format::Text,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let report = Report {
        sources: &sources,
        findings: &analysis.findings,
        errors: &analysis.errors,
        warnings: &analysis.warnings,
        counts: analysis.counts,
        compliance: analysis.compliance.as_ref(),
        not_assessed: &analysis.not_assessed,
    };
    let out = render(&report, format, TextOptions { color });
    crate::output::deliver(&out, args.output.as_deref())?;

    Ok(if !analysis.errors.is_empty() {
        ExitCode::from(2)
    } else if analysis
        .findings
        .iter()
        .any(|f| f.severity >= settings.fail_on)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The framework `--compliance` names, or an error listing the known ones.
fn compliance_framework(name: &str) -> anyhow::Result<&'static Framework> {
    let all = compliance::frameworks().map_err(|e| anyhow::anyhow!("{e}"))?;
    compliance::framework(name).ok_or_else(|| {
        let known: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
        anyhow::anyhow!(
            "unknown compliance framework `{name}` (known: {})",
            known.join(", ")
        )
    })
}
