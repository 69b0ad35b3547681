# Reports service in Terraform: a report builder behind a public function URL, and an exporter
# that can deploy code. Configured with a few mistakes, to show what lambdasec reports.

variable "stage" {
  type    = string
  default = "prod"
}

locals {
  name = "reports-${var.stage}"
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "builder" {
  name               = "${local.name}-builder"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
}

resource "aws_iam_role_policy_attachment" "builder_logs" {
  role       = aws_iam_role.builder.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

# The builder can create functions with any role and invoke them: a privilege-escalation path.
resource "aws_iam_role_policy" "builder" {
  role = aws_iam_role.builder.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "arn:aws:s3:::${local.name}-output/*"
      },
    ]
  })
}

resource "aws_lambda_function" "builder" {
  function_name = "${local.name}-builder"
  role          = aws_iam_role.builder.arn
  runtime       = "python3.9"
  handler       = "app.handler"
  s3_bucket     = "artifacts-${var.stage}"
  s3_key        = "reports/builder.zip"

  environment {
    variables = {
      OUTPUT_BUCKET = "${local.name}-output"
      SMTP_PASSWORD = "Wq8#vN2$kLp9@zR4"
    }
  }
}

resource "aws_lambda_function_url" "builder" {
  function_name      = aws_lambda_function.builder.function_name
  authorization_type = "NONE"

  cors {
    allow_origins     = ["*"]
    allow_methods     = ["GET"]
    allow_credentials = true
  }
}

# Well configured: IAM-authenticated, traced, encrypted, bounded concurrency.
resource "aws_kms_key" "exporter" {
  description         = "Encrypts the exporter's environment"
  enable_key_rotation = true
}

resource "aws_lambda_function" "exporter" {
  function_name                  = "${local.name}-exporter"
  role                           = aws_iam_role.builder.arn
  runtime                        = "python3.13"
  handler                        = "export.handler"
  s3_bucket                      = "artifacts-${var.stage}"
  s3_key                         = "reports/exporter.zip"
  kms_key_arn                    = aws_kms_key.exporter.arn
  reserved_concurrent_executions = 5

  environment {
    variables = {
      OUTPUT_BUCKET = "${local.name}-output"
    }
  }

  tracing_config {
    mode = "Active"
  }

  tags = {
    service = "reports"
  }
}
