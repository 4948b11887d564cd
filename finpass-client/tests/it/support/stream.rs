//! [`Streamer`]: a loopback server that answers every request with a body of `total` bytes streamed
//! chunked, with no `Content-Length`, and reports for each connection how much it managed to send
//! before the client closed it. The bytes come from one reused chunk: the server holds no body.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};

use super::read_request;

const CHUNK: usize = 64 * 1024;

/// How one connection ended, seen from the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streamed {
    /// Body bytes written to the socket before the stream ended.
    pub sent: u64,
    /// Whether every byte was written (false: the client closed the connection first).
    pub completed: bool,
}

pub struct Streamer {
    pub port: u16,
    accepted: Arc<AtomicU32>,
    ended: Mutex<mpsc::UnboundedReceiver<Streamed>>,
}

impl Streamer {
    /// Serves `status` with `total` body bytes, chunked, on every connection.
    pub async fn start(status: u16, total: u64) -> Streamer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = mpsc::unbounded_channel();
        let accepted = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&accepted);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let _ = tx.send(stream_body(stream, status, total).await);
                });
            }
        });
        Streamer {
            port,
            accepted,
            ended: Mutex::new(rx),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How the next connection ended; waits until the server has seen it end.
    pub async fn next_ended(&self) -> Streamed {
        self.ended
            .lock()
            .await
            .recv()
            .await
            .expect("the server runs")
    }

    /// Connections accepted so far (one per attempt).
    pub fn connections(&self) -> u32 {
        self.accepted.load(Ordering::SeqCst)
    }
}

async fn stream_body(mut stream: TcpStream, status: u16, total: u64) -> Streamed {
    let mut sent = 0u64;
    if read_request(&mut stream).await.is_none() {
        return Streamed {
            sent,
            completed: false,
        };
    }
    let head = format!(
        "HTTP/1.1 {status} Whatever\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return Streamed {
            sent,
            completed: false,
        };
    }
    let data = vec![b' '; CHUNK];
    while sent < total {
        let n = (total - sent).min(CHUNK as u64) as usize;
        let mut frame = format!("{n:x}\r\n").into_bytes();
        frame.extend_from_slice(&data[..n]);
        frame.extend_from_slice(b"\r\n");
        if stream.write_all(&frame).await.is_err() {
            return Streamed {
                sent,
                completed: false,
            };
        }
        sent += n as u64;
    }
    let completed = stream.write_all(b"0\r\n\r\n").await.is_ok();
    let _ = stream.shutdown().await;
    Streamed { sent, completed }
}
