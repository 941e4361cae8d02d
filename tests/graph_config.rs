//! The Microsoft Graph keys of `[calendar]` and `[outbox]`: what they load
//! to, and the errors that name the key when they are wrong.

use shiftcover::config::{CalendarBackend, Config, ConfigError, OutboxBackend};

const BASE: &str = r#"
timezone = "America/New_York"

[list]
address = "ask-chat@example.edu"
sender = "Ask Chat Coverage <coverage@example.edu>"

[coordinator]
name = "Courtney Crummett"
email = "ccrummett@example.edu"

[[staff]]
name = "Angie Lopez"
email = "alopez@example.edu"

[mailbox]
backend = "maildir"
path = "inbox"
"#;

fn load(calendar: &str, outbox: &str) -> Result<Config, ConfigError> {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("schedule.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    Config::from_toml(
        &format!("{BASE}\n[calendar]\n{calendar}\n[outbox]\n{outbox}\n"),
        d.path(),
    )
}

const MAILDIR_OUT: &str = "backend = \"maildir\"\npath = \"outbox\"";
const ICS: &str = "backend = \"ics\"\npath = \"schedule.ics\"";

#[test]
fn the_graph_calendar_loads_with_defaults() {
    let c = load(
        "backend = \"graph\"\nmailbox = \"lib-ask-chat@example.edu\"\ncalendar = \"LIB: Ask Chat\"\nbearer_token_file = \"graph-token\"",
        MAILDIR_OUT,
    )
    .unwrap();
    match &c.calendar {
        CalendarBackend::Graph {
            mailbox,
            calendar,
            graph_url,
            bearer_token_file,
            oauth2,
        } => {
            assert_eq!(oauth2, &None);
            assert_eq!(mailbox, "lib-ask-chat@example.edu");
            assert_eq!(calendar, "LIB: Ask Chat");
            assert_eq!(graph_url, "https://graph.microsoft.com/v1.0");
            assert!(bearer_token_file.as_ref().unwrap().ends_with("graph-token"));
        }
        other => panic!("{other:?}"),
    }
    assert!(c.calendar.server_sends_invitations());
}

#[test]
fn graph_mistakes_name_the_key() {
    let e = load("backend = \"graph\"", MAILDIR_OUT).unwrap_err();
    assert!(e.to_string().contains("calendar.mailbox"), "{e}");
    let e = load(
        "backend = \"graph\"\nmailbox = \"lib-ask-chat\"",
        MAILDIR_OUT,
    )
    .unwrap_err();
    assert!(e.to_string().contains("calendar.mailbox"), "{e}");
    let e = load(
        "backend = \"graph\"\nmailbox = \"a@example.edu\"\npath = \"schedule.ics\"",
        MAILDIR_OUT,
    )
    .unwrap_err();
    assert!(e.to_string().contains("calendar.path"), "{e}");
    let e = load(&format!("{ICS}\nmailbox = \"a@example.edu\""), MAILDIR_OUT).unwrap_err();
    assert!(e.to_string().contains("calendar.mailbox"), "{e}");
    let e = load(
        ICS,
        "backend = \"graph\"\nmailbox = \"coverage@example.edu\"\nformat = \"eml\"",
    )
    .unwrap_err();
    assert!(e.to_string().contains("outbox.format"), "{e}");
    let e = load(ICS, &format!("{MAILDIR_OUT}\nformat = \"json\"")).unwrap_err();
    assert!(e.to_string().contains("outbox.format"), "{e}");
}

#[test]
fn the_graph_outbox_sends_mime_unless_told_json() {
    let c = load(
        ICS,
        "backend = \"graph\"\nmailbox = \"coverage@example.edu\"\nbearer_token_file = \"graph-token\"",
    )
    .unwrap();
    assert!(matches!(c.outbox, OutboxBackend::Graph { json: false, .. }));
    assert!(!c.calendar.server_sends_invitations());
    let c = load(
        ICS,
        "backend = \"graph\"\nmailbox = \"coverage@example.edu\"\nformat = \"json\"\nbearer_token_file = \"graph-token\"",
    )
    .unwrap();
    assert!(matches!(c.outbox, OutboxBackend::Graph { json: true, .. }));
}

#[test]
fn with_the_microsoft_365_preset_the_graph_backends_ask_for_graphs_audience() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("schedule.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let text = format!(
        "{BASE}\n[oauth2]\nprovider = \"microsoft365\"\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"app\"\nclient_secret_file = \"oauth-client-secret\"\n\n[calendar]\nbackend = \"graph\"\nauth = \"oauth2\"\nmailbox = \"lib-ask-chat@example.edu\"\ncalendar = \"LIB: Ask Chat\"\n\n[outbox]\nbackend = \"graph\"\nauth = \"oauth2\"\nmailbox = \"coverage@example.edu\"\n"
    );
    let c = Config::from_toml(&text, d.path()).unwrap();
    let CalendarBackend::Graph {
        oauth2: Some(o), ..
    } = &c.calendar
    else {
        panic!("{:?}", c.calendar)
    };
    assert_eq!(
        o.scopes,
        vec!["https://graph.microsoft.com/.default".to_string()]
    );
    assert_eq!(
        o.token_url,
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    let OutboxBackend::Graph {
        oauth2: Some(m), ..
    } = &c.outbox
    else {
        panic!("{:?}", c.outbox)
    };
    assert_eq!(m, o);
    // Neither a credential nor a token file: the key is named.
    let e = load(
        "backend = \"graph\"\nmailbox = \"a@example.edu\"",
        MAILDIR_OUT,
    )
    .unwrap_err();
    assert!(e.to_string().contains("calendar.auth"), "{e}");
}
