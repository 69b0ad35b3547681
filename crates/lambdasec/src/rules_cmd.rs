//! `lambdasec rules` and `lambdasec rule CODE`.

use crate::cli::{RuleArgs, RulesArgs, RulesFormat};
use anyhow::bail;
use lambdasec_rules::{docs, registry, runtime_lifecycle};
use std::process::ExitCode;

pub fn list(args: &RulesArgs) -> anyhow::Result<ExitCode> {
    let out = match args.format {
        RulesFormat::Markdown => docs::rules_table(),
        RulesFormat::Json => {
            let rules: Vec<_> = registry::all()
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "code": m.code,
                        "name": m.name,
                        "title": m.title,
                        "severity": m.severity,
                        "kinds": m.kinds,
                        "inputs": m.inputs,
                        "fix": m.fix,
                        "summary": m.summary(),
                    })
                })
                .collect();
            let t = runtime_lifecycle();
            let doc = serde_json::json!({
                "rules": rules,
                "runtime_lifecycle": {"as_of": t.as_of.to_string(), "source": t.source},
            });
            format!("{}\n", serde_json::to_string_pretty(&doc)?)
        }
        RulesFormat::Text => {
            let mut out = String::new();
            for r in registry::all() {
                let m = r.meta();
                let inputs: Vec<&str> = m.inputs.iter().map(|i| i.as_str()).collect();
                out.push_str(&format!(
                    "{:<7} {:<9} {:<32} {}\n        inputs: {}\n",
                    m.code,
                    m.severity.as_str(),
                    m.name,
                    m.title,
                    inputs.join(", ")
                ));
            }
            let t = runtime_lifecycle();
            out.push_str(&format!(
                "\n{} rules. Runtime lifecycle table as of {} ({}).\n",
                registry::all().len(),
                t.as_of,
                t.source
            ));
            out
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

pub fn show(args: &RuleArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = registry::find(&args.code) else {
        bail!("no rule `{}` (see `lambdasec rules`)", args.code);
    };
    print!("{}", docs::rule_page(rule.meta()));
    Ok(ExitCode::SUCCESS)
}
