//! Routes and authorizers read from inline OpenAPI definitions (SAM `DefinitionBody`,
//! `AWS::ApiGateway::RestApi` / `AWS::ApiGatewayV2::Api` `Body`). Templates written for these
//! tests.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers fail loudly"
)]

use lambdasec_load::{LoadOptions, cloudformation};
use lambdasec_model::{FileId, Inventory, Level, Route, SourceFile, Target};

fn load(text: &str) -> Inventory {
    let inv = cloudformation::load(
        &SourceFile::new(FileId(0), "t.yaml", text),
        &LoadOptions::default(),
    );
    let errors: Vec<_> = inv
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    inv
}

fn route<'a>(inv: &'a Inventory, method: &str, path: &str) -> &'a Route {
    let found: Vec<&Route> = inv
        .routes
        .iter()
        .filter(|r| r.method.as_str() == Some(method) && r.path.as_str() == Some(path))
        .collect();
    assert_eq!(found.len(), 1, "{method} {path}: {:#?}", inv.routes);
    found[0]
}

fn local(id: &str) -> Option<Target> {
    Some(Target::Local(id.to_owned()))
}

const REST: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        swagger: '2.0'
        info: {title: shop}
        securityDefinitions:
          TokenAuth:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer:
              type: token
              authorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations
          sigv4:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: awsSigv4
          api_key:
            type: apiKey
            name: x-api-key
            in: header
          Partner:
            type: oauth2
        paths:
          /public:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ItemsFn.Arn}/invocations
          /items:
            post:
              security: [{TokenAuth: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ItemsFn.Arn}/invocations
            x-amazon-apigateway-any-method:
              security: [{sigv4: []}]
          /keys:
            get:
              security: [{api_key: []}]
          /open:
            get:
              security: []
          /either:
            get:
              security: [{TokenAuth: []}, {}]
          /partner:
            get:
              security: [{Partner: []}]
  ItemsFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.items
      Runtime: python3.13
      Events:
        Create:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /items, Method: post}
  AuthFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.auth
      Runtime: python3.13
"#;

#[test]
fn swagger_routes_and_authorizers() {
    let inv = load(REST);
    let public = route(&inv, "GET", "/public");
    assert_eq!(public.authorization_type.as_str(), Some("NONE"));
    assert!(public.authorization_type.is_default());
    assert_eq!(
        public.function.as_ref().unwrap().get(),
        local("ItemsFn").as_ref()
    );
    assert_eq!(public.meta.id, "Api GET /public");
    assert_eq!(
        public.meta.origin.path(),
        Some("Resources.Api.Properties.DefinitionBody.paths./public.get")
    );
    assert_eq!(public.api.get(), local("Api").as_ref());

    // The event's route is kept; the definition's operation is not read twice.
    let items = route(&inv, "POST", "/items");
    assert_eq!(items.meta.id, "ItemsFnCreate");

    let any = route(&inv, "ANY", "/items");
    assert_eq!(any.authorization_type.as_str(), Some("AWS_IAM"));
    let keys = route(&inv, "GET", "/keys");
    assert_eq!(keys.authorization_type.as_str(), Some("NONE"));
    assert_eq!(keys.api_key_required.get(), Some(&true));
    let open = route(&inv, "GET", "/open");
    assert_eq!(open.authorization_type.as_str(), Some("NONE"));
    assert!(open.authorization_type.is_explicit());
    // An empty alternative lets anyone in.
    let either = route(&inv, "GET", "/either");
    assert_eq!(either.authorization_type.as_str(), Some("NONE"));
    // A scheme API Gateway does not enforce as written is not read as open.
    let partner = route(&inv, "GET", "/partner");
    assert!(partner.authorization_type.is_unresolved());

    let auth = inv
        .authorizers
        .iter()
        .find(|a| a.meta.id == "ApiTokenAuthAuthorizer")
        .unwrap();
    assert_eq!(auth.kind.as_str(), Some("TOKEN"));
    assert_eq!(
        auth.function.as_ref().unwrap().get(),
        local("AuthFn").as_ref()
    );
    assert_eq!(auth.api.get(), local("Api").as_ref());
    assert_eq!(inv.authorizers.len(), 1, "{:#?}", inv.authorizers);
}

#[test]
fn sam_defaults_apply_to_operations_without_security() {
    let inv = load(
        r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration: {issuer: https://issuer.example.com, audience: [app]}
      DefinitionBody:
        openapi: 3.0.1
        info: {title: orders}
        components:
          securitySchemes:
            Lambda:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authorizer:
                type: request
                identitySource: [$request.header.Authorization]
                authorizerUri: !GetAtt AuthFn.Arn
        paths:
          /orders:
            get:
              x-amazon-apigateway-integration: {type: aws_proxy, uri: !GetAtt OrdersFn.Arn, payloadFormatVersion: '2.0'}
            post:
              security: [{Lambda: []}]
          /health:
            get:
              security: []
          /scoped:
            get:
              security: [{Jwt: [orders.read]}]
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.orders, Runtime: python3.13}
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: app.auth, Runtime: python3.13}
"#,
    );
    let get = route(&inv, "GET", "/orders");
    assert_eq!(get.authorization_type.as_str(), Some("JWT"));
    assert_eq!(
        get.authorizer.as_ref().unwrap().get(),
        local("HttpJwtAuthorizer").as_ref()
    );
    assert_eq!(
        get.function.as_ref().unwrap().get(),
        local("OrdersFn").as_ref()
    );
    let post = route(&inv, "POST", "/orders");
    assert_eq!(post.authorization_type.as_str(), Some("CUSTOM"));
    assert_eq!(
        post.authorizer.as_ref().unwrap().get(),
        local("HttpLambdaAuthorizer").as_ref()
    );
    assert_eq!(
        route(&inv, "GET", "/health").authorization_type.as_str(),
        Some("NONE")
    );
    // `Auth.Authorizers` named in `security` without a scheme in the definition.
    assert_eq!(
        route(&inv, "GET", "/scoped").authorization_type.as_str(),
        Some("JWT")
    );
    let lambda = inv
        .authorizers
        .iter()
        .find(|a| a.meta.id == "HttpLambdaAuthorizer")
        .unwrap();
    assert_eq!(lambda.kind.as_str(), Some("REQUEST"));
    assert_eq!(lambda.identity_source.len(), 1);
    assert_eq!(
        lambda.function.as_ref().unwrap().get(),
        local("AuthFn").as_ref()
    );
    // The SAM authorizer is not read twice.
    assert_eq!(
        inv.authorizers
            .iter()
            .filter(|a| a.meta.id == "HttpJwtAuthorizer")
            .count(),
        1
    );
}

#[test]
fn cloudformation_bodies() {
    let inv = load(
        r#"Resources:
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: rest
      Body:
        openapi: 3.0.1
        info: {title: rest}
        components:
          securitySchemes:
            Pool:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: cognito_user_pools
              x-amazon-apigateway-authorizer:
                type: cognito_user_pools
                providerARNs: [!GetAtt UserPool.Arn]
        paths:
          /me:
            get:
              security: [{Pool: []}]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Join ['', ['arn:aws:apigateway:', !Ref 'AWS::Region', ':lambda:path/2015-03-31/functions/', !GetAtt Fn.Arn, '/invocations']]
            delete:
              x-amazon-apigateway-auth: {type: aws_iam}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Handler: a.b, Runtime: python3.13, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: x}}
  UserPool:
    Type: AWS::Cognito::UserPool
"#,
    );
    let me = route(&inv, "GET", "/me");
    assert_eq!(me.authorization_type.as_str(), Some("COGNITO_USER_POOLS"));
    assert_eq!(me.function.as_ref().unwrap().get(), local("Fn").as_ref());
    assert_eq!(
        route(&inv, "DELETE", "/me").authorization_type.as_str(),
        Some("AWS_IAM")
    );
    let pool = &inv.authorizers[0];
    assert_eq!(pool.meta.id, "RestPoolAuthorizer");
    assert_eq!(pool.kind.as_str(), Some("COGNITO_USER_POOLS"));
    assert!(!pool.meta.synthesized);
}

#[test]
fn included_definitions_are_not_read() {
    let inv = load(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n          Parameters: {Location: s3://b/openapi.yaml}\n",
    );
    assert!(inv.routes.is_empty(), "{:#?}", inv.routes);
}
