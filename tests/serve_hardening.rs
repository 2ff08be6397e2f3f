//! `sitrep serve` against hostile or careless clients, over real TCP: other web pages
//! (foreign Origin on the live-reload socket, foreign Host from DNS rebinding), methods
//! other than GET and HEAD, clients that stall or hoard connections, and paths that try
//! to leave the output folder. Each test serves a copy of the small valid fixture on a
//! free loopback port.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sitrep::serve::{self, ClientLimits, ServeOptions, Server};
use tungstenite::client::IntoClientRequest;

mod common;

const TIMEOUT: Duration = Duration::from_secs(60);
const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A copy of tests/fixtures/valid and a server on it.
struct Served {
    dir: tempfile::TempDir,
    server: Server,
}

impl Served {
    fn start(name: &str, limits: ClientLimits) -> Served {
        let dir = common::temp_dir(name);
        let from = common::fixture("valid");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        let server = serve::start(ServeOptions {
            root: dir.path().to_path_buf(),
            out: Some(dir.path().join("public")),
            bind: LOCALHOST,
            port: 0,
            poll: false,
            force: false,
            strict: false,
            on_build: None,
            limits,
        })
        .expect("the server starts");
        assert!(server.status().errors.is_none());
        Served { dir, server }
    }

    fn port(&self) -> u16 {
        self.server.addr().port()
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.server.addr()).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream
    }

    /// Sends `head` (a request line and headers, without the blank line) and reads the
    /// whole response: status, lower-cased head, body.
    fn exchange(&self, head: &str) -> (u16, String, Vec<u8>) {
        let mut stream = self.connect();
        write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no complete response to {head:?}: {response:?}"));
        let text = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
        let status = text.split(' ').nth(1).unwrap().parse().unwrap();
        (status, text, response[split + 4..].to_vec())
    }

    /// A request for `path` with the Host a browser on http://127.0.0.1:PORT/ sends.
    fn request(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        self.exchange(&format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}",
            self.port()
        ))
    }

    /// Opens the live-reload socket with these extra handshake headers; the status of a
    /// refused handshake as the error.
    fn socket(&self, headers: &[(&str, &str)]) -> Result<tungstenite::WebSocket<TcpStream>, u16> {
        let url = format!("ws://{}/__sitrep/ws", self.server.addr());
        let mut request = url.into_client_request().unwrap();
        for (name, value) in headers {
            request.headers_mut().insert(
                tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        match tungstenite::client(request, self.connect()) {
            Ok((socket, _)) => Ok(socket),
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
                Err(response.status().as_u16())
            }
            Err(err) => panic!("the handshake failed without a response: {err}"),
        }
    }
}

/// The next text message's `type`.
fn next_type(socket: &mut tungstenite::WebSocket<TcpStream>) -> String {
    loop {
        if let tungstenite::Message::Text(text) = socket.read().expect("a message") {
            let message: serde_json::Value = serde_json::from_str(&text).unwrap();
            return message["type"].as_str().unwrap().to_string();
        }
    }
}

fn long_limits() -> ClientLimits {
    ClientLimits {
        header_read_timeout: TIMEOUT,
        idle_timeout: TIMEOUT,
        ..ClientLimits::default()
    }
}

#[test]
fn the_socket_refuses_other_origins() {
    let served = Served::start("origin", long_limits());
    let port = served.port();
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{}", port.wrapping_add(1)),
        "null".to_string(),
    ] {
        let refused = served.socket(&[("Origin", &origin)]);
        assert_eq!(refused.err(), Some(403), "{origin}");
    }
    // The page's own origin, under the name it was opened with or another local one,
    // and a program that sends no Origin at all.
    for origin in [
        Some(format!("http://127.0.0.1:{port}")),
        Some(format!("http://localhost:{port}")),
        None,
    ] {
        let headers: Vec<(&str, &str)> = origin.iter().map(|o| ("Origin", o.as_str())).collect();
        let mut socket = served.socket(&headers).expect("the socket opens");
        assert_eq!(next_type(&mut socket), "hello", "{origin:?}");
    }
}

#[test]
fn foreign_host_names_are_refused() {
    let served = Served::start("host", long_limits());
    let port = served.port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        "localhost".to_string(),
    ] {
        for path in ["/", "/static/style.css", "/__sitrep/live.js", "/nothing"] {
            let (code, _, body) = served.exchange(&format!("GET {path} HTTP/1.1\r\nHost: {host}"));
            assert_eq!(code, 403, "{host} {path}");
            assert!(!String::from_utf8_lossy(&body).contains("Fixture briefing"));
        }
        let refused = served.socket(&[("Host", &host)]);
        assert_eq!(refused.err(), Some(403), "{host}");
    }
    // An absolute URL naming another host is refused even with a good Host header.
    let (code, _, _) = served.exchange(&format!(
        "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}"
    ));
    assert_eq!(code, 403);
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (code, _, body) = served.exchange(&format!("GET / HTTP/1.1\r\nHost: {host}"));
        assert_eq!(code, 200, "{host}");
        assert!(String::from_utf8_lossy(&body).contains("Fixture briefing"));
    }
    // HTTP/1.0 without a Host header comes from no browser.
    let (code, _, _) = served.exchange("GET / HTTP/1.0");
    assert_eq!(code, 200);
}

#[test]
fn only_get_and_head_are_allowed() {
    let served = Served::start("methods", long_limits());
    for path in [
        "/",
        "/index.html",
        "/static/style.css",
        "/__sitrep/live.js",
        "/__sitrep/ws",
        "/nothing",
    ] {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"] {
            let (code, head, body) = served.request(method, path);
            assert_eq!(code, 405, "{method} {path}");
            assert!(
                head.contains("\r\nallow: get, head"),
                "{method} {path}: {head}"
            );
            assert!(!String::from_utf8_lossy(&body).contains("Fixture briefing"));
        }
    }
    for path in ["/", "/static/style.css", "/__sitrep/live.js"] {
        let (code, head, body) = served.request("GET", path);
        assert_eq!(code, 200, "{path}");
        assert!(!body.is_empty());
        let (code, head_only, nothing) = served.request("HEAD", path);
        assert_eq!(code, 200, "HEAD {path}");
        assert!(nothing.is_empty(), "HEAD {path} sent a body");
        let length = format!("content-length: {}", body.len());
        assert!(
            head.contains(&length) && head_only.contains(&length),
            "{head_only}"
        );
    }
}

#[test]
fn a_stalled_request_is_disconnected() {
    let served = Served::start(
        "stall",
        ClientLimits {
            header_read_timeout: Duration::from_secs(1),
            ..ClientLimits::default()
        },
    );
    let mut stalled = served.connect();
    stalled.write_all(b"GET /index.ht").unwrap();
    // A kept-alive connection that went quiet after one answer.
    let mut idle = served.connect();
    write!(
        idle,
        "GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        served.port()
    )
    .unwrap();
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    let started = Instant::now();
    for stream in [&mut stalled, &mut idle] {
        let mut rest = Vec::new();
        match stream.read_to_end(&mut rest) {
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
            Err(err) => panic!("the server kept the connection open: {err}"),
        }
        assert!(!String::from_utf8_lossy(&rest).contains("Fixture briefing"));
    }
    // Closed by the one-second timeout, long before the client's own 60 s.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// A client that asks for a large file and stops reading: once the socket buffers are
/// full nothing moves, and the server gives up after the idle timeout instead of waiting
/// forever. Had it waited, reading on afterwards would deliver the whole file.
#[test]
fn a_client_that_stops_reading_is_disconnected() {
    let served = Served::start(
        "slow-reader",
        ClientLimits {
            idle_timeout: Duration::from_millis(300),
            ..long_limits()
        },
    );
    let size = 64 << 20;
    std::fs::write(served.server.out().join("big.bin"), vec![b'x'; size]).unwrap();
    let mut stream = served.connect();
    write!(
        stream,
        "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        served.port()
    )
    .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let mut received = Vec::new();
    match stream.read_to_end(&mut received) {
        Ok(_) => {}
        Err(err) if err.kind() == ErrorKind::ConnectionReset => {}
        Err(err) => panic!("the server kept the connection open: {err}"),
    }
    assert!(received.starts_with(b"HTTP/1.1 200"));
    assert!(
        received.len() < size,
        "the whole file arrived: the stalled response was never cut off"
    );
}

#[test]
fn an_open_page_outlives_the_timeouts() {
    let served = Served::start(
        "quiet",
        ClientLimits {
            header_read_timeout: Duration::from_millis(300),
            idle_timeout: Duration::from_millis(300),
            ..ClientLimits::default()
        },
    );
    let mut socket = served.socket(&[]).expect("the socket opens");
    assert_eq!(next_type(&mut socket), "hello");
    std::thread::sleep(Duration::from_secs(2));
    let builds = served.server.status().builds;
    let index = served.dir.path().join("content/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, format!("{text}\nA new closing line.\n")).unwrap();
    served
        .server
        .wait_for(TIMEOUT, |s| s.builds > builds)
        .expect("the rebuild");
    assert_eq!(next_type(&mut socket), "reload");
}

#[test]
fn connections_beyond_the_limit_wait_for_a_free_slot() {
    let served = Served::start(
        "limit",
        ClientLimits {
            max_connections: 3,
            ..long_limits()
        },
    );
    let mut socket = served.socket(&[]).expect("the socket opens");
    assert_eq!(next_type(&mut socket), "hello");
    let quiet = [served.connect(), served.connect()];
    // Three slots taken: a fourth client is not served while they stay open.
    let mut waiting = served.connect();
    waiting
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    write!(
        waiting,
        "GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        served.port()
    )
    .unwrap();
    let mut response = Vec::new();
    let early = waiting.read_to_end(&mut response);
    assert!(
        matches!(&early, Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "served beyond the limit: {early:?} {response:?}"
    );
    // The socket closing frees a slot.
    socket.close(None).unwrap();
    while socket.read().is_ok() {}
    drop(socket);
    waiting.set_read_timeout(Some(TIMEOUT)).unwrap();
    waiting.read_to_end(&mut response).unwrap();
    assert!(response.starts_with(b"HTTP/1.1 200"), "{response:?}");
    drop(quiet);
}

#[test]
fn nothing_outside_the_output_is_served() {
    let served = Served::start("outside", long_limits());
    let out: PathBuf = served.server.out().to_path_buf();
    let secret = served.dir.path().join("secret.txt");
    std::fs::write(&secret, "top secret").unwrap();
    std::os::unix::fs::symlink(&secret, out.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(served.dir.path(), out.join("leakdir")).unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static%2f..%2f..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/site.toml",
    ] {
        let (code, _, body) = served.request("GET", path);
        assert!(code == 400 || code == 404, "{path} gave {code}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("top secret") && !body.contains("title = \""),
            "{path}"
        );
    }
    let port = served.port();
    let (code, _, body) = served.exchange(&format!(
        "GET http://127.0.0.1:{port}/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}"
    ));
    assert!(code == 400 || code == 404, "absolute URL gave {code}");
    assert!(!String::from_utf8_lossy(&body).contains("top secret"));
}

/// `sitrep serve` without --bind listens on loopback only.
#[test]
fn the_command_binds_loopback_by_default() {
    let dir = common::temp_dir("bind");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["serve", "--port", "0", "--root"])
        .arg(common::fixture("valid"))
        .arg("--out")
        .arg(dir.path().join("public"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let deadline = Instant::now() + TIMEOUT;
    while !line.contains("serving ") && Instant::now() < deadline {
        line.clear();
        if std::io::BufRead::read_line(&mut stderr, &mut line).unwrap() == 0 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains(" at http://127.0.0.1:"), "{line}");
}
