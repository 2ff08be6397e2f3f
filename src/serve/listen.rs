//! The accept loop of `sitrep serve`: hyper's HTTP/1 server driven by hand (instead of
//! `axum::serve`, which sets no timeouts) so that no client can hold the server's
//! resources forever.
//!
//! - A client must send a whole request head within [`ClientLimits::header_read_timeout`]; hyper
//!   restarts that clock after every response, so it also closes idle keep-alive
//!   connections.
//! - A connection on which no byte moves either way for [`ClientLimits::idle_timeout`] while it
//!   is still HTTP (a client that stops reading a response, a body trickled in) is closed.
//! - At most [`ClientLimits::max_connections`] connections are open at once, WebSockets
//!   included; beyond that, new connections wait in the kernel's queue until one closes.
//!
//! An upgraded connection (the live-reload WebSocket) leaves hyper, and with it both
//! timeouts: an open page may stay quiet for hours. It keeps its place in the limit
//! until it closes.

use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;

/// How long clients may take and how many may be connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientLimits {
    /// Time to send a request's line and headers (and to start the next request on a
    /// kept-alive connection).
    pub header_read_timeout: Duration,
    /// Time without any byte read or written before an HTTP connection is closed.
    pub idle_timeout: Duration,
    /// Connections open at once, live-reload WebSockets included.
    pub max_connections: usize,
}

impl Default for ClientLimits {
    fn default() -> ClientLimits {
        ClientLimits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            // Far more than a browser's six connections per site plus one socket per tab,
            // and well below the usual limit of 1024 open files per process.
            max_connections: 512,
        }
    }
}

/// Serves `router` on `listener` until `stop` turns true.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ClientLimits,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => return,
            },
            _ = stop.changed() => return,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    pause_after(&err).await;
                    continue;
                }
            },
            _ = stop.changed() => return,
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            permit,
            router.clone(),
            limits,
            stop.clone(),
        ));
    }
}

/// After a failed accept: connection errors concern one client and are skipped; others
/// (out of file descriptors) get reported and a pause, so the loop does not spin.
async fn pause_after(err: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    eprintln!("sitrep: cannot accept a connection: {err}; retrying in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Serves one connection until it closes, idles out or the server stops.
async fn connection(
    stream: TcpStream,
    permit: OwnedSemaphorePermit,
    router: Router,
    limits: ClientLimits,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = Watched {
        inner: stream,
        activity: activity.clone(),
        _permit: permit,
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let service = TowerToHyperService::new(router);
    let mut conn = pin!(
        builder
            .serve_connection(TokioIo::new(io), service)
            .with_upgrades()
    );
    let mut stopping = false;
    loop {
        let deadline = activity.last() + limits.idle_timeout;
        tokio::select! {
            // Errors are the client's (gone, timed out, malformed): nothing to report.
            _ = conn.as_mut() => return,
            changed = stop.changed(), if !stopping => {
                stopping = true;
                if changed.is_err() || *stop.borrow() {
                    conn.as_mut().graceful_shutdown();
                }
            }
            _ = tokio::time::sleep_until(deadline) => {
                if activity.last() + limits.idle_timeout <= Instant::now() {
                    return;
                }
            }
        }
    }
}

/// When bytes last moved on a connection.
struct Activity {
    start: Instant,
    /// Milliseconds after `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = self.start.elapsed().as_millis() as u64;
        self.last.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }
}

/// A client's stream that records activity and holds its connection slot for as long as
/// it is open (through a WebSocket upgrade too).
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
