//! The daemon's reading process (src/reader_process): real child processes
//! of the built binary, real pipes. Readings through it equal readings in
//! the process; a worker that cannot start or talks garbage leaves reading
//! to the daemon; a worker leaves after lingering. With the `test-hooks`
//! feature (tests/run.sh runs this file with it), a message can hang or
//! kill its worker: the worker is killed or replaced, and no message is
//! lost.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shiftcover::config::Config;
#[cfg(feature = "test-hooks")]
use shiftcover::model::Kind;
use shiftcover::model::Reading;
use shiftcover::reader_process::{ReaderProcess, in_process};
use shiftcover::schedule::Schedule;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/messages")
}

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shiftcover"))
}

/// The corpus's config and schedule, loaded as the daemon loads them.
fn context() -> (Arc<Config>, Arc<Schedule>) {
    let config = Config::load(&corpus_dir().join("shiftcover.toml")).expect("the corpus config");
    let ics = std::fs::read_to_string(corpus_dir().join("schedule.ics")).expect("schedule.ics");
    let schedule =
        Schedule::from_ics(&ics, &config.roster, config.timezone).expect("the schedule parses");
    (Arc::new(config), Arc::new(schedule))
}

/// Every message of the corpus, in name order.
fn corpus() -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn alive(pid: u32) -> bool {
    // A reaped process has no /proc entry; a zombie would still have one.
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Waits (at most a generous minute) for `pid` to be gone.
fn wait_gone(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(90);
    while Instant::now() < until {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn assert_same(got: &[Reading], want: &[Reading]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "message {i} ({}) read differently", w.message_id);
    }
}

#[test]
fn readings_through_the_worker_equal_readings_in_the_process_over_the_corpus() {
    let (config, schedule) = context();
    let raws = corpus();
    let want = in_process(&config, &schedule, raws.clone());
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(300));
    let started = Instant::now();
    let got = reader.read_all(&config, &schedule, &raws);
    eprintln!(
        "figure: {} messages through the reading process (debug build) in {:?}",
        raws.len(),
        started.elapsed()
    );
    assert_same(&got, &want);
    assert!(reader.worker_pid().is_some(), "the worker lingers");
    assert_eq!(reader.workers_started(), 1);
    // A second batch goes to the same worker, which was sent the config
    // and schedule once.
    let again = reader.read_all(&config, &schedule, &raws[..10]);
    assert_same(&again, &want[..10]);
    assert_eq!(reader.workers_started(), 1);
}

#[test]
fn a_changed_schedule_reaches_the_worker() {
    let (config, schedule) = context();
    let raws = corpus();
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(300));
    let with_schedule = reader.read_all(&config, &schedule, &raws);
    // The same desk with no shifts at all: the readings that found shifts
    // in the schedule now find none.
    let empty = Arc::new(
        Schedule::from_ics(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            &config.roster,
            config.timezone,
        )
        .unwrap(),
    );
    let without = reader.read_all(&config, &empty, &raws);
    assert_same(&without, &in_process(&config, &empty, raws.clone()));
    assert_ne!(with_schedule, without, "the schedule changes some reading");
    assert_eq!(reader.workers_started(), 1);
}

#[test]
fn a_worker_that_cannot_be_started_leaves_reading_to_the_daemon() {
    let (config, schedule) = context();
    let raws: Vec<Vec<u8>> = corpus().into_iter().take(50).collect();
    let want = in_process(&config, &schedule, raws.clone());
    let reader = ReaderProcess::new(
        PathBuf::from("/nonexistent/shiftcover"),
        Duration::from_secs(60),
        Duration::from_secs(300),
    );
    assert_same(&reader.read_all(&config, &schedule, &raws), &want);
    assert!(reader.worker_pid().is_none());
}

#[test]
fn garbage_on_the_pipe_is_an_error_and_the_daemon_reads_instead() {
    let (config, schedule) = context();
    let raws: Vec<Vec<u8>> = corpus().into_iter().take(50).collect();
    let want = in_process(&config, &schedule, raws.clone());
    // `echo read-worker` answers a line of text: no frame at all.
    let reader = ReaderProcess::new(
        PathBuf::from("/bin/echo"),
        Duration::from_secs(60),
        Duration::from_secs(300),
    );
    assert_same(&reader.read_all(&config, &schedule, &raws), &want);
    assert!(reader.worker_pid().is_none());
}

#[test]
fn the_worker_leaves_after_lingering_and_the_next_message_starts_a_new_one() {
    let (config, schedule) = context();
    let raws = corpus();
    let reader = ReaderProcess::new(exe(), Duration::from_millis(500), Duration::from_secs(300));
    let cold = Instant::now();
    let first = reader.read_all(&config, &schedule, &raws[..1]);
    let cold = cold.elapsed();
    let warm = Instant::now();
    reader.read_all(&config, &schedule, &raws[..1]);
    eprintln!(
        "figure: one message through a fresh reading process: {cold:?}; the same again, the process warm: {:?}",
        warm.elapsed()
    );
    let pid = reader
        .worker_pid()
        .expect("a worker read the first message");
    assert!(wait_gone(pid), "the worker {pid} is still there");
    assert!(reader.worker_pid().is_none());
    let second = reader.read_all(&config, &schedule, &raws[1..2]);
    let next = reader
        .worker_pid()
        .expect("a new worker read the second message");
    assert_ne!(next, pid);
    assert_eq!(reader.workers_started(), 2);
    assert_same(
        &[first, second].concat(),
        &in_process(&config, &schedule, raws[..2].to_vec()),
    );
}

#[test]
fn asked_to_retire_when_idle_the_worker_leaves_at_once() {
    let (config, schedule) = context();
    let raws = corpus();
    let reader = ReaderProcess::new(exe(), Duration::from_secs(3600), Duration::from_secs(300));
    reader.read_all(&config, &schedule, &raws[..3]);
    let pid = reader.worker_pid().expect("a worker");
    reader.retire_when_idle();
    assert!(wait_gone(pid), "the worker {pid} did not leave");
}

/// A message that makes the worker hang or die (only with `test-hooks`).
#[cfg(feature = "test-hooks")]
fn faulty(id: &str, fault: &str) -> Vec<u8> {
    format!(
        "From: Angie Lopez <alopez@example.edu>\r\nTo: chat-staff@example.edu\r\nMessage-ID: <{id}@example.edu>\r\nSubject: {fault}\r\nX-Shiftcover-Test-Read: {fault}\r\nDate: Mon, 30 Nov 2026 09:00:00 -0500\r\n\r\nCan someone cover my Monday 12/7 shift?\r\n"
    )
    .into_bytes()
}

#[cfg(feature = "test-hooks")]
#[test]
fn a_hung_read_kills_the_worker_and_the_rest_are_read() {
    let (config, schedule) = context();
    let mut raws: Vec<Vec<u8>> = corpus().into_iter().take(200).collect();
    raws.insert(17, faulty("hangs", "hang"));
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(20));
    let watching = {
        let reader = reader.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(120);
            while Instant::now() < until {
                if let Some(pid) = reader.running_pid() {
                    return Some(pid);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            None
        })
    };
    let got = reader.read_all(&config, &schedule, &raws);
    let hung_worker = watching.join().unwrap().expect("a worker ran");
    let hung = &got[17];
    assert_eq!(hung.kind, Kind::Other);
    assert_eq!(hung.message_id, "<hangs@example.edu>");
    assert!(
        hung.diagnostics[0].starts_with("unreadable: not read within"),
        "{:?}",
        hung.diagnostics
    );
    let mut rest = got.clone();
    rest.remove(17);
    raws.remove(17);
    let rest_raws = raws;
    assert_same(&rest, &in_process(&config, &schedule, rest_raws.clone()));
    // The hung worker was killed: no thread is left spinning on the
    // message. (Its other threads read the rest meanwhile; a batch with
    // more left would go to a fresh worker.)
    assert!(
        !alive(hung_worker),
        "the hung worker {hung_worker} lives on"
    );
    assert_eq!(reader.worker_pid(), None);
    let more = reader.read_all(&config, &schedule, &rest_raws[..3]);
    assert_same(
        &more,
        &in_process(&config, &schedule, rest_raws[..3].to_vec()),
    );
    assert_eq!(reader.workers_started(), 2);
}

#[cfg(feature = "test-hooks")]
#[test]
fn a_message_that_kills_its_worker_twice_is_unreadable_and_nothing_else_is_lost() {
    let (config, schedule) = context();
    let mut raws: Vec<Vec<u8>> = corpus().into_iter().take(300).collect();
    raws.insert(250, faulty("dies", "die"));
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(300));
    let got = reader.read_all(&config, &schedule, &raws);
    let killer = &got[250];
    assert_eq!(killer.kind, Kind::Other);
    assert!(
        killer.diagnostics[0].contains("died twice"),
        "{:?}",
        killer.diagnostics
    );
    let mut rest = got.clone();
    rest.remove(250);
    raws.remove(250);
    assert_same(&rest, &in_process(&config, &schedule, raws.clone()));
    // The first worker, one that read the message alone and died, and one
    // for the rest.
    assert_eq!(reader.workers_started(), 3);
    // The next batch is read as usual.
    assert_same(
        &reader.read_all(&config, &schedule, &raws[..5]),
        &in_process(&config, &schedule, raws[..5].to_vec()),
    );
}

/// SIGKILL from outside, as the OOM killer sends, while a long batch is
/// read: the messages the worker had under way are read again by a fresh
/// one, and every message is read as in the process.
#[test]
fn a_killed_worker_loses_no_message() {
    let (config, schedule) = context();
    let one = corpus();
    let raws: Vec<Vec<u8>> = [one.clone(), one.clone(), one].concat();
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(600));
    let killer = {
        let reader = reader.clone();
        std::thread::spawn(move || {
            let until = Instant::now() + Duration::from_secs(120);
            while Instant::now() < until {
                if let Some(pid) = reader.running_pid() {
                    std::thread::sleep(Duration::from_millis(300));
                    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                    return Some(pid);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            None
        })
    };
    let got = reader.read_all(&config, &schedule, &raws);
    let killed = killer.join().unwrap().expect("a worker to kill");
    assert!(!alive(killed));
    // Some 3,000 messages in a debug build take seconds: the kill came in
    // the middle, and a second worker read the rest.
    assert_eq!(reader.workers_started(), 2);
    assert_same(&got, &in_process(&config, &schedule, raws));
}

/// The program's own mail as it comes back to its mailbox: what it sent,
/// with the headers delivery puts on top.
fn echo_of(config: &Config, due: &str) -> (String, Vec<u8>) {
    use chrono::DateTime;
    let due = DateTime::parse_from_rfc3339(due).unwrap().to_utc();
    let mail = shiftcover::compose::digest(
        config,
        "Weekly coverage digest".into(),
        "Nothing open.".into(),
        "<p>Nothing open.</p>".into(),
        due,
        due,
    );
    let mut raw = b"Return-Path: <coverage@example.edu>\r\nDelivered-To: coverage@example.edu\r\nReceived: from localhost (localhost [127.0.0.1])\r\n\tby mail.example.edu (Postfix) with ESMTP id 4F2A1\r\n".to_vec();
    raw.extend_from_slice(&mail.raw);
    (mail.message_id, raw)
}

/// A staff member's request, with whatever headers `extra` adds.
fn request_with(id: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: Angie Lopez <alopez@example.edu>\r\nTo: chat-staff@example.edu\r\nMessage-ID: {id}\r\nSubject: Monday shift\r\nDate: Mon, 30 Nov 2026 09:00:00 -0500\r\n{extra}\r\nCan someone cover my Monday 12/7 shift?\r\n"
    )
    .into_bytes()
}

#[test]
fn the_programs_own_mail_coming_back_starts_no_reading_process() {
    let (config, schedule) = context();
    let echoes: Vec<(String, Vec<u8>)> = (1..=30)
        .map(|day| echo_of(&config, &format!("2026-11-{day:02}T09:00:00-05:00")))
        .collect();
    let raws: Vec<Vec<u8>> = echoes.iter().map(|(_, raw)| raw.clone()).collect();
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(300));
    let got = reader.read_all(&config, &schedule, &raws);
    assert_eq!(
        reader.workers_started(),
        0,
        "a catch-up of nothing but the program's own mail started a reading process"
    );
    assert_eq!(got.len(), echoes.len());
    for ((id, raw), reading) in echoes.iter().zip(&got) {
        assert_eq!(&reading.message_id, id);
        assert!(reading.own_mail, "{id} not known as the program's own mail");
        assert_eq!(reading.kind, shiftcover::model::Kind::Other);
        assert_eq!(reading.from, "coverage@example.edu");
        // What the reader makes of it, read in full: the same message,
        // the same decision (the program's own mail, nothing to do).
        let ctx = shiftcover::read::ReadContext {
            config: &config,
            schedule: &schedule,
        };
        let full = shiftcover::read::read_message(raw, &ctx);
        assert_eq!(
            (&full.message_id, full.own_mail, full.kind, &full.from),
            (
                &reading.message_id,
                reading.own_mail,
                reading.kind,
                &reading.from
            )
        );
    }
}

#[test]
fn mail_that_only_looks_like_the_programs_own_is_still_read() {
    let (config, schedule) = context();
    let (echo_id, echo) = echo_of(&config, "2026-11-30T09:00:00-05:00");
    // A colleague's request under a Message-ID of the program's form; one
    // whose X-Shiftcover-Kind is in its text, not its headers; one whose
    // header is a look-alike's.
    let look_alikes = [
        request_with("<ack.0123456789abcdef@example.edu>", ""),
        request_with(
            "<ack.fedcba9876543210@example.edu>",
            "\r\nX-Shiftcover-Kind: ack\r\n",
        ),
        request_with(
            "<ack.00112233aabbccdd@example.edu>",
            "X-Shiftcover-Kinds: ack\r\n",
        ),
    ];
    let mut raws = vec![echo];
    raws.extend(look_alikes.iter().cloned());
    let reader = ReaderProcess::new(exe(), Duration::from_secs(60), Duration::from_secs(300));
    let got = reader.read_all(&config, &schedule, &raws);
    assert_eq!(reader.workers_started(), 1, "the colleagues' mail was read");
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].message_id, echo_id);
    assert!(got[0].own_mail);
    let want = in_process(&config, &schedule, look_alikes.to_vec());
    assert_same(&got[1..], &want);
    for reading in &got[1..] {
        assert!(
            !reading.own_mail,
            "{} taken for the program's own",
            reading.message_id
        );
        assert_eq!(
            reading.kind,
            shiftcover::model::Kind::CoverageRequest,
            "{} not read as the request it is",
            reading.message_id
        );
    }
}
