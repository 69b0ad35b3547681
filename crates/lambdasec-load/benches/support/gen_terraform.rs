//! Generated Terraform root modules for benchmarks: each has variables with defaults, locals,
//! an execution role with a `jsonencode` policy and a policy document data source, functions
//! (one repeated with `for_each`), a function URL, a permission, log groups, a queue with its
//! event source mapping and a security group.

use std::fmt::Write as _;
use std::path::Path;

/// Functions per generated module: two plus three `for_each` instances.
pub const FUNCTIONS_PER_MODULE: usize = 5;

/// The text of module `i`.
pub fn module(i: usize) -> String {
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"variable "env" {{
  type    = string
  default = "prod"
}}

variable "runtime" {{
  type    = string
  default = "python3.12"
}}

variable "workers" {{
  type    = set(string)
  default = ["a", "b", "c"]
}}

locals {{
  name = "svc{i}-${{var.env}}"
  tags = {{ service = local.name, index = "{i}" }}
}}

data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "exec" {{
  name               = "${{local.name}}-exec"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = local.tags
}}

resource "aws_iam_role_policy" "access" {{
  role = aws_iam_role.exec.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{ Effect = "Allow", Action = ["dynamodb:GetItem", "dynamodb:PutItem"], Resource = "arn:aws:dynamodb:eu-west-1:123456789012:table/t{i}" }},
      {{ Effect = "Allow", Action = "sqs:*", Resource = aws_sqs_queue.jobs.arn }},
    ]
  }})
}}

resource "aws_lambda_function" "api" {{
  function_name = "${{local.name}}-api"
  role          = aws_iam_role.exec.arn
  runtime       = var.runtime
  handler       = "app.handler"
  filename      = "${{path.module}}/build/api.zip"
  memory_size   = 256
  timeout       = 10
  environment {{
    variables = {{
      TABLE = "t{i}"
      STAGE = var.env
    }}
  }}
  tracing_config {{
    mode = "Active"
  }}
  tags = local.tags
}}

resource "aws_lambda_function" "worker" {{
  for_each      = var.workers
  function_name = "${{local.name}}-worker-${{each.key}}"
  role          = aws_iam_role.exec.arn
  runtime       = var.runtime
  handler       = "worker.handler"
  s3_bucket     = "artifacts-{i}"
  s3_key        = "worker-${{each.key}}.zip"
  vpc_config {{
    subnet_ids         = ["subnet-{i}a", "subnet-{i}b"]
    security_group_ids = [aws_security_group.fn.id]
  }}
  tags = merge(local.tags, {{ worker = each.key }})
}}

resource "aws_lambda_function" "cron" {{
  function_name                  = "${{local.name}}-cron"
  role                           = aws_iam_role.exec.arn
  runtime                        = "nodejs20.x"
  handler                        = "index.handler"
  filename                       = "cron.zip"
  reserved_concurrent_executions = 1
}}

resource "aws_lambda_function_url" "api" {{
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "AWS_IAM"
}}

resource "aws_lambda_permission" "events" {{
  function_name = aws_lambda_function.cron.function_name
  action        = "lambda:InvokeFunction"
  principal     = "events.amazonaws.com"
  source_arn    = "arn:aws:events:eu-west-1:123456789012:rule/nightly-{i}"
}}

resource "aws_cloudwatch_log_group" "api" {{
  name              = "/aws/lambda/${{aws_lambda_function.api.function_name}}"
  retention_in_days = 30
}}

resource "aws_sqs_queue" "jobs" {{
  name                       = "${{local.name}}-jobs"
  visibility_timeout_seconds = 60
}}

resource "aws_lambda_event_source_mapping" "jobs" {{
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.api.arn
  batch_size       = 10
}}

resource "aws_security_group" "fn" {{
  name   = "${{local.name}}-fn"
  vpc_id = "vpc-{i}"
  egress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"#
    );
    s
}

/// Write `count` modules under `dir` (`dir/m0000/main.tf`, ...).
pub fn generate(dir: &Path, count: usize) -> std::io::Result<()> {
    for i in 0..count {
        let d = dir.join(format!("m{i:04}"));
        std::fs::create_dir_all(&d)?;
        std::fs::write(d.join("main.tf"), module(i))?;
    }
    Ok(())
}
