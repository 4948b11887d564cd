//! The handwritten multipart upload (`bsa_upload_statement`) against the spec and on the wire.

use finpass_client::{ErrorKind, StatementFile};
use finpass_contract::{Spec, Validators};
use httpmock::prelude::*;
use serde_json::Value;

use crate::support::{API_KEY, API_SECRET, client};

const OPERATION_ID: &str = "bsa_upload_statement";
const FILE_FIELD: &str = "file";

/// The spec's multipart schema for the upload.
fn multipart_schema(spec: &Spec) -> Value {
    let op = spec
        .operation(OPERATION_ID)
        .expect("the upload is in the spec");
    let body = spec.resolve(&op.op["requestBody"]);
    spec.resolve(&body["content"]["multipart/form-data"]["schema"])
        .clone()
}

/// The declared error statuses of the upload.
fn declared_error_statuses(spec: &Spec) -> Vec<u16> {
    let op = spec.operation(OPERATION_ID).unwrap();
    op.op["responses"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|s| !s.starts_with('2'))
        .map(|s| s.parse().unwrap())
        .collect()
}

#[test]
fn the_handwritten_upload_follows_the_spec() {
    let spec = Spec::embedded();
    let op = spec.operation(OPERATION_ID).unwrap();
    assert_eq!(op.method, "POST");
    let table =
        finpass_client::operation::find(OPERATION_ID).expect("generated operation table has it");
    assert_eq!((table.method, table.path), ("POST", op.path));
    let schema = multipart_schema(&spec);
    assert_eq!(schema["required"], serde_json::json!([FILE_FIELD]));
    let file = &schema["properties"][FILE_FIELD];
    assert_eq!(file["format"], "binary");
    let allowed: Vec<&str> = file["x-finpass-allowed-extensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!allowed.is_empty());
    // Every extension the spec allows is accepted, in any case; one it does not list is refused.
    for extension in &allowed {
        for name in [
            format!("s.{extension}"),
            format!("S.{}", extension.to_uppercase()),
        ] {
            StatementFile::from_bytes(name.clone(), &b"data"[..])
                .unwrap_or_else(|e| panic!("{name} refused: {e}"));
        }
    }
    assert!(!allowed.contains(&"gif"));
    let e = StatementFile::from_bytes("s.gif", &b"data"[..]).unwrap_err();
    assert!(e.to_string().contains(&format!("`{FILE_FIELD}`")), "{e}");
}

#[test]
fn the_spec_accepts_the_documented_octet_stream_part_and_the_types_the_client_sends() {
    // The documentation's own multipart example labels the part `application/octet-stream`
    // (DECISIONS.md, BSA-4); the client sends the precise type of the extension.
    let spec = Spec::embedded();
    let op = spec.operation(OPERATION_ID).unwrap();
    let media = &spec.resolve(&op.op["requestBody"])["content"]["multipart/form-data"];
    let accepted: Vec<&str> = media["encoding"][FILE_FIELD]["contentType"]
        .as_str()
        .expect("the file part declares its content types")
        .split(',')
        .map(str::trim)
        .collect();
    for sent in [
        "application/octet-stream",
        "application/pdf",
        "image/png",
        "image/jpeg",
    ] {
        assert!(accepted.contains(&sent), "{sent} not in {accepted:?}");
    }

    let examples: Vec<_> = spec
        .examples()
        .into_iter()
        .filter(|e| e.operation == OPERATION_ID && e.slot == "request")
        .collect();
    assert_eq!(
        examples.len(),
        1,
        "one request example, the documented shape"
    );
    let example = &examples[0];
    assert_eq!(example.value[FILE_FIELD], "[Binary file content]");
    let violations = Validators::new(&spec)
        .violations(&example.schema_pointer, example.value)
        .unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    // Without the file the same schema refuses it, so the check above can fail.
    let violations = Validators::new(&spec)
        .violations(&example.schema_pointer, &serde_json::json!({}))
        .unwrap();
    assert!(!violations.is_empty());
}

fn success_example() -> Value {
    let spec = Spec::embedded();
    let op = spec.operation(OPERATION_ID).unwrap();
    spec.response_example(&op, Some("200")).unwrap().1.clone()
}

#[tokio::test]
async fn uploads_the_file_as_the_multipart_field_and_decodes_the_envelope() {
    let server = MockServer::start_async().await;
    let path = finpass_client::operation::find(OPERATION_ID).unwrap().path;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path)
                .header("x-api-key", API_KEY)
                .header("x-api-secret", API_SECRET)
                .header_includes("content-type", "multipart/form-data; boundary=")
                .body_includes(format!("name=\"{FILE_FIELD}\"; filename=\"march.PDF\""))
                .body_includes("Content-Type: application/pdf")
                .body_includes("%PDF-1.4 statement body");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(success_example());
        })
        .await;
    let file = StatementFile::from_bytes("march.PDF", &b"%PDF-1.4 statement body"[..]).unwrap();
    let uploaded = client(&server).bsa_upload_statement(file).await.unwrap();
    mock.assert_async().await;
    assert_eq!(
        uploaded.data.doc_id,
        success_example()["data"]["doc_id"].as_str().unwrap()
    );
}

#[tokio::test]
async fn a_file_on_disk_is_streamed_with_its_length() {
    let dir = std::env::temp_dir().join(format!("finpass-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("statement.jpeg");
    let content = vec![b'j'; 3 * 1024 * 1024];
    std::fs::write(&path, &content).unwrap();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .body_includes("filename=\"statement.jpeg\"")
                .body_includes("Content-Type: image/jpeg");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(success_example());
        })
        .await;
    let file = StatementFile::open(&path).await.unwrap();
    assert!(format!("{file:?}").contains("3145728"), "{file:?}");
    client(&server).bsa_upload_statement(file).await.unwrap();
    mock.assert_async().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn unsupported_types_and_empty_files_never_reach_the_wire() {
    let server = MockServer::start_async().await;
    let mock = crate::support::any_request(&server).await;
    for name in [
        "statement.txt",
        "statement.pdf.exe",
        "statement",
        "scan.gif",
    ] {
        let e = StatementFile::from_bytes(name, &b"data"[..]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        assert!(
            e.to_string().contains("`file`") && e.to_string().contains("PDF, PNG, JPG or JPEG"),
            "{e}"
        );
    }
    let e = StatementFile::from_bytes("empty.pdf", Vec::new()).unwrap_err();
    assert!(e.to_string().contains("`file` is empty"), "{e}");
    let dir = std::env::temp_dir().join(format!("finpass-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("empty.png"), b"").unwrap();
    let e = StatementFile::open(dir.join("empty.png"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("is empty"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn upload_errors_are_typed_with_their_status() {
    let spec = Spec::embedded();
    let op = spec.operation(OPERATION_ID).unwrap();
    for status in &declared_error_statuses(&spec) {
        let (_, body) = spec
            .response_example(&op, Some(&status.to_string()))
            .unwrap();
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST);
                then.status(*status)
                    .header("content-type", "application/json")
                    .json_body(body.clone());
            })
            .await;
        let file = StatementFile::from_bytes("s.png", &b"\x89PNG"[..]).unwrap();
        let e = client(&server)
            .bsa_upload_statement(file)
            .await
            .unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(*status));
        // A final 429 is a rate limit, every other error status an API error.
        let kind = if *status == 429 {
            ErrorKind::RateLimited
        } else {
            ErrorKind::Api
        };
        assert_eq!(e.kind(), kind);
        assert_eq!(e.message_code(), body["message_code"].as_str());
    }
}
