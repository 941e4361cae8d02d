//! Answers to the program's own invitations: an iTIP REPLY (RFC 5546
//! section 3.2.3) carried in a text/calendar part (iMIP, RFC 6047), as
//! Outlook, Gmail and Thunderbird send it when a coverer presses Accept,
//! Maybe or Decline. Pure: the calendar part's text and the config in, the
//! answer out.
//!
//! Only a REPLY about a cover event the program made is read: its UID has
//! the form the engine gives cover events (`cover-...@` the sender's
//! domain). Whether the answer is from the attendee it names, and whether
//! that event is still one of a request's, is for the engine to decide.

use crate::config::Config;
use crate::ical;
use crate::model::{Answer, CalendarReply};

/// How the UIDs of the program's cover events begin (see
/// [`crate::engine::cover_edit`]).
pub const COVER_UID_PREFIX: &str = "cover-";

/// True for a UID the program gives its cover events.
pub fn is_cover_uid(uid: &str, config: &Config) -> bool {
    let domain = format!("@{}", config.sender.domain());
    let uid = uid.trim();
    uid.starts_with(COVER_UID_PREFIX)
        && uid.len() > domain.len()
        && uid[uid.len() - domain.len()..].eq_ignore_ascii_case(&domain)
}

/// The answer a REPLY's calendar text gives to one of the program's cover
/// events, or why it gives none (in words for `parse --explain`).
pub fn reply_of(text: &str, config: &Config) -> Result<CalendarReply, String> {
    let cal = ical::parse(text).map_err(|e| format!("its calendar does not parse: {e}"))?;
    let method = cal
        .value("METHOD")
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    if method != "REPLY" {
        return Err(format!("METHOD:{method} is not a REPLY"));
    }
    // A REPLY carries one event (several only for overridden occurrences of
    // a series, which the program never makes).
    let Some(event) = cal.children("VEVENT").next() else {
        return Err("the REPLY holds no VEVENT".into());
    };
    let uid = event.uid().trim().to_string();
    if !is_cover_uid(&uid, config) {
        return Err(format!(
            "UID {uid:?} is not one of the program's cover events"
        ));
    }
    // The REPLY names the attendee who answers (RFC 5546 3.2.3: exactly
    // one); a client that lists more is answered by the first with a
    // PARTSTAT that answers something.
    let answered = event.properties_named("ATTENDEE").find_map(|a| {
        let partstat = a.param("PARTSTAT").unwrap_or("").trim_matches('"');
        Some((address_of(&a.value)?, Answer::of_partstat(partstat)?))
    });
    let Some((attendee, answer)) = answered else {
        return Err("no ATTENDEE in it accepts, declines or answers tentatively".into());
    };
    let sequence = event
        .value("SEQUENCE")
        .and_then(|s| s.trim().parse::<u32>().ok());
    Ok(CalendarReply {
        uid,
        attendee,
        answer,
        sequence,
    })
}

/// The address of a CAL-ADDRESS (`mailto:x@y`, case-insensitive scheme),
/// lowercased.
fn address_of(value: &str) -> Option<String> {
    let v = value.trim().trim_matches('"');
    let addr = match v.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &v[7..],
        _ => v,
    };
    let addr = addr.trim().to_ascii_lowercase();
    addr.contains('@').then_some(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables this module's tests add to `config::test_config`'s desk.
    const CONFIG: &str = r#"
[[staff]]
name = "Dana Whitfield"
email = "dwhitfield@example.edu"
"#;

    fn config() -> Config {
        crate::config::test_config(CONFIG, "shiftcover-itip-tests")
    }

    fn reply(uid: &str, attendee: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:2\r\n{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    #[test]
    fn a_decline_of_a_cover_event_is_read_with_its_attendee_and_sequence() {
        let r = reply_of(
            &reply(
                "cover-20270427T160000Z-0123456789abcdef@example.edu",
                "ATTENDEE;CN=\"Whitfield, Dana\";PARTSTAT=DECLINED:MAILTO:DWhitfield@Example.edu",
            ),
            &config(),
        )
        .expect("a reply");
        assert_eq!(r.attendee, "dwhitfield@example.edu");
        assert_eq!(r.answer, Answer::Declined);
        assert_eq!(r.sequence, Some(2));
    }

    #[test]
    fn replies_about_other_events_or_without_an_answer_are_not_read() {
        let c = config();
        let other = reply(
            "040000008200E00074C5B7101A82E008@outlook.com",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:dwhitfield@example.edu",
        );
        assert!(reply_of(&other, &c).is_err());
        let foreign_domain = reply(
            "cover-20270427T160000Z-0123456789abcdef@elsewhere.org",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:dwhitfield@example.edu",
        );
        assert!(reply_of(&foreign_domain, &c).is_err());
        let no_answer = reply(
            "cover-20270427T160000Z-0123456789abcdef@example.edu",
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:dwhitfield@example.edu",
        );
        assert!(reply_of(&no_answer, &c).is_err());
        let request = reply(
            "cover-20270427T160000Z-0123456789abcdef@example.edu",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:dwhitfield@example.edu",
        )
        .replace("METHOD:REPLY", "METHOD:REQUEST");
        assert!(reply_of(&request, &c).is_err());
    }
}
