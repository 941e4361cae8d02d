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

use regex::Regex;

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
        r"(?i)^(?:on\b.{0,200}\bwrote\s*:|.{0,120}\b(?:wrote|writes|a écrit|schrieb)\s*:)\s*$",
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

    let mut new_lines: Vec<&str> = Vec::new();
    let mut quoted_lines: Vec<String> = Vec::new();
    for raw in &lines[..cut_at] {
        let t = raw.trim_start();
        if t.starts_with('>') {
            quoted_lines.push(strip_quote_marks(t).to_string());
        } else if !is_contact_line(t) {
            new_lines.push(raw.trim_end());
        }
    }
    for raw in &lines[cut_at..] {
        quoted_lines.push(strip_quote_marks(raw.trim_start()).to_string());
    }
    // A quoted block in the middle with no attribution left an
    // attribution-like last line ("Mei wrote:"); drop trailing blanks too.
    while new_lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || ATTRIBUTION.is_match(l.trim()))
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
    if ATTRIBUTION.is_match(line) {
        return Some(format!("attribution {line:?}"));
    }
    // "On Mon, Nov 2, 2026 at 10:14 AM Chen, Mei <mchen@example.edu>\nwrote:"
    if ATTRIBUTION_START.is_match(line) && line.len() < 200 {
        if let Some(next) = lines.get(i + 1).map(|l| l.trim()) {
            if next.len() < 120 && next.to_ascii_lowercase().ends_with("wrote:") {
                return Some(format!("attribution {line:?}"));
            }
        }
    }
    if SEPARATOR.is_match(line) {
        return Some(format!("separator {line:?}"));
    }
    if HEADER_FROM.is_match(line) {
        let next_is_header = lines
            .iter()
            .skip(i + 1)
            .take(4)
            .any(|l| HEADER_NEXT.is_match(l.trim()));
        if next_is_header {
            return Some(format!("quoted header block at {line:?}"));
        }
    }
    if line == "--" || lines[i] == "-- " || line == "—" {
        return Some("signature delimiter".into());
    }
    if MOBILE_FOOTER.is_match(line) {
        return Some(format!("footer {line:?}"));
    }
    if LIST_FOOTER.is_match(line) {
        return Some(format!("list footer {line:?}"));
    }
    None
}

fn strip_quote_marks(line: &str) -> &str {
    let mut t = line;
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.trim_start();
    }
    t
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
    fn a_plain_message_is_left_whole() {
        let body =
            "Hi all,\n\nCould someone cover 2-4 on Friday? From: my calendar it looks free.\n";
        assert_eq!(
            split(body).new_text,
            "Hi all,\n\nCould someone cover 2-4 on Friday? From: my calendar it looks free."
        );
    }
}
