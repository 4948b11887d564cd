//! `cargo xtask mock` serves the working-tree spec with the contract engine: auth is checked first.

use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_without_credentials_gets_the_401_example_and_with_them_the_200_example() {
    let spec_path = xtask::paths::root().join(xtask::paths::SPEC);
    let server = xtask::mock_cmd::start(&spec_path, 0)
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
