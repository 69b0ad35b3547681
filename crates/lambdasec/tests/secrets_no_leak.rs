//! No secret reaches any output: `lambdasec scan` (text, JSON, SARIF, to standard output and
//! with `--output`) and `lambdasec secrets` over a project with fake secrets planted in an
//! environment variable, inline code, a function's package (a directory and a nested zip) and
//! a layer. The secrets are generated at run time; no 8-byte window of any of them may appear
//! in standard output, standard error or the report file — and the findings must be there, so
//! the test cannot pass by finding nothing.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test code: a failure is a test failure"
)]

use assert_cmd::Command;
use std::io::Write as _;
use std::path::Path;

/// Random strings from a seeded xorshift generator: fresh values in provider formats that no
/// source file holds.
struct Fakes(u64);

impl Fakes {
    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
                char::from(alphabet[(r % alphabet.len() as u64) as usize])
            })
            .collect()
    }
}

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The planted secrets (the part of each that is secret), and the project holding them.
struct Project {
    dir: tempfile::TempDir,
    secrets: Vec<String>,
}

fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn project() -> Project {
    let mut f = Fakes(0x5eed_1e55_0bad_cafe);
    let env_key_id = format!("AKIA{}", f.pick(B32, 16));
    let env_secret_key = f.pick(B64, 40);
    let github = format!("ghp_{}", f.pick(B62, 36));
    let inline_password = f.pick(B62, 24);
    let package_key_id = format!("AKIA{}", f.pick(B32, 16));
    let zipped_password = f.pick(B62, 22);
    let layer_password = f.pick(B62, 26);

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let template = format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Settings:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Layers: [!Ref Settings]
      FunctionUrlConfig:
        AuthType: NONE
      Environment:
        Variables:
          AWS_ACCESS_KEY_ID: {env_key_id}
          AWS_SECRET_ACCESS_KEY: "{env_secret_key}"
          GITHUB_TOKEN: {github}
  Billing:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: java21
      Handler: Handler::handleRequest
      CodeUri: build/billing.zip
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      InlineCode: |
        DB = "postgres://reports:{inline_password}@reports.cluster-c1.eu-west-1.rds.amazonaws.com/reports"
        def handler(event, context):
            return DB
"#
    );
    write(root, "template.yaml", template.as_bytes());
    write(
        root,
        "src/app.py",
        format!("import os\n\nKEY_ID = \"{package_key_id}\"\n\ndef handler(e, c):\n    return 1\n")
            .as_bytes(),
    );
    let jar = zip_of(&[(
        "conf/app.properties",
        format!(
            "db.url=postgres://billing:{zipped_password}@billing.cluster-c1.eu-west-1.rds.amazonaws.com/billing\n"
        )
        .as_bytes(),
    )]);
    write(
        root,
        "build/billing.zip",
        &zip_of(&[
            ("Handler.class", &[0xca, 0xfe, 0xba, 0xbe, 0, 0]),
            ("lib/client.jar", &jar),
        ]),
    );
    write(
        root,
        "layer/python/settings.py",
        format!(
            "DATABASE_URL = \"mysql://svc:{layer_password}@orders.cluster-c1.eu-west-1.rds.amazonaws.com/orders\"\n"
        )
        .as_bytes(),
    );
    Project {
        dir,
        secrets: vec![
            env_key_id,
            env_secret_key,
            github,
            inline_password,
            package_key_id,
            zipped_password,
            layer_password,
        ],
    }
}

/// Fails when any 8-byte window of a planted secret appears in `output`.
fn assert_no_leak(what: &str, output: &[u8], secrets: &[String]) {
    let text = String::from_utf8_lossy(output);
    for s in secrets {
        for w in s.as_bytes().windows(8) {
            let w = std::str::from_utf8(w).unwrap();
            assert!(
                !text.contains(w),
                "{what}: `{w}`, 8 bytes of a planted secret, is in the output"
            );
        }
    }
}

fn lambdasec(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("lambdasec")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn scan_reports_never_print_a_secret() {
    let p = project();
    let root = p.dir.path();
    for format in ["text", "json", "sarif"] {
        let out = lambdasec(root, &["scan", ".", "--format", format, "--select", "SEC"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: findings fail the scan"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        for code in ["SEC001", "SEC002", "SEC003"] {
            assert!(
                stdout.contains(code),
                "{format}: {code} did not fire:\n{stdout}"
            );
        }
        assert_no_leak(&format!("scan {format} stdout"), &out.stdout, &p.secrets);
        assert_no_leak(&format!("scan {format} stderr"), &out.stderr, &p.secrets);

        let file = root.join(format!("report.{format}"));
        let out = lambdasec(
            root,
            &[
                "scan",
                "template.yaml",
                "--format",
                format,
                "--output",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{format} --output");
        let report = std::fs::read(&file).unwrap();
        assert!(String::from_utf8_lossy(&report).contains("SEC002"));
        assert_no_leak(&format!("scan {format} --output file"), &report, &p.secrets);
        assert_no_leak(
            &format!("scan {format} --output stdout"),
            &out.stdout,
            &p.secrets,
        );
        assert_no_leak(
            &format!("scan {format} --output stderr"),
            &out.stderr,
            &p.secrets,
        );
        std::fs::remove_file(&file).unwrap();
    }
}

#[test]
fn secrets_reports_never_print_a_secret() {
    let p = project();
    let root = p.dir.path();
    for format in ["text", "json", "sarif"] {
        for low in [false, true] {
            let mut args = vec!["secrets", ".", "--format", format];
            if low {
                args.extend(["--min-confidence", "low"]);
            }
            let out = lambdasec(root, &args);
            assert_eq!(out.status.code(), Some(1), "{format}: findings exit 1");
            let stdout = String::from_utf8_lossy(&out.stdout);
            for file in [
                "src/app.py",
                "billing.zip!/lib/client.jar!/conf/app.properties",
                "layer/python/settings.py",
                "template.yaml",
            ] {
                assert!(
                    stdout.contains(file),
                    "{format}: nothing in {file}:\n{stdout}"
                );
            }
            assert_no_leak(&format!("secrets {format} stdout"), &out.stdout, &p.secrets);
            assert_no_leak(&format!("secrets {format} stderr"), &out.stderr, &p.secrets);
        }

        let file = root.join(format!("secrets.{format}"));
        let out = lambdasec(
            root,
            &[
                "secrets",
                "build/billing.zip",
                "layer",
                "--format",
                format,
                "--output",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let report = std::fs::read(&file).unwrap();
        assert!(String::from_utf8_lossy(&report).contains("settings.py"));
        assert_no_leak(
            &format!("secrets {format} --output file"),
            &report,
            &p.secrets,
        );
        std::fs::remove_file(&file).unwrap();
    }
}

#[test]
fn secrets_exit_status_is_0_clean_and_2_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/app.py",
        b"def handler(e, c):\n    return 1\n",
    );
    let clean = lambdasec(dir.path(), &["secrets", "src"]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&clean.stdout).contains("no secrets in 1 files"));
    let missing = lambdasec(dir.path(), &["secrets", "src", "missing.zip", "-f", "json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("missing.zip"));
}

#[test]
#[should_panic(expected = "8 bytes of a planted secret")]
fn the_leak_check_sees_a_partial_secret() {
    let secret = Fakes(7).pick(B62, 30);
    let shown = format!("preview: {}…", &secret[..9]);
    assert_no_leak("self-test", shown.as_bytes(), &[secret]);
}
