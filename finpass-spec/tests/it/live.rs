//! The live-drift path end to end, against the spec-driven mock instead of the real API: finpass-client's
//! capture hook writes redacted captures, and the drift check finds nothing, because the mock serves the
//! spec's own examples. No capture may carry a value from a body.

use finpass_client::Finpass;
use finpass_contract::Spec;
use finpass_mock::MockServer;

#[test]
fn captures_from_the_client_feed_the_drift_check_without_personal_data() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = server_runtime.block_on(MockServer::start()).unwrap();

    let spec = Spec::embedded();
    let plan = finpass_spec::live::plan(&spec, None).unwrap();
    assert!(
        plan.len() >= 5,
        "the spec marks several read-only operations safe for live drift: {plan:?}"
    );
    let client = Finpass::builder()
        .credentials("capture-key", "capture-secret")
        .base_url(mock.base_url());
    let dir = finpass_spec::live::capture(&plan, client).unwrap();

    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), plan.len(), "one capture per call");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for value in [
            "bsa_clnt_a1b2c3d4e5f6",
            "XXXXXX3210",
            "itr_job_x9k2m4p7q1r8",
            "capture-secret",
            "Journey status fetched",
        ] {
            assert!(
                !text.contains(value),
                "{} holds `{value}`:\n{text}",
                file.display()
            );
        }
    }
    let report = finpass_spec::drift::check_dir(&spec, &dir).unwrap();
    assert!(
        !report.has_drift(),
        "{}",
        finpass_spec::drift::render_human(&report)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_args_file_naming_an_operation_not_marked_for_live_drift_is_refused() {
    let spec = Spec::embedded();
    let unmarked = spec
        .operations()
        .into_iter()
        .find(|op| op.op.pointer("/x-finpass/live-drift") != Some(&serde_json::json!(true)))
        .expect("some operations are not safe to call live");
    let file = std::env::temp_dir().join(format!("live-args-{}.json", std::process::id()));
    std::fs::write(
        &file,
        serde_json::json!({unmarked.id: {"body": {}}}).to_string(),
    )
    .unwrap();
    let err = finpass_spec::live::plan(&spec, Some(&file))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(unmarked.id) && err.contains("x-finpass.live-drift"),
        "{err}"
    );
    std::fs::remove_file(&file).unwrap();
}

#[cfg(unix)]
#[test]
fn live_drift_directories_are_private_and_fresh_and_files_0600() {
    use std::os::unix::fs::PermissionsExt;
    let a = finpass_spec::paths::private_temp_dir("finpass-live-drift-").unwrap();
    let b = finpass_spec::paths::private_temp_dir("finpass-live-drift-").unwrap();
    assert_ne!(a, b, "random names");
    assert_eq!(
        std::fs::metadata(&a).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let plan = a.join("plan.json.txt");
    finpass_spec::paths::write_private(&plan, b"[]").unwrap();
    assert_eq!(
        std::fs::metadata(&plan).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::remove_dir_all(&a).unwrap();
    std::fs::remove_dir_all(&b).unwrap();
}
