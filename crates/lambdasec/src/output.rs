//! Where a verb's report goes: standard output, or the file of `--output`.

use anyhow::Context as _;
use std::io::Write;
use std::path::Path;

/// Print to standard output; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Write `text` to `file` when given, else print it.
pub fn deliver(text: &str, file: Option<&Path>) -> anyhow::Result<()> {
    match file {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            print(text);
            Ok(())
        }
    }
}
