//! OBS — observability.

mod guardduty_lambda_protection_off;
mod invoke_not_audited;
mod log_retention_unset;
mod role_cannot_write_logs;
mod tracing_not_active;

pub use guardduty_lambda_protection_off::GuarddutyLambdaProtectionOff;
pub use invoke_not_audited::InvokeNotAudited;
pub use log_retention_unset::LogRetentionUnset;
pub use role_cannot_write_logs::RoleCannotWriteLogs;
pub use tracing_not_active::TracingNotActive;

use crate::Context;
use lambdasec_model::{Function, InputKind, LogGroup, Target};

/// What the inventory says about a function's log group.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LogGroupOf<'a> {
    /// The group, declared in the project or collected from the account.
    Found(&'a LogGroup),
    /// The account has no group of that name (live inventories list every log group).
    Missing,
    /// Not declared in this project, or its name is not known offline.
    Unknown,
}

/// The log group receiving `f`'s logs: the group the loader linked to the function, else the
/// group named in `LoggingConfig.LogGroup`, else `/aws/lambda/<function name>`.
pub(crate) fn function_log_group<'a>(cx: &Context<'a>, f: &'a Function) -> LogGroupOf<'a> {
    if let Some(g) = f
        .log_group
        .as_ref()
        .and_then(|t| cx.index.get::<LogGroup>(t))
    {
        return LogGroupOf::Found(g);
    }
    let name = match f.logging.as_ref().and_then(|l| l.log_group.as_ref()) {
        Some(custom) => match custom.as_str() {
            Some(n) => n.to_owned(),
            None => return LogGroupOf::Unknown,
        },
        None => match f.known_name() {
            Some(n) => format!("/aws/lambda/{n}"),
            None => return LogGroupOf::Unknown,
        },
    };
    let by_name = cx.index.resolve::<LogGroup>(&Target::Name(name.clone()));
    let by_arn_suffix = || {
        cx.inventory
            .log_groups
            .iter()
            .find(|g| g.name.as_ref().and_then(|n| n.as_str()) == Some(name.as_str()))
    };
    match by_name.or_else(by_arn_suffix) {
        Some(g) => LogGroupOf::Found(g),
        // A snapshot that collected log groups lists all of them.
        None if cx.inventory.input == Some(InputKind::Snapshot)
            && !cx.inventory.log_groups.is_empty()
            && !not_assessed(cx, "logs:") =>
        {
            LogGroupOf::Missing
        }
        None => LogGroupOf::Unknown,
    }
}

/// True when a snapshot says calls of `service` (`logs:`, `cloudtrail:`) failed while it was
/// collected: what they would have listed is missing, so its absence proves nothing.
pub(crate) fn not_assessed(cx: &Context<'_>, service: &str) -> bool {
    cx.inventory
        .not_assessed
        .iter()
        .any(|gap| gap.action.starts_with(service))
}

#[cfg(test)]
mod tests {
    use crate::{RuleConfig, Selection};
    use lambdasec_model::{
        Function, InputKind, Inventory, Meta, NotAssessed, Origin, ResourceKind,
    };

    fn codes(inv: &Inventory, code: &str) -> usize {
        let selection = Selection {
            select: vec![code.to_owned()],
            ignore: vec![],
        };
        crate::run(inv, &RuleConfig::default(), &selection, &[], &|_| None)
            .findings
            .len()
    }

    #[test]
    fn snapshots_that_could_not_list_trails_or_groups_prove_nothing() {
        let o = Origin::live("arn:aws:lambda:eu-west-1:111122223333:function:f", "");
        let mut inv = Inventory::new(InputKind::Snapshot);
        let mut f = Function::new(Meta::new("f", ResourceKind::Function, o.clone()));
        f.name = Some(lambdasec_model::Value::explicit("f".to_owned(), o.clone()));
        inv.functions.push(f);
        // No trail in the account: invocations are not audited.
        assert_eq!(codes(&inv, "OBS002"), 1);
        inv.not_assessed.push(NotAssessed {
            account: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            action: "cloudtrail:DescribeTrails".into(),
            operation: None,
            resource: None,
            error_code: "AccessDenied".into(),
            message: "denied".into(),
            origin: Origin::Unknown,
        });
        assert_eq!(codes(&inv, "OBS002"), 0);
        // A template without trails is not judged at all.
        let mut template = inv.clone();
        template.input = Some(InputKind::CloudFormation);
        template.not_assessed.clear();
        assert_eq!(codes(&template, "OBS002"), 0);
    }
}
