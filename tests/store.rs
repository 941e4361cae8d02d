//! The store: what is written comes back, a message is handled once, an
//! outbox key is sent once, retries wait their turn, and the schema upgrades
//! (and refuses a newer one).

use std::time::Instant as Stopwatch;

use chrono::{TimeDelta, TimeZone, Utc};
use shiftcover::calendar::{CoverEdit, EditOp};
use shiftcover::compose::OutgoingMail;
use shiftcover::engine::{Audit, Offer, Request, RequestKind, RequestShift, RequestState};
use shiftcover::model::{Instant, Kind, Span};
use shiftcover::store::{
    Batch, DeliveryState, Engine, MailboxState, ProcessedMessage, SCHEMA_VERSION, Store, StoreError,
};
use sqlx::{AnyConnection, Connection, Executor};

#[path = "support/postgres.rs"]
mod postgres_server;

/// A minute in the week of 7 December 2026 (UTC).
fn at(day: u32, hour: u32, minute: u32) -> Instant {
    Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

fn span(day: u32, from: u32, to: u32) -> Span {
    Span::new(at(day, from, 0), at(day, to, 0))
}

/// The database a case runs on: a SQLite file (or memory) or a fresh
/// PostgreSQL database. Every case runs on both engines (see the end).
struct TestDb {
    url: String,
    engine: Engine,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.engine == Engine::Postgres {
            postgres_server::drop_database_blocking(&self.url);
        }
    }
}

impl TestDb {
    fn sqlite(in_memory: bool) -> TestDb {
        if in_memory {
            return TestDb {
                url: "sqlite::memory:".into(),
                engine: Engine::Sqlite,
                _dir: None,
            };
        }
        let dir = tempfile::tempdir().unwrap();
        TestDb {
            url: format!("sqlite://{}", dir.path().join("state.db").display()),
            engine: Engine::Sqlite,
            _dir: Some(dir),
        }
    }

    async fn postgres() -> Option<TestDb> {
        Some(TestDb {
            url: postgres_server::fresh_database().await?,
            engine: Engine::Postgres,
            _dir: None,
        })
    }

    /// A connection of its own, beside the store's, as another process's.
    async fn connect(&self) -> AnyConnection {
        sqlx::any::install_default_drivers();
        let url = match self.engine {
            Engine::Sqlite if !self.url.contains('?') => format!("{}?mode=rwc", self.url),
            _ => self.url.clone(),
        };
        AnyConnection::connect(&url).await.unwrap()
    }
}

fn message(id: &str, kind: Kind, handled_at: Instant) -> ProcessedMessage {
    ProcessedMessage {
        message_id: id.to_string(),
        from: "alopez@example.edu".to_string(),
        kind,
        reading_json: format!(r#"{{"message_id":"{id}","kind":"{}"}}"#, kind.as_str()),
        handled_at,
    }
}

fn request(id: &str) -> Request {
    Request {
        id: id.to_string(),
        kind: RequestKind::Coverage,
        requester: "alopez@example.edu".to_string(),
        owner: "alopez@example.edu".to_string(),
        subject: "Coverage needed Tue 10-12 and Thu 14-16".to_string(),
        requested_at: at(7, 9, 0),
        shifts: vec![
            RequestShift {
                span: span(8, 15, 17),
                covered_by: Some("bkim@example.edu".to_string()),
                covered_at: Some(at(7, 11, 30)),
            },
            RequestShift {
                span: span(10, 19, 21),
                covered_by: None,
                covered_at: None,
            },
        ],
        state: RequestState::Open,
        thread: vec![
            id.to_string(),
            "<ack-1@example.edu>".to_string(),
            "<re-1@x>".to_string(),
        ],
        second_call_at: Some(at(9, 14, 0)),
        second_call_sent_at: None,
        own_second_call: false,
        escalated_at: None,
        offers: vec![
            Offer {
                from: "bkim@example.edu".to_string(),
                spans: vec![span(8, 15, 17)],
                at: at(7, 11, 0),
                message_id: "<re-1@x>".to_string(),
            },
            Offer {
                from: "cchen@example.edu".to_string(),
                spans: vec![],
                at: at(7, 12, 15),
                message_id: "<re-2@x>".to_string(),
            },
        ],
        closed_at: None,
        suggested_for: vec!["bkim@example.edu".to_string()],
        cover_events: vec![],
        owner_on_calendar: None,
    }
}

fn mail(key: &str, date: Instant, body: &str) -> OutgoingMail {
    OutgoingMail {
        key: key.to_string(),
        kind: "ack".to_string(),
        to: vec!["alopez@example.edu".to_string()],
        from: "shiftcover@example.edu".to_string(),
        message_id: format!("<{key}@example.edu>"),
        date,
        request_id: Some("<req-1@x>".to_string()),
        raw: format!("Subject: test\r\n\r\n{body}\r\n").into_bytes(),
    }
}

fn cover(uid: &str, day: u32) -> EditOp {
    EditOp::Cover(CoverEdit {
        uid: uid.to_string(),
        owner_email: "alopez@example.edu".to_string(),
        owner_name: "Angie Lopez".to_string(),
        coverer_email: "bkim@example.edu".to_string(),
        coverer_name: "Ben Kim".to_string(),
        span: span(day, 15, 17),
        label: "Ben for Angie".to_string(),
        organizer_email: "shiftcover@example.edu".to_string(),
        organizer_name: "Shift coverage".to_string(),
        sequence: 0,
    })
}

fn audit(at: Instant, decision: &str) -> Audit {
    Audit {
        at,
        request_id: Some("<req-1@x>".to_string()),
        message_id: None,
        decision: decision.to_string(),
        reason: "because the test says so".to_string(),
    }
}

fn keys(items: &[shiftcover::store::OutboxItem]) -> Vec<&str> {
    items.iter().map(|i| i.mail.key.as_str()).collect()
}

async fn a_request_reads_back_whole_and_a_new_version_replaces_it(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let first = request("<req-1@x>");
    let mut older = request("<req-0@x>");
    older.requested_at = at(6, 8, 0);
    older.kind = RequestKind::Sick;
    older.state = RequestState::Covered;
    older.closed_at = Some(at(6, 9, 0));
    older.own_second_call = true;
    older.second_call_at = None;
    older.second_call_sent_at = Some(at(6, 8, 30));
    older.escalated_at = Some(at(6, 8, 31));
    store
        .commit(&Batch {
            requests: vec![first.clone(), older.clone()],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(
        store.load_requests().await.unwrap(),
        vec![older.clone(), first.clone()]
    );

    // The next version drops a shift and an offer and closes the request.
    let mut second = first.clone();
    second.shifts.truncate(1);
    second.offers.remove(0);
    second.thread.push("<conf@x>".to_string());
    second.state = RequestState::Covered;
    second.closed_at = Some(at(7, 16, 0));
    store
        .commit(&Batch {
            requests: vec![second.clone()],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(store.load_requests().await.unwrap(), vec![older, second]);
    assert_eq!(store.request_count_open().await.unwrap(), 0);
    assert_eq!(
        store
            .request_for_message("<conf@x>")
            .await
            .unwrap()
            .as_deref(),
        Some("<req-1@x>")
    );
    assert_eq!(store.request_for_message("<nobody@x>").await.unwrap(), None);
}

async fn handling_the_same_message_twice_changes_nothing(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let first = Batch {
        message: Some(message("<req-1@x>", Kind::CoverageRequest, at(7, 9, 0))),
        requests: vec![request("<req-1@x>")],
        mail: vec![mail("ack:<req-1@x>", at(7, 9, 0), "first")],
        edits: vec![("cover-1".to_string(), cover("cover-1", 8))],
        audit: vec![audit(at(7, 9, 0), "opened")],
        meta: vec![("last_digest".to_string(), "one".to_string())],
        excerpt: vec![],
    };
    store.commit(&first).await.unwrap();
    assert!(store.is_processed("<req-1@x>").await.unwrap());
    assert!(!store.is_processed("<other@x>").await.unwrap());

    // Same Message-ID, different decisions (as a changed engine might make).
    let mut changed = request("<req-1@x>");
    changed.state = RequestState::Withdrawn;
    let again = Batch {
        message: Some(message("<req-1@x>", Kind::CoverageRequest, at(7, 10, 0))),
        requests: vec![changed],
        mail: vec![mail("ack-again:<req-1@x>", at(7, 10, 0), "second")],
        edits: vec![("cover-2".to_string(), cover("cover-2", 10))],
        audit: vec![audit(at(7, 10, 0), "opened again")],
        meta: vec![("last_digest".to_string(), "two".to_string())],
        excerpt: vec![],
    };
    store.commit(&again).await.unwrap();

    assert_eq!(
        store.load_requests().await.unwrap(),
        vec![request("<req-1@x>")]
    );
    assert_eq!(
        keys(&store.due_mail(at(31, 0, 0)).await.unwrap()),
        vec!["ack:<req-1@x>"]
    );
    assert_eq!(store.due_edits(at(31, 0, 0)).await.unwrap().len(), 1);
    assert_eq!(store.audit_since(at(1, 0, 0)).await.unwrap().len(), 1);
    assert_eq!(
        store.meta("last_digest").await.unwrap().as_deref(),
        Some("one")
    );
    assert_eq!(store.last_processed_at().await.unwrap(), Some(at(7, 9, 0)));
    assert_eq!(
        store.counts_by_kind().await.unwrap(),
        vec![("coverage_request".to_string(), 1)]
    );
}

async fn commit_all_skips_each_repeated_message_on_its_own(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    store
        .commit(&Batch {
            message: Some(message("<a@x>", Kind::Offer, at(7, 9, 0))),
            ..Batch::default()
        })
        .await
        .unwrap();
    let batch = |id: &str, key: &str| Batch {
        message: Some(message(id, Kind::Other, at(7, 10, 0))),
        mail: vec![mail(key, at(7, 10, 0), key)],
        ..Batch::default()
    };
    let tick = Batch {
        mail: vec![mail("tick", at(7, 11, 0), "tick")],
        ..Batch::default()
    };
    let outcomes = store
        .commit_all_outcomes(&[
            batch("<a@x>", "a"),
            batch("<b@x>", "b"),
            batch("<b@x>", "b2"),
            tick,
        ])
        .await
        .unwrap();
    assert_eq!(outcomes, vec![false, true, false, true]);
    let handled = store
        .processed_among(&["<a@x>", "<b@x>", "<c@x>"])
        .await
        .unwrap();
    assert_eq!(handled.len(), 2);
    assert!(handled.contains("<a@x>") && handled.contains("<b@x>"));
    assert_eq!(
        keys(&store.due_mail(at(31, 0, 0)).await.unwrap()),
        vec!["b", "tick"]
    );
    // The first handling of <a@x> stands: still an offer.
    assert_eq!(
        store.counts_by_kind().await.unwrap(),
        vec![("offer".to_string(), 1), ("other".to_string(), 1)]
    );
}

async fn an_outbox_key_is_recorded_once_and_never_resent(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    let once = |body: &str| Batch {
        mail: vec![mail("second-call:<req-1@x>", at(9, 14, 0), body)],
        ..Batch::default()
    };
    store.commit(&once("first")).await.unwrap();
    store.commit(&once("changed")).await.unwrap();
    let due = store.due_mail(at(9, 14, 0)).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        due[0].mail,
        mail("second-call:<req-1@x>", at(9, 14, 0), "first")
    );
    assert_eq!(due[0].state, DeliveryState::Pending);
    assert_eq!(due[0].attempts, 0);

    store
        .mark_mail_sent("second-call:<req-1@x>", at(9, 14, 1))
        .await
        .unwrap();
    store.commit(&once("third time")).await.unwrap();
    assert!(store.due_mail(at(31, 0, 0)).await.unwrap().is_empty());
    let sent = store.mail_in_state(DeliveryState::Sent).await.unwrap();
    assert_eq!(keys(&sent), vec!["second-call:<req-1@x>"]);
    assert_eq!(sent[0].sent_at, Some(at(9, 14, 1)));
    assert_eq!(sent[0].attempts, 1);
    assert_eq!(
        store.sent_counts_by_kind().await.unwrap(),
        vec![("ack".to_string(), 1)]
    );
}

async fn due_mail_waits_for_the_retry_time_and_drops_permanent_failures(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    store
        .commit(&Batch {
            mail: vec![
                mail("later", at(7, 10, 0), "b"),
                mail("b-early", at(7, 9, 0), "a"),
                mail("a-early", at(7, 9, 0), "a"),
                mail("doomed", at(7, 9, 30), "c"),
            ],
            ..Batch::default()
        })
        .await
        .unwrap();
    let now = at(7, 10, 0);
    // Oldest Date first, then key.
    assert_eq!(
        keys(&store.due_mail(now).await.unwrap()),
        vec!["a-early", "b-early", "doomed", "later"]
    );

    store
        .mark_mail_failed(
            "a-early",
            "421 try later",
            Some(now + TimeDelta::minutes(10)),
        )
        .await
        .unwrap();
    store
        .mark_mail_failed("doomed", "550 no such user", None)
        .await
        .unwrap();
    assert_eq!(
        keys(&store.due_mail(now).await.unwrap()),
        vec!["b-early", "later"]
    );
    assert_eq!(
        keys(&store.due_mail(now + TimeDelta::minutes(9)).await.unwrap()),
        vec!["b-early", "later"]
    );
    let retried = store.due_mail(now + TimeDelta::minutes(10)).await.unwrap();
    assert_eq!(keys(&retried), vec!["a-early", "b-early", "later"]);
    assert_eq!(retried[0].attempts, 1);
    assert_eq!(retried[0].last_error.as_deref(), Some("421 try later"));
    assert_eq!(
        retried[0].next_attempt_at,
        Some(now + TimeDelta::minutes(10))
    );

    // A permanent failure never comes due again, and shows as failed.
    assert!(!keys(&store.due_mail(at(31, 23, 0)).await.unwrap()).contains(&"doomed"));
    let failed = store.mail_in_state(DeliveryState::Failed).await.unwrap();
    assert_eq!(keys(&failed), vec!["doomed"]);
    assert_eq!(store.mail_count(DeliveryState::Failed).await.unwrap(), 1);
    assert_eq!(store.mail_count(DeliveryState::Pending).await.unwrap(), 3);
    assert_eq!(failed[0].last_error.as_deref(), Some("550 no such user"));
    assert_eq!(failed[0].next_attempt_at, None);
    assert_eq!(
        keys(&store.mail_in_state(DeliveryState::Pending).await.unwrap()),
        vec!["a-early", "b-early", "later"]
    );

    assert!(matches!(
        store.mark_mail_sent("never-recorded", now).await,
        Err(StoreError::UnknownKey { .. })
    ));
}

async fn a_send_started_and_never_finished_is_remembered_as_uncertain(db: &TestDb) {
    let url = db.url.clone();
    let now = at(7, 10, 0);
    {
        let store = Store::open(&url).await.unwrap();
        store
            .commit(&Batch {
                mail: vec![
                    mail("killed", at(7, 9, 0), "a"),
                    mail("refused", at(7, 9, 0), "b"),
                    mail("broken", at(7, 9, 0), "c"),
                ],
                ..Batch::default()
            })
            .await
            .unwrap();
        for key in ["killed", "refused", "broken"] {
            store.mark_mail_started(key, now).await.unwrap();
        }
        // The server answered: not accepted, so no longer uncertain.
        store
            .mark_mail_failed("refused", "451 try later", Some(now))
            .await
            .unwrap();
        // The session broke after the data: still uncertain.
        store
            .mark_mail_unconfirmed("broken", "connection reset", now)
            .await
            .unwrap();
        // "killed": the process dies here, before any outcome is recorded.
        store.close().await;
    }
    let store = Store::open(&url).await.unwrap();
    let pending = store.mail_in_state(DeliveryState::Pending).await.unwrap();
    let started: Vec<(&str, Option<Instant>)> = pending
        .iter()
        .map(|i| (i.mail.key.as_str(), i.send_started_at))
        .collect();
    assert_eq!(
        started,
        vec![
            ("broken", Some(now)),
            ("killed", Some(now)),
            ("refused", None)
        ]
    );
    store
        .mark_mail_given_up("killed", "given up: the shift started")
        .await
        .unwrap();
    let failed = store.mail_in_state(DeliveryState::Failed).await.unwrap();
    assert_eq!(keys(&failed), vec!["killed"]);
    assert_eq!(
        failed[0].last_error.as_deref(),
        Some("given up: the shift started")
    );
    assert_eq!(failed[0].send_started_at, None);
}

async fn calendar_edits_are_deduped_retried_and_done_in_decision_order(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    store
        .commit(&Batch {
            edits: vec![
                ("cover-b".to_string(), cover("cover-b", 10)),
                ("cover-a".to_string(), cover("cover-a", 8)),
            ],
            audit: vec![audit(at(7, 11, 0), "covered")],
            ..Batch::default()
        })
        .await
        .unwrap();
    store
        .commit(&Batch {
            edits: vec![
                ("cover-a".to_string(), cover("cover-a", 9)),
                (
                    "uncover-b".to_string(),
                    EditOp::Uncover(cover("cover-b", 10).edit().clone()),
                ),
            ],
            audit: vec![audit(at(7, 12, 0), "withdrawn")],
            ..Batch::default()
        })
        .await
        .unwrap();
    let now = at(7, 12, 0);
    let due = store.due_edits(now).await.unwrap();
    let due_keys: Vec<&str> = due.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(due_keys, vec!["cover-b", "cover-a", "uncover-b"]);
    assert_eq!(
        due[1].op,
        cover("cover-a", 8),
        "the first version of a key stands"
    );
    assert_eq!(due[0].created_at, at(7, 11, 0));
    assert_eq!(due[2].created_at, at(7, 12, 0));

    store.mark_edit_done("cover-b", now).await.unwrap();
    store
        .mark_edit_failed(
            "cover-a",
            "calendar server down",
            Some(now + TimeDelta::minutes(5)),
        )
        .await
        .unwrap();
    store
        .mark_edit_failed("uncover-b", "403 forbidden", None)
        .await
        .unwrap();
    assert!(store.due_edits(now).await.unwrap().is_empty());
    let retried = store.due_edits(now + TimeDelta::minutes(5)).await.unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].key, "cover-a");
    assert_eq!(retried[0].attempts, 1);
    assert_eq!(
        retried[0].last_error.as_deref(),
        Some("calendar server down")
    );

    let failed = store.edits_in_state(DeliveryState::Failed).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(store.edit_count(DeliveryState::Failed).await.unwrap(), 1);
    assert_eq!(store.edit_count(DeliveryState::Sent).await.unwrap(), 1);
    assert_eq!(failed[0].key, "uncover-b");
    let done = store.edits_in_state(DeliveryState::Sent).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].key, "cover-b");
    assert!(matches!(
        store.mark_edit_done("no-such-edit", now).await,
        Err(StoreError::UnknownKey { .. })
    ));
}

async fn mailbox_state_meta_and_audit_read_back(db: &TestDb) {
    let store = Store::open(&db.url).await.unwrap();
    assert_eq!(store.mailbox_state("INBOX").await.unwrap(), None);
    let first = MailboxState {
        uid_validity: 4_000_000_000,
        last_uid: 17,
        synced_at: at(7, 9, 0),
    };
    store.set_mailbox_state("INBOX", first).await.unwrap();
    assert_eq!(store.mailbox_state("INBOX").await.unwrap(), Some(first));
    let next = MailboxState {
        last_uid: 42,
        synced_at: at(7, 9, 5),
        ..first
    };
    store.set_mailbox_state("INBOX", next).await.unwrap();
    assert_eq!(store.mailbox_state("INBOX").await.unwrap(), Some(next));
    assert_eq!(store.mailbox_state("Archive").await.unwrap(), None);

    store
        .commit_all(&[
            Batch {
                meta: vec![("digest_sent".to_string(), "week 49".to_string())],
                audit: vec![audit(at(7, 8, 0), "early"), audit(at(7, 9, 0), "nine")],
                ..Batch::default()
            },
            Batch {
                meta: vec![("digest_sent".to_string(), "week 50".to_string())],
                audit: vec![audit(at(7, 10, 0), "ten")],
                ..Batch::default()
            },
        ])
        .await
        .unwrap();
    assert_eq!(
        store.meta("digest_sent").await.unwrap().as_deref(),
        Some("week 50")
    );
    assert_eq!(store.meta("unknown").await.unwrap(), None);
    let lines = store.audit_since(at(7, 9, 0)).await.unwrap();
    let decisions: Vec<&str> = lines.iter().map(|a| a.decision.as_str()).collect();
    assert_eq!(decisions, vec!["nine", "ten"]);
    assert_eq!(lines[1], audit(at(7, 10, 0), "ten"));
}

async fn reopening_the_file_keeps_everything(db: &TestDb) {
    let url = db.url.clone();
    let store = Store::open(&url).await.unwrap();
    store
        .commit(&Batch {
            message: Some(message("<req-1@x>", Kind::CoverageRequest, at(7, 9, 0))),
            requests: vec![request("<req-1@x>")],
            mail: vec![mail("ack:<req-1@x>", at(7, 9, 0), "hello")],
            edits: vec![("cover-1".to_string(), cover("cover-1", 8))],
            audit: vec![audit(at(7, 9, 0), "opened")],
            meta: vec![("k".to_string(), "v".to_string())],
            excerpt: vec![],
        })
        .await
        .unwrap();
    let sync = MailboxState {
        uid_validity: 7,
        last_uid: 3,
        synced_at: at(7, 9, 1),
    };
    store.set_mailbox_state("INBOX", sync).await.unwrap();
    store.close().await;

    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), SCHEMA_VERSION);
    assert!(store.is_processed("<req-1@x>").await.unwrap());
    assert_eq!(
        store.load_requests().await.unwrap(),
        vec![request("<req-1@x>")]
    );
    assert_eq!(
        store.due_mail(at(7, 9, 0)).await.unwrap()[0].mail,
        mail("ack:<req-1@x>", at(7, 9, 0), "hello")
    );
    assert_eq!(
        store.due_edits(at(7, 9, 0)).await.unwrap()[0].op,
        cover("cover-1", 8)
    );
    assert_eq!(store.audit_since(at(7, 0, 0)).await.unwrap().len(), 1);
    assert_eq!(store.meta("k").await.unwrap().as_deref(), Some("v"));
    assert_eq!(store.mailbox_state("INBOX").await.unwrap(), Some(sync));
    assert_eq!(store.request_count_open().await.unwrap(), 1);
}

async fn a_second_process_reads_while_the_first_holds_the_write_lock(db: &TestDb) {
    let url = db.url.clone();
    let daemon = Store::open(&url).await.unwrap();
    daemon
        .commit(&Batch {
            message: Some(message("<req-1@x>", Kind::CoverageRequest, at(7, 9, 0))),
            requests: vec![request("<req-1@x>")],
            ..Batch::default()
        })
        .await
        .unwrap();

    // A writer mid-transaction, as the daemon is while handling a message.
    let mut writer = db.connect().await;
    let begin = match db.engine {
        Engine::Sqlite => "BEGIN IMMEDIATE",
        Engine::Postgres => "BEGIN",
    };
    sqlx::query(begin).execute(&mut writer).await.unwrap();
    sqlx::query("INSERT INTO meta (key, value) VALUES ('uncommitted', 'x')")
        .execute(&mut writer)
        .await
        .unwrap();

    let status = Store::open(&url).await.unwrap();
    assert_eq!(
        status.load_requests().await.unwrap(),
        vec![request("<req-1@x>")]
    );
    assert_eq!(status.request_count_open().await.unwrap(), 1);
    assert_eq!(status.meta("uncommitted").await.unwrap(), None);

    sqlx::query("COMMIT").execute(&mut writer).await.unwrap();
    assert_eq!(
        status.meta("uncommitted").await.unwrap().as_deref(),
        Some("x")
    );
}

async fn a_database_at_schema_1_is_upgraded_with_its_data(db: &TestDb) {
    let url = db.url.clone();
    {
        // What the first release left behind: schema 1 only, with data.
        let mut conn = db.connect().await;
        let (version, schema_1) = db.engine.migrations()[0];
        assert_eq!(version, 1);
        sqlx::raw_sql(schema_1).execute(&mut conn).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO schema_version (version) VALUES (1);
             INSERT INTO processed_messages (message_id, from_addr, kind, reading, handled_at)
               VALUES ('<old@x>', 'alopez@example.edu', 'sick', '{}', '2026-12-01T08:00:00.000000000Z');
             INSERT INTO requests (id, kind, requester, owner, subject, requested_at, state,
               own_second_call, suggested_for)
               VALUES ('<old@x>', 'sick', 'alopez@example.edu', 'alopez@example.edu', 'Sick today',
                       '2026-12-01T08:00:00.000000000Z', 'open', 0, '[]');
             INSERT INTO request_shifts (request_id, idx, start_at, end_at)
               VALUES ('<old@x>', 0, '2026-12-01T15:00:00.000000000Z', '2026-12-01T17:00:00.000000000Z');",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }

    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), SCHEMA_VERSION);
    assert!(store.is_processed("<old@x>").await.unwrap());
    let requests = store.load_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].kind, RequestKind::Sick);
    assert_eq!(
        requests[0].shifts[0].span,
        Span::new(
            Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 1, 17, 0, 0).unwrap()
        )
    );
    assert_eq!(
        store.counts_by_kind().await.unwrap(),
        vec![("sick".to_string(), 1)]
    );
    store.close().await;

    // The upgrade added schema 2's indexes.
    let mut conn = db.connect().await;
    let indexes = match db.engine {
        Engine::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'outbox_due'"
        }
        Engine::Postgres => "SELECT indexname::text FROM pg_indexes WHERE indexname = 'outbox_due'",
    };
    let index: Option<String> = sqlx::query_scalar(indexes)
        .fetch_optional(&mut conn)
        .await
        .unwrap();
    assert_eq!(index.as_deref(), Some("outbox_due"));
}

async fn a_database_from_a_newer_binary_is_refused(db: &TestDb) {
    let url = db.url.clone();
    Store::open(&url).await.unwrap().close().await;
    let mut conn = db.connect().await;
    conn.execute("INSERT INTO schema_version (version) VALUES (99)")
        .await
        .unwrap();
    conn.close().await.unwrap();

    match Store::open(&url).await {
        Err(StoreError::TooNew { found, known, .. }) => {
            assert_eq!((found, known), (99, SCHEMA_VERSION));
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    let message = Store::open(&url).await.unwrap_err().to_string();
    assert!(message.contains("newer shiftcover"), "{message}");
    assert!(message.contains("schema 99"), "{message}");
}

async fn a_catch_up_of_ten_thousand_messages_commits_together(db: &TestDb) {
    let url = db.url.clone();
    let store = Store::open(&url).await.unwrap();
    let start = at(1, 0, 0);
    let batches: Vec<Batch> = (0..10_000)
        .map(|i| {
            let t = start + TimeDelta::minutes(i);
            let id = format!("<m{i}@x>");
            let mut req = request(&format!("<req{}@x>", i / 4));
            req.thread.push(id.clone());
            Batch {
                message: Some(message(&id, Kind::Offer, t)),
                requests: vec![req],
                mail: vec![mail(&format!("ack:{id}"), t, "thanks")],
                edits: vec![],
                audit: vec![audit(t, "offer recorded")],
                meta: vec![("last_seen".to_string(), id)],
                excerpt: vec![],
            }
        })
        .collect();
    let clock = Stopwatch::now();
    store.commit_all(&batches).await.unwrap();
    let took = clock.elapsed();
    eprintln!(
        "figure: commit_all of 10,000 batches on {:?} took {took:?}",
        db.engine
    );

    assert_eq!(
        store.counts_by_kind().await.unwrap(),
        vec![("offer".to_string(), 10_000)]
    );
    assert_eq!(store.due_mail(at(31, 0, 0)).await.unwrap().len(), 10_000);
    assert_eq!(store.load_requests().await.unwrap().len(), 2_500);
    assert_eq!(
        store.meta("last_seen").await.unwrap().as_deref(),
        Some("<m9999@x>")
    );

    // Played again: every batch is skipped, nothing new is recorded.
    let outcomes = store.commit_all_outcomes(&batches).await.unwrap();
    assert!(outcomes.iter().all(|written| !written));
    assert_eq!(store.audit_since(start).await.unwrap().len(), 10_000);

    // The daemon's shape: a catch-up commits 500 messages at a time.
    let fresh: Vec<Batch> = batches
        .iter()
        .map(|b| {
            let mut b = b.clone();
            if let Some(m) = &mut b.message {
                m.message_id = m.message_id.replace("<m", "<again");
            }
            b.mail[0].key = b.mail[0].key.replace("<m", "<again");
            b
        })
        .collect();
    let clock = Stopwatch::now();
    for chunk in fresh.chunks(500) {
        store.commit_all(chunk).await.unwrap();
    }
    let took = clock.elapsed();
    eprintln!(
        "figure: 20 commits of 500 batches on {:?} took {took:?} ({:?} a commit)",
        db.engine,
        took / 20
    );
    assert_eq!(
        store.counts_by_kind().await.unwrap(),
        vec![("offer".to_string(), 20_000)]
    );
    assert_eq!(store.due_mail(at(31, 0, 0)).await.unwrap().len(), 20_000);
}

/// Each case above as two tests, `sqlite::<case>` and `postgres::<case>`;
/// `memory` says whether the SQLite one may use an in-memory database (a
/// case that reopens or connects twice needs a file).
/// A cover event's SEQUENCE and its coverer's answer are kept per UID and
/// read back with their request; a new version of the request (the
/// decline's CANCEL, a second REQUEST) replaces them whole.
async fn cover_events_keep_their_sequence_and_answer(db: &TestDb) {
    use shiftcover::engine::CoverEvent;
    use shiftcover::model::Answer;
    let store = Store::open(&db.url).await.unwrap();
    let mut req = request("<req-1@x>");
    let uid = "cover-20261208T200000Z-0123456789abcdef@example.edu";
    assert_eq!(
        req.next_sequence(uid, "bkim@example.edu", span(8, 15, 17), true),
        0
    );
    req.cover_events.push(CoverEvent {
        uid: "cover-20261210T000000Z-fedcba9876543210@example.edu".to_string(),
        coverer: "cchen@example.edu".to_string(),
        span: span(10, 19, 21),
        sequence: 0,
        live: true,
        answer: Some(Answer::Tentative),
        answered_at: Some(at(7, 18, 5)),
    });
    let commit = |r: Request| Batch {
        requests: vec![r],
        ..Batch::default()
    };
    store.commit(&commit(req.clone())).await.unwrap();
    assert_eq!(store.load_requests().await.unwrap(), vec![req.clone()]);

    // Declined: a CANCEL one SEQUENCE up, the answer kept.
    assert_eq!(
        req.next_sequence(uid, "bkim@example.edu", span(8, 15, 17), false),
        1
    );
    req.cover_events[0].answer = Some(Answer::Declined);
    req.cover_events[0].answered_at = Some(at(7, 19, 0));
    store.commit(&commit(req.clone())).await.unwrap();
    let back = store.load_requests().await.unwrap();
    assert_eq!(back, vec![req.clone()]);
    assert_eq!(
        (
            back[0].cover_events[0].sequence,
            back[0].cover_events[0].live
        ),
        (1, false)
    );

    // Invited again: SEQUENCE 2, live, the old answer forgotten.
    assert_eq!(
        req.next_sequence(uid, "bkim@example.edu", span(8, 15, 17), true),
        2
    );
    req.cover_events.truncate(1);
    store.commit(&commit(req.clone())).await.unwrap();
    let back = store.load_requests().await.unwrap();
    assert_eq!(back, vec![req]);
    let ev = &back[0].cover_events[0];
    assert_eq!((ev.sequence, ev.live, ev.answer), (2, true, None));
}

/// The days of the schedule the daemon last acted on (schema 6) read back
/// as written; a later batch replaces a day whole or forgets it, the last
/// change to a day in one catch-up wins, and a reopened store still has
/// them (what the next start compares with the calendar).
async fn the_schedule_excerpt_reads_back_and_days_are_replaced_or_forgotten(db: &TestDb) {
    use chrono::NaiveDate;
    use shiftcover::schedule::Occurrence;
    let zone = chrono_tz::America::New_York;
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let shift = |who: Option<&str>, d: u32, from: u32, to: u32| Occurrence {
        owner: who.map(str::to_string),
        span: span(d, from, to),
        uid: format!("{}-shift@example.edu", who.unwrap_or("nobody")),
        summary: "Ask Chat shift".into(),
    };
    let store = Store::open(&db.url).await.unwrap();
    assert!(store.schedule_excerpt(zone).await.unwrap().is_empty());

    let tuesday = vec![
        shift(Some("alopez@example.edu"), 8, 17, 19),
        shift(Some("bokafor@example.edu"), 8, 19, 21),
    ];
    let wednesday = vec![shift(None, 9, 15, 17)];
    store
        .commit(&Batch {
            excerpt: vec![
                (day(8), Some(tuesday.clone())),
                (day(9), Some(wednesday.clone())),
                (day(10), Some(vec![])),
            ],
            ..Batch::default()
        })
        .await
        .unwrap();
    let kept = store.schedule_excerpt(zone).await.unwrap();
    assert_eq!(
        kept.days().iter().collect::<Vec<_>>(),
        vec![
            (&day(8), &tuesday),
            (&day(9), &wednesday),
            (&day(10), &vec![])
        ]
    );

    // Angie's Tuesday moved to 20-22; Wednesday no longer in question; in
    // one catch-up, Thursday kept then forgotten again.
    let moved = vec![
        shift(Some("bokafor@example.edu"), 8, 19, 21),
        shift(Some("alopez@example.edu"), 8, 20, 22),
    ];
    store
        .commit_all(&[
            Batch {
                excerpt: vec![(day(8), Some(moved.clone())), (day(9), None)],
                ..Batch::default()
            },
            Batch {
                excerpt: vec![(day(10), Some(wednesday.clone()))],
                ..Batch::default()
            },
            Batch {
                excerpt: vec![(day(10), None)],
                ..Batch::default()
            },
        ])
        .await
        .unwrap();
    store.close().await;
    let reopened = Store::open(&db.url).await.unwrap();
    let kept = reopened.schedule_excerpt(zone).await.unwrap();
    assert_eq!(
        kept.days().iter().collect::<Vec<_>>(),
        vec![(&day(8), &moved)]
    );
    // Written with the decision it belongs to: a repeated message's batch
    // (skipped whole) changes no day either.
    reopened
        .commit(&Batch {
            message: Some(message("<once@x>", Kind::Other, at(7, 9, 0))),
            ..Batch::default()
        })
        .await
        .unwrap();
    reopened
        .commit(&Batch {
            message: Some(message("<once@x>", Kind::Other, at(7, 9, 1))),
            excerpt: vec![(day(8), None)],
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!(reopened.schedule_excerpt(zone).await.unwrap(), kept);
    reopened.close().await;
}

macro_rules! on_both_engines {
    ($($case:ident: memory $memory:expr),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = super::TestDb::sqlite($memory);
                    super::$case(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let Some(db) = super::TestDb::postgres().await else {
                        return;
                    };
                    super::$case(&db).await;
                }
            )*
        }
    };
}

on_both_engines! {
    a_request_reads_back_whole_and_a_new_version_replaces_it: memory true,
    cover_events_keep_their_sequence_and_answer: memory true,
    handling_the_same_message_twice_changes_nothing: memory true,
    commit_all_skips_each_repeated_message_on_its_own: memory true,
    an_outbox_key_is_recorded_once_and_never_resent: memory true,
    due_mail_waits_for_the_retry_time_and_drops_permanent_failures: memory true,
    calendar_edits_are_deduped_retried_and_done_in_decision_order: memory true,
    mailbox_state_meta_and_audit_read_back: memory true,
    reopening_the_file_keeps_everything: memory false,
    a_second_process_reads_while_the_first_holds_the_write_lock: memory false,
    a_database_at_schema_1_is_upgraded_with_its_data: memory false,
    a_database_from_a_newer_binary_is_refused: memory false,
    a_catch_up_of_ten_thousand_messages_commits_together: memory false,
    a_send_started_and_never_finished_is_remembered_as_uncertain: memory false,
    the_schedule_excerpt_reads_back_and_days_are_replaced_or_forgotten: memory false,
}

/// Both engines' migrations name the same versions, so a database's schema
/// number means the same tables whichever engine holds it.
#[test]
fn both_engines_have_the_same_migrations() {
    let versions = |e: Engine| e.migrations().iter().map(|m| m.0).collect::<Vec<_>>();
    assert_eq!(versions(Engine::Sqlite), versions(Engine::Postgres));
    assert_eq!(*versions(Engine::Sqlite).last().unwrap(), SCHEMA_VERSION);
}

// ---------------------------------------------------------------------------
// Fencing (PostgreSQL, active and standby): a leader whose lock went without
// its knowing commits nothing once another instance took over.

/// Ends every session of `application_name` from the server's side, as
/// PostgreSQL does to a peer it lost (or an operator with
/// pg_terminate_backend).
async fn terminate_sessions(db: &TestDb, application_name: &str) -> i64 {
    let mut admin = db.connect().await;
    sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = $1",
    )
    .bind(application_name)
    .fetch_one(&mut admin)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_fenced_write_is_refused_after_another_instance_took_over() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let first = Store::open(&db.url).await.unwrap();
    let mut lock = first.leader_lock("host-a pid 1").await.unwrap().unwrap();
    assert!(lock.try_lead().await.unwrap());
    let fence = lock.take_lease(&at(7, 9, 0).to_rfc3339()).await.unwrap();
    let leader = first.fenced(fence.clone());
    leader
        .commit(&Batch {
            message: Some(message("<before@x>", Kind::CoverageRequest, at(7, 9, 0))),
            mail: vec![mail("ack-before", at(7, 9, 0), "before")],
            ..Batch::default()
        })
        .await
        .expect("the leader writes while its epoch is current");

    // Its lock's session is killed from the server's side; the leader has
    // not looked yet, and a second instance takes the lead and the lease.
    assert_eq!(
        terminate_sessions(&db, "shiftcover leader host-a pid 1").await,
        1
    );
    let second = Store::open(&db.url).await.unwrap();
    let mut other = second.leader_lock("host-b pid 2").await.unwrap().unwrap();
    let until = Stopwatch::now() + std::time::Duration::from_secs(60);
    while !other.try_lead().await.unwrap() {
        assert!(Stopwatch::now() < until, "the lock never came free");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let newer = other.take_lease(&at(7, 9, 5).to_rfc3339()).await.unwrap();
    assert_eq!(newer.epoch(), fence.epoch() + 1);

    // Every kind of write of the old leader is refused, and says why.
    let refused = leader
        .commit(&Batch {
            message: Some(message("<after@x>", Kind::CoverageRequest, at(7, 9, 6))),
            mail: vec![mail("ack-after", at(7, 9, 6), "after")],
            ..Batch::default()
        })
        .await;
    match refused {
        Err(StoreError::LostLeadership { epoch }) => assert_eq!(epoch, fence.epoch()),
        other => panic!("a deposed leader's commit: {other:?}"),
    }
    assert!(fence.is_lost());
    // The days of the schedule it acted on are a write like any other.
    assert!(matches!(
        leader
            .commit(&Batch {
                excerpt: vec![(chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(), None)],
                ..Batch::default()
            })
            .await,
        Err(StoreError::LostLeadership { .. })
    ));
    let said = leader
        .mark_mail_started("ack-before", at(7, 9, 7))
        .await
        .unwrap_err()
        .to_string();
    assert!(said.contains("lost leadership"), "{said}");
    assert!(matches!(
        leader.mark_mail_sent("ack-before", at(7, 9, 7)).await,
        Err(StoreError::LostLeadership { .. })
    ));
    assert!(matches!(
        leader.confirm_fence().await,
        Err(StoreError::LostLeadership { .. })
    ));
    // Nothing of it reached the database.
    assert!(!second.is_processed("<after@x>").await.unwrap());
    let pending = second.mail_in_state(DeliveryState::Pending).await.unwrap();
    assert_eq!(keys(&pending), vec!["ack-before"]);
    assert_eq!(pending[0].send_started_at, None);
    // The old leader finds out at its next check, and stands down.
    assert!(!lock.still_held().await);

    // The new leader writes, and carries out what the old one recorded.
    let current = second.fenced(newer.clone());
    current
        .commit(&Batch {
            message: Some(message("<after@x>", Kind::CoverageRequest, at(7, 9, 6))),
            ..Batch::default()
        })
        .await
        .unwrap();
    current
        .mark_mail_started("ack-before", at(7, 9, 8))
        .await
        .unwrap();
    assert!(lock_is_current(&mut other, &newer).await);
    assert_eq!(second.lease_epoch().await.unwrap(), Some(newer.epoch()));
    first.close().await;
    second.close().await;
}

async fn lock_is_current(
    lock: &mut shiftcover::store::LeaderLock,
    fence: &shiftcover::store::Fence,
) -> bool {
    lock.lease_is(fence).await
}

/// SQLite keeps one instance per file: no lease, no lock, and schema 5 has
/// the (unused) lease table so both engines' schema numbers mean the same.
#[tokio::test]
async fn sqlite_has_no_leader_and_writes_unfenced() {
    let db = TestDb::sqlite(false);
    let store = Store::open(&db.url).await.unwrap();
    assert!(store.leader_lock("host pid 1").await.unwrap().is_none());
    assert_eq!(store.lease_epoch().await.unwrap(), None);
    store.confirm_fence().await.unwrap();
    store
        .commit(&Batch {
            message: Some(message("<one@x>", Kind::Other, at(7, 9, 0))),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert!(store.is_processed("<one@x>").await.unwrap());
}
