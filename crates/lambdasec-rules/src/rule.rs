//! What a rule is: metadata, docs (its doc comment), and a pure check.

use crate::context::Context;
use crate::finding::{Applicability, Findings};
use crate::severity::Severity;
use lambdasec_model::{InputKind, ResourceKind};
use serde::Serialize;

/// Input kinds that can carry a rule's data (CONTROLS.md "inputs"), each with its fixture file
/// name in `tests/fixtures/<CODE>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    CloudFormation,
    Sam,
    Terraform,
    Serverless,
    Live,
}

impl Input {
    pub const ALL: [Input; 5] = [
        Input::CloudFormation,
        Input::Sam,
        Input::Terraform,
        Input::Serverless,
        Input::Live,
    ];

    /// The input an inventory was loaded from (a Terraform plan is Terraform, a snapshot is
    /// live data).
    pub fn of(kind: InputKind) -> Input {
        match kind {
            InputKind::CloudFormation => Input::CloudFormation,
            InputKind::Sam => Input::Sam,
            InputKind::Terraform | InputKind::TerraformPlan => Input::Terraform,
            InputKind::Serverless => Input::Serverless,
            InputKind::Snapshot => Input::Live,
        }
    }

    /// The fixture suffix: `bad.<suffix>` / `good.<suffix>`.
    pub fn fixture_suffix(self) -> &'static str {
        match self {
            Input::CloudFormation => "cfn.yaml",
            Input::Sam => "sam.yaml",
            Input::Terraform => "tf",
            Input::Serverless => "sls.yml",
            Input::Live => "live.json",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Input::CloudFormation => "cloudformation",
            Input::Sam => "sam",
            Input::Terraform => "terraform",
            Input::Serverless => "serverless",
            Input::Live => "live",
        }
    }
}

/// A rule's metadata. `docs` is the rule's doc comment: the published documentation.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleMeta {
    /// Stable, never reused: area + 3 digits (`URL001`).
    pub code: &'static str,
    /// Kebab-case name of the bad pattern (`function-url-without-auth`).
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// The resource kinds it examines (a resource of these kinds without a finding passes).
    pub kinds: &'static [ResourceKind],
    /// The input kinds that carry its data: the rule runs on these only (and has fixtures for
    /// each).
    pub inputs: &'static [Input],
    /// How safe its fix is, when it offers one.
    pub fix: Option<Applicability>,
    #[serde(skip)]
    pub docs: &'static str,
}

impl RuleMeta {
    /// The docs as Markdown (the doc comment without its one-space indent).
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The text of one `## Section` of the docs (without its heading).
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        let docs = self.markdown();
        let marker = format!("## {heading}\n");
        let start = docs.find(&marker)? + marker.len();
        let rest = docs.get(start..)?;
        let end = rest.find("\n## ").unwrap_or(rest.len());
        rest.get(..end).map(|s| s.trim().to_owned())
    }

    /// The first paragraph of "What it does".
    pub fn summary(&self) -> String {
        self.doc_section("What it does")
            .and_then(|s| s.split("\n\n").next().map(|p| p.replace('\n', " ")))
            .unwrap_or_else(|| self.title.to_owned())
    }

    /// The "Remediation" section.
    pub fn remediation(&self) -> String {
        self.doc_section("Remediation").unwrap_or_default()
    }
}

/// A posture rule: a pure function of the inventory (and engines) that reports findings.
pub trait Rule: Send + Sync + 'static {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Findings);
}

/// Declare a rule: its doc comment (the published documentation, with the sections What it
/// does / Why is this bad / Example / Remediation / References) and metadata. The rule file then
/// implements `fn run(cx: &Context<'_>, out: &mut Findings)` on the struct.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            title: $title:literal,
            severity: $sev:ident,
            kinds: [$($kind:ident),* $(,)?],
            inputs: [$($input:ident),* $(,)?],
            fix: $fix:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $name;

        impl $name {
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $rname,
                title: $title,
                severity: $crate::Severity::$sev,
                kinds: &[$(::lambdasec_model::ResourceKind::$kind),*],
                inputs: &[$($crate::Input::$input),*],
                fix: $fix,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::Rule for $name {
            fn meta(&self) -> &'static $crate::RuleMeta {
                &Self::META
            }

            fn check(&self, cx: &$crate::Context<'_>, out: &mut $crate::Findings) {
                Self::run(cx, out)
            }
        }
    };
}
