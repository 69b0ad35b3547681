//! `lambdasec collect`, and the live collection behind `scan --aws`: flags into
//! [`lambdasec_aws::CollectOptions`], a progress line on a terminal, a summary on stderr.

use crate::cli::{AwsArgs, CollectArgs};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use lambdasec_aws::{
    Accounts, Action, CollectOptions, Collection, Download, Failure, Progress, Regions,
    collect_blocking, write_snapshot,
};
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub fn run(args: &CollectArgs) -> anyhow::Result<ExitCode> {
    let download = args.download_code.then(|| {
        Download::beside(
            &args.output,
            args.max_package_size.saturating_mul(1024 * 1024),
        )
    });
    let collection = collect(&args.live, args.region.as_deref(), download)?;
    write_snapshot(&collection.snapshot, &args.output)?;
    eprintln!("snapshot written to {}", args.output.display());
    Ok(ExitCode::SUCCESS)
}

/// Collect with the flags, showing progress on a terminal and a summary on stderr.
pub fn collect(
    live: &AwsArgs,
    region: Option<&str>,
    download: Option<Download>,
) -> anyhow::Result<Collection> {
    let options = CollectOptions {
        profile: live.profile.clone(),
        regions: region.map(Regions::parse).transpose()?.unwrap_or_default(),
        role_arn: live.role_arn.clone(),
        accounts: live
            .accounts
            .as_deref()
            .map(Accounts::parse)
            .transpose()?
            .unwrap_or_default(),
        endpoint_url: live.endpoint_url.clone(),
        download,
        concurrency: live.concurrency,
        max_attempts: live.max_attempts,
        ..CollectOptions::default()
    };
    let progress = Arc::new(Bar::new());
    let collection =
        collect_blocking(&options, progress.clone()).context("cannot collect from AWS")?;
    progress.bar.finish_and_clear();
    summarize(&collection);
    Ok(collection)
}

fn summarize(c: &Collection) {
    let accounts = c.snapshot.accounts.len();
    let regions: usize = c.snapshot.accounts.iter().map(|a| a.regions.len()).sum();
    let functions: usize = c
        .snapshot
        .accounts
        .iter()
        .flat_map(|a| &a.regions)
        .map(|r| r.functions.len())
        .sum();
    let gaps: usize = c
        .snapshot
        .accounts
        .iter()
        .map(|a| a.not_assessed.len())
        .sum();
    let requests: u64 = c.requests.values().sum();
    eprintln!(
        "collected {functions} functions in {accounts} account(s), {regions} region(s): \
         {requests} requests in {:.1}s; {gaps} call(s) not assessed",
        c.elapsed.as_secs_f64()
    );
}

/// A spinner with counts, drawn only on a terminal.
#[derive(Debug)]
struct Bar {
    bar: ProgressBar,
    calls: AtomicU64,
    gaps: AtomicU64,
}

impl Bar {
    fn new() -> Bar {
        let bar = if std::io::stderr().is_terminal() {
            let b = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
                b.set_style(style);
            }
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        } else {
            ProgressBar::hidden()
        };
        Bar {
            bar,
            calls: AtomicU64::new(0),
            gaps: AtomicU64::new(0),
        }
    }

    fn update(&self) {
        self.bar.set_message(format!(
            "{} calls, {} not assessed",
            self.calls.load(Ordering::Relaxed),
            self.gaps.load(Ordering::Relaxed)
        ));
    }
}

impl Progress for Bar {
    fn call_done(&self, _action: Action) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.update();
    }

    fn not_assessed(&self, _action: Action, _failure: &Failure) {
        self.gaps.fetch_add(1, Ordering::Relaxed);
        self.update();
    }
}
