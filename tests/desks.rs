//! Several desks in one service (`[[desk]]` blocks): the config and its
//! mistakes, the store's isolation of one desk from another on both
//! engines, `parse --desk`, and the daemon running two desks whose staff
//! overlap in one process on the real mail servers (Dovecot, Postfix), on
//! SQLite and on PostgreSQL.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/oauth_servers.rs"]
mod oauth_servers;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::path::Path;

use chrono::TimeZone as _;
use shiftcover::config::Config;
use shiftcover::config::desks::Desks;
use shiftcover::engine::{Request, RequestKind, RequestState};
use shiftcover::model::{Instant, Kind};
use shiftcover::store::{Batch, LeaderLock, ProcessedMessage, Store};

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
        std::fs::write(dir.path().join("research.ics"), &ics).unwrap();
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
        cover_events: Vec::new(),
        owner_on_calendar: None,
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
        excerpt: Vec::new(),
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
                sequence: 0,
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

/// The desks of one process share its one leadership: every desk's store
/// writes under the process's fencing token, checked against the one lease
/// (not the copy migration 5 makes in each desk's schema), and every desk's
/// writes are refused once another instance took over.
/// Takes the lead on `store`'s database as a second instance ("host-b pid
/// 2") would, once the lock is free: within `limit`, or the test fails.
async fn take_the_lead(store: &Store, limit: std::time::Duration) -> LeaderLock {
    let mut lock = store.leader_lock("host-b pid 2").await.unwrap().unwrap();
    let until = std::time::Instant::now() + limit;
    while !lock.try_lead().await.unwrap() {
        assert!(
            std::time::Instant::now() < until,
            "the lock never came free"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    lock
}

#[tokio::test]
async fn postgres_desks_write_under_the_process_fence_and_are_refused_after_a_takeover() {
    use sqlx::Connection as _;
    let Some(url) = postgres_server::fresh_database().await else {
        return;
    };
    // As `run` does: the leadership on the plain URL, then the desks.
    let plain = Store::open(&url).await.unwrap();
    let mut lock = plain.leader_lock("host-a pid 1").await.unwrap().unwrap();
    assert!(lock.try_lead().await.unwrap());
    let fence = lock.take_lease(&at(7, 9).to_rfc3339()).await.unwrap();
    let chat = Store::open_desk(&url, Some("chat"))
        .await
        .unwrap()
        .fenced(fence.clone());
    let research = Store::open_desk(&url, Some("research"))
        .await
        .unwrap()
        .fenced(fence.clone());
    for (desk, id) in [
        (&chat, "<chat-before@x>"),
        (&research, "<research-before@x>"),
    ] {
        desk.commit(&Batch {
            message: Some(processed(id)),
            mail: vec![ack(&format!("ack:{id}"))],
            ..Batch::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{id}: a desk of the leader writes: {e}"));
        desk.confirm_fence().await.unwrap();
    }

    // The leader's lock session is ended from the server's side, and a
    // second instance takes the lead and the lease.
    let mut admin = sqlx::AnyConnection::connect(&url).await.unwrap();
    let ended: i64 = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = $1",
    )
    .bind("shiftcover leader host-a pid 1")
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert_eq!(ended, 1);
    let second = Store::open(&url).await.unwrap();
    let mut other = take_the_lead(&second, std::time::Duration::from_secs(60)).await;
    let newer = other.take_lease(&at(7, 10).to_rfc3339()).await.unwrap();
    assert_eq!(newer.epoch(), fence.epoch() + 1);

    // Neither desk of the deposed leader writes anything more.
    for (desk, id) in [(&chat, "<chat-after@x>"), (&research, "<research-after@x>")] {
        let refused = desk
            .commit(&Batch {
                message: Some(processed(id)),
                ..Batch::default()
            })
            .await;
        assert!(
            matches!(
                refused,
                Err(shiftcover::store::StoreError::LostLeadership { .. })
            ),
            "{id}: a deposed leader's desk wrote: {refused:?}"
        );
    }
    assert!(fence.is_lost());
    // The new leader's desks find the old leader's first writes and none
    // of the later ones, and write under the new epoch.
    for (desk, before, after) in [
        ("chat", "<chat-before@x>", "<chat-after@x>"),
        ("research", "<research-before@x>", "<research-after@x>"),
    ] {
        let store = Store::open_desk(&url, Some(desk))
            .await
            .unwrap()
            .fenced(newer.clone());
        assert!(store.is_processed(before).await.unwrap(), "{desk}");
        assert!(!store.is_processed(after).await.unwrap(), "{desk}");
        store
            .commit(&Batch {
                message: Some(processed(after)),
                ..Batch::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{desk}: the new leader's desk writes: {e}"));
        store.close().await;
    }
    admin.close().await.unwrap();
    for s in [&plain, &chat, &research, &second] {
        s.close().await;
    }
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

// ---------------------------------------------------------------------------
// `parse --desk`.

#[test]
fn parse_reads_with_the_named_desks_roster_and_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo");
    std::fs::copy(demo.join("schedule.ics"), dir.path().join("chat.ics")).unwrap();
    // Research's calendar: Mei works Tuesdays 3-5 pm there.
    std::fs::write(dir.path().join("research.ics"), research_ics()).unwrap();
    let chat =
        desk("chat", "ask-chat@example.edu", "chat").replace("chat/schedule.ics", "chat.ics");
    let research = desk("research", "research-help@example.edu", "research")
        .replace("research/schedule.ics", "research.ics");
    let config = dir.path().join("shiftcover.toml");
    std::fs::write(&config, format!("{TOP}{chat}{research}")).unwrap();
    let eml = dir.path().join("sick.eml");
    std::fs::write(
        &eml,
        "From: Mei Chen <mchen@example.edu>\r\nTo: research-help@example.edu\r\nSubject: out sick\r\n\
         Date: Mon, 07 Dec 2026 08:00:00 -0500\r\nMessage-ID: <sick-1@example.edu>\r\n\
         List-Id: <research-help.example.edu>\r\nList-Post: <mailto:research-help@example.edu>\r\n\r\n\
         I'm out sick tomorrow, sorry!\r\n",
    )
    .unwrap();
    let run = |desk: Option<&str>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_shiftcover"));
        c.arg("--config").arg(&config);
        if let Some(d) = desk {
            c.args(["--desk", d]);
        }
        c.arg("parse").arg(&eml).env_remove("SHIFTCOVER_DESK");
        c.output().unwrap()
    };
    let out = run(Some("research"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["kind"], "sick");
    assert_eq!(
        line["shifts"],
        serde_json::json!([{"start": "2026-12-08T15:00:00-05:00", "end": "2026-12-08T17:00:00-05:00"}]),
        "research's calendar gives Mei's Tuesday 3-5 pm"
    );
    // Without --desk, several desks are a configuration error naming them.
    let out = run(None);
    assert_eq!(out.status.code(), Some(78));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("chat, research") && err.contains("--desk"),
        "{err}"
    );
}

/// Research help's weekly shifts: Mei Tuesdays 3-5 pm, Angie Mondays 3-5
/// pm, Ben Tuesdays 10-12.
fn research_ics() -> String {
    let mut s = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//shiftcover tests//EN\r\nCALSCALE:GREGORIAN\r\n",
    );
    for (user, name, day, rule, start, end) in [
        ("mchen", "Mei Chen", "20260106", "TU", "150000", "170000"),
        (
            "alopez",
            "Angie Lopez",
            "20260105",
            "MO",
            "150000",
            "170000",
        ),
        (
            "bokafor",
            "Ben Okafor",
            "20260106",
            "TU",
            "100000",
            "120000",
        ),
    ] {
        s += "BEGIN:VEVENT\r\n";
        s += &format!("UID:{user}-research@example.edu\r\n");
        s += "DTSTAMP:20260101T000000Z\r\n";
        s += &format!("DTSTART;TZID=America/New_York:{day}T{start}\r\n");
        s += &format!("DTEND;TZID=America/New_York:{day}T{end}\r\n");
        s += &format!("RRULE:FREQ=WEEKLY;BYDAY={rule}\r\n");
        s += "SUMMARY:Research help shift\r\n";
        s += &format!("ATTENDEE;CN={name}:mailto:{user}@example.edu\r\n");
        s += "END:VEVENT\r\n";
    }
    s += "END:VCALENDAR\r\n";
    s
}

// ---------------------------------------------------------------------------
// The daemon: two desks (and a third whose mailbox is down) in one process.

// The servers' mailboxes are shared, so these tests hold the suite's lock
// (mail_servers::lock) across their awaits: one at a time.
mod live {
    use super::mail_servers::*;
    use super::{postgres_server, research_ics};
    use chrono::Weekday;
    use std::path::Path;
    use std::time::Duration;

    const RESEARCH_LIST: &str = "research-help@example.edu";
    const RESEARCH_PROGRAM: &str = "coverage-research";
    /// A generous limit for mail to arrive; the tests assert what arrives.
    const ARRIVES: Duration = Duration::from_secs(90);

    /// A port nothing listens on: the broken desk's IMAP server.
    fn closed_port() -> u16 {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }

    /// Writes a config of three desks on the test servers: chat (the
    /// servers' ask-chat list and the `coverage` mailbox, the usual roster
    /// and calendar), research (research-help and `coverage-research`;
    /// Dana coordinates; Mei, Angie, Ben, Tom and Dana on its roster, with
    /// shifts of their own) and branch (a mailbox that does not answer).
    fn write_desks(
        dir: &Path,
        s: &Servers,
        database_url: &str,
        metrics: u16,
    ) -> std::path::PathBuf {
        let one = write_config(dir, s, &Policy::slow());
        let mut chat: toml::Table =
            toml::from_str(&std::fs::read_to_string(&one).unwrap()).unwrap();
        std::fs::rename(dir.join("schedule.ics"), dir.join("chat.ics")).unwrap();
        std::fs::write(dir.join("research.ics"), research_ics()).unwrap();
        std::fs::write(dir.join("branch.ics"), research_ics()).unwrap();
        let mut top = toml::Table::new();
        for key in ["timezone", "date_order"] {
            top.insert(key.into(), chat.remove(key).unwrap());
        }
        chat.remove("database");
        let set = |t: &mut toml::Table, path: &[&str], v: toml::Value| {
            let mut at = t;
            for p in &path[..path.len() - 1] {
                at = at.get_mut(*p).unwrap().as_table_mut().unwrap();
            }
            at.insert(path[path.len() - 1].into(), v);
        };
        set(&mut chat, &["calendar", "path"], "chat.ics".into());
        let mut research = chat.clone();
        chat.insert("name".into(), "chat".into());
        research.insert("name".into(), "research".into());
        set(&mut research, &["list", "address"], RESEARCH_LIST.into());
        set(
            &mut research,
            &["list", "sender"],
            format!("Research Help Coverage <{RESEARCH_PROGRAM}@{DOMAIN}>").into(),
        );
        set(
            &mut research,
            &["coordinator", "name"],
            "Dana Whitfield".into(),
        );
        set(
            &mut research,
            &["coordinator", "email"],
            "dwhitfield@example.edu".into(),
        );
        set(
            &mut research,
            &["mailbox", "username"],
            format!("{RESEARCH_PROGRAM}@{DOMAIN}").into(),
        );
        set(&mut research, &["calendar", "path"], "research.ics".into());
        // A reply whose thread never reaches research waits only briefly.
        set(&mut research, &["mailbox", "reply_wait"], "3s".into());
        let keep = ["mchen", "alopez", "bokafor", "tbecker", "dwhitfield"];
        let staff: Vec<toml::Value> = research["staff"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| {
                let email = p["email"].as_str().unwrap();
                keep.iter().any(|k| email.starts_with(&format!("{k}@")))
            })
            .cloned()
            .collect();
        research.insert("staff".into(), staff.into());
        let mut branch = research.clone();
        branch.insert("name".into(), "branch".into());
        set(
            &mut branch,
            &["list", "address"],
            "branch-desk@example.edu".into(),
        );
        set(
            &mut branch,
            &["mailbox", "port"],
            i64::from(closed_port()).into(),
        );
        set(&mut branch, &["calendar", "path"], "branch.ics".into());
        // And a desk whose calendar server does not answer: it cannot start.
        let mut closed = branch.clone();
        closed.insert("name".into(), "closed".into());
        set(
            &mut closed,
            &["list", "address"],
            "closed-desk@example.edu".into(),
        );
        let mut caldav = toml::Table::new();
        caldav.insert("backend".into(), "caldav".into());
        caldav.insert(
            "url".into(),
            format!("http://127.0.0.1:{}/closed/shifts/", closed_port()).into(),
        );
        closed.insert("calendar".into(), caldav.into());
        set(&mut closed, &["mailbox", "folder"], "Closed".into());
        let mut database = toml::Table::new();
        database.insert("url".into(), database_url.into());
        top.insert("database".into(), database.into());
        let mut m = toml::Table::new();
        m.insert("listen".into(), format!("127.0.0.1:{metrics}").into());
        top.insert("metrics".into(), m.into());
        top.insert(
            "desk".into(),
            toml::Value::Array(vec![
                chat.into(),
                research.into(),
                branch.into(),
                closed.into(),
            ]),
        );
        let path = dir.join("shiftcover.toml");
        std::fs::write(&path, toml::to_string(&top).unwrap()).unwrap();
        path
    }

    /// As `ListMail::render`, sent to research help's list instead.
    fn to_research(mail: &ListMail) -> Vec<u8> {
        String::from_utf8(mail.render())
            .unwrap()
            .replace("ask-chat", "research-help")
            .into_bytes()
    }

    fn from_research(m: &Received) -> bool {
        m.header("from")
            .is_some_and(|f| f.contains(&format!("{RESEARCH_PROGRAM}@")))
    }

    fn from_chat(m: &Received) -> bool {
        m.header("from")
            .is_some_and(|f| f.contains(&format!("<{PROGRAM}@")))
    }

    async fn scrape(port: u16) -> String {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let mut c = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("the metrics endpoint");
        c.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut out = String::new();
        c.read_to_string(&mut out).await.unwrap();
        out
    }

    /// A sample's value in a scrape, by its whole name and labels.
    fn sample(scrape: &str, series: &str) -> Option<f64> {
        scrape
            .lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
    }

    /// The acks answering `mail` in `user`'s INBOX, once there are `n` of
    /// them (fewer when ARRIVES ran out first).
    async fn acks_answering(s: &Servers, user: &str, mail: &ListMail, n: usize) -> Vec<Received> {
        let answering = |m: &[Received]| -> Vec<Received> {
            of_kind(m, "ack")
                .into_iter()
                .filter(|a| a.answers(&mail.message_id))
                .cloned()
                .collect()
        };
        answering(&s.wait_for(user, ARRIVES, |m| answering(m).len() >= n).await)
    }

    async fn two_desks_whose_staff_overlap_act_each_on_their_own(database_url: &str, dir: &Path) {
        let Some(s) = servers() else { return };
        s.clear_all().await;
        s.clear(RESEARCH_PROGRAM).await;
        let metrics = closed_port();
        let config = write_desks(dir, &s, database_url, metrics);
        let chat_ics_before = std::fs::read_to_string(dir.join("chat.ics")).unwrap();
        let research_ics_before = std::fs::read_to_string(dir.join("research.ics")).unwrap();
        let mut d = Daemon::start(&config);
        // Chat and research both catch up although branch's mailbox is down.
        d.wait_for_log("watching for mail", 2, ARRIVES);

        // Mei is sick on a Tuesday she works at both desks; she tells chat.
        let tue = upcoming(Weekday::Tue, 14);
        let sick = ListMail::new(
            "mchen",
            "Mei Chen",
            &format!("Out sick Tuesday {}", md(tue)),
            &format!(
                "Hi all,\n\nI'm sick and can't work my Tuesday {} shift. Sorry!\n\nMei",
                md(tue)
            ),
        );
        s.post(&sick).await;
        let acks = acks_answering(&s, "mchen", &sick, 1).await;
        assert_eq!(acks.len(), 1, "one ack, from chat; log:\n{}", d.log_text());
        assert!(
            from_chat(&acks[0]),
            "the ack is chat's: {:?}",
            acks[0].header("from")
        );
        let text = acks[0].text();
        assert!(
            text.contains("12 to 2 pm") && !text.contains("3 to 5 pm"),
            "the ack names Mei's chat shift only:\n{text}"
        );
        // The coordinator of chat hears of it at once; research's does not.
        let courtney = s
            .wait_for("ccrummett", ARRIVES, |m| {
                !of_kind(m, "escalation").is_empty()
            })
            .await;
        let esc = of_kind(&courtney, "escalation");
        assert_eq!(esc.len(), 1);
        assert!(from_chat(esc[0]));
        // The sick call goes to chat's list: Tom (on both lists) gets one, from chat.
        let tom = s
            .wait_for("tbecker", ARRIVES, |m| !of_kind(m, "sick-call").is_empty())
            .await;
        assert!(of_kind(&tom, "sick-call").iter().all(|m| from_chat(m)));

        // Tom answers on research's list, in the sick notice's thread: at
        // research there is no such request, so nothing is covered anywhere.
        let wrong_list = ListMail::new(
            "tbecker",
            "Tom Becker",
            &format!("Re: Out sick Tuesday {}", md(tue)),
            &format!(
                "All set: I'm taking Mei's Tuesday {} shift.\n\nTom",
                md(tue)
            ),
        )
        .reply_to(&sick);
        s.send(
            &address("tbecker"),
            &[RESEARCH_LIST],
            &to_research(&wrong_list),
        )
        .await;
        // The same Message-ID at both lists (cross-posted): each desk acks
        // Angie for her own Monday shift there.
        let mon = upcoming(Weekday::Mon, 14);
        let both = ListMail::new(
            "alopez",
            "Angie Lopez",
            &format!("Coverage for Monday {}?", md(mon)),
            &format!(
                "Hi all,\n\nCould someone cover my Monday {} shift? I have a conference.\n\nAngie",
                md(mon)
            ),
        );
        // Each list delivers its own copy, with its own List-Id.
        s.post(&both).await;
        s.send(&address("alopez"), &[RESEARCH_LIST], &to_research(&both))
            .await;
        let acks = acks_answering(&s, "alopez", &both, 2).await;
        assert_eq!(
            acks.len(),
            2,
            "one ack from each desk; log:\n{}",
            d.log_text()
        );
        let chat_ack = acks.iter().find(|a| from_chat(a)).expect("chat's ack");
        let research_ack = acks
            .iter()
            .find(|a| from_research(a))
            .expect("research's ack");
        assert!(
            chat_ack.text().contains("12 to 2 pm"),
            "{}",
            chat_ack.text()
        );
        assert!(
            research_ack.text().contains("3 to 5 pm"),
            "{}",
            research_ack.text()
        );
        assert_ne!(
            chat_ack.message_id(),
            research_ack.message_id(),
            "two desks' acks to one message are two mails"
        );

        // Mei confirms on chat's list: chat's calendar, and only chat's, changes.
        let covered = ListMail::new(
            "mchen",
            "Mei Chen",
            &format!("Re: Out sick Tuesday {}", md(tue)),
            &format!(
                "All set: Tom's taking my Tuesday {} shift. Thanks Tom!\n\nMei",
                md(tue)
            ),
        )
        .reply_to(&sick);
        s.post(&covered).await;
        let tom = s
            .wait_for("tbecker", ARRIVES, |m| !of_kind(m, "invitation").is_empty())
            .await;
        let inv = of_kind(&tom, "invitation");
        assert_eq!(
            inv.len(),
            1,
            "one invitation, for chat's shift; log:\n{}",
            d.log_text()
        );
        assert!(from_chat(inv[0]));
        let chat_ics = wait_for_file(&dir.join("chat.ics"), "Tom for Mei").await;
        assert_ne!(chat_ics, chat_ics_before);
        // Research read Tom's reply once its wait for the thread's start
        // (which never comes there) was over: it changed nothing.
        let research = shiftcover::store::Store::open_desk(database_url, Some("research"))
            .await
            .unwrap();
        let until = std::time::Instant::now() + ARRIVES;
        while !research.is_processed(&wrong_list.message_id).await.unwrap() {
            assert!(
                std::time::Instant::now() < until,
                "research never handled Tom's reply; log:\n{}",
                d.log_text()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Its store holds Angie's request alone; Mei's sickness is chat's.
        let requests = research.load_requests().await.unwrap();
        assert_eq!(requests.len(), 1, "{requests:?}");
        assert_eq!(requests[0].requester, "alopez@example.edu");
        research.close().await;
        assert_eq!(
            std::fs::read_to_string(dir.join("research.ics")).unwrap(),
            research_ics_before,
            "research's calendar was touched"
        );
        // Research acted on nothing of Mei's sickness: no ack, call,
        // escalation or invitation from it to anyone. (It may tell its own
        // coordinator that Tom's reply made no sense there.)
        for user in ["mchen", "tbecker", "dwhitfield", "ccrummett"] {
            let inbox = s.inbox(user).await;
            let stray: Vec<_> = inbox
                .iter()
                .filter(|m| from_research(m) && !m.answers(&both.message_id))
                .filter(|m| !(user == "dwhitfield" && m.kind() == Some("not-understood")))
                .map(|m| {
                    (
                        m.kind().unwrap_or("").to_string(),
                        m.header("subject").unwrap_or("").to_string(),
                    )
                })
                .collect();
            assert!(stray.is_empty(), "{user} got research mail: {stray:?}");
        }

        // /metrics tells the desks apart; branch is up but cannot connect,
        // and the desk whose calendar cannot be read is down, the others run.
        let body = scrape(metrics).await;
        for (series, want) in [
            (
                "shiftcover_messages_handled_total{desk=\"chat\",kind=\"sick\"}",
                Some(1.0),
            ),
            (
                "shiftcover_messages_handled_total{desk=\"research\",kind=\"coverage_request\"}",
                Some(1.0),
            ),
            (
                "shiftcover_messages_handled_total{desk=\"research\",kind=\"sick\"}",
                None,
            ),
            ("shiftcover_desk_up{desk=\"branch\"}", Some(1.0)),
            ("shiftcover_desk_up{desk=\"closed\"}", Some(0.0)),
            ("shiftcover_desk_up{desk=\"chat\"}", Some(1.0)),
            (
                "shiftcover_imap_connect_failures_total{desk=\"chat\"}",
                Some(0.0),
            ),
        ] {
            assert_eq!(sample(&body, series), want, "{series}:\n{body}");
        }
        assert!(
            d.log_text()
                .contains("this desk stopped; the other desks carry on"),
            "{}",
            d.log_text()
        );
        assert!(
            sample(
                &body,
                "shiftcover_imap_connect_failures_total{desk=\"branch\"}"
            )
            .is_some_and(|n| n >= 1.0),
            "{body}"
        );
        assert_eq!(
            body.matches("# TYPE shiftcover_open_requests gauge")
                .count(),
            1
        );
        assert!(
            d.terminate(Duration::from_secs(300)),
            "a clean stop; log:\n{}",
            d.log_text()
        );

        // `status` shows each desk under its name; the one that cannot be
        // read says why, and the command fails for it.
        let (text, code) = every_desk_in(&config, "status");
        assert!(text.contains("this desk cannot be read"), "{text}");
        assert_eq!(code, Some(1));

        // `check` tries every desk's servers in turn: chat's work, the
        // closed desk's calendar and branch's mailbox do not.
        let (text, code) = every_desk_in(&config, "check");
        let chat_part = text.split("== Desk research").next().unwrap_or_default();
        assert!(
            !chat_part.contains("FAIL"),
            "chat's servers answer:\n{text}"
        );
        assert!(text.contains("FAIL"), "{text}");
        assert_eq!(code, Some(1), "{text}");
    }

    /// Runs `shiftcover --config <config> <command>` for every desk and
    /// asserts that its output shows each desk under its name; returns the
    /// output and the exit code.
    fn every_desk_in(config: &Path, command: &str) -> (String, Option<i32>) {
        let out = std::process::Command::new(binary())
            .arg("--config")
            .arg(config)
            .arg(command)
            .env_remove("SHIFTCOVER_DESK")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        for desk in [
            "== Desk chat",
            "== Desk research",
            "== Desk branch",
            "== Desk closed",
        ] {
            assert!(text.contains(desk), "{command}: {text}");
        }
        (text, out.status.code())
    }

    async fn wait_for_file(path: &Path, needle: &str) -> String {
        let until = std::time::Instant::now() + ARRIVES;
        loop {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            if text.contains(needle) || std::time::Instant::now() >= until {
                assert!(
                    text.contains(needle),
                    "{} has no {needle:?}:\n{text}",
                    path.display()
                );
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A several-desk leader that another instance deposes stops every
    /// desk and stands by (it does not exit), then leads again when the
    /// other instance is gone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_deposed_desks_stand_by_and_lead_again() {
        use sqlx::Connection as _;
        let _g = lock().await;
        let Some(s) = servers() else { return };
        let Some(url) = postgres_server::fresh_database().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let config = write_desks(dir.path(), &s, &url, closed_port());
        let mut d = Daemon::start(&config);
        d.wait_for_log("watching for mail", 2, ARRIVES);

        // The daemon's lock session ends from the server's side, and this
        // test takes the lead and the lease as another instance would.
        let mut admin = sqlx::AnyConnection::connect(&url).await.unwrap();
        let ended: i64 = sqlx::query_scalar(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name LIKE 'shiftcover leader %'",
        )
        .fetch_one(&mut admin)
        .await
        .unwrap();
        assert_eq!(ended, 1);
        let other = shiftcover::store::Store::open(&url).await.unwrap();
        let mut lock = super::take_the_lead(&other, ARRIVES).await;
        lock.take_lease("2026-12-07T09:00:00Z").await.unwrap();
        d.wait_for_log("every desk stands by", 1, ARRIVES);
        d.wait_for_log("standby: another instance leads", 1, ARRIVES);

        // The other instance goes; the daemon takes over and both working
        // desks catch up again.
        drop(lock);
        other.close().await;
        d.wait_for_log("the previous leader is gone; taking over", 1, ARRIVES);
        d.wait_for_log("watching for mail", 4, ARRIVES);
        admin.close().await.unwrap();
        drop(d);
        postgres_server::drop_database(&url).await;
    }

    /// The mailbox port of desk `name` in the config at `path`.
    fn desk_mailbox_port(path: &Path, name: &str) -> u16 {
        let top: toml::Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let desk = top["desk"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"].as_str() == Some(name))
            .unwrap();
        u16::try_from(desk["mailbox"]["port"].as_integer().unwrap()).unwrap()
    }

    /// How many WATCHDOG=1 the notify socket heard so far.
    fn fed(listener: &super::oauth_servers::StatusListener) -> usize {
        listener
            .all()
            .lines()
            .filter(|l| *l == "WATCHDOG=1")
            .count()
    }

    /// Waits (at most `ARRIVES`) until `until` holds; panics with `what`
    /// and the daemon's log otherwise.
    async fn wait_until(what: &str, d: &Daemon, until: impl Fn() -> bool) {
        let limit = std::time::Instant::now() + ARRIVES;
        while !until() {
            assert!(
                std::time::Instant::now() < limit,
                "{what}; log:\n{}",
                d.log_text()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// With several desks, `systemctl status` shows one line that speaks of
    /// every desk (a later desk's news no longer hides an earlier one's),
    /// and the watchdog is fed while every desk's loop shows life: a desk
    /// retrying its unreachable mailbox, or waiting to be started again,
    /// still feeds it; a desk stuck in one step (a mailbox server that
    /// accepts the connection and never greets) starves it, and it is fed
    /// again once that desk moves on.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_status_line_names_every_desk_and_a_stuck_desk_starves_the_watchdog() {
        use super::oauth_servers::StatusListener;
        let _g = lock().await;
        let Some(s) = servers() else { return };
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("state.db").display());
        let config = write_desks(dir.path(), &s, &url, closed_port());
        let branch_port = desk_mailbox_port(&config, "branch");
        let listener = StatusListener::bind(dir.path());
        let mut env = listener.env();
        // A 4 s watchdog (systemd's WatchdogSec=4s): ticks every second.
        env.push(("WATCHDOG_USEC".into(), "4000000".into()));
        let mut d = Daemon::launch_with(&config, env);
        d.wait_for_log("watching for mail", 2, ARRIVES);

        // One line, every desk as it is: chat and research watching, branch
        // retrying its mailbox, closed waiting to start again.
        let every_desk = |l: &String| {
            l.contains("4 desks: chat: watching")
                && l.contains("; research: watching")
                && l.contains("; branch: mailbox unreachable since ")
                && l.contains("; closed: down since ")
        };
        wait_until("no STATUS= line names every desk as it is", &d, || {
            listener.statuses().iter().any(every_desk)
        })
        .await;
        let line = listener
            .statuses()
            .into_iter()
            .find(every_desk)
            .unwrap_or_default();
        eprintln!("STATUS={line}");
        assert!(!line.contains('\n'));

        // Two desks in trouble, both alive: the watchdog is fed.
        let before = fed(&listener);
        wait_until("WATCHDOG=1 stopped while two desks retry", &d, || {
            fed(&listener) >= before + 5
        })
        .await;

        // Branch's mailbox server now takes the connection and says
        // nothing: branch's loop waits for the greeting (30 s, far more
        // than this watchdog's 4 s), and shows no life meanwhile.
        let tarpit = std::net::TcpListener::bind(("127.0.0.1", branch_port)).unwrap();
        let (held_tx, held_rx) = std::sync::mpsc::channel();
        let holder = std::thread::spawn(move || {
            let conn = tarpit.accept().map(|(c, _)| c);
            let _ = held_tx.send(());
            // Held until the test lets go; then the connection closes.
            std::thread::sleep(Duration::from_secs(12));
            drop(conn);
            drop(tarpit);
        });
        held_rx
            .recv_timeout(ARRIVES)
            .expect("branch never connected to its mailbox again");
        // A tick or two may still count branch's last round; after that,
        // nothing while it is stuck.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let stuck_from = fed(&listener);
        tokio::time::sleep(Duration::from_secs(6)).await;
        let stuck_to = fed(&listener);
        eprintln!(
            "figure: WATCHDOG=1 heard {stuck_from} times before branch was stuck, \
             {} times in 6 s while it was",
            stuck_to - stuck_from
        );
        assert_eq!(
            stuck_from,
            stuck_to,
            "the watchdog was fed while branch's loop was stuck; log:\n{}",
            d.log_text()
        );
        let log = d.log_text();
        assert!(
            log.lines()
                .any(|l| l.contains("no sign of life from these desks' loops")
                    && l.contains("branch")),
            "the log does not name the stuck desk:\n{log}"
        );

        // The server hangs up; branch retries as before, and the watchdog
        // is fed again.
        holder.join().unwrap();
        wait_until("WATCHDOG=1 did not come back", &d, || {
            fed(&listener) > stuck_to + 2
        })
        .await;
        assert!(
            d.terminate(Duration::from_secs(300)),
            "a clean stop; log:\n{}",
            d.log_text()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_two_desks_whose_staff_overlap_act_each_on_their_own() {
        let _g = lock().await;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("state.db").display());
        two_desks_whose_staff_overlap_act_each_on_their_own(&url, dir.path()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_two_desks_whose_staff_overlap_act_each_on_their_own() {
        let _g = lock().await;
        let Some(url) = postgres_server::fresh_database().await else {
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        two_desks_whose_staff_overlap_act_each_on_their_own(&url, dir.path()).await;
        postgres_server::drop_database(&url).await;
    }
}

/// The several-desk example in the README's deployment section loads as
/// written.
#[test]
fn the_readmes_several_desk_example_loads() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### Several desks in one service")
        .nth(1)
        .expect("the README's section");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("its example");
    let desks = Desks::from_toml(example, config_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(desks.names(), ["chat", "research"]);
    assert_eq!(desks.desks[0].store_namespace, None);
    assert_eq!(desks.desks[1].store_namespace.as_deref(), Some("research"));
    assert!(desks.desks[1].database_url.starts_with("postgres://"));
}

// ---------------------------------------------------------------------------
// The several-desk bench (`bench --desks N`): it plays every desk, each into
// its own outbox and store. Figures are printed, never asserted.

async fn the_desk_bench_plays_every_desk(database_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo");
    let (config, until) =
        shiftcover::desk_bench::build(&demo, dir.path(), 3, 2, database_url).unwrap();
    let f = shiftcover::desk_bench::run(&config, until).await.unwrap();
    eprintln!(
        "figure: {} desks, {} messages, {:.0} messages/s (debug build), VmRSS {} kB, peak {} kB",
        f.desks,
        f.messages,
        f.messages_per_second(),
        f.rss_after_kb,
        f.rss_peak_kb
    );
    assert_eq!(f.desks, 3);
    assert_eq!(
        f.messages,
        3 * 2 * 24,
        "the demo's 24 messages, twice, at 3 desks"
    );
    // Every desk answered its own mail, from its own sender.
    for i in 0..3 {
        let out = dir.path().join(format!("desk{i:02}/outbox"));
        let mail = shiftcover::live::maildir::read_all(&out).unwrap();
        assert!(!mail.is_empty(), "desk{i:02} sent nothing");
        for m in &mail {
            let text = String::from_utf8_lossy(&m.raw);
            assert!(
                text.contains(&format!("coverage-desk{i:02}@example.edu")),
                "desk{i:02}'s outbox holds another desk's mail:\n{text}"
            );
        }
    }
    assert!(f.mail_sent >= 3);
    assert!(f.rss_after_kb > 0, "VmRSS is read from /proc/self/status");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_the_desk_bench_plays_every_desk() {
    the_desk_bench_plays_every_desk(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_the_desk_bench_plays_every_desk() {
    let Some(url) = postgres_server::fresh_database().await else {
        return;
    };
    the_desk_bench_plays_every_desk(Some(&url)).await;
    postgres_server::drop_database(&url).await;
}

// ---------------------------------------------------------------------------
// `simulate --desk`: each desk plays its own inbox into its own outbox,
// calendar and store part, and its digest speaks of its own requests.

#[test]
fn simulate_plays_one_desk_and_its_digest_speaks_of_that_desk_alone() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/demo");
    std::fs::copy(demo.join("schedule.ics"), dir.path().join("chat.ics")).unwrap();
    std::fs::write(dir.path().join("research.ics"), research_ics()).unwrap();
    let chat =
        desk("chat", "ask-chat@example.edu", "chat").replace("chat/schedule.ics", "chat.ics");
    let research = desk("research", "research-help@example.edu", "research")
        .replace("research/schedule.ics", "research.ics")
        .replace(
            "name = \"Courtney Crummett\"\nemail = \"ccrummett@example.edu\"",
            "name = \"Dana Whitfield\"\nemail = \"dwhitfield@example.edu\"",
        )
        .replace(
            "[desk.calendar]",
            "[[desk.staff]]\nname = \"Angie Lopez\"\nemail = \"alopez@example.edu\"\n[desk.calendar]",
        );
    let config = dir.path().join("shiftcover.toml");
    std::fs::write(&config, format!("{TOP}{chat}{research}")).unwrap();
    let post =
        |folder: &str, list: &str, from: &str, name: &str, id: &str, subject: &str, body: &str| {
            let inbox = dir.path().join(folder).join("inbox/cur");
            std::fs::create_dir_all(&inbox).unwrap();
            std::fs::create_dir_all(dir.path().join(folder).join("inbox/new")).unwrap();
            let local = list.split('@').next().unwrap();
            std::fs::write(
                inbox.join(format!("{id}:2,S")),
                format!(
                    "From: {name} <{from}>\r\nTo: {list}\r\nSubject: {subject}\r\n\
                 Date: Mon, 07 Dec 2026 08:00:00 -0500\r\nMessage-ID: <{id}@example.edu>\r\n\
                 List-Id: <{local}.example.edu>\r\nList-Post: <mailto:{list}>\r\n\r\n{body}\r\n"
                ),
            )
            .unwrap();
        };
    post(
        "chat",
        "ask-chat@example.edu",
        "mchen@example.edu",
        "Mei Chen",
        "sick-mei",
        "Out sick tomorrow",
        "I'm sick and can't work my shift tomorrow, sorry!",
    );
    post(
        "research",
        "research-help@example.edu",
        "alopez@example.edu",
        "Angie Lopez",
        "cover-angie",
        "Coverage for Monday 12/21?",
        "Could someone cover my Monday 12/21 shift? I'm at a conference.",
    );
    let simulate = |desk: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_shiftcover"))
            .arg("--config")
            .arg(&config)
            .args([
                "--desk",
                desk,
                "simulate",
                "--until",
                "2026-12-16T12:00:00-05:00",
            ])
            .env_remove("SHIFTCOVER_DESK")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let chat_report = simulate("chat");
    let research_report = simulate("research");
    let requesters = |r: &serde_json::Value| -> Vec<String> {
        r["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["requester"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(requesters(&chat_report), ["mchen@example.edu"]);
    assert_eq!(requesters(&research_report), ["alopez@example.edu"]);
    let sent = |folder: &str| -> Vec<String> {
        shiftcover::live::maildir::read_all(&dir.path().join(folder).join("outbox"))
            .unwrap()
            .into_iter()
            .map(|m| String::from_utf8_lossy(&m.raw).into_owned())
            .collect()
    };
    let kind_to = |mails: &[String], kind: &str| -> Vec<String> {
        mails
            .iter()
            .filter(|m| m.contains(&format!("X-Shiftcover-Kind: {kind}")))
            .cloned()
            .collect()
    };
    let chat_mail = sent("chat");
    let research_mail = sent("research");
    // Chat: Mei's ack, the sick call, the escalation to Courtney, and
    // Courtney's digest naming Mei, not Angie.
    assert_eq!(kind_to(&chat_mail, "ack").len(), 1, "{chat_mail:#?}");
    assert_eq!(kind_to(&chat_mail, "escalation").len(), 1, "{chat_mail:#?}");
    let digests = kind_to(&chat_mail, "digest");
    assert!(!digests.is_empty(), "{chat_mail:#?}");
    for d in &digests {
        assert!(
            d.contains("ccrummett@example.edu") && d.contains("Mei"),
            "{d}"
        );
        assert!(
            !d.contains("Angie"),
            "chat's digest names research's request:\n{d}"
        );
    }
    // Research: Angie's ack, and Dana's digest naming Angie, not Mei.
    assert_eq!(
        kind_to(&research_mail, "ack").len(),
        1,
        "{research_mail:#?}"
    );
    assert!(kind_to(&research_mail, "sick-call").is_empty());
    assert!(
        kind_to(&research_mail, "escalation")
            .iter()
            .all(|m| !m.contains("Mei")),
        "{research_mail:#?}"
    );
    let digests = kind_to(&research_mail, "digest");
    assert!(!digests.is_empty(), "{research_mail:#?}");
    for d in &digests {
        assert!(
            d.contains("dwhitfield@example.edu") && d.contains("Angie"),
            "{d}"
        );
        assert!(
            !d.contains("Mei"),
            "research's digest names chat's sick notice:\n{d}"
        );
    }
    // Each desk's part of the database is its own file.
    assert!(dir.path().join("state.desk-chat.db").exists());
    assert!(dir.path().join("state.desk-research.db").exists());
}
