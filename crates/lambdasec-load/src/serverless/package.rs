//! What the Framework packages: the code of each function and layer.
//!
//! Without a `package.artifact`, `serverless package` zips the service directory (the one
//! holding serverless.yml), once for the service, or once per function when `individually`.
//! Which files go in follows the Framework's packaging plugin: its default exclusions
//! (`.git/**`, `.serverless/**`, ...), the configuration file, layer directories,
//! `package.exclude` (as `!` patterns), then `package.include` and `package.patterns` of the
//! service and, when packaged individually, of the function. The result is the function's
//! [`Code::Local`] `.` and a [`PackageFilter`] with those ordered patterns, which the package
//! scan applies (functions sharing the same patterns share one scan).
//!
//! Not modelled: dev dependencies under `node_modules` (the Framework reads `package.json` and
//! `npm ls` to leave them out) and plugins that build the package themselves
//! (serverless-webpack, -esbuild, -python-requirements).

use super::Service;
use super::read::is_null;
use lambdasec_model::{Code, CodeOwner, Node, PackageFilter, Value};

/// What the Framework leaves out of every package, before the user's patterns
/// (`lib/plugins/package/lib/package-service.js`), plus caches that are never code.
const DEFAULT_EXCLUDES: &[&str] = &[
    ".git/**",
    ".gitignore",
    ".DS_Store",
    "npm-debug.log",
    "yarn-*.log",
    ".serverless/**",
    ".serverless_plugins/**",
    "node_modules/.cache/**",
];

/// The code of function `key` when it names no image: its artifact, the service's artifact,
/// or the service directory with the patterns that choose its files. `None` when packaging is
/// disabled.
pub(super) fn function_code(
    s: &Service<'_>,
    key: &str,
    f: &Node,
    filters: &mut Vec<PackageFilter>,
) -> Option<Value<Code>> {
    let own = f.get("package").filter(|p| !is_null(p));
    let flag = |n: Option<&Node>, k: &str| {
        n.and_then(|p| p.get(k))
            .and_then(Node::as_bool)
            .unwrap_or(false)
    };
    if flag(own, "disable") {
        return None;
    }
    if let Some(a) = artifact(own) {
        return Some(s.r.string(a).map(|path| Code::Local { path }));
    }
    let service = s.root.get("package").filter(|p| !is_null(p));
    let individually = flag(own, "individually") || flag(service, "individually");
    if let Some(a) = artifact(service).or_else(|| s.provider("package.artifact"))
        && !flag(own, "individually")
    {
        return Some(s.r.string(a).map(|path| Code::Local { path }));
    }
    let mut patterns = excludes(s, service, true);
    if individually {
        patterns.extend(negated(list(own, "exclude")));
    }
    patterns.extend(includes(service));
    if individually {
        patterns.extend(includes(own));
    }
    filters.push(PackageFilter {
        owner: CodeOwner::function(key),
        patterns,
    });
    Some(Value::default(
        Code::Local {
            path: ".".to_owned(),
        },
        &f.origin,
    ))
}

fn artifact(package: Option<&Node>) -> Option<&Node> {
    package
        .and_then(|p| p.get("artifact"))
        .filter(|a| !is_null(a))
}

/// The patterns that choose the files of layer directory `path` (relative to it): the default
/// exclusions and the service's `package.exclude`, then the layer's own, then the includes.
pub(super) fn layer_patterns(s: &Service<'_>, layer: &Node) -> Vec<String> {
    let own = layer.get("package").filter(|p| !is_null(p));
    let service = s.root.get("package").filter(|p| !is_null(p));
    let mut patterns = excludes(s, service, false);
    patterns.extend(negated(list(own, "exclude")));
    patterns.extend(includes(service));
    patterns.extend(includes(own));
    patterns
}

/// The exclusions every package of the service starts with, as `!` patterns.
fn excludes(s: &Service<'_>, service: Option<&Node>, layers: bool) -> Vec<String> {
    let mut out: Vec<String> = DEFAULT_EXCLUDES.iter().map(|e| format!("!{e}")).collect();
    if !s.config_name.is_empty() {
        out.push(format!("!{}", s.config_name));
    }
    if let Some(local) = s
        .root
        .get("plugins")
        .and_then(|p| p.get("localPath"))
        .and_then(Node::as_str)
    {
        let local = local.trim_end_matches('/');
        out.push(format!("!{local}"));
        out.push(format!("!{local}/**"));
    }
    out.extend(negated(list(service, "exclude")));
    if layers {
        for l in s
            .root
            .get("layers")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            if let Some(path) = l.value.get("path").and_then(Node::as_str) {
                out.push(format!("!{}/**", path.trim_end_matches('/')));
            }
        }
    }
    if s.root.get("useDotenv").and_then(Node::as_bool) == Some(true) {
        out.push("!.env*".to_owned());
    }
    out
}

/// `include` and `patterns` of a package section, as written.
fn includes(package: Option<&Node>) -> Vec<String> {
    let mut out = list(package, "include");
    out.extend(list(package, "patterns"));
    out
}

/// Exclusions as patterns: `x` leaves `x` out, `!x` takes it back.
fn negated(items: Vec<String>) -> impl Iterator<Item = String> {
    items.into_iter().map(|e| match e.strip_prefix('!') {
        Some(back) => back.to_owned(),
        None => format!("!{e}"),
    })
}

fn list(package: Option<&Node>, key: &str) -> Vec<String> {
    package
        .and_then(|p| p.get(key))
        .map(Node::one_or_many)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        reason = "test code: a failure is a test failure"
    )]

    use crate::{LoadOptions, PackageScan, discover, load};
    use lambdasec_model::{Code, Inventory, SourceMap};
    use std::path::Path;

    fn write(root: &Path, rel: &str, data: &[u8]) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
    }

    /// A fake access key id, assembled at run time.
    fn key(tail: &str) -> String {
        format!("AKIA{}", tail.chars().rev().collect::<String>())
    }

    fn scan(config: &Path, options: &LoadOptions) -> Inventory {
        let sources = SourceMap::new();
        let d = discover(&[config.to_path_buf()], &sources);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        load(&d.units[0], &sources, options)
    }

    fn found(inv: &Inventory) -> Vec<(String, String)> {
        let mut got: Vec<_> = inv
            .package_secrets
            .iter()
            .map(|s| (s.owner.id.clone(), s.path.clone()))
            .collect();
        got.sort_unstable();
        got
    }

    #[test]
    fn the_service_directory_is_the_package_scanned_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sls = "service: orders
frameworkVersion: '3'
provider:
  name: aws
  runtime: python3.12
package:
  patterns:
    - '!tests/**'
    - '!*.md'
layers:
  deps:
    path: layer
functions:
  api:
    handler: app.handler
  worker:
    handler: worker.handler
  prebuilt:
    handler: main.handler
    package:
      artifact: dist/prebuilt.zip
  image:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1
";
        write(root, "serverless.yml", sls.as_bytes());
        let k = key("PLN5BT4KW2ZMR7XQ");
        let line = format!("KEY = \"{k}\"\n");
        write(root, "app.py", line.as_bytes());
        // Left out: by the user's patterns, by the Framework's defaults, the layer's directory.
        for rel in [
            "tests/fixture.py",
            "README.md",
            ".serverless/cache.txt",
            "node_modules/.cache/babel/x.json",
            ".git/config",
        ] {
            write(root, rel, line.as_bytes());
        }
        write(root, "docs/guide.md", line.as_bytes());
        write(root, "layer/python/settings.py", line.as_bytes());

        let options = LoadOptions {
            packages: Some(PackageScan::default()),
            ..LoadOptions::default()
        };
        let inv = scan(&root.join("serverless.yml"), &options);
        let code = |id: &str| {
            inv.functions
                .iter()
                .find(|f| f.meta.id == id)
                .and_then(|f| f.code.as_ref())
                .and_then(|c| c.get().cloned())
        };
        assert_eq!(code("api"), Some(Code::Local { path: ".".into() }));
        assert_eq!(
            code("prebuilt"),
            Some(Code::Local {
                path: "dist/prebuilt.zip".into()
            })
        );
        assert!(matches!(code("image"), Some(Code::Image { .. })));
        let want: Vec<(String, String)> = [
            ("DepsLambdaLayer", "layer/python/settings.py"),
            ("api", "app.py"),
            ("api", "docs/guide.md"),
            ("worker", "app.py"),
            ("worker", "docs/guide.md"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        assert_eq!(found(&inv), want);
        // The service directory once for both functions, the layer, the absent artifact.
        assert_eq!(options.packages.as_ref().unwrap().artifacts_scanned(), 3);
        let skipped: Vec<_> = inv.package_skips.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(skipped, ["dist/prebuilt.zip"]);
    }

    #[test]
    fn functions_packaged_individually_add_their_own_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let sls = "service: orders
provider:
  name: aws
  runtime: nodejs20.x
package:
  individually: true
  exclude:
    - scripts/**
functions:
  api:
    handler: api.handler
    package:
      patterns:
        - '!worker.js'
  worker:
    handler: worker.handler
  off:
    handler: off.handler
    package:
      disable: true
";
        write(root, "serverless.yml", sls.as_bytes());
        let line = format!("const k = '{}';\n", key("QLN5BT4KW2ZMR7XQ"));
        for rel in ["api.js", "worker.js", "scripts/seed.js"] {
            write(root, rel, line.as_bytes());
        }
        let options = LoadOptions {
            packages: Some(PackageScan::default()),
            ..LoadOptions::default()
        };
        let inv = scan(&root.join("serverless.yml"), &options);
        let want: Vec<(String, String)> = [
            ("api", "api.js"),
            ("worker", "api.js"),
            ("worker", "worker.js"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        assert_eq!(found(&inv), want);
        assert_eq!(options.packages.as_ref().unwrap().artifacts_scanned(), 2);
        let off = inv.functions.iter().find(|f| f.meta.id == "off").unwrap();
        assert!(off.code.is_none());
    }
}
