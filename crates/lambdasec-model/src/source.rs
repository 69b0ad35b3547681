//! The files of a scan and their line indexes. Line and column are computed only when a finding
//! is rendered.

use crate::origin::{FileId, Span};
use std::sync::{Arc, PoisonError, RwLock};

/// One input file: its path as given by the user, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub id: FileId,
    pub path: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl SourceFile {
    pub fn new(id: FileId, path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        SourceFile {
            id,
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start as usize..offset as usize)
            .map_or(0, |s| s.chars().count());
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(idx) else {
            return "";
        };
        let end = self
            .line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        self.text
            .get(start as usize..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// All files of a scan, addressed by [`FileId`]. Loaders running in parallel add the files
/// they read (variable files, modules); ids are never reused.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: RwLock<Vec<Arc<SourceFile>>>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&self, path: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let mut files = self.files.write().unwrap_or_else(PoisonError::into_inner);
        let id = FileId(u32::try_from(files.len()).unwrap_or(u32::MAX));
        files.push(Arc::new(SourceFile::new(id, path, text)));
        id
    }

    pub fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        let files = self.files.read().unwrap_or_else(PoisonError::into_inner);
        files.get(id.0 as usize).cloned()
    }

    /// A snapshot of all files added so far.
    pub fn files(&self) -> Vec<Arc<SourceFile>> {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn len(&self) -> usize {
        self.files
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_columns() {
        let f = SourceFile::new(FileId(0), "t.yaml", "ab\ncdé f\n\nlast");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'f' is after a two-byte char: byte 8, column 5
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 5 });
        assert_eq!(f.line_col(10), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(1000), LineCol { line: 4, column: 5 });
        assert_eq!(f.line_text(2), "cdé f");
        assert_eq!(f.line_text(4), "last");
        assert_eq!(f.line_text(9), "");
        assert_eq!(f.slice(Span::new(3, 5)), "cd");
        assert_eq!(f.slice(Span::new(3, 99)), "");
    }

    #[test]
    fn map_ids() {
        let m = SourceMap::new();
        let a = m.add("a", "x");
        let b = m.add("b", "y");
        assert_eq!(m.get(b).map(|f| f.path.clone()).as_deref(), Some("b"));
        assert_ne!(a, b);
        assert!(m.get(FileId(7)).is_none());
    }
}
