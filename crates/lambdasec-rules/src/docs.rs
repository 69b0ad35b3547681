//! Published documentation generated from the registry: one page per rule (`docs/rules/`) and
//! the rule table of the README. Tests keep both fresh.

use crate::compliance;
use crate::registry;
use crate::rule::RuleMeta;
use crate::rules::rt::lifecycle::runtime_lifecycle;
use std::fmt::Write as _;

/// The page of one rule: title, metadata, then its doc comment.
pub fn rule_page(m: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}: {}\n", m.code, m.name, m.title);
    let kinds: Vec<&str> = m.kinds.iter().map(|k| k.as_str()).collect();
    let inputs: Vec<&str> = m.inputs.iter().map(|i| i.as_str()).collect();
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Severity | {} |", m.severity);
    let _ = writeln!(out, "| Examines | {} |", kinds.join(", "));
    let _ = writeln!(out, "| Inputs | {} |", inputs.join(", "));
    let fix = match m.fix {
        None => "none".to_owned(),
        Some(a) => format!("{a:?}").to_lowercase(),
    };
    let _ = writeln!(out, "| Fix | {fix} |");
    let mapped: Vec<String> = compliance::mappings(m.code)
        .iter()
        .map(|(f, c)| format!("{} {}", f.id, c.id))
        .collect();
    if !mapped.is_empty() {
        let _ = writeln!(out, "| Compliance | {} |", mapped.join(", "));
    }
    if m.code.starts_with("RT") {
        let t = runtime_lifecycle();
        let _ = writeln!(out, "| Runtime table | as of {} ({}) |", t.as_of, t.source);
    }
    out.push('\n');
    out.push_str(&m.markdown());
    out
}

/// The rule table (Markdown), as embedded in the README.
pub fn rules_table() -> String {
    let mut out =
        String::from("| Code | Name | Severity | Inputs | Title |\n|---|---|---|---|---|\n");
    for r in registry::all() {
        let m = r.meta();
        let inputs: Vec<&str> = m.inputs.iter().map(|i| i.as_str()).collect();
        let _ = writeln!(
            out,
            "| [{}](docs/rules/{}.md) | `{}` | {} | {} | {} |",
            m.code,
            m.code,
            m.name,
            m.severity,
            inputs.join(", "),
            m.title
        );
    }
    out
}
