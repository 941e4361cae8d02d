//! The reading process's side (`shiftcover read-worker`, hidden): reads
//! frames from stdin, reads each message with [`crate::read::read_message`]
//! (the one reading path `parse` takes) on a pool of threads, and writes
//! the readings to stdout as they finish. It ends when stdin closes: the
//! daemon retired it, or the daemon is gone.

use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use super::wire::{FromWorker, ToWorker, read_frame, write_frame};
use crate::config::Config;
use crate::config::desks::Desks;
use crate::read::{ReadContext, read_message};
use crate::schedule::Schedule;

/// What one desk reads with, as the daemon last sent it.
#[derive(Default)]
struct Slot {
    config: Option<Result<Arc<Config>, String>>,
    schedule: Option<Arc<Schedule>>,
}

struct Job {
    job: u64,
    raw: Vec<u8>,
    config: Arc<Config>,
    schedule: Arc<Schedule>,
}

type Out = Arc<Mutex<BufWriter<io::Stdout>>>;

/// Sends one answer; a daemon that stopped listening ends the process.
fn answer(out: &Out, what: &FromWorker) {
    let mut w = out.lock().unwrap_or_else(|p| p.into_inner());
    if write_frame(&mut *w, what, b"")
        .and_then(|_| w.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

/// Runs the reading process until stdin closes. Returns the exit status:
/// 0 at a clean end, 2 when the daemon sent what is not a frame.
pub fn serve() -> u8 {
    let out: Out = Arc::new(Mutex::new(BufWriter::new(io::stdout())));
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    // As many reading threads as cores: a catch-up's batch is read on all
    // of them, as the daemon's own threads read it before.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    for _ in 0..threads {
        let (rx, out) = (rx.clone(), out.clone());
        let spawned = std::thread::Builder::new()
            .name("shiftcover-read".into())
            .spawn(move || {
                loop {
                    let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(job) = next else { return };
                    answer(&out, &FromWorker::Started { job: job.job });
                    let reading = read_one(&job);
                    answer(
                        &out,
                        &FromWorker::Read {
                            job: job.job,
                            reading: Box::new(reading),
                        },
                    );
                }
            });
        if spawned.is_err() && threads == 1 {
            eprintln!("shiftcover read-worker: no reading thread could be started");
            return 1;
        }
    }
    let mut slots: HashMap<u32, Slot> = HashMap::new();
    let mut input = BufReader::new(io::stdin().lock());
    loop {
        let frame = match read_frame::<ToWorker>(&mut input) {
            Ok(Some(frame)) => frame,
            Ok(None) => return 0,
            Err(e) => {
                eprintln!("shiftcover read-worker: {e}");
                return 2;
            }
        };
        match frame {
            (
                ToWorker::Config {
                    slot,
                    text,
                    dir,
                    desk,
                },
                _,
            ) => {
                let loaded = Desks::from_toml(&text, &dir)
                    .and_then(|d| d.pick(desk.as_deref()))
                    .map(Arc::new)
                    .map_err(|e| format!("the config does not load in the reading process: {e}"));
                // A new config makes the slot's schedule stale: the
                // daemon sends the schedule again after it.
                slots.insert(
                    slot,
                    Slot {
                        config: Some(loaded),
                        schedule: None,
                    },
                );
            }
            (
                ToWorker::Schedule {
                    slot,
                    zone,
                    calendar,
                },
                _,
            ) => {
                let s = slots.entry(slot).or_default();
                let (Some(Ok(config)), Ok(zone)) = (&s.config, zone.parse::<chrono_tz::Tz>())
                else {
                    s.schedule = None;
                    continue;
                };
                s.schedule = Some(Arc::new(Schedule::new(
                    calendar.into_owned(),
                    &config.roster,
                    zone,
                )));
            }
            (ToWorker::Read { slot, job }, raw) => {
                let s = slots.get(&slot);
                let why = match s {
                    Some(Slot {
                        config: Some(Ok(config)),
                        schedule: Some(schedule),
                    }) => {
                        let job = Job {
                            job,
                            raw,
                            config: config.clone(),
                            schedule: schedule.clone(),
                        };
                        if tx.send(job).is_ok() {
                            continue;
                        }
                        "its reading threads are gone".to_string()
                    }
                    Some(Slot {
                        config: Some(Err(why)),
                        ..
                    }) => why.clone(),
                    _ => format!("no config and schedule were sent for slot {slot}"),
                };
                answer(&out, &FromWorker::Unusable { slot, why });
            }
        }
    }
}

/// Reads one message exactly as `parse` and the daemon's own threads do.
fn read_one(job: &Job) -> crate::model::Reading {
    #[cfg(feature = "test-hooks")]
    test_hooks::on_read(&job.raw);
    let ctx = ReadContext {
        config: &job.config,
        schedule: &job.schedule,
    };
    read_message(&job.raw, &ctx)
}

/// Faults on demand, for the tests of what the daemon does when its
/// reading process hangs or dies: compiled only with the `test-hooks`
/// feature, never into a build that is shipped.
#[cfg(feature = "test-hooks")]
mod test_hooks {
    /// A message with this header line makes the reading process hang
    /// (`hang`), or die as the OOM killer would kill it (`die`).
    const HEADER: &str = "X-Shiftcover-Test-Read: ";

    pub fn on_read(raw: &[u8]) {
        let text = String::from_utf8_lossy(&raw[..raw.len().min(4096)]);
        let Some(what) = text
            .lines()
            .take_while(|l| !l.is_empty())
            .find_map(|l| l.strip_prefix(HEADER))
        else {
            return;
        };
        match what.trim() {
            "hang" => loop {
                std::thread::park();
            },
            // SIGKILL, as the OOM killer sends: no unwinding, no last words.
            "die" => unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            },
            _ => {}
        }
    }
}
