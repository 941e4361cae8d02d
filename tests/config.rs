//! Configuration: the example loads, and every mistake gets an error that
//! names the key and says what would be right.

use std::path::Path;

use shiftcover::config::{
    CaldavAuth, CalendarBackend, Config, DateOrder, Grant, MailboxBackend, OutboxBackend, Sasl, Tls,
};

const BASE: &str = r#"
timezone = "America/New_York"
date_order = "mdy"

[list]
address = "ask-chat@example.edu"
sender = "Ask Chat Coverage <coverage@example.edu>"

[coordinator]
name = "Courtney Crummett"
email = "ccrummett@example.edu"

[policy]
second_call_after = "48h"

[[staff]]
name = "Angie Lopez"
email = "alopez@example.edu"
initials = "AL"
aliases = ["Angie"]

[[staff]]
name = "Ben Okafor"
email = "BOkafor@example.edu"

[calendar]
backend = "ics"
path = "schedule.ics"

[mailbox]
backend = "maildir"
path = "inbox"

[outbox]
backend = "maildir"
path = "outbox"
"#;

fn dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("schedule.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    d
}

fn load(text: &str) -> Result<Config, shiftcover::config::ConfigError> {
    let d = dir();
    Config::from_toml(text, d.path())
}

/// Asserts the text fails with an error about `key` whose message mentions `hint`.
fn fails(text: &str, key: &str, hint: &str) {
    match load(text) {
        Ok(_) => panic!("expected an error about {key}"),
        Err(e) => {
            assert_eq!(e.key, key, "wrong key in: {e}");
            assert!(
                e.to_string().contains(hint),
                "{e:?} does not mention {hint:?}"
            );
        }
    }
}

#[test]
fn the_base_config_loads_with_defaults_filled_in() {
    let d = dir();
    let c = Config::from_toml(BASE, d.path()).unwrap();
    assert_eq!(c.timezone, chrono_tz::America::New_York);
    assert_eq!(c.date_order, DateOrder::Mdy);
    assert_eq!(c.policy.second_call_after, chrono::TimeDelta::hours(48));
    assert_eq!(c.policy.escalate_before_shift, chrono::TimeDelta::hours(72));
    assert_eq!(c.policy.min_notice, chrono::TimeDelta::days(7));
    assert_eq!(
        c.service_hours.open,
        chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap()
    );
    // Emails are lowercased; initials default from the name.
    let ben = c.roster.by_email("bokafor@example.edu").unwrap();
    assert_eq!(ben.initials, "BO");
    assert_eq!(
        c.roster.by_name("angie").unwrap().email,
        "alopez@example.edu"
    );
    assert_eq!(c.roster.by_name("AL").unwrap().email, "alopez@example.edu");
    assert!(
        matches!(c.calendar, CalendarBackend::Ics { ref path } if path == &d.path().join("schedule.ics"))
    );
    assert!(matches!(c.mailbox, MailboxBackend::Maildir { .. }));
    assert!(c.database_url.starts_with("sqlite://"));
    assert!(c.database_url.ends_with("state.db"));
    assert!(Path::new(c.database_url.trim_start_matches("sqlite://")).is_absolute());
}

#[test]
fn the_annotated_example_loads() {
    let d = dir();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/shiftcover.example.toml"),
    )
    .unwrap();
    let c = Config::from_toml(&text, d.path()).unwrap();
    assert_eq!(c.coordinator.email, "ccrummett@example.edu");
    assert_eq!(c.label, shiftcover::config::DEFAULT_LABEL);
}

#[test]
fn an_unknown_key_is_named() {
    fails(
        &BASE.replace("[policy]", "[policy]\nsecond_cal_after = \"1h\""),
        "second_cal_after",
        "unknown field",
    );
}

#[test]
fn a_bad_time_zone_is_refused() {
    fails(
        &BASE.replace("America/New_York", "America/NewYork"),
        "timezone",
        "America/New_York",
    );
}

#[test]
fn a_bad_duration_is_refused() {
    fails(
        &BASE.replace("\"48h\"", "\"two days\""),
        "policy.second_call_after",
        "48h",
    );
}

#[test]
fn an_email_listed_twice_is_refused() {
    fails(
        &BASE.replace("BOkafor@example.edu", "alopez@example.edu"),
        "staff[1].email",
        "listed twice",
    );
}

#[test]
fn initials_shared_by_two_people_are_refused() {
    let text = BASE.replace(
        "email = \"BOkafor@example.edu\"",
        "email = \"bokafor@example.edu\"\ninitials = \"AL\"",
    );
    fails(&text, "staff[1].initials", "initials of both");
}

#[test]
fn a_missing_calendar_file_is_refused() {
    fails(
        &BASE.replace("path = \"schedule.ics\"", "path = \"nope.ics\""),
        "calendar.path",
        "does not exist",
    );
}

#[test]
fn a_bad_date_order_is_refused() {
    fails(&BASE.replace("\"mdy\"", "\"ymd\""), "date_order", "mdy");
}

#[test]
fn a_bad_digest_time_is_refused() {
    fails(
        &BASE.replace("[policy]", "[policy]\ndigest = \"monday at 8\""),
        "policy.digest",
        "mon 08:00",
    );
}

#[test]
fn a_bad_address_is_refused() {
    fails(
        &BASE.replace("ccrummett@example.edu", "courtney"),
        "coordinator.email",
        "not an email address",
    );
}

#[test]
fn keys_of_another_backend_are_refused() {
    fails(
        &BASE.replace(
            "path = \"inbox\"",
            "path = \"inbox\"\nhost = \"imap.example.edu\"",
        ),
        "mailbox.host",
        "backend = \"imap\"",
    );
}

#[test]
fn imap_and_smtp_need_a_host_and_default_their_ports() {
    let text = BASE
        .replace(
            "backend = \"maildir\"\npath = \"inbox\"",
            "backend = \"imap\"\nhost = \"imap.example.edu\"\nusername = \"coverage\"\npassword_file = \"imap-password\"",
        )
        .replace(
            "backend = \"maildir\"\npath = \"outbox\"",
            "backend = \"smtp\"\nhost = \"smtp.example.edu\"",
        );
    let c = load(&text).unwrap();
    match c.mailbox {
        MailboxBackend::Imap { server, folder, .. } => {
            assert_eq!(server.port, 993);
            assert_eq!(server.tls, Tls::Implicit);
            assert_eq!(folder, "INBOX");
        }
        other => panic!("{other:?}"),
    }
    match c.outbox {
        OutboxBackend::Smtp { server, .. } => {
            assert_eq!(server.port, 587);
            assert_eq!(server.tls, Tls::StartTls);
        }
        other => panic!("{other:?}"),
    }
    fails(
        &BASE.replace(
            "backend = \"maildir\"\npath = \"inbox\"",
            "backend = \"imap\"",
        ),
        "mailbox.host",
        "required",
    );
}

#[test]
fn plain_text_is_only_allowed_on_loopback() {
    let text = BASE.replace(
        "backend = \"maildir\"\npath = \"outbox\"",
        "backend = \"smtp\"\nhost = \"smtp.example.edu\"\ntls = \"none\"",
    );
    fails(&text, "outbox.tls", "loopback");
    let ok = BASE.replace(
        "backend = \"maildir\"\npath = \"outbox\"",
        "backend = \"smtp\"\nhost = \"127.0.0.1\"\nport = 2525\ntls = \"none\"",
    );
    assert!(load(&ok).is_ok());
}

#[test]
fn a_username_without_a_password_file_is_refused() {
    let text = BASE.replace(
        "backend = \"maildir\"\npath = \"outbox\"",
        "backend = \"smtp\"\nhost = \"smtp.example.edu\"\nusername = \"coverage\"",
    );
    fails(&text, "outbox.password_file", "go together");
}

#[test]
fn a_label_without_the_coverer_is_refused() {
    fails(
        &BASE.replace(
            "path = \"schedule.ics\"",
            "path = \"schedule.ics\"\nlabel = \"covered\"",
        ),
        "calendar.label",
        "coverer",
    );
}

#[test]
fn the_sender_must_not_be_the_list() {
    fails(
        &BASE.replace(
            "Ask Chat Coverage <coverage@example.edu>",
            "ask-chat@example.edu",
        ),
        "list.sender",
        "differ",
    );
}

// ---------------------------------------------------------------------------
// OAuth2 (README, "OAuth2", "Microsoft 365", "Google Workspace").

/// BASE with an IMAP mailbox and an SMTP outbox signing in with OAuth2 and
/// `oauth2` as the shared block.
fn with_oauth2(oauth2: &str, mailbox_extra: &str, outbox_extra: &str) -> String {
    format!(
        "{}\n[oauth2]\n{oauth2}\n",
        BASE.replace(
            "backend = \"maildir\"\npath = \"inbox\"",
            &format!(
                "backend = \"imap\"\nauth = \"oauth2\"\nusername = \"ask-chat@example.edu\"\n{mailbox_extra}"
            ),
        )
        .replace(
            "backend = \"maildir\"\npath = \"outbox\"",
            &format!(
                "backend = \"smtp\"\nauth = \"oauth2\"\nusername = \"ask-chat@example.edu\"\n{outbox_extra}"
            ),
        )
    )
}

const M365: &str = "provider = \"microsoft365\"\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"app-id\"\nclient_secret_file = \"oauth-client-secret\"";

#[test]
fn the_microsoft_365_preset_fills_the_servers_the_token_url_and_the_scope() {
    let c = load(&with_oauth2(M365, "", "")).unwrap();
    let MailboxBackend::Imap { server, oauth2, .. } = c.mailbox else {
        panic!("imap")
    };
    assert_eq!(
        (server.host.as_str(), server.port, server.tls),
        ("outlook.office365.com", 993, Tls::Implicit)
    );
    assert_eq!(server.username.as_deref(), Some("ask-chat@example.edu"));
    assert_eq!(server.password_file, None);
    let login = oauth2.expect("oauth2");
    assert_eq!(login.sasl, Sasl::Xoauth2);
    assert_eq!(
        login.oauth2.token_url,
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(
        login.oauth2.scopes,
        vec!["https://outlook.office365.com/.default".to_string()]
    );
    assert!(matches!(login.oauth2.grant, Grant::ClientSecret { .. }));
    let OutboxBackend::Smtp { server, oauth2 } = c.outbox else {
        panic!("smtp")
    };
    assert_eq!(
        (server.host.as_str(), server.port, server.tls),
        ("smtp.office365.com", 587, Tls::StartTls)
    );
    // One credential, one audience: IMAP and SMTP can share the token.
    assert_eq!(oauth2.expect("oauth2").oauth2, login.oauth2);
}

#[test]
fn what_a_preset_fills_can_be_overridden() {
    let text = with_oauth2(
        &format!(
            "{M365}\ntoken_url = \"http://127.0.0.1:2200/token\"\nscopes = [\"api://x/.default\"]"
        ),
        "host = \"127.0.0.1\"\nport = 2201\ntls = \"none\"\nsasl = \"oauthbearer\"",
        "",
    );
    let c = load(&text).unwrap();
    let MailboxBackend::Imap { server, oauth2, .. } = c.mailbox else {
        panic!("imap")
    };
    assert_eq!(
        (server.host.as_str(), server.port, server.tls),
        ("127.0.0.1", 2201, Tls::None)
    );
    let login = oauth2.expect("oauth2");
    assert_eq!(login.sasl, Sasl::OAuthBearer);
    assert_eq!(login.oauth2.token_url, "http://127.0.0.1:2200/token");
    assert_eq!(login.oauth2.scopes, vec!["api://x/.default".to_string()]);
}

#[test]
fn the_google_preset_fills_gmail_and_the_calendar_from_its_id() {
    let google = "provider = \"google\"\nservice_account_key_file = \"sa.json\"\nsubject = \"ask-chat@example.edu\"";
    let text = with_oauth2(google, "", "").replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
        "[calendar]\nbackend = \"caldav\"\nauth = \"oauth2\"\ncalendar_id = \"ask-chat@example.edu\"",
    );
    let c = load(&text).unwrap();
    let MailboxBackend::Imap { server, oauth2, .. } = c.mailbox else {
        panic!("imap")
    };
    assert_eq!((server.host.as_str(), server.port), ("imap.gmail.com", 993));
    let login = oauth2.expect("oauth2");
    assert_eq!(
        login.oauth2.token_url,
        "https://oauth2.googleapis.com/token"
    );
    assert_eq!(
        login.oauth2.scopes,
        vec!["https://mail.google.com/".to_string()]
    );
    assert!(matches!(
        &login.oauth2.grant,
        Grant::ServiceAccount { subject: Some(s), .. } if s == "ask-chat@example.edu"
    ));
    let OutboxBackend::Smtp { server, .. } = c.outbox else {
        panic!("smtp")
    };
    assert_eq!((server.host.as_str(), server.port), ("smtp.gmail.com", 587));
    let CalendarBackend::Caldav { url, auth, .. } = c.calendar else {
        panic!("caldav")
    };
    assert_eq!(
        url,
        "https://apidata.googleusercontent.com/caldav/v2/ask-chat@example.edu/events/"
    );
    let CaldavAuth::Bearer(o) = auth else {
        panic!("bearer")
    };
    assert_eq!(
        o.scopes,
        vec!["https://www.googleapis.com/auth/calendar".to_string()]
    );
}

#[test]
fn a_server_may_carry_its_own_credential_and_caldav_may_use_digest() {
    let text = BASE
        .replace(
            "backend = \"maildir\"\npath = \"inbox\"",
            "backend = \"imap\"\nhost = \"imap.example.edu\"\nusername = \"ask-chat@example.edu\"\n\n[mailbox.oauth2]\ntoken_url = \"https://idp.example.edu/token\"\nclient_id = \"c\"\nrefresh_token_file = \"rt\"\nscopes = [\"mail\"]",
        )
        .replace(
            "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
            "[calendar]\nbackend = \"caldav\"\nurl = \"https://dav.example.edu/cal/\"\nauth = \"digest\"\nusername = \"coverage\"\npassword_file = \"caldav-password\"",
        );
    let c = load(&text).unwrap();
    let MailboxBackend::Imap { server, oauth2, .. } = c.mailbox else {
        panic!("imap")
    };
    assert_eq!(
        (server.host.as_str(), server.port),
        ("imap.example.edu", 993)
    );
    let login = oauth2.expect("its own table means oauth2");
    assert!(matches!(
        login.oauth2.grant,
        Grant::RefreshToken {
            client_secret_file: None,
            ..
        }
    ));
    assert!(matches!(
        c.calendar,
        CalendarBackend::Caldav {
            auth: CaldavAuth::Digest,
            ..
        }
    ));
}

#[test]
fn oauth2_mistakes_name_the_key_and_say_what_would_be_right() {
    fails(
        &with_oauth2(
            &format!("{M365}\nrefresh_token_file = \"rt\"\ncertificate_file = \"c.pem\""),
            "",
            "",
        ),
        "oauth2",
        "exactly one grant",
    );
    fails(
        &with_oauth2(
            "provider = \"microsoft365\"\nclient_id = \"a\"\nclient_secret_file = \"s\"",
            "",
            "",
        ),
        "oauth2.tenant",
        "contoso.onmicrosoft.com",
    );
    fails(
        &with_oauth2(
            "provider = \"microsoft365\"\ntenant = \"t\"\nclient_id = \"a\"",
            "",
            "",
        ),
        "oauth2.client_secret_file",
        "no grant given",
    );
    fails(
        &with_oauth2(&format!("{M365}\nprovider2 = 1"), "", ""),
        "provider2",
        "unknown field",
    );
    fails(
        &with_oauth2("provider = \"azure\"", "", ""),
        "oauth2.provider",
        "\"microsoft365\", \"google\" or \"custom\"",
    );
    fails(
        &with_oauth2(M365, "sasl = \"plain\"", ""),
        "mailbox.sasl",
        "\"xoauth2\" or \"oauthbearer\"",
    );
    fails(
        &with_oauth2(M365, "password_file = \"imap-password\"", ""),
        "mailbox.password_file",
        "auth = \"password\"",
    );
    fails(
        &with_oauth2(
            &format!("{M365}\ncertificate_file = \"c.pem\"")
                .replace("client_secret_file = \"oauth-client-secret\"\n", ""),
            "",
            "",
        ),
        "oauth2.private_key_file",
        "private key",
    );
    fails(
        &with_oauth2(
            "provider = \"custom\"\nclient_id = \"a\"\nclient_secret_file = \"s\"",
            "host = \"h\"",
            "host = \"h\"",
        ),
        "oauth2.token_url",
        "required",
    );
    // auth = "oauth2" with no credential anywhere.
    let no_block = with_oauth2(M365, "", "");
    let no_block = &no_block[..no_block.find("\n[oauth2]").unwrap()];
    fails(no_block, "mailbox.auth", "no [oauth2] block");
    fails(
        &BASE.replace(
            "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
            "[calendar]\nbackend = \"caldav\"\nurl = \"https://dav.example.edu/\"\nauth = \"kerberos\"",
        ),
        "calendar.auth",
        "\"password\", \"digest\" or \"oauth2\"",
    );
}

// The command line: where the configuration comes from, and the exit status
// of one that does not load. These run the real binary.

mod command_line {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};

    fn shiftcover() -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_shiftcover"));
        c.env_remove("SHIFTCOVER_CONFIG");
        c
    }

    fn messages() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages")
    }

    fn ok_stdout(out: Output) -> String {
        assert!(
            out.status.success(),
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    #[test]
    fn the_config_is_named_by_c_before_the_command_by_config_after_it_or_by_shiftcover_config() {
        let config = messages().join("shiftcover.toml");
        let message = messages().join("2nd-01-still-looking.eml");
        let short = ok_stdout(
            shiftcover()
                .arg("-c")
                .arg(&config)
                .arg("parse")
                .arg(&message)
                .output()
                .expect("run"),
        );
        assert!(short.contains("\"kind\":\"second_call\""), "{short}");
        let long_after = ok_stdout(
            shiftcover()
                .args(["parse", "--config"])
                .arg(&config)
                .arg(&message)
                .output()
                .expect("run"),
        );
        let from_env = ok_stdout(
            shiftcover()
                .env("SHIFTCOVER_CONFIG", &config)
                .arg("parse")
                .arg(&message)
                .output()
                .expect("run"),
        );
        assert_eq!(short, long_after);
        assert_eq!(short, from_env);
        // The flag wins over the variable.
        let flag_wins = ok_stdout(
            shiftcover()
                .env("SHIFTCOVER_CONFIG", "/nonexistent/shiftcover.toml")
                .arg("--config")
                .arg(&config)
                .arg("parse")
                .arg(&message)
                .output()
                .expect("run"),
        );
        assert_eq!(short, flag_wins);
    }

    #[test]
    fn without_a_flag_or_variable_the_config_is_the_one_in_etc() {
        if Path::new("/etc/shiftcover/shiftcover.toml").exists() {
            eprintln!("skipping: this machine has /etc/shiftcover/shiftcover.toml");
            return;
        }
        let out = shiftcover().arg("status").output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("/etc/shiftcover/shiftcover.toml"), "{err}");
        assert_eq!(out.status.code(), Some(78), "{err}");
    }

    /// A folder with a config whose `timezone` is wrong.
    fn broken_config() -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().expect("tempdir");
        let text = std::fs::read_to_string(messages().join("shiftcover.toml"))
            .expect("config")
            .replace("America/New_York", "America/NewYork");
        std::fs::copy(
            messages().join("schedule.ics"),
            d.path().join("schedule.ics"),
        )
        .expect("calendar");
        let path = d.path().join("shiftcover.toml");
        std::fs::write(&path, text).expect("write");
        (d, path)
    }

    #[test]
    fn a_config_that_does_not_load_exits_with_ex_config_from_every_command() {
        let (_d, config) = broken_config();
        for args in [
            vec!["run"],
            vec!["check"],
            vec!["status"],
            vec!["simulate", "--until", "2027-04-10T12:00:00-04:00"],
            vec!["parse", "x.eml"],
        ] {
            let out = shiftcover()
                .arg("--config")
                .arg(&config)
                .args(&args)
                .output()
                .expect("run");
            let said = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(out.status.code(), Some(78), "{args:?}: {said}");
            assert!(said.contains("timezone"), "{args:?} names the key: {said}");
        }
        // A missing file is a configuration that does not load too.
        let out = shiftcover()
            .args(["run", "--config", "/nonexistent/shiftcover.toml"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(78));
    }
}

#[test]
fn the_authserv_id_is_lowercased_and_a_malformed_one_is_named() {
    let with = |id: &str| {
        BASE.replace(
            "[mailbox]\nbackend = \"maildir\"\npath = \"inbox\"",
            &format!("[mailbox]\nbackend = \"maildir\"\npath = \"inbox\"\nauthserv_id = {id:?}"),
        )
    };
    assert_eq!(load(BASE).unwrap().authserv_id, None);
    assert_eq!(
        load(&with("MX.Example.edu"))
            .unwrap()
            .authserv_id
            .as_deref(),
        Some("mx.example.edu")
    );
    fails(
        &with("mx.example.edu; spf=pass"),
        "mailbox.authserv_id",
        "mx.example.edu",
    );
    fails(&with(""), "mailbox.authserv_id", "Authentication-Results");
}

#[test]
fn check_says_whether_senders_are_authenticated() {
    let messages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let d = dir();
    std::fs::copy(messages.join("schedule.ics"), d.path().join("schedule.ics")).unwrap();
    let text = std::fs::read_to_string(messages.join("shiftcover.toml")).unwrap();
    let check = |text: &str| {
        let path = d.path().join("shiftcover.toml");
        std::fs::write(&path, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_shiftcover"))
            .arg("check")
            .arg("-c")
            .arg(&path)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let said = check(&text);
    assert!(
        said.contains("sender authentication: not checked: no mailbox.authserv_id is set"),
        "{said}"
    );
    let said = check(&text.replace(
        "[mailbox]\nbackend = \"maildir\"\npath = \"inbox\"",
        "[mailbox]\nbackend = \"maildir\"\npath = \"inbox\"\nauthserv_id = \"mx.example.edu\"",
    ));
    assert!(
        said.contains("sender authentication: mail from staff is acted on only when mx.example.edu's Authentication-Results header vouches for it"),
        "{said}"
    );
}

/// BASE with an IMAP mailbox logging in as `login` and an SMTP outbox with
/// `extra` lines in its section.
fn live(login: &str, extra: &str) -> String {
    BASE.replace(
        "backend = \"maildir\"\npath = \"inbox\"",
        &format!(
            "backend = \"imap\"\nhost = \"imap.example.edu\"\nusername = \"{login}\"\npassword_file = \"imap-password\""
        ),
    )
    .replace(
        "backend = \"maildir\"\npath = \"outbox\"",
        &format!("backend = \"smtp\"\nhost = \"smtp.example.edu\"\n{extra}"),
    )
}

#[test]
fn the_echo_goes_to_the_mailbox_the_program_reads() {
    let c = load(&live("Coverage@example.edu", "")).unwrap();
    assert_eq!(c.delivery.echo_to.as_deref(), Some("coverage@example.edu"));
    assert_eq!(c.delivery.echo_wait, chrono::TimeDelta::minutes(2));
    assert_eq!(c.delivery.give_up_after, chrono::TimeDelta::days(3));
    assert_eq!(c.reply_wait, chrono::TimeDelta::minutes(2));
    // A login that is no address: the program's sender address.
    let c = load(&live("coverage", "")).unwrap();
    assert_eq!(c.delivery.echo_to.as_deref(), Some("coverage@example.edu"));
    let c = load(&live("coverage", "echo_to = \"none\"\necho_wait = \"30s\"")).unwrap();
    assert_eq!(c.delivery.echo_to, None);
    assert_eq!(c.delivery.echo_wait, chrono::TimeDelta::seconds(30));
    // The Maildir outbox needs no echo.
    assert_eq!(load(BASE).unwrap().delivery.echo_to, None);
}

#[test]
fn a_bad_echo_address_or_wait_is_refused_by_name() {
    fails(
        &live("coverage", "echo_to = \"coverage\""),
        "outbox.echo_to",
        "not an address",
    );
    fails(
        &live("coverage", "give_up_after = \"soon\""),
        "outbox.give_up_after",
        "not a duration",
    );
    fails(
        &BASE.replace("path = \"outbox\"", "path = \"outbox\"\necho_wait = \"1m\""),
        "outbox.echo_wait",
        "smtp",
    );
}

#[test]
fn a_postgres_database_url_is_kept_as_written() {
    let url = "postgres://shiftcover@db.example.edu:5432/shiftcover";
    let c = load(&format!("{BASE}\n[database]\nurl = \"{url}\"\n")).unwrap();
    assert_eq!(c.database_url, url);
}

#[test]
fn a_database_url_of_another_engine_is_refused() {
    fails(
        &format!("{BASE}\n[database]\nurl = \"mysql://u@h/d\"\n"),
        "database.url",
        "postgres://",
    );
}

#[test]
fn the_calendar_refresh_defaults_to_two_minutes_and_takes_a_duration() {
    let c = load(BASE).unwrap();
    assert_eq!(c.calendar_refresh, chrono::TimeDelta::minutes(2));
    let c = load(&BASE.replace(
        "path = \"schedule.ics\"",
        "path = \"schedule.ics\"\nrefresh = \"30s\"",
    ))
    .unwrap();
    assert_eq!(c.calendar_refresh, chrono::TimeDelta::seconds(30));
    fails(
        &BASE.replace(
            "path = \"schedule.ics\"",
            "path = \"schedule.ics\"\nrefresh = \"soon\"",
        ),
        "calendar.refresh",
        "is not a duration",
    );
    fails(
        &BASE.replace(
            "path = \"schedule.ics\"",
            "path = \"schedule.ics\"\nrefresh = \"0s\"",
        ),
        "calendar.refresh",
        "too short",
    );
}

#[test]
fn the_calendar_name_is_for_caldav_only() {
    let caldav = BASE.replace(
        "backend = \"ics\"\npath = \"schedule.ics\"",
        "backend = \"caldav\"\nurl = \"https://cal.example.edu/\"\nname = \"LIB: Ask Chat\"",
    );
    let c = load(&caldav).unwrap();
    assert!(matches!(
        c.calendar,
        CalendarBackend::Caldav { name: Some(ref n), .. } if n == "LIB: Ask Chat"
    ));
    fails(
        &caldav.replace("name = \"LIB: Ask Chat\"", "name = \"  \""),
        "calendar.name",
        "is empty",
    );
    fails(
        &BASE.replace(
            "path = \"schedule.ics\"",
            "path = \"schedule.ics\"\nname = \"Shifts\"",
        ),
        "calendar.name",
        "caldav",
    );
}
