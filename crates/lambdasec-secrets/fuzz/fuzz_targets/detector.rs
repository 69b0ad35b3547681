//! The detector and the environment checks on arbitrary text: never panic, spans stay inside
//! their input.
#![no_main]

use lambdasec_secrets::{Detector, classify_value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(detector) = Detector::shared() else {
        return;
    };
    for m in detector.scan(data) {
        assert!(m.span.start < m.span.end && m.span.end <= data.len());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let (name, value) = text.split_once('=').unwrap_or(("SECRET", text));
        if let Some(m) = detector.check_env(name, value) {
            assert!(m.span.end <= value.len());
        }
        let _ = detector.check_sensitive_plaintext(name, value);
        let _ = classify_value(value);
    }
});
