//! A generated SAM template for the CloudFormation benchmark: `functions` functions sharing
//! `Globals`, each with an API route, a queue poller, a schedule, a policy template and an
//! environment, and one REST API whose inline OpenAPI definition declares an authorizer.

use std::fmt::Write as _;

/// A SAM template with `functions` functions (and a queue per function).
pub fn template(functions: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nDescription: generated for the loader benchmark\nParameters:\n  Stage: {Type: String, Default: prod, AllowedValues: [dev, prod]}\n  Subnets: {Type: CommaDelimitedList, Default: 'subnet-1,subnet-2'}\nConditions:\n  IsProd: !Equals [!Ref Stage, prod]\nGlobals:\n  Function:\n    Runtime: python3.13\n    Timeout: 30\n    MemorySize: 512\n    Tracing: Active\n    Environment:\n      Variables:\n        STAGE: !Ref Stage\n  Api:\n    TracingEnabled: true\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Ref Stage\n      Auth:\n        DefaultAuthorizer: Token\n        Authorizers:\n          Token:\n            FunctionArn: !GetAtt Authorizer.Arn\n        ResourcePolicy:\n          IpRangeWhitelist: [10.0.0.0/8]\n      DefinitionBody:\n        swagger: '2.0'\n        info: {title: generated}\n        securityDefinitions:\n          sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}\n        paths:\n          /health:\n            get:\n              security: []\n              x-amazon-apigateway-integration:\n                type: aws_proxy\n                httpMethod: POST\n                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Authorizer.Arn}/invocations\n          /admin:\n            get:\n              security: [{sigv4: []}]\n  Authorizer:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/auth/\n      Handler: auth.handler\n",
    );
    for i in 0..functions {
        let _ = write!(
            t,
            "  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      KmsMasterKeyId: alias/aws/sqs\n      RedrivePolicy: {{deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 3}}\n  Function{i}:\n    Type: AWS::Serverless::Function\n    Condition: IsProd\n    Properties:\n      CodeUri: src/f{i}/\n      Handler: app.handler\n      FunctionName: !Sub '${{Stage}}-function-{i}'\n      AutoPublishAlias: live\n      ReservedConcurrentExecutions: 5\n      VpcConfig:\n        SubnetIds: !Ref Subnets\n        SecurityGroupIds: [sg-0123456789abcdef0]\n      Environment:\n        Variables:\n          QUEUE_URL: !Ref Queue{i}\n          TABLE: !Sub 'table-${{Stage}}'\n      Policies:\n        - SQSPollerPolicy: {{QueueName: !GetAtt Queue{i}.QueueName}}\n        - DynamoDBReadPolicy: {{TableName: !Sub 'table-${{Stage}}'}}\n        - Statement:\n            - Effect: Allow\n              Action: [s3:GetObject]\n              Resource: !Sub 'arn:${{AWS::Partition}}:s3:::bucket-${{Stage}}/f{i}/*'\n      Events:\n        Get:\n          Type: Api\n          Properties: {{RestApiId: !Ref Api, Path: /items/f{i}/{{id}}, Method: get}}\n        Poll:\n          Type: SQS\n          Properties: {{Queue: !GetAtt Queue{i}.Arn, BatchSize: 10}}\n        Nightly:\n          Type: Schedule\n          Properties: {{Schedule: cron(0 {h} * * ? *)}}\n",
            h = i % 24
        );
    }
    t.push_str("  Dead:\n    Type: AWS::SQS::Queue\n");
    t
}
