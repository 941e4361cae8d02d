//! The schedule stays current while the daemon runs: another client moves
//! shifts on the calendar (an ICS file rewritten by an editor, an object on
//! Radicale or Xandikos changed over CalDAV), and the daemon, polling every
//! `calendar.refresh`, acts on the new schedule: an open request for a
//! moved shift now asks for the new time and its requester and the
//! coordinator are told, and a sick notice for a moved slot resolves to
//! its new time.
//!
//! Without the servers the tests print why and pass; with
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI) they fail.

#[path = "support/mail_servers.rs"]
mod mail_servers;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta, Weekday};
use mail_servers::*;
use shiftcover::config::Config;
use shiftcover::ical::{self, Component};
use shiftcover::model::Span;

/// Generous: polls run every second, but a loaded machine is slow.
const HANG_GUARD: Duration = Duration::from_secs(90);

/// Radicale's address and account from start.sh's env file.
fn radicale() -> Option<(String, String, String)> {
    let dir = std::env::var("SHIFTCOVER_SERVERS_DIR").unwrap_or("/tmp/shiftcover-servers".into());
    let env = std::fs::read_to_string(Path::new(&dir).join("env")).ok()?;
    let get = |key: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(|v| v.trim_matches('"').to_string())
    };
    Some((
        get("SHIFTCOVER_CALDAV_URL")?,
        get("SHIFTCOVER_CALDAV_USER")?,
        get("SHIFTCOVER_PASSWORD")?,
    ))
}

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
        /// The sign-in, when the server wants one.
        login: Option<(String, String)>,
    },
}

fn signed(
    rq: reqwest::RequestBuilder,
    login: &Option<(String, String)>,
) -> reqwest::RequestBuilder {
    match login {
        Some((u, p)) => rq.basic_auth(u, Some(p)),
        None => rq,
    }
}

impl Editor {
    /// Adds `extra` (an override) to `user`'s series, as another client would.
    async fn add_to_series(&self, user: &str, extra: &str) {
        match self {
            Editor::File(path) => {
                let text = std::fs::read_to_string(path).expect("calendar file");
                let edited = text.replacen("END:VCALENDAR", &format!("{extra}END:VCALENDAR"), 1);
                // An editor saves through a temporary file and a rename.
                let tmp = path.with_extension("ics.editing");
                std::fs::write(&tmp, edited).expect("write");
                std::fs::rename(&tmp, path).expect("rename");
            }
            Editor::Caldav { collection, login } => {
                let url = format!("{collection}{user}-shift%40example.edu.ics");
                let http = reqwest::Client::new();
                let got = signed(http.get(&url), login).send().await.expect("GET");
                assert!(got.status().is_success(), "GET {url}: {}", got.status());
                let etag = got
                    .headers()
                    .get("ETag")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let text = got.text().await.expect("body");
                let edited = text.replacen("END:VCALENDAR", &format!("{extra}END:VCALENDAR"), 1);
                let put = signed(http.put(&url), login)
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

/// One VCALENDAR object per VEVENT, each with the file's time zones.
fn objects(cal: &Component) -> Vec<(String, String)> {
    let zones: Vec<Component> = cal.children("VTIMEZONE").cloned().collect();
    cal.children("VEVENT")
        .map(|ev| {
            let mut obj = Component::new("VCALENDAR");
            obj.properties = cal.properties.clone();
            obj.components = zones.clone();
            obj.components.push(ev.clone());
            (ev.uid().to_string(), obj.to_ics())
        })
        .collect()
}

/// A CalDAV server to move the test's calendar onto: its root (for
/// discovery), the folder to make the calendar in, and the sign-in.
struct CaldavServer {
    root: String,
    home: String,
    login: Option<(String, String)>,
}

fn radicale_server() -> Option<CaldavServer> {
    let Some((root, user, password)) = radicale() else {
        assert!(
            std::env::var_os("SHIFTCOVER_REQUIRE_SERVERS").is_none(),
            "Radicale is not running (tests/servers/start.sh)"
        );
        println!("SKIPPED: Radicale is not running");
        return None;
    };
    Some(CaldavServer {
        home: format!("{root}{user}/"),
        root,
        login: Some((user, password)),
    })
}

/// A Xandikos of this test's own (no sign-in), from start.sh's virtualenv;
/// it stops when the returned guard is dropped.
fn xandikos_server(folder: &Path) -> Option<(CaldavServer, XandikosGuard)> {
    let venv = std::env::var("SHIFTCOVER_RADICALE_VENV")
        .unwrap_or("/var/cache/shiftcover-tests/radicale-venv".into());
    let python = Path::new(&venv).join("bin/python3");
    if !python.exists() {
        assert!(
            std::env::var_os("SHIFTCOVER_REQUIRE_SERVERS").is_none(),
            "Xandikos is not installed (tests/servers/start.sh installs it)"
        );
        println!("SKIPPED: Xandikos is not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    // The wrapper kills the server when our end of its stdin closes.
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg("\"$@\" & pid=$!; read _; kill $pid; wait $pid")
        .arg("sh")
        .arg(&python)
        .args(["-m", "xandikos", "serve", "-d"])
        .arg(folder)
        .args(["-l", "127.0.0.1", "-p", &port.to_string(), "--defaults"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start Xandikos");
    let guard = XandikosGuard(child);
    let until = std::time::Instant::now() + HANG_GUARD;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < until, "Xandikos did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let root = format!("http://127.0.0.1:{port}/");
    Some((
        CaldavServer {
            home: format!("{root}user/calendars/"),
            root,
            login: None,
        },
        guard,
    ))
}

struct XandikosGuard(std::process::Child);

impl Drop for XandikosGuard {
    fn drop(&mut self) {
        self.0.stdin.take();
        let _ = self.0.wait();
    }
}

/// Moves the test's calendar onto a fresh calendar on `server` holding the
/// same schedule, named in the config by its display name from the
/// server's root; returns the editor that changes it behind the daemon.
async fn onto_caldav(server: &CaldavServer, dir: &Path, config_path: &Path) -> Editor {
    let name = format!("refresh-{}", std::process::id());
    let url = format!("{}{name}/", server.home);
    let (user, password) = match &server.login {
        Some((u, p)) => (Some(u.clone()), Some(p.clone())),
        None => (None, None),
    };
    let cal = shiftcover::calendar::caldav::CaldavCalendar::create(&url, &name, user, password)
        .await
        .expect("MKCALENDAR");
    let text = std::fs::read_to_string(dir.join("schedule.ics")).unwrap();
    let http = reqwest::Client::new();
    for (uid, body) in objects(&ical::parse(&text).unwrap()) {
        let resp = signed(
            http.put(format!("{}{}.ics", cal.url(), uid.replace('@', "%40"))),
            &server.login,
        )
        .header("Content-Type", "text/calendar; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("upload");
        assert!(
            resp.status().is_success(),
            "upload {uid}: {}",
            resp.status()
        );
    }
    let sign_in = match &server.login {
        Some((user, password)) => {
            std::fs::write(dir.join("caldav-password"), format!("{password}\n")).unwrap();
            format!("\nusername = \"{user}\"\npassword_file = \"caldav-password\"")
        }
        None => String::new(),
    };
    // Chosen by its display name from the server's root.
    let toml = std::fs::read_to_string(config_path).unwrap().replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
        &format!(
            "[calendar]\nbackend = \"caldav\"\nurl = \"{}\"\nname = \"{name}\"{sign_in}",
            server.root
        ),
    );
    std::fs::write(config_path, toml).unwrap();
    std::fs::remove_file(dir.join("schedule.ics")).unwrap();
    Editor::Caldav {
        collection: cal.url().to_string(),
        login: server.login.clone(),
    }
}

/// Which calendar the daemon runs on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Backend {
    File,
    Radicale,
    Xandikos,
}

/// The run: a request, a move behind the daemon's back, then a sick notice
/// for a slot that was moved too.
async fn the_daemon_follows_a_calendar_edited_behind_its_back(backend: Backend) {
    let _g = lock().await;
    let Some(s) = servers() else { return };
    s.clear_all().await;
    let dir = tempfile::tempdir().unwrap();
    let config_path = write_config(dir.path(), &s, &Policy::slow());
    let toml = std::fs::read_to_string(&config_path).unwrap().replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"\nrefresh = \"1s\"",
    );
    std::fs::write(&config_path, toml).unwrap();
    let xandikos_dir = tempfile::tempdir().unwrap();
    let mut _xandikos = None;
    let editor = match backend {
        Backend::File => Editor::File(dir.path().join("schedule.ics")),
        Backend::Radicale => {
            let Some(server) = radicale_server() else {
                return;
            };
            onto_caldav(&server, dir.path(), &config_path).await
        }
        Backend::Xandikos => {
            let Some((server, guard)) = xandikos_server(xandikos_dir.path()) else {
                return;
            };
            _xandikos = Some(guard);
            onto_caldav(&server, dir.path(), &config_path).await
        }
    };
    let on_caldav = backend != Backend::File;
    Config::load(&config_path).expect("the config loads");

    let mut daemon = Daemon::start(&config_path);
    if on_caldav {
        assert!(
            daemon.log_text().contains("chosen by the name"),
            "the log says which calendar was chosen:\n{}",
            daemon.log_text()
        );
    }
    // Mei asks for her Tuesday 12-2.
    let tuesday = upcoming(Weekday::Tue, 14);
    let wednesday = tuesday + TimeDelta::days(1);
    let ask = ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Chat coverage Tues {}?", md(tuesday)),
        &format!(
            "Hi all,\n\nCould someone cover my Tuesday {} chat shift?\n\nThanks,\nMei",
            md(tuesday)
        ),
    );
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
        .add_to_series(
            "mchen",
            &moved_occurrence("mchen", "Mei Chen", tuesday, "120000", ("150000", "170000")),
        )
        .await;
    editor
        .add_to_series(
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
    let sick = ListMail::new(
        "skim",
        "Sarah Kim",
        &format!("Out sick Wednesday {}", md(wednesday)),
        &format!(
            "Hi all,\n\nI'm sick and can't work my Wednesday {} shift. Sorry!\n\nSarah",
            md(wednesday)
        ),
    );
    s.post(&sick).await;
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
