//! Active and standby on one PostgreSQL database, on the real stack
//! (Dovecot, Postfix, PostgreSQL): two `shiftcover run` started at the same
//! moment, one leads and the other waits; the leader killed while a send
//! hangs, the standby takes over and sends what was recorded, once.
//! `status`, `systemctl status` (STATUS=) and `/metrics` say which part each
//! instance holds, before and after the takeover.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Weekday;
use mail_servers::*;
use shiftcover::store::{DeliveryState, Store};
use tokio::net::{TcpListener, TcpStream};

/// A stand-in SMTP address in front of Postfix: while `blocked` it accepts
/// connections and never answers (a send hangs there, as on a server that
/// stalls), afterwards it passes connections through to Postfix.
async fn stalling_smtp(postfix_port: u16, blocked: Arc<AtomicBool>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut client, _)) = listener.accept().await {
            if blocked.load(Ordering::SeqCst) {
                held.push(client);
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut server) = TcpStream::connect(("127.0.0.1", postfix_port)).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    port
}

/// A notify socket as systemd holds one for a unit: the STATUS= lines the
/// daemon sends (what `systemctl status` shows), collected on a thread.
struct SystemdStatus {
    path: std::path::PathBuf,
    heard: Arc<std::sync::Mutex<Vec<String>>>,
}

impl SystemdStatus {
    fn bind(dir: &std::path::Path) -> SystemdStatus {
        let path = dir.join("notify.sock");
        let sock = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let into = heard.clone();
        // The thread ends with the test process.
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 8192];
            while let Ok(n) = sock.recv(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                let mut heard = into.lock().unwrap_or_else(|p| p.into_inner());
                heard.extend(
                    text.lines()
                        .filter_map(|l| l.strip_prefix("STATUS="))
                        .map(str::to_string),
                );
            }
        });
        SystemdStatus { path, heard }
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![("NOTIFY_SOCKET".into(), self.path.display().to_string())]
    }

    /// Waits (at most 90 s) for a STATUS= line starting with `prefix`.
    async fn wait_for(&self, prefix: &str) -> String {
        let until = Instant::now() + Duration::from_secs(90);
        loop {
            let found = {
                let heard = self.heard.lock().unwrap_or_else(|p| p.into_inner());
                heard.iter().rev().find(|l| l.starts_with(prefix)).cloned()
            };
            if let Some(line) = found {
                return line;
            }
            let last = self.heard.lock().unwrap().last().cloned();
            assert!(
                Instant::now() < until,
                "no STATUS= starting {prefix:?}; the last: {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The `/metrics` page on `port`.
async fn metrics(port: u16) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    conn.write_all(b"GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let mut page = String::new();
    conn.read_to_string(&mut page).await.unwrap();
    page
}

/// Waits (at most 90 s) until `/metrics` on `port` names `role`.
async fn metrics_say(port: u16, role: &str) -> String {
    let want = format!("shiftcover_role{{role=\"{role}\"}} 1");
    let until = Instant::now() + Duration::from_secs(90);
    loop {
        let page = match TcpStream::connect(("127.0.0.1", port)).await {
            Ok(_) => metrics(port).await,
            Err(_) => String::new(),
        };
        if page.contains(&want) || Instant::now() > until {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// The instances the database lists, polled until `done` says so (at most
/// a minute, a hang guard).
async fn instances_until(store: &Store, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let until = Instant::now() + Duration::from_secs(90);
    loop {
        let now = store.instances().await.unwrap();
        if done(&now) || Instant::now() > until {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn leaders(instances: &[String]) -> Vec<&String> {
    instances
        .iter()
        .filter(|i| i.starts_with("leader "))
        .collect()
}

fn standbys(instances: &[String]) -> Vec<&String> {
    instances
        .iter()
        .filter(|i| i.starts_with("standby "))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_one_leads_and_the_standby_takes_over_sending_once() {
    let _g = lock().await;
    let Some(s) = servers() else {
        return;
    };
    let Some(url) = postgres_server::fresh_database().await else {
        return;
    };
    s.clear_all().await;
    let blocked = Arc::new(AtomicBool::new(true));
    let smtp = stalling_smtp(s.smtp_port, blocked.clone()).await;

    // Two hosts' configs: the same database, the same (stalling) SMTP; each
    // host its own /metrics and its own systemd.
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let ports = [free_port(), free_port()];
    let systemd = [
        SystemdStatus::bind(dirs[0].path()),
        SystemdStatus::bind(dirs[1].path()),
    ];
    let configs: Vec<_> = dirs
        .iter()
        .zip(ports)
        .map(|(d, port)| {
            let path = write_config(d.path(), &s, &Policy::slow());
            let text = std::fs::read_to_string(&path).unwrap();
            let outbox = format!("port = {}\ntls = \"none\"\n\n[database]", s.smtp_port);
            assert!(text.contains(&outbox), "the config's outbox: {text}");
            let text = text
                .replace(
                    &outbox,
                    // The leader dies with its send recorded as started:
                    // the new one looks for the mail's echo first (README,
                    // "Faults and recovery"), for 5 s here instead of 2 min.
                    &format!("port = {smtp}\ntls = \"none\"\necho_wait = \"5s\"\n\n[database]"),
                )
                .replace("url = \"sqlite://state.db\"", &format!("url = \"{url}\""));
            let text = format!("{text}\n[metrics]\nlisten = \"127.0.0.1:{port}\"\n");
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();

    // Started at the same moment.
    let mut daemons = [
        Daemon::launch_with(&configs[0], systemd[0].env()),
        Daemon::launch_with(&configs[1], systemd[1].env()),
    ];
    let store = Store::open(&url).await.unwrap();
    let both = instances_until(&store, |i| leaders(i).len() == 1 && standbys(i).len() == 1).await;
    assert_eq!(leaders(&both).len(), 1, "one leader among {both:?}");
    assert_eq!(standbys(&both).len(), 1, "one standby among {both:?}");
    let leader_pid = leaders(&both)[0].rsplit(' ').next().unwrap().to_string();
    let leader = daemons
        .iter()
        .position(|d| d.pid().map(|p| p.to_string()) == Some(leader_pid.clone()))
        .unwrap_or_else(|| panic!("no daemon has the leader's pid {leader_pid}: {both:?}"));
    let standby = 1 - leader;
    daemons[leader].wait_for_log("watching for mail", 1, Duration::from_secs(60));

    // `status` says who holds which part.
    let status = Command::new(binary())
        .args(["status", "--config"])
        .arg(&configs[0])
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout).to_string();
    assert!(status.contains("Instance: leader "), "{status}");
    assert!(status.contains("Instance: standby "), "{status}");
    // So do `systemctl status` and /metrics, on each host.
    systemd[leader].wait_for("leader: watching INBOX").await;
    systemd[standby]
        .wait_for("standby: another instance leads")
        .await;
    let page = metrics_say(ports[leader], "leader").await;
    assert!(
        page.contains("shiftcover_role{role=\"leader\"} 1"),
        "{page}"
    );
    let page = metrics_say(ports[standby], "standby").await;
    assert!(
        page.contains("shiftcover_role{role=\"standby\"} 1"),
        "{page}"
    );

    // A request: the leader records it and its ack, and hangs sending.
    let request = ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Chat coverage Tues {}?", md(upcoming(Weekday::Tue, 14))),
        "Hi all,\n\nCould someone cover my Tuesday chat shift? I'm at a workshop.\n\nThanks,\nMei",
    );
    s.post(&request).await;
    let until = Instant::now() + Duration::from_secs(90);
    while store.mail_count(DeliveryState::Pending).await.unwrap() == 0 {
        assert!(
            Instant::now() < until,
            "no ack recorded; the leader's log:\n{}",
            daemons[leader].log_text()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Give a standby that wrongly acts the time to do it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !daemons[standby].log_text().contains("watching for mail"),
        "the standby acted while the leader lived:\n{}",
        daemons[standby].log_text()
    );
    let acks = |inbox: &[Received]| {
        of_kind(inbox, "ack")
            .into_iter()
            .filter(|m| m.answers(&request.message_id))
            .count()
    };
    assert_eq!(
        acks(&s.inbox("mchen").await),
        0,
        "an ack went out while SMTP stalled"
    );

    // The leader dies mid-send; SMTP answers again.
    blocked.store(false, Ordering::SeqCst);
    let killed = Instant::now();
    daemons[leader].kill();
    daemons[standby].wait_for_log("leading: the previous leader", 1, Duration::from_secs(90));
    eprintln!(
        "figure: takeover after the leader's death took {:?}",
        killed.elapsed()
    );
    let inbox = s
        .wait_for("mchen", Duration::from_secs(90), |m| acks(m) > 0)
        .await;
    // A little longer: nothing more may come.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let inbox = if acks(&inbox) > 0 {
        s.inbox("mchen").await
    } else {
        inbox
    };
    assert_eq!(acks(&inbox), 1, "acks in Mei's inbox");
    let after = instances_until(&store, |i| leaders(i).len() == 1).await;
    assert_eq!(leaders(&after).len(), 1, "{after:?}");
    assert!(
        leaders(&after)[0].ends_with(&format!("pid {}", daemons[standby].pid().unwrap())),
        "the survivor leads: {after:?}"
    );
    let page = metrics_say(ports[standby], "leader").await;
    assert!(
        page.contains("shiftcover_role{role=\"leader\"} 1"),
        "{page}"
    );
    systemd[standby].wait_for("leader: watching INBOX").await;
    for mut d in daemons {
        d.kill();
    }
    store.close().await;
    postgres_server::drop_database(&url).await;
}
