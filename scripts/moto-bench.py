"""Seed a moto server with N Lambda functions for the collection benchmark.

Each function gets its own execution role (trust policy, an inline policy, an AWS-managed
policy), environment variables, a function URL (every third one public), and a resource-policy
statement. Usage: moto-bench.py ENDPOINT N REGION
"""
import concurrent.futures
import io
import json
import sys
import zipfile

import boto3

endpoint, count, region = sys.argv[1], int(sys.argv[2]), sys.argv[3]
session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region
)
iam = session.client("iam", endpoint_url=endpoint)
lam = session.client("lambda", endpoint_url=endpoint)

buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("app.py", "def handler(event, context):\n    return event\n")
code = buf.getvalue()

trust = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
})
inline = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                   "Resource": "*"}],
})


existing = {
    f["FunctionName"]
    for page in lam.get_paginator("list_functions").paginate()
    for f in page["Functions"]
}


def seed(i):
    name = f"bench-{i:05d}"
    if name in existing:
        return
    try:
        role = iam.get_role(RoleName=f"{name}-role")["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=f"{name}-role", PolicyName="data", PolicyDocument=inline)
    iam.attach_role_policy(RoleName=f"{name}-role",
                           PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    lam.create_function(
        FunctionName=name, Runtime="python3.12", Role=role, Handler="app.handler",
        Code={"ZipFile": code},
        Environment={"Variables": {"STAGE": "bench", "TABLE": f"t{i}", "INDEX": str(i)}},
    )
    auth = "NONE" if i % 3 == 0 else "AWS_IAM"
    lam.create_function_url_config(FunctionName=name, AuthType=auth)
    lam.add_permission(FunctionName=name, StatementId="url", Action="lambda:InvokeFunctionUrl",
                       Principal="*" if auth == "NONE" else "123456789012",
                       FunctionUrlAuthType=auth)


# moto's IAM is not safe under concurrent AttachRolePolicy: a few workers, and a rerun completes
# what a crashed request left undone.
with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    for f in concurrent.futures.as_completed([pool.submit(seed, i) for i in range(count)]):
        f.result()
print(f"seeded {count} functions in {region}", file=sys.stderr)
