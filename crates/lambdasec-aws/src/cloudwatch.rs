//! The one CloudWatch call the collector needs, `GetMetricData` for the `AWS/Lambda`
//! `Invocations` metric of every function, made through the CloudWatch Query protocol (a
//! SigV4-signed form POST answered in XML, like [`crate::ec2`]) rather than by linking
//! `aws-sdk-cloudwatch` for a single read-only call. See `docs/live.md` for the measured
//! trade-off.

use crate::http::{Http, Signer};
use crate::query::{self, ErrorItem, status_failure};
use crate::scope::{Failure, Shared};
use aws_smithy_types::date_time::{DateTime, Format};
use lambdasec_load::snapshot::format as f;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

const API_VERSION: &str = "2010-08-01";
/// `GetMetricData` accepts up to 500 queries per request.
const QUERIES_PER_REQUEST: usize = 500;
/// The window: the last 30 days, one data point per day.
pub const WINDOW_DAYS: i64 = 30;
const PERIOD: i64 = 86_400;

/// A CloudWatch Query client of one account and region.
#[derive(Debug, Clone)]
pub struct CloudWatch {
    client: query::Client,
}

const SERVICE: query::Service = query::Service {
    signing_name: "monitoring",
    iam_prefix: "cloudwatch",
    version: API_VERSION,
    error_of,
};

impl CloudWatch {
    /// `endpoint_url` overrides the regional endpoint (emulators).
    pub fn new(
        http: Http,
        signer: Signer,
        region: &str,
        partition: &str,
        endpoint_url: Option<&str>,
        max_attempts: u32,
        recorder: Option<Arc<Shared>>,
    ) -> CloudWatch {
        CloudWatch {
            client: query::Client::new(
                SERVICE,
                http,
                signer,
                region,
                partition,
                endpoint_url,
                max_attempts,
                recorder,
            ),
        }
    }

    /// The daily invocations of each function (by name) over the [`WINDOW_DAYS`] days before
    /// `now`, in the order of `names`.
    pub async fn invocations(
        &self,
        names: &[String],
        now: SystemTime,
    ) -> Result<Vec<f::InvocationMetrics>, Failure> {
        let (start, end) = window(now);
        let mut out = Vec::with_capacity(names.len());
        for chunk in names.chunks(QUERIES_PER_REQUEST) {
            let mut results: HashMap<String, f::InvocationMetrics> = HashMap::new();
            let mut token: Option<String> = None;
            loop {
                let params = query_params(chunk, &start, &end, token.as_deref());
                let xml = self.client.call("GetMetricData", &params).await?;
                let r: GetMetricDataResponse = parse(&xml)?;
                for m in r.result.metric_data_results.member {
                    let entry = results.entry(m.id).or_insert_with(|| f::InvocationMetrics {
                        start_time: start.clone(),
                        end_time: end.clone(),
                        period: PERIOD,
                        ..f::InvocationMetrics::default()
                    });
                    entry.timestamps.extend(m.timestamps.member);
                    entry.values.extend(m.values.member);
                    entry.status_code = m.status_code;
                }
                token = r.result.next_token.filter(|t| !t.is_empty());
                if token.is_none() {
                    break;
                }
            }
            for i in 0..chunk.len() {
                // A query without a result is CloudWatch saying nothing: not "no invocations".
                out.push(
                    results
                        .remove(&query_id(i))
                        .unwrap_or_else(|| f::InvocationMetrics {
                            start_time: start.clone(),
                            end_time: end.clone(),
                            period: PERIOD,
                            status_code: Some("Missing".into()),
                            ..f::InvocationMetrics::default()
                        }),
                );
            }
        }
        Ok(out)
    }
}

/// `[now - 30 days, now]`, whole hours, RFC 3339.
fn window(now: SystemTime) -> (String, String) {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let end = i64::try_from(secs - secs % 3600).unwrap_or(i64::MAX);
    let start = end - WINDOW_DAYS * PERIOD;
    let fmt = |s: i64| {
        DateTime::from_secs(s)
            .fmt(Format::DateTime)
            .unwrap_or_default()
    };
    (fmt(start), fmt(end))
}

fn query_id(i: usize) -> String {
    format!("f{i}")
}

/// One `Sum` query per function, daily, newest first.
fn query_params(
    names: &[String],
    start: &str,
    end: &str,
    token: Option<&str>,
) -> Vec<(String, String)> {
    let mut p = vec![
        ("StartTime".to_owned(), start.to_owned()),
        ("EndTime".to_owned(), end.to_owned()),
        ("ScanBy".to_owned(), "TimestampDescending".to_owned()),
    ];
    for (i, name) in names.iter().enumerate() {
        let q = format!("MetricDataQueries.member.{}", i + 1);
        let m = format!("{q}.MetricStat.Metric");
        p.extend([
            (format!("{q}.Id"), query_id(i)),
            (format!("{m}.Namespace"), "AWS/Lambda".to_owned()),
            (format!("{m}.MetricName"), "Invocations".to_owned()),
            (
                format!("{m}.Dimensions.member.1.Name"),
                "FunctionName".to_owned(),
            ),
            (format!("{m}.Dimensions.member.1.Value"), name.clone()),
            (format!("{q}.MetricStat.Period"), PERIOD.to_string()),
            (format!("{q}.MetricStat.Stat"), "Sum".to_owned()),
            (format!("{q}.ReturnData"), "true".to_owned()),
        ]);
    }
    if let Some(t) = token {
        p.push(("NextToken".to_owned(), t.to_owned()));
    }
    p
}

fn parse<T: for<'de> Deserialize<'de>>(xml: &str) -> Result<T, Failure> {
    quick_xml::de::from_str(xml)
        .map_err(|e| Failure::new("ResponseError", format!("CloudWatch XML: {e}")))
}

/// The error of a non-2xx answer: `<ErrorResponse><Error><Code>..`.
fn error_of(status: u16, body: &str) -> Failure {
    match quick_xml::de::from_str::<ErrorResponse>(body) {
        Ok(r) => Failure::new(r.error.code, r.error.message.unwrap_or_default()),
        Err(_) => status_failure(status, body),
    }
}

#[derive(Debug, Deserialize)]
struct ErrorResponse {
    #[serde(rename = "Error")]
    error: ErrorItem,
}

/// The Query protocol's `<x><member>..</member></x>` lists.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Members<T> {
    #[serde(default = "Vec::new")]
    member: Vec<T>,
}

impl<T> Default for Members<T> {
    fn default() -> Self {
        Members { member: Vec::new() }
    }
}

#[derive(Debug, Deserialize)]
struct GetMetricDataResponse {
    #[serde(rename = "GetMetricDataResult")]
    result: GetMetricDataResult,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetMetricDataResult {
    #[serde(default)]
    metric_data_results: Members<MetricDataResultXml>,
    next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricDataResultXml {
    id: String,
    #[serde(default)]
    timestamps: Members<String>,
    #[serde(default)]
    values: Members<f64>,
    status_code: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    // The shape documented in the CloudWatch API reference (Query API, version 2010-08-01).
    const ANSWER: &str = r#"<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <GetMetricDataResult>
    <MetricDataResults>
      <member>
        <Id>f0</Id>
        <Label>Invocations</Label>
        <Timestamps><member>2026-02-27T10:00:00Z</member><member>2026-02-01T10:00:00Z</member></Timestamps>
        <Values><member>120.0</member><member>3.0</member></Values>
        <StatusCode>Complete</StatusCode>
      </member>
      <member>
        <Id>f1</Id>
        <Label>Invocations</Label>
        <Timestamps/>
        <Values/>
        <StatusCode>Complete</StatusCode>
      </member>
    </MetricDataResults>
    <NextToken>page-2</NextToken>
    <Messages/>
  </GetMetricDataResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</GetMetricDataResponse>"#;

    #[test]
    fn parses_metric_data() {
        let r: GetMetricDataResponse = parse(ANSWER).unwrap();
        assert_eq!(r.result.next_token.as_deref(), Some("page-2"));
        let m = &r.result.metric_data_results.member;
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].id, "f0");
        assert_eq!(m[0].values.member, vec![120.0, 3.0]);
        assert_eq!(m[0].timestamps.member[1], "2026-02-01T10:00:00Z");
        assert!(m[1].values.member.is_empty());
        assert_eq!(m[1].status_code.as_deref(), Some("Complete"));
    }

    #[test]
    fn parses_errors() {
        let xml = r#"<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::111122223333:assumed-role/a/b is not authorized to perform: cloudwatch:GetMetricData</Message></Error>
  <RequestId>r</RequestId>
</ErrorResponse>"#;
        let f = error_of(403, xml);
        assert_eq!(f.code, "AccessDenied");
        assert!(f.is_access_denied());
        assert_eq!(error_of(503, "busy").code, "HttpStatus5xx");
        assert_eq!(error_of(400, "<x/>").code, "HttpStatus4xx");
    }

    #[test]
    fn queries_and_window() {
        let p = query_params(&["orders".into(), "billing".into()], "S", "E", Some("t"));
        let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("MetricDataQueries.member.2.Id"), Some("f1"));
        assert_eq!(
            get("MetricDataQueries.member.2.MetricStat.Metric.Dimensions.member.1.Value"),
            Some("billing")
        );
        assert_eq!(
            get("MetricDataQueries.member.1.MetricStat.Stat"),
            Some("Sum")
        );
        assert_eq!(get("NextToken"), Some("t"));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_359_999);
        let (start, end) = window(now);
        assert_eq!(end, "2026-03-01T10:00:00Z");
        assert_eq!(start, "2026-01-30T10:00:00Z");
    }
}
