//! Failover on the real stack (Dovecot, Postfix, PostgreSQL): a busy run
//! (requests, covers, a sick notice, second calls and escalations firing on
//! a clock of seconds) played twice, once without faults and once with the
//! leader SIGKILLed at 20 random moments (a standby always ready) and then
//! cut off from the database once (its sessions ended from PostgreSQL's
//! side). Every staff inbox ends with exactly the mail of the fault-free
//! run, nothing twice, nothing missing; the calendar gets each cover once.
//! Takeover times are printed as figures, never asserted.
//!
//! The seed of the kill moments is printed; SHIFTCOVER_FAILOVER_SEED=<n>
//! plays a run again, and SHIFTCOVER_FAILOVER_LOGS=1 prints the daemons'
//! logs of each run.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Weekday;
use mail_servers::*;
use shiftcover::engine::RequestState;
use shiftcover::store::{DeliveryState, Store};
use sqlx::{AnyConnection, Connection};

/// The staff whose inboxes are compared (the roster's users).
const STAFF_USERS: [&str; 9] = [
    "ccrummett",
    "alopez",
    "bokafor",
    "praman",
    "tbecker",
    "mchen",
    "jalvarez",
    "skim",
    "dwhitfield",
];

/// What a leader's log says once it has read the mailbox up to date.
const CAUGHT_UP: &str = "watching for mail";

/// SIGKILLs of the leader in the faulted run.
const KILLS: usize = 20;

/// A small seeded generator (splitmix64): the kill moments, reproducible
/// from the printed seed.
struct Moments(u64);

impl Moments {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A pause between `lo` and `hi` milliseconds.
    fn pause(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.next() % (hi - lo))
    }
}

/// The list traffic of the run: Mei asks for eight Tuesdays (every other
/// one covered by Sarah at once), Angie for six Mondays (never covered), Tom
/// is out sick tomorrow. The uncovered ones bring second calls to the list
/// and escalations to the coordinator on the seconds clock.
fn traffic() -> Vec<ListMail> {
    let mut mail = Vec::new();
    for k in 1..=8i64 {
        let date = upcoming(Weekday::Tue, 7 * k);
        let request = request_for_mei(date);
        let cover = (k % 2 == 0).then(|| sarah_takes_meis_shift(date, &request));
        mail.push(request);
        mail.extend(cover);
        if k <= 6 {
            let date = upcoming(Weekday::Mon, 7 * k);
            mail.push(ListMail::new(
                "alopez",
                "Angie Lopez",
                &format!("Coverage Monday {}?", md(date)),
                &format!(
                    "Hi all,\n\nCould someone cover my Monday {} chat shift?\n\nThanks,\nAngie",
                    md(date)
                ),
            ));
        }
        if k == 4 {
            mail.push(ListMail::new(
                "tbecker",
                "Tom Becker",
                "Sick tomorrow",
                "Hi all, I've come down with a fever and I'm staying home tomorrow. Sorry to leave my chat shift uncovered!\n\nTom",
            ));
        }
    }
    mail
}

/// What a run leaves behind, to compare with another run's.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    /// Per staff member: the program's mail in their inbox, as "kind |
    /// subject", sorted (a mail sent twice shows twice).
    inboxes: BTreeMap<String, Vec<String>>,
    /// The calendar's cover events ("Sarah for Mei"), how many.
    cover_events: usize,
    /// Calendar edits recorded as applied.
    edits_applied: i64,
}

/// Two hosts' configs on one database and one calendar file (in the first
/// folder), as the README's two-host layout has it.
fn two_host_configs(s: &Servers, dirs: &[tempfile::TempDir; 2], url: &str) -> [PathBuf; 2] {
    let calendar = dirs[0].path().join("schedule.ics");
    let config = |dir: &Path| {
        let path = write_config(dir, s, &Policy::seconds(30, 10));
        let text = std::fs::read_to_string(&path).unwrap();
        let outbox = format!("port = {}\ntls = \"none\"\n\n[database]", s.smtp_port);
        assert!(text.contains(&outbox), "the config's outbox: {text}");
        let text = text
            // A leader killed mid-send leaves its send started: the next
            // looks for the mail's echo first, for 5 s here (2 min by default).
            .replace(
                &outbox,
                &format!(
                    "port = {}\ntls = \"none\"\necho_wait = \"5s\"\n\n[database]",
                    s.smtp_port
                ),
            )
            .replace("url = \"sqlite://state.db\"", &format!("url = \"{url}\""))
            .replace(
                "path = \"schedule.ics\"",
                &format!("path = \"{}\"", calendar.display()),
            );
        std::fs::write(&path, text).unwrap();
        path
    };
    [config(dirs[0].path()), config(dirs[1].path())]
}

/// The instances the database lists, polled until `done` says so (at most
/// 90 s, a hang guard).
async fn instances_until(store: &Store, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let until = Instant::now() + Duration::from_secs(90);
    loop {
        let now = store.instances().await.unwrap_or_default();
        if done(&now) || Instant::now() > until {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn with_part<'a>(instances: &'a [String], part: &str) -> Vec<&'a String> {
    instances
        .iter()
        .filter(|i| i.starts_with(&format!("{part} ")))
        .collect()
}

/// The pid an instance line ("leader host pid 123") names.
fn pid_of(instance: &str) -> u32 {
    instance
        .rsplit(' ')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no pid in {instance:?}"))
}

/// Waits until one instance leads and the other stands by; the leader's pid.
async fn leader_with_standby(store: &Store) -> u32 {
    let now = instances_until(store, |i| {
        with_part(i, "leader").len() == 1 && with_part(i, "standby").len() == 1
    })
    .await;
    assert_eq!(with_part(&now, "leader").len(), 1, "one leader: {now:?}");
    assert_eq!(with_part(&now, "standby").len(), 1, "one standby: {now:?}");
    pid_of(with_part(&now, "leader")[0])
}

/// Waits until an instance other than `old` leads; how long that took from
/// `since`. When none does, the failure shows both daemons' logs' ends.
async fn takeover_from(store: &Store, daemons: &[Daemon], old: u32, since: Instant) -> Duration {
    let now = instances_until(store, |i| {
        with_part(i, "leader").iter().any(|l| pid_of(l) != old)
    })
    .await;
    let took = since.elapsed();
    if !with_part(&now, "leader").iter().any(|l| pid_of(l) != old) {
        let tails: Vec<String> = daemons
            .iter()
            .map(|d| {
                let log = d.log_text();
                let lines: Vec<&str> = log.lines().collect();
                lines[lines.len().saturating_sub(60)..].join("\n")
            })
            .collect();
        panic!(
            "no instance took over from pid {old}: {now:?}\n--- first daemon's log, its end:\n{}\n--- second daemon's log, its end:\n{}",
            tails[0], tails[1]
        );
    }
    took
}

/// Ends every session of process `pid` from the database's side (its
/// leadership lock's and its store's), as a cut network ends them.
async fn cut_off(url: &str, pid: u32) -> i64 {
    let mut admin = AnyConnection::connect(url).await.unwrap();
    let ended = sqlx::query_scalar(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name LIKE $1",
    )
    .bind(format!("% pid {pid}"))
    .fetch_one(&mut admin)
    .await
    .unwrap();
    let _ = admin.close().await;
    ended
}

/// Waits until the run has done all it will: every posted message handled,
/// every open request escalated, nothing waiting in the outbox or the
/// calendar edits; then until the inboxes stop changing. Hang guard 3 min.
async fn settle(s: &Servers, store: &Store, posted: &[String]) {
    let until = Instant::now() + Duration::from_secs(180);
    loop {
        let handled = {
            let mut all = true;
            for id in posted {
                all &= store.is_processed(id).await.unwrap_or(false);
            }
            all
        };
        let requests = store.load_requests().await.unwrap_or_default();
        let escalated = requests
            .iter()
            .filter(|r| r.state == RequestState::Open)
            .all(|r| r.escalated_at.is_some());
        let idle = store.mail_count(DeliveryState::Pending).await.unwrap_or(1) == 0
            && store.edit_count(DeliveryState::Pending).await.unwrap_or(1) == 0;
        if handled && escalated && idle && !requests.is_empty() {
            break;
        }
        assert!(
            Instant::now() < until,
            "the run never settled: handled {handled}, escalated {escalated}, outbox idle {idle}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Mail accepted by Postfix still travels to Dovecot: wait until two
    // looks a second apart agree.
    let mut last = None;
    loop {
        let mut counts = Vec::new();
        for u in STAFF_USERS {
            counts.push(s.inbox(u).await.len());
        }
        if last.as_ref() == Some(&counts) || Instant::now() > until {
            return;
        }
        last = Some(counts);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn outcome(s: &Servers, store: &Store, calendar: &Path) -> Outcome {
    let mut inboxes = BTreeMap::new();
    for u in STAFF_USERS {
        let mut mine: Vec<String> = s
            .inbox(u)
            .await
            .iter()
            .filter_map(|m| {
                let kind = m.kind()?;
                Some(format!(
                    "{kind} | {}",
                    m.header("Subject").unwrap_or_default().trim()
                ))
            })
            .collect();
        mine.sort();
        inboxes.insert(u.to_string(), mine);
    }
    let ics = std::fs::read_to_string(calendar).unwrap();
    Outcome {
        inboxes,
        cover_events: ics.matches("SUMMARY:Sarah for Mei").count(),
        edits_applied: store.edit_count(DeliveryState::Sent).await.unwrap(),
    }
}

/// Faults to inject while the traffic flows.
struct Faults {
    moments: Moments,
}

/// What the faulted run measured.
#[derive(Default)]
struct Takeovers {
    /// From the kill until the standby holds the lock and the lease.
    after_kill: Vec<Duration>,
    /// From the kill until the new leader has read the mailbox up to date.
    to_ready: Vec<Duration>,
    after_cut_off: Option<Duration>,
}

/// Plays the traffic on a fresh database and fresh mailboxes, with two
/// instances; with `faults`, kills and a cut-off while it flows.
async fn play(s: &Servers, faults: Option<Faults>) -> (Outcome, Takeovers) {
    s.clear_all().await;
    let url = postgres_server::fresh_database()
        .await
        .expect("the test PostgreSQL");
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let configs = two_host_configs(s, &dirs, &url);
    let mut daemons = [Daemon::launch(&configs[0]), Daemon::launch(&configs[1])];
    let store = Store::open(&url).await.unwrap();
    let first = leader_with_standby(&store).await;
    let index = |daemons: &[Daemon; 2], pid: u32| {
        daemons
            .iter()
            .position(|d| d.pid() == Some(pid))
            .unwrap_or_else(|| panic!("no daemon has pid {pid}"))
    };
    let leading = index(&daemons, first);
    daemons[leading].wait_for_log("watching for mail", 1, Duration::from_secs(90));

    // The traffic goes out on its own task; with faults at a pace that
    // spans the kills, without them at once.
    let mail = traffic();
    let posted: Vec<String> = mail.iter().map(|m| m.message_id.clone()).collect();
    let pace = if faults.is_some() {
        Duration::from_millis(2500)
    } else {
        Duration::from_millis(300)
    };
    let poster = {
        let s = s.clone();
        tokio::spawn(async move {
            let mut mail = mail.into_iter().peekable();
            while let Some(m) = mail.next() {
                s.post(&m).await;
                match mail.peek() {
                    // Mei confirms the cover once her ack is in, so both
                    // runs read the cover after its request, well before
                    // the second call is due (a reply read first waits for
                    // its request, which would make the runs' timing differ).
                    Some(next) if next.in_reply_to.is_some() => {
                        s.wait_for(m.from_user, Duration::from_secs(90), |inbox| {
                            inbox.iter().any(|r| r.answers(&m.message_id))
                        })
                        .await;
                    }
                    _ => tokio::time::sleep(pace).await,
                }
            }
        })
    };

    let mut took = Takeovers::default();
    if let Some(mut faults) = faults {
        for _ in 0..KILLS {
            tokio::time::sleep(faults.moments.pause(300, 3000)).await;
            // A standby is ready before each kill.
            let leader = leader_with_standby(&store).await;
            let i = index(&daemons, leader);
            let ready_before = daemons[1 - i].log_text().matches(CAUGHT_UP).count();
            let killed = Instant::now();
            daemons[i].kill();
            took.after_kill
                .push(takeover_from(&store, &daemons, leader, killed).await);
            // The killed host's daemon comes back, as the standby.
            daemons[i].relaunch();
            // The next kill comes once the new leader has read the mailbox
            // up to date: a leader killed every time before its catch-up
            // ends would stall the run (each catch-up batch is one
            // transaction), and the deadlines of seconds would then fire
            // before covers that came meanwhile are read, which no fault-free
            // run does.
            let until = Instant::now() + Duration::from_secs(90);
            while daemons[1 - i].log_text().matches(CAUGHT_UP).count() <= ready_before {
                assert!(
                    Instant::now() < until,
                    "the new leader never caught up; its log:\n{}",
                    daemons[1 - i].log_text()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            took.to_ready.push(killed.elapsed());
        }
        // Once: the leader cut off from the database (its sessions ended
        // from the server's side), its process left running.
        tokio::time::sleep(faults.moments.pause(300, 3000)).await;
        let leader = leader_with_standby(&store).await;
        let cut = Instant::now();
        assert!(
            cut_off(&url, leader).await >= 1,
            "no session of pid {leader}"
        );
        took.after_cut_off = Some(takeover_from(&store, &daemons, leader, cut).await);
        // The deposed leader steps down and waits again, as the standby.
        let now = instances_until(&store, |i| {
            with_part(i, "standby").iter().any(|l| pid_of(l) == leader)
        })
        .await;
        assert!(
            with_part(&now, "standby")
                .iter()
                .any(|l| pid_of(l) == leader),
            "the cut-off leader (pid {leader}) is not standing by again: {now:?}"
        );
        let log = daemons[index(&daemons, leader)].log_text();
        assert!(log.contains("stepped down"), "its log:\n{log}");
    }
    poster.await.unwrap();
    settle(s, &store, &posted).await;
    let result = outcome(s, &store, &dirs[0].path().join("schedule.ics")).await;
    if std::env::var_os("SHIFTCOVER_FAILOVER_LOGS").is_some() {
        for d in &daemons {
            eprintln!("==== daemon log\n{}", d.log_text());
        }
    }
    for mut d in daemons {
        d.kill();
    }
    store.close().await;
    postgres_server::drop_database(&url).await;
    (result, took)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_and_cut_off_leaders_leave_exactly_the_mail_of_a_run_without_faults() {
    let _g = lock().await;
    let Some(s) = servers() else {
        return;
    };
    if postgres_server::server_url().is_none() {
        return;
    }
    let seed = std::env::var("SHIFTCOVER_FAILOVER_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    eprintln!("failover seed: {seed} (SHIFTCOVER_FAILOVER_SEED={seed} plays these moments again)");

    let started = Instant::now();
    let (reference, _) = play(&s, None).await;
    eprintln!("figure: the fault-free run took {:?}", started.elapsed());
    // The traffic did what it is for: every kind of mail, and covers.
    let all: Vec<&String> = reference.inboxes.values().flatten().collect();
    for kind in [
        "ack",
        "second-call",
        "escalation",
        "sick-call",
        "invitation",
    ] {
        assert!(
            all.iter().any(|m| m.starts_with(&format!("{kind} |"))),
            "no {kind} in the fault-free run: {reference:#?}"
        );
    }
    assert!(reference.cover_events > 0, "{reference:#?}");

    let started = Instant::now();
    let (faulted, took) = play(
        &s,
        Some(Faults {
            moments: Moments(seed),
        }),
    )
    .await;
    eprintln!("figure: the run with faults took {:?}", started.elapsed());
    eprintln!(
        "figure: takeover after a SIGKILL of the leader, {} kills: median {:?}, worst {:?}",
        took.after_kill.len(),
        median(took.after_kill.clone()),
        took.after_kill.iter().max().unwrap()
    );
    eprintln!(
        "figure: from a SIGKILL of the leader to the new leader caught up with the mailbox: median {:?}, worst {:?}",
        median(took.to_ready.clone()),
        took.to_ready.iter().max().unwrap()
    );
    if let Some(cut) = took.after_cut_off {
        eprintln!("figure: takeover after the leader was cut off from the database: {cut:?}");
    }
    for u in STAFF_USERS {
        assert_eq!(
            faulted.inboxes[u], reference.inboxes[u],
            "{u}'s inbox after the faults (left) differs from the fault-free run's (right); seed {seed}"
        );
    }
    assert_eq!(faulted, reference, "seed {seed}");
}
