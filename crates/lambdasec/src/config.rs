//! `lambdasec.toml` and its merge with the command line.

use crate::cli::ScanArgs;
use anyhow::{Context as _, bail};
use lambdasec_load::LoadOptions;
use lambdasec_rules::{RuleConfig, Selection, Severity, Suppress};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The configuration file. Unknown keys are errors (a typo must not silently disable a check).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub fail_on: Option<String>,
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    pub strict: Option<bool>,
    pub account_id: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub trusted_accounts: Vec<String>,
    pub organization_id: Option<String>,
    pub trust_aws_layer_publishers: Option<bool>,
    #[serde(default)]
    pub required_tags: Vec<String>,
    /// Terms that mark an environment variable as sensitive (SEC004), added to the defaults.
    #[serde(default)]
    pub sensitive_names: Vec<String>,
    pub runtime_warning_days: Option<i64>,
    /// Execution roles must have a permissions boundary (IAM010).
    pub require_permissions_boundary: Option<bool>,
    /// Judge runtime lifecycle as of this date (`YYYY-MM-DD`) instead of today.
    pub today: Option<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    #[serde(default)]
    pub suppress: Vec<FileSuppress>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSuppress {
    pub code: String,
    pub resource: Option<String>,
    pub arn: Option<String>,
    pub file: Option<String>,
    pub reason: String,
}

/// Everything a scan needs, from the file and the flags (flags win).
#[derive(Debug)]
pub struct Settings {
    pub rules: RuleConfig,
    pub selection: Selection,
    pub suppressions: Vec<Suppress>,
    pub fail_on: Severity,
    pub load: LoadOptions,
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read configuration {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid configuration {}", path.display()))
}

impl Settings {
    pub fn resolve(args: &ScanArgs) -> anyhow::Result<Settings> {
        let file = match &args.config {
            Some(p) => read_file(p)?,
            None => {
                let default = PathBuf::from("lambdasec.toml");
                if default.is_file() {
                    read_file(&default)?
                } else {
                    FileConfig::default()
                }
            }
        };
        let mut rules = RuleConfig::default();
        if let Some(d) = &file.today {
            rules.today = d.parse().context("invalid `today` in configuration")?;
        }
        rules.account_id = args.account_id.clone().or(file.account_id);
        rules.trusted_accounts = file.trusted_accounts;
        rules.organization_id = file.organization_id;
        if let Some(t) = file.trust_aws_layer_publishers {
            rules.trust_aws_layer_publishers = t;
        }
        rules.required_tags = file.required_tags;
        rules.sensitive_names = file.sensitive_names;
        if let Some(d) = file.runtime_warning_days {
            if d < 0 {
                bail!("`runtime_warning_days` must not be negative");
            }
            rules.runtime_warning_days = d;
        }
        rules.strict = args.strict || file.strict.unwrap_or(false);
        rules.require_permissions_boundary = file.require_permissions_boundary.unwrap_or(false);
        for (code, sev) in &file.severity {
            if lambdasec_rules::registry::find(code).is_none() {
                bail!("`severity.{code}` in configuration names no rule");
            }
            let sev: Severity = sev.parse().with_context(|| format!("`severity.{code}`"))?;
            let code = lambdasec_rules::registry::find(code)
                .map(|r| r.meta().code.to_owned())
                .unwrap_or_default();
            rules.severity.insert(code, sev);
        }

        let selection = Selection {
            select: if args.select.is_empty() {
                file.select
            } else {
                args.select.clone()
            },
            ignore: file
                .ignore
                .into_iter()
                .chain(args.ignore.iter().cloned())
                .collect(),
        };
        let unknown = selection.unknown_entries();
        if !unknown.is_empty() {
            bail!("unknown rule selector(s): {}", unknown.join(", "));
        }

        let mut suppressions = Vec::new();
        for s in file.suppress {
            if s.reason.trim().is_empty() {
                bail!(
                    "suppression of `{}` in configuration needs a reason",
                    s.code
                );
            }
            suppressions.push(Suppress {
                code: s.code,
                resource: s.resource,
                arn: s.arn,
                file: s.file,
                reason: s.reason,
            });
        }

        let fail_on = match (args.fail_on, &file.fail_on) {
            (Some(s), _) => s.into(),
            (None, Some(s)) => s.parse().context("invalid `fail_on` in configuration")?,
            (None, None) => Severity::High,
        };

        let mut parameters = file.parameters;
        for p in &args.parameters {
            let Some((k, v)) = p.split_once('=') else {
                bail!("--parameter `{p}` is not NAME=VALUE");
            };
            parameters.insert(k.trim().to_owned(), v.to_owned());
        }
        let load = LoadOptions {
            parameters,
            account_id: rules.account_id.clone(),
            region: args.region.clone().or(file.region),
            packages: (!args.no_package_scan).then(lambdasec_load::PackageScan::default),
        };
        Ok(Settings {
            rules,
            selection,
            suppressions,
            fail_on,
            load,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unknown_keys() {
        let err = toml::from_str::<FileConfig>("fail_onn = \"low\"").unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{err}");
        let ok: FileConfig = toml::from_str(
            "fail_on = \"medium\"\ntrusted_accounts = [\"123456789012\"]\nrequire_permissions_boundary = true\n[severity]\nAVL001 = \"info\"\n[[suppress]]\ncode = \"SUP001\"\nresource = \"Legacy*\"\nreason = \"signed elsewhere\"\n",
        )
        .unwrap();
        assert_eq!(ok.suppress.len(), 1);
        assert_eq!(ok.require_permissions_boundary, Some(true));
        assert_eq!(ok.severity.get("AVL001").map(String::as_str), Some("info"));
    }
}
