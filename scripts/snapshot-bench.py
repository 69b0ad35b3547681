"""Write a synthetic snapshot of N functions for the scan benchmark, shaped like what
`lambdasec collect` records from scripts/moto-bench.py's account: each function with its own
execution role (trust policy, an inline policy, an AWS-managed policy), environment variables,
a function URL (every third one public), a resource-policy statement, a log group and 30 days
of invocation metrics. Usage: snapshot-bench.py N OUT.json
"""
import json
import sys

count, out = int(sys.argv[1]), sys.argv[2]
account, region = "111122223333", "eu-west-1"
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
    "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
managed_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
roles, functions, log_groups = [], [], []
for i in range(count):
    name = f"bench-{i:04d}"
    arn = f"arn:aws:lambda:{region}:{account}:function:{name}"
    role = f"arn:aws:iam::{account}:role/{name}-role"
    inline = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
         "Resource": f"arn:aws:dynamodb:{region}:{account}:table/{name}"},
        {"Effect": "Allow", "Action": "s3:*" if i % 5 == 0 else "s3:GetObject", "Resource": "*"}]}
    roles.append({"Path": "/", "RoleName": f"{name}-role", "RoleId": f"AROA{i:016d}", "Arn": role,
                  "AssumeRolePolicyDocument": trust,
                  "RolePolicyList": [{"PolicyName": "app", "PolicyDocument": inline}],
                  "AttachedManagedPolicies": [{"PolicyName": "AWSLambdaBasicExecutionRole",
                                               "PolicyArn": managed_arn}]})
    public = i % 3 == 0
    policy = {"Version": "2012-10-17", "Id": "default", "Statement": [
        {"Sid": "url", "Effect": "Allow", "Principal": "*" if public else {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": "lambda:InvokeFunctionUrl", "Resource": arn,
         "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE" if public else "AWS_IAM"}}},
        {"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": arn}]}
    functions.append({
        "configuration": {
            "FunctionName": name, "FunctionArn": arn, "Runtime": "python3.9" if i % 4 == 0 else "python3.13",
            "Role": role, "Handler": "app.handler", "PackageType": "Zip", "Timeout": 30,
            "MemorySize": 128, "LastModified": "2025-06-01T08:00:00.000+0000",
            "TracingConfig": {"Mode": "PassThrough"},
            "Environment": {"Variables": {"TABLE": name, "STAGE": "prod",
                                          "DB_PASSWORD": f"p{i:04d}-Xq7!vR2#mK9$zL4w"}}},
        "tags": {"team": "bench"},
        "policy": policy,
        "url_configs": [{"FunctionArn": arn, "FunctionUrl": f"https://{name}.lambda-url.{region}.on.aws/",
                         "AuthType": "NONE" if public else "AWS_IAM",
                         "Cors": {"AllowOrigins": ["*"]} if public else None}],
        "invocations": {"StartTime": "2026-01-30T10:00:00Z", "EndTime": "2026-03-01T10:00:00Z",
                        "Period": 86400, "Timestamps": [] if i % 7 == 0 else ["2026-02-27T10:00:00Z"],
                        "Values": [] if i % 7 == 0 else [12.0], "StatusCode": "Complete"},
    })
    log_groups.append({"logGroupName": f"/aws/lambda/{name}",
                       "arn": f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{name}:*",
                       **({"retentionInDays": 30} if i % 2 else {})})
snapshot = {"lambdasec_snapshot": 1, "generator": "scripts/snapshot-bench.py",
            "collected_at": "2026-03-01T10:00:00Z",
            "accounts": [{"account_id": account, "partition": "aws",
                          "iam": {"RoleDetailList": roles, "UserDetailList": [], "GroupDetailList": [],
                                  "Policies": []},
                          "regions": [{"region": region, "functions": functions,
                                       "log_groups": log_groups, "guardduty_detectors": [],
                                       "inspector": {"accountId": account, "resourceState": {
                                           "lambda": {"status": "DISABLED"}}}}],
                          "not_assessed": [{"region": region, "action": "lambda:GetFunctionRecursionConfig",
                                            "error_code": "ResourceNotFoundException404",
                                            "message": "emulator"}]}]}
with open(out, "w") as f:
    json.dump(snapshot, f)
