//! The minimal loopback HTTP/1.1 server both clients are measured against: hyper 1 with keep-alive,
//! fixed bodies, no routing beyond one path check. It runs on its own thread and single-threaded
//! runtime so that its cost is the same for every client and never shares the client's scheduler.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

/// Path of AA Initialize, as the generated client sends it.
pub const AA_INIT_PATH: &str = "/api/v1/services/account-aggregator/init";
/// Path of AA-BSA Statement Result (served with the large statement body).
pub const STATEMENT_PATH: &str = "/api/v1/aa-bsa-journey/statement-result";

/// A running server; it lives until the process exits (benchmarks are short-lived processes).
pub struct Loopback {
    pub addr: SocketAddr,
}

impl Loopback {
    /// Serves `small` on every path except [`STATEMENT_PATH`], which gets `large`.
    pub fn start(small: Bytes, large: Bytes) -> Loopback {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("local addr");
        std::thread::Builder::new()
            .name("loopback-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                rt.block_on(serve(std_listener, small, large));
            })
            .expect("spawn server thread");
        Loopback { addr }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn serve(listener: std::net::TcpListener, small: Bytes, large: Bytes) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (small, large) = (small.clone(), large.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                let body = if req.uri().path() == STATEMENT_PATH {
                    large.clone()
                } else {
                    small.clone()
                };
                respond(req, body)
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn respond(req: Request<Incoming>, body: Bytes) -> Result<Response<Full<Bytes>>, Infallible> {
    // Read the request body in full, as a real server would, so keep-alive stays in sync.
    let _ = req.into_body().collect().await;
    let mut response = Response::new(Full::new(body));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}
