//! The checks every request to `sitrep serve` passes before it reaches a file or the
//! live-reload socket, so that other web pages the user visits cannot read the drafts:
//!
//! - **Host** (a defence against DNS rebinding): on a loopback address the server answers
//!   only to `localhost`, `127.0.0.1`, `[::1]` and the address it is bound to, each with
//!   its port. A server bound to another address (`--bind 0.0.0.0`) was exposed on
//!   purpose and answers to any name, since a machine's names and addresses vary. A
//!   request without a Host header comes from no browser and is let through.
//! - **Method**: only GET and HEAD; anything else gets 405 with `Allow: GET, HEAD`.
//! - **Origin** (the live-reload socket only): a browser always sends its page's origin
//!   with a WebSocket handshake, and it must be this server: `http://` and the Host the
//!   client addressed or, on loopback, one of the local names above. A handshake without
//!   an Origin comes from a program, not a web page, and is let through.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::live;

/// Which Host headers the server answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hosts {
    /// Bound to this loopback address and port: local names only.
    Loopback(SocketAddr),
    /// Bound to a non-loopback address: any name.
    Any,
}

impl Hosts {
    /// The rule for a server listening on `addr`.
    pub fn for_addr(addr: SocketAddr) -> Hosts {
        if addr.ip().is_loopback() {
            Hosts::Loopback(addr)
        } else {
            Hosts::Any
        }
    }

    /// Whether a request whose Host header (or absolute URL) names `authority` is for
    /// this server.
    pub fn allows(&self, authority: &str) -> bool {
        let Hosts::Loopback(addr) = self else {
            return true;
        };
        let Ok(parsed) = authority.parse::<Authority>() else {
            return false;
        };
        if authority.contains('@') || parsed.port_u16().unwrap_or(80) != addr.port() {
            return false;
        }
        let host = parsed.host().to_ascii_lowercase();
        let bound = match addr.ip() {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        ["localhost", "127.0.0.1", "[::1]", bound.as_str()].contains(&host.as_str())
    }
}

/// The middleware: Host, then method, then (for the socket) Origin.
pub async fn check(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST);
    let names = host
        .into_iter()
        .map(|value| value.to_str().ok())
        .chain(request.uri().authority().map(|a| Some(a.as_str())));
    for name in names {
        if !name.is_some_and(|name| hosts.allows(name)) {
            return forbidden(&hosts);
        }
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = (
            StatusCode::METHOD_NOT_ALLOWED,
            "method not allowed: sitrep serve only serves files (GET and HEAD)\n",
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if request.uri().path() == live::SOCKET_URL
        && !origin_allowed(
            &hosts,
            request.headers().get(header::ORIGIN),
            request.headers().get(header::HOST),
        )
    {
        return (
            StatusCode::FORBIDDEN,
            "forbidden: the live-reload socket only accepts pages served by this server\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// Whether a WebSocket handshake's Origin is this server: `http://` and the Host the
/// client addressed or, on loopback, any of the server's local names.
pub fn origin_allowed(
    hosts: &Hosts,
    origin: Option<&HeaderValue>,
    host: Option<&HeaderValue>,
) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let Some(authority) = origin.to_str().ok().and_then(|o| o.strip_prefix("http://")) else {
        return false;
    };
    let addressed = host
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.eq_ignore_ascii_case(authority));
    addressed || (matches!(hosts, Hosts::Loopback(_)) && hosts.allows(authority))
}

fn forbidden(hosts: &Hosts) -> Response {
    let message = match hosts {
        Hosts::Loopback(addr) => format!(
            "forbidden: this server answers only at http://localhost:{port}/ and http://{addr}/ (other host names are refused to stop DNS rebinding)\n",
            port = addr.port()
        ),
        Hosts::Any => "forbidden: malformed Host header\n".to_string(),
    };
    (StatusCode::FORBIDDEN, message).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_servers_answer_to_local_names_with_their_port() {
        let v4 = Hosts::for_addr("127.0.0.1:1111".parse().unwrap());
        for good in [
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
        ] {
            assert!(v4.allows(good), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "localhost:2222",
            "localhost",
            "127.0.0.2:1111",
            "localhost.evil.example:1111",
            "user@localhost:1111",
            "",
            "local host:1111",
        ] {
            assert!(!v4.allows(bad), "{bad}");
        }
        let other = Hosts::for_addr("127.0.0.2:80".parse().unwrap());
        assert!(other.allows("127.0.0.2") && other.allows("localhost:80"));
        let v6 = Hosts::for_addr("[::1]:1111".parse().unwrap());
        assert!(v6.allows("[::1]:1111") && !v6.allows("[::2]:1111"));
    }

    #[test]
    fn exposed_servers_answer_to_any_name() {
        let any = Hosts::for_addr("0.0.0.0:1111".parse().unwrap());
        assert_eq!(any, Hosts::Any);
        assert!(any.allows("192.168.1.20:1111") && any.allows("laptop.local:1111"));
    }

    #[test]
    fn the_socket_accepts_only_its_own_origin() {
        let value = |s: &str| Some(HeaderValue::from_str(s).unwrap());
        let loopback = Hosts::for_addr("127.0.0.1:1111".parse().unwrap());
        let host = value("127.0.0.1:1111");
        let allowed = |hosts: &Hosts, origin: Option<&str>, host: &Option<HeaderValue>| {
            origin_allowed(hosts, origin.and_then(value).as_ref(), host.as_ref())
        };
        for good in [
            Some("http://127.0.0.1:1111"),
            Some("http://localhost:1111"),
            None,
        ] {
            assert!(allowed(&loopback, good, &host), "{good:?}");
        }
        for bad in [
            "http://evil.example",
            "http://evil.example:1111",
            "http://localhost:2222",
            "https://127.0.0.1:1111",
            "http://127.0.0.1:1111.evil.example",
            "http://127.0.0.1:1111/",
            "null",
        ] {
            assert!(!allowed(&loopback, Some(bad), &host), "{bad}");
        }
        // Exposed: the origin must be the name the client used.
        let lan = value("192.168.1.20:1111");
        assert!(allowed(&Hosts::Any, Some("http://192.168.1.20:1111"), &lan));
        assert!(!allowed(&Hosts::Any, Some("http://evil.example"), &lan));
        assert!(!allowed(
            &Hosts::Any,
            Some("http://192.168.1.20:1111"),
            &None
        ));
    }
}
