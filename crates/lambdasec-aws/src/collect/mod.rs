//! The collection: accounts (the caller's, a list, or the organization's through an assumed
//! role), their regions, and in each everything the rules need, into one [`Snapshot`].

mod events;
mod iam;
mod infra;
mod lambda;

use crate::actions::Action as A;
use crate::clients::{GlobalClients, RegionClients, RequestRecorder, base_config};
use crate::error::CollectError;
use crate::http::Http;
use crate::options::{ACCOUNT_PLACEHOLDER, Accounts, CollectOptions, Download, Regions};
use crate::progress::Progress;
use crate::scope::{Scope, Shared};
use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use lambdasec_load::snapshot::format as f;
use lambdasec_load::snapshot::{FORMAT_VERSION, Snapshot};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// The result of a collection.
#[derive(Debug)]
pub struct Collection {
    pub snapshot: Snapshot,
    /// Requests sent, by IAM action (retries and pages included).
    pub requests: BTreeMap<String, u64>,
    pub elapsed: Duration,
}

impl Collection {
    /// The inventory a scan of this collection sees: the same mapping a saved snapshot goes
    /// through, so a live scan and a scan of its snapshot cannot differ.
    pub fn inventory(&self) -> lambdasec_model::Inventory {
        lambdasec_load::snapshot::to_inventory(&self.snapshot)
    }
}

/// Collect from AWS (or the emulator at `options.endpoint_url`).
pub async fn collect(
    options: &CollectOptions,
    progress: Arc<dyn Progress>,
) -> Result<Collection, CollectError> {
    options.validate()?;
    let started = Instant::now();
    let collected_at = aws_smithy_types::DateTime::from(SystemTime::now())
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .ok();
    let base = base_config(options).await;
    let shared = Arc::new(Shared::new(options.concurrency, progress));
    let recorder = RequestRecorder(shared.clone());
    let http = Http::new().map_err(|f| CollectError::Identity {
        account: None,
        code: f.code,
        message: f.message,
    })?;
    let global = GlobalClients::new(&base, &recorder);

    let targets: Vec<Option<String>> = match &options.accounts {
        Accounts::Current => vec![None],
        Accounts::List(ids) => ids.iter().cloned().map(Some).collect(),
        Accounts::Organization => organization_accounts(&shared, &global)
            .await?
            .into_iter()
            .map(Some)
            .collect(),
    };

    let limit = Arc::new(tokio::sync::Semaphore::new(
        options.account_concurrency.max(1),
    ));
    let mut tasks = tokio::task::JoinSet::new();
    for target in targets {
        let (limit, shared, http, base, recorder, options) = (
            limit.clone(),
            shared.clone(),
            http.clone(),
            base.clone(),
            recorder.clone(),
            options.clone(),
        );
        tasks.spawn(async move {
            let _permit = limit.acquire().await.ok();
            account(&shared, &http, &base, &recorder, &options, target).await
        });
    }
    let mut accounts = Vec::new();
    while let Some(r) = tasks.join_next().await {
        match r {
            Ok(Ok(a)) => accounts.push(a),
            Ok(Err(e)) => return Err(e),
            Err(e) => {
                return Err(CollectError::Identity {
                    account: None,
                    code: "TaskFailed".into(),
                    message: e.to_string(),
                });
            }
        }
    }
    accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(Collection {
        snapshot: Snapshot {
            lambdasec_snapshot: FORMAT_VERSION,
            generator: format!("lambdasec {}", env!("CARGO_PKG_VERSION")),
            collected_at,
            accounts,
        },
        requests: shared.requests(),
        elapsed: started.elapsed(),
    })
}

/// [`collect`] on a runtime of its own, for callers that are not async.
pub fn collect_blocking(
    options: &CollectOptions,
    progress: Arc<dyn Progress>,
) -> Result<Collection, CollectError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CollectError::Runtime)?
        .block_on(collect(options, progress))
}

/// The active accounts of the organization.
async fn organization_accounts(
    shared: &Arc<Shared>,
    global: &GlobalClients,
) -> Result<Vec<String>, CollectError> {
    let scope = Scope::new(shared.clone(), Arc::new(Mutex::new(Vec::new())));
    let accounts = scope
        .call(
            A::OrganizationsListAccounts,
            global
                .organizations
                .list_accounts()
                .into_paginator()
                .send()
                .collect::<Result<Vec<_>, _>>(),
        )
        .await
        .map_err(|f| CollectError::Organization {
            code: f.code,
            message: f.message,
        })?;
    Ok(accounts
        .iter()
        .flat_map(|page| page.accounts())
        .filter(|a| {
            a.state()
                .is_none_or(|s| s.as_str().eq_ignore_ascii_case("ACTIVE"))
        })
        .filter_map(|a| a.id().map(str::to_owned))
        .collect())
}

/// One account: its identity, IAM, and every selected region. `target` is `None` for the
/// caller's own account, or the account id to assume the role in.
async fn account(
    shared: &Arc<Shared>,
    http: &Http,
    base: &SdkConfig,
    recorder: &RequestRecorder,
    options: &CollectOptions,
    target: Option<String>,
) -> Result<f::AccountSnapshot, CollectError> {
    let gaps = Arc::new(Mutex::new(Vec::new()));
    let scope = Scope::new(shared.clone(), gaps.clone());
    let config = match (&target, &options.role_arn) {
        (Some(id), Some(template)) => {
            let role = template.replace(ACCOUNT_PLACEHOLDER, id);
            let provider = aws_config::sts::AssumeRoleProvider::builder(role)
                .session_name("lambdasec")
                .configure(base)
                .build()
                .await;
            base.to_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build()
        }
        _ => base.clone(),
    };
    let global = GlobalClients::new(&config, recorder);
    let label = target.clone().unwrap_or_else(|| "current".into());
    shared.progress().started(&label, None);

    // Who are we? An account we cannot enter is recorded, not fatal, in a multi-account run.
    let identity = scope
        .call(
            A::StsGetCallerIdentity,
            global.sts.get_caller_identity().send(),
        )
        .await;
    let (account_id, partition) = match identity {
        Ok(out) => {
            let id = out.account().unwrap_or_default().to_owned();
            let partition = out
                .arn()
                .and_then(|a| lambdasec_model::Arn::parse(a).map(|p| p.partition.to_owned()))
                .unwrap_or_else(|| "aws".into());
            (id, partition)
        }
        Err(f) => match target {
            None => {
                return Err(CollectError::Identity {
                    account: None,
                    code: f.code,
                    message: f.message,
                });
            }
            Some(id) => {
                scope.gap(A::StsAssumeRole, Some(&id), f);
                shared.progress().finished(&label, None);
                return Ok(f::AccountSnapshot {
                    account_id: id,
                    partition: "aws".into(),
                    not_assessed: take(&gaps),
                    ..f::AccountSnapshot::default()
                });
            }
        },
    };

    let configured = config.region().map_or_else(
        || crate::clients::FALLBACK_REGION.to_owned(),
        |r| r.to_string(),
    );
    let regions: Vec<String> = match &options.regions {
        Regions::Configured => vec![configured],
        Regions::List(list) => list.clone(),
        Regions::All => {
            let c = RegionClients::new(&config, &configured, &partition, options, http, recorder);
            let scope = scope.in_region(&configured);
            let r = scope
                .raw(A::Ec2DescribeRegions, c.ec2.describe_regions())
                .await;
            match scope.keep(A::Ec2DescribeRegions, None, r) {
                Some(list) if !list.is_empty() => list,
                _ => vec![configured],
            }
        }
    };

    let claims = Arc::new(TrailClaims::new(&regions));
    let download = options.download.as_ref().map(|d| DownloadCtx {
        options: d.clone(),
        account: account_id.clone(),
    });
    let iam = {
        let (scope, global) = (scope.clone(), global.clone());
        tokio::spawn(async move { iam::collect(&scope, &global).await })
    };
    let mut tasks = tokio::task::JoinSet::new();
    for region in &regions {
        let clients = RegionClients::new(&config, region, &partition, options, http, recorder);
        let (scope, claims, download, account_id, label) = (
            scope.in_region(region),
            claims.clone(),
            download.clone(),
            account_id.clone(),
            label.clone(),
        );
        let progress_shared = shared.clone();
        tasks.spawn(async move {
            progress_shared.progress().started(&label, scope.region());
            let r = collect_region(&scope, &clients, &account_id, &claims, download.as_ref()).await;
            progress_shared.progress().finished(&label, scope.region());
            r
        });
    }
    let mut region_snapshots = Vec::new();
    while let Some(r) = tasks.join_next().await {
        if let Ok(r) = r {
            region_snapshots.push(r);
        }
    }
    region_snapshots.sort_by(|a, b| a.region.cmp(&b.region));
    let iam = iam.await.unwrap_or_default();
    shared.progress().finished(&label, None);
    Ok(f::AccountSnapshot {
        account_id,
        partition,
        iam,
        regions: region_snapshots,
        not_assessed: take(&gaps),
    })
}

fn take(gaps: &Mutex<Vec<f::NotAssessed>>) -> Vec<f::NotAssessed> {
    let mut g = std::mem::take(&mut *gaps.lock().unwrap_or_else(PoisonError::into_inner));
    g.sort_by(|a, b| (&a.region, &a.action, &a.resource).cmp(&(&b.region, &b.action, &b.resource)));
    g
}

async fn collect_region(
    scope: &Scope,
    c: &RegionClients,
    account: &str,
    claims: &TrailClaims,
    dl: Option<&DownloadCtx>,
) -> f::RegionSnapshot {
    let (lambda, trails, detectors, inspector, rest_apis, http_apis, topics) = tokio::join!(
        lambda::collect(scope, c, dl),
        infra::trails(scope, c, claims),
        infra::guardduty(scope, c),
        infra::inspector(scope, c, account),
        events::rest_apis(scope, c),
        events::http_apis(scope, c),
        events::topics(scope, c),
    );
    let bucket_names = events::buckets_in_policies(&lambda.functions);
    let (log_groups, (security_groups, subnets), queues, buckets, invocations) = tokio::join!(
        infra::log_groups(scope, c, &lambda.functions),
        infra::network(scope, c, &lambda.functions),
        events::queues(scope, c, &lambda.event_source_mappings),
        events::buckets(scope, c, bucket_names),
        infra::invocations(scope, c, &lambda.functions),
    );
    let mut lambda = lambda;
    if let Some(counts) = invocations {
        for (record, count) in lambda.functions.iter_mut().zip(counts) {
            record.invocations = Some(count);
        }
    }
    let key_arns: BTreeSet<String> = lambda
        .functions
        .iter()
        .filter_map(|r| r.configuration.kms_key_arn.clone())
        .chain(log_groups.iter().filter_map(|g| g.kms_key_id.clone()))
        .chain(trails.iter().filter_map(|t| t.trail.kms_key_id.clone()))
        .chain(
            queues
                .iter()
                .filter_map(|q| q.attributes.get("KmsMasterKeyId").cloned()),
        )
        .collect();
    let kms_keys = infra::kms_keys(scope, c, key_arns).await;
    f::RegionSnapshot {
        region: c.region.clone(),
        functions: lambda.functions,
        event_source_mappings: lambda.event_source_mappings,
        layers: lambda.layers,
        code_signing_configs: lambda.code_signing_configs,
        kms_keys,
        log_groups,
        security_groups,
        subnets,
        trails,
        guardduty_detectors: detectors,
        inspector,
        rest_apis,
        http_apis,
        queues,
        topics,
        buckets,
    }
}

/// Where a collection saves archives, for one account.
#[derive(Debug, Clone)]
pub struct DownloadCtx {
    pub options: Download,
    pub account: String,
}

/// Trails are listed in every region (`DescribeTrails` includes multi-region and organization
/// trails everywhere); each is collected once, by its home region when that region is being
/// collected, otherwise by the first region that sees it.
#[derive(Debug)]
pub struct TrailClaims {
    regions: BTreeSet<String>,
    seen: Mutex<HashSet<String>>,
}

impl TrailClaims {
    pub fn new(regions: &[String]) -> Self {
        TrailClaims {
            regions: regions.iter().cloned().collect(),
            seen: Mutex::new(HashSet::new()),
        }
    }

    /// True when `region` should collect the trail `arn` (whose home is `home`).
    pub fn claim(&self, arn: &str, home: Option<&str>, region: &str) -> bool {
        if let Some(h) = home
            && h != region
            && self.regions.contains(h)
        {
            return false;
        }
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(arn.to_owned())
    }
}

/// A policy document returned as a JSON string (Lambda, KMS, S3): parsed, or kept as a string
/// when it is not JSON.
pub fn parse_policy(s: &str) -> Json {
    serde_json::from_str(s).unwrap_or_else(|_| Json::String(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trails_are_claimed_once_by_their_home_region() {
        let claims = TrailClaims::new(&["eu-west-1".into(), "us-east-1".into()]);
        let arn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org";
        assert!(!claims.claim(arn, Some("us-east-1"), "eu-west-1"));
        assert!(claims.claim(arn, Some("us-east-1"), "us-east-1"));
        assert!(!claims.claim(arn, Some("us-east-1"), "us-east-1"));
        // home region not collected: the first region to see it takes it
        let other = "arn:aws:cloudtrail:ap-south-1:111122223333:trail/t";
        assert!(claims.claim(other, Some("ap-south-1"), "eu-west-1"));
        assert!(!claims.claim(other, Some("ap-south-1"), "us-east-1"));
    }
}
