//! The live-reload channel: the messages a rebuild sends to open pages, the WebSocket that
//! carries them, and the client script (`live.js`) the server adds to HTML responses.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use super::ServerState;
use crate::diagnostics::{Diagnostic, Severity};
use crate::rebuild::Update;

/// The reserved URL prefix for serve's own files; site files never live there.
pub const PREFIX: &str = "/__sitrep/";
/// The client script's URL.
pub const SCRIPT_URL: &str = "/__sitrep/live.js";
/// The WebSocket's URL.
pub const SOCKET_URL: &str = "/__sitrep/ws";
/// The client script.
pub const SCRIPT: &str = include_str!("live.js");

/// A message to every open page, sent as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// Sent first on every connection: the output's generation. A page served from an
    /// older generation reloads.
    Hello { generation: u64 },
    /// New files are in place. Pages listed in `pages` (output paths) reload; with `all`,
    /// every page does.
    Reload {
        generation: u64,
        pages: Vec<String>,
        all: bool,
    },
    /// Only stylesheets changed: pages swap them without reloading.
    Css { generation: u64, files: Vec<String> },
    /// The site has errors; pages show these diagnostics over the last good build.
    Errors { diagnostics: Vec<Diagnostic> },
}

impl Message {
    /// What to tell pages after a successful rebuild that changed the output.
    pub fn for_update(update: &Update, generation: u64, after_errors: bool) -> Message {
        let changed = || update.written.iter().chain(&update.deleted);
        // 404.html inlines the stylesheet, so it changes with it; nobody needs it reloaded.
        let css_only = update.deleted.is_empty()
            && update.written.iter().any(|p| p.ends_with(".css"))
            && update
                .written
                .iter()
                .all(|p| p.ends_with(".css") || p == "404.html");
        if css_only && !after_errors && !update.written.is_empty() {
            return Message::Css {
                generation,
                files: update
                    .written
                    .iter()
                    .filter(|p| p.ends_with(".css"))
                    .cloned()
                    .collect(),
            };
        }
        Message::Reload {
            generation,
            pages: changed()
                .filter(|p| p.ends_with(".html"))
                .cloned()
                .collect(),
            // Stylesheets, data and images can be used by any page.
            all: after_errors || changed().any(|p| !p.ends_with(".html")),
        }
    }

    /// The errors message, errors before warnings.
    pub fn errors(diagnostics: &[Diagnostic]) -> Message {
        let mut diagnostics = diagnostics.to_vec();
        diagnostics.sort_by_key(|d| d.severity != Severity::Error);
        Message::Errors { diagnostics }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Upgrades `/__sitrep/ws` to a WebSocket that receives every [`Message`].
pub async fn socket(ws: WebSocketUpgrade, State(shared): State<Arc<ServerState>>) -> Response {
    ws.on_upgrade(move |socket| client(socket, shared))
}

async fn client(mut socket: WebSocket, shared: Arc<ServerState>) {
    // Subscribe before reading the state, so no message falls between the two.
    let mut messages = shared.messages.subscribe();
    let mut shutdown = shared.shutdown.subscribe();
    let (generation, errors) = shared.current();
    let mut greeting = vec![Message::Hello { generation }];
    greeting.extend(errors.map(|d| Message::errors(&d)));
    for message in greeting {
        if socket
            .send(WsMessage::text(message.to_json()))
            .await
            .is_err()
        {
            return;
        }
    }
    loop {
        tokio::select! {
            message = messages.recv() => {
                let message = match message {
                    Ok(message) => message,
                    // Missed messages: the greeting tells the page whether it is stale.
                    Err(RecvError::Lagged(_)) => Message::Hello { generation: shared.current().0 },
                    Err(RecvError::Closed) => break,
                };
                if socket.send(WsMessage::text(message.to_json())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(WsMessage::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            _ = shutdown.changed() => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(written: &[&str], deleted: &[&str]) -> Update {
        Update {
            written: written.iter().map(|s| s.to_string()).collect(),
            deleted: deleted.iter().map(|s| s.to_string()).collect(),
            ..Update::default()
        }
    }

    #[test]
    fn css_alone_swaps_stylesheets() {
        let m = Message::for_update(&update(&["404.html", "static/style.css"], &[]), 3, false);
        assert!(
            matches!(&m, Message::Css { files, .. } if files == &["static/style.css"]),
            "{m:?}"
        );
        let m = Message::for_update(&update(&["static/style.css"], &[]), 3, false);
        assert!(matches!(m, Message::Css { generation: 3, .. }), "{m:?}");
        let m = Message::for_update(&update(&["static/style.css"], &[]), 3, true);
        assert!(matches!(m, Message::Reload { all: true, .. }), "{m:?}");
    }

    #[test]
    fn html_changes_reload_their_pages() {
        let m = Message::for_update(&update(&["incidents/a.html", "index.html"], &[]), 4, false);
        assert_eq!(
            m,
            Message::Reload {
                generation: 4,
                pages: vec!["incidents/a.html".into(), "index.html".into()],
                all: false
            }
        );
        let m = Message::for_update(
            &update(&["figures/x.html", "data/claims.csv"], &[]),
            5,
            false,
        );
        assert!(matches!(m, Message::Reload { all: true, .. }), "{m:?}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&m.to_json()).unwrap()["type"],
            "reload"
        );
    }
}
