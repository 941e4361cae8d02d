//! `shiftcover check`: validates the config, obtains each OAuth2 token and
//! signs in to each server, and says in plain words what works; what does
//! not is said in the provider's or the server's own words, with the README
//! section to follow.

use std::path::Path;
use std::time::Duration;

use super::transport::credential;
use crate::auth::{Sources, TokenSource};
use crate::config::{CaldavAuth, CalendarBackend, MailboxBackend, OAuth2, OutboxBackend, Provider};
use crate::live::imap::{ImapError, ImapWatcher, Timeouts};
use crate::live::maildir::MaildirOut;
use crate::live::smtp::SmtpSender;

/// One line of `check`'s report.
fn say(ok: bool, what: &str, text: &str) {
    println!("{} {what}: {text}", if ok { "ok  " } else { "FAIL" });
}

/// Validates the config, then tries each server and says in plain words what
/// works. Returns whether everything did.
pub async fn check(config_path: &Path) -> anyhow::Result<bool> {
    check_desk(config_path, None).await
}

/// As [`check`], for the desk named `desk` of a several-desk config; with
/// no name there, every desk in turn, each under its name.
pub async fn check_desk(config_path: &Path, desk: Option<&str>) -> anyhow::Result<bool> {
    if desk.is_none()
        && let Ok(desks) = crate::config::desks::Desks::load(config_path)
        && desks.desks.len() > 1
    {
        let mut all_ok = true;
        for name in desks.names() {
            println!("== Desk {name}");
            all_ok &= Box::pin(check_desk(config_path, Some(&name))).await?;
        }
        return Ok(all_ok);
    }
    let loaded = crate::config::desks::Desks::load(config_path).and_then(|d| d.pick(desk));
    let config = match loaded {
        Ok(c) => c,
        Err(e) => {
            say(
                false,
                "config",
                &format!("{} does not load: {e}", config_path.display()),
            );
            return Ok(false);
        }
    };
    say(
        true,
        "config",
        &format!(
            "{} is valid ({} staff, zone {})",
            config_path.display(),
            config.roster.members.len(),
            config.timezone
        ),
    );
    let mut all_ok = true;
    // One source per credential, so IMAP and SMTP with the same credential
    // are checked with one token, as the daemon would use it.
    let sources = Sources::default();

    match &config.mailbox {
        MailboxBackend::Imap {
            server,
            folder,
            poll_interval,
            oauth2,
        } => {
            let what = format!("IMAP {}:{}", server.host, server.port);
            let token_ok = match oauth2 {
                Some(login) => check_token("IMAP", &login.oauth2, &sources).await,
                None => true,
            };
            all_ok &= token_ok;
            let result = match credential(server, oauth2, &sources) {
                Err(e) => Err(format!("{e:#}")),
                Ok(_) if !token_ok => Err("not tried: no token (see above)".to_string()),
                Ok(c) => ImapWatcher::connect_as(server, folder, &c, Timeouts::default())
                    .await
                    .map_err(|e| imap_refusal(&e, oauth2.as_ref())),
            };
            match result {
                Ok(w) => {
                    let info = w.info().clone();
                    let user = match (server.username.as_deref(), oauth2) {
                        (Some(u), Some(l)) => format!("{u} ({})", l.sasl.name()),
                        (Some(u), None) => u.to_string(),
                        (None, _) => "(no login)".to_string(),
                    };
                    let watch = if info.idle {
                        "IDLE supported".to_string()
                    } else {
                        format!(
                            "no IDLE: will poll every {}",
                            humantime::format_duration(
                                poll_interval.to_std().unwrap_or(Duration::from_secs(60))
                            )
                        )
                    };
                    say(
                        true,
                        &what,
                        &format!(
                            "logged in as {user}, folder {folder} has {} messages, {watch}",
                            info.exists
                        ),
                    );
                    w.logout().await;
                }
                Err(e) => {
                    all_ok = false;
                    say(false, &what, &e);
                }
            }
        }
        MailboxBackend::Maildir { path } => {
            let ok = path.join("cur").is_dir() || path.join("new").is_dir() || path.is_dir();
            all_ok &= ok;
            say(
                ok,
                "mailbox",
                &if ok {
                    format!(
                        "Maildir {} is there (read by simulate; run needs IMAP)",
                        path.display()
                    )
                } else {
                    format!("Maildir {} does not exist", path.display())
                },
            );
        }
    }

    match &config.outbox {
        OutboxBackend::Smtp { server, oauth2 } => {
            let what = format!("SMTP {}:{}", server.host, server.port);
            let token_ok = match oauth2 {
                Some(login) => check_token("SMTP", &login.oauth2, &sources).await,
                None => true,
            };
            all_ok &= token_ok;
            let result = match credential(server, oauth2, &sources) {
                Err(e) => Err(format!("{e:#}")),
                Ok(_) if !token_ok => Err("not tried: no token (see above)".to_string()),
                Ok(c) => match SmtpSender::with_credential(server, &c) {
                    Err(e) => Err(e.message),
                    Ok(s) => s.check().await.map_err(|e| match oauth2 {
                        Some(l) => format!("{}; {}", e.message, readme_for(&l.oauth2)),
                        None => e.message,
                    }),
                },
            };
            match result {
                Ok(()) => say(
                    true,
                    &what,
                    &match &server.username {
                        Some(u) if oauth2.is_some() => format!(
                            "EHLO accepted, signed in as {u} with an OAuth2 token ({})",
                            oauth2.as_ref().map(|l| l.sasl.name()).unwrap_or_default()
                        ),
                        Some(u) => format!("EHLO accepted, logged in as {u}"),
                        None => "EHLO accepted (no login configured: an unauthenticated relay)"
                            .to_string(),
                    },
                ),
                Err(e) => {
                    all_ok = false;
                    say(false, &what, &e);
                }
            }
        }
        OutboxBackend::Graph { mailbox, .. } => {
            let ok = crate::live::graph_mail::from_config(&config.outbox).is_ok();
            all_ok &= ok;
            say(
                ok,
                "outbox",
                &format!(
                    "mail goes through Microsoft Graph sendMail as {mailbox} (check sends none; the app needs Mail.Send)"
                ),
            );
        }
        OutboxBackend::Maildir { path } => {
            let ok = MaildirOut::new(path).is_ok();
            all_ok &= ok;
            say(
                ok,
                "outbox",
                &if ok {
                    format!("Maildir {} is writable", path.display())
                } else {
                    format!("Maildir {} cannot be created", path.display())
                },
            );
        }
    }

    match &config.calendar {
        CalendarBackend::Ics { path } => {
            let file = crate::calendar::ics_file::IcsFile::new(path.clone());
            match file.load() {
                Ok(_) => say(
                    true,
                    "calendar",
                    &format!("{} reads as iCalendar", path.display()),
                ),
                Err(e) => {
                    all_ok = false;
                    say(false, "calendar", &format!("{}: {e}", path.display()));
                }
            }
        }
        CalendarBackend::Caldav {
            url,
            username,
            password_file,
            auth,
            name,
        } => {
            let token_ok = match auth {
                CaldavAuth::Bearer(o) => check_token("CalDAV", o, &sources).await,
                _ => true,
            };
            all_ok &= token_ok;
            let result =
                match crate::calendar::caldav_auth_with(username, password_file, auth, &sources) {
                    Err(e) => Err(e),
                    Ok(_) if !token_ok => Err(crate::calendar::CalendarError::permanent(
                        "not tried: no token (see above)",
                    )),
                    Ok(http_auth) => {
                        match crate::calendar::caldav::CaldavCalendar::connect_named(
                            url,
                            name.as_deref(),
                            http_auth,
                        )
                        .await
                        {
                            Ok(cal) => cal.check().await,
                            Err(e) => Err(e),
                        }
                    }
                };
            match result {
                Ok(text) => say(true, &format!("CalDAV {url}"), &text),
                Err(e) => {
                    all_ok = false;
                    say(false, &format!("CalDAV {url}"), &e.message);
                }
            }
        }
        CalendarBackend::Graph { .. } => {
            let (ok, text) = crate::calendar::graph::check_config(&config).await;
            all_ok &= ok;
            say(ok, "Microsoft Graph calendar", &text);
        }
    }
    say(
        true,
        "sender authentication",
        &crate::service::sender_check_text(&config),
    );
    let (answers_read, answers) = crate::service::answers_check_text(&config);
    all_ok &= answers_read;
    say(answers_read, "invitation answers", &answers);
    println!(
        "{}",
        if all_ok {
            "everything configured answers"
        } else {
            "some of the configuration does not work (see FAIL above)"
        }
    );
    Ok(all_ok)
}

/// The README section that sets up this credential.
fn readme_for(o: &OAuth2) -> &'static str {
    match o.provider {
        Provider::Microsoft365 => "see README, \"Microsoft 365\"",
        Provider::Google => "see README, \"Google Workspace\"",
        Provider::Custom => "see README, \"OAuth2\"",
    }
}

/// Obtains a token for `what` and says so; on failure quotes the
/// provider's answer (error_description, AADSTS code) and names what
/// usually causes it.
async fn check_token(what: &str, o: &OAuth2, sources: &Sources) -> bool {
    let source: std::sync::Arc<TokenSource> = sources.get(o);
    let label = format!("{what} token");
    match crate::auth::BearerSource::bearer(source.as_ref()).await {
        Ok(_) => {
            let lifetime = crate::auth::BearerSource::valid_until(source.as_ref())
                .map(|u| u.saturating_duration_since(std::time::Instant::now()))
                .map(|d| {
                    format!(
                        ", valid for {}",
                        humantime::format_duration(Duration::from_secs(d.as_secs()))
                    )
                })
                .unwrap_or_default();
            say(
                true,
                &label,
                &format!(
                    "obtained from {} for {}{lifetime}",
                    o.token_url,
                    o.scopes.join(" ")
                ),
            );
            true
        }
        Err(e) => {
            let hint = token_hint(&e.to_string());
            say(false, &label, &format!("{e}{hint}; {}", readme_for(o)));
            false
        }
    }
}

/// What the provider's error code usually means, in words.
fn token_hint(text: &str) -> &'static str {
    const HINTS: &[(&str, &str)] = &[
        (
            "AADSTS7000215",
            " (the client secret is wrong: copy the secret's Value, not its ID)",
        ),
        (
            "AADSTS7000222",
            " (the client secret has expired: make a new one)",
        ),
        (
            "AADSTS700016",
            " (no such app in this tenant: check client_id and tenant)",
        ),
        ("AADSTS90002", " (no such tenant: check tenant)"),
        (
            "AADSTS700027",
            " (the certificate is not one uploaded to the app registration)",
        ),
        (
            "AADSTS1002012",
            " (the scope is wrong: it must end in /.default)",
        ),
        ("AADSTS7000112", " (the app registration is disabled)"),
        (
            "unauthorized_client",
            " (the key is not allowed this grant or scope: for Google, domain-wide delegation must list the scopes)",
        ),
        (
            "invalid_grant",
            " (the refresh token, the key or the subject was refused)",
        ),
        (
            "cannot reach",
            " (the token endpoint did not answer: network, proxy or token_url)",
        ),
    ];
    HINTS
        .iter()
        .find(|(code, _)| text.contains(code))
        .map(|(_, hint)| *hint)
        .unwrap_or("")
}

/// An IMAP sign-in failure, with what Exchange's terse refusal usually
/// means when the token was good.
fn imap_refusal(e: &ImapError, oauth2: Option<&crate::config::OAuth2Login>) -> String {
    let Some(login) = oauth2 else {
        return e.to_string();
    };
    match (e, login.oauth2.provider) {
        (ImapError::Login { .. }, Provider::Microsoft365) => format!(
            "{e}; Exchange refuses a good token when the app lacks the IMAP.AccessAsApp permission (with admin consent), when its service principal is not registered in Exchange (New-ServicePrincipal), or when it has no FullAccess to this mailbox (Add-MailboxPermission); {}",
            readme_for(&login.oauth2)
        ),
        (ImapError::Login { .. }, _) => format!(
            "{e}; the token's scope or the account's access is wrong; {}",
            readme_for(&login.oauth2)
        ),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsofts_codes_are_explained_in_words() {
        assert!(token_hint("the token endpoint answered 401 invalid_client: AADSTS7000215: Invalid client secret provided.").contains("secret is wrong"));
        assert_eq!(token_hint("something else"), "");
    }
}
