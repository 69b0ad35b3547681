//! `parse_policy_json` on arbitrary text: never panics; a policy that parses is checked, analysed
//! and serialized, and the serialization parses back to the same policy.
#![no_main]

use lambdasec_iam::{Identity, analyze, check_policy, parse_policy_json, policy_to_json};
use lambdasec_model::Origin;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let origin = Origin::live("arn:aws:iam::111122223333:policy/fuzz", "Document");
    let Ok(policy) = parse_policy_json(text, &origin) else {
        return;
    };
    let _ = check_policy(&policy, true);
    let _ = check_policy(&policy, false);
    let json = policy_to_json(&policy);
    let again = match parse_policy_json(&json, &Origin::Unknown) {
        Ok(p) => p,
        Err(e) => panic!("serialization does not parse back: {e}\n{json}"),
    };
    assert_eq!(json, policy_to_json(&again), "round trip changed the policy");
    let identity = Identity::new("fuzz")
        .with_arn("arn:aws:iam::111122223333:role/fuzz")
        .with_policy(policy);
    let caps = analyze(&identity);
    let _ = caps.is_partial();
});
