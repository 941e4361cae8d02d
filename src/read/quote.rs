//! Setting aside what a message quotes and its signature, so a reply is read
//! for what it says and not for what it quotes.
//!
//! Recognised: `>` lines; Gmail/Apple/Thunderbird attributions ("On ...
//! wrote:", possibly wrapped over two lines); Outlook's "-----Original
//! Message-----", its underscore rule and "From: / Sent:" header blocks;
//! forwarded-message banners; the signature delimiter "-- "; mobile
//! footers ("Sent from my iPhone"); list footers; and contact lines
//! ("Name | Title | phone").
//!
//! OWNER: reading helper.

use std::sync::LazyLock;

use super::pattern::Regex;

/// A body split into what the sender wrote now and what it carries along.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// The sender's new words, signature removed.
    pub new_text: String,
    /// Everything quoted or forwarded, `>` marks removed.
    pub quoted: String,
    /// Why the cut was made where it was, if anywhere.
    pub cut: Option<String>,
}

static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:on\b.{0,200}\bwrote\s*:|.{0,120}\b(?:wrote|writes|a écrit|schrieb|escribió|escreveu|ha scritto|schreef)\s*:)\s*$",
    )
    .expect("valid regex")
});
static ATTRIBUTION_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^on\s.{4,}").expect("valid regex"));
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:-{2,}\s*(?:original message|forwarded message|message d'origine|ursprüngliche nachricht)\s*-{0,}|-{3,}\s*forwarded by .*|begin forwarded message\s*:?|_{8,}|#{8,}|={8,}|\*{8,})\s*$",
    )
    .expect("valid regex")
});
static HEADER_FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\*?(?:from|de|von)\s*:\*?\s*\S").expect("valid regex"));
static HEADER_NEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\*?(?:sent|date|to|subject|cc|envoyé|gesendet)\s*:").expect("valid regex")
});
static MOBILE_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:sent from (?:my |the )?\S.{0,40}|sent from outlook.{0,30}|get outlook for \S.{0,30}|sent via .{0,40}|sent on the go.{0,30}|sent from mail for windows.{0,10}|envoyé de mon .{0,30})$")
        .expect("valid regex")
});
/// A mark standing for quoted lines left out of an inline reply.
static SNIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\[<(]\s*(?:\.{3}|…|snip(?:ped)?|cut|trimmed|quoted text hidden)\s*[\]>)]$")
        .expect("valid regex")
});
static LIST_FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:you received this message because you are subscribed|to unsubscribe from this (?:group|list)|to view this discussion|---\s*you received this)")
        .expect("valid regex")
});

/// Splits a body into new text and quoted text.
pub fn split(body: &str) -> Split {
    let lines: Vec<&str> = body.lines().collect();
    let mut cut_at = lines.len();
    let mut cut = None;
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some(why) = cut_reason(&lines, i, line) {
            cut_at = i;
            cut = Some(why);
            break;
        }
    }

    // Bottom posting: an attribution followed by `>` lines, then the
    // writer's own words below the quote. Those words are new text, up to
    // the next cut (a signature, another quoted block).
    let mut below: Vec<&str> = Vec::new();
    let mut quote_end = lines.len();
    if cut.as_deref().is_some_and(|c| c.starts_with("attribution")) {
        let after: Vec<(usize, &str)> = lines
            .iter()
            .enumerate()
            .skip(cut_at + 1)
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i, *l))
            .collect();
        let marked = after
            .first()
            .is_some_and(|(_, l)| l.trim_start().starts_with('>'));
        if marked
            && let Some(&(first_own, _)) =
                after.iter().find(|(_, l)| !l.trim_start().starts_with('>'))
        {
            quote_end = first_own;
            // Inline replies (Thunderbird, mutt): the writer answers between
            // quoted lines, so own words after a further quoted block are
            // new text too, up to the next cut. A snip mark ("[...]") stands
            // for quoted lines left out.
            for (i, raw) in lines.iter().enumerate().skip(first_own) {
                if cut_reason(&lines, i, raw.trim()).is_some() {
                    quote_end = i.max(first_own);
                    break;
                }
                if raw.trim_start().starts_with('>') || SNIP.is_match(raw.trim()) {
                    continue;
                }
                if raw.trim().is_empty() && below.last().is_some_and(|l| l.trim().is_empty()) {
                    continue;
                }
                if !raw.trim().is_empty()
                    && below.last().is_some_and(|l| !l.trim().is_empty())
                    && lines[i - 1].trim_start().starts_with('>')
                {
                    below.push("");
                }
                below.push(raw.trim_end());
                quote_end = i + 1;
            }
        }
    }

    // The sender's lines, each marked whether it is a signature's contact
    // line (read as nothing, but kept in view for finding the signature).
    let mut own_lines: Vec<(&str, bool)> = Vec::new();
    let mut quoted_lines: Vec<String> = Vec::new();
    let table = table_lines(&lines[..cut_at]);
    for (i, raw) in lines[..cut_at].iter().enumerate() {
        let t = raw.trim_start();
        if t.starts_with('>') {
            quoted_lines.push(strip_quote_marks(t).to_string());
        } else if table[i] == TableLine::Rule {
            // A table's rule line carries nothing to read.
        } else {
            own_lines.push((
                raw.trim_end(),
                table[i] != TableLine::Row && is_contact_line(t),
            ));
        }
    }
    if !below.is_empty() {
        for raw in &lines[cut_at..lines.len().min(quote_end)] {
            if raw.trim_start().starts_with('>') || is_attribution(raw.trim()) {
                quoted_lines.push(strip_quote_marks(raw.trim_start()).to_string());
            }
        }
        own_lines.push(("", false));
        own_lines.extend(below.iter().map(|l| (*l, is_contact_line(l.trim_start()))));
        for raw in &lines[quote_end.min(lines.len())..] {
            quoted_lines.push(strip_quote_marks(raw.trim_start()).to_string());
        }
    } else {
        for raw in &lines[cut_at..] {
            quoted_lines.push(strip_quote_marks(raw.trim_start()).to_string());
        }
    }
    let mut new_lines = without_signature_beside_contacts(&own_lines);
    // A quoted block in the middle with no attribution left an
    // attribution-like last line ("Mei wrote:"); drop trailing blanks too.
    while new_lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || is_attribution(l.trim()))
    {
        new_lines.pop();
    }
    Split {
        new_text: new_lines.join("\n").trim().to_string(),
        quoted: quoted_lines.join("\n").trim().to_string(),
        cut,
    }
}

fn cut_reason(lines: &[&str], i: usize, line: &str) -> Option<String> {
    if line.is_empty() {
        return None;
    }
    if is_attribution(line) {
        return Some(format!("attribution {line:?}"));
    }
    // "On Mon, Nov 2, 2026 at 10:14 AM Chen, Mei <mchen@example.edu>\nwrote:"
    if may_start_with(line, b"o")
        && ATTRIBUTION_START.is_match(line)
        && line.len() < 200
        && let Some(next) = lines.get(i + 1).map(|l| l.trim())
        && next.len() < 120
        && next.to_ascii_lowercase().ends_with("wrote:")
    {
        return Some(format!("attribution {line:?}"));
    }
    if may_start_with(line, b"-b_#=*") && SEPARATOR.is_match(line) {
        return Some(format!("separator {line:?}"));
    }
    if may_start_with(line, b"*fdv") && HEADER_FROM.is_match(line) {
        let next_is_header = lines.iter().skip(i + 1).take(4).any(|l| {
            let l = l.trim();
            may_start_with(l, b"*sdtceg") && HEADER_NEXT.is_match(l)
        });
        if next_is_header {
            return Some(format!("quoted header block at {line:?}"));
        }
    }
    if line == "--" || lines[i] == "-- " || line == "—" {
        return Some("signature delimiter".into());
    }
    if may_start_with(line, b"sge") && MOBILE_FOOTER.is_match(line) {
        return Some(format!("footer {line:?}"));
    }
    if may_start_with(line, b"yt-") && LIST_FOOTER.is_match(line) {
        return Some(format!("list footer {line:?}"));
    }
    None
}

/// A sign-off ("Thanks,", "Best,") alone on its line.
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:thanks|thank you|thanks so much|thank you so much|thanks again|many thanks|with thanks|thx|ty|best|all best|best wishes|cheers|regards|best regards|kind regards|warm regards|warmly|sincerely|take care|talk soon|(?:with\s+)?(?:many\s+|warm\s+|kind\s+|best\s+|my\s+)?(?:thanks|apologies|regards|wishes)(?:\s+again|\s+in\s+advance)?\s+and\s+(?:best|kind|warm|all\s+(?:the\s+)?best|good)(?:\s+(?:regards|wishes))?|(?:with\s+)?(?:best|kind|warm|warmest|kindest|good|all\s+(?:the\s+)?best)\s+(?:wishes|regards)\s+to\s+[A-Za-z]+(?:\s+[A-Za-z]+)?)\s*[,.!]*$")
        .expect("valid regex")
});
/// A name under a sign-off: one to three words, no sentence.
static NAME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-~–—]?\s*[A-Za-z][A-Za-z.'\-]*(?:\s+[A-Za-z][A-Za-z.'\-]*){0,2}$")
        .expect("valid regex")
});
static POSTSCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^p\.?\s?s\b").expect("valid regex"));

/// Drops a signature block under a sign-off and the writer's name ("Thanks,
/// / Sarah / Sarah Kim (she/her) / Office hours: Tues 1-3pm"): its days and
/// times are not the message's. Kept when what follows reads like more
/// message (a postscript, a question, many lines).
///
/// Gives where the signature starts: the count of `lines` kept, all of
/// them when there is none. The lines from `new_before` on are the end of
/// lines already searched, where none was found: a line that opens a
/// signature only by them (and, for a name heading one, the line before it)
/// is not looked at again.
fn signature_start(lines: &[&str], new_before: usize) -> usize {
    let end = lines.len();
    for i in 0..end.saturating_sub(2).min(new_before) {
        let line = lines[i].trim();
        if !(may_start_with(line, b"tbmwcrska") && SIGN_OFF.is_match(line)) {
            continue;
        }
        let Some(name_at) = (i + 1..end).find(|&j| !lines[j].trim().is_empty()) else {
            break;
        };
        // "Dana Whitfield | Head, Research | 555-201-3950": the name before
        // a contact line's first pipe.
        let name = lines[name_at].split('|').next().unwrap_or("").trim();
        if !NAME_LINE.is_match(name) || name.len() > 30 {
            continue;
        }
        let signature_like = block_within(&lines[name_at + 1..], 10).is_some_and(|mut rest| {
            rest.all(|l| l.len() <= 90 && !l.ends_with('?') && !POSTSCRIPT.is_match(l))
        });
        if signature_like {
            return name_at + 1;
        }
    }
    let end = full_name_signature_start(lines, new_before);
    name_headed_signature_start(&lines[..end], new_before)
}

/// The non-blank lines of `lines`, trimmed, when there are one to `limit`
/// of them: what may be a signature under the line that opens it. Looks no
/// further than one line past the limit, so a message with many lines that
/// may open a signature is read in time linear in its length.
fn block_within<'a>(
    lines: &'a [&'a str],
    limit: usize,
) -> Option<impl Iterator<Item = &'a str> + Clone> {
    let block = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .take(limit + 1);
    let n = block.clone().count();
    (1..=limit).contains(&n).then_some(block)
}

/// A full name alone on its line, maybe with pronouns or a title after it
/// ("Ben Okafor (he/him)", "Priya Raman, she/her", "Sarah Kim | Business").
static FULL_NAME_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?-i:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?:\s+[A-Z]\.)?\s+[A-Z][a-zA-Z'\-]+)\s*(?:\(\s*[a-z]+/[a-z]+(?:/[a-z]+)?\s*\)|,\s*[a-z]+/[a-z]+(?:/[a-z]+)?)?\s*(?:\|.*)?$")
        .expect("valid regex")
});
/// A signature's line of standing hours or a phone number.
static SIGNATURE_DETAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bhours\b|\b\d{3}[-.\s]\d{3}[-.\s]\d{4}\b|^(?:phone|tel|p|ph|office)\s*[:.]")
        .expect("valid regex")
});

/// Drops a signature that opens by a full name, with no sign-off or first
/// name above it ("...(3:30-4:30).\n\nBen Okafor (he/him)\nEngineering
/// Librarian\nOffice hours: Mon 10-11am"): the last block of the message,
/// after a blank line, headed by a full name and holding a line of
/// standing hours or a phone number, is the signature. Kept when it reads
/// like more message (a question, a postscript, long lines).
fn name_headed_signature_start(lines: &[&str], new_before: usize) -> usize {
    let end = lines.len();
    for i in 1..end.saturating_sub(1).min(new_before.saturating_add(1)) {
        let head = lines[i].trim();
        if !lines[i - 1].trim().is_empty() || head.len() > 90 || !FULL_NAME_HEAD.is_match(head) {
            continue;
        }
        let signature_like = block_within(&lines[i + 1..], 6).is_some_and(|mut rest| {
            rest.clone().any(|l| SIGNATURE_DETAIL.is_match(l)) && { rest }
                .all(|l| l.len() <= 90 && !l.ends_with('?') && !POSTSCRIPT.is_match(l))
        });
        if signature_like {
            return i;
        }
    }
    lines.len()
}

/// The sender's lines without contact lines and without the signature.
/// The signature is looked for among the lines left once contact lines are
/// set aside; when none is found there, it is looked for again with them
/// in place, since the line that opens a signature may itself be a contact
/// line ("Mei\n\nMei Chen | Librarian | 555-201-3090\nOffice hours: Thu
/// 1-2pm": the full name that marks where the message ends carries the
/// phone number). The lines after the last contact line are the same end
/// in both, so the second search looks only at what the contact lines
/// change: the work is about one pass over the lines.
fn without_signature_beside_contacts<'a>(own_lines: &[(&'a str, bool)]) -> Vec<&'a str> {
    let mut plain: Vec<&str> = own_lines
        .iter()
        .filter(|(_, c)| !c)
        .map(|(l, _)| *l)
        .collect();
    let end = signature_start(&plain, plain.len());
    let Some(last_contact) = own_lines.iter().rposition(|(_, c)| *c) else {
        plain.truncate(end);
        return plain;
    };
    if end < plain.len() {
        plain.truncate(end);
        return plain;
    }
    let all: Vec<&str> = own_lines.iter().map(|(l, _)| *l).collect();
    own_lines[..signature_start(&all, last_contact + 1)]
        .iter()
        .filter(|(_, c)| !c)
        .map(|(l, _)| *l)
        .collect()
}

/// Drops a signature block that opens by the writer's full name under the
/// first name they signed with ("Rest up.\n\nMei\n\nMei Chen\nCataloguing\n
/// Hours: M-F 9-5"): with no sign-off above it, the name signed alone on
/// its line and the same name again, longer, on the next are where the
/// message ends. Kept when what follows reads like more message.
fn full_name_signature_start(lines: &[&str], new_before: usize) -> usize {
    let end = lines.len();
    for i in 1..end.saturating_sub(1).min(new_before.saturating_add(1)) {
        let name = lines[i].trim();
        if !lines[i - 1].trim().is_empty()
            || name.len() > 20
            || !NAME_LINE.is_match(name)
            || name.split_whitespace().count() != 1
        {
            continue;
        }
        let Some(full_at) = (i + 1..end).find(|&j| !lines[j].trim().is_empty()) else {
            break;
        };
        let full = lines[full_at].trim();
        let first = name.trim_start_matches(['-', '~', '–', '—', ' ']);
        let opens_with_name = full
            .get(..first.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(first))
            && full[first.len()..]
                .strip_prefix(' ')
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_uppercase);
        if !opens_with_name {
            continue;
        }
        // The full name's line is not blank, so the block is never empty.
        let signature_like = block_within(&lines[full_at..], 10).is_some_and(|mut rest| {
            rest.all(|l| l.len() <= 90 && !l.ends_with('?') && !POSTSCRIPT.is_match(l))
        });
        if signature_like {
            return i + 1;
        }
    }
    lines.len()
}

/// An attribution line ("On Mon, Nov 2, 2026 ... wrote:"), trimmed. Every
/// match ends in a colon and white space only, so a line that does not end
/// in a colon is answered without running the pattern.
pub(crate) fn is_attribution(line: &str) -> bool {
    line.trim_end().ends_with(':') && ATTRIBUTION.is_match(line)
}

/// Whether a line may begin a match of a case-insensitive pattern anchored
/// at the line's start whose every alternative begins with one of `firsts`
/// (ASCII lower-case letters or punctuation). Most lines are prose and fail
/// here, before any pattern runs. A line starting with a non-ASCII
/// character is always tried: Unicode case folding makes some of those
/// equal to ASCII letters (the long s to 's', the Kelvin sign to 'k').
fn may_start_with(line: &str, firsts: &[u8]) -> bool {
    match line.as_bytes().first() {
        Some(&b) if b >= 0x80 => true,
        Some(&b) => firsts.contains(&b.to_ascii_lowercase()),
        None => false,
    }
}

fn strip_quote_marks(line: &str) -> &str {
    let mut t = line;
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.trim_start();
    }
    t
}

/// What a line is to a table drawn in plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableLine {
    None,
    /// "Mon 12/28 | 2:00-3:30 | my usual Monday": a row, read as words.
    Row,
    /// "-----+-----+----", "|---|---|": the rule under a table's head.
    Rule,
}

/// Marks the lines of tables drawn with pipes: a run of consecutive lines
/// with pipes and rule lines that holds a rule line and at least two lines
/// with pipes (a head and a row). A contact line of a signature stands
/// alone and has no rule beside it, so it is still set aside.
fn table_lines(lines: &[&str]) -> Vec<TableLine> {
    static RULE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[|+:=\s-]*[-=]{3,}[|+:=\s-]*$").expect("valid regex"));
    let mut marks = vec![TableLine::None; lines.len()];
    let piped = |l: &str| l.contains('|') && !l.trim_start().starts_with('>');
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if !(piped(t) || RULE.is_match(t)) || t.is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() {
            let t = lines[i].trim();
            if t.is_empty() || !(piped(t) || RULE.is_match(t)) {
                break;
            }
            i += 1;
        }
        let run = &lines[start..i];
        let rules = run.iter().filter(|l| RULE.is_match(l.trim())).count();
        let rows = run.len() - rules;
        if rules >= 1 && rows >= 2 {
            for (k, l) in run.iter().enumerate() {
                marks[start + k] = if RULE.is_match(l.trim()) {
                    TableLine::Rule
                } else {
                    TableLine::Row
                };
            }
        }
    }
    marks
}

/// "Mei Chen | Health Sciences Librarian | 555-201-3090": a contact line
/// of a signature, not words about shifts.
fn is_contact_line(line: &str) -> bool {
    line.matches(" | ").count() >= 2 || (line.matches('|').count() >= 2 && line.len() < 160)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_lines_are_set_aside_and_open_a_signature_only_when_none_is_found_without_them() {
        let own = |text: &'static str| -> Vec<(&'static str, bool)> {
            text.lines().map(|l| (l, is_contact_line(l))).collect()
        };
        // A signature under a sign-off among the other lines: the contact
        // line below it goes with it.
        let lines = own(
            "Can anyone take my Monday?\n\nThanks,\nMei\nMei Chen | Librarian | 555-201-3090\nOffice hours: Thu 1-2pm",
        );
        assert_eq!(
            without_signature_beside_contacts(&lines),
            ["Can anyone take my Monday?", "", "Thanks,", "Mei"]
        );
        // None without the contact line; with it in place the full name it
        // carries opens the signature.
        let lines = own(
            "Glad to pitch in Monday.\n\nKofi\n\nKofi Mensah | Maps | 555-201-0101\nConsultations: Wed 9-10am",
        );
        assert!(lines.iter().any(|(_, contact)| *contact));
        assert_eq!(
            without_signature_beside_contacts(&lines),
            ["Glad to pitch in Monday.", "", "Kofi"]
        );
        // The second search, skipping what the first saw after the last
        // contact line, ends where a whole search of the lines would.
        let mut searched_twice = 0;
        for text in [
            "Glad to pitch in Monday.\n\nKofi\n\nKofi Mensah | Maps | 555-201-0101\nConsultations: Wed 9-10am",
            "Swap Fridays?\n\nLena\n\nLena Park | Archives | they/them\n555-201-0199 | Walk-in hours Mon 3-5pm",
            "Can someone take Thursday?\nSmith Hall | Room 110 | 555-201-0123\nI have a class at 2.",
            "Hi all\n\nAna Ruiz | Desk | 555-201-0111\n\nBen Okafor\nhours Mon\n\nThanks,\nBen",
            "Best,\nAna\n555-201-0111 | Desk | Room 2\n\nAna Ruiz\nOffice hours: Mon 1-2\nWhy?",
        ] {
            let lines = own(text);
            let plain: Vec<&str> = lines.iter().filter(|(_, c)| !c).map(|(l, _)| *l).collect();
            let all: Vec<&str> = lines.iter().map(|(l, _)| *l).collect();
            let last_contact = lines.iter().rposition(|(_, c)| *c).expect("a contact line");
            if signature_start(&plain, plain.len()) == plain.len() {
                assert_eq!(
                    signature_start(&all, last_contact + 1),
                    signature_start(&all, all.len()),
                    "{text:?}"
                );
                searched_twice += 1;
            }
        }
        assert!(searched_twice >= 3);
        // No signature either way: every line but the contact line is kept.
        let lines = own(
            "Can someone take Thursday?\nSmith Hall | Room 110 | 555-201-0123\nI have a class at 2.",
        );
        assert_eq!(
            without_signature_beside_contacts(&lines),
            ["Can someone take Thursday?", "I have a class at 2."]
        );
    }

    #[test]
    fn many_lines_like_a_name_heading_a_paragraph_leave_only_the_last_signature() {
        // Paragraphs headed by full names (minutes, a roster) are the
        // message; only the last block, a full name over standing hours,
        // is the signature.
        let mut message = String::from("Notes from the desk meeting:");
        for n in 0..300 {
            message.push_str(&format!(
                "\n\nJorge Alvarez\nWill look at shelf {n} on Monday, once the new arrivals are sorted and the returns cart is empty again."
            ));
        }
        let cut = |body: &str| {
            let lines: Vec<&str> = body.lines().collect();
            lines[..name_headed_signature_start(&lines, lines.len())].join("\n")
        };
        let body = format!(
            "{message}\n\nBen Okafor (he/him)\nEngineering Librarian\nOffice hours: Mon 10-11am"
        );
        assert!(
            cut(&body).trim_end() == message,
            "{} of {} bytes kept",
            cut(&body).len(),
            body.len()
        );
        // Six lines under the name are a signature; seven are more
        // message, however many lines like names come before.
        let six = format!("{message}\n\nBen Okafor\nOffice hours: Mon 10-11am\na\nb\nc\nd\ne");
        assert!(cut(&six).trim_end() == message);
        let seven = format!("{six}\nf");
        assert!(cut(&seven) == seven);
        // A paragraph's line past 90 characters is no signature's.
        assert!(cut(&message) == message);
    }

    #[test]
    fn a_signature_opened_by_a_full_name_with_a_phone_is_still_a_signature() {
        // The full-name line is a contact line (pipes and a phone); the
        // standing hours under it are the signature's, not the message's.
        let body = "Glad to pitch in on Monday if that helps.\n\nKofi\n\nKofi Mensah | Maps Librarian | 555-201-0101\nConsultations: Wed 9-10am";
        let s = split(body);
        assert_eq!(
            s.new_text,
            "Glad to pitch in on Monday if that helps.\n\nKofi"
        );
        // The same with the phone on the line below the full name.
        let body = "Could anyone swap Fridays with me?\n\nLena\n\nLena Park | Archives | they/them\n555-201-0199 | Walk-in hours Mon 3-5pm";
        let s = split(body);
        assert_eq!(s.new_text, "Could anyone swap Fridays with me?\n\nLena");
        // A sign-off over a full name that opens a contact line.
        let body = "Can anyone take my Monday?\n\nKind regards,\nRosa Diaz | Acquisitions | 555-201-0142\nDesk hours: Tue/Fri 9-11am";
        let s = split(body);
        assert_eq!(s.new_text, "Can anyone take my Monday?\n\nKind regards,");
        // A contact line under the writer's words that opens no signature
        // is still set aside, and the words above are all kept.
        let body = "Can someone take Thursday 3/4?\nSmith Hall | Room 110 | 555-201-0123\nI have a class at 2.";
        let s = split(body);
        assert_eq!(
            s.new_text,
            "Can someone take Thursday 3/4?\nI have a class at 2."
        );
    }

    #[test]
    fn a_signature_headed_by_a_full_name_alone_is_a_signature() {
        // No sign-off, no first name: the full name with pronouns heads it.
        let body = "Happy to take 11-12 on the 3rd for you.\n\nNadia Osei (she/her)\nSystems Librarian\nOffice hours: Tue 9-10am & Fri 1-2pm";
        assert_eq!(
            split(body).new_text,
            "Happy to take 11-12 on the 3rd for you."
        );
        let body =
            "Could someone take my Monday?\n\nOmar Haddad, he/him\nCirculation\nDesk: 555-201-0177";
        assert_eq!(split(body).new_text, "Could someone take my Monday?");
        // Pronouns and a piped title on the name's line.
        let body = "Count me in for the Tuesday.\n\nNia Brooks (she/her) | Special Collections\nReading room hours: Thu 1-2pm";
        assert_eq!(split(body).new_text, "Count me in for the Tuesday.");
        // A last block headed by a name that asks something is message.
        let body = "Two things.\n\nLuis Ortega\nasked whether his hours on Friday could move?";
        assert!(split(body).new_text.contains("Friday"));
        // A name with no hours or phone under it cuts nothing.
        let body = "Can anyone cover Thursday 2/4?\n\nGrace Liu\nMaps & GIS";
        assert!(split(body).new_text.contains("Grace Liu"));
    }

    #[test]
    fn a_table_drawn_with_pipes_is_read_and_a_contact_line_is_not() {
        let body = "Could anyone pick these up?\n\n| Day | Hours |\n|-----|-------|\n| Tue 1/5 | 10-12 |\n| Thu 1/7 | 2-3:30 |\n\nSarah";
        let s = split(body);
        assert!(s.new_text.contains("| Tue 1/5 | 10-12 |"), "{}", s.new_text);
        assert!(
            s.new_text.contains("| Thu 1/7 | 2-3:30 |"),
            "{}",
            s.new_text
        );
        assert!(!s.new_text.contains("-----"), "{}", s.new_text);

        let body = "When | Who | Why\n=====+=====+=====\nFri 2/5 1-3 | me | dentist\n";
        assert!(split(body).new_text.contains("Fri 2/5 1-3 | me | dentist"));

        // A signature's contact lines have no rule beside them.
        let body = "Can someone take my Friday?\n\nMei Chen | Librarian | Tue-Thu 9-5\nLibrary | Room 2 | 555-201-3090";
        let s = split(body);
        assert!(!s.new_text.contains("Tue-Thu"), "{}", s.new_text);
        // Nor is a line of dashes under a single piped line a table.
        let body = "Can someone take my Friday?\n-----\nMei Chen | Librarian | Tue-Thu 9-5";
        assert!(!split(body).new_text.contains("Tue-Thu"));
    }

    #[test]
    fn gmail_attribution_cuts_the_quote() {
        let body = "Hi Mei,\n\nI'm free then and happy to do it.\n\nDana\n\n\
On Mon, Nov 2, 2026 at 10:14 AM Chen, Mei <mchen@example.edu> wrote:\n\n\
> Could someone cover my Tuesday 11/10 chat shift?\n";
        let s = split(body);
        assert_eq!(
            s.new_text,
            "Hi Mei,\n\nI'm free then and happy to do it.\n\nDana"
        );
        assert!(s.quoted.contains("Could someone cover"));
    }

    #[test]
    fn wrapped_attribution_is_recognised() {
        let body = "I can take it.\n\nOn Mon, Nov 2, 2026 at 10:14 AM Chen, Mei <mchen@example.edu>\nwrote:\n> cover?";
        assert_eq!(split(body).new_text, "I can take it.");
    }

    #[test]
    fn attribution_lines_in_spanish_and_portuguese_are_recognised() {
        let body = "Lo hago yo.\n\nEl mar, 9 mar 2027 a las 8:15, Tom Becker (<tbecker@example.edu>) escribió:\n> cover 3/12?";
        assert_eq!(split(body).new_text, "Lo hago yo.");
        let body = "Posso fazer.\n\nEm ter., 9 de mar. de 2027 às 08:15, Tom Becker <tbecker@example.edu> escreveu:\n> cover 3/12?";
        assert_eq!(split(body).new_text, "Posso fazer.");
    }

    #[test]
    fn outlook_blocks_are_cut() {
        let body = "All set: Dana's taking it.\n\nMei\n\n________________________________\n\
From: Dana Whitfield <dwhitfield@example.edu>\nSent: Tuesday, November 3, 2026 8:40 AM\n\nI'm free";
        assert_eq!(split(body).new_text, "All set: Dana's taking it.\n\nMei");
        let body = "Thanks!\n\n-----Original Message-----\nFrom: x\nCould someone cover?";
        assert_eq!(split(body).new_text, "Thanks!");
        let body = "Works for me.\n\nFrom: Ben Okafor <bokafor@example.edu>\nDate: Monday\nTo: list\n\nsick";
        assert_eq!(split(body).new_text, "Works for me.");
    }

    #[test]
    fn signatures_and_footers_are_dropped() {
        let body = "Home sick today.\n\nBen\n\nSent from my iPhone";
        assert_eq!(split(body).new_text, "Home sick today.\n\nBen");
        let body = "Can anyone cover?\n\nMei Chen | Librarian | 555-201-3090\n-- \nMei Chen\nCovering all the bases";
        assert_eq!(split(body).new_text, "Can anyone cover?");
    }

    #[test]
    fn inline_quotes_keep_the_answers() {
        let body = "> Can anyone cover Tuesday?\nI can.\n> And Wednesday?\nNot me.";
        assert_eq!(split(body).new_text, "I can.\nNot me.");
    }

    #[test]
    fn answers_between_quoted_lines_under_an_attribution_are_all_new_text() {
        let body = "On 4/2/27 8:00 AM, Angie Lopez wrote:\n> Could someone do my Monday?\n\nNot Monday, sorry.\n\n> Or my Friday 2-3:30?\n[snip]\n> Either helps.\n\nFriday I can do.\n\n-- \nPriya Raman\nOffice hours: Mon 9-11";
        let s = split(body);
        assert_eq!(s.new_text, "Not Monday, sorry.\n\nFriday I can do.");
        assert!(s.quoted.contains("Or my Friday 2-3:30?"));
        assert!(s.quoted.contains("Either helps."));
        assert!(!s.new_text.contains("Office hours"));
    }

    #[test]
    fn bottom_posted_words_are_new_text() {
        let body = "On 3/29/2027 4:12 PM, Crummett, Courtney wrote:\n> The April schedule is posted.\n> Courtney\n\nI need someone to cover my 10-12 on 4/13.\n\nTom\n-- \nTom Becker";
        let s = split(body);
        assert_eq!(
            s.new_text,
            "I need someone to cover my 10-12 on 4/13.\n\nTom"
        );
        assert!(s.quoted.contains("April schedule"));
        assert!(!s.quoted.contains("4/13"));
    }

    #[test]
    fn signatures_under_a_sign_off_are_dropped() {
        let body = "Could someone cover my Tuesday 2/9 shift?\n\nThanks,\nSarah\n\nSarah Kim (she/her)\nOffice hours: Tues & Thurs 1-3pm";
        assert_eq!(
            split(body).new_text,
            "Could someone cover my Tuesday 2/9 shift?\n\nThanks,\nSarah"
        );
        // A postscript is more message, not a signature.
        let body = "Can anyone cover Friday?\n\nThanks,\nDana\n\nPS I could swap for Monday 12-2";
        assert!(split(body).new_text.contains("PS I could swap"));
    }

    #[test]
    fn a_full_name_under_the_signed_first_name_opens_a_signature() {
        // No sign-off: the first name alone, then the full name and the
        // signature's hours.
        let body = "Sure, I'll do it.\n\nTomas\n\nTomas Ruiz | Media Lab\nLab hours: Mon & Wed 9-11\nPhone 555-0190";
        assert_eq!(split(body).new_text, "Sure, I'll do it.\n\nTomas");
        // A first name that goes on with more message is no signature.
        let body = "Ok.\n\nTomas\n\nTomas asked me to add: can someone take Friday too?";
        assert!(split(body).new_text.contains("can someone take Friday"));
        // Another person's name on the next line is more message.
        let body = "Sounds good.\n\nTomas\n\nRita Ford will be on chat Tue 2-4.";
        assert!(split(body).new_text.contains("Rita Ford"));
    }

    #[test]
    fn a_plain_message_is_left_whole() {
        let body =
            "Hi all,\n\nCould someone cover 2-4 on Friday? From: my calendar it looks free.\n";
        assert_eq!(
            split(body).new_text,
            "Hi all,\n\nCould someone cover 2-4 on Friday? From: my calendar it looks free."
        );
    }
}
