//! The schedule stays current while the daemon runs: another client moves
//! shifts on the calendar (an ICS file rewritten by an editor, an object on
//! Radicale or Xandikos changed over CalDAV), and the daemon, polling every
//! `calendar.refresh`, acts on the new schedule: an open request for a
//! moved shift now asks for the new time and its requester and the
//! coordinator are told, a sick notice for a moved slot resolves to its
//! new time, and when that slot is then given to someone else the list
//! hears, in the sick call's thread, that the call is no longer needed.
//!
//! And the calendar edited while the daemon is stopped: at the next start
//! the days of the schedule it last acted on (kept in its database) are
//! compared with the calendar, and the moved shifts are handled as if they
//! had moved while it ran, the list's sick call corrected in its thread,
//! and a start after that sends nothing more. A person taken off the
//! roster while stopped leaves their request open, and the coordinator is
//! told once.
//!
//! Without the servers the tests print why and pass; with
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI) they fail.

#[path = "support/caldav_servers.rs"]
mod caldav_servers;
#[path = "support/mail_servers.rs"]
mod mail_servers;

use std::path::{Path, PathBuf};
use std::time::Duration;

use caldav_servers::DavServer;
use chrono::{NaiveDate, TimeDelta, Weekday};
use mail_servers::*;
use shiftcover::config::Config;
use shiftcover::model::Span;

/// Generous: polls run every second, but a loaded machine is slow.
const HANG_GUARD: Duration = Duration::from_secs(90);

/// The override another client adds to `user`'s series: the occurrence of
/// `day` at `from` moved to `start`-`end` (local hours, New York).
fn moved_occurrence(
    user: &str,
    name: &str,
    day: NaiveDate,
    from: &str,
    to: (&str, &str),
) -> String {
    let d = day.format("%Y%m%d");
    format!(
        "BEGIN:VEVENT\r\nUID:{user}-shift@example.edu\r\nDTSTAMP:20261201T000000Z\r\n\
         RECURRENCE-ID;TZID=America/New_York:{d}T{from}\r\n\
         DTSTART;TZID=America/New_York:{d}T{}\r\nDTEND;TZID=America/New_York:{d}T{}\r\n\
         SUMMARY:Ask Chat shift\r\nATTENDEE;CN={name}:mailto:{user}@example.edu\r\nEND:VEVENT\r\n",
        to.0, to.1
    )
}

/// The whole body of a received mail, decoded.
fn body(m: &Received) -> String {
    let parsed = mail_parser::MessageParser::default()
        .parse(&m.raw)
        .expect("a mail");
    let text = parsed
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn span_words(day: NaiveDate, from: u32, to: u32) -> String {
    let tz = chrono_tz::America::New_York;
    let at = |h: u32| shiftcover::digest::local_instant(tz, day.and_hms_opt(h, 0, 0).unwrap());
    shiftcover::compose::span_text(Span::new(at(from), at(to)), tz)
}

/// How the calendar is edited by "another client" in each test.
enum Editor {
    File(PathBuf),
    Caldav {
        collection: String,
        server: &'static DavServer,
    },
}

impl Editor {
    /// Adds `extra` (an override) to `user`'s series, as another client would.
    async fn add_to_series(&self, user: &str, extra: &str) {
        self.edit_series(user, |text| {
            text.replacen("END:VCALENDAR", &format!("{extra}END:VCALENDAR"), 1)
        })
        .await
    }

    /// The coordinator's edit both tests make: Mei's Tuesday 12-2 moved to
    /// 3-5 and Sarah's Wednesday 12-2 to 4-6.
    async fn move_meis_tuesday_and_sarahs_wednesday(
        &self,
        tuesday: NaiveDate,
        wednesday: NaiveDate,
    ) {
        self.add_to_series(
            "mchen",
            &moved_occurrence("mchen", "Mei Chen", tuesday, "120000", ("150000", "170000")),
        )
        .await;
        self.add_to_series(
            "skim",
            &moved_occurrence(
                "skim",
                "Sarah Kim",
                wednesday,
                "120000",
                ("160000", "180000"),
            ),
        )
        .await;
    }

    /// Gives the occurrence of `user`'s series last added (an override
    /// `add_to_series` appended) to `to` instead, by its ATTENDEE.
    async fn give_last_override(&self, user: &str, to: &str) {
        let from = format!("mailto:{user}@example.edu");
        self.edit_series(user, |text| {
            let at = text.rfind(&from).expect("the override's ATTENDEE");
            format!(
                "{}mailto:{to}@example.edu{}",
                &text[..at],
                &text[at + from.len()..]
            )
        })
        .await
    }

    /// Rewrites `user`'s series (the whole file for the ICS calendar) with
    /// `edit`, as another client would save it.
    async fn edit_series(&self, user: &str, edit: impl Fn(&str) -> String) {
        match self {
            Editor::File(path) => {
                let text = std::fs::read_to_string(path).expect("calendar file");
                let edited = edit(&text);
                // An editor saves through a temporary file and a rename.
                let tmp = path.with_extension("ics.editing");
                std::fs::write(&tmp, edited).expect("write");
                std::fs::rename(&tmp, path).expect("rename");
            }
            Editor::Caldav { collection, server } => {
                let url = format!("{collection}{user}-shift%40example.edu.ics");
                let http = reqwest::Client::new();
                let got = server.auth(http.get(&url)).send().await.expect("GET");
                assert!(got.status().is_success(), "GET {url}: {}", got.status());
                let etag = got
                    .headers()
                    .get("ETag")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let text = got.text().await.expect("body");
                let edited = edit(&text);
                let put = server
                    .auth(http.put(&url))
                    .header("If-Match", etag)
                    .header("Content-Type", "text/calendar; charset=utf-8")
                    .body(edited)
                    .send()
                    .await
                    .expect("PUT");
                assert!(put.status().is_success(), "PUT {url}: {}", put.status());
            }
        }
    }
}

/// Moves the test's calendar onto a fresh calendar on `server` holding the
/// same schedule, named in the config by its display name from the
/// server's root; returns the editor that changes it behind the daemon.
async fn onto_caldav(server: &'static DavServer, dir: &Path, config_path: &Path) -> Editor {
    // One calendar per test run: several tests of this process move
    // their calendars onto the same server.
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("refresh-{}-{n}", std::process::id());
    let text = std::fs::read_to_string(dir.join("schedule.ics")).unwrap();
    let (cal, _) = caldav_servers::calendar_holding(server, &name, &text).await;
    // Chosen by its display name from the server's root.
    caldav_servers::config_on_caldav(
        dir,
        config_path,
        server,
        &format!("url = \"{}\"\nname = \"{name}\"", server.root),
    );
    Editor::Caldav {
        collection: cal.url().to_string(),
        server,
    }
}

/// Which calendar the daemon runs on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Backend {
    File,
    Radicale,
    Xandikos,
}

/// A test's start on `backend`: the servers emptied, a config in a fresh
/// folder whose calendar is looked at every `refresh`, the editor that
/// changes that calendar behind the daemon's back, and the daemon running.
/// None (the reason printed) when a server is missing.
struct Opening {
    s: Servers,
    dir: tempfile::TempDir,
    config: PathBuf,
    editor: Editor,
    daemon: Daemon,
}

async fn open_on(backend: Backend, refresh: &str) -> Option<Opening> {
    let Setup { s, dir, config } = setup(Policy::slow()).await?;
    let toml = std::fs::read_to_string(&config).unwrap().replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
        &format!("[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"\nrefresh = \"{refresh}\""),
    );
    std::fs::write(&config, toml).unwrap();
    let editor = match backend {
        Backend::File => Editor::File(dir.path().join("schedule.ics")),
        Backend::Radicale | Backend::Xandikos => {
            let (server, what) = match backend {
                Backend::Radicale => (caldav_servers::radicale(), "Radicale"),
                _ => (caldav_servers::xandikos(), "Xandikos"),
            };
            let Some(server) = server else {
                caldav_servers::missing(what);
                return None;
            };
            onto_caldav(server, dir.path(), &config).await
        }
    };
    Config::load(&config).expect("the config loads");
    let daemon = Daemon::start(&config);
    Some(Opening {
        s,
        dir,
        config,
        editor,
        daemon,
    })
}

/// Sarah's notice that she is out sick for her Wednesday `date` shift.
fn sarah_out_sick(date: NaiveDate) -> ListMail {
    ListMail::new(
        "skim",
        "Sarah Kim",
        &format!("Out sick Wednesday {}", md(date)),
        &format!(
            "Hi all,\n\nI'm sick and can't work my Wednesday {} shift. Sorry!\n\nSarah",
            md(date)
        ),
    )
}

/// The run: a request, a move behind the daemon's back, then a sick notice
/// for a slot that was moved too.
async fn the_daemon_follows_a_calendar_edited_behind_its_back(backend: Backend) {
    let _g = lock().await;
    let Some(Opening {
        s,
        dir: _dir,
        editor,
        mut daemon,
        ..
    }) = open_on(backend, "1s").await
    else {
        return;
    };
    if backend != Backend::File {
        assert!(
            daemon.log_text().contains("chosen by the name"),
            "the log says which calendar was chosen:\n{}",
            daemon.log_text()
        );
    }
    // Mei asks for her Tuesday 12-2.
    let tuesday = upcoming(Weekday::Tue, 14);
    let wednesday = tuesday + TimeDelta::days(1);
    let ask = request_for_mei(tuesday);
    s.post(&ask).await;
    let acked = s
        .wait_for("mchen", HANG_GUARD, |m| !of_kind(m, "ack").is_empty())
        .await;
    let ack = of_kind(&acked, "ack");
    assert_eq!(ack.len(), 1, "Mei's request is acknowledged");
    assert!(
        body(ack[0]).contains(&span_words(tuesday, 12, 14)),
        "{}",
        body(ack[0])
    );

    // The coordinator moves Mei's Tuesday to 3-5 and Sarah's Wednesday to
    // 4-6, in another client, while the daemon runs.
    editor
        .move_meis_tuesday_and_sarahs_wednesday(tuesday, wednesday)
        .await;

    // Mei and the coordinator are told that the request now asks for 3-5.
    let told = s
        .wait_for("mchen", HANG_GUARD, |m| {
            !of_kind(m, "schedule-update").is_empty()
        })
        .await;
    let update = of_kind(&told, "schedule-update");
    assert_eq!(
        update.len(),
        1,
        "one word about the move:\n{}",
        daemon.log_text()
    );
    let text = body(update[0]);
    assert!(
        text.contains(&span_words(tuesday, 15, 17)) && text.contains("moved"),
        "{text}"
    );
    assert!(
        update[0].answers(&ask.message_id),
        "threaded to the request"
    );
    let coordinator = s
        .wait_for("ccrummett", HANG_GUARD, |m| {
            !of_kind(m, "schedule-update").is_empty()
        })
        .await;
    assert_eq!(of_kind(&coordinator, "schedule-update").len(), 1);
    daemon.wait_for_log("schedule changed: ", 1, HANG_GUARD);
    let log = daemon.log_text();
    assert!(
        log.contains("Mei Chen") && log.contains("15:00-17:00"),
        "the log says what changed:\n{log}"
    );

    // Sarah is out sick "Wednesday": that is 4-6 now.
    s.post(&sarah_out_sick(wednesday)).await;
    let got = s
        .wait_for("skim", HANG_GUARD, |m| !of_kind(m, "ack").is_empty())
        .await;
    let ack = of_kind(&got, "ack");
    assert_eq!(ack.len(), 1);
    let text = body(ack[0]);
    assert!(
        text.contains(&span_words(wednesday, 16, 18))
            && !text.contains(&span_words(wednesday, 12, 14)),
        "the sick notice resolves to the moved slot: {text}"
    );

    // The list is called for Sarah; then the coordinator gives that
    // Wednesday to Tom in the calendar: the list hears, in the call's
    // thread, that the call is no longer needed.
    let called = s
        .wait_for("tbecker", HANG_GUARD, |m| {
            !of_kind(m, "sick-call").is_empty()
        })
        .await;
    let call = of_kind(&called, "sick-call")[0]
        .message_id()
        .expect("the call's Message-ID")
        .to_string();
    editor.give_last_override("skim", "tbecker").await;
    let heard = s
        .wait_for("tbecker", HANG_GUARD, |m| {
            !of_kind(m, "call-update").is_empty()
        })
        .await;
    let fix = of_kind(&heard, "call-update");
    assert_eq!(fix.len(), 1, "{}", daemon.log_text());
    assert!(fix[0].answers(&call), "threaded to the sick call");
    assert!(
        subject(fix[0]).starts_with("No longer needed:"),
        "{}",
        subject(fix[0])
    );
    assert!(
        body(fix[0]).contains(&span_words(wednesday, 16, 18)),
        "{}",
        body(fix[0])
    );
    let sarah = s
        .wait_for("skim", HANG_GUARD, |m| {
            !of_kind(m, "schedule-update").is_empty()
        })
        .await;
    assert!(
        body(of_kind(&sarah, "schedule-update")[0]).contains("Tom Becker"),
        "Sarah hears who has her shift now"
    );
    eprintln!(
        "figure: schedule re-reads in the log: {}",
        daemon.log_text().matches("schedule changed: ").count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_follows_an_ics_file_edited_behind_its_back() {
    the_daemon_follows_a_calendar_edited_behind_its_back(Backend::File).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_follows_a_radicale_calendar_edited_behind_its_back() {
    the_daemon_follows_a_calendar_edited_behind_its_back(Backend::Radicale).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_follows_a_xandikos_calendar_edited_behind_its_back() {
    the_daemon_follows_a_calendar_edited_behind_its_back(Backend::Xandikos).await;
}

/// Starts the daemon once more, waits until that start's work (done
/// before any message is read) is over, and stops it: a fresh request's
/// ack, Angie's, is the mark.
async fn start_once_more(daemon: &mut Daemon, s: &Servers) {
    daemon.restart();
    let later = ListMail::new(
        "alopez",
        "Angie Lopez",
        "Chat coverage Monday?",
        &format!(
            "Hi all,\n\nCould someone cover my Monday {} chat shift?\n\nAngie",
            md(upcoming(Weekday::Mon, 21))
        ),
    );
    s.post(&later).await;
    s.wait_for("alopez", HANG_GUARD, |m| !of_kind(m, "ack").is_empty())
        .await;
    assert!(daemon.terminate(HANG_GUARD), "the daemon stops on SIGTERM");
}

/// The subject of a received mail, unfolded.
fn subject(m: &Received) -> String {
    m.header("Subject")
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The run: a request and a sick notice (whose call goes to the list), the
/// daemon stopped, both shifts moved in the calendar, the daemon started
/// again, then once more. The calendar is looked at only hourly here, so
/// only the start can have seen the edits.
async fn edits_made_while_the_daemon_was_stopped_are_applied_at_start(backend: Backend) {
    let _g = lock().await;
    let Some(Opening {
        s,
        dir,
        editor,
        mut daemon,
        ..
    }) = open_on(backend, "1h").await
    else {
        return;
    };

    // Mei asks for her Tuesday 12-2; Sarah is out sick on Wednesday 12-2,
    // so the program calls the list for her.
    let tuesday = upcoming(Weekday::Tue, 14);
    let wednesday = tuesday + TimeDelta::days(1);
    let ask = request_for_mei(tuesday);
    s.post(&ask).await;
    s.post(&sarah_out_sick(wednesday)).await;
    s.wait_for("mchen", HANG_GUARD, |m| !of_kind(m, "ack").is_empty())
        .await;
    let called = s
        .wait_for("tbecker", HANG_GUARD, |m| {
            !of_kind(m, "sick-call").is_empty()
        })
        .await;
    let call = of_kind(&called, "sick-call")[0]
        .message_id()
        .expect("the call's Message-ID")
        .to_string();
    assert!(
        body(of_kind(&called, "sick-call")[0]).contains(&span_words(wednesday, 12, 14)),
        "the call names the old time"
    );

    // Stopped; meanwhile the coordinator moves Mei's Tuesday to 3-5 and
    // Sarah's Wednesday to 4-6.
    assert!(daemon.terminate(HANG_GUARD), "the daemon stops on SIGTERM");
    editor
        .move_meis_tuesday_and_sarahs_wednesday(tuesday, wednesday)
        .await;

    // Started again: both requests follow, as if moved while it ran.
    daemon.restart();
    let told = s
        .wait_for("mchen", HANG_GUARD, |m| {
            !of_kind(m, "schedule-update").is_empty()
        })
        .await;
    let update = of_kind(&told, "schedule-update");
    assert_eq!(update.len(), 1, "{}", daemon.log_text());
    let text = body(update[0]);
    assert!(
        text.contains(&span_words(tuesday, 15, 17)) && text.contains("moved"),
        "{text}"
    );
    assert!(
        update[0].answers(&ask.message_id),
        "threaded to the request"
    );
    let coordinator = s
        .wait_for("ccrummett", HANG_GUARD, |m| {
            of_kind(m, "schedule-update").len() >= 2
        })
        .await;
    assert_eq!(of_kind(&coordinator, "schedule-update").len(), 2);
    // The list hears the new time for Sarah's shift, in the call's thread.
    let heard = s
        .wait_for("tbecker", HANG_GUARD, |m| {
            !of_kind(m, "call-update").is_empty()
        })
        .await;
    let fix = of_kind(&heard, "call-update");
    assert_eq!(fix.len(), 1);
    assert!(fix[0].answers(&call), "threaded to the sick call");
    let text = body(fix[0]);
    assert!(
        text.contains(&span_words(wednesday, 16, 18))
            && text.contains(&span_words(wednesday, 12, 14)),
        "{text}"
    );
    assert!(
        subject(fix[0]).contains(&span_words(wednesday, 16, 18)),
        "{}",
        subject(fix[0])
    );
    assert!(
        !format!("{} {text}", subject(fix[0]))
            .to_lowercase()
            .contains("sick"),
        "no staff details to the list again: {text}"
    );
    assert!(
        daemon.log_text().contains("while the daemon was stopped"),
        "the log says what was applied:\n{}",
        daemon.log_text()
    );

    // Started once more: nothing more is sent.
    start_once_more(&mut daemon, &s).await;
    let store = daemon_store(dir.path()).await;
    let mut kinds: Vec<String> = Vec::new();
    for state in [
        shiftcover::store::DeliveryState::Pending,
        shiftcover::store::DeliveryState::Sent,
        shiftcover::store::DeliveryState::Failed,
    ] {
        kinds.extend(
            store
                .mail_in_state(state)
                .await
                .unwrap()
                .into_iter()
                .map(|o| o.mail.kind)
                .filter(|k| k == "schedule-update" || k == "call-update"),
        );
    }
    kinds.sort();
    assert_eq!(
        kinds,
        ["call-update", "schedule-update", "schedule-update"],
        "decided once, over three starts"
    );
    assert_eq!(of_kind(&s.inbox("mchen").await, "schedule-update").len(), 1);
    assert_eq!(of_kind(&s.inbox("tbecker").await, "call-update").len(), 1);
    // The requests follow the new times.
    let tz = chrono_tz::America::New_York;
    let at = |d: NaiveDate, h: u32| {
        shiftcover::digest::local_instant(tz, d.and_hms_opt(h, 0, 0).unwrap())
    };
    let requests = store.load_requests().await.unwrap();
    let of = |who: &str| {
        requests
            .iter()
            .find(|r| r.requester == format!("{who}@example.edu"))
            .expect("the request")
    };
    assert_eq!(of("mchen").shifts[0].span.start, at(tuesday, 15));
    assert_eq!(of("skim").shifts[0].span.start, at(wednesday, 16));
    store.close().await;
    eprintln!(
        "figure: starts applying edits made while stopped: {}",
        daemon
            .log_text()
            .matches("calendar edits made while the daemon was stopped were applied")
            .count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ics_file_edited_while_the_daemon_was_stopped_is_applied_at_start() {
    edits_made_while_the_daemon_was_stopped_are_applied_at_start(Backend::File).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_radicale_calendar_edited_while_the_daemon_was_stopped_is_applied_at_start() {
    edits_made_while_the_daemon_was_stopped_are_applied_at_start(Backend::Radicale).await;
}

/// Mei leaves the roster while her request is open and the daemon is
/// stopped; her Tuesday is still on the calendar (its event still names
/// her address, which the roster no longer has). At the next start the
/// request stays open and the coordinator alone is told why, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_stays_open_when_its_owner_leaves_the_roster_while_the_daemon_is_stopped() {
    let _g = lock().await;
    // The calendar is looked at only hourly: only the start can act.
    let Some(Opening {
        s,
        dir,
        config,
        mut daemon,
        ..
    }) = open_on(Backend::File, "1h").await
    else {
        return;
    };
    let tuesday = upcoming(Weekday::Tue, 14);
    let ask = request_for_mei(tuesday);
    s.post(&ask).await;
    s.wait_for("mchen", HANG_GUARD, |m| !of_kind(m, "ack").is_empty())
        .await;

    // Stopped; meanwhile Mei is taken off the roster.
    assert!(daemon.terminate(HANG_GUARD), "the daemon stops on SIGTERM");
    let toml = std::fs::read_to_string(&config).unwrap();
    let without_mei: Vec<&str> = toml
        .split("[[staff]]")
        .filter(|block| !block.contains("mchen@example.edu"))
        .collect();
    std::fs::write(&config, without_mei.join("[[staff]]")).unwrap();
    assert!(
        Config::load(&config)
            .unwrap()
            .roster
            .by_email("mchen@example.edu")
            .is_none()
    );

    daemon.restart();
    let told = s
        .wait_for("ccrummett", HANG_GUARD, |m| {
            !of_kind(m, "schedule-update").is_empty()
        })
        .await;
    let note = of_kind(&told, "schedule-update");
    assert_eq!(note.len(), 1, "{}", daemon.log_text());
    let text = body(note[0]);
    assert!(
        text.contains("The roster no longer has mchen@example.edu")
            && text.contains(&span_words(tuesday, 12, 14))
            && text.contains("the request stays open"),
        "{text}"
    );
    assert!(note[0].answers(&ask.message_id), "threaded to the request");
    let log = daemon.log_text();
    assert!(
        log.contains("kept open: ")
            && log.contains("naming nobody on the roster")
            && !log.contains("gone:")
            && !log.contains("were applied to open requests"),
        "the log says the shift was kept, not gone:\n{log}"
    );

    // Started once more: nothing more is said.
    start_once_more(&mut daemon, &s).await;
    assert_eq!(
        of_kind(&s.inbox("ccrummett").await, "schedule-update").len(),
        1
    );
    assert!(
        of_kind(&s.inbox("mchen").await, "schedule-update").is_empty(),
        "Mei, off the roster, is not written to"
    );
    let store = daemon_store(dir.path()).await;
    let requests = store.load_requests().await.unwrap();
    let mei = requests
        .iter()
        .find(|r| r.requester == "mchen@example.edu")
        .expect("Mei's request");
    assert_eq!(mei.state, shiftcover::engine::RequestState::Open);
    assert_eq!(mei.shifts.len(), 1);
    store.close().await;
}
