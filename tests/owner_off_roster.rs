//! A shift whose owner left the roster while their request was open, then
//! covered: the calendar edit still releases the owner's shift as the
//! calendar has it (their event names nobody on the roster any more) and
//! adds the cover event, and the coverer's mail names the owner as the
//! calendar does, never by their address. On the ICS file, and on
//! Radicale when tests/servers/start.sh runs it.

#[path = "support/caldav_servers.rs"]
mod caldav_servers;

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use chrono_tz::America::New_York;
use shiftcover::config::Config;
use shiftcover::model::{Instant, Kind, Reading, Span};
use shiftcover::schedule::Schedule;
use shiftcover::service::Service;
use shiftcover::store::DeliveryState;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/caldav")
}

fn local(d: u32, h: u32, m: u32) -> Instant {
    New_York
        .with_ymd_and_hms(2026, 12, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// A message already read: the reader is not what is tested here.
fn reading(id: &str, from: &str, kind: Kind, span: Span, answers: Option<&str>) -> Reading {
    Reading {
        message_id: id.into(),
        from: from.into(),
        date: Some(local(1, 9, 0)),
        subject: "Monday 12/14".into(),
        in_reply_to: answers.map(str::to_string),
        references: answers.map(str::to_string).into_iter().collect(),
        kind,
        shifts: vec![span],
        coverer: (kind == Kind::Covered).then(|| "skim@example.edu".to_string()),
        on_behalf_of: None,
        own_mail: false,
        covers: Vec::new(),
        diagnostics: Vec::new(),
        sender_auth: None,
        calendar_reply: None,
        backs_out: false,
        named_shifts: Vec::new(),
        doubts: Vec::new(),
    }
}

/// The fixture's config text with `calendar` in place of its ICS calendar,
/// and without the staff member whose address is `left`, if any.
fn config_text(calendar: &str, left: Option<&str>) -> String {
    let text = std::fs::read_to_string(fixture_dir().join("shiftcover.toml"))
        .expect("fixture toml")
        .replace(
            "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
            calendar,
        );
    match left {
        None => text,
        Some(email) => text
            .split("[[staff]]")
            .filter(|block| !block.contains(email))
            .collect::<Vec<_>>()
            .join("[[staff]]"),
    }
}

/// Whose shift, and how the calendar names them once they left.
struct Case {
    owner: &'static str,
    span: Span,
    on_calendar: &'static str,
    label: &'static str,
}

/// Ben's Monday 14:00-15:30 is his by its SUMMARY "Ben"; Angie's Monday
/// 12:00-14:00 by an ATTENDEE with her address and CN "Angie Lopez".
fn cases() -> [Case; 2] {
    [
        Case {
            owner: "bokafor@example.edu",
            span: Span::new(local(14, 14, 0), local(14, 15, 30)),
            on_calendar: "Ben",
            label: "Sarah for Ben",
        },
        Case {
            owner: "alopez@example.edu",
            span: Span::new(local(14, 12, 0), local(14, 14, 0)),
            on_calendar: "Angie Lopez",
            label: "Sarah for Angie",
        },
    ]
}

/// The owner asks, leaves the roster, and the coordinator says Sarah
/// covers: returns the service after the calendar edit was carried out,
/// and the invitation's text.
async fn covered_after_leaving(dir: &Path, calendar: &str, case: &Case) -> (Service, String) {
    let now = local(1, 9, 0);
    let before = Config::from_toml(&config_text(calendar, None), dir).expect("config");
    let mut svc = Service::open(before).await.expect("open");
    let ask = format!("<asks.{}@list.example.edu>", case.on_calendar.len());
    svc.handle_reading(
        &reading(&ask, case.owner, Kind::CoverageRequest, case.span, None),
        now,
    )
    .await
    .expect("the request");
    assert_eq!(svc.requests().len(), 1);
    svc.store().close().await;
    drop(svc);

    let after = Config::from_toml(&config_text(calendar, Some(case.owner)), dir).expect("config");
    assert!(after.roster.by_email(case.owner).is_none());
    let mut svc = Service::open(after).await.expect("open again");
    let confirm = format!("<covers.{}@list.example.edu>", case.on_calendar.len());
    svc.handle_reading(
        &reading(
            &confirm,
            "ccrummett@example.edu",
            Kind::Covered,
            case.span,
            Some(&ask),
        ),
        now,
    )
    .await
    .expect("the confirmation");
    let edits = svc.apply_calendar_edits(now).await.expect("the edit");
    assert!(edits > 0, "no calendar edit was carried out");
    let invitations: Vec<String> = svc
        .store()
        .mail_in_state(DeliveryState::Pending)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.mail.kind == "invitation")
        .map(|m| String::from_utf8_lossy(&m.mail.raw).into_owned())
        .collect();
    assert_eq!(invitations.len(), 1, "one invitation to Sarah");
    (svc, invitations[0].clone())
}

/// What a user sees of the result: the owner's shift gone from the
/// calendar at that time, Sarah's cover event there, and the mail.
fn check(case: &Case, calendar_text: &str, invitation: &str, roster_after: &Config) {
    let schedule = Schedule::from_ics(calendar_text, &roster_after.roster, New_York)
        .expect("the calendar parses");
    let there = schedule.occurrences(case.span);
    assert!(
        there.iter().all(|o| o.owner.is_some()),
        "{}'s shift is still on the calendar beside the cover: {there:?}",
        case.on_calendar
    );
    assert!(
        there
            .iter()
            .any(|o| o.owner.as_deref() == Some("skim@example.edu")
                && o.span == case.span
                && o.summary == case.label),
        "no cover event \"{}\" for Sarah: {there:?}",
        case.label
    );
    assert!(
        invitation.contains(&format!("Thanks for covering {}'s shift", case.on_calendar)),
        "{invitation}"
    );
    let local_part = case.owner.split('@').next().unwrap();
    assert!(
        !invitation.contains(&format!("covering {local_part}")) && !invitation.contains(case.owner),
        "the invitation names the owner by their address:\n{invitation}"
    );
}

#[tokio::test]
async fn covering_the_shift_of_someone_who_left_the_roster_edits_the_ics_calendar() {
    for case in cases() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::copy(
            fixture_dir().join("schedule.ics"),
            dir.path().join("schedule.ics"),
        )
        .unwrap();
        let calendar = "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"";
        let (svc, invitation) = covered_after_leaving(dir.path(), calendar, &case).await;
        let text = std::fs::read_to_string(dir.path().join("schedule.ics")).unwrap();
        check(&case, &text, &invitation, svc.config());
        // Both owners' shifts are weekly series: one occurrence released.
        assert!(text.contains("EXDATE;"), "the occurrence is released");
        svc.store().close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covering_the_shift_of_someone_who_left_the_roster_edits_the_caldav_calendar() {
    let Some(server) = caldav_servers::radicale() else {
        caldav_servers::missing("Radicale");
        return;
    };
    for case in cases() {
        let dir = tempfile::tempdir().expect("tempdir");
        let name = format!(
            "off-roster-{}-{}",
            std::process::id(),
            case.owner.split('@').next().unwrap()
        );
        let ics = std::fs::read_to_string(fixture_dir().join("schedule.ics")).unwrap();
        let (cal, _) = caldav_servers::calendar_holding(server, &name, &ics).await;
        let sign_in = match (&server.username, &server.password) {
            (Some(u), Some(p)) => {
                std::fs::write(dir.path().join("caldav-password"), format!("{p}\n")).unwrap();
                format!("\nusername = \"{u}\"\npassword_file = \"caldav-password\"")
            }
            _ => String::new(),
        };
        let calendar = format!(
            "[calendar]\nbackend = \"caldav\"\nurl = \"{}\"{sign_in}",
            cal.url()
        );
        let (svc, invitation) = covered_after_leaving(dir.path(), &calendar, &case).await;
        // The schedule as the server now has it.
        let fresh = shiftcover::calendar::Calendar::open(svc.config())
            .await
            .expect("the calendar opens")
            .schedule_around(svc.config(), None)
            .await
            .expect("the calendar reads");
        check(&case, &fresh.calendar().to_ics(), &invitation, svc.config());
        svc.store().close().await;
    }
}
