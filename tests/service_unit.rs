//! shiftcover as a systemd service: the unit file (verified by
//! `systemd-analyze` where it is installed, with its exposure score), the
//! daemon's sd_notify conversation (READY, STATUS, WATCHDOG, RELOADING,
//! STOPPING) on a notify socket of the test's own against the test mail
//! servers, its /metrics endpoint, and a database newer than the binary.
//!
//! The daemon tests need tests/servers/start.sh's Dovecot; without it they
//! print why and pass, and with SHIFTCOVER_REQUIRE_SERVERS=1 they fail. They
//! only read the program's mailbox and send their mail to a Maildir, so they
//! disturb no other test using the servers.

#[path = "support/mail_servers.rs"]
mod mail_servers;

use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_servers::{ListMail, Policy, binary, md, servers, upcoming, write_config};

const UNIT: &str = include_str!("../systemd/shiftcover.service");

/// The unit's value for `key` (the last one, as systemd reads it).
fn unit_values(key: &str) -> Vec<String> {
    UNIT.lines()
        .filter_map(|l| l.strip_prefix(&format!("{key}=")))
        .map(|v| v.trim().to_string())
        .collect()
}

#[test]
fn the_unit_is_a_notify_service_with_a_watchdog_and_no_account_of_its_own() {
    assert_eq!(unit_values("Type"), ["notify"]);
    assert_eq!(unit_values("NotifyAccess"), ["main"]);
    assert_eq!(unit_values("Restart"), ["on-failure"]);
    // A config that does not load exits with EX_CONFIG, which is not
    // restarted.
    assert_eq!(unit_values("RestartPreventExitStatus"), ["78"]);
    assert_eq!(unit_values("DynamicUser"), ["yes"]);
    assert_eq!(unit_values("StateDirectory"), ["shiftcover"]);
    assert_eq!(
        unit_values("ExecStart"),
        ["/usr/bin/shiftcover run --config /etc/shiftcover/shiftcover.toml"]
    );
    let watchdog = unit_values("WatchdogSec");
    assert_eq!(watchdog.len(), 1);
    assert!(humantime::parse_duration(&watchdog[0]).is_ok());
    // The passwords come as credentials, under the names the packaged
    // config's password_file keys use.
    let creds = unit_values("LoadCredential");
    for name in ["imap-password", "smtp-password", "caldav-password"] {
        assert!(
            creds
                .iter()
                .any(|c| *c == format!("{name}:/etc/shiftcover/{name}")),
            "no LoadCredential for {name}: {creds:?}"
        );
    }
    assert_eq!(unit_values("CapabilityBoundingSet"), [""]);
    assert_eq!(unit_values("ProtectSystem"), ["strict"]);
}

/// A copy of the unit that `systemd-analyze` can check on a machine where
/// shiftcover is not installed: ExecStart names the binary under test and
/// the man page reference (checked by running `man`) is dropped.
fn checkable_unit(dir: &Path) -> PathBuf {
    let text: String = UNIT
        .lines()
        .filter(|l| !l.starts_with("Documentation="))
        .map(|l| l.replace("/usr/bin/shiftcover", &binary().display().to_string()))
        .collect::<Vec<_>>()
        .join("\n");
    let path = dir.join("shiftcover.service");
    std::fs::write(&path, text + "\n").expect("write the unit copy");
    path
}

fn systemd_analyze() -> Option<PathBuf> {
    ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn systemd_analyze_verifies_the_unit_and_scores_its_exposure_below_2() {
    let Some(analyze) = systemd_analyze() else {
        eprintln!("skipping: systemd-analyze is not installed");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = checkable_unit(dir.path());
    let verify = Command::new(&analyze)
        .arg("verify")
        .arg(&unit)
        .output()
        .expect("run systemd-analyze verify");
    assert!(
        verify.status.success() && verify.stderr.is_empty(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    let security = Command::new(&analyze)
        .args(["security", "--offline=yes", "--no-pager"])
        .arg(&unit)
        .output()
        .expect("run systemd-analyze security");
    let text = String::from_utf8_lossy(&security.stdout);
    let score = text
        .lines()
        .find_map(|l| l.split("exposure level for shiftcover.service:").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no exposure score in:\n{text}"));
    println!("systemd-analyze security: exposure {score}");
    assert!(score < 2.0, "exposure {score}:\n{text}");
}

// ---------------------------------------------------------------------------
// The daemon under a notify socket.

/// A notify socket as systemd would hold it, collecting what the daemon says.
struct NotifySocket {
    sock: UnixDatagram,
    path: PathBuf,
    /// Every datagram so far, with when it arrived.
    heard: Vec<(Instant, String)>,
}

impl NotifySocket {
    fn bind(dir: &Path) -> NotifySocket {
        let path = dir.join("notify.sock");
        let sock = UnixDatagram::bind(&path).expect("bind the notify socket");
        sock.set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        NotifySocket {
            sock,
            path,
            heard: Vec::new(),
        }
    }

    /// Listens until `want` holds for what was heard or `limit` passes;
    /// returns whether it held. Panics when the daemon exits meanwhile.
    fn until(
        &mut self,
        daemon: &mut Child,
        log: &Path,
        limit: Duration,
        want: impl Fn(&[(Instant, String)]) -> bool,
    ) -> bool {
        let end = Instant::now() + limit;
        let mut buf = vec![0u8; 4096];
        loop {
            if want(&self.heard) {
                return true;
            }
            if Instant::now() >= end {
                return false;
            }
            if let Ok(n) = self.sock.recv(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                for line in text.lines() {
                    self.heard.push((Instant::now(), line.to_string()));
                }
            }
            if let Ok(Some(status)) = daemon.try_wait() {
                panic!(
                    "the daemon exited ({status}); it said {:?}; its log:\n{}",
                    self.heard.iter().map(|h| &h.1).collect::<Vec<_>>(),
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
        }
    }

    fn index_of(&self, line: &str) -> Option<usize> {
        self.heard.iter().position(|h| h.1 == line)
    }
}

fn count(heard: &[(Instant, String)], line: &str) -> usize {
    heard.iter().filter(|h| h.1 == line).count()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// GET `path` over plain HTTP/1.1; the whole answer.
fn http_get(port: u16, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect to /metrics");
    s.set_read_timeout(Some(Duration::from_secs(5))).ok();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .expect("send the request");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read the answer");
    out
}

/// The config the e2e tests use, with the outbox turned into a Maildir (so
/// nothing reaches staff inboxes) and /metrics on `metrics_port`.
fn daemon_config(dir: &Path, s: &mail_servers::Servers, metrics_port: u16) -> PathBuf {
    let path = write_config(dir, s, &Policy::slow());
    let text = std::fs::read_to_string(&path).expect("config");
    let (head, rest) = text.split_once("[outbox]").expect("an [outbox] section");
    let (_, tail) = rest.split_once("[database]").expect("a [database] section");
    let head = head.replace("folder = \"INBOX\"", &format!("folder = \"{FOLDER}\""));
    let text = format!(
        "{head}[outbox]\nbackend = \"maildir\"\npath = \"outbox\"\n\n[database]{tail}\n[metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n"
    );
    std::fs::write(&path, text).expect("write config");
    path
}

/// The folder the daemon tests watch: the program's own, which no list mail
/// reaches, so what the daemon reads there is only what the test put in.
const FOLDER: &str = "ServiceUnitTest";

/// Empties (creating it if need be) the test's folder in the program's
/// mailbox and appends `messages` to it.
async fn fill_folder(s: &mail_servers::Servers, messages: &[Vec<u8>]) {
    use futures::TryStreamExt as _;
    let mut session = s.raw_session(mail_servers::PROGRAM).await;
    // Already there from an earlier run: fine.
    let _ = session.create(FOLDER).await;
    let mbox = session
        .select(FOLDER)
        .await
        .expect("select the test folder");
    if mbox.exists > 0 {
        let _: Vec<_> = session
            .store("1:*", "+FLAGS.SILENT (\\Deleted)")
            .await
            .expect("store")
            .try_collect()
            .await
            .expect("store");
        let _: Vec<_> = session
            .expunge()
            .await
            .expect("expunge")
            .try_collect()
            .await
            .expect("expunge");
    }
    for raw in messages {
        session
            .append(FOLDER, None, None, raw)
            .await
            .expect("append to the test folder");
    }
    let _ = session.logout().await;
}

/// Mei asks for her Tuesday shift two weeks out to be covered.
fn request_from_mei() -> ListMail {
    let day = upcoming(chrono::Weekday::Tue, 14);
    ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Chat coverage Tues {}?", md(day)),
        &format!(
            "Hi all,\n\nCould someone cover my Tuesday {} chat shift?\n\nThanks,\nMei",
            md(day)
        ),
    )
}

fn send_signal(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "kill -{signal} failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_notify_socket_the_daemon_says_ready_after_its_first_sync_then_status_and_watchdog()
{
    let Some(s) = servers() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let metrics_port = free_port();
    let config = daemon_config(dir.path(), &s, metrics_port);
    let request = request_from_mei();
    fill_folder(&s, &[request.render()]).await;

    let mut notify = NotifySocket::bind(dir.path());
    let log = dir.path().join("daemon.log");
    let out = std::fs::File::create(&log).expect("log");
    let err = out.try_clone().expect("log");
    let mut daemon = Command::new(binary())
        .args(["run", "--config"])
        .arg(&config)
        .env("NOTIFY_SOCKET", &notify.path)
        .env("WATCHDOG_USEC", "2000000")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start shiftcover run");
    let mut guard = KillOnDrop(Some(&mut daemon));
    let daemon = guard.child();

    assert!(
        notify.until(daemon, &log, Duration::from_secs(30), |h| count(
            h, "READY=1"
        ) == 1),
        "no READY=1 within 30 s; heard {:?}",
        notify.heard
    );
    let ready_at = notify.index_of("READY=1").unwrap_or(0);
    // READY comes after the first sync: the mailbox state is stored by now.
    let store = shiftcover::store::Store::open(&format!(
        "sqlite://{}",
        dir.path().join("state.db").display()
    ))
    .await
    .expect("open the daemon's database");
    let synced = store.mailbox_state(FOLDER).await.expect("read");
    assert!(synced.is_some(), "READY=1 before the mailbox was synced");
    assert!(
        store.is_processed(&request.message_id).await.expect("read"),
        "READY=1 before the mail waiting in the folder was handled"
    );
    // Before READY it said it was starting, never that it was watching.
    let before: Vec<&String> = notify.heard[..ready_at].iter().map(|h| &h.1).collect();
    assert!(
        before.iter().any(|l| l.starts_with("STATUS=starting")),
        "{before:?}"
    );
    assert!(
        !before.iter().any(|l| l.starts_with("STATUS=watching")),
        "{before:?}"
    );

    // With a 2 s watchdog the loop pings at least once a second.
    let after_ready = |h: &[(Instant, String)]| count(&h[ready_at..], "WATCHDOG=1") >= 4;
    assert!(
        notify.until(daemon, &log, Duration::from_secs(6), after_ready),
        "WATCHDOG=1 did not keep coming: {:?}",
        notify.heard
    );
    let pings: Vec<Instant> = notify.heard[ready_at..]
        .iter()
        .filter(|h| h.1 == "WATCHDOG=1")
        .map(|h| h.0)
        .collect();
    let widest = pings.windows(2).map(|p| p[1] - p[0]).max();
    eprintln!("figure: widest gap between watchdog pings {widest:?} (watchdog 2 s)");

    // The status line reads as a sentence and counts the seeded request.
    let status = notify
        .heard
        .iter()
        .rev()
        .find_map(|h| h.1.strip_prefix("STATUS="))
        .unwrap_or("")
        .to_string();
    let re = regex::Regex::new(&format!(
        r"^watching {FOLDER}; 1 open request; next deadline (Mon|Tue|Wed|Thu|Fri|Sat|Sun) "
    ))
    .expect("regex");
    assert!(re.is_match(&status), "STATUS={status}");

    // /metrics answers while it runs, with the seeded request and its ack.
    let metrics = http_get(metrics_port, "/metrics");
    assert!(metrics.starts_with("HTTP/1.1 200 OK"), "{metrics}");
    let value = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in\n{metrics}"))
    };
    assert_eq!(
        value("shiftcover_messages_handled_total{kind=\"coverage_request\"}"),
        1.0
    );
    assert_eq!(value("shiftcover_mail_sent_total{kind=\"ack\"}"), 1.0);
    assert_eq!(value("shiftcover_open_requests"), 1.0);
    assert_eq!(value("shiftcover_imap_reconnects_total"), 0.0);
    assert!(value("shiftcover_sync_age_seconds") < 60.0);
    assert!(value("shiftcover_outbox_mail{state=\"failed\"}") == 0.0);
    assert!(http_get(metrics_port, "/").starts_with("HTTP/1.1 404 "));

    // `shiftcover status` reads the same database while the daemon runs.
    let status = Command::new(binary())
        .args(["status", "--config"])
        .arg(&config)
        .output()
        .expect("run status");
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&status.stderr)
    );
    for line in [
        "Open requests: 1",
        "  mchen@example.edu (coverage): ",
        "Outbox, waiting: 0",
        "Outbox, failed: 0",
        "Calendar edits, failed: 0",
        &format!("Mailbox {FOLDER}: last sync "),
    ] {
        assert!(
            said.lines().any(|l| l.starts_with(line)),
            "no {line:?} in:\n{said}"
        );
    }
    assert!(said.contains("; next: second call "), "{said}");

    // SIGHUP: RELOADING=1, then READY=1 again once re-synced.
    send_signal(daemon, "HUP");
    assert!(
        notify.until(daemon, &log, Duration::from_secs(20), |h| {
            h.iter()
                .position(|x| x.1 == "RELOADING=1")
                .is_some_and(|r| count(&h[r..], "READY=1") == 1)
        }),
        "no RELOADING=1 then READY=1 after SIGHUP: {:?}",
        notify.heard
    );
    // The metrics endpoint is back on the same address after the reload.
    let again = http_get(metrics_port, "/metrics");
    assert!(again.starts_with("HTTP/1.1 200 OK"), "{again}");

    // SIGTERM: STOPPING=1 and a clean exit.
    send_signal(daemon, "TERM");
    let end = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Ok(Some(st)) = daemon.try_wait() {
            break Some(st);
        }
        if Instant::now() > end {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut buf = [0u8; 512];
    while let Ok(n) = notify.sock.recv(&mut buf) {
        notify.heard.push((
            Instant::now(),
            String::from_utf8_lossy(&buf[..n]).into_owned(),
        ));
    }
    assert!(
        status.is_some_and(|s| s.success()),
        "no clean exit after SIGTERM: {status:?}"
    );
    assert_eq!(count(&notify.heard, "STOPPING=1"), 1, "{:?}", notify.heard);
}

/// Kills the daemon if the test ends early.
struct KillOnDrop<'a>(Option<&'a mut Child>);

impl KillOnDrop<'_> {
    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("the daemon")
    }
}

impl Drop for KillOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

// ---------------------------------------------------------------------------
// A database from a newer shiftcover.

const SMALL_CONFIG: &str = r#"timezone = "America/New_York"
[list]
address = "ask-chat@example.edu"
sender = "Ask Chat Coverage <coverage@example.edu>"
[coordinator]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
[[staff]]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
[calendar]
backend = "ics"
path = "schedule.ics"
[mailbox]
backend = "imap"
host = "127.0.0.1"
port = 9
tls = "none"
username = "coverage@example.edu"
password_file = "imap-password"
[outbox]
backend = "maildir"
path = "outbox"
[database]
url = "sqlite://state.db"
"#;

const EMPTY_CALENDAR: &str =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//shiftcover tests//EN\r\nEND:VCALENDAR\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_a_newer_version_stops_run_and_status_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shiftcover.toml");
    std::fs::write(&config, SMALL_CONFIG).expect("config");
    std::fs::write(dir.path().join("schedule.ics"), EMPTY_CALENDAR).expect("calendar");
    std::fs::write(dir.path().join("imap-password"), "secret\n").expect("password");
    let db = dir.path().join("state.db");
    let url = format!("sqlite://{}", db.display());
    // A database of today's schema, then marked as written by a later one.
    let store = shiftcover::store::Store::open(&url).await.expect("create");
    store.close().await;
    let newer = shiftcover::store::SCHEMA_VERSION + 1;
    {
        use sqlx::Connection as _;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open");
        sqlx::query("INSERT INTO schema_version (version) VALUES (?)")
            .bind(newer)
            .execute(&mut conn)
            .await
            .expect("mark newer");
        conn.close().await.expect("close");
    }

    let sock_dir = tempfile::tempdir().expect("tempdir");
    let sock = UnixDatagram::bind(sock_dir.path().join("n.sock")).expect("bind");
    sock.set_read_timeout(Some(Duration::from_secs(5))).ok();
    // Before the daemon ever ran, status says so instead of making a
    // database.
    let fresh = tempfile::tempdir().expect("tempdir");
    let fresh_config = fresh.path().join("shiftcover.toml");
    std::fs::write(&fresh_config, SMALL_CONFIG).expect("config");
    std::fs::write(fresh.path().join("schedule.ics"), EMPTY_CALENDAR).expect("calendar");
    let out = Command::new(binary())
        .args(["status", "--config"])
        .arg(&fresh_config)
        .output()
        .expect("run status");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the daemon has not run"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!fresh.path().join("state.db").exists());

    for command in ["run", "status"] {
        let out = Command::new(binary())
            .args([command, "--config"])
            .arg(&config)
            .env("NOTIFY_SOCKET", sock_dir.path().join("n.sock"))
            .stdin(Stdio::null())
            .output()
            .expect("run shiftcover");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{command} accepted a newer database");
        assert!(
            stderr.contains("newer shiftcover")
                && stderr.contains(&format!("schema {newer}"))
                && stderr.contains(&db.display().to_string()),
            "{command} said: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    // The service's status line says why it stopped.
    let mut heard = Vec::new();
    let mut buf = [0u8; 1024];
    while let Ok(n) = sock.recv(&mut buf) {
        heard.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        sock.set_read_timeout(Some(Duration::from_millis(200))).ok();
    }
    assert!(
        heard
            .iter()
            .any(|l| l.starts_with("STATUS=stopped:") && l.contains("newer shiftcover")),
        "{heard:?}"
    );
    assert!(!heard.iter().any(|l| l == "READY=1"), "{heard:?}");
    // Nothing was changed: the database still says the newer version.
    let mut conn = {
        use sqlx::Connection as _;
        sqlx::SqliteConnection::connect(&url).await.expect("open")
    };
    let top: i64 = sqlx::query_scalar("SELECT MAX(version) FROM schema_version")
        .fetch_one(&mut conn)
        .await
        .expect("read");
    assert_eq!(top, newer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_of_the_first_schema_is_upgraded_on_start_and_keeps_its_requests() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("shiftcover.toml");
    std::fs::write(&config, SMALL_CONFIG).expect("config");
    std::fs::write(dir.path().join("schedule.ics"), EMPTY_CALENDAR).expect("calendar");
    let url = format!("sqlite://{}", dir.path().join("state.db").display());
    {
        // What the first release left behind: schema 1, an open sick notice.
        use sqlx::Connection as _;
        let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc"))
            .await
            .expect("create");
        sqlx::raw_sql(include_str!("../migrations/sqlite/0001_initial.sql"))
            .execute(&mut conn)
            .await
            .expect("schema 1");
        sqlx::raw_sql(
            "INSERT INTO schema_version (version) VALUES (1);
             INSERT INTO processed_messages (message_id, from_addr, kind, reading, handled_at)
               VALUES ('<old@x>', 'ccrummett@example.edu', 'sick', '{}', '2030-12-02T08:00:00.000000000Z');
             INSERT INTO requests (id, kind, requester, owner, subject, requested_at, state,
               own_second_call, suggested_for)
               VALUES ('<old@x>', 'sick', 'ccrummett@example.edu', 'ccrummett@example.edu', 'Sick today',
                       '2030-12-02T08:00:00.000000000Z', 'open', 0, '[]');
             INSERT INTO request_shifts (request_id, idx, start_at, end_at)
               VALUES ('<old@x>', 0, '2030-12-02T15:00:00.000000000Z', '2030-12-02T17:00:00.000000000Z');",
        )
        .execute(&mut conn)
        .await
        .expect("data");
        conn.close().await.expect("close");
    }
    let out = Command::new(binary())
        .args(["status", "--config"])
        .arg(&config)
        .output()
        .expect("run status");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("Open requests: 1"), "{said}");
    assert!(said.contains("ccrummett@example.edu (sick)"), "{said}");
    let store = shiftcover::store::Store::open(&url).await.expect("open");
    assert_eq!(
        store.schema_version().await.expect("version"),
        shiftcover::store::SCHEMA_VERSION
    );
}

// ---------------------------------------------------------------------------
// The database's mode, and a refused login.

/// A config on tests/messages' roster and calendar whose mailbox is IMAP on
/// `imap_port` with `password` in its password file, the outbox a Maildir.
fn imap_config(dir: &Path, imap_port: u16, password: &str) -> PathBuf {
    let messages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let text = std::fs::read_to_string(messages.join("shiftcover.toml")).expect("config");
    let text = text.replace(
        "[mailbox]\nbackend = \"maildir\"\npath = \"inbox\"",
        &format!(
            "[mailbox]\nbackend = \"imap\"\nhost = \"127.0.0.1\"\nport = {imap_port}\ntls = \"none\"\nusername = \"coverage@example.edu\"\npassword_file = \"imap-password\"\nfolder = \"INBOX\""
        ),
    );
    assert!(
        text.contains("backend = \"imap\""),
        "the config's [mailbox] moved"
    );
    std::fs::copy(messages.join("schedule.ics"), dir.join("schedule.ics")).expect("calendar");
    std::fs::write(dir.join("imap-password"), format!("{password}\n")).expect("password");
    let path = dir.join("shiftcover.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

/// `shiftcover run` under `umask`, its output in `log`.
fn run_under_umask(config: &Path, umask: &str, log: &Path) -> Child {
    let out = std::fs::File::create(log).expect("log");
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" run --config \"$1\""))
        .arg(binary())
        .arg(config)
        .env("RUST_LOG", "info")
        .env_remove("NOTIFY_SOCKET")
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("start shiftcover run")
}

fn stop(mut child: Child) {
    send_signal(&child, "TERM");
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_database_and_its_wal_files_are_readable_by_their_owner_alone_under_any_umask() {
    use std::os::unix::fs::PermissionsExt as _;
    for umask in ["022", "002", "077"] {
        let dir = tempfile::tempdir().expect("tempdir");
        // Nothing listens there: the daemon opens its database, then keeps
        // trying the mailbox, holding the database open in WAL mode.
        let config = imap_config(dir.path(), free_port(), "secret");
        let log = dir.path().join("daemon.log");
        let child = run_under_umask(&config, umask, &log);
        let files = ["state.db", "state.db-wal", "state.db-shm"].map(|f| dir.path().join(f));
        let until = Instant::now() + Duration::from_secs(60);
        while !files.iter().all(|f| f.exists()) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
        }
        let modes: Vec<(String, u32)> = files
            .iter()
            .map(|f| {
                let mode = std::fs::metadata(f)
                    .map(|m| m.permissions().mode() & 0o777)
                    .unwrap_or_else(|e| {
                        panic!(
                            "{}: {e}; the daemon's log:\n{}",
                            f.display(),
                            std::fs::read_to_string(&log).unwrap_or_default()
                        )
                    });
                (f.file_name().unwrap().to_string_lossy().into_owned(), mode)
            })
            .collect();
        stop(child);
        for (name, mode) in &modes {
            assert_eq!(*mode, 0o600, "umask {umask}: {name} is {mode:o}");
        }
    }
}

#[test]
fn a_refused_login_is_said_to_need_a_person_and_is_not_retried_until_a_reload() {
    let Some(s) = servers() else { return };
    let _guard = mail_servers::lock_blocking();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = imap_config(dir.path(), s.imap_port, "not-the-password");
    let log = dir.path().join("daemon.log");
    let mut child = run_under_umask(&config, "077", &log);
    let text = || std::fs::read_to_string(&log).unwrap_or_default();
    let refusals = |t: &str| t.matches("needs a person").count();
    let until = Instant::now() + Duration::from_secs(60);
    while refusals(&text()) == 0 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(refusals(&text()), 1, "never said; its log:\n{}", text());
    // The usual backoff would have tried again after 1, 2 and 4 s.
    let watched = Instant::now();
    std::thread::sleep(Duration::from_secs(10));
    if let Ok(Some(status)) = child.try_wait() {
        panic!("the daemon exited ({status}); its log:\n{}", text());
    }
    let attempts = refusals(&text());
    eprintln!(
        "figure: {attempts} login attempt(s) in {:.1} s after a refusal",
        watched.elapsed().as_secs_f64()
    );
    assert_eq!(attempts, 1, "it kept trying; its log:\n{}", text());
    // The person fixes the password and reloads: it logs in at once.
    std::fs::write(
        dir.path().join("imap-password"),
        format!("{}\n", s.password),
    )
    .expect("password");
    send_signal(&child, "HUP");
    let until = Instant::now() + Duration::from_secs(60);
    while !text().contains("mailbox connected") && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    let connected = text().contains("mailbox connected");
    stop(child);
    assert!(connected, "no login after the reload; its log:\n{}", text());
}
