//! Security properties, black-box: HTTPS only, and a canary secret that never appears in `Debug`,
//! `Display`, errors or tracing output at TRACE (including reqwest's and hyper's own logs).

use crate::support;

use finpass_client::{ENV_API_KEY, ENV_API_SECRET, ENV_BASE_URL, ErrorKind, Finpass, RetryConfig};
use serde_json::json;
use support::{
    ALL, CANARY_SECRET, FaultServer, Op, Reply, Sleeps, client, everything_shown, refused_url,
    trace_log,
};

fn assert_no_canary(what: &str, text: &str) {
    assert!(
        !text.contains(CANARY_SECRET),
        "{what} leaks the secret: {text}"
    );
    // A partial leak (say, the header value cut short) is a leak too.
    assert!(
        !text.contains(&CANARY_SECRET[..16]),
        "{what} leaks part of the secret: {text}"
    );
}

#[tokio::test]
async fn acceptance_plain_http_to_a_non_loopback_host_is_refused() {
    for url in [
        "http://api.finpass.ai",
        "http://10.0.0.7:8080",
        "http://127.0.0.1.nip.io",
        "ws://api.finpass.ai",
    ] {
        let err = Finpass::builder()
            .credentials("k", CANARY_SECRET)
            .base_url(url)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}");
        assert!(
            err.to_string().contains("HTTPS is required"),
            "{url}: {err}"
        );
        assert_no_canary("config error", &format!("{err} {err:?}"));
    }
    // Through the environment too, which is how the quickstart is configured.
    let env = |name: &str| match name {
        ENV_API_KEY => Some("key".to_owned()),
        ENV_API_SECRET => Some(CANARY_SECRET.to_owned()),
        ENV_BASE_URL => Some("http://api.finpass.ai".to_owned()),
        _ => None,
    };
    let err = Finpass::builder().from_env_lookup(env).build().unwrap_err();
    assert!(err.to_string().contains("HTTPS is required"), "{err}");

    for ok in [
        "https://api.finpass.ai",
        "http://127.0.0.1:9",
        "http://localhost:9",
        "http://[::1]:9",
    ] {
        assert!(
            Finpass::builder()
                .credentials("k", "s")
                .base_url(ok)
                .build()
                .is_ok(),
            "{ok}"
        );
    }
}

#[tokio::test]
async fn canary_never_appears_in_debug_of_builder_client_or_config_errors() {
    let sleeps = Sleeps::default();
    let builder = support::builder("http://127.0.0.1:9", &sleeps);
    assert_no_canary("builder Debug", &format!("{builder:?} {builder:#?}"));
    let finpass = builder.build().unwrap();
    assert_no_canary("client Debug", &format!("{finpass:?} {finpass:#?}"));
    let per_call = finpass.with_retry(RetryConfig::disabled());
    assert_no_canary("derived client Debug", &format!("{per_call:?}"));

    // A secret that cannot be a header value: the error says so without repeating it.
    let bad = format!("{CANARY_SECRET}\n");
    let err = Finpass::builder()
        .credentials("k", format!("{bad}x"))
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("API secret"), "{err}");
    assert_no_canary("bad secret error", &format!("{err} {err:?}"));

    let err = Finpass::builder()
        .from_env_lookup(|_| None)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains(ENV_API_KEY), "{err}");
}

#[tokio::test]
async fn canary_never_appears_in_errors_of_any_kind() {
    let mut errors = Vec::new();
    let refused = refused_url().await;
    errors.push(
        Op::AaInitialize
            .run(&client(&refused, &Sleeps::default()))
            .await
            .unwrap_err(),
    );
    let replies = [
        Reply::Stall,
        Reply::ResetMidBody,
        Reply::raw(200, "text/html", b"<html>gateway</html>"),
        Reply::json(
            401,
            json!({"success": false, "message": "Invalid API key or secret"}),
        ),
        Reply::json(429, json!({"success": false, "message": "quota"}))
            .header("retry-after", "600"),
        Reply::status(302).header("location", "http://127.0.0.1:9/elsewhere"),
    ];
    for reply in replies {
        let server = FaultServer::start(vec![reply]).await;
        for op in [Op::AaInitialize, Op::CinLookup] {
            errors.push(
                op.run(&client(&server.url(), &Sleeps::default()))
                    .await
                    .unwrap_err(),
            );
        }
    }
    let kinds: Vec<_> = errors.iter().map(|e| e.kind()).collect();
    for kind in [
        ErrorKind::Connect,
        ErrorKind::Timeout,
        ErrorKind::Transport,
        ErrorKind::Decode,
        ErrorKind::Api,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} among {kinds:?}");
    }
    assert!(kinds.contains(&ErrorKind::RateLimited), "{kinds:?}");
    for err in &errors {
        assert_no_canary("error", &everything_shown(err));
    }
}

#[tokio::test]
async fn canary_never_appears_in_trace_output_and_spans_carry_no_bodies() {
    let log = trace_log();
    let marker = "BODY-MARKER-5d2e";
    for op in ALL {
        let server = FaultServer::start(vec![
            Reply::json(503, json!({"success": false, "message": marker})),
            Reply::json(429, json!({"success": false, "message": marker})),
            Reply::json(200, op.success_body()),
        ])
        .await;
        let _ = op.run(&client(&server.url(), &Sleeps::default())).await;
    }
    let refused = refused_url().await;
    let _ = Op::AaInitialize
        .run(&client(&refused, &Sleeps::default()))
        .await;

    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    // Prove the capture works and reaches below the crate before trusting its silence.
    assert!(
        text.contains("finpass.call") && text.contains("operation=\"aa_initialize\""),
        "{text}"
    );
    assert!(
        text.contains("finpass.attempt") && text.contains("attempt=2"),
        "{text}"
    );
    assert!(
        text.contains("status=503") && text.contains("retrying"),
        "{text}"
    );
    assert!(
        text.contains("retry_delay_ms=") && text.contains("attempt finished"),
        "{text}"
    );
    assert!(
        text.contains("TRACE") && (text.contains("hyper") || text.contains("reqwest")),
        "{text}"
    );
    assert_no_canary("trace output", &text);
    assert!(
        !text.contains(marker),
        "a body reached the trace output: {text}"
    );
    assert!(
        !text.contains(support::API_KEY),
        "the API key reached the trace output"
    );
}
