//! Bank Statement Analyser upload: the one `multipart/form-data` operation. progenitor 0.15 cannot
//! generate multipart bodies, so this method is written by hand, reusing the generated types, the
//! same hooks (retries, timeouts, tracing) and the same error mapping as every generated method. A
//! contract test checks the constants below against the spec.

use std::path::Path;

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, Error as RawError, OperationInfo, ResponseValue};
use reqwest::multipart::{Form, Part};

use crate::{Error, ErrorKind, Finpass, types};

/// `operationId` of the upload in the spec.
pub const OPERATION_ID: &str = "bsa_upload_statement";
/// The multipart field that carries the file.
pub const FILE_FIELD: &str = "file";
/// Allowed file extensions (the spec's `x-finpass-allowed-extensions`).
pub const ALLOWED_EXTENSIONS: &[&str] = &["pdf", "png", "jpg", "jpeg"];
/// Error statuses the spec declares for the upload; their bodies decode as the AA error envelope.
pub const DECLARED_ERROR_STATUSES: &[u16] = &[401, 422, 429];

/// A bank statement ready to upload: a name with an allowed extension and non-empty content.
/// Files opened with [`StatementFile::open`] are streamed, never read into memory whole.
pub struct StatementFile {
    file_name: String,
    mime: &'static str,
    content: Content,
}

enum Content {
    Bytes(Bytes),
    File { file: tokio::fs::File, len: u64 },
}

impl std::fmt::Debug for StatementFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = match &self.content {
            Content::Bytes(b) => b.len() as u64,
            Content::File { len, .. } => *len,
        };
        f.debug_struct("StatementFile")
            .field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .field("len", &len)
            .finish()
    }
}

impl StatementFile {
    /// A statement held in memory. `file_name` must end in .pdf, .png, .jpg or .jpeg.
    pub fn from_bytes(
        file_name: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Result<Self, Error> {
        let file_name = file_name.into();
        let mime = mime_for(&file_name)?;
        let content = content.into();
        if content.is_empty() {
            return Err(invalid(format!(
                "`{FILE_FIELD}` is empty: `{file_name}` has no content"
            )));
        }
        Ok(StatementFile {
            file_name,
            mime,
            content: Content::Bytes(content),
        })
    }

    /// A statement on disk, streamed during the upload. Its extension must be .pdf, .png, .jpg or .jpeg.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                invalid(format!(
                    "`{FILE_FIELD}` has no usable file name: {}",
                    path.display()
                ))
            })?
            .to_owned();
        let mime = mime_for(&file_name)?;
        let file = tokio::fs::File::open(path).await.map_err(|e| {
            invalid(format!(
                "`{FILE_FIELD}` could not be opened ({})",
                path.display()
            ))
            .with_source(e)
        })?;
        let len = file
            .metadata()
            .await
            .map_err(|e| invalid("could not read the file's size").with_source(e))?
            .len();
        if len == 0 {
            return Err(invalid(format!(
                "`{FILE_FIELD}` is empty: `{file_name}` has no content"
            )));
        }
        Ok(StatementFile {
            file_name,
            mime,
            content: Content::File { file, len },
        })
    }

    fn into_part(self) -> Result<Part, Error> {
        let part = match self.content {
            Content::Bytes(bytes) => {
                Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64)
            }
            Content::File { file, len } => {
                let stream = tokio_util::io::ReaderStream::new(file);
                Part::stream_with_length(reqwest::Body::wrap_stream(stream), len)
            }
        };
        part.file_name(self.file_name)
            .mime_str(self.mime)
            .map_err(|e| invalid("internal: bad MIME type").with_source(e))
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    let mut e = Error::new(ErrorKind::InvalidRequest, detail);
    e.operation = Some(OPERATION_ID);
    e
}

/// The MIME type for an allowed extension; anything else is rejected before upload.
fn mime_for(file_name: &str) -> Result<&'static str, Error> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => Ok("application/pdf"),
        "png" => Ok("image/png"),
        "jpg" | "jpeg" => Ok("image/jpeg"),
        _ => Err(invalid(format!(
            "`{FILE_FIELD}` must be a PDF, PNG, JPG or JPEG statement; `{file_name}` is not (allowed extensions: {})",
            ALLOWED_EXTENSIONS.join(", ")
        ))),
    }
}

impl Finpass {
    /// Upload a bank statement for analysis.
    ///
    /// Sends `POST /api/v1/services/bsa/upload-statement` with the multipart field `file`. The response
    /// carries the `client_id` to pass to [`Finpass::bsa_statement_result`]. Unsupported types and
    /// empty files are rejected before anything is sent.
    ///
    /// Retry class: `side-effecting`. A streamed body cannot be replayed, so an upload is attempted once.
    pub async fn bsa_upload_statement(
        &self,
        statement: StatementFile,
    ) -> Result<types::BsaUploadStatementResponse, Error> {
        let form = Form::new().part(FILE_FIELD, statement.into_part()?);
        self.call(OPERATION_ID, self.send_upload(form)).await
    }

    async fn send_upload(
        &self,
        form: Form,
    ) -> Result<ResponseValue<types::BsaUploadStatementResponse>, RawError<types::AaErrorEnvelope>>
    {
        let client = self.raw();
        let path = crate::operation::find(OPERATION_ID)
            .map_or("/api/v1/services/bsa/upload-statement", |op| op.path);
        let url = format!("{}{path}", client.baseurl());
        let mut request = client
            .client()
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()?;
        let info = OperationInfo {
            operation_id: OPERATION_ID,
        };
        client.pre(&mut request, &info).await?;
        let result = client.exec(request, &info).await;
        client.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            200..=299 => ResponseValue::from_response(response).await,
            status if DECLARED_ERROR_STATUSES.contains(&status) => Err(RawError::ErrorResponse(
                ResponseValue::from_response(response).await?,
            )),
            _ => Err(RawError::UnexpectedResponse(response)),
        }
    }
}
