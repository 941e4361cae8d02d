//! A tiny SMTP relay of the tests' own on loopback, in front of the test
//! Postfix: it passes every session through byte for byte, notes each
//! message Postfix accepts (its X-Shiftcover-Kind and Message-ID, in the
//! order of Postfix's answers), and on demand holds a session at one of the
//! two edges of the exactly-once window:
//!
//! - [`Hold::AfterAccept`]: the message went to Postfix and Postfix accepted
//!   it, but its "250" is kept from the client, which waits for it;
//! - [`Hold::BeforeDot`]: the message's data went out but not its closing
//!   dot, so Postfix never accepts it.
//!
//! A held session is reported on [`Relay::wait_held`] and then left hanging
//! until the client goes away (the tests kill it). When Postfix does not
//! answer, the client's connection is closed at once, as a down server's
//! would fail.
#![allow(dead_code)]

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Where the next session is held, if anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    Nowhere,
    AfterAccept,
    BeforeDot,
}

/// A message that went through the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relayed {
    pub kind: String,
    pub message_id: String,
}

#[derive(Debug)]
struct Shared {
    hold: Hold,
    /// Accepted by Postfix, in the order of its answers.
    accepted: Vec<Relayed>,
}

pub struct Relay {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
    held: mpsc::Receiver<Relayed>,
}

impl Relay {
    /// Starts the relay in front of 127.0.0.1:`upstream`, on a thread and
    /// runtime of its own, so a test blocked on the daemon does not stall it.
    pub fn start(upstream: u16) -> Relay {
        let shared = Arc::new(Mutex::new(Shared {
            hold: Hold::Nowhere,
            accepted: Vec::new(),
        }));
        let (held_tx, held) = mpsc::channel();
        let (port_tx, port_rx) = mpsc::channel();
        let state = shared.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("relay runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
                let _ = port_tx.send(listener.local_addr().expect("relay address").port());
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        continue;
                    };
                    let state = state.clone();
                    let held_tx = held_tx.clone();
                    tokio::spawn(async move {
                        session(client, upstream, state, held_tx).await;
                    });
                }
            });
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the relay started");
        Relay { port, shared, held }
    }

    /// Where the next message's session is held.
    pub fn set_hold(&self, hold: Hold) {
        self.shared.lock().unwrap_or_else(|p| p.into_inner()).hold = hold;
    }

    /// Waits (up to `limit`) for a session to be held; the message held.
    pub fn wait_held(&self, limit: Duration) -> Option<Relayed> {
        self.held.recv_timeout(limit).ok()
    }

    /// Every message Postfix accepted through the relay, in order.
    pub fn accepted(&self) -> Vec<Relayed> {
        self.shared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .accepted
            .clone()
    }
}

/// The value of header `name` in a message's header block.
fn header(data: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(data);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let want = format!("{}:", name.to_ascii_lowercase());
    head.lines()
        .find(|l| l.to_ascii_lowercase().starts_with(&want))
        .map(|l| l[want.len()..].trim().to_string())
        .unwrap_or_default()
}

async fn session(
    client: TcpStream,
    upstream: u16,
    state: Arc<Mutex<Shared>>,
    held_tx: mpsc::Sender<Relayed>,
) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        // Postfix is down: the client sees its connection closed.
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    // The message whose data is complete and whose answer is awaited.
    let pending: Arc<Mutex<Option<Relayed>>> = Arc::new(Mutex::new(None));
    let hold_now = |s: &Arc<Mutex<Shared>>| s.lock().unwrap_or_else(|p| p.into_inner()).hold;

    let up_pending = pending.clone();
    let up_state = state.clone();
    let up_held = held_tx.clone();
    let upward = async move {
        let mut line = Vec::new();
        let mut in_data = false;
        let mut data = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match cr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let chunk = &buf[..n];
            if in_data {
                data.extend_from_slice(chunk);
                let ended = data.ends_with(b"\r\n.\r\n") || data == b".\r\n";
                if ended {
                    in_data = false;
                    let msg = Relayed {
                        kind: header(&data, "X-Shiftcover-Kind"),
                        message_id: header(&data, "Message-ID"),
                    };
                    if hold_now(&up_state) == Hold::BeforeDot {
                        // Everything but the closing dot reaches Postfix.
                        let body = &data[..data.len() - 3];
                        let already = data.len() - n;
                        if body.len() > already {
                            let _ = sw.write_all(&body[already..]).await;
                        }
                        up_state.lock().unwrap_or_else(|p| p.into_inner()).hold = Hold::Nowhere;
                        let _ = up_held.send(msg);
                        // Hang until the client goes away.
                        let mut sink = [0u8; 1024];
                        while matches!(cr.read(&mut sink).await, Ok(n) if n > 0) {}
                        return;
                    }
                    *up_pending.lock().unwrap_or_else(|p| p.into_inner()) = Some(msg);
                    data.clear();
                }
            } else {
                line.extend_from_slice(chunk);
                if line.ends_with(b"\r\n") {
                    let text = String::from_utf8_lossy(&line).trim().to_ascii_uppercase();
                    if text == "DATA" {
                        in_data = true;
                        data.clear();
                    }
                    line.clear();
                }
            }
            if sw.write_all(chunk).await.is_err() {
                return;
            }
        }
    };
    let downward = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match sr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let chunk = &buf[..n];
            let answered = pending.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(msg) = answered
                && chunk.starts_with(b"250")
            {
                let hold = {
                    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
                    s.accepted.push(msg.clone());
                    let hold = s.hold;
                    if hold == Hold::AfterAccept {
                        s.hold = Hold::Nowhere;
                    }
                    hold
                };
                if hold == Hold::AfterAccept {
                    let _ = held_tx.send(msg);
                    // Keep the answer; hang until the client goes away.
                    std::future::pending::<()>().await;
                }
            }
            if cw.write_all(chunk).await.is_err() {
                return;
            }
        }
    };
    tokio::select! {
        _ = upward => {}
        _ = downward => {}
    }
}
