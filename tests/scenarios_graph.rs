//! Every scenario again, with the calendar in an Exchange mailbox behind the
//! Microsoft Graph stand-in, while the coordinator keeps editing the same
//! series in "Outlook" (the stand-in's admin edits, which change every
//! occurrence's etag, so the program's writes meet 412s). The results must
//! be the same as on the ICS file, except that Exchange, not the program,
//! sends the coverer's invitation: each invitation the scenario expects must
//! be a meeting request Exchange sent for the cover event instead.
//!
//! Needs the stand-in from tests/servers/start.sh; without it the test
//! prints why and passes, and with SHIFTCOVER_REQUIRE_SERVERS=1 (CI) fails.

#[path = "support/graph_standin.rs"]
mod graph_standin;
#[path = "support/scenario_check.rs"]
mod scenario_check;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::DateTime;
use graph_standin::{Standin, graph_config, root_or_skip};
use scenario_check::{CalendarSide, run_scenario, scenario_dirs};
use serde_json::{Value, json};
use shiftcover::auth::StaticBearer;
use shiftcover::calendar::graph::GraphCalendar;
use shiftcover::config::Config;
use shiftcover::schedule::Schedule;

const CLIENT: &str = "scenarios-graph";
const SECRET: &str = "scenario secret";

/// The coordinator in Outlook: edits the series in turn and remembers the
/// last mark she wrote on each.
struct Coordinator {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<(String, String)>>,
}

fn start_coordinator(standin: Standin, mailbox: String, series: Vec<String>) -> Coordinator {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // A client of its own: a pooled connection must not be shared
        // between two runtimes.
        let standin = Standin::new(standin.root);
        rt.block_on(async move {
            let mut marks: Vec<(String, String)> = Vec::new();
            let mut n = 0usize;
            while !flag.load(Ordering::Relaxed) {
                let id = &series[n % series.len()];
                n += 1;
                let mark = format!("edit {n}");
                let r = standin
                    .post_json(
                        &format!("{}/_admin/edit", standin.root),
                        &json!({"mailbox": mailbox, "id": id, "action": "patch",
                                "changes": {"categories": [mark]}}),
                    )
                    .await;
                if r.is_ok_and(|(status, _)| status == 200) {
                    marks.retain(|(i, _)| i != id);
                    marks.push((id.clone(), mark));
                }
                tokio::time::sleep(Duration::from_millis(40)).await;
            }
            marks
        })
    });
    Coordinator { stop, thread }
}

struct Current {
    mailbox: String,
    calendar: String,
    coordinator: Coordinator,
    /// The invitations the scenario expects, to be found as Exchange's
    /// meeting requests.
    invitations: Vec<Value>,
}

struct GraphSide {
    standin: Standin,
    token: String,
    rt: tokio::runtime::Runtime,
    current: Mutex<Option<Current>>,
    pending_invitations: Mutex<Vec<Value>>,
}

impl CalendarSide for GraphSide {
    fn adjust_expect(&self, expect: &mut Value) {
        let sent = expect["sent"].as_array_mut().expect("sent");
        let (invitations, rest): (Vec<Value>, Vec<Value>) =
            sent.drain(..).partition(|m| m["kind"] == "invitation");
        // Exchange also sends the coverer the cancellation of a deleted
        // cover event itself, so the service sends none of its own.
        *sent = rest
            .into_iter()
            .filter(|m| m["kind"] != "cancellation")
            .collect();
        *self.pending_invitations.lock().unwrap() = invitations;
    }

    fn prepare(&self, dir: &Path) {
        let name = dir
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "");
        let mailbox =
            format!("askchat-{}-{name}@example.edu", std::process::id()).to_ascii_lowercase();
        let ics = std::fs::read_to_string(dir.join("schedule.ics")).unwrap();
        let calendar = self
            .rt
            .block_on(self.standin.calendar(&mailbox, "LIB: Ask Chat", &ics));
        // Pages of 100 (the client's maxpagesize): paging is still needed
        // for a term of shifts, without a thousand round trips per run.
        self.rt.block_on(
            self.standin
                .admin("settings", json!({"mailbox": mailbox, "max_page": 100})),
        );
        let series: Vec<String> = self
            .rt
            .block_on(self.standin.events(&calendar))
            .iter()
            .filter_map(|e| e["id"].as_str().map(str::to_string))
            .collect();
        std::fs::write(dir.join("graph-token"), format!("{}\n", self.token)).unwrap();
        let config = std::fs::read_to_string(dir.join("shiftcover.toml")).unwrap();
        let config = graph_config(
            &config,
            &self.standin.graph_url(),
            &mailbox,
            "LIB: Ask Chat",
        );
        std::fs::write(dir.join("shiftcover.toml"), config).unwrap();
        // The file is not the calendar any more: nothing may read it.
        std::fs::remove_file(dir.join("schedule.ics")).unwrap();
        let coordinator = start_coordinator(self.standin.clone(), mailbox.clone(), series);
        *self.current.lock().unwrap() = Some(Current {
            mailbox,
            calendar,
            coordinator,
            invitations: std::mem::take(&mut *self.pending_invitations.lock().unwrap()),
        });
    }

    fn read_back(&self, _dir: &Path, config: &Config) -> Result<Schedule, String> {
        let cur = self.current.lock().unwrap().take().ok_or("no calendar")?;
        cur.coordinator.stop.store(true, Ordering::Relaxed);
        let marks = cur
            .coordinator
            .thread
            .join()
            .map_err(|_| "the coordinator thread panicked")?;
        if marks.is_empty() {
            return Err("the coordinator made no edit".into());
        }
        self.rt.block_on(async {
            // Every series is still there, with the coordinator's last edit.
            let events = self.standin.events(&cur.calendar).await;
            for (id, mark) in &marks {
                let Some(e) = events.iter().find(|e| e["id"] == id.as_str()) else {
                    return Err(format!("series {id} is gone"));
                };
                if e["categories"] != json!([mark]) {
                    return Err(format!(
                        "the coordinator's {mark:?} on {} was lost",
                        e["subject"]
                    ));
                }
            }
            // Exchange invited each coverer the scenario expects invited.
            let requests: Vec<Value> = self
                .standin
                .meeting_messages()
                .await
                .into_iter()
                .filter(|m| m["method"] == "REQUEST")
                .collect();
            let ours: Vec<&Value> = requests
                .iter()
                .filter(|m| m["mailbox"] == cur.mailbox.as_str())
                .collect();
            for want in &cur.invitations {
                let t = |v: &Value| {
                    DateTime::parse_from_rfc3339(v.as_str().unwrap_or(""))
                        .map(|d| d.to_utc())
                        .ok()
                };
                let found = ours.iter().any(|m| {
                    m["to"].as_str().map(str::to_ascii_lowercase)
                        == want["to"].as_str().map(str::to_ascii_lowercase)
                        && t(&m["start"]) == t(&want["event"]["start"])
                        && t(&m["end"]) == t(&want["event"]["end"])
                        && want["event"]["summary_any_of"]
                            .as_array()
                            .is_some_and(|a| a.contains(&m["subject"]))
                });
                if !found {
                    return Err(format!(
                        "Exchange sent no meeting request to {} for {} (it sent: {:?})",
                        want["to"],
                        want["event"],
                        ours.iter()
                            .map(|m| format!("{} {} {}", m["to"], m["subject"], m["start"]))
                            .collect::<Vec<_>>()
                    ));
                }
            }
            let cal = GraphCalendar::connect(
                &self.standin.graph_url(),
                &cur.mailbox,
                "LIB: Ask Chat",
                Arc::new(StaticBearer(self.token.clone())),
                config.timezone,
            )
            .await
            .map_err(|e| e.to_string())?;
            cal.schedule(&config.roster, config.timezone)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

#[test]
fn every_scenario_passes_on_graph_with_the_coordinator_editing() {
    let Some(root) = root_or_skip() else {
        return;
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let standin = Standin::new(root);
    let token = rt.block_on(async {
        standin
            .client(CLIENT, SECRET, graph_standin::ROLES_ALL)
            .await;
        standin.token(CLIENT, SECRET).await
    });
    let side = GraphSide {
        standin,
        token,
        rt,
        current: Mutex::new(None),
        pending_invitations: Mutex::new(Vec::new()),
    };
    let only = std::env::var("SHIFTCOVER_SCENARIO").ok();
    let mut failures = Vec::new();
    for d in scenario_dirs() {
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let started = std::time::Instant::now();
        let problems = run_scenario(&d, &side);
        // A scenario that failed before read-back leaves its editor running.
        if let Some(cur) = side.current.lock().unwrap().take() {
            cur.coordinator.stop.store(true, Ordering::Relaxed);
            let _ = cur.coordinator.thread.join();
        }
        eprintln!(
            "figure: scenario {name} on Graph took {} ms",
            started.elapsed().as_millis()
        );
        if problems.is_empty() {
            println!("scenario {name} on Graph: ok");
        } else {
            println!("scenario {name} on Graph: FAILED");
            for p in &problems {
                println!("    {p}");
            }
            failures.push(name);
        }
    }
    assert!(
        failures.is_empty(),
        "failing scenarios on Graph: {failures:?}"
    );
}
