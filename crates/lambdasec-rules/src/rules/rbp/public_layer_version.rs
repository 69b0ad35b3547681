use crate::{Context, Findings, declare_rule};
use lambdasec_model::Principal;

declare_rule! {
    /// ## What it does
    /// Flags layer version permissions that grant `*` (every AWS account) without an
    /// `OrganizationId`.
    ///
    /// ## Why is this bad
    /// Anyone can read the layer's content (`lambda:GetLayerVersion` returns a download link):
    /// internal libraries, configuration, and any credential or key accidentally packaged in
    /// it. Published layers are also listed by attackers looking for exactly that. Control Tower
    /// control CT.LAMBDA.PR.4.
    ///
    /// ## Example
    /// ```yaml
    /// SharedLayerPermission:
    ///   Type: AWS::Lambda::LayerVersionPermission
    ///   Properties:
    ///     LayerVersionArn: !Ref SharedLayer
    ///     Action: lambda:GetLayerVersion
    ///     Principal: "*"
    /// ```
    ///
    /// ## Remediation
    /// Share with specific accounts, or keep `*` and restrict it to your organization.
    /// - CloudFormation / SAM: `Principal: <account id>` or `OrganizationId: o-...` on
    ///   `AWS::Lambda::LayerVersionPermission`.
    /// - Terraform: `principal` / `organization_id` on `aws_lambda_layer_version_permission`.
    /// - Live: `aws lambda remove-layer-version-permission`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
    /// - https://docs.aws.amazon.com/controltower/latest/controlreference/lambda-rules.html
    pub struct PublicLayerVersion {
        code: "RBP007",
        name: "public-layer-version",
        title: "Layer version shared with every account",
        severity: High,
        kinds: [LayerPermission],
        inputs: [CloudFormation, Sam, Terraform, Live],
        fix: None,
    }
}

impl PublicLayerVersion {
    fn run(cx: &Context<'_>, out: &mut Findings) {
        for lp in &cx.inventory.layer_permissions {
            if !lp.principal.is(|p| *p == Principal::Any) {
                continue;
            }
            // An organization id, even one not known offline, narrows the grant.
            if lp
                .organization_id
                .as_ref()
                .is_some_and(|o| !o.is(|s| s.trim().is_empty()))
            {
                continue;
            }
            let layer = lp.layer.to_string();
            out.add(
                &lp.meta,
                &lp.principal.origin,
                format!(
                    "layer `{layer}` is shared with every AWS account (`*` without `OrganizationId`): anyone can download its content"
                ),
            );
        }
    }
}
