//! Configuration: the example loads, and every mistake gets an error that
//! names the key and says what would be right.

use std::path::Path;

use shiftcover::config::{CalendarBackend, Config, DateOrder, MailboxBackend, OutboxBackend, Tls};

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
        OutboxBackend::Smtp { server } => {
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
