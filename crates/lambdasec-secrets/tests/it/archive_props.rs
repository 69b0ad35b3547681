//! Property tests of the archive reader: arbitrary and corrupted archives never panic, and the
//! caps hold whatever the input claims. (The coverage-guided fuzz target lives in `fuzz/`.)

use crate::files::zip_entries;
use lambdasec_secrets::{Detector, Limits, ScanOptions, Scanner};
use proptest::prelude::*;

fn scanner(limits: Limits) -> Scanner<'static> {
    Scanner::new(
        Detector::shared().unwrap(),
        ScanOptions {
            limits,
            ..ScanOptions::default()
        },
    )
}

fn seed_archive() -> Vec<u8> {
    let inner = zip_entries(&[
        (
            "a.properties".into(),
            b"aws_access_key_id = AKIAQX7RMZ2WK4TB5NLP\n".to_vec(),
        ),
        ("b.txt".into(), vec![b'x'; 3000]),
    ]);
    zip_entries(&[
        ("lib/inner.jar".into(), inner.clone()),
        (
            "c.py".into(),
            b"password = \"Zr4Qm9Tx2Lp7Vb1Nc8Kd\"\n".to_vec(),
        ),
        ("deeper.zip".into(), zip_entries(&[("x.zip".into(), inner)])),
    ])
}

const SMALL: Limits = Limits {
    max_file_size: 4096,
    max_total_size: 16 * 1024,
    max_entries: 8,
    max_depth: 2,
    max_ratio: 50,
};

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let mut data = b"PK\x03\x04".to_vec();
        data.extend(bytes);
        let r = scanner(SMALL).scan_bytes("fuzz.zip", &data);
        prop_assert!(r.bytes_scanned <= SMALL.max_total_size);
    }

    #[test]
    fn corrupted_archives_never_panic_and_keep_caps(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..24),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut data = seed_archive();
        for (at, byte) in flips {
            let i = at.index(data.len());
            data[i] = byte;
        }
        if truncate {
            let n = cut.index(data.len());
            data.truncate(n);
        }
        let r = scanner(SMALL).scan_bytes("fuzz.zip", &data);
        prop_assert!(r.bytes_scanned <= SMALL.max_total_size);
        prop_assert!(r.archives as usize <= 1 + SMALL.max_entries * (SMALL.max_depth + 1));
        for f in &r.findings {
            prop_assert!(f.path.matches("!/").count() <= SMALL.max_depth + 1);
        }
    }
}

#[test]
fn seed_archive_is_scanned_in_full_with_default_limits() {
    let r = scanner(Limits::default()).scan_bytes("seed.zip", &seed_archive());
    assert_eq!(r.findings.len(), 3, "{r:?}");
    assert!(r.errors.is_empty() && r.skipped.is_empty());
}
