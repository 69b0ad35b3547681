//! Writing snapshots.

use crate::error::CollectError;
use lambdasec_load::snapshot::Snapshot;
use std::io::Write;
use std::path::Path;

/// The snapshot as JSON text (pretty-printed: snapshots are read by people and diffed).
pub fn snapshot_to_json(snapshot: &Snapshot) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(snapshot).unwrap_or_default()
}

/// Write a snapshot file (created or replaced).
pub fn write_snapshot(snapshot: &Snapshot, path: &Path) -> Result<(), CollectError> {
    let io = |source| CollectError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer_pretty(&mut out, snapshot).map_err(|e| io(std::io::Error::other(e)))?;
    out.write_all(b"\n").map_err(io)?;
    out.flush().map_err(io)
}
