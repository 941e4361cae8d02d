//! The SMTP sender: hands each recorded message to the configured relay as
//! it was rendered (lettre's `send_raw`), with the envelope from the outbox
//! record. TLS by rustls: implicit, STARTTLS (required, never opportunistic),
//! or none on loopback; AUTH when the config names a user.
//!
//! Each send runs under a timeout of its own, because lettre's timeout covers
//! only connecting (lettre issue #1027). 5xx answers are permanent failures;
//! 4xx answers, timeouts and dropped connections are worth trying again.
//!
//! For plain and STARTTLS connections the program opens the TCP socket
//! itself, with TCP_NODELAY, and hands it to lettre's connection: lettre
//! writes the message and its closing dot in two writes and then waits for
//! the reply, and with Nagle's algorithm on, that second small write waits
//! for the server's delayed ACK, about 40 ms on every message.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Tls as SmtpTls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{Address, AsyncSmtpTransport, Tokio1Executor, address::Envelope};

use base64::Engine as _;

use crate::auth::{AuthError, BearerSource, Credential, Health};
use crate::compose::OutgoingMail;
use crate::config::{Sasl, Server, Tls};
use crate::service::{SendError, Transport};

/// How long one whole send (connect, EHLO, AUTH, the message) may take.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long lettre may take to connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Sends through one SMTP relay.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    server: Server,
    credentials: Option<Credentials>,
    /// Some: sign in with an OAuth2 token instead of a password.
    bearer: Option<(std::sync::Arc<dyn BearerSource>, Sasl)>,
    /// Where sign-in outcomes are reported (the daemon's metrics).
    health: Option<std::sync::Arc<Health>>,
    /// While the sign-in fails: no mail is tried before then (see
    /// [`SmtpSender::may_send`]).
    probe_after: Option<std::time::Instant>,
    send_timeout: Duration,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSender")
            .field("host", &self.server.host)
            .field("port", &self.server.port)
            .field("tls", &self.server.tls)
            .field("username", &self.server.username)
            .finish()
    }
}

impl SmtpSender {
    /// Sets up the sender; nothing is connected until the first send. The
    /// password goes with the server's username, when it has one.
    pub fn new(server: &Server, password: Option<&str>) -> Result<SmtpSender, SendError> {
        let tls_params = || {
            TlsParameters::builder(server.host.clone())
                .build_rustls()
                .map_err(|e| SendError {
                    message: format!("TLS setup for {}: {e}", server.host),
                    transient: false,
                    ..SendError::default()
                })
        };
        let tls = match server.tls {
            Tls::None => SmtpTls::None,
            Tls::StartTls => SmtpTls::Required(tls_params()?),
            Tls::Implicit => SmtpTls::Wrapper(tls_params()?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .tls(tls)
            .timeout(Some(CONNECT_TIMEOUT));
        let credentials = server
            .username
            .as_ref()
            .map(|user| Credentials::new(user.clone(), password.unwrap_or("").to_string()));
        if let Some(c) = &credentials {
            builder = builder.credentials(c.clone());
        }
        Ok(SmtpSender {
            transport: builder.build(),
            server: server.clone(),
            credentials,
            bearer: None,
            health: None,
            probe_after: None,
            send_timeout: SEND_TIMEOUT,
        })
    }

    /// Sets up the sender for `credential`: a password as [`Self::new`]
    /// does, an OAuth2 token (XOAUTH2 or OAUTHBEARER), or no login.
    pub fn with_credential(
        server: &Server,
        credential: &Credential,
    ) -> Result<SmtpSender, SendError> {
        let password = match credential {
            Credential::Password(p) => Some(p.expose().to_string()),
            _ => None,
        };
        let mut sender = SmtpSender::new(server, password.as_deref())?;
        if let Credential::Bearer { source, sasl } = credential {
            sender.credentials = None;
            sender.bearer = Some((source.clone(), *sasl));
        }
        Ok(sender)
    }

    /// Whether mail should be tried now. While the OAuth2 sign-in fails (the
    /// token endpoint down, a refused secret), each mail tried would count
    /// a failed attempt against it and could be given up although nothing
    /// is wrong with it; so the sign-in alone is probed (no mail), every 30
    /// seconds while the fault may pass and every 15 minutes while it needs
    /// a person, and the mail goes once it works.
    pub async fn may_send(&mut self) -> bool {
        let failing = self.bearer.is_some()
            && self.health.as_ref().is_some_and(|h| {
                h.snapshot()
                    .iter()
                    .any(|(server, s)| *server == "smtp" && s.ok == Some(false))
            });
        if !failing {
            return true;
        }
        let now = std::time::Instant::now();
        if self.probe_after.is_some_and(|at| now < at) {
            return false;
        }
        match self.check().await {
            Ok(()) => {
                self.probe_after = None;
                true
            }
            Err(_) => {
                let permanent = self.health.as_ref().is_some_and(|h| {
                    h.snapshot()
                        .iter()
                        .any(|(server, s)| *server == "smtp" && s.permanent)
                });
                let wait = if permanent {
                    crate::auth::token::PERMANENT_RETRY
                } else {
                    Duration::from_secs(30)
                };
                self.probe_after = Some(now + wait);
                false
            }
        }
    }

    /// Reports sign-in outcomes to `health` (shown in /metrics and STATUS=).
    pub fn reporting_to(mut self, health: std::sync::Arc<Health>) -> SmtpSender {
        self.health = Some(health);
        self
    }

    /// Shortens the per-send timeout (tests).
    pub fn with_send_timeout(mut self, limit: Duration) -> SmtpSender {
        self.send_timeout = limit;
        self
    }

    /// Connects, says EHLO, logs in when configured, and says NOOP: what
    /// `check` reports.
    pub async fn check(&self) -> Result<(), SendError> {
        if self.bearer.is_some() {
            let session = async {
                let mut conn = self.open_session().await?;
                let alive = conn.test_connected().await;
                conn.abort().await;
                if alive {
                    Ok(())
                } else {
                    Err(SendError {
                        message: "the server did not answer NOOP".into(),
                        transient: true,
                        ..SendError::default()
                    })
                }
            };
            return match tokio::time::timeout(self.send_timeout, session).await {
                Ok(r) => r,
                Err(_) => Err(SendError {
                    message: format!("no answer within {:?}", self.send_timeout),
                    transient: true,
                    ..SendError::default()
                }),
            };
        }
        match tokio::time::timeout(self.send_timeout, self.transport.test_connection()).await {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err(SendError {
                message: "the server did not answer NOOP".into(),
                transient: true,
                ..SendError::default()
            }),
            Ok(Err(e)) => Err(classify(&e)),
            Err(_) => Err(SendError {
                message: format!("no answer within {:?}", self.send_timeout),
                transient: true,
                ..SendError::default()
            }),
        }
    }

    /// Sends `raw` as-is from `from` to `to`.
    /// Sends `raw` as-is from `from` to `to`. The error says how far the
    /// session got: [`SendError::unreachable`] before the transaction began,
    /// [`SendError::maybe_accepted`] when it broke after the message's data
    /// was on its way without the server's answer.
    pub async fn send_raw(&self, from: &str, to: &[String], raw: &[u8]) -> Result<(), SendError> {
        let envelope = envelope(from, to)?;
        let phase = AtomicU8::new(CONNECTING);
        let result =
            tokio::time::timeout(self.send_timeout, self.session(&envelope, raw, &phase)).await;
        let reached = phase.load(Ordering::SeqCst);
        match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(SendError {
                message: format!(
                    "sending through {}:{} took longer than {:?}",
                    self.server.host, self.server.port, self.send_timeout
                ),
                transient: true,
                unreachable: reached == CONNECTING,
                maybe_accepted: reached == IN_TRANSACTION,
                ..SendError::default()
            }),
        }
    }
}

/// How far a session got, for what a failure means.
const CONNECTING: u8 = 0;
const IN_TRANSACTION: u8 = 1;

impl SmtpSender {
    /// One SMTP session on a connection of our own (with TCP_NODELAY for
    /// plain and STARTTLS): EHLO, STARTTLS when configured (required, never
    /// skipped), AUTH, the message, QUIT. `phase` says how far it got.
    async fn session(
        &self,
        envelope: &Envelope,
        raw: &[u8],
        phase: &AtomicU8,
    ) -> Result<(), SendError> {
        let mut conn = self.open_session().await.map_err(|mut e| {
            // Nothing about this message: the server is not taking sessions.
            // A refusal (5xx: a wrong password, no STARTTLS) will not pass
            // by itself; the mail still waits for a person to fix it.
            e.needs_a_person = !e.transient;
            e.unreachable = true;
            e.transient = true;
            e
        })?;
        phase.store(IN_TRANSACTION, Ordering::SeqCst);
        let result = conn.send(envelope, raw).await.map_err(|e| {
            let mut err = classify(&e);
            // Without a reply code the session broke somewhere between MAIL
            // and the answer to the data: it may have been accepted.
            err.maybe_accepted = e.status().is_none();
            err
        });
        // The message is accepted or refused by now; QUIT is a courtesy.
        conn.abort().await;
        result.map(|_| ())
    }

    /// Connects (implicit TLS by lettre's connection; plain and STARTTLS on a
    /// socket of our own with TCP_NODELAY), says EHLO, upgrades, and signs in.
    async fn open_session(&self) -> Result<AsyncSmtpConnection, SendError> {
        let host = self.server.host.as_str();
        if self.server.tls == Tls::Implicit {
            let params = TlsParameters::builder(host.to_string())
                .build_rustls()
                .map_err(|e| SendError {
                    message: format!("TLS setup for {host}: {e}"),
                    transient: false,
                    ..SendError::default()
                })?;
            let mut conn = AsyncSmtpConnection::connect_tokio1(
                (host, self.server.port),
                Some(CONNECT_TIMEOUT),
                &ClientId::default(),
                Some(params),
                None,
            )
            .await
            .map_err(|e| classify(&e))?;
            self.sign_in(&mut conn).await?;
            return Ok(conn);
        }
        let transient = |message: String| SendError {
            message,
            transient: true,
            ..SendError::default()
        };
        let tcp = tokio::time::timeout(
            CONNECT_TIMEOUT,
            tokio::net::TcpStream::connect((host, self.server.port)),
        )
        .await
        .map_err(|_| {
            transient(format!(
                "connecting to {host}:{} timed out",
                self.server.port
            ))
        })?
        .map_err(|e| transient(format!("connecting to {host}:{}: {e}", self.server.port)))?;
        // Best effort: without it mail still goes, only slower.
        let _ = tcp.set_nodelay(true);
        let hello = ClientId::default();
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
            .await
            .map_err(|e| classify(&e))?;
        if self.server.tls == Tls::StartTls {
            if !conn.can_starttls() {
                conn.abort().await;
                return Err(SendError {
                    message: format!("{host} does not offer STARTTLS, and it is required"),
                    transient: false,
                    ..SendError::default()
                });
            }
            let params = TlsParameters::builder(host.to_string())
                .build_rustls()
                .map_err(|e| SendError {
                    message: format!("TLS setup for {host}: {e}"),
                    transient: false,
                    ..SendError::default()
                })?;
            conn.starttls(params, &hello)
                .await
                .map_err(|e| classify(&e))?;
        }
        self.sign_in(&mut conn).await?;
        Ok(conn)
    }

    async fn sign_in(&self, conn: &mut AsyncSmtpConnection) -> Result<(), SendError> {
        if let Some(c) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], c)
                .await
                .map_err(|e| classify(&e))?;
        }
        if let Some((source, sasl)) = &self.bearer {
            let result = self.sign_in_with_token(conn, source.as_ref(), *sasl).await;
            if let Some(h) = &self.health {
                match &result {
                    Ok(()) => {
                        if h.ok("smtp") {
                            tracing::info!("signing in to the SMTP server works again");
                        }
                    }
                    Err(e) => {
                        if h.failed("smtp", e) {
                            tracing::error!(error = %e, "cannot sign in to the SMTP server");
                        }
                    }
                }
            }
            // A sign-in fault is never the mail's fault: the mail waits in
            // the outbox (transient) until a person or the endpoint fixes it.
            result.map_err(|e| SendError {
                message: e.to_string(),
                transient: true,
                ..SendError::default()
            })?;
        }
        Ok(())
    }

    /// AUTH XOAUTH2 or OAUTHBEARER with a token; a refused token is
    /// forgotten and one fresh token tried; a second refusal is permanent.
    ///
    /// Both mechanisms are spoken here on lettre's connection rather than
    /// through lettre's `auth`: lettre has no OAUTHBEARER, and its XOAUTH2
    /// treats the server's error challenge as a client error, losing the
    /// server's reason (the JSON status that names a wrong scope).
    async fn sign_in_with_token(
        &self,
        conn: &mut AsyncSmtpConnection,
        source: &dyn BearerSource,
        sasl: Sasl,
    ) -> Result<(), AuthError> {
        let user = self.server.username.clone().unwrap_or_default();
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut refusal = String::new();
        for attempt in 0..2 {
            let token = source.bearer().await?;
            let initial = crate::auth::sasl::initial_response(
                sasl,
                &user,
                &token,
                &self.server.host,
                self.server.port,
            );
            let answer = conn
                .command(SmtpLine(format!("AUTH {} {}", sasl.name(), b64(&initial))))
                .await;
            let answer = match answer {
                Ok(r) if r.has_code(334) => {
                    // The error challenge: its JSON says why; acknowledge it
                    // and read the final refusal.
                    let detail = r
                        .first_line()
                        .and_then(|l| {
                            base64::engine::general_purpose::STANDARD
                                .decode(l.trim())
                                .ok()
                        })
                        .map(|bytes| crate::auth::sasl::error_text(&bytes))
                        .unwrap_or_default();
                    let last = conn
                        .command(SmtpLine(b64(crate::auth::sasl::after_error(sasl))))
                        .await;
                    match last {
                        Ok(r) if r.is_positive() => Ok(r),
                        Ok(r) => Err((
                            r.code().to_string(),
                            r.message().collect::<Vec<_>>().join(" "),
                            detail,
                            true,
                        )),
                        Err(e) => Err((
                            e.status().map(|c| c.to_string()).unwrap_or_default(),
                            e.to_string(),
                            detail,
                            e.is_permanent(),
                        )),
                    }
                }
                Ok(r) => Ok(r),
                Err(e) => Err((
                    e.status().map(|c| c.to_string()).unwrap_or_default(),
                    e.to_string(),
                    String::new(),
                    e.is_permanent(),
                )),
            };
            match answer {
                Ok(_) => return Ok(()),
                Err((code, text, detail, permanent)) => {
                    refusal = if detail.is_empty() {
                        format!("{code} {text}")
                    } else {
                        format!("{code} {text} ({detail})")
                    };
                    if !permanent {
                        return Err(AuthError::Transient(format!(
                            "the SMTP server could not check the token: {refusal}"
                        )));
                    }
                    source.rejected();
                    tracing::warn!(
                        user,
                        mechanism = sasl.name(),
                        attempt = attempt + 1,
                        answer = %refusal,
                        "the SMTP server refused the token"
                    );
                }
            }
        }
        Err(AuthError::Permanent(format!(
            "the SMTP server refused {} as {user}: {refusal} (a fresh token was refused too)",
            sasl.name()
        )))
    }
}

/// One line to the SMTP server, CRLF added.
struct SmtpLine(String);

impl std::fmt::Display for SmtpLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\r\n", self.0)
    }
}

impl Transport for SmtpSender {
    async fn send(&mut self, mail: &OutgoingMail) -> Result<(), SendError> {
        self.send_raw(&mail.from, &mail.to, &mail.raw).await
    }
}

/// The SMTP envelope; an address that does not parse is a permanent error.
fn envelope(from: &str, to: &[String]) -> Result<Envelope, SendError> {
    let bad = |what: &str, a: &str, e: String| SendError {
        message: format!("{what} address {a:?} is not valid: {e}"),
        transient: false,
        ..SendError::default()
    };
    let from_addr: Address = from
        .trim()
        .parse()
        .map_err(|e: lettre::address::AddressError| bad("sender", from, e.to_string()))?;
    let mut rcpts = Vec::with_capacity(to.len());
    for a in to {
        rcpts.push(
            a.trim()
                .parse::<Address>()
                .map_err(|e| bad("recipient", a, e.to_string()))?,
        );
    }
    Envelope::new(Some(from_addr), rcpts).map_err(|e| SendError {
        message: format!("no envelope: {e}"),
        transient: false,
        ..SendError::default()
    })
}

/// 5xx is permanent; everything else (4xx, timeouts, connection and TLS
/// trouble) may pass.
fn classify(e: &lettre::transport::smtp::Error) -> SendError {
    let code = e.status().map(|c| c.to_string());
    let message = match &code {
        Some(c) => format!("SMTP {c}: {e}"),
        None => e.to_string(),
    };
    SendError {
        message,
        transient: !e.is_permanent(),
        ..SendError::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_address_is_a_permanent_error() {
        let e = envelope("coverage@example.edu", &["not an address".into()]).unwrap_err();
        assert!(!e.transient);
        assert!(e.message.contains("not an address"));
        let e = envelope("coverage@example.edu", &[]).unwrap_err();
        assert!(!e.transient);
    }

    #[test]
    fn envelopes_carry_every_recipient() {
        let env = envelope(
            "coverage@example.edu",
            &["alopez@example.edu".into(), "ask-chat@example.edu".into()],
        )
        .unwrap();
        assert_eq!(env.to().len(), 2);
        assert_eq!(
            env.from().map(|a| a.to_string()).as_deref(),
            Some("coverage@example.edu")
        );
    }

    #[tokio::test]
    async fn a_server_that_is_not_there_is_a_transient_error() {
        // Port 9 (discard) on loopback is closed here: connecting fails at once.
        let server = Server {
            host: "127.0.0.1".into(),
            port: 9,
            tls: Tls::None,
            username: None,
            password_file: None,
        };
        let sender = SmtpSender::new(&server, None).unwrap();
        let e = sender
            .send_raw(
                "coverage@example.edu",
                &["alopez@example.edu".into()],
                b"Subject: x\r\n\r\nx\r\n",
            )
            .await
            .unwrap_err();
        assert!(e.transient, "{e:?}");
    }
}

/// A scripted SMTP server on loopback: answers RCPT with `rcpt_reply`, and
/// after DATA either accepts or says nothing at all.
#[cfg(test)]
mod fake_server_tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    async fn fake_smtp(rcpt_reply: &'static str, stall_after_data: bool) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let (r, mut w) = sock.into_split();
            let mut lines = BufReader::new(r).lines();
            w.write_all(b"220 fake ESMTP\r\n").await.ok();
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                let reply = if in_data {
                    if line != "." {
                        continue;
                    }
                    in_data = false;
                    if stall_after_data {
                        // Hold the connection open and never answer.
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                    "250 2.0.0 queued\r\n".to_string()
                } else {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    match verb.as_str() {
                        "EHLO" => "250-fake\r\n250 8BITMIME\r\n".to_string(),
                        "MAIL" => "250 2.1.0 ok\r\n".to_string(),
                        "RCPT" => format!("{rcpt_reply}\r\n"),
                        "DATA" => {
                            in_data = true;
                            "354 go on\r\n".to_string()
                        }
                        "QUIT" => "221 bye\r\n".to_string(),
                        _ => "250 ok\r\n".to_string(),
                    }
                };
                if w.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
        port
    }

    fn sender(port: u16) -> SmtpSender {
        let server = Server {
            host: "127.0.0.1".into(),
            port,
            tls: Tls::None,
            username: None,
            password_file: None,
        };
        SmtpSender::new(&server, None)
            .unwrap()
            .with_send_timeout(Duration::from_secs(1))
    }

    const MAIL: &[u8] = b"From: coverage@example.edu\r\nSubject: t\r\n\r\nbody\r\n";

    #[tokio::test]
    async fn a_5xx_answer_is_permanent() {
        let s = sender(fake_smtp("550 5.1.1 no such user", false).await);
        let e = s
            .send_raw("coverage@example.edu", &["nobody@example.edu".into()], MAIL)
            .await
            .unwrap_err();
        assert!(!e.transient, "{e:?}");
        assert!(e.message.contains("550"), "{e:?}");
    }

    #[tokio::test]
    async fn a_4xx_answer_is_transient() {
        let s = sender(fake_smtp("451 4.3.0 try again later", false).await);
        let e = s
            .send_raw("coverage@example.edu", &["alopez@example.edu".into()], MAIL)
            .await
            .unwrap_err();
        assert!(e.transient, "{e:?}");
    }

    #[tokio::test]
    async fn a_server_silent_after_data_times_out_as_transient() {
        let s = sender(fake_smtp("250 2.1.5 ok", true).await);
        // The server never answers the DATA: the send's own timeout must end
        // it (the outer guard only catches a hang).
        let e = tokio::time::timeout(
            Duration::from_secs(60),
            s.send_raw("coverage@example.edu", &["alopez@example.edu".into()], MAIL),
        )
        .await
        .expect("the send's own timeout fired, not the guard")
        .unwrap_err();
        assert!(e.transient, "{e:?}");
    }

    #[tokio::test]
    async fn an_accepting_server_takes_the_mail() {
        let s = sender(fake_smtp("250 2.1.5 ok", false).await);
        s.send_raw("coverage@example.edu", &["alopez@example.edu".into()], MAIL)
            .await
            .unwrap();
    }
}
