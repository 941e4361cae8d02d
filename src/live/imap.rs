//! The IMAP mailbox watcher: logs in, selects the list's folder, fetches new
//! messages by UID with `BODY.PEEK[]` (so the shared mailbox's \Seen flags
//! stay as staff left them), and waits for mail with IDLE, or by polling when
//! the server has no IDLE.
//!
//! Every command runs under a timeout of its own. IDLE runs under an absolute
//! timeout too: async-imap's IDLE timer is an inactivity timer that server
//! keep-alives reset (async-imap issue #96), so without one a connection
//! that keeps saying "still here" but never delivers would be watched
//! forever. A watcher whose command failed or timed out is broken; the
//! caller reconnects (see [`Backoff`]).

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::types::UnsolicitedResponse;
use async_imap::{Client, Session};
use futures::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls;

use crate::auth::{AuthError, BearerSource, Credential};
use crate::config::{Sasl, Server, Tls};

/// How long one ordinary command (login, select, search, done) may take.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting (TCP and TLS) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long fetching one batch of messages may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest one IDLE runs before it is re-issued (RFC 2177 asks for less
/// than 29 minutes).
pub const MAX_IDLE: Duration = Duration::from_secs(25 * 60);
/// How many messages one fetch brings at most, so a long catch-up is handled
/// and recorded in steps and never holds the whole mailbox in memory.
pub const FETCH_BATCH: usize = 500;

/// The limits every step runs under; [`Timeouts::default`] is what the
/// daemon uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub command: Duration,
    pub fetch: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: CONNECT_TIMEOUT,
            command: COMMAND_TIMEOUT,
            fetch: FETCH_TIMEOUT,
        }
    }
}

/// Why the watcher failed.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// The server refused the login: a person must fix the credentials.
    #[error("login as {user} refused: {message}")]
    Login { user: String, message: String },
    /// The folder does not exist or cannot be selected.
    #[error("cannot open folder {folder}: {message}")]
    Folder { folder: String, message: String },
    /// Connecting, TLS, or the connection dropped.
    #[error("{0}")]
    Connection(String),
    /// A command took longer than its timeout.
    #[error("{0} timed out after {1:?}")]
    Timeout(&'static str, Duration),
    /// The server answered a command with NO or BAD, or something unreadable.
    #[error("{0}")]
    Server(String),
    /// No OAuth2 token could be had for the sign-in.
    #[error("{0}")]
    Token(AuthError),
}

impl ImapError {
    /// A login or folder error will not go away by reconnecting soon.
    /// A refusal the server marks `[UNAVAILABLE]` (RFC 5530: its own
    /// authentication backend is down) is not the password's fault.
    pub fn needs_a_person(&self) -> bool {
        match self {
            ImapError::Login { message, .. } => !message.contains("[UNAVAILABLE]"),
            ImapError::Folder { .. } => true,
            ImapError::Token(e) => !e.is_transient(),
            _ => false,
        }
    }
}

/// The server's own words in a NO or BAD: async-imap hands them over as
/// `code: .., info: Some("...")`; the text inside is what the server said.
pub fn server_words(m: &str) -> String {
    let m = m.trim();
    if let Some(rest) = m.split("info: Some(\"").nth(1)
        && let Some(end) = rest.rfind("\")")
    {
        let code = m
            .strip_prefix("code: Some(")
            .and_then(|c| c.split(')').next())
            .map(|c| format!("[{}] ", c.trim_matches('"')))
            .unwrap_or_default();
        let info = &rest[..end];
        if info.starts_with('[') {
            return info.to_string();
        }
        return format!("{code}{info}");
    }
    m.to_string()
}

fn server_error(what: &str, e: async_imap::error::Error) -> ImapError {
    match e {
        async_imap::error::Error::Io(io) => ImapError::Connection(format!("{what}: {io}")),
        async_imap::error::Error::ConnectionLost => {
            ImapError::Connection(format!("{what}: connection lost"))
        }
        other => ImapError::Server(format!("{what}: {other}")),
    }
}

/// Runs `fut` under `limit`, naming the command when it takes too long.
async fn timed<T>(
    what: &'static str,
    limit: Duration,
    fut: impl Future<Output = Result<T, ImapError>>,
) -> Result<T, ImapError> {
    match timeout(limit, fut).await {
        Ok(r) => r,
        Err(_) => Err(ImapError::Timeout(what, limit)),
    }
}

/// A TCP connection, in the clear (loopback tests) or under TLS.
pub enum Connection {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Connection::Plain(_) => f.write_str("Connection::Plain"),
            Connection::Tls(_) => f.write_str("Connection::Tls"),
        }
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_flush(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Connection::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The TLS client settings: the public web roots, ring as the provider.
pub fn tls_connector() -> Result<TlsConnector, String> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS setup: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

async fn tls_wrap(host: &str, tcp: TcpStream, limit: Duration) -> Result<Connection, ImapError> {
    let connector = tls_connector().map_err(ImapError::Connection)?;
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| ImapError::Connection(format!("{host} is not a TLS server name: {e}")))?;
    let tls = timed("TLS handshake", limit, async {
        connector
            .connect(name, tcp)
            .await
            .map_err(|e| ImapError::Connection(format!("TLS with {host}: {e}")))
    })
    .await?;
    Ok(Connection::Tls(Box::new(tls)))
}

/// Connects and reads the greeting; upgrades with STARTTLS when asked.
async fn open_client(server: &Server, t: Timeouts) -> Result<Client<Connection>, ImapError> {
    let addr = format!("{}:{}", server.host, server.port);
    let tcp = timed("connect", t.connect, async {
        TcpStream::connect(&addr)
            .await
            .map_err(|e| ImapError::Connection(format!("connect to {addr}: {e}")))
    })
    .await?;
    // Small commands and IDLE's DONE must not wait for Nagle.
    tcp.set_nodelay(true).ok();
    let conn = match server.tls {
        Tls::Implicit => tls_wrap(&server.host, tcp, t.connect).await?,
        Tls::None | Tls::StartTls => Connection::Plain(tcp),
    };
    let mut client = Client::new(conn);
    let greeting = timed("greeting", t.command, async {
        client
            .read_response()
            .await
            .map_err(|e| ImapError::Connection(format!("reading the greeting from {addr}: {e}")))
    })
    .await?;
    if greeting.is_none() {
        return Err(ImapError::Connection(format!(
            "{addr} closed the connection before greeting"
        )));
    }
    if server.tls != Tls::StartTls {
        return Ok(client);
    }
    timed("STARTTLS", t.command, async {
        client
            .run_command_and_check_ok("STARTTLS", None)
            .await
            .map_err(|e| server_error("STARTTLS", e))
    })
    .await?;
    let tcp = match client.into_inner() {
        Connection::Plain(tcp) => tcp,
        Connection::Tls(_) => {
            return Err(ImapError::Connection("STARTTLS on a TLS connection".into()));
        }
    };
    // No greeting follows STARTTLS.
    Ok(Client::new(tls_wrap(&server.host, tcp, t.connect).await?))
}

/// What ended a wait for mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The server announced a change (new mail, most likely).
    Changed,
    /// The wait ran its time (or a poll interval passed).
    TimedOut,
}

/// What a login shows of the server, for `check` and the logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapInfo {
    pub idle: bool,
    pub uid_validity: u32,
    /// Messages in the folder when it was selected.
    pub exists: u32,
    pub uid_next: Option<u32>,
}

/// A logged-in connection with one folder selected.
pub struct ImapWatcher {
    /// None after IDLE or a command failed midway: the watcher is broken.
    session: Option<Session<Connection>>,
    server: Server,
    folder: String,
    info: ImapInfo,
    poll_interval: Duration,
    timeouts: Timeouts,
    /// When the OAuth2 session must be signed in again: Exchange drops an
    /// IMAP session whose token has lapsed.
    sign_in_again_at: Option<std::time::Instant>,
}

impl fmt::Debug for ImapWatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapWatcher")
            .field("host", &self.server.host)
            .field("port", &self.server.port)
            .field("folder", &self.folder)
            .field("info", &self.info)
            .finish()
    }
}

impl ImapWatcher {
    /// Connects, logs in (when the server config names a user), reads the
    /// capabilities and selects `folder`. The password is never logged.
    pub async fn connect(
        server: &Server,
        folder: &str,
        password: Option<&str>,
    ) -> Result<ImapWatcher, ImapError> {
        Self::connect_with(server, folder, password, Timeouts::default()).await
    }

    /// [`Self::connect`] with other limits (tests shorten them).
    pub async fn connect_with(
        server: &Server,
        folder: &str,
        password: Option<&str>,
        timeouts: Timeouts,
    ) -> Result<ImapWatcher, ImapError> {
        Self::connect_as(
            server,
            folder,
            &Credential::from_password(password),
            timeouts,
        )
        .await
    }

    /// Connects and signs in with `credential` (a password, an OAuth2
    /// token through XOAUTH2 or OAUTHBEARER, or no login), then reads the
    /// capabilities and selects `folder`. Secrets are never logged.
    pub async fn connect_as(
        server: &Server,
        folder: &str,
        credential: &Credential,
        timeouts: Timeouts,
    ) -> Result<ImapWatcher, ImapError> {
        let t = timeouts;
        let client = open_client(server, t).await?;
        let user = server.username.clone().unwrap_or_default();
        let mut sign_in_again_at = None;
        let mut session = match credential {
            Credential::Bearer { source, sasl } => {
                let signed_in = std::time::Instant::now();
                let session =
                    sign_in_with_token(client, server, &user, source.as_ref(), *sasl, t).await?;
                // Sign in again when nine tenths of the token's remaining
                // life have passed; the token is renewed by then.
                sign_in_again_at = source.valid_until().map(|until| {
                    signed_in + until.saturating_duration_since(signed_in).mul_f64(0.9)
                });
                session
            }
            Credential::Password(_) | Credential::None => {
                let password = match credential {
                    Credential::Password(p) => p.expose().to_string(),
                    _ => String::new(),
                };
                timed("login", t.command, async {
                    client
                        .login(&user, &password)
                        .await
                        .map_err(|(e, _)| match e {
                            async_imap::error::Error::No(m) | async_imap::error::Error::Bad(m) => {
                                ImapError::Login {
                                    user: user.clone(),
                                    message: m.trim().to_string(),
                                }
                            }
                            other => server_error("login", other),
                        })
                })
                .await?
            }
        };
        let caps = timed("CAPABILITY", t.command, async {
            session
                .capabilities()
                .await
                .map_err(|e| server_error("CAPABILITY", e))
        })
        .await?;
        let idle = caps.has_str("IDLE");
        let mailbox = timed("SELECT", t.command, async {
            session.select(folder).await.map_err(|e| match e {
                async_imap::error::Error::No(m) | async_imap::error::Error::Bad(m) => {
                    ImapError::Folder {
                        folder: folder.to_string(),
                        message: server_words(&m),
                    }
                }
                other => server_error("SELECT", other),
            })
        })
        .await?;
        let info = ImapInfo {
            idle,
            // A server that gives no UIDVALIDITY is treated as never
            // changing it.
            uid_validity: mailbox.uid_validity.unwrap_or(0),
            exists: mailbox.exists,
            uid_next: mailbox.uid_next,
        };
        drain_unsolicited(&mut session);
        Ok(ImapWatcher {
            session: Some(session),
            server: server.clone(),
            folder: folder.to_string(),
            info,
            poll_interval: Duration::from_secs(60),
            timeouts,
            sign_in_again_at,
        })
    }

    /// When this session must be replaced by one signed in with a fresh
    /// token; None for a password login.
    pub fn sign_in_again_at(&self) -> Option<std::time::Instant> {
        self.sign_in_again_at
    }

    /// How often to look for mail when the server has no IDLE.
    pub fn set_poll_interval(&mut self, every: Duration) {
        self.poll_interval = every.max(Duration::from_secs(1));
    }

    pub fn info(&self) -> &ImapInfo {
        &self.info
    }

    pub fn uid_validity(&self) -> u32 {
        self.info.uid_validity
    }

    pub fn folder(&self) -> &str {
        &self.folder
    }

    /// False once a command failed midway; reconnect then.
    pub fn is_usable(&self) -> bool {
        self.session.is_some()
    }

    fn session(&mut self) -> Result<&mut Session<Connection>, ImapError> {
        self.session
            .as_mut()
            .ok_or_else(|| ImapError::Connection("the connection was lost earlier".into()))
    }

    /// The UIDs above `after_uid`, ascending.
    pub async fn new_uids(&mut self, after_uid: u32) -> Result<Vec<u32>, ImapError> {
        let from = after_uid.saturating_add(1);
        let limit = self.timeouts.command;
        let session = self.session()?;
        let result = timed("UID SEARCH", limit, async {
            session
                .uid_search(format!("UID {from}:*"))
                .await
                .map_err(|e| server_error("UID SEARCH", e))
        })
        .await;
        let found = self.keep_if_ok(result)?;
        // "n:*" also matches the highest UID when it is below n.
        let mut uids: Vec<u32> = found.into_iter().filter(|u| *u > after_uid).collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Whether a message with this Message-ID is in the folder (`UID SEARCH
    /// HEADER Message-ID`): how a sent mail's echo is found.
    pub async fn has_message_id(&mut self, message_id: &str) -> Result<bool, ImapError> {
        // A quoted string: backslashes and quotes escaped, nothing else to fear.
        let quoted = message_id.replace('\\', "\\\\").replace('"', "\\\"");
        let limit = self.timeouts.command;
        let session = self.session()?;
        let result = timed("UID SEARCH HEADER", limit, async {
            session
                .uid_search(format!("HEADER Message-ID \"{quoted}\""))
                .await
                .map_err(|e| server_error("UID SEARCH HEADER", e))
        })
        .await;
        Ok(!self.keep_if_ok(result)?.is_empty())
    }

    /// The messages with these UIDs, ascending by UID, as raw bytes. Fetched
    /// with BODY.PEEK[] so no \Seen flag is set.
    pub async fn fetch_uids(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uid_set(uids);
        let limit = self.timeouts.fetch;
        let session = self.session()?;
        let result = timed("UID FETCH", limit, async {
            let stream = session
                .uid_fetch(&set, "(UID BODY.PEEK[])")
                .await
                .map_err(|e| server_error("UID FETCH", e))?;
            let fetches: Vec<_> = stream
                .try_collect()
                .await
                .map_err(|e| server_error("UID FETCH", e))?;
            Ok(fetches)
        })
        .await;
        let fetches = self.keep_if_ok(result)?;
        let mut out: Vec<(u32, Vec<u8>)> = fetches
            .iter()
            .filter_map(|f| Some((f.uid?, f.body()?.to_vec())))
            .filter(|(uid, _)| uids.binary_search(uid).is_ok())
            .collect();
        out.sort_by_key(|(uid, _)| *uid);
        out.dedup_by_key(|(uid, _)| *uid);
        Ok(out)
    }

    /// Up to `limit` messages above `after_uid`, oldest first.
    pub async fn fetch_new(
        &mut self,
        after_uid: u32,
        limit: usize,
    ) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        let uids = self.new_uids(after_uid).await?;
        let take = &uids[..uids.len().min(limit.max(1))];
        self.fetch_uids(take).await
    }

    /// Waits until the server reports a change or `max` passes (at most
    /// [`MAX_IDLE`]). Uses IDLE when the server has it, else sleeps for the
    /// poll interval. After an error the watcher is broken.
    pub async fn wait_for_mail(&mut self, max: Duration) -> Result<Wake, ImapError> {
        let max = max.min(MAX_IDLE);
        let limit = self.timeouts.command;
        let mut session = self
            .session
            .take()
            .ok_or_else(|| ImapError::Connection("the connection was lost earlier".into()))?;
        // A change the server told us during an earlier command will not be
        // repeated once IDLE starts.
        if drain_unsolicited(&mut session) {
            self.session = Some(session);
            return Ok(Wake::Changed);
        }
        if !self.info.idle {
            self.session = Some(session);
            tokio::time::sleep(max.min(self.poll_interval)).await;
            // A NOOP both keeps the connection alive and asks for news.
            let session = self.session()?;
            let result = timed("NOOP", limit, async {
                session.noop().await.map_err(|e| server_error("NOOP", e))
            })
            .await;
            self.keep_if_ok(result)?;
            let changed = match self.session.as_mut() {
                Some(s) => drain_unsolicited(s),
                None => false,
            };
            return Ok(if changed {
                Wake::Changed
            } else {
                Wake::TimedOut
            });
        }

        let mut handle = session.idle();
        timed("IDLE", limit, async {
            handle.init().await.map_err(|e| server_error("IDLE", e))
        })
        .await?;
        let outcome = {
            let (wait, _stop) = handle.wait_with_timeout(max);
            // The absolute limit: keep-alives reset the inner timer.
            match timeout(max + Duration::from_secs(1), wait).await {
                Ok(Ok(async_imap::extensions::idle::IdleResponse::NewData(_))) => Ok(Wake::Changed),
                Ok(Ok(_)) | Err(_) => Ok(Wake::TimedOut),
                Ok(Err(e)) => Err(server_error("IDLE", e)),
            }
        };
        let wake = outcome?;
        // A DONE the server never answers must not hang the daemon.
        let session = timed("DONE", limit, async {
            handle.done().await.map_err(|e| server_error("DONE", e))
        })
        .await?;
        self.session = Some(session);
        Ok(wake)
    }

    /// Checks the connection is alive with a NOOP.
    pub async fn noop(&mut self) -> Result<(), ImapError> {
        let limit = self.timeouts.command;
        let session = self.session()?;
        let result = timed("NOOP", limit, async {
            session.noop().await.map_err(|e| server_error("NOOP", e))
        })
        .await;
        self.keep_if_ok(result)
    }

    /// Logs out politely; errors are of no interest on the way out.
    pub async fn logout(mut self) {
        if let Some(mut s) = self.session.take() {
            let _ = timeout(Duration::from_secs(5), s.logout()).await;
        }
    }

    /// A failed or timed-out command leaves the protocol state unknown, so
    /// the session is dropped and the caller must reconnect.
    fn keep_if_ok<T>(&mut self, r: Result<T, ImapError>) -> Result<T, ImapError> {
        if r.is_err() {
            self.session = None;
        }
        r
    }
}

/// Answers the server's SASL exchange: the initial response first, then
/// the acknowledgement of an error challenge, whose text it keeps.
struct TokenAuthenticator {
    initial: Option<String>,
    sasl: Sasl,
    error: Option<String>,
}

impl async_imap::Authenticator for &mut TokenAuthenticator {
    type Response = Vec<u8>;

    fn process(&mut self, challenge: &[u8]) -> Vec<u8> {
        match self.initial.take() {
            Some(first) => first.into_bytes(),
            None => {
                self.error = Some(crate::auth::sasl::error_text(challenge));
                crate::auth::sasl::after_error(self.sasl)
                    .as_bytes()
                    .to_vec()
            }
        }
    }
}

/// AUTHENTICATE with a token; a refused token is forgotten and one fresh
/// token tried; a second refusal is a login error that needs a person.
async fn sign_in_with_token(
    mut client: Client<Connection>,
    server: &Server,
    user: &str,
    source: &dyn BearerSource,
    sasl: Sasl,
    t: Timeouts,
) -> Result<Session<Connection>, ImapError> {
    let mut refusal = String::new();
    for attempt in 0..2 {
        let token = source.bearer().await.map_err(ImapError::Token)?;
        let mut auth = TokenAuthenticator {
            initial: Some(crate::auth::sasl::initial_response(
                sasl,
                user,
                &token,
                &server.host,
                server.port,
            )),
            sasl,
            error: None,
        };
        let result = timeout(t.command, client.authenticate(sasl.name(), &mut auth)).await;
        match result {
            Err(_) => return Err(ImapError::Timeout("AUTHENTICATE", t.command)),
            Ok(Ok(session)) => return Ok(session),
            Ok(Err((e, back))) => match e {
                async_imap::error::Error::No(m) | async_imap::error::Error::Bad(m) => {
                    source.rejected();
                    refusal = match auth.error.take() {
                        Some(detail) if !detail.is_empty() => {
                            format!("{} ({detail})", server_words(&m))
                        }
                        _ => server_words(&m),
                    };
                    tracing::warn!(
                        user,
                        mechanism = sasl.name(),
                        attempt = attempt + 1,
                        answer = %refusal,
                        "the IMAP server refused the token"
                    );
                    client = back;
                }
                other => return Err(server_error("AUTHENTICATE", other)),
            },
        }
    }
    Err(ImapError::Login {
        user: user.to_string(),
        message: format!("{} {refusal} (a fresh token was refused too)", sasl.name()),
    })
}

/// Empties the unsolicited-response queue; true when it announced new mail.
fn drain_unsolicited(session: &mut Session<Connection>) -> bool {
    let mut changed = false;
    while let Ok(r) = session.unsolicited_responses.try_recv() {
        if matches!(
            r,
            UnsolicitedResponse::Exists(_) | UnsolicitedResponse::Recent(_)
        ) {
            changed = true;
        }
    }
    changed
}

/// An IMAP sequence set for ascending UIDs, runs folded: "1:5,7,9:12".
pub fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end.saturating_add(1) {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// How long the daemon waits before trying again a login or folder the
/// server refused: retrying sooner cannot help (the password or the folder
/// name needs a person) and only fills the server's log, or trips its
/// brute-force lockout. A reload (SIGHUP, after the fix) tries at once.
pub const NEEDS_A_PERSON_RETRY: Duration = Duration::from_secs(3600);

/// After a failed connection: counts the failure in `backoff`, logs it, and
/// returns how long to wait and the words for the service's status. A
/// refused login or folder is said once as an error that needs a person and
/// is tried again only after [`NEEDS_A_PERSON_RETRY`] or a reload; anything
/// else backs off as usual.
pub fn after_failed_connect(
    error: &ImapError,
    backoff: &mut Backoff,
    random: u64,
) -> (Duration, String) {
    let usual = backoff.next_delay(random);
    if error.needs_a_person() {
        tracing::error!(
            error = %error,
            retry_in = ?NEEDS_A_PERSON_RETRY,
            "the mailbox refused us and needs a person: fix the password file (or the folder) in the configuration, then reload (systemctl reload shiftcover)"
        );
        let words = format!("{error}; needs a person: fix it, then reload");
        (NEEDS_A_PERSON_RETRY, words)
    } else {
        tracing::warn!(error = %error, retry_in = ?usual, "cannot reach the mailbox");
        (usual, error.to_string())
    }
}

/// Exponential backoff with jitter between reconnection attempts: 1 s,
/// 2 s, 4 s ... up to a ceiling, each stretched by up to a quarter at random
/// so many clients do not come back in step.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    ceiling: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(base: Duration, ceiling: Duration) -> Backoff {
        Backoff {
            base,
            ceiling,
            failures: 0,
        }
    }

    /// The wait before the next attempt, given a random number (any u64)
    /// for the jitter.
    pub fn next_delay(&mut self, random: u64) -> Duration {
        let exp = self.failures.min(20);
        self.failures = self.failures.saturating_add(1);
        let plain = self
            .base
            .saturating_mul(1u32 << exp.min(31))
            .min(self.ceiling);
        let quarter = plain.as_millis() as u64 / 4;
        let jitter = if quarter == 0 { 0 } else { random % quarter };
        plain + Duration::from_millis(jitter)
    }

    /// Forget the failures after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_as_the_servers_words() {
        assert_eq!(
            server_words(
                r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#
            ),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        assert_eq!(
            server_words(" AUTHENTICATE failed. "),
            "AUTHENTICATE failed."
        );
    }

    #[test]
    fn uid_sets_fold_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(uid_set(&[42]), "42");
        assert_eq!(uid_set(&[]), "");
        assert_eq!(
            uid_set(&[u32::MAX - 1, u32::MAX]),
            format!("{}:{}", u32::MAX - 1, u32::MAX)
        );
    }

    #[test]
    fn a_refused_login_waits_for_a_person_and_a_dropped_connection_backs_off() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let refused = ImapError::Login {
            user: "coverage@example.edu".into(),
            message: "[AUTHENTICATIONFAILED] Authentication failed.".into(),
        };
        let (wait, words) = after_failed_connect(&refused, &mut b, 0);
        assert_eq!(wait, NEEDS_A_PERSON_RETRY);
        assert!(words.contains("needs a person"), "{words}");
        // The failure still counts, so deadlines fire while the mailbox is
        // out of reach.
        assert_eq!(b.failures(), 1);
        let unavailable = ImapError::Login {
            user: "coverage@example.edu".into(),
            message: "[UNAVAILABLE] Temporary authentication failure.".into(),
        };
        assert!(!unavailable.needs_a_person());
        let dropped = ImapError::Connection("connection refused".into());
        let (wait, words) = after_failed_connect(&dropped, &mut b, 0);
        assert_eq!(wait, Duration::from_secs(2));
        assert_eq!(words, "connection refused");
    }

    #[test]
    fn backoff_doubles_up_to_the_ceiling_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
        let delays: Vec<u64> = (0..8).map(|_| b.next_delay(0).as_secs()).collect();
        assert_eq!(delays, vec![1, 2, 4, 8, 16, 32, 60, 60]);
        b.reset();
        assert_eq!(b.next_delay(0), Duration::from_secs(1));
    }

    #[test]
    fn backoff_jitter_stays_within_a_quarter() {
        let mut b = Backoff::new(Duration::from_secs(4), Duration::from_secs(60));
        let d = b.next_delay(u64::MAX);
        assert!(
            d >= Duration::from_secs(4) && d < Duration::from_secs(5),
            "{d:?}"
        );
    }
}

/// A scripted IMAP server on loopback, for the timeouts no real server can
/// be made to show on demand.
#[cfg(test)]
mod fake_server_tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// Accepts one connection; in IDLE it says "still here" every 100 ms;
    /// answers DONE unless `stall_done`.
    async fn fake_imap(stall_done: bool) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let (r, mut w) = sock.into_split();
            let mut lines = BufReader::new(r).lines();
            w.write_all(b"* OK fake ready\r\n").await.ok();
            let mut idle_tag: Option<String> = None;
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tokio::select! {
                    line = lines.next_line() => {
                        let Ok(Some(line)) = line else { return };
                        let mut words = line.split_whitespace();
                        let tag = words.next().unwrap_or("").to_string();
                        let cmd = words.next().unwrap_or("").to_ascii_uppercase();
                        let reply = match (tag.as_str(), cmd.as_str()) {
                            ("DONE", _) => {
                                if stall_done {
                                    idle_tag = None;
                                    // Keep the socket open and say nothing.
                                    String::new()
                                } else {
                                    let t = idle_tag.take().unwrap_or_default();
                                    format!("{t} OK idle done\r\n")
                                }
                            }
                            (_, "LOGIN") => format!("{tag} OK logged in\r\n"),
                            (_, "CAPABILITY") => format!("* CAPABILITY IMAP4rev1 IDLE\r\n{tag} OK\r\n"),
                            (_, "SELECT") => format!(
                                "* 0 EXISTS\r\n* OK [UIDVALIDITY 7] v\r\n* OK [UIDNEXT 1] n\r\n{tag} OK [READ-WRITE] selected\r\n"
                            ),
                            (_, "IDLE") => {
                                idle_tag = Some(tag.clone());
                                "+ idling\r\n".to_string()
                            }
                            (_, "LOGOUT") => format!("* BYE\r\n{tag} OK\r\n"),
                            _ => format!("{tag} OK\r\n"),
                        };
                        if w.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    _ = tick.tick() => {
                        if idle_tag.is_some() && w.write_all(b"* OK Still here\r\n").await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
        port
    }

    fn server(port: u16) -> Server {
        Server {
            host: "127.0.0.1".into(),
            port,
            tls: Tls::None,
            username: Some("coverage@example.edu".into()),
            password_file: None,
        }
    }

    fn short() -> Timeouts {
        Timeouts {
            connect: Duration::from_secs(2),
            command: Duration::from_millis(700),
            fetch: Duration::from_secs(2),
        }
    }

    #[tokio::test]
    async fn keepalives_do_not_stretch_an_idle_past_its_limit() {
        let port = fake_imap(false).await;
        let mut w = ImapWatcher::connect_with(&server(port), "INBOX", Some("secret"), short())
            .await
            .unwrap();
        assert!(w.info().idle);
        assert_eq!(w.uid_validity(), 7);
        // The fake server sends keep-alives forever: without our own
        // absolute limit this wait would never end, so ending at all (well
        // inside the outer guard) with TimedOut is the behaviour under test.
        let wake = tokio::time::timeout(
            Duration::from_secs(60),
            w.wait_for_mail(Duration::from_millis(500)),
        )
        .await
        .expect("IDLE ended by its own limit, not the guard")
        .unwrap();
        assert_eq!(wake, Wake::TimedOut);
        assert!(w.is_usable(), "a clean DONE keeps the connection");
    }

    #[tokio::test]
    async fn a_done_the_server_never_answers_breaks_the_watcher_instead_of_hanging() {
        let port = fake_imap(true).await;
        let mut w = ImapWatcher::connect_with(&server(port), "INBOX", Some("secret"), short())
            .await
            .unwrap();
        let err = tokio::time::timeout(
            Duration::from_secs(60),
            w.wait_for_mail(Duration::from_millis(300)),
        )
        .await
        .expect("the DONE timeout fired, not the guard")
        .unwrap_err();
        assert!(matches!(err, ImapError::Timeout("DONE", _)), "{err}");
        assert!(!w.is_usable(), "the caller must reconnect");
    }
}
