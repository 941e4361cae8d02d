//! The daemon reads mail in a child process that exits when idle.
//!
//! Reading needs the reader's compiled patterns (some 20 MB) and, on every
//! thread that reads, their match caches (megabytes each); none of it is
//! ever handed back while the process lives. So the daemon does not read
//! in its own process: it starts `shiftcover read-worker` (hidden) when
//! there is mail to read, hands it each message over a pipe
//! ([`wire`]: length-prefixed JSON frames), and the worker reads it with
//! [`crate::read::read_message`], the one reading path `parse` takes, on as
//! many threads as there are cores. The worker stays while mail keeps
//! coming and is retired after [`LINGER`] without work, or as soon as it
//! is idle after a catch-up; with it goes all the memory reading took.
//!
//! What it reads with: each desk's config as the daemon loaded it (the
//! config's text and folder, [`crate::config::ConfigSource`], loaded there
//! by the same code, so an edited file not yet reloaded cannot make the
//! worker read otherwise than the daemon would), and the desk's schedule
//! (the calendar it is built from), sent once and again only when it
//! changed. Reading needs no secrets, and the worker opens none: the
//! config names the files that hold them, nothing reads them.
//!
//! Faults lose no message:
//! - a message not read within the time limit ([`crate::guarded_read::READ_LIMIT`])
//!   gets the worker killed (no thread is left spinning on it), is read as
//!   unreadable ([`crate::read::given_up`], logged), and the rest of the
//!   batch goes to a fresh worker;
//! - a worker that dies (a crash, the OOM killer) or sends garbage: the
//!   messages it had taken up are read again by a fresh worker, one at a
//!   time; one that kills a worker twice is read as unreadable and logged;
//!   the messages it had not yet taken up are simply sent again;
//! - a worker that cannot be started at all (exec denied) or cannot use
//!   the config: the daemon reads in its own process, as it did before
//!   ([`crate::guarded_read`]), and warns once.
//!
//! Several desks share one worker, each in its own slot; their batches
//! take turns.
//!
//! The program's own mail coming back is not handed over: it is known
//! from its headers ([`crate::outbox::echo_reading`]), so a batch of
//! nothing else starts no worker.

pub mod wire;
pub mod worker;

use std::collections::{HashMap, VecDeque};
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use wire::{FromWorker, ToWorker, WireError, read_frame, write_frame};

use crate::config::{Config, ConfigSource};
use crate::model::Reading;
use crate::schedule::Schedule;

/// How long a worker stays without work before it is retired. Live mail
/// comes in bursts (a request, then its replies within minutes): a
/// minute keeps the worker, its patterns compiled and its caches warm,
/// for a burst, and costs the memory for that minute only. A fixed value
/// rather than a setting: nothing about a site changes the trade.
pub const LINGER: Duration = Duration::from_secs(60);

/// How long a retired worker has to exit once its stdin is closed before
/// it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Fresh workers in a row that may die without taking up a single message
/// before the batch is read in the daemon instead (a worker that cannot
/// run at all must not be restarted forever).
const FRUITLESS_STARTS: u32 = 3;

/// The daemon's worker, once [`use_worker`] was called (by `run` only: the
/// other commands, and the tests' in-process services, read in their own
/// process).
static GLOBAL: OnceLock<Arc<ReaderProcess>> = OnceLock::new();

/// Makes this process read in a worker from now on. The worker runs
/// `/proc/self/exe`: the very binary this process runs, even when a newer
/// one was installed over it on disk since, so the daemon never reads with
/// another version's reader.
pub fn use_worker() {
    let _ = GLOBAL.get_or_init(|| {
        ReaderProcess::new(
            PathBuf::from("/proc/self/exe"),
            linger(),
            crate::guarded_read::READ_LIMIT,
        )
    });
}

/// [`LINGER`]; tests built with the `test-hooks` feature may shorten it
/// with `SHIFTCOVER_TEST_READER_LINGER_MS`.
fn linger() -> Duration {
    #[cfg(feature = "test-hooks")]
    if let Some(ms) = std::env::var("SHIFTCOVER_TEST_READER_LINGER_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    LINGER
}

/// The daemon's worker, when this process reads in one.
pub fn global() -> Option<&'static Arc<ReaderProcess>> {
    GLOBAL.get()
}

/// Asks the daemon's worker, if any, to leave as soon as it is idle: after
/// a catch-up, the next mail is most likely a while away, and the worker
/// holds the most memory it will ever hold.
pub fn retire_when_idle() {
    if let Some(r) = GLOBAL.get() {
        r.retire_when_idle();
    }
}

/// Reads messages in a child process (see the module's text).
pub struct ReaderProcess {
    exe: PathBuf,
    linger: Duration,
    limit: Duration,
    state: Mutex<State>,
    /// Told when a batch ends or a retirement is asked for.
    wake: Condvar,
    /// Workers started so far, and the running one's process id (0: none),
    /// readable while a batch holds the state.
    started: AtomicU32,
    running: AtomicU32,
}

#[derive(Default)]
struct State {
    worker: Option<Worker>,
    last_used: Option<Instant>,
    retire_now: bool,
    reaper: bool,
    /// A worker could not be started or used: said once, at warn.
    warned: bool,
    /// When a worker last failed to start: not tried again for a while.
    refused_at: Option<Instant>,
}

/// How long after a worker failed to start the next attempt is made.
const RETRY_START_AFTER: Duration = Duration::from_secs(600);

/// One running worker.
struct Worker {
    child: Child,
    stdin: BufWriter<ChildStdin>,
    events: mpsc::Receiver<Event>,
    /// By desk (None for the one-desk layout): the slot, and what of its
    /// config and schedule the worker has been sent.
    slots: HashMap<Option<String>, SlotSent>,
    next_job: u64,
    /// Took up or answered anything since it started.
    progress: bool,
}

struct SlotSent {
    id: u32,
    config: Weak<ConfigSource>,
    schedule: Weak<Schedule>,
}

enum Event {
    Started(u64),
    Read(u64, Box<Reading>),
    Unusable(String),
    /// The pipe closed or carried garbage: the worker is of no more use.
    Gone(Option<WireError>),
}

impl Worker {
    fn start(exe: &PathBuf) -> std::io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg("read-worker")
            // The worker speaks to no one but the daemon: systemd's notify
            // socket is the daemon's alone.
            .env_remove("NOTIFY_SOCKET")
            .env_remove("WATCHDOG_USEC")
            .env_remove("WATCHDOG_PID")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("the worker's pipes were not made"));
        };
        let (tx, events) = mpsc::channel();
        let listening = std::thread::Builder::new()
            .name("shiftcover-read-pipe".into())
            .spawn(move || {
                let mut from = BufReader::new(stdout);
                loop {
                    let event = match read_frame::<FromWorker>(&mut from) {
                        Ok(Some((FromWorker::Started { job }, _))) => Event::Started(job),
                        Ok(Some((FromWorker::Read { job, reading }, _))) => {
                            Event::Read(job, reading)
                        }
                        Ok(Some((FromWorker::Unusable { why, .. }, _))) => Event::Unusable(why),
                        Ok(None) => Event::Gone(None),
                        Err(e) => Event::Gone(Some(e)),
                    };
                    let gone = matches!(event, Event::Gone(_));
                    if tx.send(event).is_err() || gone {
                        return;
                    }
                }
            });
        if let Err(e) = listening {
            let _ = child.kill();
            let _ = child.wait();
            return Err(e);
        }
        tracing::debug!(pid = child.id(), "started a reading process");
        Ok(Worker {
            child,
            stdin: BufWriter::new(stdin),
            events,
            slots: HashMap::new(),
            next_job: 0,
            progress: false,
        })
    }

    /// Sends the desk's config and schedule unless the worker has them.
    fn prepare(
        &mut self,
        config: &Config,
        source: &Arc<ConfigSource>,
        schedule: &Arc<Schedule>,
    ) -> std::io::Result<u32> {
        let next_id = self.slots.len() as u32;
        let sent = self
            .slots
            .entry(config.desk.clone())
            .or_insert_with(|| SlotSent {
                id: next_id,
                config: Weak::new(),
                schedule: Weak::new(),
            });
        let id = sent.id;
        if !std::ptr::eq(sent.config.as_ptr(), Arc::as_ptr(source)) {
            write_frame(
                &mut self.stdin,
                &ToWorker::Config {
                    slot: id,
                    text: source.text.as_str().into(),
                    dir: source.dir.clone(),
                    desk: config.desk.clone(),
                },
                b"",
            )?;
            sent.config = Arc::downgrade(source);
            sent.schedule = Weak::new();
        }
        if !std::ptr::eq(sent.schedule.as_ptr(), Arc::as_ptr(schedule)) {
            write_frame(
                &mut self.stdin,
                &ToWorker::Schedule {
                    slot: id,
                    zone: schedule.zone().name().to_string(),
                    calendar: std::borrow::Cow::Borrowed(&**schedule.calendar()),
                },
                b"",
            )?;
            sent.schedule = Arc::downgrade(schedule);
        }
        Ok(id)
    }

    /// Ends the worker: its stdin closed, a short wait, then SIGKILL.
    fn retire(mut self) {
        drop(self.stdin);
        let until = Instant::now() + EXIT_GRACE;
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                tracing::debug!(pid = self.child.id(), "a reading process left");
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the worker at once and reaps it; says how it ended.
    fn kill(mut self) -> String {
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) => status.to_string(),
            Err(e) => e.to_string(),
        }
    }
}

/// Where one message of a batch stands.
#[derive(Clone, Copy, Default)]
struct Job {
    /// Times the worker died while this message was being read.
    strikes: u8,
}

impl ReaderProcess {
    /// A reader that runs `exe read-worker`; a worker retires after
    /// `linger` without work, and a message past `limit` is given up.
    pub fn new(exe: PathBuf, linger: Duration, limit: Duration) -> Arc<ReaderProcess> {
        Arc::new(ReaderProcess {
            exe,
            linger,
            limit,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            started: AtomicU32::new(0),
            running: AtomicU32::new(0),
        })
    }

    /// The running worker's process id, if one runs.
    pub fn worker_pid(&self) -> Option<u32> {
        let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.worker.as_ref().map(|w| w.child.id())
    }

    /// The running worker's process id, without waiting for a batch being
    /// read to end.
    pub fn running_pid(&self) -> Option<u32> {
        Some(self.running.load(Ordering::SeqCst)).filter(|&p| p != 0)
    }

    /// How many workers this reader has started.
    pub fn workers_started(&self) -> u32 {
        self.started.load(Ordering::SeqCst)
    }

    /// Retires the worker as soon as no batch is being read.
    pub fn retire_when_idle(&self) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.retire_now = true;
        self.wake.notify_all();
    }

    /// Reads `raws` with the desk's config and schedule, in order. Falls
    /// back to reading in this process (see the module's text).
    pub fn read_all(
        self: &Arc<Self>,
        config: &Arc<Config>,
        schedule: &Arc<Schedule>,
        raws: &[Vec<u8>],
    ) -> Vec<Reading> {
        if raws.is_empty() {
            return Vec::new();
        }
        if let Some(known) = echoes_known(config, raws) {
            return known.read_the_rest(|rest| self.read_all(config, schedule, &rest));
        }
        let Some(source) = config.source.clone() else {
            return in_process(config, schedule, raws.to_vec());
        };
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let out = self.read_batch(&mut s, config, &source, schedule, raws);
        s.last_used = Some(Instant::now());
        if !s.reaper {
            s.reaper = self.start_reaper();
        }
        self.wake.notify_all();
        out
    }

    /// The thread that retires an idle worker: it holds only a weak
    /// reference, so a reader dropped (in tests) ends it.
    fn start_reaper(self: &Arc<Self>) -> bool {
        let me = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("shiftcover-read-linger".into())
            .spawn(move || {
                loop {
                    let Some(me) = me.upgrade() else { return };
                    let mut s = me.state.lock().unwrap_or_else(|p| p.into_inner());
                    let now = Instant::now();
                    let due = s.last_used.map(|t| t + me.linger);
                    if (s.retire_now || due.is_some_and(|d| d <= now))
                        && let Some(w) = s.worker.take()
                    {
                        let pid = w.child.id();
                        me.running.store(0, Ordering::SeqCst);
                        w.retire();
                        tracing::info!(
                            pid,
                            after_catch_up = s.retire_now,
                            "the reading process was idle and left"
                        );
                        // What the daemon's side of the pipe held is free
                        // now: hand it back, or the idle daemon keeps it.
                        crate::daemon::release_freed_memory();
                    }
                    s.retire_now = false;
                    // Wake at the next due time, or every few seconds to
                    // let a dropped reader end this thread.
                    let wait = match (&s.worker, due) {
                        (Some(_), Some(d)) if d > now => (d - now).min(Duration::from_secs(5)),
                        _ => Duration::from_secs(5),
                    };
                    let _ = me.wake.wait_timeout(s, wait);
                }
            })
            .is_ok()
    }

    fn read_batch(
        &self,
        s: &mut State,
        config: &Arc<Config>,
        source: &Arc<ConfigSource>,
        schedule: &Arc<Schedule>,
        raws: &[Vec<u8>],
    ) -> Vec<Reading> {
        let n = raws.len();
        let mut out: Vec<Option<Reading>> = (0..n).map(|_| None).collect();
        let mut jobs = vec![Job::default(); n];
        let mut pending: VecDeque<usize> = (0..n).collect();
        let mut fruitless = 0;
        let mut done = 0;
        while done < n {
            if s.worker.is_none() {
                let refused_lately = s
                    .refused_at
                    .is_some_and(|t| t.elapsed() < RETRY_START_AFTER);
                let started = if fruitless >= FRUITLESS_STARTS || refused_lately {
                    None
                } else {
                    match Worker::start(&self.exe) {
                        Ok(w) => Some(w),
                        Err(e) => {
                            s.refused_at = Some(Instant::now());
                            warn_once(s, &format!("the reading process could not be started: {e}"));
                            None
                        }
                    }
                };
                let Some(w) = started else {
                    if fruitless >= FRUITLESS_STARTS {
                        warn_once(
                            s,
                            "the reading process died again and again before reading anything",
                        );
                    }
                    return self.finish_here(out, pending, config, schedule, raws);
                };
                self.started.fetch_add(1, Ordering::SeqCst);
                self.running.store(w.child.id(), Ordering::SeqCst);
                s.worker = Some(w);
            }
            let Some(w) = s.worker.as_mut() else { continue };
            // A message that was being read when a worker died is read
            // again alone, so a second death names it for certain.
            let batch: Vec<usize> = match pending.front() {
                Some(&i) if jobs[i].strikes > 0 => pending.pop_front().into_iter().collect(),
                _ => pending.drain(..).collect(),
            };
            if batch.is_empty() {
                // Nothing left to send and nothing under way: every message
                // is accounted for (this is not expected to happen).
                break;
            }
            let mut outstanding: HashMap<u64, (usize, Option<Instant>)> = HashMap::new();
            let sent = w.prepare(config, source, schedule).and_then(|slot| {
                for &i in &batch {
                    let job = w.next_job;
                    w.next_job += 1;
                    write_frame(&mut w.stdin, &ToWorker::Read { slot, job }, &raws[i])?;
                    outstanding.insert(job, (i, None));
                }
                w.stdin.flush()
            });
            // Every message not sent (the pipe failed) waits for the next
            // round.
            if sent.is_err() {
                let gone: std::collections::HashSet<usize> =
                    outstanding.values().map(|(i, _)| *i).collect();
                pending.extend(batch.iter().filter(|i| !gone.contains(i)));
            }
            let mut end: Option<String> = sent.err().map(|e| format!("the pipe to it failed: {e}"));
            let mut overdue_kill = false;
            let tick = Duration::from_millis(200).min(self.limit.max(Duration::from_millis(1)));
            while end.is_none() && !outstanding.is_empty() {
                match w.events.recv_timeout(tick) {
                    Ok(Event::Started(job)) => {
                        if let Some((_, at)) = outstanding.get_mut(&job) {
                            *at = Some(Instant::now());
                            w.progress = true;
                        }
                    }
                    Ok(Event::Read(job, reading)) => {
                        if let Some((i, _)) = outstanding.remove(&job) {
                            out[i] = Some(*reading);
                            done += 1;
                            w.progress = true;
                            fruitless = 0;
                        }
                    }
                    Ok(Event::Unusable(why)) => {
                        warn_once(s, &why);
                        if let Some(w) = s.worker.take() {
                            self.running.store(0, Ordering::SeqCst);
                            w.kill();
                        }
                        pending.extend(outstanding.values().map(|(i, _)| *i));
                        return self.finish_here(out, pending, config, schedule, raws);
                    }
                    Ok(Event::Gone(None)) => end = Some("it ended".into()),
                    Ok(Event::Gone(Some(e))) => end = Some(e.to_string()),
                    Err(RecvTimeoutError::Disconnected) => end = Some("its pipe closed".into()),
                    Err(RecvTimeoutError::Timeout) => {}
                }
                let now = Instant::now();
                let overdue: Vec<u64> = outstanding
                    .iter()
                    .filter(|(_, (_, at))| at.is_some_and(|t| now - t >= self.limit))
                    .map(|(job, _)| *job)
                    .collect();
                if !overdue.is_empty() {
                    for job in overdue {
                        if let Some((i, _)) = outstanding.remove(&job) {
                            out[i] = Some(give_up(
                                &raws[i],
                                &format!(
                                    "not read within {}; skipped",
                                    humantime::format_duration(self.limit)
                                ),
                                "a message took too long to read; its reading process was killed, and the message recorded as unreadable and skipped",
                            ));
                            done += 1;
                        }
                    }
                    overdue_kill = true;
                    end = Some("it was killed for a message that took too long".into());
                }
            }
            let Some(why) = end else { continue };
            // The worker is done for: whatever it had not answered goes to
            // a fresh one.
            let Some(w) = s.worker.take() else { continue };
            self.running.store(0, Ordering::SeqCst);
            let progress = w.progress;
            let status = w.kill();
            if !progress {
                fruitless += 1;
            }
            let mut suspects = Vec::new();
            for (_, (i, started)) in outstanding {
                match started {
                    // Killed over another message: this one is innocent.
                    _ if overdue_kill => pending.push_back(i),
                    Some(_) => {
                        jobs[i].strikes += 1;
                        if jobs[i].strikes >= 2 {
                            out[i] = Some(give_up(
                                &raws[i],
                                "its reading process died twice while reading it; skipped",
                                "a message killed its reading process twice; recorded as unreadable and skipped",
                            ));
                            done += 1;
                        } else {
                            suspects.push(i);
                        }
                    }
                    None => pending.push_back(i),
                }
            }
            suspects.sort_unstable();
            for i in suspects.into_iter().rev() {
                pending.push_front(i);
            }
            if !overdue_kill {
                tracing::warn!(
                    %why,
                    %status,
                    "the reading process ended in the middle of a batch; its unread messages go to a new one"
                );
            }
        }
        out.into_iter()
            .enumerate()
            .map(|(i, r)| r.unwrap_or_else(|| crate::read::given_up(&raws[i], "not read")))
            .collect()
    }

    /// Reads what is still unread in this process (see [`in_process`]).
    fn finish_here(
        &self,
        mut out: Vec<Option<Reading>>,
        pending: VecDeque<usize>,
        config: &Arc<Config>,
        schedule: &Arc<Schedule>,
        raws: &[Vec<u8>],
    ) -> Vec<Reading> {
        let mut left: Vec<usize> = pending.into_iter().filter(|&i| out[i].is_none()).collect();
        left.sort_unstable();
        let these: Vec<Vec<u8>> = left.iter().map(|&i| raws[i].clone()).collect();
        for (i, r) in left.into_iter().zip(in_process(config, schedule, these)) {
            out[i] = Some(r);
        }
        out.into_iter()
            .enumerate()
            .map(|(i, r)| r.unwrap_or_else(|| crate::read::given_up(&raws[i], "not read")))
            .collect()
    }
}

impl Drop for ReaderProcess {
    fn drop(&mut self) {
        let s = self.state.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = s.worker.take() {
            w.kill();
        }
    }
}

/// Says once per process that reading falls back to the daemon's own
/// threads.
fn warn_once(s: &mut State, why: &str) {
    static SAID: AtomicBool = AtomicBool::new(false);
    if !s.warned && !SAID.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            why,
            "reading mail in the daemon's own process instead of a reading process (as before it had one): its memory stays in use after reading"
        );
    }
    s.warned = true;
}

/// A batch with some of the program's own mail in it: those readings,
/// known from their headers ([`crate::outbox::echo_reading`]), and the
/// other messages, still to be read.
struct EchoesKnown {
    /// One slot a message, in the batch's order; None where it is to be read.
    known: Vec<Option<Reading>>,
    rest: Vec<Vec<u8>>,
}

/// The batch's own mail, if it holds any: it is not read, so a batch of
/// nothing else asks no reading process (none is started for it).
fn echoes_known(config: &Config, raws: &[Vec<u8>]) -> Option<EchoesKnown> {
    let known: Vec<Option<Reading>> = raws
        .iter()
        .map(|raw| crate::outbox::echo_reading(raw, config))
        .collect();
    if known.iter().all(Option::is_none) {
        return None;
    }
    let rest = raws
        .iter()
        .zip(&known)
        .filter(|(_, k)| k.is_none())
        .map(|(raw, _)| raw.clone())
        .collect();
    Some(EchoesKnown { known, rest })
}

impl EchoesKnown {
    /// Every reading in the batch's order, the rest read by `read`.
    fn read_the_rest(self, read: impl FnOnce(Vec<Vec<u8>>) -> Vec<Reading>) -> Vec<Reading> {
        let mut read_ones = if self.rest.is_empty() {
            Vec::new()
        } else {
            read(self.rest)
        }
        .into_iter();
        self.known
            .into_iter()
            .map(|k| {
                k.or_else(|| read_ones.next())
                    // The readers give one reading a message, in order: not reached.
                    .unwrap_or_else(|| crate::read::given_up(b"", "not read"))
            })
            .collect()
    }
}

/// A message read as unreadable, logged.
fn give_up(raw: &[u8], why: &str, log: &str) -> Reading {
    let reading = crate::read::given_up(raw, why);
    tracing::warn!(
        message_id = %reading.message_id,
        from = %reading.from,
        bytes = raw.len(),
        "{log}"
    );
    reading
}

/// Reads in this process, on its reading threads under the time limit,
/// as the daemon did before it had a reading process.
pub fn in_process(
    config: &Arc<Config>,
    schedule: &Arc<Schedule>,
    raws: Vec<Vec<u8>>,
) -> Vec<Reading> {
    if let Some(known) = echoes_known(config, &raws) {
        return known.read_the_rest(|rest| in_process(config, schedule, rest));
    }
    let (config, schedule) = (config.clone(), schedule.clone());
    let read: crate::guarded_read::ReadFn = Arc::new(move |raw: &[u8]| {
        let ctx = crate::read::ReadContext {
            config: &config,
            schedule: &schedule,
        };
        crate::read::read_message(raw, &ctx)
    });
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let workers = if raws.len() < 64 { 1 } else { cores };
    crate::guarded_read::read_all(
        read,
        Arc::new(raws),
        workers,
        crate::guarded_read::READ_LIMIT,
    )
}
