use crate::{Context, Date, Findings, declare_rule};

/// A function unused for this many days is reported.
const UNUSED_DAYS: i64 = 30;

declare_rule! {
    /// ## What it does
    /// Flags functions of a live account that CloudWatch counted no invocation for in the last
    /// 30 days (the `AWS/Lambda` `Invocations` metric of the function, all versions and aliases
    /// together), and whose code and configuration did not change in that time either.
    ///
    /// A function created or updated within the window is not flagged (it may be new, or
    /// scheduled rarely), nor one whose metrics were not collected, or were incomplete.
    ///
    /// ## Why is this bad
    /// An unused function is pure attack surface: its execution role keeps its permissions, its
    /// URL, API routes and triggers stay reachable, its runtime ages past deprecation and its
    /// dependencies collect vulnerabilities, and nobody watches it because nothing depends on
    /// it. Forgotten functions are a classic way back into an account.
    ///
    /// ## Example
    /// ```json
    /// {"StartTime": "2026-01-30T10:00:00Z", "EndTime": "2026-03-01T10:00:00Z",
    ///  "Period": 86400, "Timestamps": [], "Values": [], "StatusCode": "Complete"}
    /// ```
    ///
    /// ## Remediation
    /// Confirm with its owner that the function is no longer needed, then delete it (and its
    /// role, triggers and log group); if it must stay, remove its triggers and URL.
    /// - Live: `aws lambda delete-function --function-name NAME`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
    /// - https://docs.aws.amazon.com/wellarchitected/latest/security-pillar/sec_permissions_continuous_reduction.html
    pub struct UnusedFunction {
        code: "AVL005",
        name: "unused-function",
        title: "Function not invoked in 30 days",
        severity: Info,
        kinds: [Function],
        inputs: [Live],
        fix: None,
    }
}

impl UnusedFunction {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for f in &cx.inventory.functions {
            let Some(inv) = &f.invocations else {
                continue;
            };
            if inv.count.get() != Some(&0) {
                continue;
            }
            let (Ok(first), Ok(last)) =
                (inv.first_day.parse::<Date>(), inv.last_day.parse::<Date>())
            else {
                continue;
            };
            let days = first.days_until(last);
            if days < UNUSED_DAYS {
                continue;
            }
            // Changed within the window (or when is not known): new, or being worked on.
            let changed = f
                .last_modified
                .as_ref()
                .and_then(|m| m.as_str())
                .and_then(|m| m.get(..10))
                .and_then(|d| d.parse::<Date>().ok());
            let Some(changed) = changed.filter(|c| *c < first) else {
                continue;
            };
            let finding = out.add(
                &f.meta,
                &inv.count.origin,
                format!(
                    "`{}` was not invoked in the {days} days from {first} to {last} and has not changed since {changed}: an unused function keeps its role, triggers and URL as attack surface",
                    f.meta.id
                ),
            );
            if let Some(m) = &f.last_modified {
                finding.with_related(&m.origin, format!("last changed on {changed}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{RuleConfig, Selection};
    use lambdasec_model::{
        Function, InputKind, Inventory, Invocations, Meta, Origin, ResourceKind, Value,
    };

    fn inventory(count: Value<u64>, modified: Option<&str>, first: &str) -> Inventory {
        let arn = "arn:aws:lambda:eu-west-1:111122223333:function:f";
        let o = Origin::live(arn, "Configuration");
        let mut f = Function::new(Meta::new("f", ResourceKind::Function, o.clone()));
        f.last_modified = modified.map(|m| Value::explicit(m.to_owned(), o.child("LastModified")));
        f.invocations = Some(Invocations {
            count,
            first_day: first.into(),
            last_day: "2026-03-01".into(),
            last_invoked: None,
            origin: Origin::live(arn, "Invocations"),
        });
        let mut inv = Inventory::new(InputKind::Snapshot);
        inv.functions.push(f);
        inv
    }

    fn fires(inv: &Inventory) -> bool {
        let selection = Selection {
            select: vec!["AVL005".into()],
            ignore: vec![],
        };
        !crate::run(inv, &RuleConfig::default(), &selection, &[], &|_| None)
            .findings
            .is_empty()
    }

    #[test]
    fn judges_only_complete_windows_of_unchanged_functions() {
        let o = Origin::Unknown;
        let old = Some("2025-06-01T08:00:00.000+0000");
        assert!(fires(&inventory(
            Value::explicit(0, o.clone()),
            old,
            "2026-01-30"
        )));
        // Invoked.
        assert!(!fires(&inventory(
            Value::explicit(2, o.clone()),
            old,
            "2026-01-30"
        )));
        // Incomplete metrics.
        assert!(!fires(&inventory(
            Value::unresolved("PartialData", o.clone()),
            old,
            "2026-01-30"
        )));
        // A window shorter than 30 days.
        assert!(!fires(&inventory(
            Value::explicit(0, o.clone()),
            old,
            "2026-02-15"
        )));
        // Deployed within the window, or unknown.
        let recent = Some("2026-02-10T08:00:00.000+0000");
        assert!(!fires(&inventory(
            Value::explicit(0, o.clone()),
            recent,
            "2026-01-30"
        )));
        assert!(!fires(&inventory(
            Value::explicit(0, o),
            None,
            "2026-01-30"
        )));
    }
}
