//! `lambdasec rules` and `lambdasec rule CODE`.

use crate::cli::{RuleArgs, RulesArgs, RulesFormat};
use anyhow::bail;
use lambdasec_rules::{compliance, docs, registry, runtime_lifecycle};
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
                        "compliance": compliance::mappings(m.code)
                            .into_iter()
                            .map(|(f, c)| serde_json::json!({
                                "framework": f.id,
                                "control": c.id,
                                "title": c.title,
                            }))
                            .collect::<Vec<_>>(),
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
                let mapped = mappings_text(m.code);
                if !mapped.is_empty() {
                    out.push_str(&format!("        compliance: {mapped}\n"));
                }
            }
            let t = runtime_lifecycle();
            out.push_str(&format!(
                "\n{} rules. Runtime lifecycle table as of {} ({}).\n",
                registry::all().len(),
                t.as_of,
                t.source
            ));
            if let Ok(frameworks) = compliance::frameworks() {
                let names: Vec<String> = frameworks
                    .iter()
                    .map(|f| format!("{} ({} {})", f.id, f.name, f.version))
                    .collect();
                out.push_str(&format!(
                    "Compliance frameworks (scan --compliance NAME): {}.\n",
                    names.join(", ")
                ));
            }
            out
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `aws-fsbp Lambda.1, owasp-serverless S2`: the controls a rule assesses.
fn mappings_text(code: &str) -> String {
    compliance::mappings(code)
        .iter()
        .map(|(f, c)| format!("{} {}", f.id, c.id))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn show(args: &RuleArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = registry::find(&args.code) else {
        bail!("no rule `{}` (see `lambdasec rules`)", args.code);
    };
    print!("{}", docs::rule_page(rule.meta()));
    Ok(ExitCode::SUCCESS)
}
