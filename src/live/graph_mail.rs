//! Sending through Microsoft Graph (`POST /users/{mailbox}/sendMail`), for
//! tenants that switch SMTP AUTH off: the app-only permission Mail.Send,
//! limited to the service's mailbox.
//!
//! Graph takes a message in one of two forms. The JSON form's
//! `internetMessageHeaders` accepts only headers whose names begin with
//! `x-`: `Auto-Submitted`, `In-Reply-To` and `References` cannot be set
//! there, so mail sent that way would lose its threading and its
//! auto-generated mark. The MIME form takes the whole message as rendered
//! (base64 of the RFC 5322 bytes), every header included, so it is the
//! default (`format = "mime"`). `format = "json"` sends the JSON form for
//! tenants whose policies refuse MIME submissions: X-Shiftcover-Kind and
//! X-Auto-Response-Suppress go as internetMessageHeaders, the text and HTML
//! bodies as the body, and a calendar part as a file attachment.

use std::sync::Arc;
use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::auth::BearerSource;
use crate::compose::OutgoingMail;
use crate::service::{SendError, Transport};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const BUSY_ATTEMPTS: usize = 6;
const LONGEST_WAIT: Duration = Duration::from_secs(120);

/// Which of Graph's two sendMail forms to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailFormat {
    /// The whole rendered message, base64: every header kept.
    Mime,
    /// A JSON message: only x- headers survive.
    Json,
}

/// Sends recorded mail as the service's mailbox through Graph.
pub struct GraphMail {
    http: reqwest::Client,
    url: String,
    bearer: Arc<dyn BearerSource>,
    format: MailFormat,
}

/// Standard base64 (RFC 4648 section 4) with padding, as Graph takes a
/// MIME message and attachment bytes.
pub fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn recipients(list: Option<&mail_parser::Address>) -> Vec<Value> {
    list.map(|a| {
        a.iter()
            .filter_map(|x| {
                let address = x.address()?;
                let mut ea = json!({ "address": address });
                if let Some(name) = x.name() {
                    ea["name"] = json!(name);
                }
                Some(json!({ "emailAddress": ea }))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The JSON form of a rendered message: what Graph's message resource can
/// carry of it.
pub fn json_message(mail: &OutgoingMail) -> Result<Value, SendError> {
    let m = MessageParser::new()
        .parse(&mail.raw)
        .ok_or_else(|| SendError {
            message: format!("{}: the recorded message does not parse", mail.key),
            transient: false,
            ..SendError::default()
        })?;
    let (content_type, content) = match (m.body_html(0), m.body_text(0)) {
        // The digest has both; Graph's body is one of them.
        (Some(html), _) if mail.kind == "digest" => ("html", html.to_string()),
        (_, Some(text)) => ("text", text.to_string()),
        (Some(html), None) => ("html", html.to_string()),
        (None, None) => ("text", String::new()),
    };
    let mut attachments = Vec::new();
    for part in m.parts.iter() {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let is_calendar = ct.ctype().eq_ignore_ascii_case("text")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("calendar"));
        if is_calendar {
            let method = ct.attribute("method").unwrap_or("REQUEST");
            attachments.push(json!({
                "@odata.type": "#microsoft.graph.fileAttachment",
                "name": "invite.ics",
                "contentType": format!("text/calendar; method={method}; charset=utf-8"),
                "contentBytes": base64(part.contents()),
            }));
        }
    }
    let mut message = json!({
        "subject": m.subject().unwrap_or(""),
        "body": {"contentType": content_type, "content": content},
        "toRecipients": recipients(m.to()),
        "internetMessageHeaders": [
            {"name": "X-Shiftcover-Kind", "value": mail.kind},
            {"name": "X-Auto-Response-Suppress", "value": "All"},
        ],
    });
    let cc = recipients(m.cc());
    if !cc.is_empty() {
        message["ccRecipients"] = json!(cc);
    }
    let reply_to = recipients(m.reply_to());
    if !reply_to.is_empty() {
        message["replyTo"] = json!(reply_to);
    }
    if !attachments.is_empty() {
        message["attachments"] = json!(attachments);
    }
    Ok(json!({"message": message, "saveToSentItems": true}))
}

impl GraphMail {
    /// Mail from `mailbox` through the Graph API at `graph_url`.
    pub fn new(
        graph_url: &str,
        mailbox: &str,
        bearer: Arc<dyn BearerSource>,
        format: MailFormat,
    ) -> Result<GraphMail, SendError> {
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("shiftcover/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SendError {
                message: format!("cannot set up HTTP: {e}"),
                transient: false,
                ..SendError::default()
            })?;
        let mut url =
            reqwest::Url::parse(graph_url.trim_end_matches('/')).map_err(|e| SendError {
                message: format!("outbox.graph_url {graph_url:?}: {e}"),
                transient: false,
                ..SendError::default()
            })?;
        url.path_segments_mut()
            .map_err(|_| SendError {
                message: format!("outbox.graph_url {graph_url:?} cannot take a path"),
                transient: false,
                ..SendError::default()
            })?
            .extend(["users", mailbox.trim(), "sendMail"]);
        Ok(GraphMail {
            http,
            url: url.to_string(),
            bearer,
            format,
        })
    }

    /// Sends one message; 401 renews the token once, 429/503 wait for
    /// Retry-After.
    pub async fn send_mail(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let (content_type, body) = match self.format {
            MailFormat::Mime => ("text/plain", base64(&mail.raw)),
            MailFormat::Json => ("application/json", json_message(mail)?.to_string()),
        };
        let mut renewed = false;
        let mut busy = 0;
        loop {
            let token = self.bearer.bearer().await.map_err(|e| SendError {
                message: format!("no token for Microsoft Graph: {e}"),
                transient: e.is_transient(),
                ..SendError::default()
            })?;
            let resp = self
                .http
                .request(Method::POST, &self.url)
                .bearer_auth(&token)
                .header("Content-Type", content_type)
                .body(body.clone())
                .send()
                .await
                .map_err(|e| SendError {
                    message: format!("sending through Microsoft Graph: {e}"),
                    transient: true,
                    ..SendError::default()
                })?;
            let status = resp.status();
            let retry_after = resp
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let text = resp.text().await.unwrap_or_default();
            if status.is_success() {
                return Ok(());
            }
            match status.as_u16() {
                401 if !renewed => {
                    self.bearer.rejected();
                    renewed = true;
                }
                429 | 503 | 504 if busy + 1 < BUSY_ATTEMPTS => {
                    busy += 1;
                    let wait = Duration::from_secs(retry_after.unwrap_or(1 << busy.min(5)));
                    if wait > LONGEST_WAIT {
                        return Err(refused(status, &text));
                    }
                    tokio::time::sleep(wait).await;
                }
                _ => return Err(refused(status, &text)),
            }
        }
    }
}

/// Graph's refusal in its own words; a 403 names the permission.
fn refused(status: StatusCode, text: &str) -> SendError {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let code = v["error"]["code"].as_str().unwrap_or("");
    let message = v["error"]["message"].as_str().unwrap_or(text);
    let hint = if status.as_u16() == 403 {
        " (the app lacks the application permission Mail.Send, or an application access policy / RBAC scope excludes this mailbox)"
    } else {
        ""
    };
    SendError {
        message: format!(
            "Microsoft Graph sendMail answered {}: {code}: {message}{hint}",
            status.as_u16()
        ),
        transient: status.is_server_error() || matches!(status.as_u16(), 408 | 429),
        ..SendError::default()
    }
}

impl Transport for GraphMail {
    async fn send(&mut self, mail: &OutgoingMail) -> Result<(), SendError> {
        self.send_mail(mail).await
    }
}

/// The Graph outbox the config names, signed in with its OAuth2 credential
/// (or a token kept fresh elsewhere in `outbox.bearer_token_file`).
pub fn from_config(outbox: &crate::config::OutboxBackend) -> Result<GraphMail, SendError> {
    let crate::config::OutboxBackend::Graph {
        mailbox,
        graph_url,
        bearer_token_file,
        json,
        oauth2,
    } = outbox
    else {
        return Err(SendError {
            message: "the outbox backend is not graph".into(),
            transient: false,
            ..SendError::default()
        });
    };
    let bearer: Arc<dyn BearerSource> = match (oauth2, bearer_token_file) {
        (Some(o), _) => crate::auth::Sources::default().get(o),
        (None, Some(path)) => Arc::new(crate::calendar::graph::FileBearer(path.clone())),
        (None, None) => {
            return Err(SendError {
                message: "the Graph outbox has no sign-in: write outbox.auth = \"oauth2\" or bearer_token_file".into(),
                transient: false,
                ..SendError::default()
            });
        }
    };
    let format = if *json {
        MailFormat::Json
    } else {
        MailFormat::Mime
    };
    GraphMail::new(graph_url, mailbox, bearer, format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }
}
