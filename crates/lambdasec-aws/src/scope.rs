//! How every call is made: under a per-service, per-region concurrency bound, counted, and — when
//! it fails — recorded as a "not assessed" marker instead of aborting the collection.

use crate::actions::Action;
use crate::progress::Progress;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use lambdasec_load::snapshot::format::NotAssessed;
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::Semaphore;

/// Why a call gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The AWS error code (`AccessDeniedException`), or a transport error kind
    /// (`DispatchFailure`, `TimeoutError`, `ResponseError`).
    pub code: String,
    pub message: String,
}

/// Error codes that mean "there is nothing": a function without a policy, a bucket without one.
const NOT_FOUND: &[&str] = &[
    "ResourceNotFoundException",
    "NoSuchEntity",
    "NoSuchEntityException",
    "NotFoundException",
    "NoSuchBucketPolicy",
    "NoSuchBucket",
    "NotFound",
    "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue",
    "TrailNotFoundException",
];

/// One line of at most 160 characters: enough to recognise an error, never a whole page (of an
/// HTML error page, its title).
fn summary(text: &str) -> String {
    let title = text
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(t, _)| t);
    let text = title
        .unwrap_or(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out: String = text.chars().take(160).collect();
    if text.chars().count() > 160 {
        out.push('…');
    }
    out
}

impl Failure {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Failure {
            code: code.into(),
            message: message.into(),
        }
    }

    /// From an SDK error: the service's error code and message; for an answer without one (an
    /// emulator's HTML error page) the HTTP status and the start of the body; otherwise the kind
    /// of transport failure.
    pub fn from_sdk<E>(err: &SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        if let Some(code) = err.code() {
            return Failure::new(code, err.message().unwrap_or_default());
        }
        let raw = match err {
            SdkError::ServiceError(e) => Some(e.raw()),
            SdkError::ResponseError(e) => Some(e.raw()),
            _ => None,
        };
        if let Some(raw) = raw {
            let status = raw.status().as_u16();
            let body = raw
                .body()
                .bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            return Failure::new(format!("HttpStatus{status}"), summary(&body));
        }
        let code = match err {
            SdkError::ConstructionFailure(_) => "ConstructionFailure",
            SdkError::TimeoutError(_) => "TimeoutError",
            SdkError::DispatchFailure(_) => "DispatchFailure",
            _ => "Error",
        };
        Failure::new(code, summary(&DisplayErrorContext(err).to_string()))
    }

    pub fn is_not_found(&self) -> bool {
        NOT_FOUND.contains(&self.code.as_str())
    }

    /// Denied by a policy (identity, boundary, SCP, resource policy) or the service is off.
    pub fn is_access_denied(&self) -> bool {
        matches!(
            self.code.as_str(),
            "AccessDenied"
                | "AccessDeniedException"
                | "UnauthorizedOperation"
                | "AuthorizationError"
                | "UnrecognizedClientException"
                | "OptInRequired"
                | "SubscriptionRequiredException"
        )
    }
}

/// What all calls of one collection share: concurrency bounds, the record of calls, progress.
#[derive(Debug)]
pub struct Shared {
    limits: Mutex<HashMap<(String, &'static str), Arc<Semaphore>>>,
    per_service: usize,
    calls: Mutex<BTreeMap<String, u64>>,
    progress: Arc<dyn Progress>,
}

impl Shared {
    pub fn new(per_service: usize, progress: Arc<dyn Progress>) -> Self {
        Shared {
            limits: Mutex::new(HashMap::new()),
            per_service: per_service.max(1),
            calls: Mutex::new(BTreeMap::new()),
            progress,
        }
    }

    fn semaphore(&self, region: &str, service: &'static str) -> Arc<Semaphore> {
        let mut limits = self.limits.lock().unwrap_or_else(PoisonError::into_inner);
        limits
            .entry((region.to_owned(), service))
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_service)))
            .clone()
    }

    /// Record one request as sent (by the SDK interceptor or the raw clients).
    pub fn record_request(&self, iam_action: String) {
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        *calls.entry(iam_action).or_default() += 1;
    }

    /// Requests sent so far, by IAM action.
    pub fn requests(&self) -> BTreeMap<String, u64> {
        self.calls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn progress(&self) -> &dyn Progress {
        self.progress.as_ref()
    }
}

/// The place calls are made from: an account, and a region (`None` for global services).
#[derive(Debug, Clone)]
pub struct Scope {
    shared: Arc<Shared>,
    region: Option<String>,
    gaps: Arc<Mutex<Vec<NotAssessed>>>,
}

impl Scope {
    pub fn new(shared: Arc<Shared>, gaps: Arc<Mutex<Vec<NotAssessed>>>) -> Self {
        Scope {
            shared,
            region: None,
            gaps,
        }
    }

    /// The same account, in `region`.
    pub fn in_region(&self, region: &str) -> Scope {
        Scope {
            region: Some(region.to_owned()),
            ..self.clone()
        }
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Run one SDK call (or a whole paginated listing) under the concurrency bound of its
    /// service in this region.
    pub async fn call<T, E>(
        &self,
        action: Action,
        fut: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, Failure>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        self.raw(action, async {
            fut.await.map_err(|e| Failure::from_sdk(&e))
        })
        .await
    }

    /// Run a call that reports its own [`Failure`] (the EC2 and download clients).
    pub async fn raw<T>(
        &self,
        action: Action,
        fut: impl Future<Output = Result<T, Failure>>,
    ) -> Result<T, Failure> {
        let sem = self
            .shared
            .semaphore(self.region.as_deref().unwrap_or("global"), action.service());
        // The semaphore is never closed; a failed acquire would only mean running unbounded.
        let _permit = sem.acquire().await.ok();
        let out = fut.await;
        self.shared.progress.call_done(action);
        out
    }

    /// The answer of a call, `None` when there is nothing (not found) or when it failed; a
    /// failure is recorded as not assessed.
    pub fn keep<T>(
        &self,
        action: Action,
        resource: Option<&str>,
        r: Result<T, Failure>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(f) if f.is_not_found() => None,
            Err(f) => {
                self.gap(action, resource, f);
                None
            }
        }
    }

    /// [`Scope::call`] then [`Scope::keep`].
    pub async fn get<T, E>(
        &self,
        action: Action,
        resource: Option<&str>,
        fut: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Option<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let r = self.call(action, fut).await;
        self.keep(action, resource, r)
    }

    /// Record a failed call.
    pub fn gap(&self, action: Action, resource: Option<&str>, f: Failure) {
        self.shared.progress.not_assessed(action, &f);
        let mut gaps = self.gaps.lock().unwrap_or_else(PoisonError::into_inner);
        gaps.push(NotAssessed {
            region: self.region.clone(),
            action: action.iam_action().to_owned(),
            operation: Some(action.operation()),
            resource: resource.map(str::to_owned),
            error_code: f.code,
            message: f.message,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    #[test]
    fn failures_are_recorded_not_found_is_not() {
        let shared = Arc::new(Shared::new(2, Arc::new(NoProgress)));
        let gaps = Arc::new(Mutex::new(Vec::new()));
        let scope = Scope::new(shared, gaps.clone()).in_region("eu-west-1");
        let r: Option<u8> = scope.keep(
            Action::LambdaGetPolicy,
            Some("arn:aws:lambda:eu-west-1:111122223333:function:f"),
            Err(Failure::new("ResourceNotFoundException", "no policy")),
        );
        assert!(r.is_none());
        assert!(gaps.lock().unwrap().is_empty());
        let r: Option<u8> = scope.keep(
            Action::LambdaGetPolicy,
            Some("arn:aws:lambda:eu-west-1:111122223333:function:f"),
            Err(Failure::new("AccessDeniedException", "denied")),
        );
        assert!(r.is_none());
        let gaps = gaps.lock().unwrap();
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].action, "lambda:GetPolicy");
        assert_eq!(gaps[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(gaps[0].error_code, "AccessDeniedException");
        assert!(Failure::new("AccessDenied", "").is_access_denied());
        assert_eq!(
            summary("<!doctype html>\n<html><title>404 Not Found</title><p>long text</p>"),
            "404 Not Found"
        );
        assert_eq!(summary(&"x ".repeat(200)).chars().count(), 161);
    }

    #[tokio::test]
    async fn concurrency_is_bounded_per_service_and_region() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let shared = Arc::new(Shared::new(2, Arc::new(NoProgress)));
        let scope = Scope::new(shared, Arc::new(Mutex::new(Vec::new()))).in_region("r");
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (scope, running, peak) = (scope.clone(), running.clone(), peak.clone());
            tasks.spawn(async move {
                scope
                    .raw(Action::LambdaGetPolicy, async {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                        running.fetch_sub(1, Ordering::SeqCst);
                        Ok::<_, Failure>(())
                    })
                    .await
            });
        }
        while tasks.join_next().await.is_some() {}
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }
}
