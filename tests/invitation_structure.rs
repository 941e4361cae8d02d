//! Every invitation and cancellation the program sends in the scenarios,
//! read with an independent iCalendar parser (the `icalendar` crate): the
//! calendar part must say what a calendar client needs (METHOD, UID,
//! SEQUENCE, ORGANIZER, ATTENDEE, DTSTART/DTEND with the VTIMEZONE their
//! TZID names), travel as 7bit or base64 rather than quoted-printable, and a
//! CANCEL must not ask the attendee to answer. Every message for one UID
//! carries a SEQUENCE higher than the one before (a REQUEST, its CANCEL, a
//! second REQUEST after a decline), and the calendar's copy of the event
//! the last one's.

#[path = "support/scenario_check.rs"]
mod scenario_check;

use std::process::Command;

use icalendar::parser::{Component, read_calendar, unfold};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use scenario_check::{copy_dir, scenario_dirs};

fn value<'a>(c: &'a Component<'a>, name: &str) -> Option<&'a str> {
    c.find_prop(name).map(|p| p.val.as_str())
}

fn param<'a>(c: &'a Component<'a>, prop: &str, key: &str) -> Option<String> {
    c.find_prop(prop)?
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|p| p.val.as_ref().map(|v| v.as_str().to_string()))
}

/// One calendar message as sent: its METHOD, UID and SEQUENCE.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sent {
    method: String,
    uid: String,
    sequence: u32,
}

/// Checks one sent message's calendar parts; returns what is wrong, and
/// says what each calendar part was in `sent`.
fn check_mail_and_say(name: &str, raw: &[u8], zone: &str, sent: &mut Vec<Sent>) -> Vec<String> {
    let mut problems = Vec::new();
    let msg = MessageParser::default().parse(raw).unwrap();
    let kind = msg
        .header_raw("X-Shiftcover-Kind")
        .unwrap_or("")
        .trim()
        .to_string();
    let want_method = match kind.as_str() {
        "invitation" => "REQUEST",
        "cancellation" => "CANCEL",
        _ => return problems,
    };
    let mut calendars = 0;
    for part in &msg.parts {
        let Some(ct) = part.content_type() else {
            continue;
        };
        let sub = ct.subtype().unwrap_or("").to_ascii_lowercase();
        if !(sub == "calendar" || sub == "ics") {
            continue;
        }
        calendars += 1;
        let encoding = part
            .content_transfer_encoding()
            .unwrap_or("7bit")
            .to_ascii_lowercase();
        if encoding == "quoted-printable" {
            problems.push(format!("{name}: a {sub} part is sent quoted-printable"));
        }
        let text = match &part.body {
            PartType::Text(t) => t.to_string(),
            PartType::Binary(b) | PartType::InlineBinary(b) => {
                String::from_utf8_lossy(b).into_owned()
            }
            _ => String::new(),
        };
        if encoding == "7bit" && !text.is_ascii() {
            problems.push(format!("{name}: a 7bit {sub} part holds non-ASCII text"));
        }
        let unfolded = unfold(&text);
        let cal = match read_calendar(&unfolded) {
            Ok(c) => c,
            Err(e) => {
                problems.push(format!("{name}: the {sub} part does not parse: {e}"));
                continue;
            }
        };
        let method = cal
            .properties
            .iter()
            .find(|p| p.name == "METHOD")
            .map(|p| p.val.as_str().to_string());
        if method.as_deref() != Some(want_method) {
            problems.push(format!("{name}: METHOD {method:?}, want {want_method}"));
        }
        if sub == "calendar"
            && ct
                .attribute("method")
                .map(str::to_ascii_uppercase)
                .as_deref()
                != Some(want_method)
        {
            problems.push(format!(
                "{name}: the content type's method is not {want_method}"
            ));
        }
        let events: Vec<&Component> = cal
            .components
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        let zones: Vec<&Component> = cal
            .components
            .iter()
            .filter(|c| c.name == "VTIMEZONE")
            .collect();
        if events.len() != 1 {
            problems.push(format!("{name}: {} VEVENTs", events.len()));
            continue;
        }
        let ev = events[0];
        if value(ev, "UID").is_none_or(|u| u.trim().is_empty()) {
            problems.push(format!("{name}: no UID"));
        }
        match value(ev, "SEQUENCE").map(|s| s.parse::<u32>()) {
            Some(Ok(n)) if want_method == "CANCEL" && n == 0 => {
                problems.push(format!("{name}: a CANCEL with SEQUENCE 0"))
            }
            Some(Ok(n)) => {
                // The text/calendar part and its invite.ics copy say the
                // same; one of them is what was sent.
                if sub == "calendar" {
                    sent.push(Sent {
                        method: want_method.to_string(),
                        uid: value(ev, "UID").unwrap_or("").trim().to_string(),
                        sequence: n,
                    });
                }
            }
            other => problems.push(format!("{name}: SEQUENCE {other:?}")),
        }
        if value(ev, "DTSTAMP").is_none() {
            problems.push(format!("{name}: no DTSTAMP"));
        }
        if !value(ev, "ORGANIZER").is_some_and(|o| o.to_ascii_lowercase().starts_with("mailto:")) {
            problems.push(format!("{name}: ORGANIZER is not a mailto"));
        }
        if !value(ev, "ATTENDEE").is_some_and(|o| o.to_ascii_lowercase().starts_with("mailto:")) {
            problems.push(format!("{name}: ATTENDEE is not a mailto"));
        }
        let rsvp = param(ev, "ATTENDEE", "RSVP");
        match want_method {
            "REQUEST" if rsvp.as_deref() != Some("TRUE") => {
                problems.push(format!("{name}: a REQUEST's ATTENDEE without RSVP=TRUE"))
            }
            "CANCEL" if rsvp.as_deref() == Some("TRUE") => problems.push(format!(
                "{name}: a CANCEL asks the attendee to answer (RSVP=TRUE)"
            )),
            "CANCEL" if param(ev, "ATTENDEE", "PARTSTAT").as_deref() == Some("NEEDS-ACTION") => {
                problems.push(format!("{name}: a CANCEL marks the attendee NEEDS-ACTION"))
            }
            _ => {}
        }
        if want_method == "CANCEL" && value(ev, "STATUS") != Some("CANCELLED") {
            problems.push(format!("{name}: a CANCEL whose STATUS is not CANCELLED"));
        }
        let (Some(start), Some(end)) = (value(ev, "DTSTART"), value(ev, "DTEND")) else {
            problems.push(format!("{name}: DTSTART or DTEND missing"));
            continue;
        };
        if end <= start {
            problems.push(format!("{name}: DTEND {end} is not after DTSTART {start}"));
        }
        for prop in ["DTSTART", "DTEND"] {
            let tzid = param(ev, prop, "TZID");
            if tzid.as_deref() != Some(zone) {
                problems.push(format!("{name}: {prop} has TZID {tzid:?}, want {zone}"));
                continue;
            }
            let defined = zones.iter().any(|z| value(z, "TZID") == Some(zone));
            if !defined {
                problems.push(format!("{name}: no VTIMEZONE for {prop}'s TZID {zone}"));
            }
        }
        for z in &zones {
            let observances = z
                .components
                .iter()
                .filter(|o| o.name == "STANDARD" || o.name == "DAYLIGHT")
                .count();
            let offsets_given = z.components.iter().all(|o| {
                value(o, "DTSTART").is_some()
                    && value(o, "TZOFFSETFROM").is_some()
                    && value(o, "TZOFFSETTO").is_some()
            });
            if observances == 0 || !offsets_given {
                problems.push(format!("{name}: a VTIMEZONE without complete observances"));
            }
        }
    }
    if calendars == 0 {
        problems.push(format!("{name}: a {kind} without a calendar part"));
    }
    problems
}

/// Each UID's messages carry rising SEQUENCEs in the order they were sent,
/// starting at 0, and the calendar file's copy of a live cover event
/// carries its last REQUEST's SEQUENCE (read with the independent parser).
fn sequences_rise(scenario: &str, sent: &[Sent], calendar: &std::path::Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut uids: Vec<&str> = sent.iter().map(|s| s.uid.as_str()).collect();
    uids.sort();
    uids.dedup();
    let ics = std::fs::read_to_string(calendar).unwrap_or_default();
    let unfolded = unfold(&ics);
    let cal = read_calendar(&unfolded);
    for uid in uids {
        let of_uid: Vec<&Sent> = sent.iter().filter(|s| s.uid == uid).collect();
        if of_uid[0].sequence != 0 {
            problems.push(format!(
                "{scenario}: {uid}'s first message has SEQUENCE {}",
                of_uid[0].sequence
            ));
        }
        for w in of_uid.windows(2) {
            if w[1].sequence <= w[0].sequence {
                problems.push(format!(
                    "{scenario}: {uid}: {} SEQUENCE {} after {} SEQUENCE {}",
                    w[1].method, w[1].sequence, w[0].method, w[0].sequence
                ));
            }
        }
        let last = of_uid[of_uid.len() - 1];
        let copy = cal.as_ref().ok().and_then(|c| {
            c.components
                .iter()
                .find(|e| e.name == "VEVENT" && value(e, "UID").map(str::trim) == Some(uid))
        });
        match (last.method.as_str(), copy) {
            ("REQUEST", Some(ev)) => {
                let seq = value(ev, "SEQUENCE").and_then(|s| s.trim().parse::<u32>().ok());
                if seq != Some(last.sequence) {
                    problems.push(format!(
                        "{scenario}: the calendar's {uid} has SEQUENCE {seq:?}, its invitation {}",
                        last.sequence
                    ));
                }
            }
            ("CANCEL", Some(_)) => problems.push(format!(
                "{scenario}: {uid} was cancelled but is still in the calendar"
            )),
            _ => {}
        }
    }
    problems
}

#[test]
fn every_invitation_and_cancellation_in_the_scenarios_is_well_formed() {
    let (mut invitations, mut cancellations) = (0, 0);
    let mut reinvited = 0;
    let mut problems = Vec::new();
    for src in scenario_dirs() {
        let expect_text = std::fs::read_to_string(src.join("expect.json")).unwrap();
        // Only the scenarios that expect a calendar mail are played.
        if !expect_text.contains("invitation") && !expect_text.contains("cancellation") {
            continue;
        }
        let expect: serde_json::Value = serde_json::from_str(&expect_text).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        copy_dir(&src, &dir);
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.join("inbox").join(sub)).unwrap();
        }
        let out = Command::new(env!("CARGO_BIN_EXE_shiftcover"))
            .args(["simulate", "--config"])
            .arg(dir.join("shiftcover.toml"))
            .args(["--until", expect["until"].as_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let config = shiftcover::config::Config::load(&dir.join("shiftcover.toml")).unwrap();
        let zone = config.timezone.name().to_string();
        let scenario = src.file_name().unwrap().to_string_lossy().to_string();
        let Ok(entries) = std::fs::read_dir(dir.join("outbox/new")) else {
            continue;
        };
        // In the order they were sent: the Maildir names begin with the
        // virtual send time, and the messages of one instant were decided
        // in the order of their keys' records (a CANCEL never shares an
        // instant with a REQUEST of its UID).
        let mut paths: Vec<std::path::PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        let mut sent: Vec<Sent> = Vec::new();
        for path in paths {
            let raw = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&raw);
            if text.contains("X-Shiftcover-Kind: invitation") {
                invitations += 1;
            } else if text.contains("X-Shiftcover-Kind: cancellation") {
                cancellations += 1;
            } else {
                continue;
            }
            let name = format!("{scenario}/{}", path.file_name().unwrap().to_string_lossy());
            problems.extend(check_mail_and_say(&name, &raw, &zone, &mut sent));
        }
        problems.extend(sequences_rise(&scenario, &sent, &dir.join("schedule.ics")));
        if sent.windows(3).any(|w| {
            w.iter()
                .map(|s| s.method.as_str())
                .eq(["REQUEST", "CANCEL", "REQUEST"])
                && w.iter().all(|s| s.uid == w[0].uid)
        }) {
            reinvited += 1;
        }
    }
    eprintln!("figure: {reinvited} scenario(s) invite, cancel and invite one UID again");
    assert!(
        reinvited >= 1,
        "no scenario invites, cancels and invites the same cover event again"
    );
    eprintln!("figure: {invitations} invitations and {cancellations} cancellations checked");
    assert!(
        invitations >= 5,
        "the scenarios sent only {invitations} invitations"
    );
    assert!(cancellations >= 1, "the scenarios sent no cancellation");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
