//! `finpass-spec mock` serves the working-tree spec with the contract engine: auth is checked first.

use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_without_credentials_gets_the_401_example_and_with_them_the_200_example() {
    let spec_path = crate::common::repo_spec();
    let server =
        finpass_spec::mock_cmd::start(&finpass_spec::source::SpecSource::File(spec_path), 0)
            .await
            .expect("binds an ephemeral loopback port");
    assert!(server.addr().ip().is_loopback());
    let spec = finpass_contract::Spec::embedded();
    let op = spec.operation("aa_initialize").unwrap();
    let (_, expected_401) = spec.response_example(&op, Some("401")).unwrap();
    let (_, expected_200) = spec.response_example(&op, None).unwrap();
    let request_example = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == "aa_initialize" && e.slot == "request")
        .unwrap();

    let client = reqwest::Client::new();
    let url = format!("{}{}", server.base_url(), op.path);
    let response = client
        .post(&url)
        .json(request_example.value)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(&response.json::<Value>().await.unwrap(), expected_401);

    let response = client
        .post(&url)
        .header("x-api-key", "k")
        .header("x-api-secret", "s")
        .json(request_example.value)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(&response.json::<Value>().await.unwrap(), expected_200);
}

/// What another team gets from `cargo install finpass-spec` alone: the mock of the embedded spec, with
/// no `--spec` and no checkout, answering AA Initialize with the documented example.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_installed_binary_mocks_the_embedded_spec_outside_a_checkout() {
    use std::io::{BufRead, BufReader};

    let dir = crate::common::outside_checkout();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_finpass-spec"))
        .args(["mock", "--port", "0"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The rest of its output is not read: the mock must go on serving all the same.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("embedded in finpass-spec"), "{first}");
    let base_url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {first:?}"))
        .to_owned();

    let spec = finpass_contract::Spec::embedded();
    let op = spec.operation("aa_initialize").unwrap();
    let (_, first) = spec.response_example(&op, None).unwrap();
    let response = reqwest::Client::new()
        .post(format!("{base_url}{}", op.path))
        .header("x-api-key", "k")
        .header("x-api-secret", "s")
        .json(&serde_json::json!({"mobile_number": "9999000000", "consent_type": "loan_underwriting"}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status, 200);
    assert_eq!(&body, first);
    let example = spec
        .examples()
        .into_iter()
        .find(|e| e.operation == "aa_initialize" && e.slot == "200" && *e.value == body)
        .expect("the answer is one of the spec's examples");
    assert_eq!(example.source, Some("documented"), "{}", example.name);
}
