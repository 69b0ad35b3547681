//! EVT — event sources and front doors.

mod api_access_logging_off;
mod api_without_authorization;
mod api_without_request_validation;
mod public_event_source;
mod queue_source_without_dlq;
mod queue_visibility_shorter_than_timeout;

pub use api_access_logging_off::ApiAccessLoggingOff;
pub use api_without_authorization::ApiWithoutAuthorization;
pub use api_without_request_validation::ApiWithoutRequestValidation;
pub use public_event_source::PublicEventSource;
pub use queue_source_without_dlq::QueueSourceWithoutDlq;
pub use queue_visibility_shorter_than_timeout::QueueVisibilityShorterThanTimeout;

use crate::Context;
use lambdasec_model::{Api, EventSourceMapping, Function, Queue, Route};

/// The name of the function a route (or mapping) invokes: its id when declared, else the
/// reference as written.
pub(crate) fn function_name(
    cx: &Context<'_>,
    target: &lambdasec_model::Value<lambdasec_model::Target>,
) -> String {
    cx.index
        .function(target)
        .map_or_else(|| target.to_string(), |f| f.meta.id.clone())
}

/// A route as people write it: `GET /orders`, or the route key (`$connect`).
pub(crate) fn route_label(r: &Route) -> String {
    match (r.method.as_str(), r.path.as_str()) {
        (Some(m), Some(p)) if !p.is_empty() && p != m => format!("{m} {p}"),
        (Some(m), _) => m.to_owned(),
        _ => r.meta.id.clone(),
    }
}

/// A route of `api` that invokes a function.
pub(crate) fn function_route<'a>(cx: &Context<'a>, api: &Api) -> Option<&'a Route> {
    cx.inventory
        .routes
        .iter()
        .find(|r| r.function.is_some() && cx.index.points_to(&r.api, api))
}

/// Queues of the inventory that feed functions, each with its mappings and the functions they
/// invoke (when declared), in queue order.
pub(crate) type QueueSource<'a> = (
    &'a Queue,
    Vec<(&'a EventSourceMapping, Option<&'a Function>)>,
);

pub(crate) fn queue_sources<'a>(cx: &Context<'a>) -> Vec<QueueSource<'a>> {
    let mut out: Vec<QueueSource<'a>> = Vec::new();
    for m in &cx.inventory.event_source_mappings {
        let Some(q) = m
            .event_source
            .as_ref()
            .and_then(|s| cx.index.get::<Queue>(s))
        else {
            continue;
        };
        let f = cx.index.function(&m.function);
        match out.iter_mut().find(|(x, _)| std::ptr::eq(*x, q)) {
            Some((_, ms)) => ms.push((m, f)),
            None => out.push((q, vec![(m, f)])),
        }
    }
    out.sort_by_key(|(q, _)| cx.inventory.queues.iter().position(|x| std::ptr::eq(x, *q)));
    out
}

/// `` `A`, `B` `` for the functions of a queue source.
pub(crate) fn consumers(
    cx: &Context<'_>,
    mappings: &[(&EventSourceMapping, Option<&Function>)],
) -> String {
    let mut names: Vec<String> = mappings
        .iter()
        .map(|(m, f)| {
            format!(
                "`{}`",
                f.map_or_else(|| function_name(cx, &m.function), |f| f.meta.id.clone())
            )
        })
        .collect();
    names.dedup();
    names.join(", ")
}
