//! A coverer's Decline through the real mail servers: the invitation reaches
//! the coverer over Postfix and Dovecot, the coverer's calendar answers its
//! ORGANIZER by SMTP (Thunderbird's iMIP REPLY), and the daemon, reading the
//! program's mailbox, reopens the request: the requester is told, the
//! coverer gets the CANCEL one SEQUENCE up, and the cover event leaves the
//! calendar. Without the servers the test says why and passes; with
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI) it fails.

#[path = "support/mail_servers.rs"]
mod mail_servers;

use std::time::Duration;

use chrono::Weekday;
use mail_servers::*;

/// A property's value from the first line of a calendar text that starts
/// with `name` (parameters allowed), unfolded.
fn ics_value(text: &str, name: &str) -> Option<String> {
    let unfolded = text.replace("\r\n ", "").replace("\n ", "");
    unfolded.lines().find_map(|l| {
        let rest = l.strip_prefix(name)?;
        if !(rest.starts_with(':') || rest.starts_with(';')) {
            return None;
        }
        Some(rest.split_once(':')?.1.trim().to_string())
    })
}

/// Thunderbird's REPLY to an invitation: multipart/mixed with a
/// multipart/alternative of text/plain and text/calendar (8bit), and the
/// same calendar as an invite.ics attachment.
fn thunderbird_decline(uid: &str, organizer: &str, attendee: &str, message_id: &str) -> Vec<u8> {
    let now = chrono::Utc::now();
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let cal = format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nDTSTAMP:{stamp}\r\nUID:{uid}\r\nSUMMARY:Sarah for Mei\r\nORGANIZER;CN=Ask Chat Coverage:mailto:{organizer}\r\nATTENDEE;CN=Sarah Kim;PARTSTAT=DECLINED;ROLE=REQ-PARTICIPANT:mailto:{attendee}\r\nSEQUENCE:0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    format!(
        "Message-ID: {message_id}\r\nDate: {}\r\nMIME-Version: 1.0\r\nUser-Agent: Mozilla Thunderbird\r\nFrom: Sarah Kim <{attendee}>\r\nTo: {organizer}\r\nSubject: Declined: Sarah for Mei\r\nContent-type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\nContent-type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\nContent-type: text/plain; charset=UTF-8\r\nContent-transfer-encoding: 8BIT\r\n\r\nSarah Kim <{attendee}> has declined your event invitation.\r\n\r\n--inner\r\nContent-type: text/calendar; method=REPLY; charset=UTF-8\r\nContent-transfer-encoding: 8BIT\r\n\r\n{cal}\r\n--inner--\r\n\r\n--outer\r\nContent-type: application/ics; name=invite.ics\r\nContent-transfer-encoding: 8BIT\r\nContent-disposition: attachment; filename=invite.ics\r\n\r\n{cal}\r\n--outer--\r\n",
        now.to_rfc2822()
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decline_sent_to_the_organizer_reopens_the_request() {
    let _g = lock().await;
    let Some(Setup { s, dir, config }) = setup(Policy::slow()).await else {
        return;
    };
    let _d = Daemon::start(&config);

    let date = upcoming(Weekday::Tue, 14);
    let req = request_for_mei(date);
    s.post(&req).await;
    let done = sarah_takes_meis_shift(date, &req);
    s.post(&done).await;
    let inbox = s
        .wait_for("skim", Duration::from_secs(60), |m| {
            !of_kind(m, "invitation").is_empty()
        })
        .await;
    let invitation = of_kind(&inbox, "invitation")
        .first()
        .expect("Sarah's invitation within a minute")
        .text();
    let uid = ics_value(&invitation, "UID").expect("the invitation's UID");
    let organizer = ics_value(&invitation, "ORGANIZER")
        .expect("the invitation's ORGANIZER")
        .trim_start_matches("mailto:")
        .to_string();
    assert_eq!(ics_value(&invitation, "SEQUENCE").as_deref(), Some("0"));

    // Sarah's calendar answers where the invitation says: its ORGANIZER.
    let decline = thunderbird_decline(
        &uid,
        &organizer,
        &address("skim"),
        &fresh_message_id("decline"),
    );
    let sent_at = std::time::Instant::now();
    s.send(&address("skim"), &[organizer.as_str()], &decline)
        .await;

    let mei = s
        .wait_for("mchen", Duration::from_secs(60), |m| {
            !of_kind(m, "declined").is_empty()
        })
        .await;
    eprintln!(
        "figure: a Decline sent to the ORGANIZER to the requester's note in her inbox: {:?}",
        sent_at.elapsed()
    );
    let told = of_kind(&mei, "declined")
        .first()
        .expect("Mei told of the decline within a minute")
        .text();
    assert!(
        told.contains("Sarah can't cover this shift after all"),
        "{told}"
    );
    assert!(
        !told.contains(&address("skim")),
        "no staff details:\n{told}"
    );
    let sarah = s
        .wait_for("skim", Duration::from_secs(60), |m| {
            !of_kind(m, "cancellation").is_empty()
        })
        .await;
    let cancel = of_kind(&sarah, "cancellation")
        .first()
        .expect("Sarah's cancellation within a minute")
        .text();
    assert_eq!(ics_value(&cancel, "METHOD").as_deref(), Some("CANCEL"));
    assert_eq!(ics_value(&cancel, "UID").as_deref(), Some(uid.as_str()));
    assert_eq!(ics_value(&cancel, "SEQUENCE").as_deref(), Some("1"));
    assert!(!cancel.contains("RSVP=TRUE"), "{cancel}");
    // The cover event is gone from the calendar once the edit is applied.
    let ics_path = dir.path().join("schedule.ics");
    let mut gone = false;
    for _ in 0..120 {
        if !std::fs::read_to_string(&ics_path).unwrap().contains(&uid) {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(gone, "the cover event {uid} is still in the calendar");
}
