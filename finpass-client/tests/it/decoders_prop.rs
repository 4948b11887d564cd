//! Property tests: no response decoder panics, whatever the bytes. Every response type and error envelope
//! of every operation is fed arbitrary bytes, arbitrary JSON, and mutations of the spec's own examples
//! (which reach the deep fields that random JSON rarely hits); the client is also fed arbitrary bodies
//! over loopback, where the error must keep the status.

use crate::support;

use finpass_client::types::*;
use finpass_client::{ErrorKind, RetryConfig};
use finpass_contract::Spec;
use proptest::prelude::*;
use serde_json::Value;
use support::{ALL, FaultServer, Reply, Sleeps};

type Decode = fn(&[u8]) -> bool;

fn decoder<T: serde::de::DeserializeOwned>() -> Decode {
    |bytes| serde_json::from_slice::<T>(bytes).is_ok()
}

/// Each operation's success type and error envelope, as the generated client decodes them.
fn decoders() -> Vec<(&'static str, Decode, Decode)> {
    vec![
        (
            "aa_initialize",
            decoder::<AaInitializeResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "aa_fetch_json_report",
            decoder::<AaFetchJsonReportResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "aa_fetch_statement_pdf",
            decoder::<AaFetchStatementPdfResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "aa_refresh_data",
            decoder::<AaRefreshDataResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "bsa_upload_statement",
            decoder::<BsaUploadStatementResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "bsa_statement_result",
            decoder::<BsaStatementResultResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "multi_bureau_fetch",
            decoder::<MultiBureauFetchResponse>(),
            decoder::<AaErrorEnvelope>(),
        ),
        (
            "corporate_cin_lookup",
            decoder::<CorporateCinLookupResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "corporate_llpin_lookup",
            decoder::<CorporateLlpinLookupResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "corporate_pan_lookup",
            decoder::<CorporatePanLookupResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "corporate_company_autocomplete",
            decoder::<CorporateCompanyAutocompleteResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "itr_analyze",
            decoder::<ItrAnalyzeResponse>(),
            decoder::<ItrErrorEnvelope>(),
        ),
        (
            "itr_status",
            decoder::<ItrStatusResponse>(),
            decoder::<ItrErrorEnvelope>(),
        ),
        (
            "itr_full_data",
            decoder::<ItrFullDataResponse>(),
            decoder::<ItrErrorEnvelope>(),
        ),
        (
            "aa_bsa_initialize",
            decoder::<AaBsaInitializeResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "aa_bsa_status",
            decoder::<AaBsaStatusResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "aa_bsa_statement_result",
            decoder::<AaBsaStatementResultResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
        (
            "aa_bsa_analysis_json",
            decoder::<AaBsaAnalysisJsonResponse>(),
            decoder::<FinpassErrorEnvelope>(),
        ),
    ]
}

/// Every response example of the spec, serialised, with the decoder its slot uses.
fn examples() -> Vec<(String, Vec<u8>, Decode)> {
    let table = decoders();
    let spec = Spec::embedded();
    spec.examples()
        .into_iter()
        .filter(|e| e.slot != "request")
        .map(|e| {
            let (_, ok, err) = table
                .iter()
                .find(|(id, ..)| *id == e.operation)
                .expect("op in table");
            let decode = if e.slot.starts_with('2') { *ok } else { *err };
            (
                format!("{} {} {}", e.operation, e.slot, e.name),
                serde_json::to_vec(e.value).unwrap(),
                decode,
            )
        })
        .collect()
}

#[test]
fn the_decoder_table_covers_every_operation_and_accepts_the_spec_examples() {
    let table = decoders();
    for op in finpass_client::operation::all() {
        assert!(
            table.iter().any(|(id, ..)| *id == op.id),
            "{} has no decoder in this test",
            op.id
        );
    }
    let examples = examples();
    assert!(examples.len() >= 18, "{} response examples", examples.len());
    // Proves each table row names the right types: the documented examples decode.
    for (name, bytes, decode) in &examples {
        assert!(decode(bytes), "{name} does not decode");
    }
}

/// JSON whose object keys are mostly the API's real field names, so random values land on real fields.
fn arb_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        3 => prop::sample::select(vec![
            "success", "message", "message_code", "error_code", "status", "status_code", "data", "client_id",
            "redirect_url", "mobile_number", "pan", "cin", "accounts", "transactions", "date", "amount",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z_]{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces (or with `None`, removes) the `pick`-th node of `value`, counted depth-first.
fn mutate(value: &mut Value, pick: usize, with: Option<Value>) {
    fn walk(v: &mut Value, left: &mut usize, with: &mut Option<Option<Value>>) {
        let children: Vec<String> = match v {
            Value::Object(m) => m.keys().cloned().collect(),
            Value::Array(a) => (0..a.len()).map(|i| i.to_string()).collect(),
            _ => return,
        };
        for key in children {
            if with.is_none() {
                return;
            }
            if *left == 0 {
                let replacement = with.take().unwrap();
                match (v, replacement) {
                    (Value::Object(m), None) => drop(m.remove(&key)),
                    (Value::Object(m), Some(r)) => drop(m.insert(key, r)),
                    (Value::Array(a), r) => {
                        a[key.parse::<usize>().unwrap()] = r.unwrap_or(Value::Null)
                    }
                    _ => unreachable!(),
                }
                return;
            }
            *left -= 1;
            let child = match v {
                Value::Object(m) => m.get_mut(&key).unwrap(),
                Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
                _ => unreachable!(),
            };
            walk(child, left, with);
        }
    }
    let mut left = pick;
    walk(value, &mut left, &mut Some(with));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_a_decoder(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        for (_, ok, err) in decoders() {
            let _ = (ok(&bytes), err(&bytes));
        }
    }

    #[test]
    fn arbitrary_json_never_panics_a_decoder(value in arb_json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        for (_, ok, err) in decoders() {
            let _ = (ok(&bytes), err(&bytes));
        }
    }

    #[test]
    fn mutated_spec_examples_never_panic_a_decoder(
        which in any::<prop::sample::Index>(),
        pick in 0usize..64,
        with in prop::option::of(arb_json()),
        cut in any::<prop::sample::Index>(),
    ) {
        let examples = examples();
        let (_, bytes, decode) = &examples[which.index(examples.len())];
        let mut value: Value = serde_json::from_slice(bytes).unwrap();
        mutate(&mut value, pick, with);
        let mutated = serde_json::to_vec(&value).unwrap();
        let _ = decode(&mutated);
        // And the same body cut short, as a dropped connection would leave it.
        let _ = decode(&mutated[..cut.index(mutated.len() + 1)]);
    }
}

proptest! {
    // Each case is a real loopback round trip; a few dozen are enough to shake out a panic.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bodies_through_the_client_keep_the_status(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        status in prop::sample::select(vec![200u16, 401, 404, 422, 429, 500, 502]),
        op in prop::sample::select(ALL.to_vec()),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let server = FaultServer::start(vec![Reply::raw(status, "application/json", &bytes)]).await;
            let sleeps = Sleeps::default();
            let finpass = support::builder(&server.url(), &sleeps).retry(RetryConfig::disabled()).build().unwrap();
            let err = op.run(&finpass).await.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
            assert!(matches!(err.kind(), ErrorKind::Api | ErrorKind::Decode | ErrorKind::RateLimited), "{err:?}");
            assert_eq!(err.attempts(), 1);
            let _ = (err.to_string(), format!("{err:?}"));
        });
    }
}

#[test]
fn mutate_reaches_nested_nodes() {
    let mut v = serde_json::json!({"a": {"b": [1, 2]}, "c": 3});
    mutate(&mut v, 2, Some(Value::Bool(true)));
    assert_eq!(v, serde_json::json!({"a": {"b": [true, 2]}, "c": 3}));
    mutate(&mut v, 0, None);
    assert_eq!(v, serde_json::json!({"c": 3}));
}
