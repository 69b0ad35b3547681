//! Text for people: findings grouped by file, each with its code, severity, message, location,
//! the source line with the blamed value underlined, related locations, the fix and a hint.

use crate::location::{Location, locate};
use crate::{Report, TextOptions};
use anstyle::{AnsiColor, Effects, Style};
use lambdasec_model::{Origin, SourceMap};
use lambdasec_rules::compliance::Status;
use lambdasec_rules::{Finding, Severity, registry};
use std::fmt::Write as _;

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let style = match s {
            Severity::Critical => AnsiColor::BrightRed.on_default().effects(Effects::BOLD),
            Severity::High => AnsiColor::Red.on_default().effects(Effects::BOLD),
            Severity::Medium => AnsiColor::Yellow.on_default(),
            Severity::Low => AnsiColor::Blue.on_default(),
            Severity::Info => AnsiColor::BrightBlack.on_default(),
        };
        self.paint(style, &format!("{:<8}", s.as_str()))
    }
}

fn bold() -> Style {
    Style::new().effects(Effects::BOLD)
}

fn dim() -> Style {
    AnsiColor::BrightBlack.on_default()
}

fn group_of(loc: &Location) -> String {
    match loc {
        Location::Source { file, .. } => file.clone(),
        Location::Live { arn, .. } => arn.clone(),
        Location::Unknown {} => "(no location)".to_owned(),
    }
}

fn short(loc: &Location) -> String {
    match loc {
        Location::Source {
            file,
            line,
            column,
            path,
            implied,
            ..
        } => {
            let default = if *implied { " (implied)" } else { "" };
            format!("{file}:{line}:{column}  {path}{default}")
        }
        Location::Live {
            arn,
            field,
            implied,
        } => {
            let default = if *implied { " (implied)" } else { "" };
            format!("{arn}  {field}{default}")
        }
        Location::Unknown {} => "-".to_owned(),
    }
}

/// The source line of a written value with the value underlined (masked when sensitive).
fn snippet(sources: &SourceMap, origin: &Origin, sensitive: bool, p: &Painter) -> Option<String> {
    let Origin::Source { file, span, .. } = origin.anchor() else {
        return None;
    };
    let f = sources.get(*file)?;
    let start = f.line_col(span.start);
    let line_text = f.line_text(start.line);
    if line_text.chars().count() > 240 {
        return None;
    }
    let end = f.line_col(span.end);
    let first_col = start.column as usize;
    let last_col = if end.line == start.line && end.column > start.column {
        end.column as usize
    } else {
        line_text.chars().count() + 1
    };
    let width = last_col.saturating_sub(first_col).max(1);
    let shown = mask_secrets(
        line_text,
        (sensitive && !origin.is_implied()).then_some((first_col, width)),
    );
    let number = start.line.to_string();
    let gutter = " ".repeat(number.len());
    let mut out = String::new();
    let _ = writeln!(out, "    {gutter} {}", p.paint(dim(), "|"));
    let _ = writeln!(
        out,
        "    {} {} {shown}",
        p.paint(dim(), &number),
        p.paint(dim(), "|")
    );
    if !origin.is_implied() {
        let marks = format!(
            "{}{}",
            " ".repeat(first_col.saturating_sub(1)),
            "^".repeat(width)
        );
        let _ = writeln!(
            out,
            "    {gutter} {} {}",
            p.paint(dim(), "|"),
            p.paint(AnsiColor::Red.on_default(), &marks)
        );
    }
    Some(out)
}

/// The line with every secret the detector recognises (and the blamed value of a sensitive
/// finding, `(first column, width)`) replaced by `*`: source excerpts never show a secret, whichever
/// finding they illustrate.
fn mask_secrets(line: &str, blamed: Option<(usize, usize)>) -> String {
    let mut masked: Vec<bool> = vec![false; line.len()];
    if let Ok(detector) = lambdasec_secrets::Detector::shared() {
        for m in detector.scan(line.as_bytes()) {
            for b in masked.iter_mut().take(m.span.end).skip(m.span.start) {
                *b = true;
            }
        }
    }
    line.char_indices()
        .enumerate()
        .map(|(i, (byte, c))| {
            let in_blamed =
                blamed.is_some_and(|(first, width)| i + 1 >= first && i + 1 < first + width);
            if in_blamed || masked.get(byte).copied().unwrap_or(false) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

fn first_paragraph(text: &str) -> String {
    text.split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.starts_with("- "))
        .collect::<Vec<_>>()
        .join(" ")
}

fn finding(out: &mut String, report: &Report<'_>, f: &Finding, p: &Painter) {
    let meta = registry::find(f.code).map(|r| r.meta());
    let loc = locate(report.sources, &f.location);
    let _ = writeln!(
        out,
        "  {} {} {}",
        p.severity(f.severity),
        p.paint(bold(), f.code),
        f.message
    );
    let _ = writeln!(out, "    {} {}", p.paint(dim(), "-->"), short(&loc));
    if let Some(s) = snippet(report.sources, &f.location, f.sensitive, p) {
        out.push_str(&s);
    }
    for r in &f.related {
        let _ = writeln!(
            out,
            "    {} {}: {}",
            p.paint(dim(), "="),
            r.message,
            short(&locate(report.sources, &r.location))
        );
    }
    if let Some(fix) = &f.fix {
        let how = match fix.applicability {
            lambdasec_rules::Applicability::Safe => "safe fix",
            lambdasec_rules::Applicability::Unsafe => "fix (review first)",
            lambdasec_rules::Applicability::DisplayOnly => "suggestion",
        };
        let replacement = fix
            .edits
            .first()
            .map(|e| format!(": `{}`", e.replacement))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {} {how}{replacement} — {}",
            p.paint(dim(), "="),
            fix.message
        );
    }
    if let Some(m) = meta {
        let help = first_paragraph(&m.remediation());
        if !help.is_empty() {
            let _ = writeln!(
                out,
                "    {} {} {help} ({})",
                p.paint(dim(), "="),
                p.paint(bold(), "help:"),
                m.name
            );
        }
    }
}

pub(crate) fn render(report: &Report<'_>, options: TextOptions) -> String {
    let p = Painter {
        color: options.color,
    };
    let mut out = String::new();
    let mut current: Option<String> = None;
    for f in report.findings {
        let group = group_of(&locate(report.sources, &f.location));
        if current.as_deref() != Some(group.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", p.paint(bold().underline(), &group));
            current = Some(group);
        }
        finding(&mut out, report, f, &p);
    }
    for (list, label, style) in [
        (
            report.errors,
            "error",
            AnsiColor::Red.on_default().effects(Effects::BOLD),
        ),
        (report.warnings, "warning", AnsiColor::Yellow.on_default()),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push('\n');
        for e in list {
            let at = match (e.line, e.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}", e.file),
                (Some(l), None) => format!("{}:{l}", e.file),
                _ => e.file.clone(),
            };
            let _ = writeln!(out, "{}: {at}: {}", p.paint(style, label), e.message);
        }
    }
    let gaps = crate::not_assessed::groups(report.not_assessed);
    if !gaps.is_empty() {
        out.push('\n');
        for g in &gaps {
            let _ = writeln!(
                out,
                "{}: {}",
                p.paint(AnsiColor::Yellow.on_default(), "not assessed"),
                crate::not_assessed::line(g)
            );
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let counts: Vec<String> = report
        .by_severity()
        .into_iter()
        .rev()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let findings = match report.findings.len() {
        0 => "no findings".to_owned(),
        1 => format!("1 finding ({})", counts.join(", ")),
        n => format!("{n} findings ({})", counts.join(", ")),
    };
    let mut tail = format!(
        "{findings} in {} files, {} resources",
        report.counts.files, report.counts.resources
    );
    if report.counts.suppressed > 0 {
        let _ = write!(tail, "; {} suppressed", report.counts.suppressed);
    }
    if report.counts.unresolved > 0 {
        let _ = write!(
            tail,
            "; {} values not resolvable offline",
            report.counts.unresolved
        );
    }
    if !report.not_assessed.is_empty() {
        let _ = write!(
            tail,
            "; {} resources not assessed by some rules",
            report.not_assessed.len()
        );
    }
    if !report.errors.is_empty() {
        let _ = write!(tail, "; {} errors", report.errors.len());
    }
    let _ = writeln!(out, "{}", p.paint(bold(), &tail));
    if let Some(c) = report.compliance {
        out.push('\n');
        let paint = |s: Status, text: &str| {
            let style = match s {
                Status::Fail => AnsiColor::Red.on_default().effects(Effects::BOLD),
                Status::Pass => AnsiColor::Green.on_default(),
                Status::Skip => AnsiColor::BrightBlack.on_default(),
            };
            p.paint(style, text)
        };
        out.push_str(&crate::compliance::to_text(report.sources, c, &paint));
    }
    out
}
