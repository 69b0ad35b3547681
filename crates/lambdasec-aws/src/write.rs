//! Writing snapshots: pretty JSON (snapshots are read by people and diffed), gzip-compressed
//! when the file name ends with `.gz`.

use crate::error::CollectError;
use lambdasec_load::snapshot::Snapshot;
use std::io::Write;
use std::path::Path;

/// The snapshot as JSON text.
pub fn snapshot_to_json(snapshot: &Snapshot) -> String {
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string_pretty(snapshot).unwrap_or_default()
}

/// Write a snapshot file (created or replaced); `*.gz` names are gzip-compressed.
pub fn write_snapshot(snapshot: &Snapshot, path: &Path) -> Result<(), CollectError> {
    let io = |source| CollectError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    let gzip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if gzip {
        let mut out = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        write_json(snapshot, &mut out).map_err(io)?;
        out.finish().map_err(io)?.flush().map_err(io)
    } else {
        let mut out = file;
        write_json(snapshot, &mut out).map_err(io)?;
        out.flush().map_err(io)
    }
}

fn write_json(snapshot: &Snapshot, out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, snapshot).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn writes_plain_and_compressed_snapshots() {
        let dir = std::env::temp_dir().join(format!("lambdasec-write-{}", std::process::id()));
        let snapshot = Snapshot {
            lambdasec_snapshot: lambdasec_load::snapshot::FORMAT_VERSION,
            generator: "test".into(),
            ..Snapshot::default()
        };
        let plain = dir.join("a/s.json");
        write_snapshot(&snapshot, &plain).unwrap();
        let text = std::fs::read_to_string(&plain).unwrap();
        assert_eq!(
            lambdasec_load::snapshot::parse("s.json", &text).unwrap(),
            snapshot
        );

        let gz = dir.join("s.json.gz");
        write_snapshot(&snapshot, &gz).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(
            lambdasec_load::snapshot::parse("s.json.gz", &text).unwrap(),
            snapshot
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
