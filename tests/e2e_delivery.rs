//! Delivery under faults, on the real test servers (tests/servers/start.sh):
//! the daemon killed inside the exactly-once window, Postfix and Dovecot
//! stopped and started under it, deadlines firing while mail cannot go out.
//! A relay of the tests' own (support/smtp_relay.rs) sits between the daemon
//! and Postfix: it holds a session at the edge of the window on demand and
//! notes the order in which Postfix accepted the program's mail.
//!
//! Without the servers the tests print why and pass; with
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI) they fail.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/smtp_relay.rs"]
mod smtp_relay;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Weekday;
use mail_servers::*;
use smtp_relay::{Hold, Relay};

/// A daemon config whose outbox goes through `relay`, with a short echo wait
/// so a send that never reached Postfix is sent again within seconds.
fn config_through_relay(dir: &Path, s: &Servers, policy: &Policy, relay: &Relay) -> PathBuf {
    let path = write_config(dir, s, policy);
    let text = std::fs::read_to_string(&path).expect("config");
    let outbox = format!(
        "[outbox]\nbackend = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n",
        s.smtp_port
    );
    assert!(
        text.contains(&outbox),
        "write_config's outbox changed:\n{text}"
    );
    let through = format!(
        "[outbox]\nbackend = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\necho_wait = \"3s\"\n",
        relay.port
    );
    std::fs::write(&path, text.replace(&outbox, &through)).expect("config");
    path
}

/// A coverage request from one of the staff with a regular weekly shift.
fn request(who: usize, weeks_ahead: i64) -> ListMail {
    let people: [(&'static str, &'static str, Weekday); 5] = [
        ("mchen", "Mei Chen", Weekday::Tue),
        ("alopez", "Angie Lopez", Weekday::Mon),
        ("bokafor", "Ben Okafor", Weekday::Mon),
        ("skim", "Sarah Kim", Weekday::Wed),
        ("ccrummett", "Courtney Crummett", Weekday::Wed),
    ];
    let (user, name, day) = people[who % people.len()];
    let date = upcoming(day, 14 + 7 * weeks_ahead);
    ListMail::new(
        user,
        name,
        &format!("Coverage {day:?} {}?", md(date)),
        &format!(
            "Hi all,\n\nCould someone cover my {day:?} {} chat shift?\n\nThanks",
            md(date)
        ),
    )
}

/// The program's mail in `inbox` that answers `req`, of `kind`.
fn answers<'a>(inbox: &'a [Received], req: &ListMail, kind: &str) -> Vec<&'a Received> {
    of_kind(inbox, kind)
        .into_iter()
        .filter(|m| m.answers(&req.message_id))
        .collect()
}

/// Message-IDs found more than once in a staff inbox, with their counts.
async fn duplicates(s: &Servers) -> Vec<String> {
    let mut twice = Vec::new();
    for user in STAFF {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for m in s.inbox(user).await {
            if m.kind().is_some() {
                *seen
                    .entry(m.message_id().unwrap_or("").to_string())
                    .or_default() += 1;
            }
        }
        twice.extend(
            seen.into_iter()
                .filter(|(_, n)| *n > 1)
                .map(|(id, n)| format!("{user}: {id} x{n}")),
        );
    }
    twice
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_between_the_servers_acceptance_and_its_record_the_daemon_sends_nothing_twice() {
    let _g = lock().await;
    let Some(s) = servers() else { return };
    s.clear_all().await;
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::start(s.smtp_port);
    let config = config_through_relay(dir.path(), &s, &Policy::slow(), &relay);
    let mut daemon = Daemon::start(&config);

    // 20 kills after Postfix accepted an ack (the window itself), then 4
    // before it could (the data out, its closing dot held back).
    let in_window = 20;
    let before_accept = 4;
    let mut requests = Vec::new();
    let mut restarts = Vec::new();
    for round in 0..in_window + before_accept {
        let hold = if round < in_window {
            Hold::AfterAccept
        } else {
            Hold::BeforeDot
        };
        relay.set_hold(hold);
        let req = request(round, (round / 5) as i64);
        s.post(&req).await;
        let held = relay
            .wait_held(Duration::from_secs(60))
            .unwrap_or_else(|| panic!("round {round}: no ack reached the relay"));
        assert_eq!(held.kind, "ack", "round {round}: held {held:?}");
        daemon.kill();
        let started = Instant::now();
        daemon.restart();
        // The ack is in the requester's inbox once: either Postfix had it
        // (and the restarted daemon found its echo) or it is sent again.
        let inbox = s
            .wait_for(req.from_user, Duration::from_secs(60), |m| {
                !answers(m, &req, "ack").is_empty()
            })
            .await;
        assert_eq!(
            answers(&inbox, &req, "ack").len(),
            1,
            "round {round} ({hold:?}): acks for {}'s request",
            req.from_user
        );
        restarts.push(started.elapsed());
        requests.push(req);
    }
    // Longer than the echo wait: nothing more may come.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let mut lost = 0;
    for req in &requests {
        let inbox = s.inbox(req.from_user).await;
        let acks = answers(&inbox, req, "ack").len();
        assert!(
            acks <= 1,
            "{acks} acks for {}'s {}",
            req.from_user,
            req.subject
        );
        lost += usize::from(acks == 0);
    }
    let twice = duplicates(&s).await;
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    assert_eq!(lost, 0, "requests without their ack");
    // Postfix's own view: each ack accepted once.
    let mut accepted: HashMap<String, usize> = HashMap::new();
    for m in relay.accepted() {
        *accepted.entry(m.message_id).or_default() += 1;
    }
    let again: Vec<_> = accepted.iter().filter(|(_, n)| **n > 1).collect();
    assert!(again.is_empty(), "Postfix accepted twice: {again:?}");
    assert_eq!(accepted.len(), requests.len(), "acks Postfix accepted");
    let log = daemon.log_text();
    let confirmed = log.matches("its echo is in the mailbox").count();
    assert_eq!(confirmed, in_window, "sends confirmed by their echo");
    restarts.sort();
    eprintln!(
        "figure: {in_window} kills between Postfix's acceptance and the record, {before_accept} before acceptance: 0 duplicates, 0 lost; restart to ack in the inbox: median {:?}, max {:?}",
        restarts[restarts.len() / 2],
        restarts[restarts.len() - 1]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waiting_on_a_stopped_postfix_goes_out_when_it_returns_escalation_after_second_call() {
    let _g = lock().await;
    let Some(s) = servers() else { return };
    s.clear_all().await;
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::start(s.smtp_port);
    // The second call falls due 20 s after the request: room for the ack to
    // arrive and Postfix to be stopped first even on a busy machine.
    let config = config_through_relay(dir.path(), &s, &Policy::seconds(20, 2), &relay);
    let mut daemon = Daemon::start(&config);
    let req = request(0, 0);
    s.post(&req).await;
    s.wait_for(req.from_user, Duration::from_secs(60), |m| {
        !answers(m, &req, "ack").is_empty()
    })
    .await;
    // Both deadlines fire while Postfix is down.
    s.postfix("stop");
    let stopped = Instant::now();
    daemon.wait_for_log("cannot reach the mail server", 1, Duration::from_secs(60));
    // Down long enough for the escalation to fire too and for the probe to
    // reach its ceiling.
    tokio::time::sleep(Duration::from_secs(12)).await;
    s.postfix("start");
    let back = Instant::now();
    let boss = s
        .wait_for("ccrummett", Duration::from_secs(90), |m| {
            !answers(m, &req, "escalation").is_empty()
                && !answers(m, &req, "second-call").is_empty()
        })
        .await;
    let took = back.elapsed();
    assert_eq!(answers(&boss, &req, "escalation").len(), 1, "escalations");
    assert_eq!(answers(&boss, &req, "second-call").len(), 1, "second calls");
    for user in STAFF {
        let inbox = s
            .wait_for(user, Duration::from_secs(30), |m| {
                !answers(m, &req, "second-call").is_empty()
            })
            .await;
        assert_eq!(
            answers(&inbox, &req, "second-call").len(),
            1,
            "{user}'s second calls"
        );
    }
    // The order Postfix took them in.
    let kinds: Vec<String> = relay.accepted().into_iter().map(|m| m.kind).collect();
    let call = kinds.iter().position(|k| k == "second-call");
    let escalation = kinds.iter().position(|k| k == "escalation");
    assert!(
        call.is_some() && call < escalation,
        "the escalation went before its second call: {kinds:?}"
    );
    assert!(duplicates(&s).await.is_empty());
    eprintln!(
        "figure: Postfix down {:?}; its return to the second call and escalation in the inboxes: {took:?}",
        back - stopped
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watching_resumes_soon_after_dovecot_returns() {
    let _g = lock().await;
    let Some(Setup {
        s,
        dir: _dir,
        config,
    }) = setup(Policy::slow()).await
    else {
        return;
    };
    let mut daemon = Daemon::start(&config);
    let mut figures = Vec::new();
    for (round, down) in [3u64, 10, 20].into_iter().enumerate() {
        s.dovecot("stop");
        tokio::time::sleep(Duration::from_secs(down)).await;
        let connected = daemon.log_text().matches("mailbox connected").count();
        s.dovecot("start");
        let back = Instant::now();
        daemon.wait_for_log("mailbox connected", connected + 1, Duration::from_secs(120));
        figures.push((down, back.elapsed()));
        // Watching for real: a request now brings its ack.
        let req = request(round, round as i64);
        s.post(&req).await;
        let inbox = s
            .wait_for(req.from_user, Duration::from_secs(60), |m| {
                !answers(m, &req, "ack").is_empty()
            })
            .await;
        assert_eq!(
            answers(&inbox, &req, "ack").len(),
            1,
            "ack after Dovecot was down {down} s"
        );
    }
    for (down, back) in figures {
        eprintln!("figure: Dovecot down {down} s: watching again {back:?} after its return");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmation_delivered_before_its_request_covers_it_after_the_request_is_read() {
    let _g = lock().await;
    // Deadlines of seconds: a request left open would get its second call
    // and escalation well within the test.
    let Some(Setup { s, dir, config }) = setup(Policy::seconds(5, 3)).await else {
        return;
    };
    let mut daemon = Daemon::start(&config);
    let date = upcoming(Weekday::Tue, 14);
    let req = request_for_mei(date);
    // The coverer confirms, as in the run.
    let done = ListMail::new(
        "skim",
        "Sarah Kim",
        &format!("Re: Chat coverage Tues {}?", md(date)),
        &format!(
            "Hi all,\n\nI'm covering Mei's Tuesday {} shift.\n\nSarah",
            md(date)
        ),
    )
    .reply_to(&req);
    // The confirmation reaches the mailbox first, as a busy Postfix may
    // deliver it.
    s.post(&done).await;
    // The daemon has read it and holds it; the request comes seconds later.
    daemon.wait_for_log(
        "replies read before the message they answer wait for it",
        1,
        Duration::from_secs(60),
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    s.post(&req).await;

    let sarah = s
        .wait_for("skim", Duration::from_secs(60), |m| {
            !of_kind(m, "invitation").is_empty()
        })
        .await;
    assert_eq!(
        of_kind(&sarah, "invitation").len(),
        1,
        "invitations to Sarah"
    );
    let mei = s.inbox("mchen").await;
    assert_eq!(answers(&mei, &req, "ack").len(), 1, "Mei's acks");
    // Past both deadlines: nothing more may come.
    tokio::time::sleep(Duration::from_secs(12)).await;
    for user in STAFF {
        let inbox = s.inbox(user).await;
        assert!(
            of_kind(&inbox, "second-call").is_empty(),
            "{user} got a second call"
        );
        assert!(
            of_kind(&inbox, "escalation").is_empty(),
            "{user} got an escalation"
        );
    }
    let store = daemon_store(dir.path()).await;
    let requests = store.load_requests().await.unwrap();
    let states: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.id.as_str(), r.state.as_str()))
        .collect();
    assert_eq!(
        states,
        vec![(req.message_id.as_str(), "covered")],
        "the requests"
    );
}
