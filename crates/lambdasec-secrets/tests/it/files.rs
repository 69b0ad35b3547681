//! Packages: a deployment package written at test time (fake secrets in realistic files, next to
//! the clean files of `tests/corpus/clean`), scanned as a directory, as a zip, and as a layer
//! with a nested jar and wheel. Every planted secret must be found at its line, and nothing else.

use crate::fake::{self, Gen};
use lambdasec_secrets::{Detector, ScanOptions, ScanReport, Scanner, SecretKind};
use std::io::Write;
use std::path::Path;

/// A file of the package: relative path, content, expected (line, kind) findings.
pub type Planted = (String, String, Vec<(usize, SecretKind)>);

pub fn planted() -> Vec<Planted> {
    use SecretKind::*;
    let g = &mut Gen::new(23);
    let key_id = fake::aws_key_id(g);
    let secret = fake::aws_secret(g);
    let pem = fake::pem(g, "RSA PRIVATE KEY", 25);
    vec![
        (
            "app/settings.py".into(),
            format!(
                "import os\n\nAWS_ACCESS_KEY_ID = \"{key_id}\"\naws_secret_access_key = \"{secret}\"\nREGION = os.environ.get(\"AWS_REGION\", \"eu-west-1\")\n"
            ),
            vec![(3, AwsAccessKeyId), (4, AwsSecretAccessKey)],
        ),
        (
            "app/clients/slack.js".into(),
            format!(
                "const {{ WebClient }} = require('@slack/web-api');\n// bot for #orders\nconst web = new WebClient('{}');\nmodule.exports = web;\n",
                fake::slack_bot_token(g)
            ),
            vec![(3, SlackToken)],
        ),
        (
            "app/payments/config.json".into(),
            format!(
                "{{\n  \"currency\": \"EUR\",\n  \"stripe\": {{ \"secretKey\": \"{}\", \"publishableKey\": \"{}\" }}\n}}\n",
                fake::stripe_secret(g, "live"),
                fake::stripe_publishable(g)
            ),
            vec![(3, StripeKey)],
        ),
        (
            ".npmrc".into(),
            format!("//registry.npmjs.org/:_authToken={}\n", fake::npm_token(g)),
            vec![(1, NpmToken)],
        ),
        (
            "certs/id_rsa".into(),
            format!("{pem}\n"),
            vec![(1, PrivateKey)],
        ),
        (
            "certs/deploy_key".into(),
            format!("{}\n", fake::openssh_key(g)),
            vec![(1, OpenSshPrivateKey)],
        ),
        (
            "gcp/service-account.json".into(),
            fake::service_account_json(g),
            vec![(5, GcpServiceAccountKey)],
        ),
        (
            "config/production.yaml".into(),
            format!(
                "database:\n  url: {}\n  pool: 10\nmail:\n  sendgrid_api_key: {}\nmaps:\n  key: {}\n",
                fake::db_url(
                    g,
                    "postgres",
                    "orders.cluster-c9akciq32.eu-west-1.rds.amazonaws.com:5432"
                ),
                fake::sendgrid_key(g),
                fake::google_api_key(g)
            ),
            vec![
                (2, DatabaseUrlPassword),
                (5, SendgridApiKey),
                (7, GoogleApiKey),
            ],
        ),
        (
            "config/.env".into(),
            format!(
                "GITHUB_TOKEN={}\nDB_PASSWORD={}\nJWT_SECRET={}\nLOG_LEVEL=info\n",
                fake::github_token(g, "ghp"),
                fake::password(g),
                fake::random_b64(g, 48)
            ),
            vec![(1, GithubToken), (2, Password), (3, GenericSecret)],
        ),
        (
            "lib/vendor/openai_client.py".into(),
            format!("client = OpenAI(api_key=\"{}\")\n", fake::openai_key(g)),
            vec![(1, OpenaiApiKey)],
        ),
        (
            "lib/azure.properties".into(),
            format!("storage={}\n", fake::azure_storage_connection_string(g)),
            vec![(1, AzureStorageKey)],
        ),
        (
            "lib/auth/session.ts".into(),
            format!(
                "// fixture token of the staging tenant\nexport const SERVICE_TOKEN = '{}';\n",
                fake::jwt(g)
            ),
            vec![(2, Jwt)],
        ),
        (
            "scripts/publish.sh".into(),
            format!(
                "#!/bin/sh\nset -eu\nexport TWINE_PASSWORD={}\nexport HF_TOKEN={}\ntwine upload dist/*\n",
                fake::pypi_token(g),
                fake::huggingface_token(g)
            ),
            vec![(3, PypiToken), (4, HuggingfaceToken)],
        ),
        (
            "README.md".into(),
            format!(
                "# orders\n\nTemporary credentials from STS look like `{}`.\n",
                fake::aws_temp_key_id(g)
            ),
            // A temporary key id alone is low confidence: not reported at the default level.
            vec![],
        ),
        (
            ".aws/credentials".into(),
            format!(
                "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
                fake::aws_temp_key_id(g),
                fake::aws_secret(g),
                fake::aws_session_token(g)
            ),
            vec![(3, AwsSecretAccessKey), (4, AwsSessionToken)],
        ),
    ]
}

pub fn clean_files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/clean");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (format!("clean/{name}"), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn write_tree(root: &Path) {
    for (path, content, _) in planted() {
        let p = root.join(&path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    for (path, content) in clean_files() {
        let p = root.join(&path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    // A binary file with a key inside: skipped, never reported.
    std::fs::write(
        root.join("lib/native.so"),
        b"\x7fELF\0\0AKIAIOSFODNN7EXAMPLE",
    )
    .unwrap();
}

pub fn zip_entries(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn all_entries() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = planted()
        .into_iter()
        .map(|(p, c, _)| (p, c.into_bytes()))
        .collect();
    v.extend(clean_files());
    v
}

/// Compare a report with the planted secrets, given how a planted path is labelled.
fn check(report: &ScanReport, label: impl Fn(&str) -> String) -> (usize, usize, usize) {
    let mut expected: Vec<(String, usize, SecretKind)> = planted()
        .into_iter()
        .flat_map(|(p, _, e)| {
            let l = label(&p);
            e.into_iter()
                .map(move |(line, kind)| (l.clone(), line, kind))
        })
        .collect();
    expected.sort();
    let mut got: Vec<(String, usize, SecretKind)> = report
        .findings
        .iter()
        .map(|f| (f.path.clone(), f.line, f.secret.kind))
        .collect();
    got.sort();
    let tp = got.iter().filter(|g| expected.contains(g)).count();
    let fp: Vec<_> = got.iter().filter(|g| !expected.contains(g)).collect();
    let fneg: Vec<_> = expected.iter().filter(|e| !got.contains(e)).collect();
    assert!(fp.is_empty(), "unexpected findings: {fp:?}");
    assert!(fneg.is_empty(), "missed: {fneg:?}");
    (tp, fp.len(), fneg.len())
}

fn scanner() -> Scanner<'static> {
    Scanner::new(Detector::shared().unwrap(), ScanOptions::default())
}

#[test]
fn package_directory() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path());
    let report = scanner().scan_path(dir.path());
    let root = dir.path().to_string_lossy().into_owned();
    let (tp, fp, fneg) = check(&report, |p| format!("{root}/{p}"));
    println!("SEC002 package corpus (directory): TP {tp}, FP {fp}, FN {fneg}");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.path.ends_with("lib/native.so"))
    );
    assert_eq!(report.files_scanned as usize, all_entries().len());
}

#[test]
fn package_zip_and_layer_with_nested_archives() {
    let entries = all_entries();
    let package = zip_entries(&entries);
    let report = scanner().scan_bytes("function.zip", &package);
    check(&report, |p| format!("function.zip!/{p}"));

    // A layer: python/ with a wheel, java/lib/ with a jar, each holding the whole package.
    let layer = zip_entries(&[
        (
            "python/orders-3.14.2-py3-none-any.whl".into(),
            package.clone(),
        ),
        ("java/lib/orders.jar".into(), package.clone()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("layer.zip");
    std::fs::write(&path, &layer).unwrap();
    let report = scanner().scan_path(&path);
    let label = path.to_string_lossy().into_owned();
    let whl = format!("{label}!/python/orders-3.14.2-py3-none-any.whl");
    let jar = format!("{label}!/java/lib/orders.jar");
    let in_whl = report
        .findings
        .iter()
        .filter(|f| f.path.starts_with(&whl))
        .count();
    let in_jar = report
        .findings
        .iter()
        .filter(|f| f.path.starts_with(&jar))
        .count();
    let planted_count: usize = planted().iter().map(|p| p.2.len()).sum();
    assert_eq!((in_whl, in_jar), (planted_count, planted_count));
    assert_eq!(report.findings.len(), 2 * planted_count);
    assert_eq!(report.archives, 3);
    println!(
        "SEC003 layer corpus: {} findings in {} archives, {} files scanned",
        report.findings.len(),
        report.archives,
        report.files_scanned
    );
}

#[test]
fn inline_code_is_scanned_as_text() {
    let g = &mut Gen::new(5);
    let source = format!("import boto3\nKEY = '{}'\n", fake::aws_key_id(g));
    let report = scanner().scan_bytes("Resources.Fn.Properties.Code.ZipFile", source.as_bytes());
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].line, 2);
}

#[test]
fn clean_files_are_clean() {
    for (path, content) in clean_files() {
        let found = Detector::shared().unwrap().scan(&content);
        assert!(found.is_empty(), "{path}: {found:?}");
    }
}
