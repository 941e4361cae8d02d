//! Where mail leaves (the SMTP relay or a Maildir folder), and the sign-in
//! each mail server gets: a password, an OAuth2 token, or none.

use std::sync::Arc;

use anyhow::Context as _;

use crate::auth::{Credential, Health, Sources, read_password};
use crate::config::{Config, OAuth2Login, OutboxBackend, Server};
use crate::live::maildir::MaildirOut;
use crate::live::smtp::SmtpSender;
use crate::service::{SendError, Transport};

/// The sign-in for a mail server: its OAuth2 table when it has one (the
/// token source shared through `sources`), else its password file.
pub fn credential(
    server: &Server,
    oauth2: &Option<OAuth2Login>,
    sources: &Sources,
) -> anyhow::Result<Credential> {
    if let Some(login) = oauth2 {
        return Ok(Credential::Bearer {
            source: sources.get(&login.oauth2),
            sasl: login.sasl,
        });
    }
    Ok(match read_password(server)? {
        Some(p) => Credential::Password(p),
        None => Credential::None,
    })
}

/// Where mail leaves: the SMTP relay, Microsoft Graph's sendMail, or a
/// Maildir folder.
pub enum Outbound {
    // Boxed: the SMTP client is far larger than a Maildir path.
    Smtp(Box<SmtpSender>),
    Maildir(MaildirOut),
    Graph(Box<crate::live::graph_mail::GraphMail>),
}

impl Outbound {
    /// The outbox the config names, with token sources of its own.
    pub fn from_config(config: &Config) -> anyhow::Result<Outbound> {
        Self::from_config_with(config, &Sources::default(), None)
    }

    /// The outbox the config names; OAuth2 tokens come from `sources`
    /// (shared with the mailbox), sign-in outcomes go to `health`.
    pub fn from_config_with(
        config: &Config,
        sources: &Sources,
        health: Option<Arc<Health>>,
    ) -> anyhow::Result<Outbound> {
        Ok(match &config.outbox {
            OutboxBackend::Smtp { server, oauth2 } => {
                let credential = credential(server, oauth2, sources)?;
                let mut sender = SmtpSender::with_credential(server, &credential)
                    .map_err(|e| anyhow::anyhow!("outbox: {}", e.message))?;
                if let Some(h) = health {
                    sender = sender.reporting_to(h);
                }
                Outbound::Smtp(Box::new(sender))
            }
            OutboxBackend::Maildir { path } => Outbound::Maildir(
                MaildirOut::new(path).with_context(|| format!("outbox.path {}", path.display()))?,
            ),
            OutboxBackend::Graph { .. } => Outbound::Graph(Box::new(
                crate::live::graph_mail::from_config(&config.outbox)
                    .map_err(|e| anyhow::anyhow!("outbox: {}", e.message))?,
            )),
        })
    }
}

impl Outbound {
    /// Whether mail should be tried now: false while the relay's OAuth2
    /// sign-in is known to fail (see [`SmtpSender::may_send`]).
    pub async fn may_send(&mut self) -> bool {
        match self {
            Outbound::Smtp(s) => s.may_send().await,
            Outbound::Maildir(_) | Outbound::Graph(_) => true,
        }
    }
}

impl Transport for Outbound {
    async fn send(&mut self, mail: &crate::compose::OutgoingMail) -> Result<(), SendError> {
        match self {
            Outbound::Smtp(s) => s.send(mail).await,
            Outbound::Maildir(m) => m.send(mail).await,
            Outbound::Graph(g) => g.send_mail(mail).await,
        }
    }
}
