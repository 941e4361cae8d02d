//! Decoding a raw message: MIME structure, transfer encodings, charsets,
//! encoded-word headers, and HTML turned into plain lines. Built on
//! mail-parser; everything here is pure and never panics on bad input.
//!
//! OWNER: reading helper.

use chrono::{DateTime, Utc};
use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders, PartType};

use crate::model::Instant;

/// How much of a raw message is taken apart at all: the headers and the text
/// people write come first, and what lies beyond (attachments, a forwarded
/// archive) would only cost time. A message longer than this is read as if
/// it ended here.
pub const MAX_RAW: usize = 4 * 1024 * 1024;

/// How much of the body's text is read, after decoding (transfer encoding,
/// charset, HTML made plain): 64 KiB is some 30 pages, far beyond any note
/// about a shift, and keeps every later step of reading small whatever the
/// message's size.
pub const MAX_BODY_TEXT: usize = 64 * 1024;

/// How many MIME parts are looked at for the body, a calendar part or a
/// delivery report. Nesting is bounded by [`MAX_RAW`] too: mail-parser
/// descends into nested messages only a few levels and keeps multipart
/// nesting on a heap stack.
pub const MAX_PARTS: usize = 200;

/// A message taken apart: the headers the reader needs and the body as text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    /// With angle brackets; None when the message has none.
    pub message_id: Option<String>,
    /// Sender's address, lowercased; empty when the message names none.
    pub from: String,
    /// Sender's display name ("Chen, Mei"), if any.
    pub from_name: Option<String>,
    pub date: Option<Instant>,
    /// Decoded subject (encoded words resolved), unfolded.
    pub subject: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Every top-level header as (lowercased name, unfolded raw value), in
    /// order, for the machine-mail checks.
    pub headers: Vec<(String, String)>,
    /// Top-level content type, lowercased ("multipart/report").
    pub content_type: String,
    /// True when some part is a delivery or disposition report.
    pub has_report_part: bool,
    /// The iTIP method ("request", "reply", "cancel", or "" when unstated)
    /// of a text/calendar or application/ics part, when the message has one.
    pub calendar_part: Option<String>,
    /// That calendar part's text (transfer encoding and charset undone),
    /// for reading an iTIP REPLY to the program's own invitations.
    pub calendar_text: Option<String>,
    /// The body as plain text lines (text/plain preferred, else HTML made
    /// plain).
    pub body: String,
    /// True when the body came from an HTML part.
    pub body_from_html: bool,
    /// True when only the first part of a long message or body was read
    /// ([`MAX_RAW`], [`MAX_BODY_TEXT`], [`MAX_PARTS`]).
    pub truncated: bool,
}

impl Decoded {
    /// First value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Takes a raw message apart. Errs only when nothing message-like is there.
pub fn decode(raw: &[u8]) -> Result<Decoded, String> {
    let parser = MessageParser::default();
    let head = &raw[..raw.len().min(MAX_RAW)];
    let msg = parser
        .parse(head)
        .ok_or_else(|| "no message headers could be read".to_string())?;
    let mut d = decoded_from(&msg);
    d.truncated |= head.len() < raw.len() || msg.parts.len() > MAX_PARTS;
    Ok(d)
}

fn decoded_from(msg: &Message) -> Decoded {
    let (from, from_name) = first_address(msg.from())
        .or_else(|| first_address(msg.sender()))
        .unwrap_or_default();
    let date = msg
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0));
    let headers: Vec<(String, String)> = msg
        .headers_raw()
        .map(|(k, v)| (k.to_ascii_lowercase(), unfold(v)))
        .collect();
    let content_type = msg
        .root_part()
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_string(),
        })
        .unwrap_or_else(|| "text/plain".into())
        .to_ascii_lowercase();
    let has_report_part = msg.parts.iter().take(MAX_PARTS).any(|p| {
        p.content_type().is_some_and(|ct| {
            let sub = ct.subtype().unwrap_or("").to_ascii_lowercase();
            ct.ctype().eq_ignore_ascii_case("message")
                && (sub == "delivery-status" || sub == "disposition-notification")
        })
    });
    let (calendar_part, calendar_text) = match calendar_method(msg) {
        Some((method, text)) => (Some(method), Some(text)),
        None => (None, None),
    };
    let (mut body, body_from_html, truncated) = body_text(msg);
    // A message forwarded as an attachment (message/rfc822) is read as an
    // inline forward would be: below its own header block, after what the
    // forwarder wrote. A report's copy of the original is no forward.
    if !has_report_part
        && let Some(forwarded) = attached_forward(msg)
        && body.len() + forwarded.len() <= MAX_BODY_TEXT
    {
        if !body.is_empty() && !body.ends_with('\n') {
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&forwarded);
    }
    Decoded {
        message_id: msg.message_id().map(bracketed),
        from,
        from_name,
        date,
        subject: msg.subject().map(unfold).unwrap_or_default(),
        in_reply_to: ids(msg.in_reply_to()).into_iter().next(),
        references: ids(msg.references()),
        headers,
        content_type,
        has_report_part,
        calendar_part,
        calendar_text,
        body,
        body_from_html,
        truncated,
    }
}

/// The method of the first calendar part (text/calendar, application/ics),
/// from its content type's `method` parameter, else its METHOD: line, with
/// the part's text.
fn calendar_method(msg: &Message) -> Option<(String, String)> {
    msg.parts.iter().take(MAX_PARTS).find_map(|p| {
        let ct = p.content_type()?;
        let sub = ct.subtype().unwrap_or("").to_ascii_lowercase();
        let is_calendar = (ct.ctype().eq_ignore_ascii_case("text") && sub == "calendar")
            || (ct.ctype().eq_ignore_ascii_case("application") && sub == "ics");
        if !is_calendar {
            return None;
        }
        let text = match &p.body {
            PartType::Text(t) | PartType::Html(t) => t.to_string(),
            PartType::Binary(b) | PartType::InlineBinary(b) => {
                String::from_utf8_lossy(b).into_owned()
            }
            _ => String::new(),
        };
        if let Some(m) = ct.attribute("method") {
            return Some((m.trim().to_ascii_lowercase(), text));
        }
        let method = text
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("METHOD:")
                    .map(|m| m.trim().to_ascii_lowercase())
            })
            .unwrap_or_default();
        Some((method, text))
    })
}

fn first_address(a: Option<&Address>) -> Option<(String, Option<String>)> {
    let addr = a?.first()?;
    let email = addr.address()?.trim().to_lowercase();
    if email.is_empty() {
        return None;
    }
    let name = addr
        .name()
        .map(|n| n.trim().trim_matches('"').trim().to_string())
        .filter(|n| !n.is_empty());
    Some((email, name))
}

fn bracketed(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    format!("<{id}>")
}

fn ids(v: &HeaderValue) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![bracketed(t)],
        HeaderValue::TextList(list) => list.iter().map(|t| bracketed(t)).collect(),
        _ => Vec::new(),
    }
}

/// Joins folded header lines and trims.
fn unfold(v: &str) -> String {
    // Built in place: every header of every message passes here.
    let mut out = String::with_capacity(v.len());
    for word in v.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first message attached whole (message/rfc822) that has text, as an
/// inline forward writes it: a "Forwarded message" line, its From, Date and
/// Subject, and its body.
fn attached_forward(msg: &Message) -> Option<String> {
    let inner = msg
        .attachments()
        .take(MAX_PARTS)
        .find_map(|p| match &p.body {
            PartType::Message(m) => Some(m),
            _ => None,
        })?;
    let (text, _, _) = body_text(inner);
    if text.trim().is_empty() {
        return None;
    }
    let from = match first_address(inner.from()) {
        Some((email, Some(name))) => format!("{name} <{email}>"),
        Some((email, None)) => email,
        None => String::new(),
    };
    let mut out = String::from("---------- Forwarded message ---------\n");
    out.push_str(&format!("From: {from}\n"));
    if let Some(date) = inner.header_raw("Date") {
        out.push_str(&format!("Date: {}\n", unfold(date)));
    }
    out.push_str(&format!(
        "Subject: {}\n\n",
        inner.subject().map(unfold).unwrap_or_default()
    ));
    out.push_str(&text);
    Some(out)
}

/// The readable body: the first text/plain body part, else the first HTML
/// one made plain. Parts of a nested message (a bounce's copy of the
/// original) are not the sender's words and are left out.
///
/// Only the first [`MAX_BODY_TEXT`] bytes of text are kept (cut at a line
/// end where there is one near), and the third value says whether anything
/// was cut. The cut is made before the text is worked on, so a long body
/// costs no more than a short one past the decoding.
fn body_text(msg: &Message) -> (String, bool, bool) {
    for part in msg.text_bodies().take(MAX_PARTS) {
        if let PartType::Text(t) = &part.body {
            let (head, cut) = text_head(t, MAX_BODY_TEXT);
            return (normalise_text(head), false, cut);
        }
    }
    for part in msg
        .html_bodies()
        .take(MAX_PARTS)
        .chain(msg.text_bodies().take(MAX_PARTS))
    {
        if let PartType::Html(h) = &part.body {
            // Markup is most of an HTML body: allow it four times the
            // text's room, then cut the text made of it.
            let (head, cut) = text_head(h, 4 * MAX_BODY_TEXT);
            let text = html_to_text(head);
            let (plain, cut_again) = text_head(&text, MAX_BODY_TEXT);
            return (plain.to_string(), true, cut || cut_again);
        }
    }
    (String::new(), false, false)
}

/// The first `limit` bytes of `text` or fewer: cut at the last line end in
/// the final quarter, else at a character boundary; and whether it was cut.
pub fn text_head(text: &str, limit: usize) -> (&str, bool) {
    if text.len() <= limit {
        return (text, false);
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind('\n') {
        Some(nl) if nl >= limit - limit / 4 => (&head[..=nl], true),
        _ => (head, true),
    }
}

/// Line ends made `\n`, and spaces that mailers vary on made plain.
pub fn normalise_text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '\r' => {}
            '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' | '\u{200a}' => out.push(' '),
            '\u{200b}' | '\u{feff}' | '\u{200c}' | '\u{200d}' => {}
            c => out.push(c),
        }
    }
    out
}

/// HTML to plain lines: block elements and `<br>` end lines, `<hr>` becomes
/// Outlook's underscore separator, `<blockquote>` lines get a `> ` prefix,
/// head/style/script are dropped, and entities are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut line = String::new();
    let mut quote_depth: usize = 0;
    let mut skip_depth: usize = 0;
    let mut rest = html;

    // Ends the current line; a blank line only when asked (a `<br>`).
    fn end_line(out: &mut String, line: &mut String, depth: usize, force: bool) {
        let t = line.trim();
        if !t.is_empty() || force {
            for _ in 0..depth {
                out.push_str("> ");
            }
            out.push_str(t);
            out.push('\n');
        }
        line.clear();
    }

    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = match after.find("-->") {
                Some(i) => &after[i + 3..],
                None => "",
            };
            continue;
        }
        if rest.starts_with('<') {
            let end = match rest.find('>') {
                Some(i) => i,
                None => break,
            };
            let tag = &rest[1..end];
            rest = &rest[end + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            match name.as_str() {
                "head" | "style" | "script" | "title" | "xml" => {
                    if closing {
                        skip_depth = skip_depth.saturating_sub(1);
                    } else if !tag.ends_with('/') {
                        skip_depth += 1;
                    }
                }
                "br" if skip_depth == 0 => {
                    end_line(&mut out, &mut line, quote_depth, true);
                }
                "hr" if skip_depth == 0 => {
                    end_line(&mut out, &mut line, quote_depth, false);
                    line.push_str("________________________________");
                    end_line(&mut out, &mut line, quote_depth, false);
                }
                "blockquote" => {
                    end_line(&mut out, &mut line, quote_depth, false);
                    if closing {
                        quote_depth = quote_depth.saturating_sub(1);
                    } else {
                        quote_depth += 1;
                    }
                }
                "p" | "div" | "tr" | "li" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4"
                | "h5" | "h6" | "pre" | "section" | "article" | "header" | "footer" | "body"
                | "html" | "center" | "dl" | "dt" | "dd" => {
                    end_line(&mut out, &mut line, quote_depth, false);
                }
                "td" | "th" => line.push(' '),
                _ => {}
            }
            continue;
        }
        let next = rest.find('<').unwrap_or(rest.len());
        if skip_depth == 0 {
            push_text(&mut line, &rest[..next]);
        }
        rest = &rest[next..];
    }
    end_line(&mut out, &mut line, quote_depth, false);
    out
}

/// Appends HTML character data: whitespace collapsed, entities decoded.
fn push_text(line: &mut String, text: &str) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some(semi) = rest[1..].find(';').filter(|&i| i <= 10)
        {
            let entity = &rest[1..1 + semi];
            if let Some(d) = entity_char(entity) {
                push_char(line, d);
                rest = &rest[semi + 2..];
                continue;
            }
        }
        push_char(line, c);
        rest = &rest[c.len_utf8()..];
    }
}

fn push_char(line: &mut String, c: char) {
    let c = match c {
        '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2009}' => ' ',
        '\u{200b}' | '\u{feff}' => return,
        c => c,
    };
    if c.is_whitespace() {
        if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
    } else {
        line.push(c);
    }
}

fn entity_char(e: &str) -> Option<char> {
    if let Some(num) = e.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        return char::from_u32(code);
    }
    Some(match e {
        "nbsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "rsquo" | "lsquo" => '\'',
        "ldquo" | "rdquo" => '"',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ccedil" => 'ç',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "zwnj" | "zwj" | "shy" => return None,
        _ => return None,
    })
}

/// A stable stand-in Message-ID from the message bytes (FNV-1a, 64 bits),
/// so handling the same message twice still finds the same key.
pub fn synthetic_message_id(raw: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in raw {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // A second pass with another seed makes accidental collisions rarer.
    let mut h2: u64 = 0x6c62_272e_07bb_0142;
    for &b in raw.iter().rev() {
        h2 ^= u64::from(b);
        h2 = h2.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("<{h:016x}{h2:016x}@shiftcover.invalid>")
}

/// Every message of the corpus (`tests/messages/*.eml`) that decodes, with
/// its path: for tests that check a scan against the pattern it replaced
/// on every text the project has.
#[cfg(test)]
pub(crate) fn corpus_decoded() -> Vec<(std::path::PathBuf, Decoded)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "eml") {
            continue;
        }
        let raw = std::fs::read(&path).expect("message");
        if let Ok(d) = decode(&raw) {
            out.push((path, d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_attached_whole_is_read_as_an_inline_forward() {
        let inner = "From: Tom Becker <tom.b.personal@example.net>\r\n\
            Subject: swap for Tue 1/12?\r\nDate: Mon, 4 Jan 2027 20:00:00 -0500\r\n\
            Content-Type: text/plain\r\n\r\nWho could take my Tuesday 1/12, 10-12?\r\n";
        let raw = format!(
            "From: Courtney <ccrummett@example.edu>\r\nSubject: FW: swap for Tue 1/12?\r\n\
             Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
             Content-Type: text/plain\r\n\r\nPassing this on for Tom.\r\n--b\r\n\
             Content-Type: message/rfc822\r\n\r\n{inner}\r\n--b--\r\n"
        );
        let d = decode(raw.as_bytes()).expect("decodes");
        assert!(d.body.starts_with("Passing this on for Tom."), "{}", d.body);
        assert!(
            d.body.contains("---------- Forwarded message ---------\nFrom: Tom Becker <tom.b.personal@example.net>"),
            "{}",
            d.body
        );
        assert!(
            d.body.contains("Who could take my Tuesday 1/12, 10-12?"),
            "{}",
            d.body
        );
        // A bounce's copy of the original is not forwarded words.
        let bounce = format!(
            "From: MAILER-DAEMON@example.edu\r\nSubject: Undelivered\r\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n--b\r\n\
             Content-Type: message/delivery-status\r\n\r\nAction: failed\r\n--b\r\n\
             Content-Type: message/rfc822\r\n\r\n{inner}\r\n--b--\r\n"
        );
        let d = decode(bounce.as_bytes()).expect("decodes");
        assert!(!d.body.contains("Who could take"), "{}", d.body);
    }

    #[test]
    fn outlook_html_keeps_lines_and_blank_lines() {
        let html = "<html><head><style>P {margin:0}</style></head><body>\
            <div>Hi all,</div><div><br></div><div>Could someone cover 2:30-3:30?</div>\
            <div>Thanks,</div><div>Jorge</div></body></html>";
        assert_eq!(
            html_to_text(html),
            "Hi all,\n\nCould someone cover 2:30-3:30?\nThanks,\nJorge\n"
        );
    }

    #[test]
    fn html_entities_and_quotes() {
        let html = "<div>I&#39;m free &amp; happy&nbsp;to&rsquo;do it</div>\
            <blockquote><div>Can anyone cover?</div></blockquote><hr><b>From:</b> x";
        let text = html_to_text(html);
        assert!(text.contains("I'm free & happy to'do it"), "{text}");
        assert!(text.contains("> Can anyone cover?"), "{text}");
        assert!(
            text.contains("________________________________\nFrom: x"),
            "{text}"
        );
    }

    #[test]
    fn encoded_words_and_charsets_are_decoded() {
        let raw = b"From: =?ISO-8859-1?Q?Jos=E9_P=E9rez?= <JPerez@Example.edu>\r\n\
Subject: =?UTF-8?B?Q2hhdCBjb3ZlcmFnZSDigJMgVHVlcyAxMS8xMA==?=\r\n\
Date: Mon, 02 Nov 2026 10:14:06 -0500\r\n\
Content-Type: text/plain; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\r\n\
Caf=E9 meeting, could someone cover?\r\n";
        let d = decode(raw).expect("decodes");
        assert_eq!(d.from, "jperez@example.edu");
        assert_eq!(d.from_name.as_deref(), Some("José Pérez"));
        assert_eq!(d.subject, "Chat coverage – Tues 11/10");
        assert!(d.body.starts_with("Café meeting"), "{}", d.body);
        assert_eq!(
            d.date.map(|t| t.to_rfc3339()),
            Some("2026-11-02T15:14:06+00:00".to_string())
        );
        assert_eq!(d.message_id, None);
    }

    #[test]
    fn html_only_mail_is_made_plain() {
        let raw = b"From: a@example.edu\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n\
<div>Line one</div><div>Line two</div>";
        let d = decode(raw).expect("decodes");
        assert!(d.body_from_html);
        assert_eq!(d.body, "Line one\nLine two\n");
    }

    #[test]
    fn a_long_body_is_read_up_to_the_cap_at_a_line_end() {
        let line = "Can someone cover 12-2 Monday?\r\n";
        let raw = format!(
            "From: a@example.edu\r\nSubject: x\r\n\r\n{}",
            line.repeat(10_000)
        );
        let d = decode(raw.as_bytes()).expect("decodes");
        assert!(d.truncated);
        assert!(d.body.len() <= MAX_BODY_TEXT, "{}", d.body.len());
        assert!(d.body.len() > MAX_BODY_TEXT / 2, "{}", d.body.len());
        assert!(d.body.ends_with("Monday?\n"), "cut mid-line");
        let short = decode(b"From: a@example.edu\r\nSubject: x\r\n\r\nhello\r\n").expect("decodes");
        assert!(!short.truncated);
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        let text = "é".repeat(100);
        for limit in 1..20 {
            let (head, cut) = text_head(&text, limit);
            assert!(cut);
            assert!(head.len() <= limit);
        }
        assert_eq!(text_head("short", 64), ("short", false));
    }

    #[test]
    fn a_message_past_the_raw_cap_is_read_from_its_start() {
        let mut raw = b"From: a@example.edu\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCould someone cover my Monday shift?\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
        while raw.len() < MAX_RAW + 1024 {
            raw.extend_from_slice(b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n");
        }
        raw.extend_from_slice(b"--b--\r\n");
        let d = decode(&raw).expect("decodes");
        assert!(d.truncated);
        assert!(d.body.contains("cover my Monday"), "{}", d.body);
    }

    #[test]
    fn synthetic_ids_are_stable_and_distinct() {
        let a = synthetic_message_id(b"one");
        assert_eq!(a, synthetic_message_id(b"one"));
        assert_ne!(a, synthetic_message_id(b"two"));
        assert!(a.starts_with('<') && a.ends_with("@shiftcover.invalid>"));
    }

    #[test]
    fn calendar_parts_are_found_with_their_method() {
        let raw = b"From: Courtney <ccrummett@example.edu>\r\n\
Subject: Ask Chat staff meeting\r\n\
Date: Tue, 01 Dec 2026 15:00:00 -0500\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nIf your chat shift conflicts, stay on chat.\r\n\
--b\r\nContent-Type: text/calendar; charset=utf-8\r\n\r\n\
BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n--b--\r\n";
        let d = decode(raw).expect("parses");
        assert_eq!(d.calendar_part.as_deref(), Some("request"));
        assert!(d.body.contains("stay on chat"), "{}", d.body);
        let plain = decode(b"From: a@example.edu\r\nSubject: x\r\n\r\nhello\r\n").expect("parses");
        assert_eq!(plain.calendar_part, None);
    }
}
