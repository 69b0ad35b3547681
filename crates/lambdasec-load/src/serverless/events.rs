//! Function `events`: the APIs, routes, event source mappings, buckets, topics, rules and the
//! invoke permissions the Framework creates for them.
//!
//! Permissions are written as the conditions AWS generates from the properties the Framework
//! sets (`SourceArn`, `SourceAccount`, `EventSourceToken`); a source ARN the stack only knows at
//! deploy time (an API id, a rule ARN) is unresolved with the Framework's expression.

use super::functions::synthesized;
use super::read::{is_intrinsic, is_null, list, map};
use super::{Service, implied, names};
use lambdasec_model::{
    Api, ApiKind, Authorizer, Bucket, BucketNotification, Condition, Effect, Entry, EventRule,
    EventSourceMapping, Inventory, LogGroup, Node, NodeKind, Permission, Principal, ResourceKind,
    Route, Stage, Subscription, Target, Topic, Value,
};

/// Every event of one function.
pub(crate) fn events(s: &Service<'_>, key: &str, f: &Node, inv: &mut Inventory) {
    let Some(items) = f.get("events").and_then(Node::as_list) else {
        return;
    };
    for (i, event) in items.iter().enumerate() {
        // `- alexaSkill`: an event type without settings.
        let bare;
        let (kind, node) = match (event.as_map().and_then(<[Entry]>::first), event.as_str()) {
            (Some(e), _) => (e.key.as_str(), &e.value),
            (None, Some(kind)) => {
                bare = Node::new(NodeKind::Null, event.origin.clone());
                (kind, &bare)
            }
            (None, None) => {
                inv.diagnostics.push(lambdasec_model::Diagnostic::warning(
                    format!(
                        "event {} of function `{key}` is not a map of one event type",
                        i + 1
                    ),
                    event.origin.clone(),
                ));
                continue;
            }
        };
        let ev = Event {
            s,
            key,
            fname: names::function(key),
            index: i + 1,
            node,
        };
        match kind {
            "http" => ev.http(inv),
            "httpApi" => ev.http_api(inv),
            "websocket" => ev.websocket(inv),
            "sqs" => ev.sqs(inv),
            "stream" => ev.stream(inv),
            "msk" | "kafka" | "activemq" | "rabbitmq" => ev.broker(kind, inv),
            "s3" => ev.s3(inv),
            "sns" => ev.sns(inv),
            "schedule" => ev.schedule(inv),
            "eventBridge" | "cloudwatchEvent" => ev.event_bridge(kind, inv),
            "alb" => ev.service_permission("Alb", "elasticloadbalancing.amazonaws.com", inv),
            "cloudwatchLog" => {
                let principal = format!("logs.{}.amazonaws.com", s.region);
                ev.service_permission("CloudwatchLog", &principal, inv);
            }
            "cognitoUserPool" => {
                ev.service_permission("CognitoUserPool", "cognito-idp.amazonaws.com", inv);
            }
            "iot" => ev.service_permission("Iot", "iot.amazonaws.com", inv),
            "alexaSkill" | "alexaSmartHome" => {
                let principal = if kind == "alexaSkill" {
                    "alexa-appkit.amazon.com"
                } else {
                    "alexa-connectedhome.amazon.com"
                };
                // Without an app id the skill permission has no condition at all.
                let app = ev.node.get("appId").unwrap_or(ev.node);
                let conditions = match &app.kind {
                    NodeKind::Null | NodeKind::Map(_) => Vec::new(),
                    _ => vec![("StringEquals", "lambda:EventSourceToken", s.r.string(app))],
                };
                let id = format!(
                    "{}LambdaPermission{}{}",
                    ev.fname,
                    names::upper_first(kind),
                    ev.index
                );
                ev.permission(id, principal, conditions, inv);
            }
            // Lambda@Edge and the other event types change nothing lambdasec checks.
            "cloudFront" | "iotFleetProvisioning" | "sqsFifo" => {}
            other => inv.diagnostics.push(lambdasec_model::Diagnostic::warning(
                format!("event type `{other}` of function `{key}` is not mapped"),
                event.origin.clone(),
            )),
        }
    }
}

struct Event<'e, 's> {
    s: &'e Service<'s>,
    key: &'e str,
    /// The normalized function name (`Hello`).
    fname: String,
    /// 1-based position in the function's events.
    index: usize,
    node: &'e Node,
}

impl Event<'_, '_> {
    fn function(&self) -> Value<Target> {
        Value::explicit(Target::Local(self.key.to_owned()), implied(self.node))
    }

    fn get(&self, k: &str) -> Option<&Node> {
        self.node.get(k).filter(|n| !is_null(n))
    }

    /// A permission the Framework adds for a service principal.
    fn permission(
        &self,
        id: String,
        principal: &str,
        conditions: Vec<(&str, &str, Value<String>)>,
        inv: &mut Inventory,
    ) {
        if inv.permissions.iter().any(|p| p.meta.id == id) {
            return;
        }
        inv.permissions.push(Permission {
            meta: synthesized(id, ResourceKind::Permission, self.node),
            function: self.function(),
            qualifier: None,
            statement_id: None,
            effect: Effect::Allow,
            principal: Value::default(Principal::Service(principal.to_owned()), &self.node.origin),
            actions: vec![Value::default(
                "lambda:InvokeFunction".to_owned(),
                &self.node.origin,
            )],
            conditions: conditions
                .into_iter()
                .map(|(operator, key, v)| Condition {
                    operator: operator.to_owned(),
                    key: key.to_owned(),
                    origin: v.origin.clone(),
                    values: vec![v],
                })
                .collect(),
        });
    }

    /// A value only known when the stack is deployed, as the Framework writes it.
    fn deploy_time(&self, expr: String) -> Value<String> {
        Value::unresolved(expr, implied(self.node))
    }

    /// A permission for a service whose source ARN is only known at deploy time.
    fn service_permission(&self, kind: &str, principal: &str, inv: &mut Inventory) {
        let source = self.deploy_time(format!("source of the {kind} event"));
        let id = format!("{}LambdaPermission{kind}{}", self.fname, self.index);
        self.permission(
            id,
            principal,
            vec![("ArnLike", "aws:SourceArn", source)],
            inv,
        );
    }

    // ---- API Gateway -----------------------------------------------------------------------

    /// The REST API of the service (created once), or an existing one by id.
    fn rest_api(&self, inv: &mut Inventory) -> Value<Target> {
        let s = self.s;
        if let Some(id) = s.provider("apiGateway.restApiId") {
            return s.r.target(id).map(|t| match t {
                Target::Local(x) if !is_intrinsic(id) => Target::Name(x),
                other => other,
            });
        }
        let owner = s.provider.unwrap_or(self.node);
        if !inv.apis.iter().any(|a| a.meta.id == names::REST_API) {
            let policy = s
                .provider("apiGateway.resourcePolicy")
                .or_else(|| s.provider("resourcePolicy"))
                .map(|p| {
                    let o = p.origin.clone();
                    map(
                        vec![
                            ("Version", Node::string("2012-10-17", o.implied())),
                            ("Statement", s.r.document(p)),
                        ],
                        &o,
                    )
                });
            inv.apis.push(Api {
                meta: synthesized(names::REST_API.to_owned(), ResourceKind::Api, owner),
                kind: ApiKind::Rest,
                name: s.prefix().map(|_| {
                    Value::default(
                        format!("{}-{}", s.stage, s.name.get().cloned().unwrap_or_default()),
                        &owner.origin,
                    )
                }),
                endpoint_type: Some(s.provider("endpointType").map_or_else(
                    || Value::default("EDGE".to_owned(), &owner.origin),
                    |n| s.r.string(n),
                )),
                disable_execute_api_endpoint: s
                    .provider("apiGateway.disableDefaultEndpoint")
                    .map_or_else(|| Value::default(false, &owner.origin), |n| s.r.bool(n)),
                policy,
            });
            let logs = s
                .provider("logs.restApi")
                .filter(|n| n.as_bool() != Some(false));
            let access =
                logs.filter(|l| l.get("accessLogging").and_then(Node::as_bool) != Some(false));
            let destination =
                access.map(|l| self.access_log_group("ApiGatewayLogGroup", "api-gateway", l, inv));
            inv.stages.push(Stage {
                meta: synthesized(names::REST_STAGE.to_owned(), ResourceKind::Stage, owner),
                api: Value::explicit(
                    Target::Local(names::REST_API.to_owned()),
                    owner.origin.implied(),
                ),
                name: Value::default(s.stage.clone(), &owner.origin),
                access_log_destination: destination,
                access_log_format: access.and_then(|l| l.get("format")).map(|f| s.r.string(f)),
                tracing_enabled: s
                    .provider("tracing.apiGateway")
                    .map_or_else(|| Value::default(false, &owner.origin), |n| s.r.bool(n)),
                logging_level: logs.and_then(|l| {
                    if l.get("executionLogging").and_then(Node::as_bool) == Some(false) {
                        return None;
                    }
                    Some(l.get("level").map_or_else(
                        || Value::default("INFO".to_owned(), &l.origin),
                        |n| s.r.string(n),
                    ))
                }),
            });
        }
        Value::explicit(
            Target::Local(names::REST_API.to_owned()),
            owner.origin.implied(),
        )
    }

    /// The log group the Framework creates for API access logs.
    fn access_log_group(
        &self,
        id: &str,
        kind: &str,
        setting: &Node,
        inv: &mut Inventory,
    ) -> Value<Target> {
        let s = self.s;
        if !inv.log_groups.iter().any(|l| l.meta.id == id) {
            let name = match s.prefix() {
                Some(p) => Value::default(format!("/aws/{kind}/{p}"), &setting.origin),
                None => Value::unresolved(
                    format!("/aws/{kind}/<service>-<stage>"),
                    setting.origin.implied(),
                ),
            };
            inv.log_groups.push(LogGroup {
                meta: synthesized(id.to_owned(), ResourceKind::LogGroup, setting),
                name: Some(name),
                retention_days: s.provider("logRetentionInDays").map(|n| s.r.int(n)),
                kms_key: None,
            });
        }
        Value::explicit(Target::Local(id.to_owned()), setting.origin.implied())
    }

    /// `http: GET users/{id}` or `http: {path, method, authorizer, private}`.
    fn http(&self, inv: &mut Inventory) {
        let s = self.s;
        let (method, path) = match self.node.as_str() {
            Some(short) => {
                let mut parts = short.split_whitespace();
                let m = parts.next().unwrap_or_default();
                let p = parts.next().unwrap_or_default();
                (
                    Value::explicit(m.to_ascii_uppercase(), self.node.origin.clone()),
                    Value::explicit(rest_path(p), self.node.origin.clone()),
                )
            }
            None => (
                self.get("method").map_or_else(
                    || self.deploy_time("missing `method`".into()),
                    |m| s.r.string(m).map(|x| x.to_ascii_uppercase()),
                ),
                self.get("path").map_or_else(
                    || self.deploy_time("missing `path`".into()),
                    |p| s.r.string(p).map(|x| rest_path(&x)),
                ),
            ),
        };
        let api = self.rest_api(inv);
        let (authorization_type, authorizer) = self.rest_authorizer(&api, inv);
        let route_id = format!(
            "ApiGatewayMethod{}{}",
            path.get().map(|p| route_name(p)).unwrap_or_default(),
            names::upper_first(
                &method
                    .get()
                    .map(|m| m.to_ascii_lowercase())
                    .unwrap_or_default()
            )
        );
        let route_id = unique(route_id, |id| inv.routes.iter().any(|r| r.meta.id == id));
        inv.routes.push(Route {
            meta: synthesized(route_id, ResourceKind::Route, self.node),
            api,
            method,
            path,
            authorization_type,
            authorizer,
            api_key_required: self
                .get("private")
                .map_or_else(|| Value::default(false, &self.node.origin), |n| s.r.bool(n)),
            request_validator: None,
            function: Some(self.function()),
        });
        let source = self.deploy_time(format!(
            "arn:{}:execute-api:{}:${{AWS::AccountId}}:${{{}}}/*/*",
            s.partition(),
            s.region,
            names::REST_API
        ));
        self.permission(
            format!("{}LambdaPermissionApiGateway", self.fname),
            "apigateway.amazonaws.com",
            vec![("ArnLike", "aws:SourceArn", source)],
            inv,
        );
    }

    /// The authorization of an `http` event.
    fn rest_authorizer(
        &self,
        api: &Value<Target>,
        inv: &mut Inventory,
    ) -> (Value<String>, Option<Value<Target>>) {
        let s = self.s;
        let Some(a) = self.get("authorizer") else {
            return (Value::default("NONE".to_owned(), &self.node.origin), None);
        };
        let explicit = |t: &str| Value::explicit(t.to_owned(), a.origin.clone());
        let name_node = a.get("name").or_else(|| a.as_str().map(|_| a));
        let arn_node = a
            .get("arn")
            .or_else(|| a.as_str().filter(|x| x.starts_with("arn:")).map(|_| a));
        let kind = a
            .get("type")
            .and_then(Node::as_str)
            .map(str::to_ascii_lowercase);
        if a.as_str() == Some("aws_iam") || kind.as_deref() == Some("aws_iam") {
            return (explicit("AWS_IAM"), None);
        }
        if let Some(id) = a.get("authorizerId") {
            return (
                explicit(if kind.as_deref() == Some("cognito_user_pools") {
                    "COGNITO_USER_POOLS"
                } else {
                    "CUSTOM"
                }),
                Some(s.r.target(id)),
            );
        }
        let cognito = kind.as_deref() == Some("cognito_user_pools")
            || arn_node
                .and_then(Node::as_str)
                .is_some_and(|x| x.contains(":cognito-idp:"));
        let function = match arn_node {
            Some(arn) if !cognito => Some(s.r.target(arn)),
            Some(_) => None,
            None => name_node
                .and_then(Node::as_str)
                .map(|n| Value::explicit(Target::Local(n.to_owned()), a.origin.clone())),
        };
        let auth_name = name_node
            .and_then(Node::as_str)
            .map(str::to_owned)
            .or_else(|| {
                arn_node
                    .and_then(Node::as_str)
                    .map(|x| x.rsplit([':', '/']).next().unwrap_or(x).to_owned())
            })
            .unwrap_or_else(|| "authorizer".to_owned());
        let id = format!("{}ApiGatewayAuthorizer", names::alnum(&auth_name));
        if !inv.authorizers.iter().any(|x| x.meta.id == id) {
            let kind_value = if cognito {
                Value::explicit("COGNITO_USER_POOLS".to_owned(), a.origin.clone())
            } else {
                match kind.as_deref() {
                    Some("request") => explicit("REQUEST"),
                    Some("token") => explicit("TOKEN"),
                    _ => Value::default("TOKEN".to_owned(), &a.origin),
                }
            };
            inv.authorizers.push(Authorizer {
                meta: synthesized(id.clone(), ResourceKind::Authorizer, a),
                api: api.clone(),
                name: Some(Value::explicit(auth_name, a.origin.clone())),
                kind: kind_value,
                function,
                identity_source: match a.get("identitySource") {
                    Some(n) => s.r.strings(Some(n)),
                    None => vec![Value::default(
                        "method.request.header.Authorization".to_owned(),
                        &a.origin,
                    )],
                },
            });
        }
        let t = if cognito {
            "COGNITO_USER_POOLS"
        } else {
            "CUSTOM"
        };
        (
            explicit(t),
            Some(Value::explicit(Target::Local(id), a.origin.clone())),
        )
    }

    /// The HTTP API of the service (created once), or an existing one by id.
    fn http_api(&self, inv: &mut Inventory) {
        let s = self.s;
        let owner = s.provider.unwrap_or(self.node);
        let api = match s.provider("httpApi.id") {
            Some(id) => s.r.target(id),
            None => {
                if !inv.apis.iter().any(|a| a.meta.id == names::HTTP_API) {
                    inv.apis.push(Api {
                        meta: synthesized(names::HTTP_API.to_owned(), ResourceKind::Api, owner),
                        kind: ApiKind::Http,
                        name: s.prefix().map(|p| Value::default(p, &owner.origin)),
                        endpoint_type: None,
                        disable_execute_api_endpoint: s
                            .provider("httpApi.disableDefaultEndpoint")
                            .map_or_else(|| Value::default(false, &owner.origin), |n| s.r.bool(n)),
                        policy: None,
                    });
                    let logs = s
                        .provider("logs.httpApi")
                        .filter(|n| n.as_bool() != Some(false));
                    let destination =
                        logs.map(|l| self.access_log_group("HttpApiLogGroup", "http-api", l, inv));
                    inv.stages.push(Stage {
                        meta: synthesized(names::HTTP_STAGE.to_owned(), ResourceKind::Stage, owner),
                        api: Value::explicit(
                            Target::Local(names::HTTP_API.to_owned()),
                            owner.origin.implied(),
                        ),
                        name: Value::default("$default".to_owned(), &owner.origin),
                        access_log_destination: destination,
                        access_log_format: logs
                            .and_then(|l| l.get("format"))
                            .map(|f| s.r.string(f)),
                        tracing_enabled: Value::default(false, &owner.origin),
                        logging_level: None,
                    });
                }
                Value::explicit(
                    Target::Local(names::HTTP_API.to_owned()),
                    owner.origin.implied(),
                )
            }
        };
        let (method, path) = match self.node.as_str() {
            Some("*") => (
                Value::explicit("ANY".to_owned(), self.node.origin.clone()),
                Value::explicit("$default".to_owned(), self.node.origin.clone()),
            ),
            Some(short) => {
                let (m, p) = short.split_once(' ').unwrap_or(("ANY", short));
                (
                    Value::explicit(m.to_ascii_uppercase(), self.node.origin.clone()),
                    Value::explicit(p.trim().to_owned(), self.node.origin.clone()),
                )
            }
            None => (
                self.get("method").map_or_else(
                    || Value::default("ANY".to_owned(), &self.node.origin),
                    |m| s.r.string(m).map(|x| x.to_ascii_uppercase()),
                ),
                self.get("path").map_or_else(
                    || Value::default("$default".to_owned(), &self.node.origin),
                    |p| s.r.string(p),
                ),
            ),
        };
        let (authorization_type, authorizer) = match self.get("authorizer") {
            None => (Value::default("NONE".to_owned(), &self.node.origin), None),
            Some(a) => {
                let kind = a.get("type").and_then(Node::as_str);
                let name = a.get("name").and_then(Node::as_str).or_else(|| a.as_str());
                if kind == Some("aws_iam") || a.as_str() == Some("aws_iam") {
                    (
                        Value::explicit("AWS_IAM".to_owned(), a.origin.clone()),
                        None,
                    )
                } else if let Some(name) = name {
                    let config = s.provider(&format!("httpApi.authorizers.{name}"));
                    let jwt = config.is_none_or(|c| {
                        c.get("type").and_then(Node::as_str) != Some("request")
                            && c.get("functionName").is_none()
                            && c.get("functionArn").is_none()
                    });
                    let id = format!("HttpApiAuthorizer{}", names::alnum(name));
                    if !inv.authorizers.iter().any(|x| x.meta.id == id) {
                        let holder = config.unwrap_or(a);
                        inv.authorizers.push(Authorizer {
                            meta: synthesized(id.clone(), ResourceKind::Authorizer, holder),
                            api: api.clone(),
                            name: Some(Value::explicit(name.to_owned(), a.origin.clone())),
                            kind: Value::explicit(
                                if jwt { "JWT" } else { "REQUEST" }.to_owned(),
                                holder.origin.clone(),
                            ),
                            function: config.and_then(|c| {
                                c.get("functionName")
                                    .and_then(Node::as_str)
                                    .map(|f| {
                                        Value::explicit(
                                            Target::Local(f.to_owned()),
                                            c.origin.clone(),
                                        )
                                    })
                                    .or_else(|| c.get("functionArn").map(|f| s.r.target(f)))
                            }),
                            identity_source: s
                                .r
                                .strings(config.and_then(|c| c.get("identitySource"))),
                        });
                    }
                    (
                        Value::explicit(
                            if jwt { "JWT" } else { "CUSTOM" }.to_owned(),
                            a.origin.clone(),
                        ),
                        Some(Value::explicit(Target::Local(id), a.origin.clone())),
                    )
                } else {
                    (Value::unresolved(s.r.text(a), a.origin.clone()), None)
                }
            }
        };
        let route_id = unique(
            format!(
                "HttpApiRoute{}{}",
                names::alnum(method.get().map(String::as_str).unwrap_or_default()),
                path.get().map(|p| route_name(p)).unwrap_or_default()
            ),
            |id| inv.routes.iter().any(|r| r.meta.id == id),
        );
        inv.routes.push(Route {
            meta: synthesized(route_id, ResourceKind::Route, self.node),
            api,
            method,
            path,
            authorization_type,
            authorizer,
            api_key_required: Value::default(false, &self.node.origin),
            request_validator: None,
            function: Some(self.function()),
        });
        let source = self.deploy_time(format!(
            "arn:{}:execute-api:{}:${{AWS::AccountId}}:${{{}}}/*",
            s.partition(),
            s.region,
            names::HTTP_API
        ));
        self.permission(
            format!("{}LambdaPermissionHttpApi", self.fname),
            "apigateway.amazonaws.com",
            vec![("ArnLike", "aws:SourceArn", source)],
            inv,
        );
    }

    /// `websocket: $connect` or `{route, authorizer}`.
    fn websocket(&self, inv: &mut Inventory) {
        let s = self.s;
        let owner = s.provider.unwrap_or(self.node);
        if !inv.apis.iter().any(|a| a.meta.id == names::WEBSOCKET_API) {
            inv.apis.push(Api {
                meta: synthesized(names::WEBSOCKET_API.to_owned(), ResourceKind::Api, owner),
                kind: ApiKind::WebSocket,
                name: s
                    .prefix()
                    .map(|p| Value::default(format!("{p}-websockets"), &owner.origin)),
                endpoint_type: None,
                disable_execute_api_endpoint: Value::default(false, &owner.origin),
                policy: None,
            });
            inv.stages.push(Stage {
                meta: synthesized(
                    names::WEBSOCKET_STAGE.to_owned(),
                    ResourceKind::Stage,
                    owner,
                ),
                api: Value::explicit(
                    Target::Local(names::WEBSOCKET_API.to_owned()),
                    owner.origin.implied(),
                ),
                name: Value::default(s.stage.clone(), &owner.origin),
                access_log_destination: None,
                access_log_format: None,
                tracing_enabled: Value::default(false, &owner.origin),
                logging_level: None,
            });
        }
        let api = Value::explicit(
            Target::Local(names::WEBSOCKET_API.to_owned()),
            owner.origin.implied(),
        );
        let route = self
            .get("route")
            .map_or_else(|| s.r.string(self.node), |r| s.r.string(r));
        let (authorization_type, authorizer) = match self.get("authorizer") {
            None => (Value::default("NONE".to_owned(), &self.node.origin), None),
            Some(a) => {
                let name = a.get("name").or(a.get("arn")).unwrap_or(a);
                (
                    Value::explicit("CUSTOM".to_owned(), a.origin.clone()),
                    Some(match name.as_str() {
                        Some(n) if !n.starts_with("arn:") => {
                            Value::explicit(Target::Local(n.to_owned()), a.origin.clone())
                        }
                        _ => s.r.target(name),
                    }),
                )
            }
        };
        let id = unique(
            format!("{}WebsocketsRoute{}", self.fname, self.index),
            |id| inv.routes.iter().any(|r| r.meta.id == id),
        );
        inv.routes.push(Route {
            meta: synthesized(id, ResourceKind::Route, self.node),
            api,
            method: route.clone(),
            path: route,
            authorization_type,
            authorizer,
            api_key_required: Value::default(false, &self.node.origin),
            request_validator: None,
            function: Some(self.function()),
        });
        let source = self.deploy_time(format!("${{{}}}/*/*", names::WEBSOCKET_API));
        self.permission(
            format!("{}LambdaPermissionWebsockets", self.fname),
            "apigateway.amazonaws.com",
            vec![("ArnLike", "aws:SourceArn", source)],
            inv,
        );
    }

    // ---- pollers ---------------------------------------------------------------------------

    fn source_node(&self) -> &Node {
        self.get("arn").unwrap_or(self.node)
    }

    fn filter_criteria(&self) -> Option<Node> {
        let patterns = self.get("filterPatterns")?;
        let o = patterns.origin.clone();
        let filters = patterns
            .one_or_many()
            .iter()
            .map(|p| {
                map(
                    vec![("Pattern", Node::string(p.to_json_text(), p.origin.clone()))],
                    &p.origin,
                )
            })
            .collect();
        Some(map(vec![("Filters", list(filters, &o))], &o))
    }

    fn mapping(
        &self,
        id: String,
        event_source: Option<Value<Target>>,
        inv: &mut Inventory,
    ) -> EventSourceMapping {
        let s = self.s;
        let _ = inv;
        EventSourceMapping {
            meta: synthesized(id, ResourceKind::EventSourceMapping, self.node),
            function: self.function(),
            event_source,
            enabled: self
                .get("enabled")
                .map_or_else(|| Value::default(true, &self.node.origin), |n| s.r.bool(n)),
            batch_size: self.get("batchSize").map(|n| s.r.int(n)),
            starting_position: None,
            maximum_retry_attempts: self.get("maximumRetryAttempts").map(|n| s.r.int(n)),
            maximum_record_age_seconds: self.get("maximumRecordAgeInSeconds").map(|n| s.r.int(n)),
            bisect_batch_on_error: self.get("bisectBatchOnFunctionError").map(|n| s.r.bool(n)),
            on_failure: None,
            filter_criteria: self.filter_criteria(),
        }
    }

    /// `sqs: arn` or `sqs: {arn, batchSize, ...}`.
    fn sqs(&self, inv: &mut Inventory) {
        let src = self.source_node();
        let id = format!("{}EventSourceMappingSQS{}", self.fname, source_name(src));
        let id = unique(id, |id| {
            inv.event_source_mappings.iter().any(|m| m.meta.id == id)
        });
        let m = self.mapping(id, Some(self.s.r.target(src)), inv);
        inv.event_source_mappings.push(m);
    }

    /// `stream: arn` or `stream: {arn, type, startingPosition, destinations, ...}`.
    fn stream(&self, inv: &mut Inventory) {
        let s = self.s;
        let src = self.source_node();
        let kind = self
            .get("type")
            .and_then(Node::as_str)
            .map(names::upper_first)
            .unwrap_or_else(|| {
                if src.as_str().is_some_and(|a| a.contains(":kinesis:")) {
                    "Kinesis".to_owned()
                } else {
                    "Dynamodb".to_owned()
                }
            });
        let id = format!("{}EventSourceMapping{kind}{}", self.fname, source_name(src));
        let id = unique(id, |id| {
            inv.event_source_mappings.iter().any(|m| m.meta.id == id)
        });
        let mut m = self.mapping(id, Some(s.r.target(src)), inv);
        m.starting_position = Some(self.get("startingPosition").map_or_else(
            || Value::default("TRIM_HORIZON".to_owned(), &self.node.origin),
            |n| s.r.string(n),
        ));
        m.on_failure = self
            .get("destinations")
            .and_then(|d| d.get("onFailure"))
            .map(|f| s.r.target(f.get("arn").unwrap_or(f)));
        inv.event_source_mappings.push(m);
    }

    /// `msk`, `kafka` (self-managed: no event source ARN), `activemq`, `rabbitmq`.
    fn broker(&self, kind: &str, inv: &mut Inventory) {
        let s = self.s;
        let src = if kind == "kafka" {
            None
        } else {
            self.get("arn").map(|a| s.r.target(a))
        };
        let id = format!(
            "{}EventSourceMapping{}{}",
            self.fname,
            names::upper_first(kind),
            self.index
        );
        let mut m = self.mapping(id, src, inv);
        m.starting_position = self.get("startingPosition").map(|n| s.r.string(n));
        inv.event_source_mappings.push(m);
    }

    // ---- pushers ---------------------------------------------------------------------------

    /// `s3: bucket` or `s3: {bucket, event, rules, existing}`.
    fn s3(&self, inv: &mut Inventory) {
        let s = self.s;
        let bucket_node = self.get("bucket").unwrap_or(self.node);
        let bucket = s.r.string(bucket_node);
        let bname = bucket.get().cloned().unwrap_or_default();
        let id = format!("S3Bucket{}", names::alnum(&bname));
        let events = match self.get("event") {
            Some(e) => vec![s.r.string(e)],
            None => vec![Value::default(
                "s3:ObjectCreated:*".to_owned(),
                &self.node.origin,
            )],
        };
        let rules: Vec<Node> = self
            .get("rules")
            .map(Node::one_or_many)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.as_map()?.first())
            .map(|e| {
                let o = e.value.origin.clone();
                map(
                    vec![
                        ("Name", Node::string(e.key.clone(), e.key_origin.clone())),
                        ("Value", e.value.clone()),
                    ],
                    &o,
                )
            })
            .collect();
        let filter = (!rules.is_empty()).then(|| {
            let o = self.node.origin.implied();
            map(
                vec![("S3Key", map(vec![("Rules", list(rules, &o))], &o))],
                &o,
            )
        });
        let notification = BucketNotification {
            function: self.function(),
            events,
            filter,
            origin: self.node.origin.clone(),
        };
        match inv.buckets.iter_mut().find(|b| b.meta.id == id) {
            Some(b) => b.notifications.push(notification),
            None => inv.buckets.push(Bucket {
                meta: synthesized(id, ResourceKind::Bucket, bucket_node),
                name: Some(bucket.clone()),
                notifications: vec![notification],
                policy: None,
            }),
        }
        let arn = match bucket.get() {
            Some(b) => Value::explicit(
                format!("arn:{}:s3:::{b}", s.partition()),
                bucket.origin.clone(),
            ),
            None => self.deploy_time(format!("arn:{}:s3:::{bucket}", s.partition())),
        };
        let account = match &s.account {
            Some(a) => Value::default(a.clone(), &self.node.origin),
            None => self.deploy_time("${AWS::AccountId}".to_owned()),
        };
        self.permission(
            format!("{}LambdaPermission{}S3", self.fname, names::alnum(&bname)),
            "s3.amazonaws.com",
            vec![
                ("ArnLike", "aws:SourceArn", arn),
                ("StringEquals", "aws:SourceAccount", account),
            ],
            inv,
        );
    }

    /// `sns: topicName`, `sns: arn` or `sns: {arn | topicName, filterPolicy}`.
    fn sns(&self, inv: &mut Inventory) {
        let s = self.s;
        let arn_node = self
            .get("arn")
            .or_else(|| {
                self.node
                    .as_str()
                    .filter(|x| x.starts_with("arn:"))
                    .map(|_| self.node)
            })
            .or_else(|| is_intrinsic(self.node).then_some(self.node));
        let (topic, tname, source_arn) = match arn_node {
            Some(a) => {
                let t = s.r.target(a);
                let name = t
                    .get()
                    .map(|x| match x.as_arn() {
                        Some(arn) => arn.resource_name().to_owned(),
                        None => x.text().to_owned(),
                    })
                    .unwrap_or_default();
                let src = match t.get() {
                    Some(Target::Arn(x)) => Value::explicit(x.clone(), a.origin.clone()),
                    _ => Value::unresolved(s.r.text(a), a.origin.clone()),
                };
                (t, name, src)
            }
            None => {
                let name_node = self.get("topicName").unwrap_or(self.node);
                let name = s.r.string(name_node);
                let tname = name.get().cloned().unwrap_or_default();
                let id = format!("SNSTopic{}", names::alnum(&tname));
                if !inv.topics.iter().any(|t| t.meta.id == id) {
                    inv.topics.push(Topic {
                        meta: synthesized(id.clone(), ResourceKind::Topic, name_node),
                        name: Some(name),
                        kms_key: None,
                        policy: None,
                    });
                }
                let src = self.deploy_time(format!("${{{id}}}"));
                (
                    Value::explicit(Target::Local(id), name_node.origin.clone()),
                    tname,
                    src,
                )
            }
        };
        inv.subscriptions.push(Subscription {
            meta: synthesized(
                unique(
                    format!("{}SnsSubscription{}", self.fname, names::alnum(&tname)),
                    |id| inv.subscriptions.iter().any(|x| x.meta.id == id),
                ),
                ResourceKind::Subscription,
                self.node,
            ),
            topic,
            protocol: Value::default("lambda".to_owned(), &self.node.origin),
            endpoint: self.function(),
            filter_policy: self.get("filterPolicy").cloned(),
        });
        self.permission(
            format!("{}LambdaPermission{}SNS", self.fname, names::alnum(&tname)),
            "sns.amazonaws.com",
            vec![("ArnLike", "aws:SourceArn", source_arn)],
            inv,
        );
    }

    /// `schedule: rate(...)` or `schedule: {rate, enabled, method}`.
    fn schedule(&self, inv: &mut Inventory) {
        let s = self.s;
        let rate = self.get("rate").unwrap_or(self.node);
        let schedule = rate.one_or_many().first().map(|r| s.r.string(r));
        let id = format!("{}EventsRuleSchedule{}", self.fname, self.index);
        let enabled = self
            .get("enabled")
            .map_or_else(|| Value::default(true, &self.node.origin), |n| s.r.bool(n));
        inv.event_rules.push(EventRule {
            meta: synthesized(id.clone(), ResourceKind::EventRule, self.node),
            name: self.get("name").map(|n| s.r.string(n)),
            schedule,
            event_pattern: None,
            targets: vec![self.function()],
            enabled,
        });
        // EventBridge Scheduler invokes through a role, not a resource policy.
        if self.get("method").and_then(Node::as_str) != Some("scheduler") {
            let source = self.deploy_time(format!("${{{id}.Arn}}"));
            self.permission(
                format!(
                    "{}LambdaPermissionEventsRuleSchedule{}",
                    self.fname, self.index
                ),
                "events.amazonaws.com",
                vec![("ArnLike", "aws:SourceArn", source)],
                inv,
            );
        }
    }

    /// `eventBridge: {pattern | schedule, eventBus}` and the v2 `cloudwatchEvent: {event}`.
    fn event_bridge(&self, kind: &str, inv: &mut Inventory) {
        let s = self.s;
        let pattern = self.get("pattern").or_else(|| self.get("event")).cloned();
        let id = if kind == "cloudwatchEvent" {
            format!("{}EventsRuleCloudWatchEvent{}", self.fname, self.index)
        } else {
            format!("{}EventBridgeRule{}", self.fname, self.index)
        };
        inv.event_rules.push(EventRule {
            meta: synthesized(id.clone(), ResourceKind::EventRule, self.node),
            name: self.get("name").map(|n| s.r.string(n)),
            schedule: self.get("schedule").map(|n| s.r.string(n)),
            event_pattern: pattern,
            targets: vec![self.function()],
            enabled: self
                .get("enabled")
                .map_or_else(|| Value::default(true, &self.node.origin), |n| s.r.bool(n)),
        });
        let source = self.deploy_time(format!("${{{id}.Arn}}"));
        self.permission(
            format!("{id}Permission"),
            "events.amazonaws.com",
            vec![("ArnLike", "aws:SourceArn", source)],
            inv,
        );
    }
}

/// `users/{id}` → `/users/{id}`.
fn rest_path(p: &str) -> String {
    let trimmed = p.trim().trim_start_matches('/');
    format!("/{trimmed}")
}

/// A route's part of a logical id: `/users/{id}` → `UsersIdVar`.
fn route_name(path: &str) -> String {
    path.split('/')
        .filter(|p| !p.is_empty())
        .map(|p| {
            if let Some(inner) = p.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                format!("{}Var", names::alnum(inner))
            } else {
                names::alnum(p)
            }
        })
        .collect()
}

/// The name part of a queue or stream source for a logical id: the queue name, the table of a
/// DynamoDB stream, the Kinesis stream name, or the logical id of an intrinsic.
fn source_name(src: &Node) -> String {
    if let Some(id) = super::read::intrinsic_resource(src) {
        return names::alnum(&id);
    }
    let Some(arn) = src.as_str() else {
        return String::new();
    };
    let resource = lambdasec_model::Arn::parse(arn).map_or(arn, |a| a.resource);
    let name = resource
        .strip_prefix("table/")
        .or_else(|| resource.strip_prefix("stream/"))
        .map_or(resource, |rest| rest.split('/').next().unwrap_or(rest));
    names::alnum(name)
}

/// `id`, or `id2`, `id3`... when taken.
fn unique(id: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&id) {
        return id;
    }
    (2..)
        .map(|i| format!("{id}{i}"))
        .find(|c| !taken(c))
        .unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(rest_path("users/{id}"), "/users/{id}");
        assert_eq!(route_name("/users/{id}/avatar-v2"), "UsersIdVarAvatarv2");
        assert_eq!(unique("A".into(), |x| x == "A" || x == "A2"), "A3");
        let arn = Node::string(
            "arn:aws:sqs:us-east-1:123456789012:jobs-queue",
            lambdasec_model::Origin::Unknown,
        );
        assert_eq!(source_name(&arn), "Jobsqueue");
        let stream = Node::string(
            "arn:aws:dynamodb:eu-west-1:1:table/orders/stream/2024-01-01T00:00:00.000",
            lambdasec_model::Origin::Unknown,
        );
        assert_eq!(source_name(&stream), "Orders");
    }
}
