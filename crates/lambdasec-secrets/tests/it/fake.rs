//! Fake secrets in real provider formats, built at test time from a seeded generator so that no
//! credential-shaped string is stored in the repository (push-protection scanners would flag
//! it). The only literals are AWS's documented example key pair.

pub const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub const HEX: &[u8] = b"0123456789abcdef";
pub const DIGITS: &[u8] = b"0123456789";
pub const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const PASSWORD: &[u8] =
    b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%&*+-=?@^_";

/// xorshift64*: deterministic, good enough for test data.
#[derive(Debug)]
pub struct Gen(u64);

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| char::from(alphabet[(self.next() % alphabet.len() as u64) as usize]))
            .collect()
    }
}

pub fn base62_crc(random: &str) -> String {
    let mut n = u64::from(crc32fast::hash(random.as_bytes()));
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = B62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8(out.to_vec()).unwrap()
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// AWS's documented example access key id and secret (docs.aws.amazon.com).
pub const AWS_EXAMPLE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const AWS_EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

pub fn aws_key_id(g: &mut Gen) -> String {
    format!("AKIA{}", g.pick(B32, 16))
}
pub fn aws_temp_key_id(g: &mut Gen) -> String {
    format!("ASIA{}", g.pick(B32, 16))
}
pub fn aws_secret(g: &mut Gen) -> String {
    g.pick(B64, 40)
}
pub fn aws_session_token(g: &mut Gen) -> String {
    format!("IQoJb3JpZ2luX2Vj{}", g.pick(B64, 600))
}
pub fn pem(g: &mut Gen, label: &str, lines: usize) -> String {
    let mut s = format!("-----BEGIN {label}-----\n");
    for _ in 0..lines {
        s.push_str(&g.pick(B64, 64));
        s.push('\n');
    }
    s.push_str(&g.pick(B64, 20));
    s.push_str("==\n");
    s.push_str(&format!("-----END {label}-----"));
    s
}
pub fn openssh_key(g: &mut Gen) -> String {
    let mut s = String::from(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n",
    );
    for _ in 0..5 {
        s.push_str(&g.pick(B64, 70));
        s.push('\n');
    }
    s.push_str("-----END OPENSSH PRIVATE KEY-----");
    s
}
pub fn service_account_json(g: &mut Gen) -> String {
    let key = pem(g, "PRIVATE KEY", 25).replace('\n', "\\n");
    format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"orders-prod-4821\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"{key}\\n\",\n  \"client_email\": \"deployer@orders-prod-4821.iam.gserviceaccount.com\",\n  \"client_id\": \"{}\"\n}}\n",
        g.pick(HEX, 40),
        g.pick(DIGITS, 21)
    )
}
pub fn github_token(g: &mut Gen, prefix: &str) -> String {
    let random = g.pick(B62, 30);
    format!("{prefix}_{random}{}", base62_crc(&random))
}
pub fn github_fine_grained(g: &mut Gen) -> String {
    format!("github_pat_{}_{}", g.pick(B62, 22), g.pick(B62, 59))
}
pub fn gitlab_token(g: &mut Gen) -> String {
    format!("glpat-{}", g.pick(B62, 20))
}
pub fn slack_bot_token(g: &mut Gen) -> String {
    format!(
        "xoxb-{}-{}-{}",
        g.pick(DIGITS, 12),
        g.pick(DIGITS, 13),
        g.pick(B62, 24)
    )
}
pub fn slack_user_token(g: &mut Gen) -> String {
    format!(
        "xoxp-{}-{}-{}-{}",
        g.pick(DIGITS, 12),
        g.pick(DIGITS, 12),
        g.pick(DIGITS, 13),
        g.pick(HEX, 32)
    )
}
pub fn slack_app_token(g: &mut Gen) -> String {
    format!(
        "xapp-1-A{}-{}-{}",
        g.pick(UPPER_DIGITS, 10),
        g.pick(DIGITS, 13),
        g.pick(HEX, 64)
    )
}
pub fn slack_webhook(g: &mut Gen) -> String {
    format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        g.pick(UPPER_DIGITS, 8),
        g.pick(UPPER_DIGITS, 10),
        g.pick(B62, 24)
    )
}
pub fn stripe_secret(g: &mut Gen, mode: &str) -> String {
    format!("sk_{mode}_{}", g.pick(B62, 99))
}
pub fn stripe_restricted(g: &mut Gen) -> String {
    format!("rk_live_{}", g.pick(B62, 99))
}
pub fn stripe_publishable(g: &mut Gen) -> String {
    format!("pk_live_{}", g.pick(B62, 99))
}
pub fn twilio_api_key(g: &mut Gen) -> String {
    format!("SK{}", g.pick(HEX, 32))
}
pub fn twilio_account_sid(g: &mut Gen) -> String {
    format!("AC{}", g.pick(HEX, 32))
}
pub fn sendgrid_key(g: &mut Gen) -> String {
    format!("SG.{}.{}", g.pick(B64URL, 22), g.pick(B64URL, 43))
}
pub fn google_api_key(g: &mut Gen) -> String {
    format!("AIza{}", g.pick(B64URL, 35))
}
pub fn azure_storage_connection_string(g: &mut Gen) -> String {
    format!(
        "DefaultEndpointsProtocol=https;AccountName=ordersprod;AccountKey={}==;EndpointSuffix=core.windows.net",
        g.pick(B64, 86)
    )
}
pub fn azure_service_bus_connection_string(g: &mut Gen) -> String {
    format!(
        "Endpoint=sb://orders-prod.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}=",
        g.pick(B64, 43)
    )
}
pub fn npm_token(g: &mut Gen) -> String {
    let random = g.pick(B62, 30);
    format!("npm_{random}{}", base62_crc(&random))
}
pub fn pypi_token(g: &mut Gen) -> String {
    format!("pypi-AgEIcHlwaS5vcmc{}", g.pick(B64URL, 140))
}
pub fn openai_key(g: &mut Gen) -> String {
    format!(
        "sk-proj-{}T3BlbkFJ{}",
        g.pick(B64URL, 74),
        g.pick(B64URL, 74)
    )
}
pub fn anthropic_key(g: &mut Gen) -> String {
    format!("sk-ant-api03-{}AA", g.pick(B64URL, 93))
}
pub fn huggingface_token(g: &mut Gen) -> String {
    format!("hf_{}", g.pick(LETTERS, 34))
}
pub fn shopify_token(g: &mut Gen) -> String {
    format!("shpat_{}", g.pick(HEX, 32))
}
pub fn vault_token(g: &mut Gen) -> String {
    format!("hvs.{}", g.pick(B64URL, 90))
}
pub fn jwt(g: &mut Gen) -> String {
    let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64url(
        format!(
            r#"{{"sub":"{}","name":"svc-orders","iat":1716239022,"exp":1747775022}}"#,
            g.pick(DIGITS, 10)
        )
        .as_bytes(),
    );
    format!("{header}.{payload}.{}", g.pick(B64URL, 43))
}
pub fn password(g: &mut Gen) -> String {
    g.pick(PASSWORD, 20)
}
pub fn random_b64(g: &mut Gen, n: usize) -> String {
    g.pick(B62, n)
}
pub fn kms_ciphertext(g: &mut Gen) -> String {
    let mut blob = vec![0x01, 0x02, 0x02, 0x00, 0x78];
    blob.extend((0..180).map(|_| (g.next() & 0xff) as u8));
    b64(&blob)
}
pub fn db_url(g: &mut Gen, scheme: &str, host: &str) -> String {
    format!("{scheme}://orders_app:{}@{host}/orders", g.pick(B62, 18))
}
