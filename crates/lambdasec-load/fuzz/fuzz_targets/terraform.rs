//! The HCL adapter and the Terraform evaluator on arbitrary text: parse, evaluate (variables,
//! locals, functions, count/for_each, dynamic blocks, references) and map into the model. Never
//! panics, never hangs, and every origin points inside its file.
#![no_main]

#[path = "common.rs"]
mod common;

use lambdasec_load::{LoadOptions, terraform};
use lambdasec_model::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = SourceMap::new();
    // A directory that does not exist: no variable files, no modules from disk.
    let id = sources.add("/nonexistent/lambdasec-fuzz/main.tf", text);
    let inv = terraform::load(&[id], &sources, &LoadOptions::default());
    common::check_inventory(&sources, &inv);
});
