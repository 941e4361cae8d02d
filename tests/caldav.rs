//! The CalDAV backend against real servers: Radicale (the test servers of
//! tests/servers/start.sh when they run, else one started here) and, when
//! installed, Xandikos. Each test makes its own calendar with MKCALENDAR and
//! fills it with tests/fixtures/caldav/schedule.ics, one object per series.
//!
//! A test whose server cannot be had says why and passes without checking.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use futures::FutureExt;
use shiftcover::calendar::caldav::{BeforeWrite, CaldavCalendar, ChangeProbe, HttpAuth};
use shiftcover::calendar::ics_file::IcsFile;
use shiftcover::calendar::{CoverEdit, EditOp};
use shiftcover::config::{Config, Roster};
use shiftcover::model::{Instant, Span};
use shiftcover::schedule::{Occurrence, Schedule};

const ZONE: Tz = chrono_tz::America::New_York;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/caldav")
}

fn fixture() -> String {
    std::fs::read_to_string(fixture_dir().join("schedule.ics")).expect("fixture schedule.ics")
}

/// The example roster, read by the real config loader.
fn roster() -> Roster {
    let text =
        std::fs::read_to_string(fixture_dir().join("shiftcover.toml")).expect("fixture toml");
    Config::from_toml(&text, &fixture_dir())
        .expect("fixture config")
        .roster
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> Instant {
    ZONE.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a plain local time")
        .with_timezone(&Utc)
}

fn now() -> Instant {
    local(2026, 11, 30, 9, 0)
}

/// Ben covers Angie's Monday 12:00-14:00 on 7 December 2026.
fn ben_for_angie() -> CoverEdit {
    CoverEdit {
        uid: "cover-alopez-20261207@example.edu".into(),
        owner_email: "alopez@example.edu".into(),
        owner_name: "Angie Lopez".into(),
        coverer_email: "bokafor@example.edu".into(),
        coverer_name: "Ben Okafor".into(),
        span: Span::new(local(2026, 12, 7, 12, 0), local(2026, 12, 7, 14, 0)),
        label: "Ben for Angie".into(),
        organizer_email: "coverage@example.edu".into(),
        organizer_name: "Ask Chat Coverage".into(),
    }
}

const SERIES_UID: &str = "askchat-mo-1200@example.edu";

fn term() -> Span {
    Span::new(local(2026, 9, 1, 0, 0), local(2027, 6, 1, 0, 0))
}

fn sorted(mut v: Vec<Occurrence>) -> Vec<Occurrence> {
    v.sort_by(|a, b| (a.span, &a.uid).cmp(&(b.span, &b.uid)));
    v
}

// --- servers -----------------------------------------------------------------

/// A CalDAV server to make test calendars on.
struct Server {
    /// Folder URL under which a test calendar may be made (ends in `/`).
    home: String,
    /// The server's root, for discovery.
    root: String,
    username: Option<String>,
    password: Option<String>,
}

/// A server process this test binary started. Its wrapper shell kills the
/// server when our end of its stdin closes: on drop, or when the tests exit
/// in any way, so no server outlives the tests.
struct Process {
    child: Child,
}

impl Process {
    fn spawn(program: &[String], port: u16) -> Option<Process> {
        let child = Command::new("sh")
            .arg("-c")
            .arg("\"$@\" & pid=$!; read _; kill $pid; wait $pid")
            .arg("sh")
            .args(program)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let process = Process { child };
        wait_port(port, true).then_some(process)
    }

    fn stop(mut self, port: u16) {
        self.child.stdin.take();
        let _ = self.child.wait();
        assert!(wait_port(port, false), "the server on {port} did not stop");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.child.stdin.take();
        let _ = self.child.wait();
    }
}

fn port_open(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Waits up to 30 s for the port to open (or close).
fn wait_port(port: u16, open: bool) -> bool {
    for _ in 0..300 {
        if port_open(port) == open {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn unique(name: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{name}-{}-{nanos}", std::process::id())
}

/// The settings start.sh wrote, when its Radicale answers.
fn radicale_from_start_sh() -> Option<Server> {
    let dir = std::env::var("SHIFTCOVER_SERVERS_DIR").unwrap_or("/tmp/shiftcover-servers".into());
    let env = std::fs::read_to_string(Path::new(&dir).join("env")).ok()?;
    let get = |key: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(|v| v.trim_matches('"').to_string())
    };
    let root = get("SHIFTCOVER_CALDAV_URL")?;
    let user = get("SHIFTCOVER_CALDAV_USER")?;
    let port: u16 = root
        .rsplit(':')
        .next()?
        .trim_end_matches('/')
        .parse()
        .ok()?;
    if !port_open(port) {
        return None;
    }
    Some(Server {
        home: format!("{root}{user}/"),
        root,
        username: Some(user),
        password: get("SHIFTCOVER_PASSWORD"),
    })
}

/// How to run Radicale here: start.sh's virtualenv, or a python3 that has it.
fn radicale_program() -> Option<Vec<String>> {
    let venv = std::env::var("SHIFTCOVER_RADICALE_VENV")
        .unwrap_or("/var/cache/shiftcover-tests/radicale-venv".into());
    let bin = Path::new(&venv).join("bin/radicale");
    if bin.exists() {
        return Some(vec![bin.display().to_string()]);
    }
    python_module("radicale")
}

fn python_module(module: &str) -> Option<Vec<String>> {
    // start.sh's virtualenv has both servers; else a python3 that has it.
    let venv = std::env::var("SHIFTCOVER_RADICALE_VENV")
        .unwrap_or("/var/cache/shiftcover-tests/radicale-venv".into());
    let venv_python = Path::new(&venv).join("bin/python3");
    let python = if venv_python.exists() {
        venv_python.display().to_string()
    } else {
        "python3".to_string()
    };
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| vec![python, "-m".into(), module.into()])
}

/// A Radicale of our own, serving `folder` on `port` (user coverage/secret).
fn start_radicale(folder: &Path, port: u16) -> Option<Process> {
    let program = radicale_program()?;
    std::fs::create_dir_all(folder.join("collections")).ok()?;
    let users = folder.join("users");
    std::fs::File::create(&users)
        .and_then(|mut f| f.write_all(b"coverage:secret\n"))
        .ok()?;
    let mut args = program;
    args.extend([
        "--config".to_string(),
        String::new(),
        format!("--server-hosts=127.0.0.1:{port}"),
        "--auth-type=htpasswd".into(),
        format!("--auth-htpasswd-filename={}", users.display()),
        "--auth-htpasswd-encryption=plain".into(),
        "--rights-type=owner_only".into(),
        format!(
            "--storage-filesystem-folder={}",
            folder.join("collections").display()
        ),
        "--logging-level=warning".into(),
    ]);
    Process::spawn(&args, port)
}

fn own_radicale_server(port: u16) -> Server {
    let root = format!("http://127.0.0.1:{port}/");
    Server {
        home: format!("{root}coverage/"),
        root,
        username: Some("coverage".into()),
        password: Some("secret".into()),
    }
}

/// A server with what must live as long as it: our process and its folder.
type Kept = Option<(Server, Option<Process>, Option<tempfile::TempDir>)>;

/// The Radicale all tests share: start.sh's, or one started here once.
fn radicale() -> Option<&'static Server> {
    static SERVER: OnceLock<Kept> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Some(s) = radicale_from_start_sh() {
                return Some((s, None, None));
            }
            let dir = tempfile::tempdir().ok()?;
            let port = free_port();
            let process = start_radicale(dir.path(), port)?;
            Some((own_radicale_server(port), Some(process), Some(dir)))
        })
        .as_ref()
        .map(|(s, _, _)| s)
}

/// A Xandikos of our own, when it is installed (no sign-in).
fn xandikos() -> Option<&'static Server> {
    static SERVER: OnceLock<Option<(Server, Process, tempfile::TempDir)>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let mut args = python_module("xandikos")?;
            let dir = tempfile::tempdir().ok()?;
            let port = free_port();
            args.extend([
                "serve".into(),
                "-d".into(),
                dir.path().display().to_string(),
                "-l".into(),
                "127.0.0.1".into(),
                "-p".into(),
                port.to_string(),
                "--defaults".into(),
            ]);
            let process = Process::spawn(&args, port)?;
            let root = format!("http://127.0.0.1:{port}/");
            let server = Server {
                home: format!("{root}user/calendars/"),
                root,
                username: None,
                password: None,
            };
            Some((server, process, dir))
        })
        .as_ref()
        .map(|(s, _, _)| s)
}

macro_rules! or_skip {
    ($server:expr, $what:expr) => {
        match $server {
            Some(s) => s,
            None => {
                // In CI (tests/run.sh) the servers are installed: a missing
                // one is a failure, not a skip.
                assert!(
                    std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() != Ok("1"),
                    "{} is not installed and cannot be started here",
                    $what
                );
                eprintln!(
                    "SKIPPED: {} is not installed and cannot be started here",
                    $what
                );
                return;
            }
        }
    };
}

// --- the other client --------------------------------------------------------

fn http() -> reqwest::Client {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn with_auth(rq: reqwest::RequestBuilder, server: &Server) -> reqwest::RequestBuilder {
    match &server.username {
        Some(u) => rq.basic_auth(u, server.password.as_ref()),
        None => rq,
    }
}

/// The fixture as one object per series, each with the calendar's header
/// and VTIMEZONE, by plain text so the split does not lean on our parser.
fn objects_of(ics: &str) -> Vec<(String, String)> {
    let text = ics.replace("\r\n", "\n");
    let Some(first) = text.find("BEGIN:VEVENT") else {
        return Vec::new();
    };
    let head = &text[..first];
    let mut out = Vec::new();
    for block in text[first..]
        .split("BEGIN:VEVENT")
        .filter(|b| b.contains("END:VEVENT"))
    {
        let event = &block[..block.find("END:VEVENT").unwrap_or(block.len())];
        let uid = event
            .lines()
            .find_map(|l| l.strip_prefix("UID:"))
            .unwrap_or("x")
            .to_string();
        let body = format!("{head}BEGIN:VEVENT{event}END:VEVENT\nEND:VCALENDAR\n");
        out.push((uid, body.replace('\n', "\r\n")));
    }
    out
}

/// True when the URL names the object of this UID, however the server
/// encodes the `@`.
fn names_object(url: &reqwest::Url, uid: &str) -> bool {
    url.path()
        .replace("%40", "@")
        .ends_with(&format!("/{uid}.ics"))
}

fn object_url(collection: &str, uid: &str) -> String {
    format!("{collection}{}.ics", uid.replace('@', "%40"))
}

/// A new calendar holding the fixture, and our client connected to it.
async fn fresh_calendar(server: &Server, name: &str) -> CaldavCalendar {
    let name = unique(name);
    let url = format!("{}{name}/", server.home);
    let calendar = CaldavCalendar::create(
        &url,
        &name,
        server.username.clone(),
        server.password.clone(),
    )
    .await
    .expect("MKCALENDAR");
    let client = http();
    for (uid, body) in objects_of(&fixture()) {
        let put = client
            .put(object_url(calendar.url().as_str(), &uid))
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(body);
        let resp = with_auth(put, server).send().await.expect("upload");
        assert!(
            resp.status().is_success(),
            "upload of {uid}: {}",
            resp.status()
        );
    }
    calendar
}

/// The series object's text as the server holds it, and its ETag.
async fn raw(server: &Server, url: &str) -> (String, String) {
    let resp = with_auth(http().get(url), server)
        .send()
        .await
        .expect("GET");
    assert!(resp.status().is_success(), "GET {url}: {}", resp.status());
    let etag = resp
        .headers()
        .get("ETag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (resp.text().await.expect("body"), etag)
}

/// Another client's edit: adds a property to the series, guarded by its ETag.
async fn other_client_adds_note(server: &Server, url: &str) {
    let (text, etag) = raw(server, url).await;
    let changed = text.replacen(
        "END:VEVENT",
        "X-OTHER-CLIENT:kept by the server\r\nEND:VEVENT",
        1,
    );
    let put = http()
        .put(url)
        .header("If-Match", etag)
        .header("Content-Type", "text/calendar; charset=utf-8")
        .body(changed);
    let resp = with_auth(put, server)
        .send()
        .await
        .expect("other client's PUT");
    assert!(
        resp.status().is_success(),
        "other client's PUT: {}",
        resp.status()
    );
}

/// Counts the objects on the server whose event has this UID.
async fn objects_with_uid(calendar: &CaldavCalendar, uid: &str) -> usize {
    let objects = calendar.objects(None).await.expect("objects");
    objects
        .iter()
        .filter(|o| {
            o.calendar.components.iter().any(|c| {
                c.name == "VEVENT"
                    && c.properties
                        .iter()
                        .any(|p| p.name == "UID" && p.value == uid)
            })
        })
        .count()
}

// --- the checks, run on each server -----------------------------------------

async fn read_back_equals_the_ics_backend(server: &Server) {
    let calendar = fresh_calendar(server, "read-back").await;
    let roster = roster();
    let from_file = Schedule::from_ics(&fixture(), &roster, ZONE).expect("fixture parses");
    let from_server = calendar.schedule(&roster, ZONE).await.expect("schedule");
    let expected = sorted(from_file.occurrences(term()));
    assert!(expected.len() > 600, "the fixture has a term of shifts");
    assert_eq!(sorted(from_server.occurrences(term())), expected);

    // The windowed read gives the same shifts inside its window.
    let december = Span::new(local(2026, 12, 1, 0, 0), local(2027, 1, 1, 0, 0));
    let windowed = calendar
        .schedule_in(december, &roster, ZONE)
        .await
        .expect("schedule_in");
    assert_eq!(
        sorted(windowed.occurrences(december)),
        sorted(from_file.occurrences(december))
    );
}

async fn coverage_edit_matches_the_ics_backend(server: &Server) {
    let calendar = fresh_calendar(server, "cover").await;
    let roster = roster();
    let edit = ben_for_angie();
    let op = EditOp::Cover(edit.clone());
    assert_eq!(calendar.apply(&op, &roster, ZONE, now()).await, Ok(true));

    let schedule = calendar.schedule(&roster, ZONE).await.expect("schedule");
    let dec7 = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let dec14 = NaiveDate::from_ymd_opt(2026, 12, 14).expect("date");
    assert!(
        schedule.shifts_on("alopez@example.edu", dec7).is_empty(),
        "Angie's 7 Dec shift is released"
    );
    assert_eq!(
        schedule.shifts_on("alopez@example.edu", dec14).len(),
        1,
        "her next Monday stays"
    );
    let ben = schedule.shifts_on("bokafor@example.edu", dec7);
    assert!(
        ben.iter().any(|o| o.span == edit.span && o.uid == edit.uid),
        "Ben has the cover event: {ben:?}"
    );

    // The same edit on the same data in a file gives the same calendar.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("schedule.ics");
    std::fs::write(&path, fixture()).expect("copy");
    let file = IcsFile::new(path);
    assert_eq!(file.apply(&op, &roster, ZONE, now()), Ok(true));
    let from_file = file.schedule(&roster, ZONE).expect("file schedule");
    assert_eq!(
        sorted(schedule.occurrences(term())),
        sorted(from_file.occurrences(term()))
    );

    // The cover event invites Ben without the server scheduling it again.
    let (cover, _) = raw(server, &object_url(calendar.url().as_str(), &edit.uid)).await;
    let unfolded = cover.replace("\r\n ", "");
    assert!(
        unfolded.lines().any(|l| l.starts_with("ATTENDEE")
            && l.contains("SCHEDULE-AGENT=CLIENT")
            && l.to_lowercase().contains("mailto:bokafor@example.edu")),
        "cover event: {cover}"
    );
    assert!(unfolded.contains("SUMMARY:Ben for Angie"));

    // Applying again (a retry after a crash) changes nothing.
    assert_eq!(calendar.apply(&op, &roster, ZONE, now()).await, Ok(false));
    assert_eq!(objects_with_uid(&calendar, &edit.uid).await, 1);
    let (series, _) = raw(server, &object_url(calendar.url().as_str(), SERIES_UID)).await;
    assert_eq!(series.matches("EXDATE").count(), 1, "one EXDATE: {series}");

    // Uncover gives the shift back and takes the cover event away.
    let undo = EditOp::Uncover(edit.clone());
    assert_eq!(calendar.apply(&undo, &roster, ZONE, now()).await, Ok(true));
    assert_eq!(calendar.apply(&undo, &roster, ZONE, now()).await, Ok(false));
    let schedule = calendar.schedule(&roster, ZONE).await.expect("schedule");
    assert_eq!(schedule.shifts_on("alopez@example.edu", dec7).len(), 1);
    assert!(
        !schedule
            .shifts_on("bokafor@example.edu", dec7)
            .iter()
            .any(|o| o.uid == edit.uid)
    );
    assert_eq!(objects_with_uid(&calendar, &edit.uid).await, 0);
}

async fn concurrent_edit_keeps_both_changes(server: &'static Server) {
    let mut calendar = fresh_calendar(server, "concurrent").await;
    let roster = roster();
    let series_url = object_url(calendar.url().as_str(), SERIES_UID);
    let interfered = Arc::new(AtomicBool::new(false));
    let hook: BeforeWrite = {
        let interfered = interfered.clone();
        let series_url = series_url.clone();
        Arc::new(move |url: reqwest::Url| {
            let interfered = interfered.clone();
            let series_url = series_url.clone();
            async move {
                // Between our read and our write, once: someone edits by hand.
                if names_object(&url, SERIES_UID) && !interfered.swap(true, Ordering::SeqCst) {
                    other_client_adds_note(server, &series_url).await;
                }
            }
            .boxed()
        })
    };
    calendar.set_before_write(Some(hook));
    let op = EditOp::Cover(ben_for_angie());
    assert_eq!(calendar.apply(&op, &roster, ZONE, now()).await, Ok(true));
    assert!(
        interfered.load(Ordering::SeqCst),
        "the other client did edit in between"
    );

    let (series, _) = raw(server, &series_url).await;
    assert!(
        series.contains("X-OTHER-CLIENT:kept by the server"),
        "other client's change lost: {series}"
    );
    assert_eq!(
        series.matches("EXDATE").count(),
        1,
        "our change lost: {series}"
    );
    let schedule = calendar.schedule(&roster, ZONE).await.expect("schedule");
    let dec7 = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    assert!(schedule.shifts_on("alopez@example.edu", dec7).is_empty());
}

async fn discovered_from_the_root(server: &Server) {
    let name = unique("discovered");
    let url = format!("{}{name}/", server.home);
    let made = CaldavCalendar::create(
        &url,
        &name,
        server.username.clone(),
        server.password.clone(),
    )
    .await
    .expect("MKCALENDAR");
    let found = CaldavCalendar::connect(
        &format!("{}#{name}", server.root),
        server.username.clone(),
        server.password.clone(),
    )
    .await
    .expect("discovery");
    assert_eq!(found.url(), made.url());
    let summary = found.check().await.expect("check");
    eprintln!("check: {summary}");
    assert!(
        summary.contains(&name) && summary.contains("0 event objects"),
        "{summary}"
    );
}

/// Another client's PUT of a whole object (new or replacing), unguarded.
async fn other_client_puts(server: &Server, url: &str, body: &str) {
    let put = http()
        .put(url)
        .header("Content-Type", "text/calendar; charset=utf-8")
        .body(body.to_string());
    let resp = with_auth(put, server)
        .send()
        .await
        .expect("other client's PUT");
    assert!(resp.status().is_success(), "PUT {url}: {}", resp.status());
}

fn one_object(uid: &str, lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//other client//EN\r\nBEGIN:VEVENT\r\n\
         UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// A poll sees another client's edit by each probe the server offers, and
/// sees nothing when nothing changed.
async fn a_poll_sees_another_clients_edit(server: &Server, probe: Option<ChangeProbe>) {
    let calendar = fresh_calendar(server, "poll").await;
    if let Some(p) = probe {
        calendar.set_change_probe(p);
    }
    let roster = roster();
    assert!(calendar.changed().await.expect("poll"), "never read");
    calendar.schedule(&roster, ZONE).await.expect("read");
    let used = calendar.change_probe().expect("a probe was chosen");
    eprintln!("figure: probe on {}: {used:?}", server.root);
    if let Some(p) = probe {
        assert_eq!(used, p);
    }
    let poll_started = std::time::Instant::now();
    assert!(
        !calendar.changed().await.expect("poll"),
        "nothing changed yet"
    );
    let poll = poll_started.elapsed();
    let read_started = std::time::Instant::now();
    calendar.schedule(&roster, ZONE).await.expect("read");
    eprintln!(
        "figure: on {} a poll by {used:?} took {poll:?}, a whole read {:?}",
        server.root,
        read_started.elapsed()
    );
    assert!(!calendar.changed().await.expect("poll"), "still nothing");

    let url = object_url(calendar.url().as_str(), SERIES_UID);
    other_client_adds_note(server, &url).await;
    assert!(
        calendar.changed().await.expect("poll"),
        "an edit by {used:?}"
    );
    assert!(calendar.changed().await.expect("poll"), "until read again");
    calendar.schedule(&roster, ZONE).await.expect("read");
    assert!(!calendar.changed().await.expect("poll"));

    // A new object is a change too, and so is a deleted one.
    let extra = object_url(calendar.url().as_str(), "extra@example.edu");
    other_client_puts(
        server,
        &extra,
        &one_object(
            "extra@example.edu",
            "DTSTART:20261210T150000Z\r\nDTEND:20261210T160000Z\r\nSUMMARY:Tom\r\n",
        ),
    )
    .await;
    assert!(calendar.changed().await.expect("poll"), "a new object");
    calendar.schedule(&roster, ZONE).await.expect("read");
    let delete = with_auth(http().delete(&extra), server)
        .send()
        .await
        .expect("DELETE");
    assert!(delete.status().is_success(), "DELETE: {}", delete.status());
    assert!(calendar.changed().await.expect("poll"), "a deleted object");
}

/// The windowed read (the daemon's) brings back every series with an
/// occurrence in the window, however long before it began, and leaves out
/// what lies wholly outside it.
async fn the_window_keeps_series_begun_long_before(server: &Server) {
    let calendar = fresh_calendar(server, "window").await;
    let roster = roster();
    // Dana's Friday series began in January 2025 and has no end.
    other_client_puts(
        server,
        &object_url(calendar.url().as_str(), "dana-fri@example.edu"),
        &one_object(
            "dana-fri@example.edu",
            "DTSTART:20250103T150000Z\r\nDTEND:20250103T170000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=FR\r\n\
             ATTENDEE:mailto:dwhitfield@example.edu\r\nSUMMARY:Ask Chat\r\n",
        ),
    )
    .await;
    // A one-off training day in September, long before the window.
    other_client_puts(
        server,
        &object_url(calendar.url().as_str(), "training@example.edu"),
        &one_object(
            "training@example.edu",
            "DTSTART:20260910T150000Z\r\nDTEND:20260910T170000Z\r\nSUMMARY:Tom\r\n",
        ),
    )
    .await;
    let february = Span::new(local(2027, 2, 1, 0, 0), local(2027, 3, 1, 0, 0));
    let windowed = calendar
        .schedule_in(february, &roster, ZONE)
        .await
        .expect("schedule_in");
    let dana: Vec<Occurrence> = windowed
        .shifts_of("dwhitfield@example.edu", february)
        .into_iter()
        .filter(|o| o.uid == "dana-fri@example.edu")
        .collect();
    assert_eq!(dana.len(), 4, "Dana's Fridays of February 2027: {dana:?}");
    let from_file = Schedule::from_ics(&fixture(), &roster, ZONE).expect("fixture");
    let term_shifts: Vec<Occurrence> = sorted(windowed.occurrences(february))
        .into_iter()
        .filter(|o| o.uid != "dana-fri@example.edu")
        .collect();
    assert_eq!(term_shifts, sorted(from_file.occurrences(february)));

    let all = calendar.objects(None).await.expect("all").len();
    let fetched = calendar
        .objects(Some(february))
        .await
        .expect("window")
        .len();
    eprintln!("figure: {fetched} of {all} objects fetched for February 2027");
    let september = Span::new(local(2026, 9, 10, 0, 0), local(2026, 9, 11, 0, 0));
    let whole = calendar.schedule(&roster, ZONE).await.expect("whole");
    let training = |s: &Schedule| {
        s.occurrences(september)
            .into_iter()
            .filter(|o| o.uid == "training@example.edu")
            .count()
    };
    assert_eq!(training(&whole), 1, "the whole calendar has the one-off");
    assert_eq!(
        training(&windowed),
        0,
        "the September one-off is not fetched for February"
    );
    assert_eq!(
        fetched,
        all - 1,
        "everything but the one-off overlaps February"
    );
}

/// The daemon keeps the schedule for a window around the clock and moves
/// it on as the clock goes, even when nobody edits the calendar: a shift
/// beyond the window's end comes into it in time.
async fn the_daemons_window_moves_on_with_the_clock(server: &Server) {
    let calendar = fresh_calendar(server, "slide").await;
    // A shift on 1 June 2028, 18 months after the test's clock starts.
    other_client_puts(
        server,
        &object_url(calendar.url().as_str(), "far@example.edu"),
        &one_object(
            "far@example.edu",
            "DTSTART:20280601T150000Z\r\nDTEND:20280601T170000Z\r\nSUMMARY:Tom\r\n",
        ),
    )
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let sign_in = match (&server.username, &server.password) {
        (Some(u), Some(p)) => {
            std::fs::write(dir.path().join("caldav-password"), format!("{p}\n")).expect("write");
            format!("\nusername = \"{u}\"\npassword_file = \"caldav-password\"")
        }
        _ => String::new(),
    };
    let text = std::fs::read_to_string(fixture_dir().join("shiftcover.toml"))
        .expect("fixture toml")
        .replace(
            "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
            &format!(
                "[calendar]\nbackend = \"caldav\"\nurl = \"{}\"{sign_in}",
                calendar.url()
            ),
        );
    let config = Config::from_toml(&text, dir.path()).expect("config");
    let far = Span::new(local(2028, 6, 1, 0, 0), local(2028, 6, 2, 0, 0));
    let start = now();
    let mut svc = shiftcover::service::Service::open_live(config, start)
        .await
        .expect("service");
    assert!(
        svc.schedule().occurrences(far).is_empty(),
        "beyond the window when the daemon starts"
    );
    svc.refresh_calendar_when_due(start)
        .await
        .expect("first look");
    let later = start + chrono::TimeDelta::days(200);
    svc.refresh_calendar_when_due(later)
        .await
        .expect("a look months later");
    assert_eq!(
        svc.schedule().occurrences(far).len(),
        1,
        "the window moved on with the clock"
    );
}

/// `calendar.name` picks the calendar by display name from the server's
/// root; a name that matches none is an error naming what was found.
async fn a_calendar_is_chosen_by_its_display_name(server: &Server) {
    let name = unique("Ask Chat by name");
    let path = unique("by-name");
    let made = CaldavCalendar::create(
        &format!("{}{path}/", server.home),
        &name,
        server.username.clone(),
        server.password.clone(),
    )
    .await
    .expect("MKCALENDAR");
    let auth = || HttpAuth::basic(server.username.clone(), server.password.clone());
    let found = CaldavCalendar::connect_named(&server.root, Some(&name), auth())
        .await
        .expect("chosen by name");
    assert_eq!(found.url(), made.url());
    assert_eq!(found.display_name(), Some(name.as_str()));
    let summary = found.check().await.expect("check");
    eprintln!("check: {summary}");
    assert!(
        summary.contains(&name) && summary.contains("chosen by the name"),
        "{summary}"
    );

    let wrong = CaldavCalendar::connect_named(&server.root, Some("No Such Calendar"), auth())
        .await
        .expect_err("no such name");
    assert!(!wrong.transient);
    assert!(
        wrong
            .message
            .contains("no calendar named \"No Such Calendar\"")
            && wrong.message.contains(&name),
        "the error lists what was found: {}",
        wrong.message
    );
    // The calendar's own URL with another name is refused, not ignored.
    let mismatch = CaldavCalendar::connect_named(made.url().as_str(), Some("Other"), auth())
        .await
        .expect_err("the URL's calendar has another name");
    assert!(
        mismatch.message.contains("not \"Other\""),
        "{}",
        mismatch.message
    );
}

// --- Radicale ----------------------------------------------------------------

#[tokio::test]
async fn radicale_poll_sees_another_clients_edit_by_its_own_probe() {
    a_poll_sees_another_clients_edit(or_skip!(radicale(), "Radicale"), None).await;
}

#[tokio::test]
async fn radicale_poll_sees_another_clients_edit_by_sync_token() {
    let server = or_skip!(radicale(), "Radicale");
    a_poll_sees_another_clients_edit(server, Some(ChangeProbe::SyncToken)).await;
}

#[tokio::test]
async fn radicale_poll_sees_another_clients_edit_by_etag_listing() {
    let server = or_skip!(radicale(), "Radicale");
    a_poll_sees_another_clients_edit(server, Some(ChangeProbe::Etags)).await;
}

#[tokio::test]
async fn radicale_window_keeps_series_begun_long_before() {
    the_window_keeps_series_begun_long_before(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_calendar_is_chosen_by_its_display_name() {
    a_calendar_is_chosen_by_its_display_name(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_daemons_window_moves_on_with_the_clock() {
    the_daemons_window_moves_on_with_the_clock(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_schedule_read_back_equals_the_ics_backend() {
    read_back_equals_the_ics_backend(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_coverage_edit_is_the_same_as_in_a_file_and_idempotent() {
    coverage_edit_matches_the_ics_backend(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_concurrent_edit_keeps_the_other_clients_change() {
    concurrent_edit_keeps_both_changes(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_edit_that_always_loses_the_race_gives_up_for_now_and_loses_nothing() {
    let server = or_skip!(radicale(), "Radicale");
    let mut calendar = fresh_calendar(server, "busy").await;
    let roster = roster();
    let series_url = object_url(calendar.url().as_str(), SERIES_UID);
    let hook: BeforeWrite = Arc::new(move |url: reqwest::Url| {
        async move {
            // Someone edits the series before every one of our writes.
            if names_object(&url, SERIES_UID) {
                other_client_adds_note(server, url.as_str()).await;
            }
        }
        .boxed()
    });
    calendar.set_before_write(Some(hook));
    let op = EditOp::Cover(ben_for_angie());
    let err = calendar
        .apply(&op, &roster, ZONE, now())
        .await
        .expect_err("gives up");
    assert!(err.transient, "{err:?}");
    let (series, _) = raw(server, &series_url).await;
    assert!(
        !series.contains("EXDATE"),
        "no write of ours went through: {series}"
    );
    let notes = series.matches("X-OTHER-CLIENT").count();
    assert!(notes >= 2, "{series}");

    // Later, with the other client quiet, the same edit goes through.
    calendar.set_before_write(None);
    assert_eq!(calendar.apply(&op, &roster, ZONE, now()).await, Ok(true));
    let (series, _) = raw(server, &series_url).await;
    assert_eq!(series.matches("X-OTHER-CLIENT").count(), notes);
    assert_eq!(series.matches("EXDATE").count(), 1);
    assert_eq!(objects_with_uid(&calendar, &ben_for_angie().uid).await, 1);
}

#[tokio::test]
async fn radicale_calendar_is_discovered_from_the_server_root() {
    discovered_from_the_root(or_skip!(radicale(), "Radicale")).await;
}

#[tokio::test]
async fn radicale_refusals_are_permanent_and_say_what_the_server_answered() {
    let server = or_skip!(radicale(), "Radicale");
    let wrong =
        CaldavCalendar::connect(&server.home, server.username.clone(), Some("wrong".into()))
            .await
            .expect_err("a wrong password is refused");
    assert!(
        !wrong.transient && wrong.message.contains("401"),
        "{wrong:?}"
    );
    let missing = CaldavCalendar::connect(
        &format!("{}no-such-calendar/", server.home),
        server.username.clone(),
        server.password.clone(),
    )
    .await
    .expect_err("a missing calendar is refused");
    assert!(
        !missing.transient && missing.message.contains("404"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn radicale_down_during_an_edit_is_transient_and_the_retry_completes_it() {
    // This test stops its server, so it runs its own.
    let folder = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let process = or_skip!(start_radicale(folder.path(), port), "Radicale");
    let server: &'static Server = Box::leak(Box::new(own_radicale_server(port)));
    let mut calendar = fresh_calendar(server, "down").await;
    let roster = roster();
    let op = EditOp::Cover(ben_for_angie());

    // The server goes away after the series was read, before it is written.
    let process = Arc::new(Mutex::new(Some(process)));
    let hook: BeforeWrite = {
        let process = process.clone();
        Arc::new(move |url: reqwest::Url| {
            if names_object(&url, SERIES_UID)
                && let Some(p) = process.lock().ok().and_then(|mut p| p.take())
            {
                p.stop(port);
            }
            async {}.boxed()
        })
    };
    calendar.set_before_write(Some(hook));
    let err = calendar
        .apply(&op, &roster, ZONE, now())
        .await
        .expect_err("the server is down");
    assert!(err.transient, "a server down is worth retrying: {err:?}");
    calendar.set_before_write(None);

    // Still down: the next try fails the same way and harms nothing.
    let again = calendar
        .apply(&op, &roster, ZONE, now())
        .await
        .expect_err("still down");
    assert!(again.transient, "{again:?}");

    let _back = start_radicale(folder.path(), port).expect("Radicale starts again");
    assert_eq!(calendar.apply(&op, &roster, ZONE, now()).await, Ok(true));
    assert_eq!(calendar.apply(&op, &roster, ZONE, now()).await, Ok(false));
    assert_eq!(objects_with_uid(&calendar, &ben_for_angie().uid).await, 1);
    let (series, _) = raw(server, &object_url(calendar.url().as_str(), SERIES_UID)).await;
    assert_eq!(series.matches("EXDATE").count(), 1, "{series}");
}

// --- Xandikos: the same client on another server ----------------------------

#[tokio::test]
async fn xandikos_poll_sees_another_clients_edit_by_its_own_probe() {
    a_poll_sees_another_clients_edit(or_skip!(xandikos(), "Xandikos"), None).await;
}

#[tokio::test]
async fn xandikos_poll_sees_another_clients_edit_by_sync_token() {
    let server = or_skip!(xandikos(), "Xandikos");
    a_poll_sees_another_clients_edit(server, Some(ChangeProbe::SyncToken)).await;
}

#[tokio::test]
async fn xandikos_poll_sees_another_clients_edit_by_etag_listing() {
    let server = or_skip!(xandikos(), "Xandikos");
    a_poll_sees_another_clients_edit(server, Some(ChangeProbe::Etags)).await;
}

#[tokio::test]
async fn xandikos_window_keeps_series_begun_long_before() {
    the_window_keeps_series_begun_long_before(or_skip!(xandikos(), "Xandikos")).await;
}

#[tokio::test]
async fn xandikos_calendar_is_chosen_by_its_display_name() {
    a_calendar_is_chosen_by_its_display_name(or_skip!(xandikos(), "Xandikos")).await;
}

#[tokio::test]
async fn xandikos_daemons_window_moves_on_with_the_clock() {
    the_daemons_window_moves_on_with_the_clock(or_skip!(xandikos(), "Xandikos")).await;
}

#[tokio::test]
async fn xandikos_schedule_read_back_equals_the_ics_backend() {
    read_back_equals_the_ics_backend(or_skip!(xandikos(), "Xandikos")).await;
}

#[tokio::test]
async fn xandikos_coverage_edit_is_the_same_as_in_a_file_and_idempotent() {
    coverage_edit_matches_the_ics_backend(or_skip!(xandikos(), "Xandikos")).await;
}

#[tokio::test]
async fn xandikos_calendar_is_discovered_from_the_server_root() {
    discovered_from_the_root(or_skip!(xandikos(), "Xandikos")).await;
}

#[tokio::test]
async fn xandikos_concurrent_edit_keeps_the_other_clients_change() {
    concurrent_edit_keeps_both_changes(or_skip!(xandikos(), "Xandikos")).await;
}
