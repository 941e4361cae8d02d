//! Credentials for the servers the daemon signs in to.
//!
//! This module is the one reader of secrets (passwords and OAuth2 keys, from
//! files only) and the home of the OAuth2 token sources. Adapters that need a
//! bearer token (IMAP and SMTP through XOAUTH2/OAUTHBEARER, CalDAV and
//! Microsoft Graph through `Authorization: Bearer`) take an
//! `Arc<dyn BearerSource>` and never see how the token was obtained.

use futures::future::BoxFuture;

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
