use crate::{Context, Findings, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags function permissions whose `EventSourceToken` (the shared secret an Alexa skill
    /// or another partner passes when it invokes the function) is written in the input: a
    /// literal, or a template parameter or variable with a default value. A token resolved at
    /// deploy time from a secret store (`{{resolve:secretsmanager:...}}`, a parameter without
    /// default passed at deploy time, an SSM parameter) passes.
    ///
    /// ## Why is this bad
    /// The token is the only proof that an invocation comes from the expected partner: whoever
    /// reads the template (source control, CI logs, artifacts) can invoke the function as that
    /// partner. cfn_nag F45.
    ///
    /// ## Example
    /// ```yaml
    /// AlexaInvoke:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref Skill
    ///     Action: lambda:InvokeFunction
    ///     Principal: alexa-connectedhome.amazon.com
    ///     EventSourceToken: amzn1.ask.skill.0123abcd
    /// ```
    ///
    /// ## Remediation
    /// Keep the token out of the template and rotate it if it was committed.
    /// - CloudFormation / SAM: a `NoEcho` parameter without default, or
    ///   `{{resolve:secretsmanager:...}}`.
    /// - Terraform: a `sensitive` variable without default, or a value read from
    ///   `aws_secretsmanager_secret_version`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html#cfn-lambda-permission-eventsourcetoken
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
    pub struct PlaintextEventSourceToken {
        code: "SEC006",
        name: "plaintext-event-source-token",
        title: "Event source token written in the template",
        severity: High,
        kinds: [Permission],
        inputs: [CloudFormation, Sam, Terraform],
        fix: None,
    }
}

impl PlaintextEventSourceToken {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for p in &cx.inventory.permissions {
            for c in p.conditions_on("lambda:EventSourceToken") {
                for v in &c.values {
                    let Some(token) = v.as_str() else { continue };
                    if token.trim().is_empty() {
                        continue;
                    }
                    let preview = lambdasec_secrets::redact(token.trim().as_bytes(), 0);
                    out.add(
                        &p.meta,
                        &v.origin,
                        format!(
                            "the event source token of permission `{}` is written in the template (`{preview}`): whoever reads it can invoke the function as the partner",
                            p.meta.id
                        ),
                    )
                    .mark_sensitive();
                }
            }
        }
    }
}
