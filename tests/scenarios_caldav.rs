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
