//! The two SASL mechanisms that carry an OAuth2 token to a mail server:
//! XOAUTH2 (Google's and Microsoft's) and OAUTHBEARER (RFC 7628). Both are a
//! single client message; on failure the server answers with a challenge
//! holding a JSON error, which the client acknowledges (an empty line for
//! XOAUTH2, a lone ^A for OAUTHBEARER) before the final refusal.

use crate::config::Sasl;

/// The client's first (and only) message, before base64.
pub fn initial_response(sasl: Sasl, user: &str, token: &str, host: &str, port: u16) -> String {
    match sasl {
        Sasl::Xoauth2 => format!("user={user}\x01auth=Bearer {token}\x01\x01"),
        Sasl::OAuthBearer => {
            // RFC 7628 sec 3.1: the GS2 header names the user ("a="), with
            // ',' and '=' escaped as RFC 5801 asks.
            let authzid = user.replace('=', "=3D").replace(',', "=2C");
            format!("n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01")
        }
    }
}

/// What the client sends after an error challenge, before base64.
pub fn after_error(sasl: Sasl) -> &'static str {
    match sasl {
        Sasl::Xoauth2 => "",
        Sasl::OAuthBearer => "\x01",
    }
}

/// The readable part of a server's error challenge: its JSON status
/// (`{"status":"401","schemes":"bearer","scope":"..."}`) as text.
pub fn error_text(challenge: &[u8]) -> String {
    let text = String::from_utf8_lossy(challenge).trim().to_string();
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => {
            let mut parts = Vec::new();
            for key in ["status", "scope", "schemes"] {
                if let Some(s) = v.get(key).and_then(|s| s.as_str()) {
                    parts.push(format!("{key} {s}"));
                }
            }
            if parts.is_empty() {
                text
            } else {
                parts.join(", ")
            }
        }
        Err(_) => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_mechanisms_carry_the_user_and_the_token_as_their_specs_ask() {
        assert_eq!(
            initial_response(Sasl::Xoauth2, "ask-chat@example.edu", "tok", "h", 993),
            "user=ask-chat@example.edu\x01auth=Bearer tok\x01\x01"
        );
        assert_eq!(
            initial_response(
                Sasl::OAuthBearer,
                "a,b=c@example.edu",
                "tok",
                "imap.example.edu",
                993
            ),
            "n,a=a=2Cb=3Dc@example.edu,\x01host=imap.example.edu\x01port=993\x01auth=Bearer tok\x01\x01"
        );
        assert_eq!(
            error_text(
                br#"{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}"#
            ),
            "status 401, scope https://mail.google.com/, schemes bearer"
        );
    }
}
