//! The one reader of secrets. Passwords, client secrets, refresh tokens and
//! private keys all come from files (systemd's `LoadCredential=` puts them in
//! `$CREDENTIALS_DIRECTORY`), never from the config, and an error names the
//! file, never its content.

use std::fmt;
use std::path::Path;

/// A secret read from a file. Its `Debug` is redacted, so a secret carried
/// in a struct that is logged with `{:?}` never shows.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: &str) -> Secret {
        Secret(text.to_string())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Why a secret file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read the {what} file {path}: {reason}")]
    Unreadable {
        what: String,
        path: String,
        reason: String,
    },
    /// The package installs empty secret files; saying so beats signing in
    /// with an empty secret and getting a puzzling refusal.
    #[error("the {what} file {path} is empty: put the {what} in it")]
    Empty { what: String, path: String },
}

/// Reads the secret in `path` with its trailing line break trimmed. `what`
/// names it in errors ("password", "client secret").
pub fn read_secret(what: &str, path: &Path) -> Result<Secret, SecretError> {
    let text = std::fs::read_to_string(path).map_err(|e| SecretError::Unreadable {
        what: what.to_string(),
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let secret = text.trim_end_matches(['\r', '\n']);
    if secret.trim().is_empty() {
        return Err(SecretError::Empty {
            what: what.to_string(),
            path: path.display().to_string(),
        });
    }
    Ok(Secret(secret.to_string()))
}

/// The password for a server that logs in with one: None when the server
/// needs no login (no username or no password file).
pub fn read_password(server: &crate::config::Server) -> Result<Option<Secret>, SecretError> {
    match (&server.username, &server.password_file) {
        (Some(_), Some(path)) => read_secret("password", path).map(Some),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_secret_file_is_refused_by_name_and_a_line_break_is_trimmed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("imap-password");
        std::fs::write(&file, "\n").expect("write");
        let e = read_secret("password", &file).expect_err("an empty file is an error");
        assert!(e.to_string().contains("is empty"), "{e}");
        assert!(e.to_string().contains("imap-password"), "{e}");
        std::fs::write(&file, "s3cret\r\n").expect("write");
        let s = read_secret("password", &file).expect("readable");
        assert_eq!(s.expose(), "s3cret");
        assert!(!format!("{s:?}").contains("s3cret"));
        let missing = read_secret("client secret", &dir.path().join("nope")).unwrap_err();
        assert!(
            missing.to_string().contains("client secret file"),
            "{missing}"
        );
    }

    #[test]
    fn a_server_without_login_reads_no_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("pw");
        std::fs::write(&file, "s3cret\n").expect("write");
        let server = crate::config::Server {
            host: "imap.example.edu".into(),
            port: 993,
            tls: crate::config::Tls::Implicit,
            username: Some("coverage@example.edu".into()),
            password_file: Some(file),
        };
        assert_eq!(
            read_password(&server).expect("readable").map(|s| s.0),
            Some("s3cret".to_string())
        );
        let anonymous = crate::config::Server {
            username: None,
            password_file: Some(dir.path().join("missing")),
            ..server
        };
        assert_eq!(read_password(&anonymous).expect("no login"), None);
    }
}
