//! The optional `/metrics` endpoint: the daemon's figures in Prometheus text
//! format, served on the address in `metrics.listen` (loopback, off unless
//! set).
//!
//! The figures come from the store (so they survive restarts and agree with
//! `shiftcover status`) plus a few counters only the running daemon knows
//! ([`Live`]). [`render`] is pure; [`serve`] is a deliberately tiny HTTP/1.1
//! responder: one request per connection, GET /metrics only, with timeouts
//! so a stuck client cannot hold a task.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tracing::{debug, warn};

use crate::model::Instant;
use crate::store::{DeliveryState, Store, StoreError};

/// How long a client may take to send its request, and to take the answer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);
/// A request head larger than this is not a scrape.
const MAX_REQUEST: usize = 8 * 1024;

/// Counters that only the running daemon knows; shared with the server.
#[derive(Debug, Default)]
pub struct Live {
    imap_reconnects: AtomicU64,
    imap_connect_failures: AtomicU64,
    /// Unix seconds of the last complete mailbox sync; 0 before the first.
    last_sync: AtomicI64,
    /// Unix seconds the daemon started.
    started: AtomicI64,
    /// How signing in to each server goes (OAuth2 sign-ins report here).
    pub auth: Arc<crate::auth::Health>,
}

impl Live {
    pub fn new(started: Instant) -> Live {
        let live = Live::default();
        live.started.store(started.timestamp(), Ordering::Relaxed);
        live
    }

    /// The mailbox connection was made again after it was lost or failed.
    pub fn count_reconnect(&self) {
        self.imap_reconnects.fetch_add(1, Ordering::Relaxed);
    }

    /// A connection attempt to the mailbox failed.
    pub fn count_connect_failure(&self) {
        self.imap_connect_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// The mailbox was read up to date at `at`.
    pub fn synced(&self, at: Instant) {
        self.last_sync.store(at.timestamp(), Ordering::Relaxed);
    }

    pub fn last_sync(&self) -> Option<Instant> {
        match self.last_sync.load(Ordering::Relaxed) {
            0 => None,
            secs => chrono::DateTime::from_timestamp(secs, 0),
        }
    }
}

/// Everything one scrape reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Messages handled, by kind (`coverage_request`, `offer`, ...).
    pub handled_by_kind: Vec<(String, i64)>,
    /// Mail sent, by X-Shiftcover-Kind (`ack`, `second-call`, ...).
    pub sent_by_kind: Vec<(String, i64)>,
    pub outbox_pending: i64,
    pub outbox_failed: i64,
    pub edits_pending: i64,
    pub edits_failed: i64,
    pub open_requests: i64,
    pub imap_reconnects: u64,
    pub imap_connect_failures: u64,
    pub last_sync: Option<Instant>,
    pub started: Option<Instant>,
    /// Per server ("imap", "smtp"): signed in lately (1) or failing (0),
    /// and the failures counted since start. Never a secret or a token.
    pub auth: Vec<(String, bool, u64)>,
}

/// Reads the figures from the store and the daemon's counters.
pub async fn snapshot(store: &Store, live: &Live) -> Result<Snapshot, StoreError> {
    Ok(Snapshot {
        handled_by_kind: store.counts_by_kind().await?,
        sent_by_kind: store.sent_counts_by_kind().await?,
        outbox_pending: store.mail_count(DeliveryState::Pending).await?,
        outbox_failed: store.mail_count(DeliveryState::Failed).await?,
        edits_pending: store.edit_count(DeliveryState::Pending).await?,
        edits_failed: store.edit_count(DeliveryState::Failed).await?,
        open_requests: store.request_count_open().await?,
        imap_reconnects: live.imap_reconnects.load(Ordering::Relaxed),
        imap_connect_failures: live.imap_connect_failures.load(Ordering::Relaxed),
        last_sync: live.last_sync(),
        started: match live.started.load(Ordering::Relaxed) {
            0 => None,
            secs => chrono::DateTime::from_timestamp(secs, 0),
        },
        auth: live
            .auth
            .snapshot()
            .into_iter()
            .filter(|(_, h)| h.ok.is_some())
            .map(|(server, h)| (server.to_string(), h.ok == Some(true), h.failures))
            .collect(),
    })
}

/// A label value with Prometheus's escapes (backslash, quote, newline).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// The snapshot in Prometheus text exposition format (version 0.0.4), as of
/// `now`.
pub fn render(s: &Snapshot, now: Instant) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "shiftcover_messages_handled_total",
        "counter",
        "Messages read from the list, by kind.",
    );
    for (kind, n) in &s.handled_by_kind {
        let _ = writeln!(
            out,
            "shiftcover_messages_handled_total{{kind=\"{}\"}} {n}",
            label(kind)
        );
    }
    family(
        &mut out,
        "shiftcover_mail_sent_total",
        "counter",
        "Mail sent, by X-Shiftcover-Kind.",
    );
    for (kind, n) in &s.sent_by_kind {
        let _ = writeln!(
            out,
            "shiftcover_mail_sent_total{{kind=\"{}\"}} {n}",
            label(kind)
        );
    }
    family(
        &mut out,
        "shiftcover_outbox_mail",
        "gauge",
        "Mail in the outbox not yet sent: pending (will be retried) or failed (given up).",
    );
    let _ = writeln!(
        out,
        "shiftcover_outbox_mail{{state=\"pending\"}} {}",
        s.outbox_pending
    );
    let _ = writeln!(
        out,
        "shiftcover_outbox_mail{{state=\"failed\"}} {}",
        s.outbox_failed
    );
    family(
        &mut out,
        "shiftcover_calendar_edits",
        "gauge",
        "Calendar edits not yet applied: pending (will be retried) or failed (given up).",
    );
    let _ = writeln!(
        out,
        "shiftcover_calendar_edits{{state=\"pending\"}} {}",
        s.edits_pending
    );
    let _ = writeln!(
        out,
        "shiftcover_calendar_edits{{state=\"failed\"}} {}",
        s.edits_failed
    );
    family(
        &mut out,
        "shiftcover_open_requests",
        "gauge",
        "Coverage requests and sick notices still open.",
    );
    let _ = writeln!(out, "shiftcover_open_requests {}", s.open_requests);
    family(
        &mut out,
        "shiftcover_imap_reconnects_total",
        "counter",
        "Times the mailbox connection was made again after it was lost.",
    );
    let _ = writeln!(
        out,
        "shiftcover_imap_reconnects_total {}",
        s.imap_reconnects
    );
    family(
        &mut out,
        "shiftcover_imap_connect_failures_total",
        "counter",
        "Connection attempts to the mailbox that failed.",
    );
    let _ = writeln!(
        out,
        "shiftcover_imap_connect_failures_total {}",
        s.imap_connect_failures
    );
    if !s.auth.is_empty() {
        family(
            &mut out,
            "shiftcover_auth_ok",
            "gauge",
            "1 when the last OAuth2 sign-in to the server worked, 0 when it failed.",
        );
        for (server, ok, _) in &s.auth {
            let _ = writeln!(
                out,
                "shiftcover_auth_ok{{server=\"{}\"}} {}",
                label(server),
                u8::from(*ok)
            );
        }
        family(
            &mut out,
            "shiftcover_auth_failures_total",
            "counter",
            "Failed OAuth2 sign-ins (no token, or the token refused), by server.",
        );
        for (server, _, n) in &s.auth {
            let _ = writeln!(
                out,
                "shiftcover_auth_failures_total{{server=\"{}\"}} {n}",
                label(server)
            );
        }
    }
    // Before the first sync there is no age: the series is left out, and
    // an alert on absent() or on the timestamp catches a daemon stuck there.
    family(
        &mut out,
        "shiftcover_last_sync_timestamp_seconds",
        "gauge",
        "When the mailbox was last read up to date (Unix time; 0 before the first sync).",
    );
    let _ = writeln!(
        out,
        "shiftcover_last_sync_timestamp_seconds {}",
        s.last_sync.map(|t| t.timestamp()).unwrap_or(0)
    );
    if let Some(at) = s.last_sync {
        family(
            &mut out,
            "shiftcover_sync_age_seconds",
            "gauge",
            "Seconds since the mailbox was last read up to date.",
        );
        let age = (now - at).num_seconds().max(0);
        let _ = writeln!(out, "shiftcover_sync_age_seconds {age}");
    }
    if let Some(at) = s.started {
        family(
            &mut out,
            "shiftcover_start_time_seconds",
            "gauge",
            "When the daemon started (Unix time).",
        );
        let _ = writeln!(out, "shiftcover_start_time_seconds {}", at.timestamp());
    }
    family(
        &mut out,
        "shiftcover_role",
        "gauge",
        "This instance's part: leader or standby on PostgreSQL, single on SQLite.",
    );
    let _ = writeln!(
        out,
        "shiftcover_role{{role=\"{}\"}} 1",
        crate::leader::role().as_str()
    );
    out
}

/// What a request head asks for, as far as this server cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Metrics,
    NotFound,
    MethodNotAllowed,
    BadRequest,
}

/// Reads the request line: `GET /metrics` (a query string is ignored) is
/// the only thing served.
pub fn route(head: &[u8]) -> Route {
    let text = String::from_utf8_lossy(head);
    let line = text.lines().next().unwrap_or("");
    let mut parts = line.split_ascii_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Route::BadRequest;
    };
    if !version.starts_with("HTTP/1.") {
        return Route::BadRequest;
    }
    if method != "GET" && method != "HEAD" {
        return Route::MethodNotAllowed;
    }
    let path = target.split('?').next().unwrap_or("");
    if path == "/metrics" {
        Route::Metrics
    } else {
        Route::NotFound
    }
}

fn response(status: &str, content_type: &str, body: &str, head_only: bool) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if status.starts_with("405") {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(body.as_bytes());
    }
    bytes
}

/// Binds the endpoint. A non-loopback address is allowed (the operator
/// asked for it) but logged: the figures have no password.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    if !addr.ip().is_loopback() {
        warn!(
            %addr,
            "metrics.listen is not a loopback address: anyone who can reach it can read the figures"
        );
    }
    TcpListener::bind(addr).await
}

/// Serves /metrics on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, store: Store, live: Arc<Live>) {
    serve_source(listener, Arc::new(Source::One(store, live))).await
}

/// One desk of several, as `/metrics` reads it.
#[derive(Clone)]
pub struct DeskSource {
    pub name: String,
    /// The desk's own part of the database.
    pub store: Store,
    pub live: Arc<Live>,
    /// Its loop is running (false while it waits to start again).
    pub up: Arc<AtomicBool>,
}

/// Serves /metrics for several desks: every desk's series labelled
/// `desk="..."`, the process's own (role, start time) once.
pub async fn serve_desks(listener: TcpListener, desks: Vec<DeskSource>) {
    serve_source(listener, Arc::new(Source::Desks(desks))).await
}

/// Where a scrape's figures come from.
enum Source {
    One(Store, Arc<Live>),
    Desks(Vec<DeskSource>),
}

impl Source {
    async fn scrape(&self, now: Instant) -> Result<String, StoreError> {
        match self {
            Source::One(store, live) => Ok(render(&snapshot(store, live).await?, now)),
            Source::Desks(desks) => {
                let mut figures = Vec::with_capacity(desks.len());
                for d in desks {
                    figures.push((
                        d.name.clone(),
                        d.up.load(Ordering::Relaxed),
                        snapshot(&d.store, &d.live).await?,
                    ));
                }
                Ok(render_desks(&figures, now))
            }
        }
    }
}

/// The series that describe the process, not a desk: written once.
const PROCESS_FAMILIES: &[&str] = &["shiftcover_role", "shiftcover_start_time_seconds"];

/// Several desks' snapshots in one exposition: each family declared once,
/// each desk's samples labelled `desk="name"`, plus `shiftcover_desk_up`.
/// Built from [`render`]'s text, so a family added there is labelled here
/// too.
pub fn render_desks(desks: &[(String, bool, Snapshot)], now: Instant) -> String {
    // Each family: its name, its HELP and TYPE lines, its samples; in
    // first-seen order.
    let mut families: Vec<(String, String, Vec<String>)> = Vec::new();
    fn add_family(families: &mut Vec<(String, String, Vec<String>)>, name: &str, header: String) {
        if !families.iter().any(|(n, _, _)| n == name) {
            families.push((name.to_string(), header, Vec::new()));
        }
    }
    fn samples<'a>(
        families: &'a mut [(String, String, Vec<String>)],
        name: &str,
    ) -> Option<&'a mut Vec<String>> {
        families
            .iter_mut()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, s)| s)
    }
    let up_name = "shiftcover_desk_up";
    let mut up_header = String::new();
    family(
        &mut up_header,
        up_name,
        "gauge",
        "1 while the desk's loop runs, 0 while it waits to start again (its calendar or database unreadable).",
    );
    add_family(&mut families, up_name, up_header);
    for (i, (desk, up, snapshot)) in desks.iter().enumerate() {
        let text = render(snapshot, now);
        let mut header = String::new();
        for line in text.lines() {
            if line.starts_with("# HELP ") {
                header = format!("{line}\n");
            } else if let Some(rest) = line.strip_prefix("# TYPE ") {
                header.push_str(line);
                header.push('\n');
                let name = rest.split_whitespace().next().unwrap_or("");
                add_family(&mut families, name, std::mem::take(&mut header));
            } else if !line.is_empty() {
                let end = line.find(['{', ' ']).unwrap_or(line.len());
                let name = &line[..end];
                let process = PROCESS_FAMILIES.contains(&name);
                if process && i > 0 {
                    continue;
                }
                let sample = if process {
                    line.to_string()
                } else {
                    with_desk_label(line, end, desk)
                };
                if let Some(list) = samples(&mut families, name) {
                    list.push(sample);
                }
            }
        }
        if let Some(list) = samples(&mut families, up_name) {
            list.push(format!(
                "{up_name}{{desk=\"{}\"}} {}",
                label(desk),
                u8::from(*up)
            ));
        }
    }
    let mut out = String::new();
    for (_, header, list) in &families {
        out.push_str(header);
        for s in list {
            out.push_str(s);
            out.push('\n');
        }
    }
    out
}

/// A sample line with `desk="..."` as its first label; `end` is where the
/// metric name ends.
fn with_desk_label(line: &str, end: usize, desk: &str) -> String {
    let (name, rest) = line.split_at(end);
    let desk = format!("desk=\"{}\"", label(desk));
    match rest.strip_prefix('{') {
        Some(labels) => format!("{name}{{{desk},{labels}"),
        None => format!("{name}{{{desk}}}{rest}"),
    }
}

async fn serve_source(listener: TcpListener, source: Arc<Source>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors and the like: wait, do not spin.
                warn!(error = %e, "metrics: accept failed");
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
        };
        let source = source.clone();
        tokio::spawn(async move {
            let answered = tokio::time::timeout(CLIENT_TIMEOUT * 2, answer(stream, &source)).await;
            if !matches!(answered, Ok(Ok(()))) {
                debug!(%peer, "metrics: a client went away or was too slow");
            }
        });
    }
}

/// One connection: read the head, answer, close.
async fn answer(mut stream: TcpStream, source: &Source) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 1024];
    loop {
        let n = tokio::time::timeout(CLIENT_TIMEOUT, stream.read(&mut buf))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n")
            || head.windows(2).any(|w| w == b"\n\n")
            || head.len() > MAX_REQUEST
        {
            break;
        }
    }
    let head_only = head.starts_with(b"HEAD ");
    let reply = match route(&head) {
        Route::Metrics => match source.scrape(crate::clock::now()).await {
            Ok(body) => response(
                "200 OK",
                "text/plain; version=0.0.4; charset=utf-8",
                &body,
                head_only,
            ),
            Err(e) => {
                warn!(error = %e, "metrics: reading the store failed");
                response(
                    "503 Service Unavailable",
                    "text/plain; charset=utf-8",
                    "the database cannot be read just now\n",
                    head_only,
                )
            }
        },
        Route::NotFound => response(
            "404 Not Found",
            "text/plain; charset=utf-8",
            "only /metrics is served here\n",
            head_only,
        ),
        Route::MethodNotAllowed => response(
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            "only GET\n",
            head_only,
        ),
        Route::BadRequest => response(
            "400 Bad Request",
            "text/plain; charset=utf-8",
            "not an HTTP/1 request\n",
            false,
        ),
    };
    tokio::time::timeout(CLIENT_TIMEOUT, stream.write_all(&reply))
        .await
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
    let _ = stream.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> Instant {
        chrono::Utc
            .with_ymd_and_hms(2026, 12, 8, h, m, s)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn several_desks_share_each_family_and_label_every_sample_with_the_desk() {
        let chat = Snapshot {
            handled_by_kind: vec![("sick".into(), 1)],
            open_requests: 2,
            last_sync: Some(at(14, 0, 0)),
            started: Some(at(9, 0, 0)),
            ..Snapshot::default()
        };
        let research = Snapshot {
            handled_by_kind: vec![("coverage_request".into(), 3)],
            open_requests: 0,
            started: Some(at(9, 0, 0)),
            ..Snapshot::default()
        };
        let text = render_desks(
            &[
                ("chat".into(), true, chat),
                ("re\"search".into(), false, research),
            ],
            at(14, 1, 0),
        );
        for line in [
            "shiftcover_desk_up{desk=\"chat\"} 1",
            "shiftcover_desk_up{desk=\"re\\\"search\"} 0",
            "shiftcover_messages_handled_total{desk=\"chat\",kind=\"sick\"} 1",
            "shiftcover_messages_handled_total{desk=\"re\\\"search\",kind=\"coverage_request\"} 3",
            "shiftcover_open_requests{desk=\"chat\"} 2",
            "shiftcover_open_requests{desk=\"re\\\"search\"} 0",
            "shiftcover_outbox_mail{desk=\"chat\",state=\"pending\"} 0",
            "shiftcover_sync_age_seconds{desk=\"chat\"} 60",
            "shiftcover_start_time_seconds ",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
        // Each family is declared once, the process's own series appear once
        // and unlabelled, and a family's samples follow its declaration.
        for family in [
            "shiftcover_open_requests",
            "shiftcover_desk_up",
            "shiftcover_role",
            "shiftcover_messages_handled_total",
        ] {
            assert_eq!(
                text.matches(&format!("# TYPE {family} ")).count(),
                1,
                "{family}"
            );
        }
        assert_eq!(text.matches("shiftcover_role{role=").count(), 1);
        assert!(!text.contains("shiftcover_role{desk="));
        let declared = text.find("# TYPE shiftcover_open_requests").unwrap();
        let sample = text.find("shiftcover_open_requests{desk=\"re").unwrap();
        let next = text
            .find("# TYPE shiftcover_imap_reconnects_total")
            .unwrap();
        assert!(declared < sample && sample < next, "{text}");
    }

    #[test]
    fn every_family_is_declared_once_and_values_are_labelled_by_kind() {
        let s = Snapshot {
            handled_by_kind: vec![("coverage_request".into(), 4), ("offer".into(), 2)],
            sent_by_kind: vec![("ack".into(), 4), ("second-call".into(), 1)],
            outbox_pending: 1,
            outbox_failed: 2,
            edits_pending: 0,
            edits_failed: 3,
            open_requests: 5,
            imap_reconnects: 7,
            imap_connect_failures: 9,
            last_sync: Some(at(14, 0, 0)),
            started: Some(at(9, 0, 0)),
            auth: vec![("imap".into(), true, 0), ("smtp".into(), false, 3)],
        };
        let text = render(&s, at(14, 1, 30));
        for line in [
            "shiftcover_messages_handled_total{kind=\"coverage_request\"} 4",
            "shiftcover_messages_handled_total{kind=\"offer\"} 2",
            "shiftcover_mail_sent_total{kind=\"second-call\"} 1",
            "shiftcover_outbox_mail{state=\"pending\"} 1",
            "shiftcover_outbox_mail{state=\"failed\"} 2",
            "shiftcover_calendar_edits{state=\"failed\"} 3",
            "shiftcover_open_requests 5",
            "shiftcover_imap_reconnects_total 7",
            "shiftcover_imap_connect_failures_total 9",
            "shiftcover_sync_age_seconds 90",
            "shiftcover_auth_ok{server=\"imap\"} 1",
            "shiftcover_auth_ok{server=\"smtp\"} 0",
            "shiftcover_auth_failures_total{server=\"smtp\"} 3",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
        }
        // Each TYPE line once, and every sample belongs to a declared family.
        let types: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE "))
            .filter_map(|l| l.split(' ').next())
            .collect();
        let mut unique = types.clone();
        unique.dedup();
        assert_eq!(types, unique);
        for sample in text.lines().filter(|l| !l.starts_with('#')) {
            let name = sample.split(['{', ' ']).next().unwrap_or("");
            assert!(types.contains(&name), "{sample:?} has no TYPE");
        }
    }

    #[test]
    fn before_the_first_sync_there_is_no_age_and_the_timestamp_is_zero() {
        let text = render(&Snapshot::default(), at(14, 0, 0));
        assert!(!text.contains("shiftcover_sync_age_seconds"));
        assert!(
            text.lines()
                .any(|l| l == "shiftcover_last_sync_timestamp_seconds 0")
        );
    }

    #[test]
    fn label_values_are_escaped() {
        let s = Snapshot {
            handled_by_kind: vec![("we\"ird\\kind\n".into(), 1)],
            ..Snapshot::default()
        };
        let text = render(&s, at(0, 0, 0));
        assert!(text.contains(r#"{kind="we\"ird\\kind\n"} 1"#), "{text}");
    }

    #[test]
    fn only_get_metrics_is_served() {
        assert_eq!(
            route(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"),
            Route::Metrics
        );
        assert_eq!(route(b"GET /metrics?x=1 HTTP/1.0\r\n\r\n"), Route::Metrics);
        assert_eq!(route(b"GET / HTTP/1.1\r\n\r\n"), Route::NotFound);
        assert_eq!(
            route(b"POST /metrics HTTP/1.1\r\n\r\n"),
            Route::MethodNotAllowed
        );
        assert_eq!(route(b"\x16\x03\x01garbage"), Route::BadRequest);
        assert_eq!(route(b""), Route::BadRequest);
    }

    #[tokio::test]
    async fn a_scrape_over_tcp_reads_the_store_and_other_paths_get_404() {
        let store = Store::open("sqlite::memory:").await.expect("store");
        let live = Arc::new(Live::new(at(9, 0, 0)));
        live.count_reconnect();
        live.synced(crate::clock::now());
        let listener = bind("127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(serve(listener, store, live));

        async fn get(addr: SocketAddr, path: &str) -> String {
            let mut s = TcpStream::connect(addr).await.expect("connect");
            s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
                .await
                .expect("write");
            let mut out = String::new();
            s.read_to_string(&mut out).await.expect("read");
            out
        }
        let ok = get(addr, "/metrics").await;
        assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
        assert!(ok.contains("Content-Type: text/plain; version=0.0.4"));
        assert!(ok.contains("\nshiftcover_open_requests 0\n"), "{ok}");
        assert!(
            ok.contains("\nshiftcover_imap_reconnects_total 1\n"),
            "{ok}"
        );
        assert!(ok.contains("\nshiftcover_sync_age_seconds "), "{ok}");
        let missing = get(addr, "/").await;
        assert!(missing.starts_with("HTTP/1.1 404 "), "{missing}");
        server.abort();
    }

    #[tokio::test]
    async fn a_silent_client_does_not_block_the_next_scrape() {
        let store = Store::open("sqlite::memory:").await.expect("store");
        let live = Arc::new(Live::new(at(9, 0, 0)));
        let listener = bind("127.0.0.1:0".parse().expect("addr"))
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(serve(listener, store, live));
        // Connects and says nothing.
        let _silent = TcpStream::connect(addr).await.expect("connect");
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /metrics HTTP/1.0\r\n\r\n")
            .await
            .expect("write");
        let mut out = String::new();
        tokio::time::timeout(Duration::from_secs(2), s.read_to_string(&mut out))
            .await
            .expect("answered while another client was silent")
            .expect("read");
        assert!(out.starts_with("HTTP/1.1 200 OK"), "{out}");
        server.abort();
    }
}
