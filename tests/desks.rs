//! Several desks in one service (`[[desk]]` blocks): the config and its
//! mistakes, the store's isolation of one desk from another on both
//! engines, `parse --desk`, and the daemon running two desks whose staff
//! overlap in one process on the real mail servers (Dovecot, Postfix), on
//! SQLite and on PostgreSQL.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::path::Path;

use chrono::TimeZone as _;
use shiftcover::config::Config;
use shiftcover::config::desks::Desks;
use shiftcover::engine::{Request, RequestKind, RequestState};
use shiftcover::model::{Instant, Kind};
use shiftcover::store::{Batch, ProcessedMessage, Store};

// ---------------------------------------------------------------------------
// The config.

const TOP: &str = "timezone = \"America/New_York\"\ndate_order = \"mdy\"\n\n[database]\nurl = \"sqlite://state.db\"\n\n";

/// One `[[desk]]` block with Maildir folders and an ICS calendar named
/// after `folder`.
fn desk(name: &str, list: &str, folder: &str) -> String {
    format!(
        "[[desk]]\nname = \"{name}\"\n\
         [desk.list]\naddress = \"{list}\"\nsender = \"Coverage <coverage-{name}@example.edu>\"\n\
         [desk.coordinator]\nname = \"Courtney Crummett\"\nemail = \"ccrummett@example.edu\"\n\
         [[desk.staff]]\nname = \"Mei Chen\"\nemail = \"mchen@example.edu\"\n\
         [desk.calendar]\nbackend = \"ics\"\npath = \"{folder}/schedule.ics\"\n\
         [desk.mailbox]\nbackend = \"maildir\"\npath = \"{folder}/inbox\"\n\
         [desk.outbox]\nbackend = \"maildir\"\npath = \"{folder}/outbox\"\n\n"
    )
}

/// A folder holding every calendar file the configs here name (the config
/// refuses a calendar file that is not there).
fn config_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let ics =
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo/schedule.ics"))
                .unwrap();
        std::fs::write(dir.path().join("schedule.ics"), &ics).unwrap();
        for folder in ["a", "b", "chat", "research"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
            std::fs::write(dir.path().join(folder).join("schedule.ics"), &ics).unwrap();
        }
        dir
    })
    .path()
}

fn load(text: &str) -> Result<Desks, shiftcover::config::ConfigError> {
    Desks::from_toml(text, config_dir())
}

fn refused(text: &str) -> String {
    match load(text) {
        Ok(d) => panic!("loaded {:?} but should not have", d.names()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_config_without_desk_blocks_is_one_desk_as_before() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo/shiftcover.toml"),
    )
    .unwrap();
    let desks = load(&text).unwrap();
    assert!(!desks.blocks);
    assert_eq!(desks.desks.len(), 1);
    let one = &desks.desks[0];
    assert_eq!(one.desk, None, "the one-desk layout has no desk name");
    assert_eq!(
        one.store_namespace, None,
        "and keeps its unqualified tables"
    );
    assert_eq!(one.list_address, "ask-chat@example.edu");
    // Config::from_toml gives the same desk, and --desk is refused for it.
    let direct = Config::from_toml(&text, config_dir()).unwrap();
    assert_eq!(direct.list_address, one.list_address);
    assert_eq!(direct.database_url, one.database_url);
    let e = load(&text).unwrap().pick(Some("chat")).unwrap_err();
    assert!(e.to_string().contains("no [[desk]] blocks"), "{e}");
}

#[test]
fn two_desks_share_the_database_and_keep_their_own_list_calendar_and_folders() {
    let text = format!(
        "{TOP}[metrics]\nlisten = \"127.0.0.1:9187\"\n\n{}{}",
        desk("chat", "ask-chat@example.edu", "chat"),
        desk("research", "research-help@example.edu", "research")
    );
    let desks = load(&text).unwrap();
    assert!(desks.blocks);
    assert_eq!(desks.names(), ["chat", "research"]);
    let (chat, research) = (&desks.desks[0], &desks.desks[1]);
    assert_eq!(chat.desk.as_deref(), Some("chat"));
    assert_eq!(chat.store_namespace.as_deref(), Some("chat"));
    assert_eq!(research.store_namespace.as_deref(), Some("research"));
    assert_eq!(chat.database_url, research.database_url);
    assert_eq!(
        chat.database_url,
        format!("sqlite://{}", config_dir().join("state.db").display())
    );
    assert_eq!(chat.metrics_listen, research.metrics_listen);
    assert_eq!(chat.timezone, chrono_tz::America::New_York);
    assert_eq!(research.list_address, "research-help@example.edu");
    assert_ne!(chat.calendar, research.calendar);
    // Picking: by name, or an error naming the desks.
    let picked = load(&text).unwrap().pick(Some("research")).unwrap();
    assert_eq!(picked.list_address, "research-help@example.edu");
    let e = load(&text).unwrap().pick(None).unwrap_err().to_string();
    assert!(e.contains("chat, research") && e.contains("--desk"), "{e}");
    let e = load(&text)
        .unwrap()
        .pick(Some("branch"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no desk named \"branch\""), "{e}");
}

#[test]
fn a_desk_may_set_its_own_time_zone_and_keep_the_one_desk_data() {
    let chat = desk("chat", "ask-chat@example.edu", "chat").replace(
        "name = \"chat\"\n",
        "name = \"chat\"\ntimezone = \"America/Chicago\"\nkeep_single_desk_data = true\n",
    );
    let text = format!(
        "{TOP}{chat}{}",
        desk("research", "research-help@example.edu", "research")
    );
    let desks = load(&text).unwrap();
    assert_eq!(desks.desks[0].timezone, chrono_tz::America::Chicago);
    assert_eq!(desks.desks[0].store_namespace, None);
    assert_eq!(desks.desks[1].timezone, chrono_tz::America::New_York);
    assert_eq!(desks.desks[1].store_namespace.as_deref(), Some("research"));
}

#[test]
fn two_desks_with_one_name_are_refused() {
    let e = refused(&format!(
        "{TOP}{}{}",
        desk("chat", "ask-chat@example.edu", "a"),
        desk("chat", "research-help@example.edu", "b")
    ));
    assert!(e.contains("\"chat\" names two desks"), "{e}");
}

#[test]
fn two_desks_with_one_list_are_refused() {
    let e = refused(&format!(
        "{TOP}{}{}",
        desk("chat", "ask-chat@example.edu", "a"),
        desk("research", "ASK-CHAT@example.edu", "b")
    ));
    assert!(
        e.contains("desk \"research\": list.address") && e.contains("share the list"),
        "{e}"
    );
}

#[test]
fn two_desks_reading_one_mailbox_folder_are_refused() {
    let a = desk("chat", "ask-chat@example.edu", "a");
    let b = desk("research", "research-help@example.edu", "b")
        .replace("path = \"b/inbox\"", "path = \"./a/inbox\"");
    let e = refused(&format!("{TOP}{a}{b}"));
    assert!(e.contains("share the mailbox"), "{e}");

    // The same IMAP folder of the same account, too; another folder is fine.
    let imap = |folder: &str| {
        format!(
            "[desk.mailbox]\nbackend = \"imap\"\nhost = \"IMAP.example.edu\"\nport = 993\nusername = \"coverage@example.edu\"\npassword_file = \"pw\"\nfolder = \"{folder}\"\n"
        )
    };
    let a = desk("chat", "ask-chat@example.edu", "a").replace(
        "[desk.mailbox]\nbackend = \"maildir\"\npath = \"a/inbox\"\n",
        &imap("INBOX"),
    );
    let b = desk("research", "research-help@example.edu", "b").replace(
        "[desk.mailbox]\nbackend = \"maildir\"\npath = \"b/inbox\"\n",
        &imap("INBOX").replace("IMAP.", "imap."),
    );
    let e = refused(&format!("{TOP}{a}{b}"));
    assert!(e.contains("share the mailbox imap://"), "{e}");
    let b = b.replace("folder = \"INBOX\"", "folder = \"Research\"");
    assert_eq!(load(&format!("{TOP}{a}{b}")).unwrap().desks.len(), 2);
}

#[test]
fn two_desks_writing_one_outbox_or_one_calendar_are_refused() {
    let a = desk("chat", "ask-chat@example.edu", "a");
    let b = desk("research", "research-help@example.edu", "b")
        .replace("path = \"b/outbox\"", "path = \"a/outbox\"");
    assert!(refused(&format!("{TOP}{a}{b}")).contains("share the outbox"));
    let b = desk("research", "research-help@example.edu", "b")
        .replace("path = \"b/schedule.ics\"", "path = \"a/schedule.ics\"");
    assert!(refused(&format!("{TOP}{a}{b}")).contains("share the calendar"));
}

#[test]
fn a_desk_without_its_list_or_name_is_refused() {
    let no_list = desk("research", "research-help@example.edu", "b").replace(
        "[desk.list]\naddress = \"research-help@example.edu\"\nsender = \"Coverage <coverage-research@example.edu>\"\n",
        "",
    );
    let e = refused(&format!(
        "{TOP}{}{no_list}",
        desk("chat", "ask-chat@example.edu", "a")
    ));
    assert!(
        e.contains("desk \"research\": list") && e.contains("its own [list]"),
        "{e}"
    );
    let no_name = desk("chat", "ask-chat@example.edu", "a").replace("name = \"chat\"\n", "");
    let e = refused(&format!("{TOP}{no_name}"));
    assert!(
        e.contains("desk[0].name") && e.contains("needs a name"),
        "{e}"
    );
    let e = refused(&format!(
        "{TOP}{}",
        desk("Ask Chat", "ask-chat@example.edu", "a")
    ));
    assert!(e.contains("is not a desk name"), "{e}");
}

#[test]
fn desk_keys_at_the_top_level_beside_desk_blocks_are_refused() {
    let e = refused(&format!(
        "{TOP}[list]\naddress = \"x@example.edu\"\nsender = \"y@example.edu\"\n\n{}",
        desk("chat", "ask-chat@example.edu", "a")
    ));
    assert!(e.starts_with("list:") && e.contains("ambiguous"), "{e}");
    let e = refused(&format!(
        "[[staff]]\nname = \"Mei Chen\"\nemail = \"mchen@example.edu\"\n{TOP}{}",
        desk("chat", "ask-chat@example.edu", "a")
    ));
    assert!(e.starts_with("staff:") && e.contains("ambiguous"), "{e}");
}

#[test]
fn process_wide_keys_inside_a_desk_are_refused() {
    let inner = desk("chat", "ask-chat@example.edu", "a").replace(
        "[desk.list]",
        "[desk.database]\nurl = \"sqlite://other.db\"\n[desk.list]",
    );
    let e = refused(&format!("{TOP}{inner}"));
    assert!(
        e.contains("desk \"chat\": database") && e.contains("shared by every desk"),
        "{e}"
    );
}

#[test]
fn a_wrong_key_inside_a_desk_names_the_desk() {
    let bad = desk("research", "research-help@example.edu", "b").replace(
        "email = \"ccrummett@example.edu\"",
        "email = \"not an address\"",
    );
    let e = refused(&format!(
        "{TOP}{}{bad}",
        desk("chat", "ask-chat@example.edu", "a")
    ));
    assert!(e.starts_with("desk \"research\": coordinator.email"), "{e}");
}

#[test]
fn only_one_desk_may_keep_the_one_desk_data() {
    let keep = |d: String, name: &str| {
        d.replace(
            &format!("name = \"{name}\"\n"),
            &format!("name = \"{name}\"\nkeep_single_desk_data = true\n"),
        )
    };
    let e = refused(&format!(
        "{TOP}{}{}",
        keep(desk("chat", "ask-chat@example.edu", "a"), "chat"),
        keep(
            desk("research", "research-help@example.edu", "b"),
            "research"
        )
    ));
    assert!(e.contains("one desk only"), "{e}");
}

// ---------------------------------------------------------------------------
// The store: one desk's part can never reach another's.

fn at(day: u32, hour: u32) -> Instant {
    chrono::Utc
        .with_ymd_and_hms(2026, 12, day, hour, 0, 0)
        .single()
        .unwrap()
}

fn processed(id: &str) -> ProcessedMessage {
    ProcessedMessage {
        message_id: id.into(),
        from: "mchen@example.edu".into(),
        kind: Kind::Sick,
        reading_json: "{}".into(),
        handled_at: at(7, 14),
    }
}

fn sick_request(id: &str) -> Request {
    Request {
        id: id.into(),
        kind: RequestKind::Sick,
        requester: "mchen@example.edu".into(),
        owner: "mchen@example.edu".into(),
        subject: "Out sick Tuesday".into(),
        requested_at: at(7, 14),
        shifts: Vec::new(),
        state: RequestState::Open,
        thread: vec![id.into()],
        second_call_at: Some(at(9, 14)),
        second_call_sent_at: None,
        own_second_call: false,
        escalated_at: None,
        offers: Vec::new(),
        closed_at: None,
        suggested_for: Vec::new(),
    }
}

fn ack(key: &str) -> shiftcover::compose::OutgoingMail {
    shiftcover::compose::OutgoingMail {
        key: key.into(),
        kind: "ack".into(),
        to: vec!["mchen@example.edu".into()],
        from: "coverage@example.edu".into(),
        message_id: format!("<{key}@example.edu>"),
        date: at(7, 14),
        request_id: Some("<sick@x>".into()),
        raw: b"Subject: ack\r\n\r\nack\r\n".to_vec(),
    }
}

async fn one_desks_rows_are_invisible_to_another(url: &str) {
    // The one-desk layout's data, written before any desk existed.
    let single = Store::open(url).await.unwrap();
    single
        .commit(&Batch {
            message: Some(processed("<old@x>")),
            requests: vec![sick_request("<old@x>")],
            ..Batch::default()
        })
        .await
        .unwrap();
    let chat = Store::open_desk(url, Some("chat")).await.unwrap();
    let research = Store::open_desk(url, Some("research")).await.unwrap();
    assert_eq!(chat.namespace(), Some("chat"));
    assert_eq!(
        chat.schema_version().await.unwrap(),
        shiftcover::store::SCHEMA_VERSION
    );
    // The same Message-ID handled at both desks: each records its own.
    let batch = Batch {
        message: Some(processed("<same@x>")),
        requests: vec![sick_request("<same@x>")],
        mail: vec![ack("ack:<same@x>")],
        audit: Vec::new(),
        edits: vec![(
            "cover:<same@x>".into(),
            shiftcover::calendar::EditOp::Cover(shiftcover::calendar::CoverEdit {
                uid: "mchen-shift@example.edu".into(),
                owner_email: "mchen@example.edu".into(),
                owner_name: "Mei Chen".into(),
                coverer_email: "tbecker@example.edu".into(),
                coverer_name: "Tom Becker".into(),
                span: shiftcover::model::Span {
                    start: at(8, 17),
                    end: at(8, 19),
                },
                label: "Tom for Mei".into(),
                organizer_email: "coverage@example.edu".into(),
                organizer_name: "Coverage".into(),
            }),
        )],
        meta: vec![("digest_last".into(), "2026-12-07T00:00:00Z".into())],
    };
    chat.commit(&batch).await.unwrap();
    assert!(chat.is_processed("<same@x>").await.unwrap());
    assert!(
        !research.is_processed("<same@x>").await.unwrap(),
        "a message handled at chat is new to research"
    );
    assert!(!single.is_processed("<same@x>").await.unwrap());
    assert!(research.load_requests().await.unwrap().is_empty());
    assert!(research.due_mail(at(30, 0)).await.unwrap().is_empty());
    assert!(research.due_edits(at(30, 0)).await.unwrap().is_empty());
    assert_eq!(research.meta("digest_last").await.unwrap(), None);
    assert_eq!(
        research.request_for_message("<same@x>").await.unwrap(),
        None
    );
    // Marking another desk's mail or edit finds nothing to mark.
    assert!(
        research
            .mark_mail_sent("ack:<same@x>", at(7, 15))
            .await
            .is_err()
    );
    assert!(
        research
            .mark_edit_done("cover:<same@x>", at(7, 15))
            .await
            .is_err()
    );
    assert_eq!(chat.due_mail(at(30, 0)).await.unwrap().len(), 1);
    // The same decision at research is recorded there, once.
    research.commit(&batch).await.unwrap();
    research.commit(&batch).await.unwrap();
    assert_eq!(research.due_mail(at(30, 0)).await.unwrap().len(), 1);
    assert_eq!(research.load_requests().await.unwrap().len(), 1);
    // The mailbox sync point is per desk even for one folder name.
    let state = shiftcover::store::MailboxState {
        uid_validity: 7,
        last_uid: 40,
        synced_at: at(7, 15),
    };
    chat.set_mailbox_state("INBOX", state).await.unwrap();
    assert_eq!(research.mailbox_state("INBOX").await.unwrap(), None);
    // The one-desk data is where it was, untouched by either desk.
    let kept = single.load_requests().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].id, "<old@x>");
    assert!(single.due_mail(at(30, 0)).await.unwrap().is_empty());
    assert!(!chat.is_processed("<old@x>").await.unwrap());
    // Reopened, each desk finds its own again.
    chat.close().await;
    let again = Store::open_desk(url, Some("chat")).await.unwrap();
    assert_eq!(again.load_requests().await.unwrap()[0].id, "<same@x>");
    assert_eq!(again.mailbox_state("INBOX").await.unwrap(), Some(state));
}

#[tokio::test]
async fn sqlite_one_desks_rows_are_invisible_to_another() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("state.db").display());
    one_desks_rows_are_invisible_to_another(&url).await;
    // Each desk has a file of its own beside the configured one.
    for f in ["state.db", "state.desk-chat.db", "state.desk-research.db"] {
        assert!(dir.path().join(f).exists(), "{f} is missing");
    }
}

#[tokio::test]
async fn postgres_one_desks_rows_are_invisible_to_another() {
    let Some(url) = postgres_server::fresh_database().await else {
        return;
    };
    one_desks_rows_are_invisible_to_another(&url).await;
    postgres_server::drop_database(&url).await;
}

#[test]
fn a_desk_file_sits_beside_the_configured_one() {
    use shiftcover::store::desk_sqlite_url;
    assert_eq!(
        desk_sqlite_url("sqlite:///var/lib/shiftcover/state.db", "chat"),
        "sqlite:///var/lib/shiftcover/state.desk-chat.db"
    );
    assert_eq!(
        desk_sqlite_url("sqlite:///var/lib/shiftcover/state.db?mode=rwc", "a-b"),
        "sqlite:///var/lib/shiftcover/state.desk-a-b.db?mode=rwc"
    );
    assert_eq!(
        desk_sqlite_url("sqlite::memory:", "chat"),
        "sqlite::memory:"
    );
}
