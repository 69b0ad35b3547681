//! Module definitions (a directory of `.tf` files) and module instances (a definition called
//! with inputs, under an address prefix such as `module.api.`).

use super::parse::{Config, parse_file};
use super::value::{InstanceKey, MapEntry, V};
use lambdasec_model::{Diagnostic, FileId, Origin, SourceFile, SourceMap, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// One module directory, parsed.
#[derive(Debug)]
pub struct ModuleDef {
    /// The directory on disk (as the user named it, joined with relative module sources).
    pub dir: PathBuf,
    /// `path.module`: `.` for the root module, the relative directory of a child.
    pub path_module: String,
    pub config: Config,
    pub files: Vec<Arc<SourceFile>>,
}

impl ModuleDef {
    /// Build a definition from files already in the source map.
    pub fn from_files(dir: PathBuf, path_module: String, files: Vec<Arc<SourceFile>>) -> ModuleDef {
        let mut config = Config::default();
        for file in &files {
            match parse_file(file) {
                Ok(body) => config.add_file(file, body),
                Err(e) => config.diagnostics.push(e.to_diagnostic(file.id)),
            }
        }
        config.check_duplicates();
        ModuleDef {
            dir,
            path_module,
            config,
            files,
        }
    }

    /// Read every `.tf` file of `dir` (sorted by name), add them to `sources` and parse them.
    pub fn read_dir(
        dir: &Path,
        path_module: String,
        sources: &SourceMap,
    ) -> Result<ModuleDef, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(format!("{}: no .tf files", dir.display()));
        }
        let mut files = Vec::with_capacity(paths.len());
        for path in paths {
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let id = sources.add(path.display().to_string(), text);
            if let Some(file) = sources.get(id) {
                files.push(file);
            }
        }
        Ok(ModuleDef::from_files(dir.to_path_buf(), path_module, files))
    }
}

/// A slot of a lazily evaluated, memoised value.
#[derive(Debug, Clone)]
pub enum Slot {
    InProgress,
    Done(V),
}

/// What a module instance is called from.
#[derive(Debug, Clone)]
pub struct ParentLink {
    pub inst: usize,
    pub call: usize,
    pub key: Option<InstanceKey>,
}

/// A module definition with its inputs, under an address prefix.
#[derive(Debug)]
pub struct ModuleInst {
    pub def: Rc<ModuleDef>,
    /// `""` for the root, `module.a.` / `module.a["k"].module.b.` for children.
    pub prefix: String,
    /// The module call names from the root, joined by `.` (the key of `.terraform/modules`).
    pub call_path: String,
    pub parent: Option<ParentLink>,
    /// Input values of the root module (variable files, user parameters).
    pub root_inputs: RefCell<HashMap<String, V>>,
    pub inputs: RefCell<HashMap<String, Slot>>,
    pub locals: RefCell<HashMap<String, Slot>>,
    /// Child instances by (call index, instance key).
    pub children: RefCell<HashMap<(usize, Option<InstanceKey>), usize>>,
    /// Expansions of repeated items (`count` / `for_each`), by item.
    pub expansions: RefCell<HashMap<Item, Rc<Expansion>>>,
}

impl ModuleInst {
    pub fn new(
        def: Rc<ModuleDef>,
        prefix: String,
        call_path: String,
        parent: Option<ParentLink>,
    ) -> ModuleInst {
        ModuleInst {
            def,
            prefix,
            call_path,
            parent,
            root_inputs: RefCell::default(),
            inputs: RefCell::default(),
            locals: RefCell::default(),
            children: RefCell::default(),
            expansions: RefCell::default(),
        }
    }

    /// The address of a resource of this module: `module.m.aws_x.name`.
    pub fn resource_address(&self, resource: usize, key: Option<&InstanceKey>) -> String {
        let Some(r) = self.def.config.resources.get(resource) else {
            return self.prefix.clone();
        };
        let mut out = format!("{}{}", self.prefix, r.local_address());
        if let Some(k) = key {
            out.push_str(&k.suffix());
        }
        out
    }
}

/// A repeatable item of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Resource(usize),
    Module(usize),
}

/// How many instances an item has.
#[derive(Debug, Clone)]
pub enum Expansion {
    /// No `count` nor `for_each`.
    Single,
    /// `count = n`.
    Count(usize),
    /// `for_each`: keys (with the span of the key) and values, in key order.
    Each(Vec<MapEntry>),
    /// `count` / `for_each` not knowable: the item is evaluated once, as a representative, with
    /// `count.index` / `each.*` unknown. Holds the expression text.
    Unknown(String),
}

impl Expansion {
    /// The instance keys (`None` for a single or representative instance).
    pub fn keys(&self) -> Vec<Option<InstanceKey>> {
        match self {
            Expansion::Single | Expansion::Unknown(_) => vec![None],
            Expansion::Count(n) => (0..*n).map(|i| Some(InstanceKey::Index(i))).collect(),
            Expansion::Each(entries) => entries
                .iter()
                .map(|e| Some(InstanceKey::Key(e.key.clone())))
                .collect(),
        }
    }
}

/// Diagnostics collected while evaluating, deduplicated.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: RefCell<Vec<Diagnostic>>,
    seen: RefCell<std::collections::HashSet<(String, FileId, Span)>>,
}

impl Diagnostics {
    pub fn push(&self, d: Diagnostic) {
        let key = match &d.origin {
            Origin::Source { file, span, .. } => (d.message.clone(), *file, *span),
            _ => (d.message.clone(), FileId(u32::MAX), Span::default()),
        };
        if self.seen.borrow_mut().insert(key) {
            self.items.borrow_mut().push(d);
        }
    }

    pub fn take(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.items.borrow_mut())
    }
}
