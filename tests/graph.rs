//! The Microsoft Graph calendar backend against the stand-in
//! (tests/servers/graph_standin): the behaviours of Exchange the program must
//! cope with: a 412 on a stale etag, 429/503 with Retry-After, small pages,
//! a retry after a crash, the coordinator editing in Outlook, a coverer's
//! decline; and the stand-in's own strictness, so a sloppy request cannot
//! pass here and fail on Exchange.
//!
//! Needs the stand-in from tests/servers/start.sh; without it each test says
//! why and passes, and with SHIFTCOVER_REQUIRE_SERVERS=1 (CI) fails.

#[path = "support/graph_standin.rs"]
mod graph_standin;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::America::New_York;
use graph_standin::{ROLES_ALL, Standin, graph_config, root_or_skip};
use serde_json::{Value, json};
use shiftcover::auth::StaticBearer;
use shiftcover::calendar::graph::{BeforeWrite, GraphCalendar};
use shiftcover::calendar::{CoverEdit, EditOp};
use shiftcover::config::Config;
use shiftcover::live::maildir::{Found, MaildirOut, read_all};
use shiftcover::model::Span;
use shiftcover::service::Service;

const CALENDAR: &str = "LIB: Ask Chat";

fn ny(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    New_York
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("a plain local time")
        .to_utc()
}

/// One test's world: its own app, mailbox and calendar (the "covered"
/// scenario's term of shifts), and the scenario's config for the roster.
struct World {
    standin: Standin,
    token: String,
    mailbox: String,
    calendar_id: String,
    config: Config,
    dir: tempfile::TempDir,
}

impl World {
    async fn new(root: String, name: &str) -> World {
        let standin = Standin::new(root);
        let client = format!("app-{name}-{}", std::process::id());
        standin.client(&client, "secret", ROLES_ALL).await;
        let token = standin.token(&client, "secret").await;
        let mailbox = format!("askchat-{name}-{}@example.edu", std::process::id());
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/covered");
        let ics = std::fs::read_to_string(src.join("schedule.ics")).unwrap();
        let calendar_id = standin.calendar(&mailbox, CALENDAR, &ics).await;
        let dir = tempfile::tempdir().unwrap();
        for f in ["shiftcover.toml", "schedule.ics"] {
            std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("inbox/new")).unwrap();
        let config = Config::load(&dir.path().join("shiftcover.toml")).unwrap();
        World {
            standin,
            token,
            mailbox,
            calendar_id,
            config,
            dir,
        }
    }

    /// Points the scenario's config at this world's calendar on the
    /// stand-in, its token in a file, as an administrator sets it up.
    fn config_on_graph(&self) {
        let dir = self.dir.path();
        std::fs::write(dir.join("graph-token"), &self.token).unwrap();
        let text = std::fs::read_to_string(dir.join("shiftcover.toml")).unwrap();
        std::fs::write(
            dir.join("shiftcover.toml"),
            graph_config(&text, &self.standin.graph_url(), &self.mailbox, CALENDAR),
        )
        .unwrap();
    }

    /// The service on this world's calendar (`config_on_graph`), with the
    /// scenario's inbox to play and a Maildir outbox: the service, the
    /// outbox, and the inbox's messages.
    async fn service(&self) -> (Service, MaildirOut, Vec<Found>) {
        let dir = self.dir.path();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/covered");
        copy_dir(&src.join("inbox"), &dir.join("inbox"));
        self.config_on_graph();
        let config = Config::load(&dir.join("shiftcover.toml")).unwrap();
        let svc = Service::open(config).await.unwrap();
        let out = MaildirOut::new(&dir.join("outbox")).unwrap();
        let messages = read_all(&dir.join("inbox")).unwrap();
        (svc, out, messages)
    }

    async fn calendar(&self) -> GraphCalendar {
        GraphCalendar::connect(
            &self.standin.graph_url(),
            &self.mailbox,
            CALENDAR,
            Arc::new(StaticBearer(self.token.clone())),
            New_York,
        )
        .await
        .expect("connect")
    }

    /// Ben's Monday 14:00-15:30 covered by Priya.
    fn cover(&self, day: u32) -> CoverEdit {
        CoverEdit {
            uid: format!("cover-{day}-{}@example.edu", self.mailbox),
            owner_email: "bokafor@example.edu".into(),
            owner_name: "Ben Okafor".into(),
            coverer_email: "praman@example.edu".into(),
            coverer_name: "Priya Raman".into(),
            span: Span::new(ny(2026, 12, day, 14, 0), ny(2026, 12, day, 15, 30)),
            label: "Priya for Ben".into(),
            organizer_email: "coverage@example.edu".into(),
            organizer_name: "Ask Chat Coverage".into(),
            sequence: 0,
        }
    }

    /// The calendarView of a span as the stand-in holds it, unpaged.
    async fn view(&self, span: Span) -> Vec<Value> {
        self.standin
            .admin_get(&format!(
                "view?calendar={}&start={}&end={}",
                self.calendar_id,
                span.start.to_rfc3339().replace('+', "%2B"),
                span.end.to_rfc3339().replace('+', "%2B")
            ))
            .await["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    async fn my_log(&self) -> Vec<Value> {
        self.standin
            .log()
            .await
            .into_iter()
            .filter(|l| l["path"].as_str().unwrap_or("").contains(&self.mailbox))
            .collect()
    }

    async fn admin_edit(&self, body: Value) {
        let mut body = body;
        body["mailbox"] = json!(self.mailbox);
        self.standin.admin("edit", body).await;
    }
}

fn subjects(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["subject"].as_str().unwrap_or("").to_string())
        .collect()
}

fn graph_start(v: &Value) -> DateTime<Utc> {
    shiftcover::calendar::graph::parse_graph_time(&v["start"], New_York).expect("a start")
}

/// The cover edit leaves the day as a person would in Outlook: Ben's one
/// occurrence gone (the series and next week untouched), "Priya for Ben" with
/// Priya invited by Exchange; applied again, nothing changes.
#[tokio::test]
async fn a_cover_deletes_one_occurrence_and_adds_the_cover_event_once() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "cover").await;
    let cal = w.calendar().await;
    let edit = w.cover(14);
    let op = EditOp::Cover(edit.clone());
    let now = ny(2026, 12, 6, 9, 0);
    assert!(
        cal.apply(&op, &w.config.roster, New_York, now)
            .await
            .unwrap()
    );
    assert!(
        !cal.apply(&op, &w.config.roster, New_York, now)
            .await
            .unwrap()
    );

    let day = w
        .view(Span::new(ny(2026, 12, 14, 0, 0), ny(2026, 12, 15, 0, 0)))
        .await;
    let at_two: Vec<&Value> = day
        .iter()
        .filter(|i| graph_start(i) == edit.span.start)
        .collect();
    assert_eq!(
        subjects(&at_two.iter().map(|v| (*v).clone()).collect::<Vec<_>>()),
        vec!["Priya for Ben"]
    );
    let next = w
        .view(Span::new(ny(2026, 12, 21, 0, 0), ny(2026, 12, 22, 0, 0)))
        .await;
    assert!(
        subjects(&next).contains(&"Ben".to_string()),
        "next week's Ben is untouched"
    );
    let series = w.standin.events(&w.calendar_id).await;
    let ben = series
        .iter()
        .find(|e| e["subject"] == "Ben")
        .expect("Ben's series is kept");
    assert_eq!(ben["type"], "seriesMaster");
    assert_eq!(
        ben["cancelledOccurrences"].as_array().map(Vec::len),
        Some(1)
    );
    let covers = series
        .iter()
        .filter(|e| e["subject"] == "Priya for Ben")
        .count();
    assert_eq!(covers, 1, "one cover event");
    let invited = w
        .standin
        .meeting_messages()
        .await
        .into_iter()
        .filter(|m| m["mailbox"] == w.mailbox.as_str() && m["method"] == "REQUEST")
        .map(|m| m["to"].as_str().unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert_eq!(
        invited,
        vec!["praman@example.edu"],
        "Exchange invites Priya"
    );

    let schedule = cal.schedule(&w.config.roster, New_York).await.unwrap();
    let owners: Vec<Option<String>> = schedule
        .occurrences(edit.span)
        .into_iter()
        .map(|o| o.owner)
        .collect();
    assert_eq!(owners, vec![Some("praman@example.edu".to_string())]);
}

/// Priya covers the middle half hour of Ben's shift: Ben keeps the time
/// before and after; undone, Ben has all of it again (in three pieces).
#[tokio::test]
async fn a_covered_middle_leaves_the_owner_both_ends_and_undoing_gives_it_back() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "middle").await;
    let cal = w.calendar().await;
    let mut edit = w.cover(14);
    edit.span = Span::new(ny(2026, 12, 14, 14, 30), ny(2026, 12, 14, 15, 0));
    let now = ny(2026, 12, 6, 9, 0);
    let roster = &w.config.roster;
    assert!(
        cal.apply(&EditOp::Cover(edit.clone()), roster, New_York, now)
            .await
            .unwrap()
    );
    let shift = Span::new(ny(2026, 12, 14, 14, 0), ny(2026, 12, 14, 15, 30));
    let schedule = cal.schedule(roster, New_York).await.unwrap();
    let ben: Vec<Span> = schedule
        .shifts_of("bokafor@example.edu", shift)
        .into_iter()
        .map(|o| o.span)
        .collect();
    assert_eq!(
        ben,
        vec![
            Span::new(ny(2026, 12, 14, 14, 0), ny(2026, 12, 14, 14, 30)),
            Span::new(ny(2026, 12, 14, 15, 0), ny(2026, 12, 14, 15, 30)),
        ]
    );
    assert_eq!(schedule.shifts_of("praman@example.edu", shift).len(), 1);

    assert!(
        cal.apply(&EditOp::Uncover(edit.clone()), roster, New_York, now)
            .await
            .unwrap()
    );
    assert!(
        !cal.apply(&EditOp::Uncover(edit.clone()), roster, New_York, now)
            .await
            .unwrap()
    );
    let schedule = cal.schedule(roster, New_York).await.unwrap();
    assert!(schedule.shifts_of("praman@example.edu", shift).is_empty());
    let mut ben: Vec<Span> = schedule
        .shifts_of("bokafor@example.edu", shift)
        .into_iter()
        .map(|o| o.span)
        .collect();
    ben.sort_by_key(|s| s.start);
    let covered: i64 = ben.iter().map(|s| (s.end - s.start).num_minutes()).sum();
    assert_eq!(covered, 90, "Ben's whole shift is back: {ben:?}");
    assert_eq!(ben.first().map(|s| s.start), Some(shift.start));
    assert_eq!(ben.last().map(|s| s.end), Some(shift.end));
}

/// Someone edits Ben's series between the read and the write: Graph answers
/// 412, the item is read again and the edit applied again.
#[tokio::test]
async fn a_stale_etag_is_read_again_and_the_edit_applied() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "etag").await;
    let mut cal = w.calendar().await;
    let ben = w
        .standin
        .events(&w.calendar_id)
        .await
        .into_iter()
        .find(|e| e["subject"] == "Ben")
        .expect("Ben's series");
    let ben_id = ben["id"].as_str().unwrap().to_string();
    let edits = Arc::new(AtomicUsize::new(0));
    let (standin, mailbox, count) = (w.standin.root.clone(), w.mailbox.clone(), edits.clone());
    let hook: BeforeWrite = Arc::new(move |_id: String| {
        let (root, mailbox, ben_id, count) = (
            standin.clone(),
            mailbox.clone(),
            ben_id.clone(),
            count.clone(),
        );
        Box::pin(async move {
            // The coordinator's edit lands first, twice.
            if count.fetch_add(1, Ordering::SeqCst) < 2 {
                let s = Standin::new(root);
                s.admin(
                    "edit",
                    json!({"mailbox": mailbox, "id": ben_id, "action": "patch",
                                       "changes": {"categories": ["Reference"]}}),
                )
                .await;
            }
        })
    });
    cal.set_before_write(Some(hook));
    let edit = w.cover(14);
    let now = ny(2026, 12, 6, 9, 0);
    assert!(
        cal.apply(
            &EditOp::Cover(edit.clone()),
            &w.config.roster,
            New_York,
            now
        )
        .await
        .unwrap()
    );
    let log = w.my_log().await;
    let conflicts = log.iter().filter(|l| l["status"] == 412).count();
    assert_eq!(conflicts, 2, "two writes met the coordinator's edit");
    assert!(
        log.iter()
            .any(|l| l["method"] == "DELETE" && l["status"] == 204)
    );
    assert!(
        log.iter()
            .filter(|l| l["method"] != "GET")
            .all(|l| l["method"] == "POST" || l["if_match"].is_string()),
        "every change carried If-Match"
    );
    let day = w.view(edit.span).await;
    assert_eq!(subjects(&day), vec!["Priya for Ben"]);
    let series = w.standin.events(&w.calendar_id).await;
    let ben = series.iter().find(|e| e["subject"] == "Ben").unwrap();
    assert_eq!(
        ben["categories"],
        json!(["Reference"]),
        "the coordinator's edit is kept"
    );
}

/// Graph is busy: 429 and 503 with Retry-After are waited out, and the edit
/// still lands once.
#[tokio::test]
async fn busy_answers_are_waited_out_as_retry_after_asks() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "busy").await;
    let cal = w.calendar().await;
    let m = regex_escape(&w.mailbox);
    w.standin
        .admin(
            "faults",
            json!({"faults": [
                {"status": 429, "retry_after": 1, "match": format!("^POST .*{m}.*/events$")},
                {"status": 503, "retry_after": 1, "match": format!("^GET .*{m}/calendars/[^/]+/calendarView$")},
                {"status": 429, "retry_after": 2, "match": format!("^DELETE .*{m}/")},
            ]}),
        )
        .await;
    let started = std::time::Instant::now();
    let edit = w.cover(14);
    assert!(
        cal.apply(
            &EditOp::Cover(edit.clone()),
            &w.config.roster,
            New_York,
            ny(2026, 12, 6, 9, 0)
        )
        .await
        .unwrap()
    );
    eprintln!(
        "figure: the cover edit through 429, 503, 429 took {} ms",
        started.elapsed().as_millis()
    );
    let log = w.my_log().await;
    let statuses: Vec<u64> = log.iter().filter_map(|l| l["status"].as_u64()).collect();
    assert!(
        statuses.contains(&429) && statuses.contains(&503),
        "{statuses:?}"
    );
    let posts = log.iter().filter(|l| l["method"] == "POST").count();
    assert_eq!(posts, 2, "one refused POST, one that made the event");
    let covers = w
        .standin
        .events(&w.calendar_id)
        .await
        .into_iter()
        .filter(|e| e["subject"] == "Priya for Ben")
        .count();
    assert_eq!(covers, 1);
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '@' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

/// Pages of three: the schedule still holds every occurrence of the term,
/// exactly as the stand-in's own (unpaged) view lists them.
#[tokio::test]
async fn small_pages_are_all_read() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "paging").await;
    w.standin
        .admin("settings", json!({"mailbox": w.mailbox, "max_page": 3}))
        .await;
    let cal = w.calendar().await;
    let schedule = cal.schedule(&w.config.roster, New_York).await.unwrap();
    let term = Span::new(ny(2026, 9, 1, 0, 0), ny(2027, 6, 30, 0, 0));
    let ours = schedule.occurrences(term);
    let theirs = w.view(term).await;
    assert!(theirs.len() > 700, "a term of shifts: {}", theirs.len());
    assert_eq!(ours.len(), theirs.len());
    let mut a: Vec<DateTime<Utc>> = ours.iter().map(|o| o.span.start).collect();
    let mut b: Vec<DateTime<Utc>> = theirs.iter().map(graph_start).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let pages = w
        .my_log()
        .await
        .iter()
        .filter(|l| {
            l["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("/calendarView/delta")
        })
        .count();
    eprintln!(
        "figure: {} occurrences read in {pages} delta pages",
        ours.len()
    );
    assert!(pages >= theirs.len() / 3, "pages of at most three: {pages}");
}

/// The process dies after the cover event was made and before the owner's
/// occurrence was removed (here: Graph stays busy longer than the program
/// waits). The edit is applied again later: the occurrence goes, and there
/// is still exactly one cover event.
#[tokio::test]
async fn a_retry_after_a_crash_creates_no_second_event() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "crash").await;
    let cal = w.calendar().await;
    let m = regex_escape(&w.mailbox);
    w.standin
        .admin(
            "faults",
            json!({"faults": [{"status": 503, "retry_after": 3600, "match": format!("^DELETE .*{m}/")}]}),
        )
        .await;
    let edit = w.cover(14);
    let op = EditOp::Cover(edit.clone());
    let now = ny(2026, 12, 6, 9, 0);
    let first = cal.apply(&op, &w.config.roster, New_York, now).await;
    let err = first.expect_err("the first try is cut short");
    assert!(err.transient, "{err:?}");
    let halfway = subjects(&w.view(edit.span).await);
    assert!(
        halfway.contains(&"Priya for Ben".to_string()) && halfway.contains(&"Ben".to_string()),
        "{halfway:?}"
    );
    // A new process: nothing remembered but the edit itself.
    let again = w.calendar().await;
    assert!(
        again
            .apply(&op, &w.config.roster, New_York, now)
            .await
            .unwrap()
    );
    assert_eq!(subjects(&w.view(edit.span).await), vec!["Priya for Ben"]);
    let posts = w
        .my_log()
        .await
        .iter()
        .filter(|l| l["method"] == "POST")
        .count();
    assert_eq!(posts, 1, "the cover event was made once");
}

/// The coordinator changes the calendar in Outlook while the service runs:
/// the next refresh (a delta round) sees it.
#[tokio::test]
async fn the_coordinators_edit_in_outlook_is_seen_at_the_next_refresh() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "outlook").await;
    let cal = w.calendar().await;
    let roster = &w.config.roster;
    let mon = Span::new(ny(2026, 12, 14, 14, 0), ny(2026, 12, 14, 15, 30));
    let tue = Span::new(ny(2026, 12, 15, 0, 0), ny(2026, 12, 16, 0, 0));
    let before = cal.schedule(roster, New_York).await.unwrap();
    assert_eq!(before.shifts_of("bokafor@example.edu", mon).len(), 1);
    let tuesday_before = before.occurrences(tue).len();
    // She hands Ben's Monday to Tom (one occurrence), and cancels a Tuesday shift.
    w.admin_edit(
        json!({"subject": "Ben", "start": mon.start.to_rfc3339(), "action": "patch",
                        "changes": {"subject": "Tom"}}),
    )
    .await;
    let first_tuesday = before.occurrences(tue)[0].clone();
    w.admin_edit(json!({"start": first_tuesday.span.start.to_rfc3339(), "action": "delete"}))
        .await;
    let (after, declined) = cal.refresh(roster, New_York).await.unwrap();
    assert!(declined.is_empty());
    assert!(after.shifts_of("bokafor@example.edu", mon).is_empty());
    assert_eq!(after.shifts_of("tbecker@example.edu", mon).len(), 1);
    assert_eq!(after.occurrences(tue).len(), tuesday_before - 1);
    let log = w.my_log().await;
    assert!(
        log.iter()
            .any(|l| l["query"].as_str().unwrap_or("").contains("deltatoken")),
        "the refresh was a delta round"
    );
}

/// A refusal names the missing permission in Microsoft's words; a token for
/// the wrong audience, an expired one and a missing one are refused as Graph
/// refuses them.
#[tokio::test]
async fn refusals_are_said_in_microsofts_words() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root.clone(), "refusals").await;
    let s = &w.standin;
    let reader = format!("reader-{}", std::process::id());
    s.client(&reader, "pw", &["Mail.Send"]).await;
    let token = s.token(&reader, "pw").await;
    let err = GraphCalendar::connect(
        &s.graph_url(),
        &w.mailbox,
        CALENDAR,
        Arc::new(StaticBearer(token)),
        New_York,
    )
    .await
    .expect_err("no calendar permission");
    assert!(err.message.contains("403"), "{}", err.message);
    assert!(
        err.message
            .contains("ErrorAccessDenied: Access is denied. Check credentials and try again."),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("Calendars.ReadWrite"),
        "{}",
        err.message
    );
    assert!(!err.transient);

    // A token for Exchange's IMAP/SMTP audience is not one for Graph.
    let (status, v) = s.post_json(&s.token_url(), &json!({})).await.unwrap();
    assert_eq!(status, 400, "a JSON body is not a token request: {v}");
    let r = s
        .http
        .post(s.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", reader.as_str()),
            ("client_secret", "pw"),
            ("scope", "https://outlook.office365.com/.default"),
        ])
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    let outlook = v["access_token"].as_str().unwrap().to_string();
    let get = |token: Option<String>| {
        let url = format!("{}/users/{}/calendars", s.graph_url(), w.mailbox);
        let http = s.http.clone();
        async move {
            let mut req = http.get(url);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
            (
                status,
                v["error"]["code"].as_str().unwrap_or("").to_string(),
                v["error"]["message"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    assert_eq!(
        get(Some(outlook)).await,
        (
            401,
            "InvalidAuthenticationToken".into(),
            "Access token validation failure. Invalid audience.".into()
        )
    );
    assert_eq!(
        get(None).await,
        (
            401,
            "InvalidAuthenticationToken".into(),
            "Access token is empty.".into()
        )
    );
    let wrong = s
        .http
        .post(s.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", reader.as_str()),
            ("client_secret", "not it"),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let v: Value = serde_json::from_str(&wrong.text().await.unwrap()).unwrap();
    assert_eq!(v["error"], "invalid_client");
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS7000215")
    );
}

/// What the stand-in refuses, as Graph does: unknown properties, a dateTime
/// with an offset, a write without If-Match (this stand-in insists), a stale
/// If-Match.
#[tokio::test]
async fn the_stand_in_is_strict() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "strict").await;
    let s = &w.standin;
    let url = format!(
        "{}/users/{}/calendars/{}/events",
        s.graph_url(),
        w.mailbox,
        w.calendar_id
    );
    let send =
        |method: reqwest::Method, url: String, body: Option<Value>, if_match: Option<String>| {
            let (http, token) = (s.http.clone(), w.token.clone());
            async move {
                let mut req = http.request(method, url).bearer_auth(token);
                if let Some(b) = body {
                    req = req
                        .header("Content-Type", "application/json")
                        .body(b.to_string());
                }
                if let Some(t) = if_match {
                    req = req.header("If-Match", t);
                }
                let r = req.send().await.unwrap();
                let status = r.status().as_u16();
                let text = r.text().await.unwrap();
                (
                    status,
                    serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
                )
            }
        };
    let good = json!({"subject": "x", "start": {"dateTime": "2026-12-14T10:00:00", "timeZone": "America/New_York"},
                      "end": {"dateTime": "2026-12-14T11:00:00", "timeZone": "Eastern Standard Time"}});
    let mut unknown = good.clone();
    unknown["colour"] = json!("red");
    let (st, v) = send(reqwest::Method::POST, url.clone(), Some(unknown), None).await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("RequestBodyRead")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'colour' does not exist on type 'microsoft.graph.event'")
    );
    let mut offset = good.clone();
    offset["start"]["dateTime"] = json!("2026-12-14T10:00:00Z");
    let (st, v) = send(reqwest::Method::POST, url.clone(), Some(offset), None).await;
    assert_eq!(st, 400, "{v}");
    let (st, made) = send(reqwest::Method::POST, url.clone(), Some(good), None).await;
    assert_eq!(st, 201, "{made}");
    let event = format!(
        "{}/users/{}/events/{}",
        s.graph_url(),
        w.mailbox,
        made["id"].as_str().unwrap()
    );
    let patch = json!({"subject": "y"});
    let (st, v) = send(
        reqwest::Method::PATCH,
        event.clone(),
        Some(patch.clone()),
        None,
    )
    .await;
    assert_eq!(st, 428, "{v}");
    let etag = made["@odata.etag"].as_str().unwrap().to_string();
    let (st, _) = send(
        reqwest::Method::PATCH,
        event.clone(),
        Some(patch.clone()),
        Some(etag.clone()),
    )
    .await;
    assert_eq!(st, 200);
    let (st, v) = send(
        reqwest::Method::PATCH,
        event.clone(),
        Some(patch),
        Some(etag),
    )
    .await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (412, Some("ErrorIrresolvableConflict")),
        "{v}"
    );
}

/// `shiftcover check` on the config in `dir`: whether it passed, and what
/// it said.
fn check(dir: &Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shiftcover"))
        .args(["check", "--config"])
        .arg(dir.join("shiftcover.toml"))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `shiftcover check` against the stand-in: signs in, finds the calendar
/// by name, reads a week.
#[tokio::test]
async fn check_finds_the_calendar_and_reads_a_week() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "check").await;
    let dir = w.dir.path();
    w.config_on_graph();
    let (_, said) = check(dir);
    assert!(said.contains("calendar \"LIB: Ask Chat\" of"), "{said}");
    assert!(
        said.contains("write access granted (Calendars.ReadWrite)"),
        "{said}"
    );

    // An app without Calendars.ReadWrite: check names it in Microsoft's words.
    let other = format!("no-calendars-{}", std::process::id());
    w.standin.client(&other, "pw", &["Mail.Send"]).await;
    let token = w.standin.token(&other, "pw").await;
    std::fs::write(dir.join("graph-token"), &token).unwrap();
    let (ok, said) = check(dir);
    assert!(!ok);
    assert!(
        said.contains("ErrorAccessDenied: Access is denied. Check credentials and try again.")
            && said.contains("Calendars.ReadWrite"),
        "{said}"
    );
}

/// The way an administrator configures it (README, "Microsoft 365"): the
/// `microsoft365` preset with a client secret, its token endpoint pointed at
/// the stand-in's. `check` obtains a token for Graph's audience from the
/// stand-in's Entra-style endpoint and reads the calendar; a wrong secret is
/// a FAIL in the provider's words.
#[tokio::test]
async fn check_signs_in_with_the_microsoft_365_preset_and_a_client_secret() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "preset").await;
    let dir = w.dir.path();
    let client = format!("preset-app-{}", std::process::id());
    w.standin.client(&client, "s3cret-value", ROLES_ALL).await;
    std::fs::write(dir.join("oauth-client-secret"), "s3cret-value\n").unwrap();
    let text = std::fs::read_to_string(dir.join("shiftcover.toml")).unwrap();
    let graph = graph_config(&text, &w.standin.graph_url(), &w.mailbox, CALENDAR)
        .replace("bearer_token_file = \"graph-token\"", "auth = \"oauth2\"");
    let config = format!(
        "{graph}\n[oauth2]\nprovider = \"microsoft365\"\ntenant = \"contoso.onmicrosoft.com\"\nclient_id = \"{client}\"\nclient_secret_file = \"oauth-client-secret\"\ntoken_url = \"{}\"\n",
        w.standin.token_url()
    );
    std::fs::write(dir.join("shiftcover.toml"), &config).unwrap();
    let (ok, said) = check(dir);
    assert!(said.contains("calendar \"LIB: Ask Chat\" of"), "{said}");
    assert!(
        said.contains("write access granted (Calendars.ReadWrite)"),
        "{said}"
    );
    assert!(ok, "{said}");
    assert!(
        !said.contains("s3cret-value"),
        "the secret was printed: {said}"
    );

    // A wrong secret: check fails and says why in the provider's words.
    std::fs::write(dir.join("oauth-client-secret"), "not-the-secret\n").unwrap();
    let (ok, said) = check(dir);
    assert!(!ok, "{said}");
    assert!(said.contains("FAIL"), "{said}");
    assert!(
        !said.contains("not-the-secret"),
        "the secret was printed: {said}"
    );
}

/// The token runs out while the service runs: Graph answers 401, the token
/// file (kept fresh by another program) is read again, and the request goes
/// through with the new token.
#[tokio::test]
async fn an_expired_token_is_read_again_from_its_file() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "expiry").await;
    let file = w.dir.path().join("graph-token");
    std::fs::write(&file, &w.token).unwrap();
    let cal = GraphCalendar::connect(
        &w.standin.graph_url(),
        &w.mailbox,
        CALENDAR,
        Arc::new(shiftcover::calendar::graph::FileBearer(file.clone())),
        New_York,
    )
    .await
    .expect("connect");
    let client = format!("app-expiry-{}", std::process::id());
    w.standin
        .admin("settings", json!({"expire_tokens": client}))
        .await;
    // Every token of the app issued until now is expired; the renewer
    // writes a new one.
    let fresh = w.standin.token(&client, "secret").await;
    let stale = cal.schedule(&w.config.roster, New_York).await;
    let err = stale.expect_err("the old token is refused");
    assert!(
        err.message
            .contains("Lifetime validation failed, the token is expired."),
        "{}",
        err.message
    );
    std::fs::write(&file, &fresh).unwrap();
    let schedule = cal
        .schedule(&w.config.roster, New_York)
        .await
        .expect("the new token works");
    assert!(
        !schedule
            .occurrences(Span::new(ny(2026, 12, 14, 0, 0), ny(2026, 12, 15, 0, 0)))
            .is_empty()
    );
}

/// The coverer declines Exchange's invitation: the shift is open again, the
/// requester is told, the calendar gives the owner the time back, and the
/// second call comes again on the new clock.
#[tokio::test]
async fn a_declined_cover_opens_the_shift_again() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "decline").await;
    let dir = w.dir.path();
    let (mut svc, mut out, messages) = w.service().await;
    let mut now = messages[0].date;
    svc.start_clock(now).await.unwrap();
    for m in &messages {
        now = m.date;
        svc.handle_message(&m.raw, now).await.unwrap();
        svc.deliver(&mut out, now).await.unwrap();
        svc.apply_calendar_edits(now).await.unwrap();
    }
    let report = svc.report();
    assert_eq!(report["requests"][0]["state"], "covered", "{report}");
    let shift = Span::new(ny(2027, 5, 7, 15, 30), ny(2027, 5, 7, 17, 0));
    assert_eq!(subjects(&w.view(shift).await), vec!["Dana for Courtney"]);

    // Dana declines in Outlook.
    w.standin
        .admin(
            "respond",
            json!({"mailbox": w.mailbox, "subject": "Dana for Courtney",
                                 "attendee": "dwhitfield@example.edu", "response": "declined"}),
        )
        .await;
    now += chrono::TimeDelta::hours(1);
    assert_eq!(svc.refresh_calendar(now).await.unwrap(), 1);
    assert_eq!(
        svc.refresh_calendar(now).await.unwrap(),
        0,
        "a decline is acted on once"
    );
    svc.deliver(&mut out, now).await.unwrap();
    svc.apply_calendar_edits(now).await.unwrap();
    let report = svc.report();
    assert_eq!(report["requests"][0]["state"], "open", "{report}");
    assert_eq!(
        report["requests"][0]["shifts"][0]["covered_by"],
        Value::Null
    );
    let day = w.view(shift).await;
    assert_eq!(
        subjects(&day),
        vec!["Courtney Crummett"],
        "Courtney has the time back"
    );
    let cancels: Vec<Value> = w
        .standin
        .meeting_messages()
        .await
        .into_iter()
        .filter(|m| {
            m["mailbox"] == w.mailbox.as_str()
                && m["method"] == "CANCEL"
                && m["to"] == "dwhitfield@example.edu"
        })
        .collect();
    assert_eq!(
        cancels.len(),
        1,
        "Exchange tells Dana the cover event is gone"
    );
    let kinds = sent_kinds(&dir.join("outbox"));
    assert!(
        kinds.contains(&("declined".to_string(), "ccrummett@example.edu".to_string())),
        "{kinds:?}"
    );
    assert!(
        !kinds.iter().any(|(k, _)| k == "invitation"),
        "Exchange invites, not the program: {kinds:?}"
    );

    // The deadlines run again from the decline.
    for _ in 0..4 {
        let due = svc.next_due().expect("a deadline again");
        svc.tick(due).await.unwrap();
        svc.deliver(&mut out, due).await.unwrap();
    }
    let kinds = sent_kinds(&dir.join("outbox"));
    let calls = kinds
        .iter()
        .filter(|(k, _)| k == "second-call" || k == "escalation")
        .count();
    assert!(
        calls >= 1,
        "a second call or escalation after the decline: {kinds:?}"
    );
}

/// The coordinator takes a requested shift off the calendar in Outlook: the
/// next refresh (a delta round, as on every backend a cheap look first)
/// ends the open request, and says so, once.
#[tokio::test]
async fn a_requested_shift_taken_off_in_outlook_ends_the_request_and_says_so() {
    let Some(root) = root_or_skip() else { return };
    let w = World::new(root, "gone").await;
    let dir = w.dir.path();
    let (mut svc, mut out, messages) = w.service().await;
    // Only the request: nobody has offered yet.
    let mut now = messages[0].date;
    svc.start_clock(now).await.unwrap();
    svc.handle_message(&messages[0].raw, now).await.unwrap();
    svc.deliver(&mut out, now).await.unwrap();
    assert_eq!(svc.report()["requests"][0]["state"], "open");
    now += chrono::TimeDelta::hours(1);
    assert_eq!(svc.refresh_calendar(now).await.unwrap(), 0);
    assert_eq!(
        svc.report()["requests"][0]["state"],
        "open",
        "nothing changed yet"
    );

    let shift = Span::new(ny(2027, 5, 7, 15, 30), ny(2027, 5, 7, 17, 0));
    w.admin_edit(json!({"start": shift.start.to_rfc3339(), "action": "delete"}))
        .await;
    now += chrono::TimeDelta::hours(1);
    svc.refresh_calendar(now).await.unwrap();
    svc.refresh_calendar(now + chrono::TimeDelta::minutes(2))
        .await
        .unwrap();
    svc.deliver(&mut out, now).await.unwrap();
    let report = svc.report();
    assert_eq!(report["requests"][0]["state"], "withdrawn", "{report}");
    let updates: Vec<(String, String)> = sent_kinds(&dir.join("outbox"))
        .into_iter()
        .filter(|(k, _)| k == "schedule-update")
        .collect();
    assert_eq!(
        updates,
        vec![(
            "schedule-update".to_string(),
            "ccrummett@example.edu".to_string()
        )],
        "the requester (here the coordinator herself) is told once"
    );
    assert_eq!(
        svc.requests()[0].next_deadline(svc.config()),
        None,
        "no second call or escalation for a shift that is gone"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// (kind, first recipient) of every message in a Maildir outbox.
fn sent_kinds(outbox: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(outbox.join(sub)) else {
            continue;
        };
        for e in entries {
            let raw = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let header = |name: &str| {
                raw.lines()
                    .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let to = header("To");
            let to = to
                .rsplit('<')
                .next()
                .unwrap_or(&to)
                .trim_end_matches('>')
                .to_ascii_lowercase();
            out.push((header("X-Shiftcover-Kind"), to));
        }
    }
    out
}
