//! The accept loop: HTTP/1.1 connections served by hyper with limits an unauthenticated
//! client cannot get around.
//!
//! - **Header read timeout** ([`NetLimits::header_read_timeout`]): a connection must send a
//!   whole request head within it, also between keep-alive requests, so a client dribbling
//!   headers or holding an idle connection is closed.
//! - **Connection caps**: at most [`NetLimits::max_connections`] open connections, and
//!   [`NetLimits::max_connections_per_ip`] from one address. A connection over a cap is
//!   answered at once with `503` and `server_busy` or `too_many_connections`, and closed:
//!   many idle connections from one place do not use up the file descriptors.
//! - Body idle timeout, concurrency limit and load shedding, panics: layers in
//!   [`crate::routes::make_router`].
//! - **Graceful shutdown**: when `shutdown` resolves the listener closes, idle connections
//!   close, and requests in flight finish (for at most [`NetLimits::drain_timeout`]).
//!
//! - **TLS** ([`NetLimits::tls`]): with a certificate the server speaks HTTPS only (rustls);
//!   a handshake that does not finish within the header read timeout is dropped.
//!
//! Each request carries the peer's address as `ConnectInfo<SocketAddr>` (the per-IP rate
//! limits of enrolment and sign-in read it).

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;

use crate::error::ApiError;
use crate::{NetLimits, ServerState};

/// Open connections, in total and per peer address.
#[derive(Debug, Default)]
struct Conns {
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One admitted connection; gives its place back when dropped.
struct Slot {
    conns: Arc<Conns>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.conns.open.lock().unwrap_or_else(|p| p.into_inner());
        open.0 = open.0.saturating_sub(1);
        if let Some(n) = open.1.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.1.remove(&self.ip);
            }
        }
    }
}

fn admit(conns: &Arc<Conns>, ip: IpAddr, limits: &NetLimits) -> Result<Slot, ApiError> {
    let mut open = conns.open.lock().unwrap_or_else(|p| p.into_inner());
    if open.0 >= limits.max_connections {
        return Err(ApiError::busy(
            "server_busy",
            "the server has as many connections as it takes; retry",
        ));
    }
    let from_ip = open.1.entry(ip).or_insert(0);
    if *from_ip >= limits.max_connections_per_ip {
        return Err(ApiError::busy(
            "too_many_connections",
            "too many open connections from this address; close some and retry",
        ));
    }
    *from_ip += 1;
    open.0 += 1;
    Ok(Slot {
        conns: conns.clone(),
        ip,
    })
}

/// Answers a connection over a cap with the error and closes it (without reading it).
async fn refuse(mut stream: tokio::net::TcpStream, error: ApiError) {
    let body = serde_json::to_string(&error.body()).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        error.status().as_u16(),
        error.status().canonical_reason().unwrap_or(""),
        body.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    };
    if let Err(e) = tokio::time::timeout(Duration::from_secs(1), write).await {
        tracing::debug!("refused connection did not take its answer: {e}");
    }
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    state: ServerState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.config.net.clone();
    let router = crate::make_router(state);
    let conns = Arc::new(Conns::default());
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or the peer gave up before accept: wait a
                    // moment instead of spinning.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match admit(&conns, peer.ip(), &limits) {
            Ok(slot) => slot,
            Err(refusal) => {
                // debug, not warn: a flood of connections must not become a flood of logs.
                tracing::debug!(%peer, code = refusal.body().code, "connection refused");
                tokio::spawn(refuse(stream, refusal));
                continue;
            }
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(%peer, "set_nodelay: {e}");
        }
        let service = router
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            });
        if let Some(tls) = &limits.tls {
            let (acceptor, http, watcher) = (
                tokio_rustls::TlsAcceptor::from(tls.clone()),
                http.clone(),
                graceful.watcher(),
            );
            let handshake = limits.header_read_timeout;
            tokio::spawn(async move {
                let _slot = slot;
                let stream = match tokio::time::timeout(handshake, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => stream,
                    Ok(Err(e)) => return tracing::debug!(%peer, "TLS handshake failed: {e}"),
                    Err(_) => return tracing::debug!(%peer, "TLS handshake timed out"),
                };
                let conn =
                    http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                if let Err(e) = watcher.watch(conn).await {
                    tracing::debug!(%peer, "connection ended: {e}");
                }
            });
            continue;
        }
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _slot = slot;
            if let Err(e) = conn.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing requests in flight");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(limits.drain_timeout) => {
            tracing::warn!("requests still in flight after {:?}; stopping", limits.drain_timeout);
        }
    }
    Ok(())
}
