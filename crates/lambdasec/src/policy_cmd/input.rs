//! Reading the files the policy verbs accept, recognised by content: a bare policy document
//! (JSON or YAML, parsed with a span on every value), the output of
//! `aws iam get-account-authorization-details` (or one element of its `RoleDetailList`), or a
//! template the loaders read (CloudFormation, SAM, Terraform, serverless.yml, snapshot).

use anyhow::{Context as _, anyhow, bail};
use lambdasec_iam::{AuthorizationDetails, read_authorization_details};
use lambdasec_load::{LoadOptions, Unit, detect, load, yaml};
use lambdasec_model::{Diagnostic, Inventory, Node, SourceMap};
use std::path::Path;

/// What a file turned out to be.
#[derive(Debug)]
pub enum Input {
    /// A policy document, every node with its span.
    Policy {
        node: Node,
        /// Problems of the document that did not stop reading it (duplicate keys).
        warnings: Vec<Diagnostic>,
    },
    /// An account's users, groups, roles and policies (origins: ARN + field).
    Account(AuthorizationDetails),
    /// A template or snapshot, loaded.
    Template(Box<Inventory>),
}

/// Keys that only `get-account-authorization-details` output has.
const ACCOUNT_KEYS: &[&str] = &["UserDetailList", "GroupDetailList", "RoleDetailList"];

/// Read and recognise one file; its text joins `sources`.
pub fn read(path: &Path, sources: &SourceMap) -> anyhow::Result<Input> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    let text = String::from_utf8(bytes).map_err(|_| anyhow!("{shown}: not UTF-8 text"))?;
    let json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');

    if json && looks_like_account(&text) {
        return account(&shown, &text).map(Input::Account);
    }
    if let Some(kind) = detect(path, &text) {
        let id = sources.add(shown, text);
        let unit = Unit {
            kind,
            root: path.to_path_buf(),
            files: vec![id],
        };
        return Ok(Input::Template(Box::new(load(
            &unit,
            sources,
            &LoadOptions::default(),
        ))));
    }
    if json {
        // JSON is read with the YAML reader for its spans, but YAML accepts more than JSON
        // (trailing commas, comments): IAM does not.
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
            bail!("{shown}:{}:{}: invalid JSON: {e}", e.line(), e.column());
        }
    }
    let id = sources.add(shown.clone(), text);
    let file = sources
        .get(id)
        .ok_or_else(|| anyhow!("{shown}: not in the source map"))?;
    let doc = yaml::parse(&file).map_err(|e| {
        anyhow!(
            "{shown}:{}:{}: invalid JSON/YAML: {}",
            e.line,
            e.column,
            e.message
        )
    })?;
    if doc.root.get("Statement").is_some() {
        return Ok(Input::Policy {
            node: doc.root,
            warnings: doc.diagnostics,
        });
    }
    if json && doc.root.get("RoleName").is_some() {
        // One role as `get-account-authorization-details` lists it.
        let role: serde_json::Value = serde_json::from_str(&file.text)
            .map_err(|e| anyhow!("{shown}:{}:{}: {e}", e.line(), e.column()))?;
        let wrapped = serde_json::json!({ "RoleDetailList": [role] }).to_string();
        return account(&shown, &wrapped).map(Input::Account);
    }
    bail!(
        "{shown}: not a policy document (no `Statement`), a template, a role or an \
         authorization-details file"
    )
}

/// Whether JSON text has a key of authorization details (a cheap look at the text: such files
/// are large, and the typed reader checks the rest).
fn looks_like_account(text: &str) -> bool {
    ACCOUNT_KEYS
        .iter()
        .any(|k| text.contains(&format!("\"{k}\"")))
}

fn account(shown: &str, text: &str) -> anyhow::Result<AuthorizationDetails> {
    read_authorization_details(text).map_err(|e| {
        anyhow!(
            "{shown}:{}:{}: not authorization details: {}",
            e.line,
            e.column,
            e.message
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_account_files() {
        assert!(looks_like_account(
            r#"{"RoleDetailList": [], "Policies": []}"#
        ));
        assert!(looks_like_account(
            r#"{"UserDetailList": [{"UserPolicyList": [{"PolicyDocument": {"Statement": []}}]}]}"#
        ));
        assert!(!looks_like_account(
            r#"{"RoleName": "r", "RolePolicyList": []}"#
        ));
        assert!(!looks_like_account(
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#
        ));
    }
}
