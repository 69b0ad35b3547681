//! The serverless.yml variable resolver and loader on arbitrary text: `${self:}`, `${opt:}`,
//! `${env:}`, `${file()}` and fallbacks, nested and cyclic. Never panics, never hangs, and every
//! origin points inside its file.
#![no_main]

#[path = "common.rs"]
mod common;

use lambdasec_load::serverless::vars::{Context, Resolver};
use lambdasec_load::{LoadOptions, serverless, yaml};
use lambdasec_model::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = SourceMap::new();
    let id = sources.add("/nonexistent/lambdasec-fuzz/serverless.yml", text);
    let Some(file) = sources.get(id) else {
        return;
    };
    // The resolver alone, on any document.
    if let Ok(doc) = yaml::parse(&file) {
        let cx = Context {
            options: [("stage".to_owned(), "prod".to_owned())].into(),
            ..Context::default()
        };
        let mut r = Resolver::new(&doc.root, &cx, Some(&sources));
        let resolved = r.resolve_document();
        common::check_node(&sources, &resolved);
    }
    // The whole loader.
    let inv = serverless::load(&file, &sources, &LoadOptions::default());
    common::check_inventory(&sources, &inv);
});
