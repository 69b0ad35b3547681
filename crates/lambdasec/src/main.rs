//! The `lambdasec` command: a thin shell over the loaders, the rule engine and the renderers.

mod cli;
mod collect_cmd;
mod config;
mod output;
mod pipeline;
mod policy_cmd;
mod rules_cmd;
mod scan;
mod secrets_cmd;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Scan(args) => scan::run(&args),
        cli::Command::Collect(args) => collect_cmd::run(&args),
        cli::Command::Rules(args) => rules_cmd::list(&args),
        cli::Command::Rule(args) => rules_cmd::show(&args),
        cli::Command::Policy(args) => policy_cmd::run(&args),
        cli::Command::Secrets(args) => secrets_cmd::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
