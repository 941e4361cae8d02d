//! Delivery rounds (`shiftcover::outbox`) on a real refusal: nothing listens
//! on 127.0.0.1:9, so every SMTP connection there is refused as a stopped
//! server's would be; the Maildir outbox stands in for the server once it is
//! back. No mail servers needed.

use std::path::Path;

use chrono::{TimeDelta, TimeZone, Utc};
use shiftcover::compose::OutgoingMail;
use shiftcover::config::{Config, Server, Tls};
use shiftcover::digest;
use shiftcover::engine::{Request, RequestKind, RequestShift, RequestState};
use shiftcover::live::maildir::MaildirOut;
use shiftcover::live::smtp::SmtpSender;
use shiftcover::model::{Instant, Span};
use shiftcover::outbox::Deliverer;
use shiftcover::store::{Batch, DeliveryState, OutboxItem, Store};

fn config() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages/shiftcover.toml"))
        .expect("the test config loads")
}

fn t0() -> Instant {
    Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap()
}

/// An SMTP sender to a port nothing listens on.
fn refused() -> SmtpSender {
    let server = Server {
        host: "127.0.0.1".into(),
        port: 9,
        tls: Tls::None,
        username: None,
        password_file: None,
    };
    SmtpSender::new(&server, None).expect("sender")
}

fn request(shift_start: Instant) -> Request {
    Request {
        id: "<req@example.edu>".into(),
        kind: RequestKind::Coverage,
        requester: "alopez@example.edu".into(),
        owner: "alopez@example.edu".into(),
        subject: "Coverage Monday".into(),
        requested_at: t0() - TimeDelta::days(2),
        shifts: vec![RequestShift {
            span: Span::new(shift_start, shift_start + TimeDelta::hours(2)),
            covered_by: None,
            covered_at: None,
        }],
        state: RequestState::Open,
        thread: vec!["<req@example.edu>".into()],
        second_call_at: Some(t0()),
        second_call_sent_at: None,
        own_second_call: false,
        escalated_at: None,
        offers: vec![],
        closed_at: None,
        suggested_for: vec![],
        cover_events: vec![],
        owner_on_calendar: None,
    }
}

fn mail(kind: &str, to: &str, date: Instant) -> OutgoingMail {
    OutgoingMail {
        key: format!("{kind}:<req@example.edu>"),
        kind: kind.into(),
        to: vec![to.into()],
        from: "coverage@example.edu".into(),
        message_id: format!("<{kind}.1@example.edu>"),
        date,
        request_id: Some("<req@example.edu>".into()),
        raw: format!("X-Shiftcover-Kind: {kind}\r\nSubject: {kind}\r\n\r\nbody\r\n").into_bytes(),
    }
}

async fn store_with(req: &Request, mails: Vec<OutgoingMail>) -> Store {
    let store = Store::open("sqlite::memory:").await.unwrap();
    store
        .commit(&Batch {
            requests: vec![req.clone()],
            mail: mails,
            ..Batch::default()
        })
        .await
        .unwrap();
    store
}

async fn attempts(store: &Store) -> Vec<(String, u32)> {
    store
        .mail_in_state(DeliveryState::Pending)
        .await
        .unwrap()
        .into_iter()
        .map(|i| (i.mail.kind, i.attempts))
        .collect()
}

/// Delivery rounds every 20 minutes from `t0()` until just before `shift`,
/// each refused by the server.
async fn refused_until(
    deliverer: &mut Deliverer,
    store: &Store,
    requests: &[Request],
    shift: Instant,
) {
    let mut now = t0();
    while now < shift - TimeDelta::minutes(1) {
        deliverer
            .round(&mut refused(), store, requests, now)
            .await
            .unwrap();
        now += TimeDelta::minutes(20);
    }
}

/// A refused round at `at` that gives up exactly one mail, and that mail.
async fn given_up_at(
    deliverer: &mut Deliverer,
    store: &Store,
    requests: &[Request],
    at: Instant,
) -> OutboxItem {
    let round = deliverer
        .round(&mut refused(), store, requests, at)
        .await
        .unwrap();
    assert_eq!(round.given_up, 1);
    let failed = store.mail_in_state(DeliveryState::Failed).await.unwrap();
    assert_eq!(failed.len(), 1);
    failed.into_iter().next().expect("one given up")
}

#[tokio::test]
async fn a_down_server_is_probed_within_seconds_and_what_waited_goes_at_once_when_it_answers() {
    let config = config();
    let req = request(t0() + TimeDelta::days(2));
    let store = store_with(
        &req,
        vec![
            mail("second-call", "ask-chat@example.edu", t0()),
            mail(
                "escalation",
                "ccrummett@example.edu",
                t0() + TimeDelta::minutes(1),
            ),
        ],
    )
    .await;
    let requests = [req];
    let mut deliverer = Deliverer::plain(&config);
    let now = t0() + TimeDelta::minutes(2);

    // Refused: the first mail tried, the rest not (they would fail alike).
    let round = deliverer
        .round(&mut refused(), &store, &requests, now)
        .await
        .unwrap();
    assert_eq!(round.sent, 0);
    assert_eq!(
        round.next,
        Some(now + TimeDelta::seconds(1)),
        "probed again in 1 s"
    );
    assert_eq!(
        attempts(&store).await,
        vec![("second-call".into(), 1), ("escalation".into(), 0)]
    );
    // Before the probe time nothing is tried.
    deliverer
        .round(
            &mut refused(),
            &store,
            &requests,
            now + TimeDelta::milliseconds(500),
        )
        .await
        .unwrap();
    assert_eq!(attempts(&store).await[0].1, 1);
    // Refused again and again: the probe backs off to 5 s and no further.
    let mut at = now;
    let mut gaps = Vec::new();
    for _ in 0..5 {
        at = deliverer
            .round(
                &mut refused(),
                &store,
                &requests,
                at + TimeDelta::seconds(1),
            )
            .await
            .unwrap()
            .next
            .unwrap_or(at);
        gaps.push(at);
    }
    let steps: Vec<i64> = gaps
        .windows(2)
        .map(|w| (w[1] - w[0]).num_seconds())
        .collect();
    assert!(steps.iter().all(|s| *s <= 6), "probe gaps: {steps:?}");

    // The server answers: everything that waited goes in the same round.
    let dir = tempfile::tempdir().unwrap();
    let mut back = MaildirOut::new(dir.path()).unwrap();
    let round = deliverer
        .round(&mut back, &store, &requests, at + TimeDelta::seconds(5))
        .await
        .unwrap();
    assert_eq!(round.sent, 2, "{round:?}");
    assert!(
        store
            .mail_in_state(DeliveryState::Pending)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("new")).unwrap().count(),
        2
    );
}

#[tokio::test]
async fn mail_is_given_up_only_when_it_can_no_longer_matter_and_the_digest_says_so() {
    let config = config();
    let shift = t0() + TimeDelta::hours(5);
    let req = request(shift);
    let mut ack = mail("ack", "alopez@example.edu", t0());
    ack.key = "ack:<req@example.edu>".into();
    let store = store_with(
        &req,
        vec![ack, mail("second-call", "ask-chat@example.edu", t0())],
    )
    .await;
    let requests = [req];
    let mut deliverer = Deliverer::plain(&config);

    // Hours of refusals: nothing is given up while the shift is ahead.
    refused_until(&mut deliverer, &store, &requests, shift).await;
    assert_eq!(store.mail_count(DeliveryState::Failed).await.unwrap(), 0);
    // The shift starts: the second call can no longer help.
    let failed = given_up_at(&mut deliverer, &store, &requests, shift).await;
    assert_eq!(failed.mail.kind, "second-call");
    let why = failed.last_error.clone().unwrap_or_default();
    assert!(why.contains("shift started"), "{why}");
    // The ack is still tried, up to three days after it was decided.
    deliverer
        .round(
            &mut refused(),
            &store,
            &requests,
            t0() + TimeDelta::hours(71),
        )
        .await
        .unwrap();
    assert_eq!(store.mail_count(DeliveryState::Pending).await.unwrap(), 1);
    deliverer
        .round(&mut refused(), &store, &requests, t0() + TimeDelta::days(3))
        .await
        .unwrap();
    assert_eq!(store.mail_count(DeliveryState::Failed).await.unwrap(), 2);

    // The digest lists both, with why.
    let failures: Vec<digest::Failure> = store
        .mail_in_state(DeliveryState::Failed)
        .await
        .unwrap()
        .into_iter()
        .map(|f| digest::Failure {
            kind: f.mail.kind.clone(),
            to: f.mail.to.join(", "),
            error: f.last_error.unwrap_or_default(),
        })
        .collect();
    let d = digest::render(&requests, &failures, t0() + TimeDelta::days(4), &config);
    assert!(
        d.text
            .contains("second-call to ask-chat@example.edu: given up: the shift started"),
        "{}",
        d.text
    );
    assert!(
        d.text
            .contains("ack to alopez@example.edu: given up: not sent within 3 days"),
        "{}",
        d.text
    );
}

#[tokio::test]
async fn a_call_update_is_kept_while_its_shift_is_ahead_and_given_up_when_it_starts() {
    let config = config();
    let shift = t0() + TimeDelta::hours(5);
    // The shift was taken off the calendar: the request is withdrawn and
    // the list is to hear that its call is no longer needed.
    let mut req = request(shift);
    req.state = RequestState::Withdrawn;
    req.closed_at = Some(t0());
    let store = store_with(
        &req,
        vec![mail("call-update", "ask-chat@example.edu", t0())],
    )
    .await;
    let requests = [req];
    let mut deliverer = Deliverer::plain(&config);

    // Hours of refusals: the correction is tried again and again, failed
    // tries and a closed request notwithstanding.
    refused_until(&mut deliverer, &store, &requests, shift).await;
    let waiting = attempts(&store).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].0, "call-update");
    assert!(waiting[0].1 > 1, "tried more than once: {waiting:?}");
    // The shift starts: nobody answers a call for it any more, so the
    // correction is given up then, not three days later.
    let failed = given_up_at(&mut deliverer, &store, &requests, shift).await;
    assert_eq!(
        failed.last_error.as_deref(),
        Some("given up: the shift started before the call-update could go out")
    );
}

/// A relay that refuses the program's sign-in (SMTP 535: a wrong password)
/// as the SMTP sender reports it: unreachable, and needing a person.
struct RefusesSignIn {
    tries: usize,
}

impl shiftcover::service::Transport for RefusesSignIn {
    async fn send(&mut self, _mail: &OutgoingMail) -> Result<(), shiftcover::service::SendError> {
        self.tries += 1;
        Err(shiftcover::service::SendError {
            message: "SMTP 535: 5.7.8 Error: authentication failed".into(),
            transient: true,
            unreachable: true,
            needs_a_person: true,
            ..Default::default()
        })
    }
}

#[tokio::test]
async fn a_refused_sign_in_keeps_the_mail_and_is_not_tried_again_for_minutes() {
    let config = config();
    let req = request(t0() + TimeDelta::days(2));
    let store = store_with(
        &req,
        vec![
            mail("second-call", "ask-chat@example.edu", t0()),
            mail("escalation", "ccrummett@example.edu", t0()),
        ],
    )
    .await;
    let requests = [req];
    let mut deliverer = Deliverer::plain(&config);
    let mut relay = RefusesSignIn { tries: 0 };
    let now = t0() + TimeDelta::minutes(2);
    let round = deliverer
        .round(&mut relay, &store, &requests, now)
        .await
        .unwrap();
    // One try, not one per mail, and the next only after a person had time.
    assert_eq!(relay.tries, 1);
    assert_eq!(round.sent, 0);
    assert_eq!(
        round.next,
        Some(now + shiftcover::outbox::NEEDS_A_PERSON_PROBE)
    );
    // Rounds in between (the loop wakes for other reasons) try nothing.
    for secs in [5, 60, 600] {
        deliverer
            .round(
                &mut relay,
                &store,
                &requests,
                now + TimeDelta::seconds(secs),
            )
            .await
            .unwrap();
    }
    assert_eq!(relay.tries, 1, "the sign-in was tried again within minutes");
    // Nothing is lost: both mails still wait, the one tried with its attempt.
    let mut waiting = attempts(&store).await;
    waiting.sort();
    assert_eq!(
        waiting,
        vec![("escalation".into(), 0), ("second-call".into(), 1)]
    );
    // After the wait a person may have fixed it: tried again.
    deliverer
        .round(
            &mut relay,
            &store,
            &requests,
            now + shiftcover::outbox::NEEDS_A_PERSON_PROBE,
        )
        .await
        .unwrap();
    assert_eq!(relay.tries, 2);
}
