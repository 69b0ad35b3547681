//! What to collect and how: the values behind `--profile`, `--region`, `--role-arn`,
//! `--accounts`, `--endpoint-url` and `--download-code`.

use crate::error::CollectError;
use std::path::{Path, PathBuf};

/// Which regions to collect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Regions {
    /// The region of the credentials' configuration (`AWS_REGION`, the profile's `region`).
    #[default]
    Configured,
    /// These regions.
    List(Vec<String>),
    /// Every region enabled in each account (EC2 `DescribeRegions`).
    All,
}

impl Regions {
    /// Parse `--region` (`r1,r2` or `all`).
    pub fn parse(s: &str) -> Result<Regions, CollectError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Ok(Regions::All);
        }
        let list: Vec<String> = s
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        if list.is_empty() {
            return Err(CollectError::InvalidOption {
                flag: "--region",
                message: "expected a comma-separated list of regions, or `all`".into(),
            });
        }
        if let Some(bad) = list.iter().find(|r| !is_region_name(r)) {
            return Err(CollectError::InvalidOption {
                flag: "--region",
                message: format!("`{bad}` is not a region name (like `eu-west-1`)"),
            });
        }
        Ok(Regions::List(list))
    }
}

fn is_region_name(r: &str) -> bool {
    r.len() <= 32
        && r.contains('-')
        && r.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Which accounts to collect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Accounts {
    /// The account of the credentials.
    #[default]
    Current,
    /// These account ids, each through the role of `role_arn`.
    List(Vec<String>),
    /// Every active account of the organization (Organizations `ListAccounts`).
    Organization,
}

impl Accounts {
    /// Parse `--accounts` (`111122223333,444455556666` or `org`).
    pub fn parse(s: &str) -> Result<Accounts, CollectError> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("org") {
            return Ok(Accounts::Organization);
        }
        let list: Vec<String> = s
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect();
        if list.is_empty() {
            return Err(CollectError::InvalidOption {
                flag: "--accounts",
                message: "expected a comma-separated list of account ids, or `org`".into(),
            });
        }
        if let Some(bad) = list.iter().find(|a| !lambdasec_model::is_account_id(a)) {
            return Err(CollectError::InvalidOption {
                flag: "--accounts",
                message: format!("`{bad}` is not a 12-digit account id"),
            });
        }
        Ok(Accounts::List(list))
    }
}

/// The placeholder of `--role-arn` replaced by each account id.
pub const ACCOUNT_PLACEHOLDER: &str = "{account}";

/// Check a `--role-arn` template: an IAM role ARN with `{account}` in the account field.
pub fn check_role_template(template: &str) -> Result<(), CollectError> {
    let sample = template.replace(ACCOUNT_PLACEHOLDER, "111122223333");
    let ok = template.contains(ACCOUNT_PLACEHOLDER)
        && lambdasec_model::Arn::parse(&sample).is_some_and(|a| {
            a.service == "iam" && a.account == "111122223333" && a.resource.starts_with("role/")
        });
    if ok {
        Ok(())
    } else {
        Err(CollectError::InvalidOption {
            flag: "--role-arn",
            message: format!(
                "`{template}` must be a role ARN with `{ACCOUNT_PLACEHOLDER}` as its account, \
                 like `arn:aws:iam::{ACCOUNT_PLACEHOLDER}:role/LambdasecAudit`"
            ),
        })
    }
}

/// Saving deployment packages and layer archives (`--download-code`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Where the archives go; the snapshot records paths relative to this directory's parent,
    /// so the snapshot file must be written there (see [`Download::beside`]).
    pub dir: PathBuf,
    /// Archives larger than this are not saved (the snapshot says so).
    pub max_bytes: u64,
}

/// The default cap: Lambda's own limit for an unzipped package is 250 MB; zipped uploads are at
/// most 50 MB through the API.
pub const DEFAULT_MAX_PACKAGE_BYTES: u64 = 256 * 1024 * 1024;

impl Download {
    /// Archives in `<snapshot stem>.packages/` next to the snapshot file.
    pub fn beside(snapshot: &Path, max_bytes: u64) -> Download {
        let stem = snapshot
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| n.trim_end_matches(".gz").trim_end_matches(".json"))
            .filter(|n| !n.is_empty())
            .unwrap_or("snapshot");
        let dir = snapshot
            .parent()
            .unwrap_or(Path::new(""))
            .join(format!("{stem}.packages"));
        Download { dir, max_bytes }
    }

    /// The name the snapshot uses for `dir` (its last component).
    pub fn recorded_root(&self) -> String {
        self.dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("packages")
            .to_owned()
    }
}

/// Everything a collection needs to know.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// A named profile of the shared config/credentials files (`--profile`).
    pub profile: Option<String>,
    pub regions: Regions,
    /// `--role-arn` with `{account}`; required for [`Accounts::List`] and
    /// [`Accounts::Organization`].
    pub role_arn: Option<String>,
    pub accounts: Accounts,
    /// Send every request here instead of AWS (`--endpoint-url`, for emulators).
    pub endpoint_url: Option<String>,
    pub download: Option<Download>,
    /// Concurrent calls per service and region.
    pub concurrency: usize,
    /// Accounts collected at once.
    pub account_concurrency: usize,
    /// Attempts per call, with adaptive retry on throttling.
    pub max_attempts: u32,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            profile: None,
            regions: Regions::Configured,
            role_arn: None,
            accounts: Accounts::Current,
            endpoint_url: None,
            download: None,
            concurrency: 8,
            account_concurrency: 4,
            max_attempts: 5,
        }
    }
}

impl CollectOptions {
    /// Check the combination of flags.
    pub fn validate(&self) -> Result<(), CollectError> {
        match (&self.accounts, &self.role_arn) {
            (Accounts::Current, _) => {}
            (_, None) => {
                return Err(CollectError::InvalidOption {
                    flag: "--accounts",
                    message: "needs --role-arn to assume a role in each account".into(),
                });
            }
            (_, Some(_)) => {}
        }
        if let Some(t) = &self.role_arn {
            check_role_template(t)?;
        }
        if let Some(e) = &self.endpoint_url
            && !(e.starts_with("http://") || e.starts_with("https://"))
        {
            return Err(CollectError::InvalidOption {
                flag: "--endpoint-url",
                message: format!("`{e}` is not an http(s) URL"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_regions_and_accounts() {
        assert_eq!(Regions::parse("all").unwrap(), Regions::All);
        assert_eq!(
            Regions::parse("eu-west-1, us-east-1").unwrap(),
            Regions::List(vec!["eu-west-1".into(), "us-east-1".into()])
        );
        assert!(Regions::parse("").is_err());
        assert!(Regions::parse("EU_WEST").is_err());
        assert_eq!(Accounts::parse("ORG").unwrap(), Accounts::Organization);
        assert_eq!(
            Accounts::parse("111122223333,444455556666").unwrap(),
            Accounts::List(vec!["111122223333".into(), "444455556666".into()])
        );
        let err = Accounts::parse("1234").unwrap_err().to_string();
        assert!(err.contains("`1234`"), "{err}");
    }

    #[test]
    fn validates_combinations() {
        let mut o = CollectOptions {
            accounts: Accounts::Organization,
            ..CollectOptions::default()
        };
        assert!(o.validate().is_err());
        o.role_arn = Some("arn:aws:iam::{account}:role/Audit".into());
        assert!(o.validate().is_ok());
        o.role_arn = Some("arn:aws:iam::111122223333:role/Audit".into());
        assert!(o.validate().is_err());
        o.role_arn = Some("arn:aws:iam::{account}:role/Audit".into());
        o.endpoint_url = Some("localhost:5000".into());
        assert!(o.validate().is_err());
    }

    #[test]
    fn downloads_go_beside_the_snapshot() {
        let d = Download::beside(Path::new("out/prod.json"), 10);
        assert_eq!(d.dir, PathBuf::from("out/prod.packages"));
        assert_eq!(d.recorded_root(), "prod.packages");
        let d = Download::beside(Path::new("snap.json.gz"), 10);
        assert_eq!(d.dir, PathBuf::from("snap.packages"));
    }
}
