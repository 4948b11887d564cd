//! Unit tests and properties of the privacy rules.

use super::*;
use serde::Deserialize;

const CANARIES: [&str; 4] = [
    "ABCDE1234F",
    "9876543210",
    "ravi.k@example.in",
    "Ravi Kumar",
];

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "decoded only to fail")]
struct Account {
    status: Status,
    count: u64,
    tags: [u8; 2],
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Active,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code, reason = "decoded only to fail")]
struct Report {
    accounts: Vec<Account>,
    by_pan: std::collections::BTreeMap<String, u64>,
}

fn assert_value_free(shown: &str) {
    for canary in CANARIES {
        assert!(!shown.contains(canary), "{canary} in {shown}");
    }
}

#[test]
fn data_errors_keep_path_and_expected_type_but_no_value() {
    let ok = r#"{"status":"active","count":1,"tags":[1,2]}"#;
    for (body, at, expected) in [
        (
            r#"{"accounts":[{"status":"ABCDE1234F","count":1,"tags":[1,2]}],"by_pan":{}}"#,
            "/accounts/0/status",
            "unknown variant, expected `active`",
        ),
        (
            r#"{"accounts":[{"status":"active","count":"9876543210","tags":[1,2]}],"by_pan":{}}"#,
            "/accounts/0/count",
            "invalid type: string, expected u64",
        ),
        (
            r#"{"accounts":[{"status":"active","count":-98765,"tags":[1,2]}],"by_pan":{}}"#,
            "/accounts/0/count",
            "invalid value: integer, expected u64",
        ),
        (
            &format!(r#"{{"accounts":[{ok}],"by_pan":{{"ABCDE1234F":"ravi.k@example.in"}}}}"#),
            "/by_pan/<key>",
            "invalid type: string, expected u64",
        ),
        (
            r#"{"accounts":[{"status":"active","count":1,"tags":[1,2,3]}],"by_pan":{}}"#,
            "/accounts/0/tags",
            "trailing characters",
        ),
        (
            r#"{"accounts":[{"status":"active","count":1}],"by_pan":{}}"#,
            "/accounts/0",
            "missing field `tags`",
        ),
    ] {
        let failure = decode_failure::<Report>(body.as_bytes());
        assert_eq!(failure.path, at, "{body}");
        assert!(failure.expected.starts_with(expected), "{failure:?}");
        assert_value_free(&failure.to_string());
    }
}

#[test]
fn a_value_that_imitates_the_message_format_stays_hidden() {
    // The variant tries to smuggle text in after a fake `, expected `.
    let body = r#"{"accounts":[{"status":"x`, expected PAN ABCDE1234F and","count":1,"tags":[1,2]}],"by_pan":{}}"#;
    let failure = decode_failure::<Report>(body.as_bytes());
    assert_value_free(&failure.to_string());
    assert!(
        failure.expected.contains(", expected `active`"),
        "{failure:?}"
    );
}

#[test]
fn syntax_errors_and_trailing_bytes_are_shown_with_their_position() {
    let failure = decode_failure::<Report>(b"{\"accounts\": [} 9876543210");
    assert!(failure.expected.contains("line 1 column"), "{failure:?}");
    assert_value_free(&failure.to_string());
    let failure = decode_failure::<Status>(b"\"active\" 9876543210");
    assert_eq!(failure.path, "");
    assert!(
        failure.expected.starts_with("trailing characters"),
        "{failure:?}"
    );
    assert_eq!(
        decode_failure::<Status>(b"\"active\"").expected,
        "the body decodes on a second reading"
    );
}

#[test]
fn unknown_custom_messages_are_replaced() {
    let e = <serde_json::Error as serde::de::Error>::custom("bad PAN ABCDE1234F");
    assert_eq!(value_free(&e), "a value its type rejects");
    let e =
        <serde_json::Error as serde::de::Error>::custom("doesn't match pattern \"^[0-9]{10}$\"");
    assert_eq!(value_free(&e), "doesn't match pattern \"^[0-9]{10}$\"");
}

#[test]
fn keys_holding_a_number_are_hidden_even_when_redaction_keeps_them() {
    for key in ["pan_ABCDE1234F", "status9876543210", "a@b.in", "Ravi Kumar"] {
        assert_eq!(safe_segment(key), crate::redact::DATA_KEY, "{key}");
    }
    for key in ["status", "by_pan", "fy23_income", "x-request"] {
        assert_eq!(safe_segment(key), key);
    }
}

#[test]
fn long_paths_keep_their_tail_and_long_keys_are_hidden() {
    let deep = format!(
        "{}1{}",
        r#"{"aaaaaaaaaaaaaaaaaaaa":"#.repeat(20),
        "}".repeat(20)
    );
    let failure =
        decode_failure::<std::collections::BTreeMap<String, serde_json::Value>>(deep.as_bytes());
    assert_eq!(failure.path, "", "a map of values decodes: {failure:?}");
    let long_key = format!(r#"{{"{}": "x"}}"#, "k".repeat(100));
    let failure = decode_failure::<std::collections::BTreeMap<String, u8>>(long_key.as_bytes());
    assert_eq!(failure.path, "/<key>");
    let nested = format!("{}\"x\"{}", "[".repeat(100), "]".repeat(100));
    let failure = decode_failure::<Vec<Vec<Vec<Vec<Vec<u8>>>>>>(nested.as_bytes());
    assert!(failure.path.len() <= PATH_LIMIT + 4, "{failure:?}");
}

#[test]
fn bodies_are_described_by_size_and_kind_only() {
    assert_eq!(describe_body(b""), "an empty body");
    assert_eq!(describe_body(b"  \n"), "a 3-byte blank body");
    assert_eq!(
        describe_body(b"<!DOCTYPE html><p>9876543210</p>"),
        "a 32-byte HTML body"
    );
    assert_eq!(describe_body(b" {\"pan\": 1}"), "a 11-byte JSON-like body");
    assert_eq!(describe_body(b"<Error/>"), "a 8-byte XML or HTML body");
    assert_eq!(describe_body(b"ravi.k@example.in"), "a 17-byte text body");
    assert_eq!(describe_body(&[0xff, 0xfe]), "a 2-byte binary body");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    // Shapes like the generated envelopes (this module must not import generated code: layers).
    #[derive(Deserialize)]
    #[allow(dead_code, reason = "decoded only to fail")]
    struct AaInitializeResponse {
        success: bool,
        status_code: u16,
        message: String,
        data: AaInitializeData,
    }
    #[derive(Deserialize)]
    #[allow(dead_code, reason = "decoded only to fail")]
    struct AaInitializeData {
        client_id: String,
        mobile_number: String,
        redirect_url: String,
    }
    #[derive(Deserialize)]
    #[allow(dead_code, reason = "decoded only to fail")]
    struct AaBsaStatusResponse {
        success: bool,
        data: AaBsaStatusData,
    }
    #[derive(Deserialize)]
    #[allow(dead_code, reason = "decoded only to fail")]
    struct AaBsaStatusData {
        client_id: String,
        status: JourneyStatus,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum JourneyStatus {
        ConsentPending,
        Completed,
    }
    type MultiBureauFetchResponse = std::collections::BTreeMap<String, serde_json::Value>;

    /// Bodies close to the contract, so that insertions land in keys, values and structure alike.
    const SEEDS: [&str; 3] = [
        r#"{"success": true, "status_code": 200, "message": "Success", "message_code": "success", "data": {"client_id": "aa_1", "mobile_number": "9999000000", "pan_number": null, "email_id": null, "redirect_url": "https://aa.example/consent"}}"#,
        r#"{"success": true, "message": "ok", "data": {"client_id": "bsa_clnt_1", "status": "consent_pending", "by_key": {"k": [1, 2.5, "x"]}}}"#,
        r#"{"status": "completed", "cibil": {"score": 780, "accounts": [{"id": "a"}]}}"#,
    ];
    const CANARIES: [&str; 3] = ["ABCDE1234F", "9876543210", "ravi.k@example.in"];

    fn shown_for_every_type(body: &[u8]) -> String {
        [
            decode_failure::<AaInitializeResponse>(body).to_string(),
            decode_failure::<AaBsaStatusResponse>(body).to_string(),
            decode_failure::<MultiBureauFetchResponse>(body).to_string(),
            describe_body(body),
        ]
        .join(" | ")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// A canary inserted anywhere in a near-valid body (in a key, a value, between tokens) never
        /// appears in what an error says about the body.
        #[test]
        fn a_canary_inserted_anywhere_never_shows(
            seed in 0..SEEDS.len(),
            which in 0..CANARIES.len(),
            at in any::<prop::sample::Index>(),
            quoted in any::<bool>(),
        ) {
            let canary = CANARIES[which];
            let mut body = SEEDS[seed].as_bytes().to_vec();
            let at = at.index(body.len() + 1);
            let inserted = if quoted { format!("\"{canary}\"") } else { canary.to_owned() };
            body.splice(at..at, inserted.bytes());
            let shown = shown_for_every_type(&body);
            prop_assert!(!shown.contains(canary), "{}", shown);
        }

        /// Replacing any one value of a seed with the canary (a string where a number or a boolean
        /// belongs, which serde would quote) never shows it either.
        #[test]
        fn a_canary_in_place_of_any_value_never_shows(
            seed in 0..SEEDS.len(),
            which in 0..CANARIES.len(),
            pick in any::<prop::sample::Index>(),
            as_key in any::<bool>(),
        ) {
            let canary = CANARIES[which];
            let mut value: serde_json::Value = serde_json::from_str(SEEDS[seed]).unwrap();
            let mut slots = Vec::new();
            collect_pointers(&value, String::new(), &mut slots);
            let target = &slots[pick.index(slots.len())];
            let slot = value.pointer_mut(target).unwrap();
            *slot = if as_key {
                serde_json::json!({canary: 1})
            } else {
                serde_json::Value::String(canary.to_owned())
            };
            let shown = shown_for_every_type(value.to_string().as_bytes());
            prop_assert!(!shown.contains(canary), "{}", shown);
        }

        /// Arbitrary bytes around a canary: whatever serde makes of them, the canary stays unsaid.
        #[test]
        fn arbitrary_bytes_around_a_canary(
            prefix in proptest::collection::vec(any::<u8>(), 0..64),
            suffix in proptest::collection::vec(any::<u8>(), 0..64),
            which in 0..CANARIES.len(),
        ) {
            let canary = CANARIES[which];
            let body = [&prefix[..], canary.as_bytes(), &suffix[..]].concat();
            let shown = shown_for_every_type(&body);
            prop_assert!(!shown.contains(canary), "{}", shown);
        }
    }

    fn collect_pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    collect_pointers(v, format!("{at}/{k}"), out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    collect_pointers(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
}
