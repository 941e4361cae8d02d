//! Every scenario again, with the calendar on a CalDAV server instead of a
//! file, while a second client keeps editing the same calendar: the results
//! must be the same, and nothing the other client wrote may be lost. Run on
//! each of the three servers of tests/support/caldav_servers.rs (Radicale,
//! Xandikos, Cyrus).
//!
//! Needs the servers of tests/servers/start.sh; without one the test prints
//! why and passes, and with SHIFTCOVER_REQUIRE_SERVERS=1 (CI) it fails.

#[path = "support/caldav_servers.rs"]
mod caldav_servers;
#[path = "support/scenario_check.rs"]
mod scenario_check;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use caldav_servers::DavServer;
use scenario_check::{CalendarSide, run_scenario, scenario_dirs};
use shiftcover::calendar::caldav::CaldavCalendar;
use shiftcover::config::Config;
use shiftcover::ical::{self, Property};
use shiftcover::schedule::Schedule;

/// The other client: edits the series objects in turn, as a person in a
/// calendar app would, and remembers the last mark it wrote on each.
struct OtherClient {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<HashMap<String, String>>,
}

fn start_other_client(server: &'static DavServer, url: String, uids: Vec<String>) -> OtherClient {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let http = reqwest::Client::new();
            let mut marks = HashMap::new();
            let mut n = 0u32;
            while !flag.load(Ordering::Relaxed) {
                let uid = &uids[n as usize % uids.len()];
                n += 1;
                let href = format!("{url}{}.ics", uid.replace('@', "%40"));
                let Ok(resp) = server.auth(http.get(&href)).send().await else {
                    continue;
                };
                let etag = resp
                    .headers()
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let Ok(text) = resp.text().await else {
                    continue;
                };
                let Ok(mut cal) = ical::parse(&text) else {
                    continue;
                };
                let mark = format!("edit {n}");
                for ev in cal.components.iter_mut().filter(|c| c.name == "VEVENT") {
                    ev.set(Property::new("X-OTHER-CLIENT", mark.clone()));
                }
                let mut put = server
                    .auth(http.put(&href))
                    .header("Content-Type", "text/calendar; charset=utf-8")
                    .body(cal.to_ics());
                if let Some(e) = etag {
                    put = put.header("If-Match", e);
                }
                if let Ok(r) = put.send().await
                    && r.status().is_success()
                {
                    marks.insert(uid.clone(), mark);
                }
                tokio::time::sleep(Duration::from_millis(40)).await;
            }
            marks
        })
    });
    OtherClient { stop, thread }
}

struct DavSide {
    server: &'static DavServer,
    rt: tokio::runtime::Runtime,
    /// The calendar of the scenario running now, and its other client.
    current: Mutex<Option<(CaldavCalendar, OtherClient)>>,
}

impl CalendarSide for DavSide {
    fn prepare(&self, dir: &Path) {
        let name = format!(
            "scenario-{}-{}",
            std::process::id(),
            dir.parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        )
        .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "");
        let server = self.server;
        // A server that keeps each UID once per account (Cyrus) must first
        // lose the previous scenario's calendar, which holds the same UIDs.
        // This binary has one test per server, so the turn need not be held.
        drop(self.rt.block_on(server.take_account()));
        let text = std::fs::read_to_string(dir.join("schedule.ics")).unwrap();
        let (cal, uids) = self
            .rt
            .block_on(caldav_servers::calendar_holding(server, &name, &text));
        let config = dir.join("shiftcover.toml");
        caldav_servers::config_on_caldav(dir, &config, server, &format!("url = \"{}\"", cal.url()));
        let other = start_other_client(server, cal.url().to_string(), uids);
        *self.current.lock().unwrap() = Some((cal, other));
    }

    fn read_back(&self, _dir: &Path, config: &Config) -> Result<Schedule, String> {
        let (cal, other) = self.current.lock().unwrap().take().ok_or("no calendar")?;
        other.stop.store(true, Ordering::Relaxed);
        let marks = other
            .thread
            .join()
            .map_err(|_| "the other client panicked")?;
        if marks.is_empty() {
            return Err("the other client made no edit".into());
        }
        self.rt.block_on(async {
            // Every edit the other client made is still there.
            let objects = cal.objects(None).await.map_err(|e| e.to_string())?;
            for (uid, mark) in &marks {
                let Some(obj) = objects
                    .iter()
                    .find(|o| o.calendar.children("VEVENT").any(|e| e.uid() == uid))
                else {
                    return Err(format!("series {uid} is gone"));
                };
                let kept = obj
                    .calendar
                    .children("VEVENT")
                    .filter(|e| e.uid() == uid)
                    .all(|e| e.value("X-OTHER-CLIENT") == Some(mark.as_str()));
                if !kept {
                    return Err(format!("the other client's {mark:?} on {uid} was lost"));
                }
            }
            cal.schedule(&config.roster, config.timezone)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// Runs every scenario on `server`, the calendar being edited by another
/// client all the while.
fn every_scenario_on(server: Option<&'static DavServer>, what: &str) {
    let Some(server) = server else {
        caldav_servers::missing(what);
        return;
    };
    let side = DavSide {
        server,
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        current: Mutex::new(None),
    };
    let started = std::time::Instant::now();
    let mut failures = Vec::new();
    for d in scenario_dirs() {
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        let problems = run_scenario(&d, &side);
        // A scenario that failed before read-back leaves its client running.
        if let Some((_, other)) = side.current.lock().unwrap().take() {
            other.stop.store(true, Ordering::Relaxed);
            let _ = other.thread.join();
        }
        if problems.is_empty() {
            println!("scenario {name} on {what}: ok");
        } else {
            println!("scenario {name} on {what}: FAILED");
            for p in &problems {
                println!("    {p}");
            }
            failures.push(name);
        }
    }
    eprintln!(
        "figure: every scenario on {what} took {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "failing scenarios on {what}: {failures:?}"
    );
}

#[test]
fn every_scenario_passes_on_radicale_with_another_client_editing() {
    every_scenario_on(caldav_servers::radicale(), "Radicale");
}

#[test]
fn every_scenario_passes_on_xandikos_with_another_client_editing() {
    every_scenario_on(caldav_servers::xandikos(), "Xandikos");
}

#[test]
fn every_scenario_passes_on_cyrus_with_another_client_editing() {
    every_scenario_on(caldav_servers::cyrus(), "Cyrus CalDAV");
}

/// A loopback HTTP relay in front of a real CalDAV server that turns away
/// the first `refuse` PUTs with `503 Service Unavailable` (a server busy
/// for a moment) and passes everything else through, one request a
/// connection. Returns its base URL (`http://127.0.0.1:PORT`) and the
/// count of PUTs it turned away.
fn refusing_relay(
    rt: &tokio::runtime::Runtime,
    upstream: &str,
    refuse: usize,
) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::AtomicUsize;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream = reqwest::Url::parse(upstream).expect("the server's URL");
    let upstream = format!(
        "{}:{}",
        upstream.host_str().expect("host"),
        upstream.port_or_known_default().expect("port")
    );
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let refused = Arc::new(AtomicUsize::new(0));
    let count = refused.clone();
    rt.spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else {
                return;
            };
            let upstream = upstream.clone();
            let count = count.clone();
            tokio::spawn(async move {
                // One request: its head, then as many body bytes as it says.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                let head_end = loop {
                    if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                    match client.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                while buf.len() < head_end + length {
                    match client.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                if head.starts_with("PUT ")
                    && count
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                            (n < refuse).then_some(n + 1)
                        })
                        .is_ok()
                {
                    let _ = client
                        .write_all(
                            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        )
                        .await;
                    return;
                }
                // Passed on with the connection closed after it, so each
                // request of the client is seen here on its own.
                let lines: Vec<&str> = head[..head_end - 4]
                    .split("\r\n")
                    .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                    .collect();
                let mut forward = format!("{}\r\nConnection: close\r\n\r\n", lines.join("\r\n"))
                    .into_bytes();
                forward.extend_from_slice(&buf[head_end..head_end + length]);
                let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else {
                    return;
                };
                if server.write_all(&forward).await.is_err() {
                    return;
                }
                let mut answer = Vec::new();
                if server.read_to_end(&mut answer).await.is_err() {
                    return;
                }
                let _ = client.write_all(&answer).await;
                let _ = client.shutdown().await;
            });
        }
    });
    (base, refused)
}

/// A calendar whose server turns the program's first write away for a
/// moment (a 503): the edit is not lost, and `simulate` makes it when the
/// daemon would try again, even when the confirmation was the last mail
/// of the run: the owner's occurrence is gone and the cover event is
/// there, exactly as on a server that never refused.
#[test]
fn an_edit_the_calendar_turns_away_for_a_moment_is_made_when_tried_again() {
    let Some(server) = caldav_servers::radicale() else {
        caldav_servers::missing("Radicale");
        return;
    };
    struct RefusingSide {
        server: &'static DavServer,
        rt: tokio::runtime::Runtime,
        calendar: Mutex<Option<CaldavCalendar>>,
        refused: Mutex<Option<Arc<std::sync::atomic::AtomicUsize>>>,
    }
    impl CalendarSide for RefusingSide {
        fn prepare(&self, dir: &Path) {
            let name = format!("refused-{}", std::process::id());
            let text = std::fs::read_to_string(dir.join("schedule.ics")).unwrap();
            let (cal, _) =
                self.rt
                    .block_on(caldav_servers::calendar_holding(self.server, &name, &text));
            let (relay, refused) = refusing_relay(&self.rt, cal.url().as_str(), 1);
            let direct = reqwest::Url::parse(cal.url().as_str()).unwrap();
            let through_relay = format!("{relay}{}", direct.path());
            let config = dir.join("shiftcover.toml");
            caldav_servers::config_on_caldav(
                dir,
                &config,
                self.server,
                &format!("url = \"{through_relay}\""),
            );
            *self.calendar.lock().unwrap() = Some(cal);
            *self.refused.lock().unwrap() = Some(refused);
        }
        fn read_back(&self, _dir: &Path, config: &Config) -> Result<Schedule, String> {
            let cal = self.calendar.lock().unwrap().take().ok_or("no calendar")?;
            self.rt
                .block_on(cal.schedule(&config.roster, config.timezone))
                .map_err(|e| e.to_string())
        }
    }
    let side = RefusingSide {
        server,
        rt: tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap(),
        calendar: Mutex::new(None),
        refused: Mutex::new(None),
    };
    let scenario = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/covered");
    let problems = run_scenario(&scenario, &side);
    let refused = side
        .refused
        .lock()
        .unwrap()
        .as_ref()
        .map(|r| r.load(Ordering::SeqCst))
        .unwrap_or(0);
    assert_eq!(refused, 1, "the relay turned one write away");
    assert!(problems.is_empty(), "after a refused write: {problems:#?}");
}
