//! OAuth2 token sources: each config credential ([`crate::config::OAuth2`])
//! becomes one [`TokenSource`] that fetches access tokens from the token
//! endpoint, keeps the current one in memory, renews it before it lapses,
//! and forgets it when a server refuses it.
//!
//! The client-credentials grant (with a client secret, or with a
//! certificate's signed client assertion sent as extra parameters) and the
//! refresh-token grant go through the `oauth2` crate. Google's JWT bearer
//! grant (RFC 7523 sec 2.1) does not: the crate has no way to send a grant
//! whose only proof is an `assertion` parameter, so that one request is a
//! plain form POST here, answered and classified the same way.
//!
//! Errors are classified per RFC 6749 sec 5.2: a refused client or grant
//! (invalid_client, invalid_grant, unauthorized_client, invalid_scope, ...)
//! is permanent and keeps the provider's error_description, which names the
//! wrong secret or the missing permission (Microsoft's AADSTS text); no
//! answer, a 5xx or a 429 is transient.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::Mutex as SyncMutex;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use oauth2::TokenResponse as _;
use serde::Deserialize;
use tokio::time::Instant;
use tracing::{info, warn};

use super::jwt::{self, SigningKey};
use super::secret::{Secret, read_secret};
use super::{AuthError, BearerSource};
use crate::config::{Grant, OAuth2};

/// How long one request to the token endpoint may take.
pub const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);
/// After a permanent refusal the endpoint is asked again only this often:
/// the secret will not fix itself in a tight loop, but a person may fix it.
pub const PERMANENT_RETRY: Duration = Duration::from_secs(15 * 60);
/// The lifetime assumed when the endpoint gives none.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// An access token. Its `Debug` is redacted, so it cannot reach a log by
/// accident.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// A token as the endpoint gave it.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub token: AccessToken,
    pub lifetime: Duration,
}

/// When a token of `lifetime` is renewed: at 80% of its life, and never
/// later than five minutes before it lapses (for lifetimes long enough to
/// allow it).
pub fn renew_after(lifetime: Duration) -> Duration {
    let eighty = lifetime.mul_f64(0.8);
    let five_before = lifetime.saturating_sub(Duration::from_secs(300));
    if five_before > lifetime / 2 {
        eighty.min(five_before)
    } else {
        eighty
    }
}

struct Cached {
    token: AccessToken,
    renew_at: Instant,
    expires_at: Instant,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The last permanent refusal and when it came.
    refused: Option<(AuthError, Instant)>,
}

/// Fetches and caches tokens for one credential.
pub struct TokenSource {
    oauth2: OAuth2,
    http: reqwest::Client,
    state: tokio::sync::Mutex<State>,
    /// What `valid_until` reads without waiting for a fetch in progress.
    expires: SyncMutex<Option<Instant>>,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("token_url", &self.oauth2.token_url)
            .field("client_id", &self.oauth2.client_id)
            .field("scopes", &self.oauth2.scopes)
            .finish()
    }
}

impl TokenSource {
    pub fn new(oauth2: OAuth2) -> TokenSource {
        // reqwest is built without a default TLS provider; ring is already in
        // the tree. Another part may have installed it first.
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(TOKEN_TIMEOUT)
            .connect_timeout(Duration::from_secs(15))
            // A token endpoint does not redirect; following one would send
            // the secret elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("shiftcover/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        TokenSource {
            oauth2,
            http,
            state: tokio::sync::Mutex::new(State::default()),
            expires: SyncMutex::new(None),
        }
    }

    pub fn config(&self) -> &OAuth2 {
        &self.oauth2
    }

    /// One request to the token endpoint, whatever the cache holds.
    pub async fn fetch(&self) -> Result<Fetched, AuthError> {
        let o = &self.oauth2;
        match &o.grant {
            Grant::ClientSecret { client_secret_file } => {
                let secret = secret_file("client secret", client_secret_file)?;
                let client =
                    oauth2::basic::BasicClient::new(oauth2::ClientId::new(o.client_id.clone()))
                        .set_client_secret(oauth2::ClientSecret::new(secret.expose().to_string()))
                        .set_auth_type(oauth2::AuthType::RequestBody)
                        .set_token_uri(token_url(&o.token_url)?);
                let http = StatusKeeping::new(self.http.clone());
                let result = client
                    .exchange_client_credentials()
                    .add_scopes(scopes(&o.scopes))
                    .request_async(&http)
                    .await;
                from_crate(result, http.status())
            }
            Grant::Certificate {
                certificate_file,
                private_key_file,
            } => {
                let cert = secret_file("certificate", certificate_file)?;
                let Some(cert_der) = jwt::pem_blocks(cert.expose(), "CERTIFICATE")
                    .into_iter()
                    .next()
                else {
                    return Err(AuthError::Permanent(format!(
                        "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                        certificate_file.display()
                    )));
                };
                let key = signing_key(private_key_file)?;
                let assertion = jwt::client_assertion(
                    &key,
                    &cert_der,
                    &o.client_id,
                    &o.token_url,
                    crate::clock::now().timestamp(),
                )
                .map_err(AuthError::Permanent)?;
                // The crate sends client_id itself; the assertion goes as the
                // two extra parameters RFC 7521 sec 4.2 names.
                let client =
                    oauth2::basic::BasicClient::new(oauth2::ClientId::new(o.client_id.clone()))
                        .set_auth_type(oauth2::AuthType::RequestBody)
                        .set_token_uri(token_url(&o.token_url)?);
                let http = StatusKeeping::new(self.http.clone());
                let result = client
                    .exchange_client_credentials()
                    .add_scopes(scopes(&o.scopes))
                    .add_extra_param(
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    )
                    .add_extra_param("client_assertion", assertion)
                    .request_async(&http)
                    .await;
                from_crate(result, http.status())
            }
            Grant::RefreshToken {
                refresh_token_file,
                client_secret_file,
            } => {
                let refresh = secret_file("refresh token", refresh_token_file)?;
                let mut client =
                    oauth2::basic::BasicClient::new(oauth2::ClientId::new(o.client_id.clone()))
                        .set_auth_type(oauth2::AuthType::RequestBody)
                        .set_token_uri(token_url(&o.token_url)?);
                if let Some(f) = client_secret_file {
                    let secret = secret_file("client secret", f)?;
                    client = client
                        .set_client_secret(oauth2::ClientSecret::new(secret.expose().to_string()));
                }
                let http = StatusKeeping::new(self.http.clone());
                let token = oauth2::RefreshToken::new(refresh.expose().to_string());
                let result = client
                    .exchange_refresh_token(&token)
                    .add_scopes(scopes(&o.scopes))
                    .request_async(&http)
                    .await;
                from_crate(result, http.status())
            }
            Grant::ServiceAccount { key_file, subject } => {
                let text = secret_file("service account key", key_file)?;
                let key: ServiceAccountKey = serde_json::from_str(text.expose()).map_err(|e| {
                    AuthError::Permanent(format!(
                        "{} is not a service account JSON key file: {e}",
                        key_file.display()
                    ))
                })?;
                let signing = SigningKey::from_pem(&key.private_key)
                    .map_err(|e| AuthError::Permanent(format!("{}: {e}", key_file.display())))?;
                let assertion = jwt::service_account_assertion(
                    &signing,
                    key.private_key_id.as_deref(),
                    &key.client_email,
                    subject.as_deref(),
                    &o.scopes,
                    &o.token_url,
                    crate::clock::now().timestamp(),
                )
                .map_err(AuthError::Permanent)?;
                self.post_form(&[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                    ("assertion", &assertion),
                ])
                .await
            }
        }
    }

    /// A form POST to the token endpoint and its answer, for the grant the
    /// `oauth2` crate cannot send.
    async fn post_form(&self, form: &[(&str, &str)]) -> Result<Fetched, AuthError> {
        let response = self
            .http
            .post(&self.oauth2.token_url)
            .header("Accept", "application/json")
            .form(form)
            .send()
            .await
            .map_err(|e| AuthError::Transient(unreachable_text(&self.oauth2.token_url, &e)))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| {
            AuthError::Transient(format!("reading the token endpoint's answer: {e}"))
        })?;
        read_answer(status, &body)
    }

    /// The cached token if it is fresh; else a new one. A permanent refusal
    /// is remembered and repeated for [`PERMANENT_RETRY`] without asking the
    /// endpoint again.
    async fn current(&self) -> Result<AccessToken, AuthError> {
        let mut state = self.state.lock().await;
        let now = Instant::now();
        if let Some(c) = &state.cached
            && now < c.renew_at
        {
            return Ok(c.token.clone());
        }
        if let Some((e, at)) = &state.refused
            && now.duration_since(*at) < PERMANENT_RETRY
        {
            return Err(e.clone());
        }
        match self.fetch().await {
            Ok(f) => {
                if state.refused.take().is_some() {
                    info!(token_url = %self.oauth2.token_url, "the token endpoint accepts the credential again");
                }
                let now = Instant::now();
                let expires_at = now + f.lifetime;
                state.cached = Some(Cached {
                    token: f.token.clone(),
                    renew_at: now + renew_after(f.lifetime),
                    expires_at,
                });
                if let Ok(mut e) = self.expires.lock() {
                    *e = Some(expires_at);
                }
                Ok(f.token)
            }
            Err(e) => {
                // A token that has not lapsed yet still serves while the
                // endpoint is down.
                if e.is_transient()
                    && let Some(c) = &state.cached
                    && now + Duration::from_secs(30) < c.expires_at
                {
                    warn!(error = %e, "renewing the token failed; the current one is still valid");
                    return Ok(c.token.clone());
                }
                if !e.is_transient() {
                    state.refused = Some((e.clone(), now));
                    state.cached = None;
                }
                Err(e)
            }
        }
    }
}

impl BearerSource for TokenSource {
    fn bearer(&self) -> BoxFuture<'_, Result<String, AuthError>> {
        Box::pin(async move { self.current().await.map(|t| t.0) })
    }

    fn rejected(&self) {
        // A fetch in progress holds the lock; the token it brings is new
        // anyway, so there is nothing to forget then.
        if let Ok(mut state) = self.state.try_lock() {
            state.cached = None;
        }
        if let Ok(mut e) = self.expires.lock() {
            *e = None;
        }
    }

    fn valid_until(&self) -> Option<std::time::Instant> {
        self.expires
            .lock()
            .ok()
            .and_then(|e| *e)
            .map(|i| i.into_std())
    }
}

/// Many servers, one credential: sources shared by equal configs, so IMAP
/// and SMTP at Microsoft 365 (the same scope) share one token.
#[derive(Debug, Default)]
pub struct Sources {
    made: SyncMutex<Vec<Arc<TokenSource>>>,
}

impl Sources {
    pub fn get(&self, oauth2: &OAuth2) -> Arc<TokenSource> {
        let mut made = self.made.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = made.iter().find(|s| s.config() == oauth2) {
            return s.clone();
        }
        let s = Arc::new(TokenSource::new(oauth2.clone()));
        made.push(s.clone());
        s
    }
}

#[derive(Deserialize)]
struct ServiceAccountKey {
    client_email: String,
    private_key: String,
    private_key_id: Option<String>,
}

fn secret_file(what: &str, path: &Path) -> Result<Secret, AuthError> {
    read_secret(what, path).map_err(|e| AuthError::Permanent(e.to_string()))
}

fn signing_key(path: &Path) -> Result<SigningKey, AuthError> {
    let text = secret_file("private key", path)?;
    SigningKey::from_pem(text.expose())
        .map_err(|e| AuthError::Permanent(format!("{}: {e}", path.display())))
}

fn token_url(url: &str) -> Result<oauth2::TokenUrl, AuthError> {
    oauth2::TokenUrl::new(url.to_string())
        .map_err(|e| AuthError::Permanent(format!("token_url {url:?}: {e}")))
}

fn scopes(s: &[String]) -> Vec<oauth2::Scope> {
    s.iter().map(|s| oauth2::Scope::new(s.clone())).collect()
}

fn unreachable_text(url: &str, e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = format!("cannot reach the token endpoint {url}: {e}");
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// RFC 6749 sec 5.2's error codes that no retry will cure.
fn is_permanent_code(code: &str) -> bool {
    matches!(
        code,
        "invalid_request"
            | "invalid_client"
            | "invalid_grant"
            | "unauthorized_client"
            | "unsupported_grant_type"
            | "invalid_scope"
            | "access_denied"
    )
}

/// Classifies a refusal: status first (5xx and 429 are transient whatever
/// the body says), then the error code. The text keeps the provider's own
/// description.
pub fn classify(status: u16, code: Option<&str>, description: Option<&str>) -> AuthError {
    let mut text = match code {
        Some(c) => format!("the token endpoint answered {status} {c}"),
        None => format!("the token endpoint answered {status}"),
    };
    if let Some(d) = description.map(str::trim).filter(|d| !d.is_empty()) {
        // Microsoft's descriptions run to several lines with a trace ID.
        text.push_str(": ");
        text.push_str(&d.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    if status == 429 || status >= 500 {
        return AuthError::Transient(text);
    }
    match code {
        Some(c) if is_permanent_code(c) => AuthError::Permanent(text),
        Some(_) => AuthError::Transient(text),
        // A 4xx that is not OAuth2 at all: most likely a wrong token_url.
        None if status >= 400 => AuthError::Permanent(format!("{text}; is token_url right?")),
        None => AuthError::Transient(text),
    }
}

#[derive(Deserialize)]
struct Answer {
    access_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Reads a token endpoint's answer (RFC 6749 sec 5.1 and 5.2).
pub fn read_answer(status: u16, body: &[u8]) -> Result<Fetched, AuthError> {
    let answer: Option<Answer> = serde_json::from_slice(body).ok();
    match answer {
        Some(Answer {
            access_token: Some(token),
            expires_in,
            ..
        }) if (200..300).contains(&status) => {
            // Some endpoints send expires_in as a string.
            let secs = match expires_in {
                Some(serde_json::Value::Number(n)) => n.as_u64(),
                Some(serde_json::Value::String(s)) => s.parse().ok(),
                _ => None,
            };
            Ok(Fetched {
                token: AccessToken(token),
                lifetime: secs.map(Duration::from_secs).unwrap_or(DEFAULT_LIFETIME),
            })
        }
        Some(a) => Err(classify(
            status,
            a.error.as_deref(),
            a.error_description.as_deref(),
        )),
        None if (200..300).contains(&status) => Err(AuthError::Permanent(
            "the token endpoint's answer is not an OAuth2 token response; is token_url right?"
                .into(),
        )),
        None => Err(classify(status, None, None)),
    }
}

type CrateResult = Result<
    oauth2::basic::BasicTokenResponse,
    oauth2::RequestTokenError<
        oauth2::HttpClientError<reqwest::Error>,
        oauth2::basic::BasicErrorResponse,
    >,
>;

/// The `oauth2` crate's outcome in this module's terms.
fn from_crate(result: CrateResult, status: u16) -> Result<Fetched, AuthError> {
    match result {
        Ok(r) => Ok(Fetched {
            token: AccessToken(r.access_token().secret().clone()),
            lifetime: r.expires_in().unwrap_or(DEFAULT_LIFETIME),
        }),
        Err(oauth2::RequestTokenError::ServerResponse(e)) => Err(classify(
            status,
            Some(e.error().as_ref()),
            e.error_description().map(String::as_str),
        )),
        Err(oauth2::RequestTokenError::Request(e)) => Err(AuthError::Transient(format!(
            "cannot reach the token endpoint: {}",
            error_chain(&e)
        ))),
        // The crate is strict (token_type required, expires_in a number);
        // the answer is read again leniently before it is called wrong.
        Err(oauth2::RequestTokenError::Parse(_, body)) => read_answer(status, &body),
        Err(oauth2::RequestTokenError::Other(text)) => {
            if status == 429 || status >= 500 {
                Err(classify(status, None, Some(&text)))
            } else {
                Err(AuthError::Permanent(format!("the token endpoint: {text}")))
            }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

/// The `oauth2` crate's HTTP client, on reqwest, keeping the last status so
/// a 5xx or 429 is classified as transient even when its body looks like an
/// OAuth2 error.
struct StatusKeeping {
    client: reqwest::Client,
    status: Arc<AtomicU16>,
}

impl StatusKeeping {
    fn new(client: reqwest::Client) -> StatusKeeping {
        StatusKeeping {
            client,
            status: Arc::new(AtomicU16::new(0)),
        }
    }

    fn status(&self) -> u16 {
        self.status.load(Ordering::SeqCst)
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for StatusKeeping {
    type Error = oauth2::HttpClientError<reqwest::Error>;
    type Future =
        Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, Self::Error>> + Send + Sync + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request: reqwest::Request = request.try_into().map_err(Box::new)?;
            let response = self.client.execute(request).await.map_err(Box::new)?;
            self.status
                .store(response.status().as_u16(), Ordering::SeqCst);
            let mut builder = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let body = response.bytes().await.map_err(Box::new)?;
            builder
                .body(body.to_vec())
                .map_err(oauth2::HttpClientError::Http)
        })
    }
}

#[cfg(test)]
mod tests {
    //! The grant requests and the classification of answers no real token
    //! server in the test set-up gives (a 503, a 429, a 5xx with an OAuth2
    //! body), against a one-shot listener that records what it was sent.
    //! The real grants against a real token server are the end-to-end
    //! tests' (tests/e2e_oauth2.rs).

    use super::*;
    use crate::config::Provider;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Answers one request with `status` and `body`; returns the URL and
    /// the request it got (head and body).
    async fn one_answer(
        status: u16,
        body: &'static str,
    ) -> (String, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/token", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            let (mut sock, _) = listener.accept().await.expect("accept");
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the head, then as much body as Content-Length says.
            loop {
                let n = sock.read(&mut buf).await.expect("read");
                got.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&got).to_string();
                if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if rest.len() >= len {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let answer = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            sock.write_all(answer.as_bytes()).await.expect("write");
            String::from_utf8_lossy(&got).to_string()
        });
        (url, task)
    }

    fn form_of(request: &str) -> Vec<(String, String)> {
        let body = request.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        let decode = |s: &str| {
            let bytes = s.replace('+', " ").into_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'%' && i + 2 < bytes.len() {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                    if let Ok(b) = u8::from_str_radix(hex, 16) {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                }
                out.push(bytes[i]);
                i += 1;
            }
            String::from_utf8_lossy(&out).to_string()
        };
        body.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }

    fn value<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
        form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn source(url: &str, grant: Grant) -> TokenSource {
        TokenSource::new(OAuth2 {
            provider: Provider::Microsoft365,
            token_url: url.to_string(),
            client_id: "app-id".into(),
            grant,
            scopes: vec!["https://outlook.office365.com/.default".into()],
        })
    }

    fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    #[tokio::test]
    async fn a_client_secret_grant_sends_the_secret_and_scope_and_caches_the_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = file(&dir, "secret", "s3cret\n");
        let (url, seen) = one_answer(
            200,
            r#"{"access_token":"tok-1","token_type":"Bearer","expires_in":3599}"#,
        )
        .await;
        let s = source(
            &url,
            Grant::ClientSecret {
                client_secret_file: secret,
            },
        );
        assert_eq!(s.bearer().await.expect("token"), "tok-1");
        let form = form_of(&seen.await.expect("request"));
        assert_eq!(value(&form, "grant_type"), Some("client_credentials"));
        assert_eq!(value(&form, "client_id"), Some("app-id"));
        assert_eq!(value(&form, "client_secret"), Some("s3cret"));
        assert_eq!(
            value(&form, "scope"),
            Some("https://outlook.office365.com/.default")
        );
        // Cached: the listener is gone, and the token still comes.
        assert_eq!(s.bearer().await.expect("cached"), "tok-1");
        let left = s
            .valid_until()
            .map(|u| u.saturating_duration_since(std::time::Instant::now()));
        assert!(
            left.is_some_and(|l| l > Duration::from_secs(3000)),
            "{left:?}"
        );
        // Rejected: forgotten, so the next bearer asks the endpoint (gone).
        s.rejected();
        assert!(s.bearer().await.unwrap_err().is_transient());
    }

    #[tokio::test]
    async fn a_certificate_grant_sends_a_signed_client_assertion_and_no_secret() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cert = file(&dir, "cert.pem", jwt::tests::TEST_CERT);
        let key = file(&dir, "key.pem", jwt::tests::TEST_KEY);
        let (url, seen) = one_answer(200, r#"{"access_token":"tok-2","expires_in":"60"}"#).await;
        let s = source(
            &url,
            Grant::Certificate {
                certificate_file: cert,
                private_key_file: key,
            },
        );
        let fetched = s.fetch().await.expect("token");
        assert_eq!(fetched.token.secret(), "tok-2");
        assert_eq!(fetched.lifetime, Duration::from_secs(60));
        let form = form_of(&seen.await.expect("request"));
        assert_eq!(value(&form, "grant_type"), Some("client_credentials"));
        assert_eq!(
            value(&form, "client_assertion_type"),
            Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        );
        assert_eq!(value(&form, "client_secret"), None);
        let assertion = value(&form, "client_assertion").expect("assertion");
        assert_eq!(assertion.split('.').count(), 3);
    }

    #[tokio::test]
    async fn a_service_account_grant_posts_the_jwt_bearer_assertion() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key_json = serde_json::json!({
            "type": "service_account",
            "client_email": "shiftcover@project.iam.gserviceaccount.com",
            "private_key_id": "kid-1",
            "private_key": jwt::tests::TEST_KEY,
        });
        let key = file(&dir, "sa.json", &key_json.to_string());
        let (url, seen) = one_answer(200, r#"{"access_token":"tok-3","expires_in":3600}"#).await;
        let s = source(
            &url,
            Grant::ServiceAccount {
                key_file: key,
                subject: Some("ask-chat@example.edu".into()),
            },
        );
        assert_eq!(s.bearer().await.expect("token"), "tok-3");
        let form = form_of(&seen.await.expect("request"));
        assert_eq!(
            value(&form, "grant_type"),
            Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
        );
        assert!(value(&form, "assertion").is_some_and(|a| a.split('.').count() == 3));
    }

    #[tokio::test]
    async fn a_refresh_grant_sends_the_refresh_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let refresh = file(&dir, "rt", "1//refresh\n");
        let (url, seen) = one_answer(200, r#"{"access_token":"tok-4","expires_in":3600}"#).await;
        let s = source(
            &url,
            Grant::RefreshToken {
                refresh_token_file: refresh,
                client_secret_file: None,
            },
        );
        assert_eq!(s.bearer().await.expect("token"), "tok-4");
        let form = form_of(&seen.await.expect("request"));
        assert_eq!(value(&form, "grant_type"), Some("refresh_token"));
        assert_eq!(value(&form, "refresh_token"), Some("1//refresh"));
        assert_eq!(value(&form, "client_secret"), None);
    }

    #[tokio::test]
    async fn server_trouble_is_transient_and_a_refused_client_is_permanent_in_its_words() {
        let dir = tempfile::tempdir().expect("tempdir");
        let secret = file(&dir, "secret", "s3cret\n");
        let grant = Grant::ClientSecret {
            client_secret_file: secret,
        };
        let (url, _) = one_answer(503, "<html>Service Unavailable</html>").await;
        let e = source(&url, grant.clone()).fetch().await.unwrap_err();
        assert!(e.is_transient(), "{e}");
        let (url, _) = one_answer(429, r#"{"error":"invalid_client"}"#).await;
        let e = source(&url, grant.clone()).fetch().await.unwrap_err();
        assert!(
            e.is_transient(),
            "a 429 is throttling, whatever the body says: {e}"
        );
        let (url, _) = one_answer(
            500,
            r#"{"error":"temporarily_unavailable","error_description":"AADSTS90033: A transient error has occurred."}"#,
        )
        .await;
        let e = source(&url, grant.clone()).fetch().await.unwrap_err();
        assert!(e.is_transient(), "{e}");
        let (url, _) = one_answer(
            401,
            r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x"}"#,
        )
        .await;
        let s = source(&url, grant.clone());
        let e = s.bearer().await.unwrap_err();
        assert!(!e.is_transient());
        assert!(
            e.to_string().contains(
                "invalid_client: AADSTS7000215: Invalid client secret provided. Trace ID: x"
            ),
            "{e}"
        );
        assert!(!e.to_string().contains("s3cret"));
        // Said again from memory, not asked again (the listener is gone).
        assert_eq!(s.bearer().await.unwrap_err(), e);
        let (url, _) = one_answer(404, "<html>Not Found</html>").await;
        let e = source(&url, grant).fetch().await.unwrap_err();
        assert!(
            !e.is_transient() && e.to_string().contains("token_url"),
            "{e}"
        );
    }

    #[test]
    fn renewal_comes_at_four_fifths_of_the_life_and_never_under_five_minutes_left() {
        assert_eq!(
            renew_after(Duration::from_secs(3600)),
            Duration::from_secs(2880)
        );
        assert_eq!(
            renew_after(Duration::from_secs(60)),
            Duration::from_secs(48)
        );
        assert_eq!(
            renew_after(Duration::from_secs(1200)),
            Duration::from_secs(900)
        );
        assert_eq!(
            renew_after(Duration::from_secs(86400)),
            Duration::from_secs(69120)
        );
    }

    #[test]
    fn tokens_do_not_show_in_debug() {
        let t = AccessToken("eyJsecret".into());
        assert!(!format!("{t:?}").contains("eyJ"));
    }
}
