//! Bank Statement Analyser upload: the one `multipart/form-data` operation. progenitor 0.15 cannot
//! generate multipart bodies, so its request is built here by hand; from there it takes the call
//! path of every generated method (`facade/calls.rs`: attempts, bounded read, one decode). The
//! path, the file part's name and the allowed extensions come from the spec (the operation table).

use std::path::Path;

use bytes::Bytes;
use progenitor_client::ClientInfo;
use reqwest::Url;
use reqwest::multipart::{Form, Part};

use crate::operation::FilePart;
use crate::{Call, Error, ErrorKind, Finpass, types};

/// `operationId` of the upload in the spec.
const OPERATION_ID: &str = "bsa_upload_statement";

/// The upload's file part, from the spec.
fn file_part() -> Result<FilePart, Error> {
    crate::operation::find(OPERATION_ID)
        .and_then(|op| op.file_part)
        .ok_or_else(|| invalid("the spec this client was generated from has no statement upload"))
}

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
    ///
    /// ```
    /// use finpass_client::StatementFile;
    ///
    /// let statement = StatementFile::from_bytes("march-2024.pdf", b"%PDF-1.7 ...".to_vec())?;
    /// assert!(StatementFile::from_bytes("march-2024.docx", b"...".to_vec()).is_err());
    /// assert!(StatementFile::from_bytes("empty.pdf", Vec::new()).is_err());
    /// # Ok::<(), finpass_client::Error>(())
    /// ```
    pub fn from_bytes(
        file_name: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Result<Self, Error> {
        let file_name = file_name.into();
        let part = file_part()?;
        let mime = mime_for(&file_name, part)?;
        let content = content.into();
        if content.is_empty() {
            return Err(invalid(format!(
                "`{}` is empty: `{file_name}` has no content",
                part.field
            )));
        }
        Ok(StatementFile {
            file_name,
            mime,
            content: Content::Bytes(content),
        })
    }

    /// A statement on disk, streamed during the upload. Its extension must be .pdf, .png, .jpg or .jpeg.
    ///
    /// ```no_run
    /// use finpass_client::StatementFile;
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let statement = StatementFile::open("statements/march-2024.pdf").await?;
    /// let uploaded = finpass.bsa_upload_statement(statement).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let part = file_part()?;
        let field = part.field;
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                invalid(format!(
                    "`{field}` has no usable file name: {}",
                    path.display()
                ))
            })?
            .to_owned();
        let mime = mime_for(&file_name, part)?;
        let file = tokio::fs::File::open(path).await.map_err(|e| {
            invalid(format!(
                "`{field}` could not be opened ({})",
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
                "`{field}` is empty: `{file_name}` has no content"
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
    Error::new(ErrorKind::InvalidRequest, detail).in_operation(OPERATION_ID)
}

/// The MIME type for an extension the spec allows; anything else is rejected before upload. An
/// allowed extension without a precise type is sent as `application/octet-stream`, which the docs
/// show the server accepting.
fn mime_for(file_name: &str, part: FilePart) -> Result<&'static str, Error> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if !part.extensions.contains(&extension.as_str()) {
        let names: Vec<String> = part.extensions.iter().map(|e| e.to_uppercase()).collect();
        let listed = match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        return Err(invalid(format!(
            "`{}` must be a {listed} statement; `{file_name}` is not (allowed extensions: {})",
            part.field,
            part.extensions.join(", ")
        )));
    }
    Ok(match extension.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    })
}

impl Finpass {
    /// Upload a bank statement for analysis.
    ///
    /// Sends `POST /api/v1/services/bsa/upload-statement` with the multipart field `file`. The response
    /// carries the `client_id` to pass to [`Finpass::bsa_statement_result`]. Unsupported types and
    /// empty files are rejected before anything is sent.
    ///
    /// Retry class: `side-effecting`. A streamed body cannot be replayed, so an upload is attempted once.
    ///
    /// ```no_run
    /// use finpass_client::{StatementFile, WaitOptions};
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let statement = StatementFile::open("statements/march-2024.pdf").await?;
    /// let uploaded = finpass.bsa_upload_statement(statement).await?;
    /// let client_id = &uploaded.data.client_id;
    /// let result = finpass.wait_for_bsa_statement(client_id, WaitOptions::default()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn bsa_upload_statement(
        &self,
        statement: StatementFile,
    ) -> Call<types::BsaUploadStatementResponse> {
        self.call_once(OPERATION_ID, |url| self.upload_request(url, statement))
    }

    /// The multipart request to `url`: what progenitor's request builders produce for the other
    /// operations.
    fn upload_request(
        &self,
        url: Url,
        statement: StatementFile,
    ) -> Result<reqwest::Request, Error> {
        let form = Form::new().part(file_part()?.field, statement.into_part()?);
        self.raw()
            .client()
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()
            .map_err(|e| {
                invalid("the upload request could not be built, nothing was sent")
                    .with_source(e.without_url())
            })
    }
}
