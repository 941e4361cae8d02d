//! The OAuth2 part of the config: the shared `[oauth2]` block, the per-server
//! `[mailbox.oauth2]`, `[outbox.oauth2]` and `[calendar.oauth2]` tables, and
//! the provider presets that fill in what Microsoft 365 and Google Workspace
//! always use. Anything a preset fills in can be written out to override it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, Tls, credential_path, err};

/// One OAuth2 credential as written: a table of the same keys wherever it
/// appears.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOAuth2 {
    pub provider: Option<String>,
    pub tenant: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_file: Option<String>,
    pub certificate_file: Option<String>,
    pub private_key_file: Option<String>,
    pub service_account_key_file: Option<String>,
    pub subject: Option<String>,
    pub refresh_token_file: Option<String>,
    pub token_url: Option<String>,
    pub scopes: Option<Vec<String>>,
}

/// Whose sign-in this is; decides the presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Microsoft365,
    Google,
    Custom,
}

/// How the token is obtained. Every secret is a file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Grant {
    /// Client credentials with a client secret.
    ClientSecret { client_secret_file: PathBuf },
    /// Client credentials with a certificate: a client assertion signed with
    /// the private key (RFC 7523 sec 2.2).
    Certificate {
        certificate_file: PathBuf,
        private_key_file: PathBuf,
    },
    /// A Google service account's JSON key: the JWT bearer grant (RFC 7523
    /// sec 2.1), acting for `subject` under domain-wide delegation.
    ServiceAccount {
        key_file: PathBuf,
        subject: Option<String>,
    },
    /// A refresh token from a one-time consent; the client secret is
    /// optional (public clients have none).
    RefreshToken {
        refresh_token_file: PathBuf,
        client_secret_file: Option<PathBuf>,
    },
}

/// A validated OAuth2 credential for one server (one audience: `scopes`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OAuth2 {
    pub provider: Provider,
    pub token_url: String,
    /// Empty for a Google service account, whose key file names its client.
    pub client_id: String,
    pub grant: Grant,
    pub scopes: Vec<String>,
}

/// The SASL mechanism a mail server is signed in to with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sasl {
    /// Google's and Microsoft's XOAUTH2.
    Xoauth2,
    /// RFC 7628's OAUTHBEARER.
    OAuthBearer,
}

impl Sasl {
    pub fn name(self) -> &'static str {
        match self {
            Sasl::Xoauth2 => "XOAUTH2",
            Sasl::OAuthBearer => "OAUTHBEARER",
        }
    }
}

/// How a mail server (IMAP or SMTP) is signed in to with OAuth2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Login {
    pub oauth2: OAuth2,
    pub sasl: Sasl,
}

/// Which server a credential is for: decides the preset scope and server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Imap,
    Smtp,
    Caldav,
    /// Microsoft Graph (the calendar backend of issue 10).
    Graph,
}

/// What a preset fills in for a server.
pub struct ServerPreset {
    pub host: &'static str,
    pub port: u16,
    pub tls: Tls,
}

impl Provider {
    /// The server a provider's mailbox or outbox lives on.
    pub fn server(self, what: Use) -> Option<ServerPreset> {
        match (self, what) {
            (Provider::Microsoft365, Use::Imap) => Some(ServerPreset {
                host: "outlook.office365.com",
                port: 993,
                tls: Tls::Implicit,
            }),
            (Provider::Microsoft365, Use::Smtp) => Some(ServerPreset {
                host: "smtp.office365.com",
                port: 587,
                tls: Tls::StartTls,
            }),
            (Provider::Google, Use::Imap) => Some(ServerPreset {
                host: "imap.gmail.com",
                port: 993,
                tls: Tls::Implicit,
            }),
            (Provider::Google, Use::Smtp) => Some(ServerPreset {
                host: "smtp.gmail.com",
                port: 587,
                tls: Tls::StartTls,
            }),
            _ => None,
        }
    }

    fn scope(self, what: Use) -> Option<&'static str> {
        match (self, what) {
            (Provider::Microsoft365, Use::Imap | Use::Smtp) => {
                Some("https://outlook.office365.com/.default")
            }
            // Exchange Online offers no CalDAV; the Graph backend asks for
            // https://graph.microsoft.com/.default itself.
            (Provider::Microsoft365, Use::Caldav) => None,
            (Provider::Google, Use::Imap | Use::Smtp) => Some("https://mail.google.com/"),
            (Provider::Google, Use::Caldav) => Some("https://www.googleapis.com/auth/calendar"),
            (Provider::Microsoft365, Use::Graph) => Some(MICROSOFT_GRAPH_SCOPE),
            (Provider::Google, Use::Graph) => None,
            (Provider::Custom, _) => None,
        }
    }
}

/// The scope Microsoft Graph is asked for (the Graph backend uses it).
pub const MICROSOFT_GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
/// Google's token endpoint.
pub const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
/// Google Calendar's CalDAV endpoint for one calendar.
pub fn google_caldav_url(calendar_id: &str) -> String {
    format!("https://apidata.googleusercontent.com/caldav/v2/{calendar_id}/events/")
}

/// The provider a credential names, before the rest is validated (the
/// server presets need it early).
pub fn provider_of(key: &str, raw: &RawOAuth2) -> Result<Provider, ConfigError> {
    match raw.provider.as_deref() {
        None | Some("custom") => Ok(Provider::Custom),
        Some("microsoft365") => Ok(Provider::Microsoft365),
        Some("google") => Ok(Provider::Google),
        Some(other) => Err(err(
            format!("{key}.provider"),
            format!("{other:?} is not a provider; use \"microsoft365\", \"google\" or \"custom\""),
        )),
    }
}

/// Validates one credential for one server. `key` is where it was written
/// ("oauth2" or "mailbox.oauth2"), so errors name the right table.
pub fn validate(key: &str, raw: &RawOAuth2, what: Use, dir: &Path) -> Result<OAuth2, ConfigError> {
    let provider = provider_of(key, raw)?;
    let k = |name: &str| format!("{key}.{name}");
    let file = |p: &Option<String>| p.as_deref().map(|p| credential_path(dir, p));

    let grant = match (
        &raw.client_secret_file,
        &raw.certificate_file,
        &raw.service_account_key_file,
        &raw.refresh_token_file,
    ) {
        (_, None, None, Some(_)) => Grant::RefreshToken {
            refresh_token_file: file(&raw.refresh_token_file).unwrap_or_default(),
            client_secret_file: file(&raw.client_secret_file),
        },
        (Some(_), None, None, None) => Grant::ClientSecret {
            client_secret_file: file(&raw.client_secret_file).unwrap_or_default(),
        },
        (None, Some(_), None, None) => {
            let Some(key_file) = file(&raw.private_key_file) else {
                return Err(err(
                    k("private_key_file"),
                    "is required with certificate_file: the PEM file of the certificate's private key",
                ));
            };
            Grant::Certificate {
                certificate_file: file(&raw.certificate_file).unwrap_or_default(),
                private_key_file: key_file,
            }
        }
        (None, None, Some(_), None) => Grant::ServiceAccount {
            key_file: file(&raw.service_account_key_file).unwrap_or_default(),
            subject: raw.subject.clone(),
        },
        (None, None, None, None) => {
            return Err(err(
                k("client_secret_file"),
                "no grant given: write one of client_secret_file, certificate_file (with private_key_file), service_account_key_file or refresh_token_file",
            ));
        }
        _ => {
            return Err(err(
                key,
                "give exactly one grant: client_secret_file, certificate_file, service_account_key_file or refresh_token_file (client_secret_file may go beside refresh_token_file)",
            ));
        }
    };
    if raw.private_key_file.is_some() && !matches!(grant, Grant::Certificate { .. }) {
        return Err(err(
            k("private_key_file"),
            "goes with certificate_file; remove it or add the certificate",
        ));
    }
    if raw.subject.is_some() && !matches!(grant, Grant::ServiceAccount { .. }) {
        return Err(err(
            k("subject"),
            "is the user a Google service account acts for; it goes with service_account_key_file",
        ));
    }

    if raw.tenant.is_some() && provider != Provider::Microsoft365 {
        return Err(err(
            k("tenant"),
            "is for provider = \"microsoft365\"; with another provider write token_url",
        ));
    }
    let token_url = match (&raw.token_url, provider) {
        (Some(u), _) => u.clone(),
        (None, Provider::Microsoft365) => match &raw.tenant {
            Some(t) if !t.trim().is_empty() => format!(
                "https://login.microsoftonline.com/{}/oauth2/v2.0/token",
                t.trim()
            ),
            _ => {
                return Err(err(
                    k("tenant"),
                    "is required with provider = \"microsoft365\": your tenant's domain (\"contoso.onmicrosoft.com\") or its Directory (tenant) ID",
                ));
            }
        },
        (None, Provider::Google) => GOOGLE_TOKEN_URL.to_string(),
        // A service account key file names its own token endpoint.
        (None, Provider::Custom) if matches!(grant, Grant::ServiceAccount { .. }) => {
            GOOGLE_TOKEN_URL.to_string()
        }
        (None, Provider::Custom) => {
            return Err(err(
                k("token_url"),
                "is required with provider = \"custom\": the token endpoint's https URL",
            ));
        }
    };
    if !(token_url.starts_with("https://") || token_url.starts_with("http://")) {
        return Err(err(
            k("token_url"),
            format!("{token_url:?} is not an http(s) URL"),
        ));
    }
    let client_id = raw.client_id.clone().unwrap_or_default().trim().to_string();
    if client_id.is_empty() && !matches!(grant, Grant::ServiceAccount { .. }) {
        return Err(err(
            k("client_id"),
            "is required: the application (client) ID of the app registration",
        ));
    }
    let scopes = match &raw.scopes {
        Some(s) if s.is_empty() => {
            return Err(err(k("scopes"), "is empty; name at least one scope"));
        }
        Some(s) => s.clone(),
        None => match provider.scope(what) {
            Some(s) => vec![s.to_string()],
            None => {
                return Err(err(
                    k("scopes"),
                    "is required here: no preset knows this server's scope; write it like scopes = [\"https://outlook.office365.com/.default\"]",
                ));
            }
        },
    };
    Ok(OAuth2 {
        provider,
        token_url,
        client_id,
        grant,
        scopes,
    })
}

/// `auth` as written for a mail server: password or oauth2. A server with its
/// own oauth2 table signs in with it unless `auth` says otherwise.
pub fn mail_auth(
    section: &str,
    auth: Option<&str>,
    sasl: Option<&str>,
    own: &Option<RawOAuth2>,
) -> Result<Option<Sasl>, ConfigError> {
    let oauth = match auth {
        None => own.is_some(),
        Some("password") => false,
        Some("oauth2") => true,
        Some(other) => {
            return Err(err(
                format!("{section}.auth"),
                format!("{other:?} is not a sign-in method here; use \"password\" or \"oauth2\""),
            ));
        }
    };
    if !oauth {
        if own.is_some() {
            return Err(err(
                format!("{section}.oauth2"),
                format!(
                    "is given but {section}.auth = \"password\"; write auth = \"oauth2\" or remove the table"
                ),
            ));
        }
        if sasl.is_some() {
            return Err(err(
                format!("{section}.sasl"),
                "goes with auth = \"oauth2\"",
            ));
        }
        return Ok(None);
    }
    Ok(Some(parse_sasl(section, sasl)?))
}

fn parse_sasl(section: &str, sasl: Option<&str>) -> Result<Sasl, ConfigError> {
    match sasl {
        None | Some("xoauth2") => Ok(Sasl::Xoauth2),
        Some("oauthbearer") => Ok(Sasl::OAuthBearer),
        Some(other) => Err(err(
            format!("{section}.sasl"),
            format!("{other:?} is not a SASL mechanism; use \"xoauth2\" or \"oauthbearer\""),
        )),
    }
}

/// The credential a server uses: its own table, else the shared `[oauth2]`.
pub fn pick<'a>(
    section: &str,
    own: &'a Option<RawOAuth2>,
    shared: &'a Option<RawOAuth2>,
) -> Result<(String, &'a RawOAuth2), ConfigError> {
    match (own, shared) {
        (Some(o), _) => Ok((format!("{section}.oauth2"), o)),
        (None, Some(s)) => Ok(("oauth2".to_string(), s)),
        (None, None) => Err(err(
            format!("{section}.auth"),
            format!(
                "is \"oauth2\" but there is no [oauth2] block and no [{section}.oauth2] table; add one (see README, \"Microsoft 365\" or \"Google Workspace\")"
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_microsoft_credential_gets_each_servers_audience() {
        let raw = RawOAuth2 {
            provider: Some("microsoft365".into()),
            tenant: Some("contoso.onmicrosoft.com".into()),
            client_id: Some("app".into()),
            client_secret_file: Some("/run/credentials/s".into()),
            ..RawOAuth2::default()
        };
        let dir = Path::new("/etc/shiftcover");
        let graph = validate("oauth2", &raw, Use::Graph, dir).expect("graph");
        assert_eq!(graph.scopes, vec![MICROSOFT_GRAPH_SCOPE.to_string()]);
        let imap = validate("oauth2", &raw, Use::Imap, dir).expect("imap");
        assert_eq!(
            imap.scopes,
            vec!["https://outlook.office365.com/.default".to_string()]
        );
        assert_ne!(graph, imap, "two audiences, two tokens");
        let e = validate("oauth2", &raw, Use::Caldav, dir).unwrap_err();
        assert_eq!(e.key, "oauth2.scopes", "{e}");
    }
}
