//! End-to-end tests on real mail: Dovecot and Postfix as started by
//! tests/servers/start.sh. Staff mail goes in by SMTP to the list address
//! (which Postfix expands to every staff inbox and the program's), and what
//! staff receive is read back over IMAP.
//!
//! First the adapters alone (IMAP watcher, SMTP sender), then the daemon
//! binary (`shiftcover run`) on a temporary config. Without the servers the
//! tests print why and pass; with SHIFTCOVER_REQUIRE_SERVERS=1 (CI) they fail.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Weekday;
use mail_servers::*;
use shiftcover::live::imap::{ImapWatcher, Wake};
use shiftcover::live::smtp::SmtpSender;

fn note(raw: &str, id: &str) -> Vec<u8> {
    format!(
        "From: Angie Lopez <alopez@example.edu>\r\nTo: coverage@example.edu\r\nSubject: {raw}\r\nMessage-ID: {id}\r\nDate: {}\r\n\r\n{raw}\r\n",
        chrono::Utc::now().to_rfc2822()
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------
// The adapters.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetching_leaves_the_shared_mailbox_unread() {
    let Some(s) = servers() else { return };
    let _g = lock().await;
    s.clear(PROGRAM).await;
    let id = fresh_message_id("peek");
    s.send(
        "alopez@example.edu",
        &["coverage@example.edu"],
        &note("peek test", &id),
    )
    .await;
    let got = s
        .wait_for(PROGRAM, Duration::from_secs(10), |m| {
            m.iter().any(|r| r.message_id() == Some(id.as_str()))
        })
        .await;
    let mine = got
        .iter()
        .find(|r| r.message_id() == Some(id.as_str()))
        .expect("delivered");

    let mut w = s.watcher(PROGRAM).await;
    let fetched = w.fetch_new(0, 100).await.unwrap();
    assert!(
        fetched
            .iter()
            .any(|(uid, raw)| *uid == mine.uid && raw == &mine.raw)
    );
    w.logout().await;

    let flags = s.flags(PROGRAM).await;
    let f = flags.get(&mine.uid).expect("flags of the message");
    assert!(
        !f.iter().any(|x| x.contains("Seen")),
        "fetching set \\Seen: {f:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_wakes_when_mail_arrives_by_smtp() {
    let Some(s) = servers() else { return };
    let _g = lock().await;
    s.clear(PROGRAM).await;
    let mut w = s.watcher(PROGRAM).await;
    assert!(w.info().idle, "the test Dovecot offers IDLE");
    let last = w.new_uids(0).await.unwrap().last().copied().unwrap_or(0);

    let id = fresh_message_id("idle");
    let s2 = s.clone();
    let raw = note("idle test", &id);
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        s2.send("alopez@example.edu", &["coverage@example.edu"], &raw)
            .await;
        Instant::now()
    });
    let wake = w.wait_for_mail(Duration::from_secs(20)).await.unwrap();
    let woke_at = Instant::now();
    let sent_at = sender.await.unwrap();
    assert_eq!(wake, Wake::Changed);
    let lag = woke_at.saturating_duration_since(sent_at);
    eprintln!("figure: IDLE noticed the mail after {lag:?}");
    let new = w.fetch_new(last, 100).await.unwrap();
    assert_eq!(new.len(), 1);
    assert!(String::from_utf8_lossy(&new[0].1).contains(&id));
    w.logout().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_fails_fast_when_dovecot_restarts_and_a_new_one_finds_every_message() {
    let Some(s) = servers() else { return };
    let _g = lock().await;
    s.clear(PROGRAM).await;
    let mut w = s.watcher(PROGRAM).await;
    let validity = w.uid_validity();
    let idle = tokio::spawn(async move {
        let r = w.wait_for_mail(Duration::from_secs(60)).await;
        (r, w.is_usable())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    s.dovecot("stop");
    // Postfix keeps mail for the mailbox while Dovecot is down.
    let id = fresh_message_id("down");
    s.send(
        "alopez@example.edu",
        &["coverage@example.edu"],
        &note("while down", &id),
    )
    .await;
    let (result, usable) = tokio::time::timeout(Duration::from_secs(20), idle)
        .await
        .expect("IDLE noticed the server going away")
        .unwrap();
    // The connection is gone: the watcher says so, and the caller reconnects.
    assert!(
        result.is_err() || !usable,
        "the wait ended with {result:?} on a live-looking watcher"
    );
    eprintln!(
        "figure: IDLE noticed Dovecot stopping after {:?}",
        started.elapsed()
    );
    s.dovecot("start");

    // Postfix retries the deferred delivery on its own schedule (1-2 s
    // here); give a busy machine room.
    let got = s
        .wait_for(PROGRAM, Duration::from_secs(45), |m| {
            m.iter().any(|r| r.message_id() == Some(id.as_str()))
        })
        .await;
    assert!(
        got.iter().any(|r| r.message_id() == Some(id.as_str())),
        "mail sent while Dovecot was down was not delivered after it came back"
    );
    let w2 = s.watcher(PROGRAM).await;
    assert_eq!(w2.uid_validity(), validity, "a restart keeps UIDVALIDITY");
    w2.logout().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_to_the_list_reaches_every_member_and_the_program() {
    let Some(s) = servers() else { return };
    let _g = lock().await;
    s.clear_all().await;
    let sender = SmtpSender::new(&s.smtp(), None).unwrap();
    let id = fresh_message_id("list");
    let raw = format!(
        "From: Ask Chat Coverage <coverage@example.edu>\r\nTo: ask-chat@example.edu\r\nSubject: Second call\r\nMessage-ID: {id}\r\nX-Shiftcover-Kind: second-call\r\n\r\nStill looking.\r\n"
    );
    sender
        .send_raw(
            "coverage@example.edu",
            &["ask-chat@example.edu".into()],
            raw.as_bytes(),
        )
        .await
        .unwrap();
    for user in STAFF.iter().copied().chain([PROGRAM]) {
        let got = s
            .wait_for(user, Duration::from_secs(10), |m| {
                m.iter().any(|r| r.message_id() == Some(id.as_str()))
            })
            .await;
        let copies = got
            .iter()
            .filter(|r| r.message_id() == Some(id.as_str()))
            .count();
        assert_eq!(copies, 1, "{user} has {copies} copies of the list mail");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_a_login_error_that_needs_a_person() {
    // Another test may be restarting Dovecot: wait for its turn.
    let _g = lock().await;
    let Some(s) = servers() else { return };
    let e = ImapWatcher::connect(&s.imap(PROGRAM), "INBOX", Some("not the password"))
        .await
        .unwrap_err();
    assert!(e.needs_a_person(), "{e}");
    assert!(
        !e.to_string().contains("not the password"),
        "the password leaked: {e}"
    );
}

// ---------------------------------------------------------------------------
// The daemon.

/// Acks answering `request` in the requester's inbox.
fn acks_for<'a>(inbox: &'a [Received], request: &ListMail) -> Vec<&'a Received> {
    of_kind(inbox, "ack")
        .into_iter()
        .filter(|m| m.answers(&request.message_id))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_brings_one_threaded_ack_to_the_requester_only() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let _d = Daemon::start(&t.config);
    let req = request_for_mei(upcoming(Weekday::Tue, 14));
    let sent = Instant::now();
    t.s.post(&req).await;
    let inbox =
        t.s.wait_for("mchen", Duration::from_secs(10), |m| {
            !acks_for(m, &req).is_empty()
        })
        .await;
    let took = sent.elapsed();
    let acks = acks_for(&inbox, &req);
    assert_eq!(acks.len(), 1, "acks in Mei's inbox: {}", acks.len());
    // A figure, not an assertion: Dovecot holds IDLE notices back about half
    // a second and polling adds 0.1 s, but a busy machine adds more.
    eprintln!("figure: request to ack took {took:?}");
    let ack = acks[0];
    assert_eq!(
        ack.header("auto-submitted").map(|v| v.starts_with("auto-")),
        Some(true)
    );
    // The ack goes to the requester only.
    for other in ["alopez", "skim", "ccrummett"] {
        let theirs = t.s.inbox(other).await;
        assert!(of_kind(&theirs, "ack").is_empty(), "{other} got an ack");
    }
}

/// The daemon reads mail in a child process of its own binary
/// (src/reader_process): it is there once mail was read, leaves after a
/// minute without work, and the next request brings a new one.
#[tokio::test]
async fn the_daemon_reads_in_a_child_process_that_leaves_when_idle_and_comes_back() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let d = Daemon::start(&t.config);
    let pid = d.pid().expect("the daemon's pid");
    let readers = || -> Vec<u32> {
        children_of(pid)
            .into_iter()
            .filter(|c| {
                std::fs::read(format!("/proc/{c}/cmdline"))
                    .is_ok_and(|cmd| String::from_utf8_lossy(&cmd).contains("read-worker"))
            })
            .collect()
    };
    for round in 0..2 {
        let req = request_for_mei(upcoming(Weekday::Tue, 14 + 7 * round));
        t.s.post(&req).await;
        let inbox =
            t.s.wait_for("mchen", Duration::from_secs(60), |m| {
                !acks_for(m, &req).is_empty()
            })
            .await;
        assert_eq!(acks_for(&inbox, &req).len(), 1);
        let running = readers();
        assert_eq!(running.len(), 1, "reading processes: {running:?}");
        // It lingers a minute, then exits and the daemon reaps it: until
        // reaped, an exited child stays in /proc as a zombie, so the wait
        // is for its /proc entry to go. The hang guard is generous.
        let gone = format!("/proc/{}", running[0]);
        let waiting = Instant::now();
        while std::path::Path::new(&gone).exists() {
            assert!(
                waiting.elapsed() < Duration::from_secs(300),
                "the reading process never left, or was never reaped"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        eprintln!(
            "figure: the reading process left {:?} after the ack was seen",
            waiting.elapsed()
        );
        assert!(readers().is_empty(), "reading processes: {:?}", readers());
    }
    assert!(
        d.log_text()
            .contains("the reading process was idle and left")
    );
}

/// A message of about `bytes` from a staff member: one request line said
/// over and over, the shape that once took reading quadratic time.
fn huge_message(bytes: usize) -> (String, Vec<u8>) {
    let id = fresh_message_id("huge");
    let mut raw = format!(
        "From: Angie Lopez <alopez@example.edu>\r\nTo: {LIST}\r\nSubject: Coverage\r\n\
         Date: {}\r\nMessage-ID: {id}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n",
        chrono::Utc::now().to_rfc2822()
    );
    while raw.len() < bytes {
        raw.push_str("Can someone cover 12-2 Monday?\r\n");
    }
    (id, raw.into_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_20_mb_message_the_next_request_still_gets_its_ack() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let mut d = Daemon::start(&t.config);
    // Postfix refuses messages over 10 MB, so the huge one is put straight
    // into the program's mailbox, as a local delivery would.
    let (huge_id, huge) = huge_message(20 * 1024 * 1024);
    let mut session = t.s.raw_session(PROGRAM).await;
    session
        .append("INBOX", None, None, &huge)
        .await
        .expect("append the 20 MB message");
    let _ = session.logout().await;
    let req = request_for_mei(upcoming(Weekday::Tue, 14));
    let sent = Instant::now();
    t.s.post(&req).await;
    let inbox =
        t.s.wait_for("mchen", Duration::from_secs(180), |m| {
            !acks_for(m, &req).is_empty()
        })
        .await;
    let took = sent.elapsed();
    assert_eq!(
        acks_for(&inbox, &req).len(),
        1,
        "no ack for the request after the 20 MB message; the daemon's log:\n{}",
        d.log_text()
    );
    eprintln!("figure: request after a 20 MB message to its ack took {took:?}");
    // The huge message was read (only its head) and recorded as handled,
    // so a restart does not read it again, and the daemon comes back to
    // watching.
    let db = format!("sqlite://{}", t.dir.path().join("state.db").display());
    let store = shiftcover::store::Store::open(&db)
        .await
        .expect("the daemon's database");
    assert!(
        store.is_processed(&huge_id).await.expect("query"),
        "the 20 MB message was not recorded; the daemon's log:\n{}",
        d.log_text()
    );
    store.close().await;
    d.restart();
    assert!(d.log_text().matches("watching for mail").count() >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_request_brings_a_second_call_to_everyone_then_an_escalation() {
    let _g = lock().await;
    let Some(t) = setup(Policy::seconds(3, 3)).await else {
        return;
    };
    let _d = Daemon::start(&t.config);
    let req = request_for_mei(upcoming(Weekday::Tue, 14));
    t.s.post(&req).await;

    for user in STAFF {
        let inbox =
            t.s.wait_for(user, Duration::from_secs(20), |m| {
                !of_kind(m, "second-call").is_empty()
            })
            .await;
        let calls = of_kind(&inbox, "second-call");
        assert_eq!(calls.len(), 1, "{user} got {} second calls", calls.len());
        assert!(
            calls[0]
                .header("subject")
                .unwrap_or("")
                .to_lowercase()
                .contains("second call"),
            "subject: {:?}",
            calls[0].header("subject")
        );
    }
    let boss =
        t.s.wait_for("ccrummett", Duration::from_secs(20), |m| {
            !of_kind(m, "escalation").is_empty()
        })
        .await;
    assert_eq!(
        of_kind(&boss, "escalation").len(),
        1,
        "escalations to the coordinator"
    );
    // The escalation goes to the coordinator alone.
    for user in ["alopez", "skim"] {
        assert!(
            of_kind(&t.s.inbox(user).await, "escalation").is_empty(),
            "{user} got the escalation"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covered_brings_the_invitation_to_the_coverer() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let _d = Daemon::start(&t.config);
    let date = upcoming(Weekday::Tue, 14);
    let req = request_for_mei(date);
    t.s.post(&req).await;
    t.s.wait_for("mchen", Duration::from_secs(10), |m| {
        !acks_for(m, &req).is_empty()
    })
    .await;
    let done = sarah_takes_meis_shift(date, &req);
    t.s.post(&done).await;
    let inbox =
        t.s.wait_for("skim", Duration::from_secs(10), |m| {
            !of_kind(m, "invitation").is_empty()
        })
        .await;
    let inv = of_kind(&inbox, "invitation");
    assert_eq!(inv.len(), 1, "invitations to Sarah");
    let text = inv[0].text();
    assert!(text.contains("text/calendar"), "no calendar part:\n{text}");
    assert!(text.contains("METHOD:REQUEST") || text.contains("method=REQUEST"));
    assert!(text.contains("Sarah for Mei"), "summary:\n{text}");
    // The calendar file shows the cover.
    let ics = std::fs::read_to_string(t.dir.path().join("schedule.ics")).unwrap();
    assert!(
        ics.contains("Sarah for Mei"),
        "the calendar has no cover event:\n{ics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sick_notice_brings_a_sick_call_to_everyone_and_an_escalation() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let _d = Daemon::start(&t.config);
    let sick = ListMail::new(
        "tbecker",
        "Tom Becker",
        "Sick tomorrow",
        "Hi all, I've come down with a fever and I'm staying home tomorrow. Sorry to leave my chat shift uncovered!\n\nTom",
    );
    t.s.post(&sick).await;
    for user in STAFF {
        let inbox =
            t.s.wait_for(user, Duration::from_secs(10), |m| {
                !of_kind(m, "sick-call").is_empty()
            })
            .await;
        assert_eq!(
            of_kind(&inbox, "sick-call").len(),
            1,
            "sick-calls to {user}"
        );
    }
    let boss =
        t.s.wait_for("ccrummett", Duration::from_secs(10), |m| {
            !of_kind(m, "escalation").is_empty()
        })
        .await;
    assert_eq!(
        of_kind(&boss, "escalation").len(),
        1,
        "escalations to the coordinator"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarting_dovecot_under_the_daemon_loses_nothing() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let mut d = Daemon::start(&t.config);
    let date = upcoming(Weekday::Tue, 14);
    let first = request_for_mei(date);
    t.s.post(&first).await;
    t.s.wait_for("mchen", Duration::from_secs(10), |m| {
        !acks_for(m, &first).is_empty()
    })
    .await;

    t.s.dovecot("stop");
    // This one waits in Postfix's queue while Dovecot is down.
    let second = ListMail::new(
        "alopez",
        "Angie Lopez",
        &format!("Coverage Monday {}?", md(upcoming(Weekday::Mon, 14))),
        &format!(
            "Hi all,\n\nCould someone cover my Monday {} chat shift?\n\nThanks,\nAngie",
            md(upcoming(Weekday::Mon, 14))
        ),
    );
    t.s.post(&second).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    t.s.dovecot("start");

    let inbox =
        t.s.wait_for("alopez", Duration::from_secs(30), |m| {
            !acks_for(m, &second).is_empty()
        })
        .await;
    assert_eq!(
        acks_for(&inbox, &second).len(),
        1,
        "Angie's ack after the restart"
    );
    let mei = t.s.inbox("mchen").await;
    assert_eq!(
        acks_for(&mei, &first).len(),
        1,
        "Mei's request was acked once"
    );
    d.wait_for_log("mailbox connected", 2, Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_daemon_restarted_sends_nothing_twice_and_misses_nothing() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let mut d = Daemon::start(&t.config);
    // Requests from several staff for shifts weeks ahead, in quick succession.
    let people: [(&'static str, &'static str, Weekday); 4] = [
        ("mchen", "Mei Chen", Weekday::Tue),
        ("alopez", "Angie Lopez", Weekday::Mon),
        ("bokafor", "Ben Okafor", Weekday::Mon),
        ("skim", "Sarah Kim", Weekday::Wed),
    ];
    let mut requests = Vec::new();
    for week in 0..3u64 {
        for (user, name, day) in people {
            let date = upcoming(day, 14 + 7 * week as i64);
            let r = ListMail::new(
                user,
                name,
                &format!("Coverage {}?", md(date)),
                &format!(
                    "Hi all,\n\nCould someone cover my {day:?} {} chat shift?\n\nThanks",
                    md(date)
                ),
            );
            requests.push(r);
        }
    }
    for (i, r) in requests.iter().enumerate() {
        t.s.post(r).await;
        if i == requests.len() / 2 {
            d.kill();
        }
    }
    // Some arrived while it was dead; start it again.
    tokio::time::sleep(Duration::from_millis(500)).await;
    d.restart();

    for r in &requests {
        let inbox =
            t.s.wait_for(r.from_user, Duration::from_secs(20), |m| {
                !acks_for(m, r).is_empty()
            })
            .await;
        assert_eq!(
            acks_for(&inbox, r).len(),
            1,
            "{} acks for {}'s request {}",
            acks_for(&inbox, r).len(),
            r.from_user,
            r.subject
        );
    }
    // A little longer: nothing more may come.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (user, _, _) in people {
        for m in t.s.inbox(user).await {
            if let Some(k) = m.kind() {
                *counts
                    .entry(format!(
                        "{user}:{k}:{}",
                        m.header("in-reply-to").unwrap_or("")
                    ))
                    .or_default() += 1;
            }
        }
    }
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent twice: {twice:?}");
}

/// Puts `mails` straight into the program's Maildir, as if delivered while
/// no one watched: thousands arrive in a moment, and Dovecot numbers them in
/// this order.
fn deliver_unseen(t: &Setup, mails: &[ListMail]) {
    let maildir = t.s.dir.join("mail/coverage@example.edu/Maildir/new");
    std::fs::create_dir_all(&maildir).unwrap();
    for (i, m) in mails.iter().enumerate() {
        let path = maildir.join(format!("{}.M{i}P1.bench", 1_800_000_000 + i));
        std::fs::write(&path, m.render()).unwrap();
        let _ = std::os::unix::fs::chown(&path, Some(8), Some(8));
    }
}

/// Waits until Postfix's queue is empty (every mail handed to Dovecot);
/// says how long that took. A hang guard, not a timed assertion: a queue
/// still full after `limit` fails the test.
fn wait_for_empty_mail_queue(s: &Servers, limit: Duration) -> Duration {
    let started = Instant::now();
    let conf = s.dir.join("postfix/etc");
    loop {
        let out = std::process::Command::new("postqueue")
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .output()
            .expect("run postqueue");
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.success() && text.contains("Mail queue is empty") {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "Postfix's queue still holds mail after {limit:?}:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Filler for a long catch-up: list mail that asks nothing of anyone.
fn list_chatter(i: usize) -> ListMail {
    let (user, name) = [
        ("alopez", "Angie Lopez"),
        ("bokafor", "Ben Okafor"),
        ("skim", "Sarah Kim"),
        ("praman", "Priya Raman"),
    ][i % 4];
    ListMail::new(
        user,
        name,
        "Staff meeting notes",
        "Hi all,\n\nNotes from today's meeting are in the shared drive.\n\nBest",
    )
}

/// A catch-up killed half way (some batches stored, the next perhaps
/// fetched and read ahead but not stored) and started again: every request
/// in the mailbox is acknowledged exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catch_up_killed_half_way_loses_nothing_and_acks_nothing_twice() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    catch_up_killed_half_way(&t).await;
}

/// The same with the state on PostgreSQL: the batch in flight at the
/// kill is rolled back with the dead session, and the sync point, stored
/// only once a batch is committed, never runs ahead of what was stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_catch_up_killed_half_way_loses_nothing_and_acks_nothing_twice() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let Some(url) = postgres_server::fresh_database().await else {
        return;
    };
    let text = std::fs::read_to_string(&t.config).unwrap();
    assert!(text.contains("url = \"sqlite://state.db\""), "{text}");
    std::fs::write(
        &t.config,
        text.replace("url = \"sqlite://state.db\"", &format!("url = \"{url}\"")),
    )
    .unwrap();
    catch_up_killed_half_way(&t).await;
    postgres_server::drop_database(&url).await;
}

async fn catch_up_killed_half_way(t: &Setup) {
    // Tom works every day, so each request names a day of its own.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive();
    let mut requests = Vec::new();
    let mails: Vec<ListMail> = (0..3_000)
        .map(|i| {
            if i % 50 == 7 {
                let date = today + chrono::Days::new(14 + requests.len() as u64);
                let r = ListMail::new(
                    "tbecker",
                    "Tom Becker",
                    &format!("Chat coverage {}?", md(date)),
                    &format!(
                        "Hi all,\n\nCould someone cover my {} chat shift?\n\nThanks,\nTom",
                        md(date)
                    ),
                );
                requests.push(r.clone());
                r
            } else {
                list_chatter(i)
            }
        })
        .collect();
    deliver_unseen(t, &mails);
    // Dovecot has taken every file in (a SELECT made while it still moves
    // them from new/ may show only some), so the daemon's first catch-up
    // is the long one the kill interrupts.
    let waiting = Instant::now();
    loop {
        let mut raw = t.s.raw_session(PROGRAM).await;
        let exists = raw.select("INBOX").await.unwrap().exists as usize;
        let _ = raw.logout().await;
        if exists >= mails.len() {
            break;
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(120),
            "Dovecot shows {exists} of the {} messages",
            mails.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let mut d = Daemon::launch(&t.config);
    // The first stored batch, then the kill: mid-catch-up.
    d.wait_for_log("catching up", 1, Duration::from_secs(600));
    d.kill();
    let first_run = d.log_text();
    assert!(
        !first_run.contains("watching for mail"),
        "the daemon had caught up before the kill, so nothing was interrupted; its log:\n{first_run}"
    );
    d.relaunch();
    d.wait_for_log("watching for mail", 1, Duration::from_secs(600));

    let want = requests.len();
    let inbox =
        t.s.wait_for("tbecker", Duration::from_secs(120), |m| {
            requests.iter().all(|r| !acks_for(m, r).is_empty())
        })
        .await;
    // A little longer: nothing more may come.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let inbox = if inbox.len() < t.s.inbox("tbecker").await.len() {
        t.s.inbox("tbecker").await
    } else {
        inbox
    };
    for r in &requests {
        assert_eq!(
            acks_for(&inbox, r).len(),
            1,
            "acks for Tom's request {}",
            r.subject
        );
    }
    assert_eq!(of_kind(&inbox, "ack").len(), want, "acks in Tom's inbox");
    // The restart went on from the stored sync point, not from the start.
    let second_run = &d.log_text()[first_run.len()..];
    let read_again: usize = second_run
        .lines()
        .filter(|l| l.contains("catching up"))
        .filter_map(|l| {
            l.split("read=")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .max()
        .unwrap_or(0);
    assert!(
        read_again < mails.len(),
        "the restart read {read_again} messages: all over again"
    );
    eprintln!(
        "figure: the restart read {read_again} of {} messages",
        mails.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_that_arrives_while_the_daemon_is_stopped_is_handled_when_it_returns() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let mut d = Daemon::start(&t.config);
    assert!(
        d.terminate(Duration::from_secs(300)),
        "SIGTERM did not stop the daemon cleanly"
    );
    let req = request_for_mei(upcoming(Weekday::Tue, 14));
    t.s.post(&req).await;
    // Delivered, unread, with nobody watching.
    t.s.wait_for(PROGRAM, Duration::from_secs(10), |m| {
        m.iter()
            .any(|r| r.message_id() == Some(req.message_id.as_str()))
    })
    .await;
    d.restart();
    let inbox =
        t.s.wait_for("mchen", Duration::from_secs(10), |m| {
            !acks_for(m, &req).is_empty()
        })
        .await;
    assert_eq!(acks_for(&inbox, &req).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_says_what_works_in_plain_words() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let out = std::process::Command::new(binary())
        .args(["check", "--config"])
        .arg(&t.config)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check failed:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("logged in as coverage@example.edu"), "{text}");
    assert!(text.contains("IDLE supported"), "{text}");
    assert!(text.contains("SMTP 127.0.0.1"), "{text}");

    // A wrong password is reported, not hidden, and never printed.
    std::fs::write(t.dir.path().join("imap-password"), "wrong-one\n").unwrap();
    let out = std::process::Command::new(binary())
        .args(["check", "--config"])
        .arg(&t.config)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "check passed with a wrong password:\n{text}"
    );
    assert!(text.contains("FAIL IMAP"), "{text}");
    assert!(
        !text.contains("wrong-one"),
        "the password was printed:\n{text}"
    );
}

// ---------------------------------------------------------------------------
// The figures of issue 4.7, each beside its floor measured in the same run.
// Slow (minutes): `cargo test --release --test e2e_mail -- --ignored --nocapture live_figures`.

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn rss_kib(pid: u32) -> u64 {
    proc_status(pid, "VmRSS:")
}

/// A process's proportional set size: its resident pages, each shared page
/// divided among the processes that map it (the daemon and its reading
/// process map the same binary).
fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The processes whose parent is `pid` (its reading process, if one runs).
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&child| {
            std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|s| {
                    // The fields after the command's closing parenthesis:
                    // state, then the parent's pid.
                    let rest = &s[s.rfind(')')? + 1..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(pid)
        })
        .collect()
}

/// A number from a process's `/proc/PID/status` line named `field`; 0 when
/// there is none.
fn proc_status(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// A process's resident memory by mapping, largest first: the binary and
/// each library by path, the heap, the stacks, and anonymous mappings
/// (glibc's thread arenas, large allocations) together, in KiB.
fn rss_by_mapping(pid: u32) -> Vec<(String, u64)> {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps")) else {
        return Vec::new();
    };
    let mut by: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    let mut name = String::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        if first.contains('-') && first.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            // A mapping's header: range, perms, offset, dev, inode, path.
            let path = words.nth(4).unwrap_or("");
            name = if path.is_empty() {
                "[anonymous]".to_string()
            } else if path.starts_with('/') {
                path.rsplit('/').next().unwrap_or(path).to_string()
            } else {
                path.to_string()
            };
        } else if first == "Rss:" {
            let kib: u64 = words.next().and_then(|v| v.parse().ok()).unwrap_or(0);
            *by.entry(name.clone()).or_default() += kib;
        }
    }
    let mut v: Vec<(String, u64)> = by.into_iter().filter(|(_, k)| *k > 0).collect();
    v.sort_by_key(|(_, kib)| std::cmp::Reverse(*kib));
    v
}

/// Waits on `w` (IDLE) until a message matching `found` is in its folder.
async fn idle_until(w: &mut ImapWatcher, last: &mut u32, found: impl Fn(&[u8]) -> bool) -> Instant {
    loop {
        for (uid, raw) in w.fetch_new(*last, 1000).await.unwrap() {
            *last = (*last).max(uid);
            if found(&raw) {
                return Instant::now();
            }
        }
        w.wait_for_mail(Duration::from_secs(10)).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: minutes of mail traffic"]
async fn live_figures() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    let rounds: usize = std::env::var("SHIFTCOVER_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("live figures ({profile} build, {rounds} requests)");

    // Floor: SMTP accept to a bare IMAP client's IDLE notice.
    let mut floor = Vec::new();
    let mut w = t.s.watcher(PROGRAM).await;
    let mut last = w.new_uids(0).await.unwrap().last().copied().unwrap_or(0);
    for i in 0..rounds.min(30) {
        let id = fresh_message_id(&format!("floor{i}"));
        t.s.send(
            "alopez@example.edu",
            &["coverage@example.edu"],
            &note("floor", &id),
        )
        .await;
        let accepted = Instant::now();
        let seen = idle_until(&mut w, &mut last, |raw| {
            String::from_utf8_lossy(raw).contains(&id)
        })
        .await;
        floor.push(seen - accepted);
    }
    w.logout().await;
    floor.sort();

    // Reaction: SMTP accept of a request to the ack in the requester's inbox.
    let mut d = Daemon::start(&t.config);
    let idle_rss = rss_kib(d.pid().unwrap_or(0));
    let mut reaction = Vec::new();
    // Arrival is the file in the requester's Maildir: a reader's own IDLE would add
    // Dovecot's half-second hold-back a second time.
    // Tom works every day, so each request can name its own day within
    // the next few months (a year-less date further out reads as past).
    let inbox_new = t.s.dir.join("mail/tbecker@example.edu/Maildir/new");
    for i in 0..rounds {
        let date = chrono::Utc::now()
            .with_timezone(&chrono_tz::America::New_York)
            .date_naive()
            + chrono::Days::new(14 + (i as u64 % 150));
        let req = ListMail::new(
            "tbecker",
            "Tom Becker",
            &format!("Chat coverage {}?", md(date)),
            &format!(
                "Hi all,\n\nCould someone cover my {} chat shift?\n\nThanks,\nTom",
                md(date)
            ),
        );
        t.s.post(&req).await;
        let accepted = Instant::now();
        let acked = loop {
            let hit = std::fs::read_dir(&inbox_new)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| {
                    let r = Received::new(0, std::fs::read(e.path()).unwrap_or_default());
                    r.kind() == Some("ack") && r.answers(&req.message_id)
                });
            if hit {
                break Instant::now();
            }
            // A hang guard for the benchmark, not a bound on the figure.
            assert!(
                accepted.elapsed() < Duration::from_secs(120),
                "no ack for request {i}"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        reaction.push(acked - accepted);
        // Keep the folder small so the scan stays cheap.
        for e in std::fs::read_dir(&inbox_new)
            .into_iter()
            .flatten()
            .flatten()
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
    reaction.sort();
    d.terminate(Duration::from_secs(300));

    catch_up_figures_of(&t).await;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "reaction (SMTP accept -> ack in the requester's inbox): median {:.0} ms, p95 {:.0} ms",
        ms(percentile(&reaction, 0.5)),
        ms(percentile(&reaction, 0.95))
    );
    println!(
        "  floor (SMTP accept -> IDLE notice, bare client):      median {:.0} ms, p95 {:.0} ms",
        ms(percentile(&floor, 0.5)),
        ms(percentile(&floor, 0.95))
    );
    println!(
        "  median above the floor: {:.0} ms (target <= 50 ms)",
        ms(percentile(&reaction, 0.5)) - ms(percentile(&floor, 0.5))
    );
    println!(
        "resident memory idle, before any mail: {:.1} MB (target < 20 MB)",
        idle_rss as f64 / 1024.0
    );
    t.s.clear_all().await;
}

/// Runs `live_figures`' catch-up part alone: slow (a minute), so
/// `cargo test --release --test e2e_mail -- --ignored --nocapture catch_up_figures`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: 10,000 messages"]
async fn catch_up_figures() {
    let _g = lock().await;
    let Some(t) = setup(Policy::slow()).await else {
        return;
    };
    catch_up_figures_of(&t).await;
    t.s.clear_all().await;
}

/// Catch-up: 10,000 list messages waiting in the mailbox when the daemon
/// starts, read beside a bare client's one `UID FETCH` of the same mailbox;
/// the daemon's resident memory once caught up and once idle after it.
/// Prints the figures; asserts only that the daemon caught up and read every
/// message.
async fn catch_up_figures_of(t: &Setup) {
    t.s.clear_all().await;
    let n = 10_000;
    let senders = [
        ("alopez", "Angie Lopez"),
        ("bokafor", "Ben Okafor"),
        ("skim", "Sarah Kim"),
        ("praman", "Priya Raman"),
    ];
    let mails: Vec<ListMail> = (0..n)
        .map(|i| {
        let (user, name) = senders[i % senders.len()];
        if i % 50 == 0 {
            let date = upcoming(Weekday::Mon, 14 + 7 * (i / 50 % 20) as i64);
            ListMail::new(
                user,
                name,
                &format!("Coverage {}?", md(date)),
                &format!(
                    "Could someone cover my Monday {} chat shift?\n\nThanks",
                    md(date)
                ),
            )
        } else if i % 3 == 0 {
            ListMail::new(
                user,
                name,
                "Staff meeting notes",
                "Hi all,\n\nNotes from today's meeting are in the shared drive. Reminder that the new chat widget goes live next week.\n\nBest",
            )
        } else if i % 3 == 1 {
            ListMail::new(
                user,
                name,
                "Re: Patron question about ILL",
                "I think ILL requests for theses go through the special form; happy to help if anyone gets that one on chat.",
            )
        } else {
            ListMail::new(
                user,
                name,
                "Workshop slides",
                "Slides from the citation workshop are posted. Thanks everyone who came!",
            )
        }
        })
        .collect();
    deliver_unseen(t, &mails);
    // The raw limit: one UID FETCH of everything.
    let mut raw = t.s.raw_session(PROGRAM).await;
    let selecting = Instant::now();
    raw.select("INBOX").await.unwrap();
    let raw_select = selecting.elapsed();
    let started = Instant::now();
    let all: Vec<_> =
        futures::TryStreamExt::try_collect(raw.uid_fetch("1:*", "BODY.PEEK[]").await.unwrap())
            .await
            .unwrap();
    let raw_fetch = started.elapsed();
    assert_eq!(all.len(), n);
    drop(all);
    let _ = raw.logout().await;

    let dir2 = tempfile::tempdir().unwrap();
    let config2 = write_config(dir2.path(), &t.s, &Policy::slow());
    let started = Instant::now();
    let d2 = Daemon::start_within(&config2, Duration::from_secs(600));
    let catch_up = started.elapsed();
    let pid = d2.pid().unwrap_or(0);
    // The daemon reads in a child process (src/reader_process): what
    // reading takes is counted with the daemon's own.
    let after_children = children_of(pid);
    let after_rss = rss_kib(pid) + after_children.iter().map(|&c| rss_kib(c)).sum::<u64>();
    let after_pss = pss_kib(pid) + after_children.iter().map(|&c| pss_kib(c)).sum::<u64>();
    let after_own = rss_kib(pid);
    // Anonymous memory (the heap, stacks) apart from the mapped binary and
    // libraries, so a change to either shows where it landed.
    let after_parts = (proc_status(pid, "RssAnon:"), proc_status(pid, "RssFile:"));
    let after_threads = proc_status(pid, "Threads:");
    // Idle after reading: the reading process gone, the catch-up's effects
    // carried out, the daemon waiting in IDLE.
    let waiting = Instant::now();
    while !children_of(pid).is_empty() && waiting.elapsed() < Duration::from_secs(300) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let worker_left = waiting.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_children = children_of(pid);
    let idle_after_rss = rss_kib(pid) + idle_children.iter().map(|&c| rss_kib(c)).sum::<u64>();
    let idle_pss = pss_kib(pid) + idle_children.iter().map(|&c| pss_kib(c)).sum::<u64>();
    let idle_parts = (proc_status(pid, "RssAnon:"), proc_status(pid, "RssFile:"));
    let idle_threads = proc_status(pid, "Threads:");
    let idle_mappings = rss_by_mapping(pid);
    // The daemon's own view: from the mailbox connection to caught up.
    let log = d2.log_text();
    let stamp = |needle: &str| {
        log.lines()
            .find(|l| l.contains(needle))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    };
    let secs = |a: &str, b: &str| match (stamp(a), stamp(b)) {
        (Some(a), Some(b)) => Some((b - a).num_milliseconds() as f64 / 1000.0),
        _ => None,
    };
    let inner = secs("mailbox connected", "caught up");
    // The daemon's own account of the catch-up's stages (they overlap).
    let stages = log
        .lines()
        .find(|l| l.contains("read the mailbox up to date"))
        .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "));
    let inner_sqlite = inner;
    let opening = secs("INFO starting", "database and calendar ready");
    let connecting = secs("database and calendar ready", "mailbox connected");
    drop(d2);

    // The same catch-up with the state on PostgreSQL (a fresh database of
    // the test servers), when it runs. Not before the mail the SQLite
    // daemon sent (its acks and clarifies, and their copies to the
    // program's own mailbox) is delivered: Postfix hands each to Dovecot's
    // LMTP, which takes the 10,000-message Maildir's locks for seconds a
    // delivery, and the catch-up's UID FETCHes wait behind them (this
    // once made the PostgreSQL catch-up look fifty times slower than
    // SQLite's, all of it in fetching). Its own raw fetch is measured too,
    // as the mailbox then holds those messages as well.
    let mut on_postgres = None;
    if let Some(url) = postgres_server::fresh_database().await {
        let drained = wait_for_empty_mail_queue(&t.s, Duration::from_secs(600));
        let mut raw = t.s.raw_session(PROGRAM).await;
        raw.select("INBOX").await.unwrap();
        let started = Instant::now();
        let all: Vec<_> =
            futures::TryStreamExt::try_collect(raw.uid_fetch("1:*", "BODY.PEEK[]").await.unwrap())
                .await
                .unwrap();
        let pg_raw_fetch = started.elapsed();
        let pg_messages = all.len();
        drop(all);
        let _ = raw.logout().await;
        println!(
            "  (before the PostgreSQL run: the SQLite daemon's mail delivered after {:.1} s; raw UID FETCH of the {pg_messages} messages then: {:.2} s)",
            drained.as_secs_f64(),
            pg_raw_fetch.as_secs_f64()
        );
        let dir3 = tempfile::tempdir().unwrap();
        let config3 = write_config(dir3.path(), &t.s, &Policy::slow());
        let text = std::fs::read_to_string(&config3).unwrap();
        std::fs::write(
            &config3,
            text.replace("url = \"sqlite://state.db\"", &format!("url = \"{url}\"")),
        )
        .unwrap();
        let started = Instant::now();
        let d3 = Daemon::start_within(&config3, Duration::from_secs(600));
        let took = started.elapsed();
        let log = d3.log_text();
        let stamp = |needle: &str| {
            log.lines()
                .find(|l| l.contains(needle))
                .and_then(|l| l.split_whitespace().next())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        };
        let inner = match (stamp("mailbox connected"), stamp("caught up")) {
            (Some(a), Some(b)) => Some((b - a).num_milliseconds() as f64 / 1000.0),
            _ => None,
        };
        let stages = log
            .lines()
            .find(|l| l.contains("read the mailbox up to date"))
            .map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>().join(" "));
        if let Ok(path) = std::env::var("SHIFTCOVER_CATCH_UP_LOG") {
            let _ = std::fs::write(path, &log);
        }
        on_postgres = Some((took, inner, stages));
    }

    println!(
        "catch-up of {n} messages (start to caught up): {:.2} s",
        catch_up.as_secs_f64()
    );
    println!(
        "  floor (raw UID FETCH 1:* BODY.PEEK[]):          {:.2} s",
        raw_fetch.as_secs_f64()
    );
    println!(
        "  (the raw client's first SELECT of the new mail:  {:.2} s)",
        raw_select.as_secs_f64()
    );
    if let (Some(o), Some(c), Some(i)) = (opening, connecting, inner) {
        println!(
            "  in the daemon: opening {o:.2} s, connecting {c:.2} s, reading and storing {i:.2} s ({:.1}x the raw fetch; target at most 3x)",
            i / raw_fetch.as_secs_f64()
        );
    }
    if let Some(stages) = stages {
        println!("  the daemon's stages: {stages}");
    }
    if let Some((took, inner, stages)) = on_postgres {
        println!(
            "catch-up of {n} messages on PostgreSQL (start to caught up): {:.2} s",
            took.as_secs_f64()
        );
        if let (Some(i), Some(sqlite)) = (inner, inner_sqlite) {
            println!("  in the daemon: reading and storing {i:.2} s (on SQLite: {sqlite:.2} s)");
        }
        if let Some(stages) = stages {
            println!("  the daemon's stages on PostgreSQL: {stages}");
        }
    }
    println!(
        "resident memory after the catch-up, the daemon and its {} reading process(es): {:.1} MB (target < 40 MB; the daemon alone {:.1} MB; proportional, shared pages counted once: {:.1} MB)",
        after_children.len(),
        after_rss as f64 / 1024.0,
        after_own as f64 / 1024.0,
        after_pss as f64 / 1024.0
    );
    println!(
        "resident memory idle after reading, 5 s after the reading process left ({:.1} s after caught up), the daemon and {} child process(es): {:.1} MB (target < 20 MB; proportional: {:.1} MB)",
        worker_left.as_secs_f64(),
        idle_children.len(),
        idle_after_rss as f64 / 1024.0,
        idle_pss as f64 / 1024.0
    );
    let mb = |kib: u64| kib as f64 / 1024.0;
    println!(
        "  after: anonymous {:.1} MB, mapped files {:.1} MB; idle: anonymous {:.1} MB, mapped files {:.1} MB",
        mb(after_parts.0),
        mb(after_parts.1),
        mb(idle_parts.0),
        mb(idle_parts.1)
    );
    println!(
        "  threads in the daemon after the catch-up: {after_threads}; idle 5 s later: {idle_threads}"
    );
    let idle_by: Vec<String> = idle_mappings
        .iter()
        .take(8)
        .map(|(name, kib)| format!("{name} {:.1}", mb(*kib)))
        .collect();
    println!("  idle, resident by mapping (MB): {}", idle_by.join(", "));
}
