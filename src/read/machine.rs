//! Machine mail, recognised before anything is read as a person's words:
//! auto replies and bounces, bulk mail from other lists, and the program's own
//! mail coming back through the list.
//!
//! The staff list stamps List-Id, List-Post, List-Unsubscribe and
//! `Precedence: list` on every message staff send through it, so those
//! headers say nothing by themselves; only a list that is not ours marks a
//! message as bulk.
//!
//! OWNER: reading helper.

use std::sync::LazyLock;

use super::pattern::Regex;

use super::decode::Decoded;
use crate::config::Config;

/// What the headers (and, for auto replies without headers, the opening
/// words) say about who wrote a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A person wrote it; read it for what it says.
    Person,
    /// An out-of-office, vacation responder, or a bounce: `auto_reply`.
    AutoReply(String),
    /// A newsletter or announcement from some other list: `other`.
    Bulk(String),
    /// Calendar mail (a meeting invitation, an "Accepted:" reply, a calendar
    /// service's reminder): `other`. It schedules meetings; it asks no one
    /// to cover a shift, whatever its text says.
    Calendar(String),
    /// A program's notice that answers no one (a booking service's shift
    /// reminder, a system alert), marked `Auto-Submitted: auto-generated`
    /// by a sender off the roster: `other`. RFC 3834 keeps
    /// `auto-replied` for responses; a notice that replies to nothing is
    /// neither an absence nor a bounce.
    Notice(String),
    /// The program's own mail coming back: `other` with `own_mail` set. Its
    /// `Auto-Submitted` header is expected and does not make it an auto reply.
    Own(String),
}

static AUTO_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        ^\s*(?:\[[^\]]{1,40}\]\s*)?
        (?:
            (?:automatic\ reply|auto[-\ ]?reply|auto[-\ ]?response|autoresponse|auto|out\ of\ (?:the\ )?office|ooo
              |vacation\ (?:reply|response|notice)|r[ée]ponse\ automatique|abwesenheitsnotiz|abwesend|automatische\ antwort|respuesta\ autom[áa]tica|fuera\ de\ (?:la\ )?oficina|absence\ du\ bureau|risposta\ automatica|fuori\ ufficio|undeliverable|undelivered
              |returned\ mail|mail\ delivery\ (?:failed|failure)|delivery\ (?:failure|notification|delayed))\s*:
          | out\ of\ (?:the\ )?office\ (?:auto[-\ ]?reply|notice|reply|re:)
          | delivery\ status\ notification
          | undelivered\ mail\ returned\ to\ sender
          | failure\ notice\s*$
          | autoreply\b
        )
        | \bis\ out\ of\ the\ office\s*$
        | \b(?:message|mail)\ (?:not\ delivered|could\ not\ be\ delivered|couldn't\ be\ delivered)\b
        ",
    )
    .expect("valid regex")
});

/// Opening words of an out-of-office reply that lost its headers. Only used
/// when the text asks nobody to cover anything.
static AUTO_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:this is an? (?:automatic|automated|auto-generated)(?:ally generated)? (?:reply|response)|(?:checking|check|reading|access to) (?:my )?e-?mail (?:only )?(?:occasionally|intermittently|sporadically|periodically|infrequently)|(?:with|have) (?:limited|no|intermittent|sporadic) (?:access to )?e-?mail|(?:limited|no|intermittent) access to e-?mail|i(?:'ll| will) (?:get back to|reply to|respond to|return your|answer) (?:you|your (?:e-?mail|message)|e-?mails?|messages?)(?: as soon as possible| promptly| shortly)? (?:when|upon|after|once) (?:i|my) return|(?:i am|is|i'm) (?:currently )?out of (?:the )?office (?:until|through|and|with|from|today|this week)|i'm (?:currently )?out of (?:the )?office (?:until|through|and|with|from)|thank you for your (?:e-?mail|message|note)[.!,;]?\s+(?:i am|i'm)\s+(?:currently\s+)?(?:away|out|on (?:vacation|leave|holiday)|travel+ing)|(?:i|and)(?:'ll| will) (?:reply|respond|get back to you|answer)(?: to (?:it|your (?:e-?mail|message)|messages|e-?mails))?(?: as soon as (?:i can|possible))? (?:when|upon|after|once) (?:i return|i'm back|i am back|my return)|delivery (?:has failed|to the following recipients? failed)|your message (?:could not|couldn't|wasn't|was not) (?:be )?delivered|this message was created automatically by mail delivery software)",
    )
    .expect("valid regex")
});

/// Subjects of a calendar service's notices ("Updated invitation: Ask Chat
/// shift @ Weekly ..."): the " @ " before the event's time is their mark.
static CALENDAR_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:invitation|updated invitation|new event|notification|reminder|canceled event|cancelled event|event canceled|event cancelled|accepted|declined|tentatively accepted|proposed new time)(?: with note)?:\s.*\s@\s",
    )
    .expect("valid regex")
});

static CALENDAR_SENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:calendar-notification|calendar-server|noreply-calendar|calendar)@")
        .expect("valid regex")
});

/// Calendar mail, by its text/calendar part, Outlook's calendar Content-Class,
/// or a calendar service's sender and subject.
/// A forwarded invitation is a person's mail that carries one ("FW: can
/// someone cover my shift during this?"), so forwards are read as usual;
/// so is a reply in a thread that carries an invitation it made ("Re: can
/// someone take my Wednesday?" with the coverer's invite attached): a
/// calendar's own mail is never titled as a reply, and an answer to an
/// invitation (METHOD:REPLY) stays calendar mail.
pub fn calendar_mail(d: &Decoded) -> Option<String> {
    if super::classify::is_forward(&d.subject) {
        return None;
    }
    if super::classify::is_reply(&d.subject)
        && d.calendar_part.as_deref() != Some("reply")
        && d.header("content-class").is_none()
    {
        return None;
    }
    if let Some(method) = &d.calendar_part {
        return Some(if method.is_empty() {
            "a text/calendar part".to_string()
        } else {
            format!(
                "a text/calendar part (METHOD:{})",
                method.to_ascii_uppercase()
            )
        });
    }
    if let Some(class) = d.header("content-class")
        && class.to_ascii_lowercase().contains("calendarmessage")
    {
        return Some(format!("Content-Class: {class}"));
    }
    if CALENDAR_SENDER.is_match(&d.from) {
        return Some(format!("sent by the calendar service {}", d.from));
    }
    if CALENDAR_SUBJECT.is_match(&d.subject) {
        return Some(format!("subject {:?} is a calendar notice's", d.subject));
    }
    None
}

/// Mail daemons, and a mailing list's bounce address ("ask-chat-bounces@",
/// "staff-bounces+sarah=example.edu@"): list software sends its notices
/// about a post it did not pass on (held for the moderator, rejected) from
/// there, and such a notice answers the post as a bounce does.
static BOUNCE_SENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|bounces?|noreply-dmarc-support|microsoftexchange[0-9a-f]*|[a-z0-9._-]+-bounces(?:\+[^@\s]*)?)@")
        .expect("valid regex")
});

/// Reads the headers (and the opening of the body) for machine mail.
pub fn origin(d: &Decoded, config: &Config) -> Origin {
    // The program's own mail first: it carries Auto-Submitted on purpose.
    if let Some(kind) = d.header("x-shiftcover-kind") {
        return Origin::Own(format!("X-Shiftcover-Kind: {kind}"));
    }
    if !d.from.is_empty() && config.is_own_address(&d.from) {
        return Origin::Own(format!("From is the program's own address {}", d.from));
    }

    // Calendar mail before the auto-reply checks: a calendar service's
    // notice may carry Auto-Submitted, and is still only `other`.
    if let Some(why) = calendar_mail(d) {
        return Origin::Calendar(why);
    }

    if let Some(v) = d.header("auto-submitted") {
        let v = v.trim().to_ascii_lowercase();
        if !v.is_empty() && !v.starts_with("no") {
            if let Some(why) = program_notice(d, config, &v) {
                return Origin::Notice(why);
            }
            return Origin::AutoReply(format!("Auto-Submitted: {v}"));
        }
    }
    for h in [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-auto-reply",
    ] {
        if let Some(v) = d.header(h) {
            let v = v.trim().to_ascii_lowercase();
            if v != "no" && v != "false" && v != "0" {
                return Origin::AutoReply(format!("{h}: {v}"));
            }
        }
    }
    if let Some(v) = d.header("x-auto-response-suppress") {
        // Outlook stamps All or OOF on its own automatic mail; a person's
        // message does not carry it.
        let lv = v.to_ascii_lowercase();
        if lv
            .split([',', ' '])
            .any(|t| t == "all" || t == "oof" || t == "autoreply")
        {
            return Origin::AutoReply(format!("X-Auto-Response-Suppress: {v}"));
        }
    }
    if d.content_type == "multipart/report" || d.has_report_part {
        return Origin::AutoReply(format!("delivery report ({})", d.content_type));
    }
    if BOUNCE_SENDER.is_match(&d.from) {
        return Origin::AutoReply(format!("sent by {}", d.from));
    }
    if let Some(rp) = d.header("return-path")
        && rp.trim() == "<>"
    {
        return Origin::AutoReply("empty Return-Path <>".into());
    }
    if AUTO_SUBJECT.is_match(&d.subject) {
        return Origin::AutoReply(format!("subject {:?} is an automatic reply's", d.subject));
    }
    if let Some(why) = recall_notice(d) {
        return Origin::Notice(why);
    }
    if let Some(why) = read_receipt(d) {
        return Origin::AutoReply(why);
    }

    if let Some(why) = list_digest(d, config) {
        return Origin::Bulk(why);
    }

    // Another list's mail (a newsletter, a vendor's announcements).
    if let Some(id) = d.header("list-id") {
        if !is_our_list(id, config) {
            return Origin::Bulk(format!("List-Id {id} is not the staff list"));
        }
    } else if let Some(u) = d.header("list-unsubscribe")
        && !is_our_list(u, config)
    {
        return Origin::Bulk(format!("List-Unsubscribe {u} is not the staff list's"));
    }
    if let Some(p) = d.header("precedence") {
        let p = p.trim().to_ascii_lowercase();
        if p == "junk" || p == "auto_reply" {
            return Origin::AutoReply(format!("Precedence: {p}"));
        }
        if p == "bulk" {
            // Vacation responders send bulk without list headers; mass
            // mail from elsewhere does too. Neither is a person asking. A
            // responder answers a message or reads like one; mass mail
            // that does neither (an office's announcement) is `other`.
            let answers = d.in_reply_to.is_some() || !d.references.is_empty();
            if answers || reads_automatic(&d.body).is_some() || reads_away(&d.body).is_some() {
                return Origin::AutoReply(format!("Precedence: {p}"));
            }
            return Origin::Bulk(format!("Precedence: {p}, answering no message"));
        }
    }
    for h in [
        "x-campaign",
        "x-mailchimp-id",
        "x-mc-user",
        "x-campaignid",
        "x-sg-eid",
    ] {
        if d.header(h).is_some() {
            return Origin::Bulk(format!("mass-mail header {h}"));
        }
    }
    Origin::Person
}

/// A list's digest: several posts bundled by the list software under
/// "Subject: <List> Digest, Vol 3, Issue 12" or a "Today's Topics:" index
/// over numbered "Message: 1" parts (Mailman), or "Digest for <group> - 3
/// updates in 2 topics" and "You received this digest because ..." (Google
/// Groups). It relays what others wrote, asks
/// nothing of its own (whatever the posts inside ask), and is `other`.
/// The list software sends it from an address off the roster; a person's
/// reply to a digest or forward of one is read as a person's mail.
static DIGEST_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bdigest\s*,?\s+vol(?:ume|\.)?\s*\d+\b|\bdigest\s+for\s+\S+@\S+|\b\d+\s+updates?\s+in\s+\d+\s+topics?\b")
        .expect("valid regex")
});
static DIGEST_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ims)^\s*today's topics:\s*$.*^\s*message:\s*1\s*$|\byou received this digest because\b",
    )
    .expect("valid regex")
});

fn list_digest(d: &Decoded, config: &Config) -> Option<String> {
    if super::classify::is_reply(&d.subject)
        || super::classify::is_forward(&d.subject)
        || config.roster.by_email(&d.from).is_some()
    {
        return None;
    }
    if DIGEST_SUBJECT.is_match(&d.subject) {
        return Some(format!("subject {:?} is a list digest's", d.subject));
    }
    DIGEST_BODY
        .is_match(&d.body)
        .then(|| "a list digest (\"Today's Topics:\" over numbered messages)".to_string())
}

/// Outlook's notice that a sender tried to recall a message ("Becker, Tom
/// would like to recall the message, "Need someone for Tuesday 12/15"."):
/// it quotes the old subject and takes nothing back by itself (a recall is
/// as often a typo fixed as a request withdrawn), so it is `other`.
static RECALL_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*[^\n]{1,80}?\s+would like to recall the message,?\s*["“]"#)
        .expect("valid regex")
});
static RECALL_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*recall\s*:").expect("valid regex"));

/// A read receipt that came as plain text (no `multipart/report`):
/// "Read: <subject>" over "Your message ... was read on ...". Like a
/// delivery report, the mail system wrote it in answer to a message.
static RECEIPT_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:read|not read)\s*:").expect("valid regex"));
static RECEIPT_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^\s*your message\b.{0,400}?\bwas (?:read|deleted without being read) on\b")
        .expect("valid regex")
});

fn read_receipt(d: &Decoded) -> Option<String> {
    (RECEIPT_SUBJECT.is_match(&d.subject) && RECEIPT_BODY.is_match(&d.body))
        .then(|| "a read receipt (\"Your message ... was read on ...\")".to_string())
}

fn recall_notice(d: &Decoded) -> Option<String> {
    (RECALL_SUBJECT.is_match(&d.subject) && RECALL_BODY.is_match(&d.body))
        .then(|| "an Outlook recall notice (\"would like to recall the message\")".to_string())
}

/// A message generated by a program that answers nothing: marked
/// `auto-generated` (not `auto-replied`), threaded to no message, from a
/// sender off the roster, and neither a bounce (no report, no daemon
/// sender) nor worded or titled like an automatic reply or an absence. Staff
/// mail clients mark out-of-office replies `auto-generated` too, which is
/// why a roster sender, a reply, or an absence's words keep it an auto
/// reply.
fn program_notice(d: &Decoded, config: &Config, value: &str) -> Option<String> {
    let generated = value
        .split(';')
        .next()
        .is_some_and(|v| v.trim() == "auto-generated");
    let answers_something = d.in_reply_to.is_some() || !d.references.is_empty();
    let on_roster = config.roster.by_email(&d.from).is_some();
    let bounce = d.content_type == "multipart/report"
        || d.has_report_part
        || BOUNCE_SENDER.is_match(&d.from);
    let worded_as_reply = AUTO_SUBJECT.is_match(&d.subject)
        || reads_automatic(&d.body).is_some()
        || reads_away(&d.body).is_some();
    (generated && !answers_something && !on_roster && !bounce && !worded_as_reply).then(|| {
        format!(
            "Auto-Submitted: {value} from {}, off the roster and answering no message: a program's notice",
            d.from
        )
    })
}

/// "This is an automated message": a program's notice (a weekly summary,
/// a system alert). It answers nobody, so it is no auto reply unless it
/// also reads like an absence or a bounce ([`reads_automatic`],
/// [`reads_away`]); it is `other`.
static AUTOMATED_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bthis is an? (?:automatic|automated|auto-generated)(?:ally generated)? (?:message|notification|notice|report|e-?mail)\b",
    )
    .expect("valid regex")
});

/// True when a text reads like a program's notice: its words, quoted.
pub fn reads_automated_notice(text: &str) -> Option<String> {
    AUTOMATED_NOTICE
        .find(text)
        .map(|m| format!("text reads like a program's notice: {:?}", m.as_str()))
}

/// A mailing's subscription footer ("You are receiving this because you
/// subscribed", "Unsubscribe: https://...", "update your preferences"): a
/// newsletter's, which the staff list relays with its own List-Id. The staff
/// list's own footer (a Google Group's "you are subscribed to the Google
/// Groups ...") is set aside by [`reads_mailing`].
static MAILING_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)\byou(?:'re| are) receiving this(?: e-?mail| message| newsletter| mail(?:ing)?)? (?:because|as an? (?:member|subscriber))\b|\byou(?:'re| are) (?:subscribed|a subscriber) to\b|\bunsubscribe\s*(?::|here\b|at\b|https?://|from (?:this|our|these|future)\b|$)|\bto unsubscribe\b|\bupdate your (?:e-?mail |subscription |mailing )?preferences\b|\bopt out of (?:these|future) (?:e-?mails|messages|mailings)\b",
    )
    .expect("valid regex")
});

/// A text that carries a mailing's subscription footer, not the staff
/// list's own: its words, quoted. Read only for senders off the roster, as
/// a colleague may well ask how to unsubscribe.
pub fn reads_mailing(text: &str) -> Option<String> {
    MAILING_FOOTER
        .find_iter(text)
        .find(|m| {
            let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[m.end()..]
                .find('\n')
                .map_or(text.len(), |i| m.end() + i);
            let line = text[line_start..line_end].to_ascii_lowercase();
            !line.contains("google group") && !line.contains("this group")
        })
        .map(|m| format!("text carries a mailing's footer: {:?}", m.as_str().trim()))
}

/// True when the opening of a text reads like an automatic reply.
pub fn reads_automatic(text: &str) -> Option<String> {
    let head: String = text.chars().take(600).collect();
    AUTO_BODY
        .find(&head)
        .map(|m| format!("text reads like an automatic reply: {:?}", m.as_str()))
}

/// "I'm on vacation until 12/14": words of an absence notice. Weaker than
/// [`AUTO_BODY`] (a person says this too), so read only when the text is
/// otherwise about nothing the program acts on.
static AWAY_BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:i am|i'm) (?:currently )?(?:on vacation|on leave|on sabbatical|away(?: from (?:the office|my desk))?|traveling|travelling) (?:until|through|thru|till|and will (?:return|be back))\b|\bi will be out of (?:the )?office (?:starting|from|until|through|beginning)\b|\b(?:reply|respond|get back to you|answer)\b[^.!?\n]{0,30}\b(?:when|once|after|upon) (?:i'm back|i am back|i return|my return)\b",
    )
    .expect("valid regex")
});

/// True when a text that asks for nothing reads like an absence notice.
pub fn reads_away(text: &str) -> Option<String> {
    let head: String = text.chars().take(600).collect();
    AWAY_BODY
        .find(&head)
        .map(|m| format!("text reads like an absence notice: {:?}", m.as_str()))
}

/// Does a List-* header value name the staff list? The list's local part
/// ("ask-chat") must appear as a whole label (`<ask-chat.example.edu>`,
/// `mailto:ask-chat@...`, `.../ask-chat/...`).
pub fn is_our_list(value: &str, config: &Config) -> bool {
    let addr = config.list_address.to_ascii_lowercase();
    let local = addr.split('@').next().unwrap_or("");
    if local.is_empty() {
        return false;
    }
    // A URL's query or a mailto's headers may name the subscriber
    // ("?u=ask-chat%40example.edu" in a vendor's unsubscribe link), not the
    // list: only what comes before "?" in each entry counts.
    let mut v = String::with_capacity(value.len());
    let mut in_query = false;
    for c in value.to_ascii_lowercase().chars() {
        match c {
            '?' => in_query = true,
            '>' | ',' => {
                in_query = false;
                v.push(c);
            }
            c if !in_query => v.push(c),
            _ => {}
        }
    }
    let bytes = v.as_bytes();
    let mut from = 0;
    while let Some(i) = v[from..].find(local) {
        let start = from + i;
        let end = start + local.len();
        let before_ok = start == 0 || !is_label_char(bytes[start - 1]);
        let after_ok = end == bytes.len()
            || !is_label_char(bytes[end])
            || v[end..].starts_with("-request")
            || v[end..].starts_with("-unsubscribe")
            || v[end..].starts_with("+unsubscribe")
            || v[end..].starts_with("-leave");
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

fn is_label_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
