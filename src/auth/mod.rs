//! Credentials for the servers the daemon signs in to.
//!
//! This module is the one reader of secrets (passwords and OAuth2 keys, from
//! files only) and the home of the OAuth2 token sources. Adapters that need a
//! bearer token (IMAP and SMTP through XOAUTH2/OAUTHBEARER, CalDAV and
//! Microsoft Graph through `Authorization: Bearer`) take an
//! `Arc<dyn BearerSource>` and never see how the token was obtained.

use futures::future::BoxFuture;

pub mod digest;
pub mod jwt;
pub mod sasl;
pub mod secret;
pub mod token;

pub use secret::{Secret, SecretError, read_password, read_secret};
pub use token::{Sources, TokenSource};

/// Why a token could not be had. The split decides the retry policy:
/// a transient fault is retried with backoff, a permanent one needs a person
/// and is said once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The token endpoint is down, slow or answered 5xx: try again later.
    #[error("token endpoint unavailable: {0}")]
    Transient(String),
    /// The secret, key or grant was refused (invalid_client, invalid_grant,
    /// unauthorized_client, ...): retrying will not help.
    #[error("sign-in refused: {0}")]
    Permanent(String),
}

impl AuthError {
    /// True when waiting and trying again may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, AuthError::Transient(_))
    }
}

/// A source of OAuth2 access tokens for one server (one audience).
pub trait BearerSource: Send + Sync {
    /// A token valid for a while yet: the cached one, or a fresh one when the
    /// cached one is missing or close to its expiry.
    fn bearer(&self) -> BoxFuture<'_, Result<String, AuthError>>;
    /// The server refused the last token: forget it, so the next `bearer`
    /// fetches a new one.
    fn rejected(&self);
    /// When the current token lapses, if the source knows: a connection
    /// signed in with it (an IMAP session at Exchange) must sign in again
    /// before then.
    fn valid_until(&self) -> Option<std::time::Instant> {
        None
    }
}

/// A fixed token, for tests and for tokens another program keeps fresh.
#[derive(Debug, Clone)]
pub struct StaticBearer(pub String);

impl BearerSource for StaticBearer {
    fn bearer(&self) -> BoxFuture<'_, Result<String, AuthError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn rejected(&self) {}
}

/// How a mail server (IMAP or SMTP) is signed in to.
#[derive(Clone)]
pub enum Credential {
    /// No login (a loopback relay, a test server).
    None,
    /// IMAP LOGIN / SMTP AUTH PLAIN or LOGIN with the server's username.
    Password(Secret),
    /// An OAuth2 token through XOAUTH2 or OAUTHBEARER.
    Bearer {
        source: std::sync::Arc<dyn BearerSource>,
        sasl: crate::config::Sasl,
    },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::None => f.write_str("Credential::None"),
            Credential::Password(_) => f.write_str("Credential::Password(<redacted>)"),
            Credential::Bearer { sasl, .. } => write!(f, "Credential::Bearer({})", sasl.name()),
        }
    }
}

impl Credential {
    /// A password credential from an optional password (today's callers).
    pub fn from_password(password: Option<&str>) -> Credential {
        match password {
            Some(p) => Credential::Password(Secret::new(p)),
            None => Credential::None,
        }
    }
}

/// The running daemon's sign-in health, set once by `run`: adapters that the
/// daemon does not build itself (the calendar, opened by the service)
/// report here. Empty outside the daemon.
pub static HEALTH: std::sync::OnceLock<std::sync::Arc<Health>> = std::sync::OnceLock::new();

tokio::task_local! {
    /// The health of the desk whose loop runs this task's code, with
    /// several desks: their calendars report there, not to the process's.
    static DESK_HEALTH: std::sync::Arc<Health>;
}

/// Runs `work` (a desk's loop) with its adapters' [`report`]s going to
/// `health`, the desk's own, so each desk's sign-in trouble is its own.
pub async fn reporting_to<F: std::future::Future>(
    health: std::sync::Arc<Health>,
    work: F,
) -> F::Output {
    DESK_HEALTH.scope(health, work).await
}

/// Reports `result` of signing in to `server` to the health of the desk
/// at work (see [`reporting_to`]), else to the daemon's, if the daemon
/// runs; says a new fault once (error) and a recovery (info).
pub fn report(server: &'static str, result: Result<(), &AuthError>) {
    let Some(h) = DESK_HEALTH
        .try_with(|h| h.clone())
        .ok()
        .or_else(|| HEALTH.get().cloned())
    else {
        return;
    };
    match result {
        Ok(()) => {
            if h.ok(server) {
                tracing::info!(server, "signing in works again");
            }
        }
        Err(e) => {
            if h.failed(server, e) {
                tracing::error!(server, error = %e, "cannot sign in");
            }
        }
    }
}

/// How signing in to one server has gone lately, for `/metrics`, STATUS=
/// and the log. Never holds a secret or a token: only the provider's or
/// the server's words about them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerHealth {
    /// None before the first sign-in.
    pub ok: Option<bool>,
    pub failures: u64,
    pub last_error: Option<String>,
    /// The last failure needs a person.
    pub permanent: bool,
    /// When signing in began to fail (the first failure since it last
    /// worked); None while it works.
    pub since: Option<crate::model::Instant>,
}

/// The sign-in health of every server, shared by the adapters and the
/// metrics endpoint.
#[derive(Debug, Default)]
pub struct Health {
    servers: std::sync::Mutex<std::collections::BTreeMap<&'static str, ServerHealth>>,
}

impl Health {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut std::collections::BTreeMap<&'static str, ServerHealth>) -> T,
    ) -> T {
        let mut guard = self.servers.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// `server` ("imap", "smtp", "caldav") signed in. True when this ends a
    /// fault (worth a log line).
    pub fn ok(&self, server: &'static str) -> bool {
        self.with(|m| {
            let h = m.entry(server).or_default();
            let was_failing = h.ok == Some(false);
            h.ok = Some(true);
            h.last_error = None;
            h.permanent = false;
            h.since = None;
            was_failing
        })
    }

    /// Signing in to `server` failed. True when this is news (the first
    /// failure, or a different one), so the caller says it once, plainly,
    /// and only notes the repeats.
    pub fn failed(&self, server: &'static str, error: &AuthError) -> bool {
        let text = error.to_string();
        self.with(|m| {
            let h = m.entry(server).or_default();
            h.failures += 1;
            let news = h.ok != Some(false) || h.last_error.as_deref() != Some(text.as_str());
            if h.ok != Some(false) {
                h.since = Some(crate::clock::now());
            }
            h.ok = Some(false);
            h.last_error = Some(text);
            h.permanent = !error.is_transient();
            news
        })
    }

    pub fn snapshot(&self) -> Vec<(&'static str, ServerHealth)> {
        self.with(|m| m.iter().map(|(k, v)| (*k, v.clone())).collect())
    }

    /// The first failing server and its error, for STATUS=.
    pub fn trouble(&self) -> Option<(&'static str, ServerHealth)> {
        self.snapshot()
            .into_iter()
            .find(|(_, h)| h.ok == Some(false))
    }
}

#[cfg(test)]
mod health_tests {
    use super::*;

    #[test]
    fn a_failure_is_news_once_and_recovery_is_news_again() {
        let h = Health::default();
        let e = AuthError::Permanent("AADSTS7000215: Invalid client secret provided.".into());
        assert!(h.failed("imap", &e));
        assert!(!h.failed("imap", &e), "the same failure again is not news");
        assert_eq!(h.snapshot()[0].1.failures, 2);
        assert!(h.trouble().is_some_and(|(s, h)| s == "imap" && h.permanent));
        assert!(h.ok("imap"));
        assert!(!h.ok("imap"));
        assert!(h.trouble().is_none());
    }
}
