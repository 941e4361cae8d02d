//! Reading under a time limit. Reading is pure and bounded by the reader's
//! own caps (see [`crate::read::decode::MAX_RAW`] and
//! [`crate::read::decode::MAX_BODY_TEXT`]); this is the net beneath them:
//! a message whose reading still runs past [`READ_LIMIT`] is given up,
//! logged, and read as `other` ("unreadable"), so the service records it
//! as handled and never reads it again, instead of the daemon hanging on it
//! until the watchdog restarts it, to hang on it again.
//!
//! The daemon reads in its reading process instead
//! ([`crate::reader_process`], which kills a process stuck on a message
//! rather than leave a thread to it); this pool reads for `simulate` and
//! the tools, and for the daemon when its reading process cannot run.
//!
//! Messages are read on a small pool of long-lived reader threads that the
//! caller does not wait for: a thread still busy with a message given up on
//! is left to finish (or not) on its own, and a new one takes its place in
//! the pool. The threads live on between batches because every thread that
//! reads keeps its own match caches for each of the reader's patterns (the
//! regex crate's per-thread cache pool): fresh threads for every batch of a
//! catch-up left caches behind for threads long gone, and the daemon's
//! resident memory grew with every batch.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::model::Reading;

/// The longest one message may take to read. With the caps, any message
/// reads in well under a second on a busy machine; this is ten times the
/// slowest seen under fuzzing and still far inside the systemd watchdog.
pub const READ_LIMIT: Duration = Duration::from_secs(30);

/// How a worker reads one raw message.
pub type ReadFn = Arc<dyn Fn(&[u8]) -> Reading + Send + Sync>;

/// One piece of work for a reader thread.
type Job = Box<dyn FnOnce() + Send>;

/// The process's reader threads: at most `keep` stay alive when idle; more
/// are started only while some are stuck on messages given up on, and those
/// leave once they come free.
struct ReaderPool {
    state: Mutex<PoolState>,
    work: Condvar,
    /// Told whenever a thread comes idle.
    came_idle: Condvar,
    keep: usize,
}

/// How long a new job waits for a busy thread to come free before a new
/// thread is started for it. A catch-up asks for its next batch the moment
/// the last one is read, while the threads that read it are still on their
/// way back to idle; a new thread then would grow a fresh set of the
/// patterns' match caches (megabytes, never given back) and start with them
/// cold. A thread stuck on a message given up on never comes free, so the
/// wait is short.
const WAIT_FOR_A_FREE_THREAD: Duration = Duration::from_millis(50);

#[derive(Default)]
struct PoolState {
    jobs: VecDeque<Job>,
    /// Threads alive, busy or idle.
    live: usize,
    /// Threads waiting for a job.
    idle: usize,
    /// Threads busy with a message given up on: they may never come back,
    /// so they do not count among the threads the pool keeps.
    stuck: usize,
}

impl ReaderPool {
    fn global() -> &'static ReaderPool {
        static POOL: OnceLock<ReaderPool> = OnceLock::new();
        POOL.get_or_init(|| ReaderPool {
            state: Mutex::new(PoolState::default()),
            work: Condvar::new(),
            came_idle: Condvar::new(),
            keep: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        })
    }

    /// Queues `job`, starting a thread when none is idle to take it. False
    /// when no thread could be started and none is idle: the job is dropped.
    fn run(&'static self, job: Job) -> bool {
        let Ok(mut s) = self.state.lock() else {
            return false;
        };
        if s.idle <= s.jobs.len() && s.live.saturating_sub(s.stuck) >= self.keep {
            s = match self
                .came_idle
                .wait_timeout_while(s, WAIT_FOR_A_FREE_THREAD, |s| s.idle <= s.jobs.len())
            {
                Ok((s, _)) => s,
                Err(_) => return false,
            };
        }
        // Jobs already queued claim the idle threads first.
        if s.idle > s.jobs.len() {
            s.jobs.push_back(job);
            self.work.notify_one();
            return true;
        }
        let started = std::thread::Builder::new()
            .name("shiftcover-read".into())
            .spawn(move || self.serve())
            .is_ok();
        if started {
            s.live += 1;
            s.jobs.push_back(job);
        }
        started
    }

    /// Counts a thread as stuck on a message given up on (`true`), or as
    /// back from one (`false`).
    fn stuck(&self, on: bool) {
        if let Ok(mut s) = self.state.lock() {
            if on {
                s.stuck += 1;
            } else {
                s.stuck = s.stuck.saturating_sub(1);
            }
        }
    }

    /// A reader thread's life: take jobs until there are more threads than
    /// the pool keeps.
    fn serve(&self) {
        let Ok(mut s) = self.state.lock() else { return };
        loop {
            if let Some(job) = s.jobs.pop_front() {
                drop(s);
                job();
                s = match self.state.lock() {
                    Ok(s) => s,
                    Err(_) => return,
                };
                continue;
            }
            if s.live.saturating_sub(s.stuck) > self.keep {
                s.live -= 1;
                return;
            }
            s.idle += 1;
            self.came_idle.notify_all();
            s = match self.work.wait(s) {
                Ok(s) => s,
                Err(_) => return,
            };
            s.idle -= 1;
        }
    }
}

/// Where one message of a [`read_all`] call is.
#[derive(Debug, Clone, Copy, Default)]
struct Progress {
    started: Option<Instant>,
    finished: bool,
    /// Read as unreadable for taking too long; its thread counts as stuck
    /// until it finishes.
    given_up: bool,
}

/// Reads `raws` on up to `workers` threads, in order; a message not read
/// within `limit` of its start comes back as [`crate::read::given_up`].
pub fn read_all(
    read: ReadFn,
    raws: Arc<Vec<Vec<u8>>>,
    workers: usize,
    limit: Duration,
) -> Vec<Reading> {
    let n = raws.len();
    let mut out: Vec<Option<Reading>> = (0..n).map(|_| None).collect();
    if n == 0 {
        return Vec::new();
    }
    let next = Arc::new(AtomicUsize::new(0));
    let progress: Arc<Mutex<Vec<Progress>>> = Arc::new(Mutex::new(vec![Progress::default(); n]));
    let (tx, rx) = mpsc::channel::<(usize, Reading)>();
    let pool = ReaderPool::global();
    let spawn = || {
        let (read, raws, next, progress, tx) = (
            read.clone(),
            raws.clone(),
            next.clone(),
            progress.clone(),
            tx.clone(),
        );
        pool.run(Box::new(move || {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(raw) = raws.get(i) else { break };
                if let Ok(mut p) = progress.lock() {
                    p[i].started = Some(Instant::now());
                }
                let reading = read(raw);
                if let Ok(mut p) = progress.lock() {
                    p[i].finished = true;
                    if p[i].given_up {
                        pool.stuck(false);
                    }
                }
                // The caller stopped listening: its answer came without us.
                if tx.send((i, reading)).is_err() {
                    break;
                }
            }
        }))
    };
    let running = (0..workers.clamp(1, n)).filter(|_| spawn()).count();
    if running == 0 {
        // No thread could be started: read here, without the limit.
        return raws.iter().map(|r| read(r)).collect();
    }
    let mut done = 0;
    let tick = Duration::from_millis(200).min(limit.max(Duration::from_millis(1)));
    while done < n {
        match rx.recv_timeout(tick) {
            Ok((i, reading)) => {
                if out[i].is_none() {
                    out[i] = Some(reading);
                    done += 1;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            // Unreachable while `tx` lives here; stop rather than spin.
            Err(RecvTimeoutError::Disconnected) => break,
        }
        let now = Instant::now();
        let overdue: Vec<usize> = match progress.lock() {
            Ok(mut p) => {
                let overdue: Vec<usize> = p
                    .iter()
                    .enumerate()
                    .filter(|(i, at)| {
                        out[*i].is_none()
                            && !at.finished
                            && at.started.is_some_and(|t| now - t >= limit)
                    })
                    .map(|(i, _)| i)
                    .collect();
                for &i in &overdue {
                    p[i].given_up = true;
                    pool.stuck(true);
                }
                overdue
            }
            Err(_) => Vec::new(),
        };
        for i in overdue {
            let reading = crate::read::given_up(
                &raws[i],
                &format!(
                    "not read within {}; skipped",
                    humantime::format_duration(limit)
                ),
            );
            tracing::warn!(
                message_id = %reading.message_id,
                from = %reading.from,
                bytes = raws[i].len(),
                limit = ?limit,
                "a message took too long to read; recorded as unreadable and skipped"
            );
            out[i] = Some(reading);
            done += 1;
            // The thread on it is lost to us; another takes its place.
            spawn();
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| crate::read::given_up(&raws[i], "not read")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn message(id: &str, body: &str) -> Vec<u8> {
        format!("From: Angie <alopez@example.edu>\r\nMessage-ID: <{id}@example.edu>\r\nSubject: s {id}\r\n\r\n{body}\r\n").into_bytes()
    }

    /// Reads by the body: "hang" never finishes, anything else at once as
    /// a coverage request.
    fn reader() -> ReadFn {
        Arc::new(|raw: &[u8]| {
            if String::from_utf8_lossy(raw).contains("hang") {
                loop {
                    std::thread::park();
                }
            }
            let mut r = crate::read::given_up(raw, "test");
            r.kind = Kind::CoverageRequest;
            r.diagnostics.clear();
            r
        })
    }

    #[test]
    fn a_message_that_never_finishes_is_given_up_and_the_rest_are_read_in_order() {
        let raws = Arc::new(vec![
            message("one", "fine"),
            message("two", "hang"),
            message("three", "fine"),
            message("four", "hang"),
            message("five", "fine"),
        ]);
        let readings = read_all(reader(), raws, 2, Duration::from_millis(300));
        let got: Vec<(&str, Kind)> = readings
            .iter()
            .map(|r| (r.message_id.as_str(), r.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("<one@example.edu>", Kind::CoverageRequest),
                ("<two@example.edu>", Kind::Other),
                ("<three@example.edu>", Kind::CoverageRequest),
                ("<four@example.edu>", Kind::Other),
                ("<five@example.edu>", Kind::CoverageRequest),
            ]
        );
        assert!(readings[1].diagnostics[0].starts_with("unreadable: not read within"));
        assert_eq!(readings[1].from, "alopez@example.edu");
        assert_eq!(readings[1].subject, "s two");
    }

    #[test]
    fn no_messages_no_readings() {
        assert!(read_all(reader(), Arc::new(Vec::new()), 2, READ_LIMIT).is_empty());
    }

    /// Batch after batch is read by the same few threads, so the patterns'
    /// per-thread match caches are not left behind by threads long gone.
    #[test]
    fn reader_threads_live_on_between_batches() {
        let seen = Arc::new(Mutex::new(std::collections::HashSet::new()));
        let noting = seen.clone();
        let inner = reader();
        let read: ReadFn = Arc::new(move |raw: &[u8]| {
            noting.lock().unwrap().insert(std::thread::current().id());
            inner(raw)
        });
        for batch in 0..20 {
            let raws = Arc::new(vec![message(&format!("b{batch}"), "fine")]);
            let readings = read_all(read.clone(), raws, 1, READ_LIMIT);
            assert_eq!(readings[0].kind, Kind::CoverageRequest);
        }
        // Other tests share the pool and may hold threads for a while, but
        // twenty batches must not have needed twenty threads.
        let threads = seen.lock().unwrap().len();
        assert!(threads < 20, "{threads} threads for 20 batches");
    }
}
