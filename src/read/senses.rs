//! "Cover" words that mean no shift: a book's cover, a cover letter, news or
//! insurance coverage, someone covering the cost of lunch, a colleague's
//! class covered for them. The reader's cues and the patterns that find who
//! covers read "cover" as taking a shift; these senses are blanked out of the
//! text (the "cover" word only, the rest kept) before they are read, so
//! "Cover letter questions on chat" asks no one to cover and "a new cover
//! letter tag, thanks to Priya" names no coverer.
//!
//! A class, session or meeting covered counts only when nothing between the
//! verb and the noun names a shift, a day or a time, or starts a clause of
//! its own ("cover Tuesday while I teach the session" still asks for
//! Tuesday). A writer's own bare "session" ("cover my session") is their
//! chat session: on the staff list nothing else names it.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::pattern::Regex;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("valid regex")
}

/// A thing's cover, cover letters and the like, coverage that is news,
/// insurance or a signal's, and covering a cost.
static OTHER_SENSE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:book|book's|books'|album|record|magazine|journal|dust|front|back|hard|soft|paper|its|laptop|phone|ipad|tablet|seat|pool|cloud|ground)[ -]",
        r"(?P<a>covers?)\b",
        r"|\b(?P<b>covers?)[ -](?:letters?|art|artwork|image|images|photo|photos|page|pages|design|designs|story|stories|charge|band|version|sheet|songs?)\b",
        r"|\b(?:news|press|media|insurance|health|healthcare|dental|vision|medical|benefits?|drug|prescription|dependent|life|disability|cell|cellular|mobile|wi-?fi|wireless|network|signal|test|code|camera|sports|tv|television|election|campus-wide)[ -](?P<c>coverage)\b",
        r"|\b(?P<d>cover(?:s|ed|ing)?)\s+(?:the\s+|all\s+|part\s+of\s+the\s+|half\s+(?:of\s+)?the\s+|your\s+|our\s+)?(?:cost|costs|bill|bills|tab|expenses?|fees?|tuition|price|lunch|dinner|breakfast|coffee|drinks|food|catering|registration|travel|postage|shipping|parking)\b",
    ))
});

/// A duty that is not a chat shift, covered for a colleague ("I'm covering
/// Dr. Patel's ENGL 101 library session").
static OTHER_DUTY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?P<v>cover(?:s|ed|ing)?)\s+(?P<between>(?:[\w.'/-]+\s+){0,5}?)(?:class|classes|session|sessions|section|sections|lecture|lectures|lab|labs|seminar|seminars|workshop|workshops|course|courses|instruction|liaison\s+(?:areas?|duties|work|subjects)|duties|meeting|meetings|committee|office\s+hours|orientation|tour|tours|table|booth|tabling|open\s+house|fair)\b",
    )
});

/// Words between "cover" and a duty noun that show the noun is not what is
/// covered: a shift, a day or time, or the start of another clause.
static NOT_THE_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        concat!(
            r"(?i)\b(?:shifts?|chat|slots?|hours?|desk|time|while|during|because|since|so|when|if|and|but|or|i|i'm|we|you|he|she|they|teach|teaching|have|has|at|on|from|until|till|after|before|for|",
            weekday_abbrevs_without_weds!(),
            r"|"
        ),
        weekday_names!(),
        r"|saturday|sunday|today|tomorrow|tonight|morning|afternoon|noon|\d{1,2}:\d\d|\d{1,2}\s*(?:am|pm)|\d{1,2}/\d{1,2})\b"
    ))
});

/// The text with every "cover" word of another sense replaced by spaces of
/// the same length (offsets are kept).
pub fn without_other_covers(text: &str) -> Cow<'_, str> {
    if !text
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"cover"))
    {
        return Cow::Borrowed(text);
    }
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    for caps in OTHER_SENSE.captures_iter(text) {
        for name in ["a", "b", "c", "d"] {
            if let Some(m) = caps.name(name) {
                blanks.push((m.start(), m.end()));
            }
        }
    }
    for caps in OTHER_DUTY.captures_iter(text) {
        let between = caps.name("between").map(|m| m.as_str()).unwrap_or("");
        // "cover my session" with nothing naming what session: on the
        // staff list a writer's own bare session is their chat session.
        let own_bare_session = between.trim().eq_ignore_ascii_case("my")
            && caps
                .get(0)
                .is_some_and(|m| m.as_str().to_ascii_lowercase().ends_with("session"));
        if !NOT_THE_OBJECT.is_match(between)
            && !own_bare_session
            && let Some(v) = caps.name("v")
        {
            blanks.push((v.start(), v.end()));
        }
    }
    blanked_at(text, &blanks)
}

/// A sentence quoted as an example of what to write ("post the day and
/// time, for example "Can someone cover my Tue 1/12 10-12?"", "(e.g.
/// 'Mei is covering my Thursday')", "rather than "can someone take my
/// shift next week""): the quoted words, right after the words that
/// introduce an example.
static QUOTED_EXAMPLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)\b(?:for example|for instance|e\.\s?g\.?|eg\.|such as|something like|rather than|instead of|as in)\s*[,:]?\s*\(?\s*(?P<q>"[^"\n]{2,200}"|'[^'\n]{2,200}'|\x{201C}[^\x{201D}\n]{2,200}\x{201D})"#,
    )
});

/// The text with every sentence quoted as an example of what to write
/// replaced by spaces of the same length (offsets are kept): a process
/// reminder's sample request asks no one, and its sample confirmation
/// names no coverer.
pub fn without_quoted_examples(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\'', '\u{201C}']) {
        return Cow::Borrowed(text);
    }
    let blanks: Vec<(usize, usize)> = QUOTED_EXAMPLE
        .captures_iter(text)
        .filter_map(|c| c.name("q").map(|m| (m.start(), m.end())))
        .collect();
    blanked_at(text, &blanks)
}

/// `text` with each of the byte ranges `blanks` replaced by as many spaces
/// (offsets are kept), or `text` itself when there are none.
fn blanked_at<'t>(text: &'t str, blanks: &[(usize, usize)]) -> Cow<'t, str> {
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = text.to_string();
    for &(s, e) in blanks {
        out.replace_range(s..e, &" ".repeat(e - s));
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::without_other_covers as w;

    fn blanked(s: &str) -> bool {
        !w(s).to_ascii_lowercase().contains("cover")
    }

    #[test]
    fn other_senses_of_cover_are_blanked() {
        for s in [
            "Does anyone recognise this paperback from its cover?",
            "Please proofread my cover letter before Friday.",
            "Cover art questions for the zine display",
            "The student paper gave the library great news coverage on Monday.",
            "Your dental coverage ends on Friday at 5.",
            "The department is covering the cost of pizza on Wednesday at noon.",
            "The grant covers travel to the conference.",
            "Could you cover Ben's BIO 110 orientation session? I'm away.",
            "I'm covering Professor Lee's statistics class next week.",
            "Ana is covering my liaison duties while I'm on leave.",
            "Can someone cover the welcome table at the open house?",
            "Could someone cover my instruction session Thursday?",
        ] {
            assert!(blanked(s), "not blanked: {s:?} -> {:?}", w(s));
        }
    }

    #[test]
    fn shift_cover_is_kept() {
        for s in [
            "Could someone cover my Tuesday 2-3:30?",
            "Can you cover Tuesday while I teach the session?",
            "I'm covering Ben's chat shift during the staff meeting.",
            "Need a cover for my Friday slot.",
            "Jorge is covering the 3:30 on Thursday.",
            "Any coverage for Monday morning?",
            "Who can cover the desk hour before the workshop?",
            "Could someone cover my session Thursday?",
        ] {
            assert!(!blanked(s), "blanked: {s:?} -> {:?}", w(s));
        }
    }

    #[test]
    fn sentences_quoted_as_examples_are_blanked_and_others_kept() {
        use super::without_quoted_examples as x;
        for s in [
            "Post with the date, for example \"Could someone take my Fri 2/5 12-2?\" so it is clear.",
            "Reply on the thread with who is covering (e.g. 'Dana is taking my Monday 3/1') please.",
            "Say which shift, rather than \"anyone free next week?\"",
        ] {
            let out = x(s);
            assert!(
                !out.contains("take my")
                    && !out.contains("taking my")
                    && !out.contains("anyone free"),
                "not blanked: {s:?} -> {out:?}"
            );
        }
        for s in [
            "My subject said \"Cover my Tue 2/2\" but I meant Thursday.",
            "Could someone cover my Friday? I'd owe you one, e.g. a coffee.",
        ] {
            assert_eq!(x(s), s, "blanked: {s:?}");
        }
    }

    #[test]
    fn blanking_keeps_offsets() {
        let s = "A new cover letter tag, thanks to Priya.";
        assert_eq!(w(s).len(), s.len());
        assert!(w(s).contains("letter tag, thanks to Priya"));
    }
}
