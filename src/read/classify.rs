//! What a person's message is: the contract's kinds from free English, and,
//! for coverage, who takes the shift and whose shift it is.
//!
//! The cues of every kind (asks, cannot-work, sick, take-backs, offers,
//! confirmations, the writer covering, second calls, schedule changes,
//! acceptance, thanks for past cover, and the subject's cues) are rows of
//! the table in [`super::cues`], each with an id, guards and examples. What
//! stays here are the patterns that find people (who covers, whose shift,
//! who is sick), the clauses set aside before reading (conditions,
//! fallbacks, policy cases, asides), the subject's ask and sick words
//! (read with the text, in `subject_may_ask`) and a reply's bare bump
//! ("Anyone?").
//! Several can fire on one message (a confirmation thanks the volunteer, a
//! withdrawal thanks the offerer, a sick notice asks for cover), so the
//! kind is decided by the decision rules of [`RULES`], in their order.
//! Every cue that fired and the rule that decided are kept as reasons, for
//! `parse --explain`.
//!
//! OWNER: reading helper.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::pattern::Regex;
use super::senses;

use super::cues::{self, CONCRETE_CHANGE, DAYISH, Scan, Signal, TRADE_VERB};
use crate::config::{Roster, StaffMember};
use crate::model::Kind;

/// What the classifier reads.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The decoded subject, prefixes and all.
    pub subject: &'a str,
    /// The sender's new words (quotes and signature set aside).
    pub text: &'a str,
    /// The sender's roster email, when the sender is on the roster.
    pub sender: Option<&'a str>,
    pub roster: &'a Roster,
}

/// The classifier's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub kind: Kind,
    /// For `covered`: the roster email of the person taking the shift.
    pub coverer: Option<String>,
    /// Whose shift it is, when that is someone other than the sender
    /// (a coordinator's confirmation, a relayed sick notice).
    pub on_behalf_of: Option<String>,
    /// True when the text itself asks someone to cover or says the writer
    /// is sick (not only the subject): an out-of-office text never does.
    pub asks_in_text: bool,
    /// True for a sick reading whose only illness is a family member's
    /// ("kiddo has a fever"), whose text asks someone to cover, and whose
    /// writer says nothing of being out, home or sick themselves: when the
    /// days it asks about all lie after the message's own day, it is a
    /// request (decided where the message's date is known, in
    /// `read::analyse`).
    pub family_illness_ask: bool,
    /// The id of the decision rule that decided (see [`RULES`]).
    pub rule: &'static str,
    /// Cues that disagree with the decision, or a coverer only guessed.
    pub doubts: Vec<crate::model::Doubt>,
    pub reasons: Vec<String>,
}

fn re(s: &str) -> Regex {
    Regex::new(s).expect("valid regex")
}

// ---------------------------------------------------------------------------
// Subjects.

static SUBJECT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:re|fw|fwd|aw|sv|wg|antw|tr|r)\s*(?:\[\d+\])?\s*:\s*|\[[^\]]{1,40}\]\s*|\((?:fwd|ext|external)\)\s*)+",
    )
});
static SUBJECT_CALL_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:second|2nd|third|3rd|final|last|another)\s+(?:call|request|reminder|try|ask)|still\s+(?:need(?:ed|ing)?|looking)(?:\s+(?:coverage|cover|someone|help))?|bump(?:ing)?|reminder|urgent|automatic reply|auto(?:matic)?[- ]?reply)\s*[:\-–—!]+\s*",
    )
});
static REPLY_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:\[[^\]]{1,40}\]\s*)?(?:re|aw|sv|antw|r)\s*(?:\[\d+\])?\s*:"));
static FORWARD_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:\[[^\]]{1,40}\]\s*)?(?:(?:reminder|fyi|psa|heads[ -]?up|update|note)\s*[:!-]\s*)?(?:fw|fwd|wg|tr)\s*:",
    )
});

/// The subject without reply/forward/list-tag and call prefixes: what the
/// thread is about ("Second call: 2:30-3:30 on Tues 11/17" → "2:30-3:30 on
/// Tues 11/17").
pub fn subject_topic(subject: &str) -> String {
    let mut s = subject.trim().to_string();
    loop {
        let before = s.len();
        s = SUBJECT_PREFIX.replace(&s, "").into_owned();
        s = SUBJECT_CALL_PREFIX.replace(&s, "").into_owned();
        if s.len() == before {
            break;
        }
    }
    s.trim().to_string()
}

/// True for "Re: ..." subjects: the subject then repeats its thread.
pub fn is_reply(subject: &str) -> bool {
    REPLY_PREFIX.is_match(subject)
}

pub fn is_forward(subject: &str) -> bool {
    FORWARD_PREFIX.is_match(subject)
}

// ---------------------------------------------------------------------------
// Text normalisation.

/// A hard-wrapped paragraph read as one line: plain-text mail is often cut
/// at 72-78 columns, and a clause whose words straddle a line end ("reply
/// to the list, so that everyone can / see it is covered") would otherwise
/// be read as two sentences (a line end stops a sentence for the cues).
/// Conservative: a line is joined to the next only when it is long enough
/// to have been cut by a wrapping client, does not end a sentence, and the
/// next line continues it (starts in lower case), is no list item, quote,
/// signature or table row, and neither line is a quote or a table row.
///
/// One scan: the text is borrowed as it is until a line is found to join
/// (most mail has none), and only then copied and built.
pub fn unwrapped(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut lines = text.split('\n');
    let mut prev = lines.next().unwrap_or("");
    // Where `prev` ends in `text`.
    let mut end = prev.len();
    for line in lines {
        let joins = wrapped_at_end(prev, line);
        if joins && out.is_none() {
            let mut built = String::with_capacity(text.len());
            built.push_str(&text[..end]);
            out = Some(built);
        }
        if let Some(built) = out.as_mut() {
            if joins {
                built.push(' ');
                built.push_str(line.trim_start());
            } else {
                built.push('\n');
                built.push_str(line);
            }
        }
        end += 1 + line.len();
        prev = line;
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The shortest line (in characters, as written) taken to have been cut by
/// a wrapping client rather than ended by its writer.
const WRAPPED_LINE_MIN: usize = 55;

/// Whether `line` was cut by a wrapping client and `next` carries on its
/// clause (see [`unwrapped`]).
fn wrapped_at_end(line: &str, next: &str) -> bool {
    let line = line.trim_end_matches('\r');
    let body = line.trim();
    let next_body = next.trim();
    if line.chars().count() < WRAPPED_LINE_MIN || next_body.is_empty() {
        return false;
    }
    // Neither a quote, a table row, nor a signature's separator.
    let tabular = |l: &str| l.contains('|') || l.contains('\t') || l.trim().contains("   ");
    if body.starts_with('>') || next_body.starts_with('>') || tabular(line) || tabular(next) {
        return false;
    }
    if next_body.starts_with("--") || body == "--" {
        return false;
    }
    // The line ends a sentence, or introduces what follows.
    if body.ends_with(['.', '!', '?', ':', ';']) {
        return false;
    }
    // The next line goes on in lower case and is no list item ("- ask",
    // "a) call", "ii. write").
    static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^(?:[-*+\u{2022}\u{2023}\u{25e6}]\s|(?:[a-z]|[ivx]{1,4})[.)]\s|\d{1,3}[.)]\s|\(\w{1,3}\)\s)",
        )
    });
    next_body.starts_with(|c: char| c.is_lowercase()) && !LIST_ITEM.is_match(next_body)
}

/// Straight quotes and dashes, one space between words, lines kept.
pub fn plain(text: &str) -> String {
    if text.is_ascii() {
        return plain_ascii(text);
    }
    plain_chars(text)
}

/// [`plain`] of any text, a character at a time.
fn plain_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{00b4}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{a0}' | '\u{202f}' | '\t' => ' ',
            c => c,
        };
        if c == '\n' {
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
            last_space = true;
        } else if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim().to_string()
}

/// [`plain`] of an ASCII text, a byte at a time (most mail is ASCII, and
/// every reading makes the text plain several times): the same output.
fn plain_ascii(text: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut last_space = true;
    for &b in text.as_bytes() {
        let b = match b {
            b'`' => b'\'',
            b'\t' => b' ',
            b => b,
        };
        if b == b'\n' {
            while out.last() == Some(&b' ') {
                out.pop();
            }
            out.push(b'\n');
            last_space = true;
        } else if matches!(b, b' ' | b'\x0b' | b'\x0c' | b'\r') {
            // The ASCII characters `char::is_whitespace` holds, less the
            // tab and the newline seen to above.
            if !last_space {
                out.push(b' ');
                last_space = true;
            }
        } else {
            out.push(b);
            last_space = false;
        }
    }
    // Trimmed as `str::trim` trims an ASCII text.
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
    let end = out.len() - out.iter().rev().take_while(|b| is_space(b)).count();
    out.truncate(end);
    let start = out.iter().take_while(|b| is_space(b)).count();
    out.drain(..start);
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

// ---------------------------------------------------------------------------
// Cues. All matched case-insensitively against plain text.

/// Clauses that talk about the reader's need, not the writer's ("if you
/// still need someone", "do you still need coverage?"): removed before
/// looking for requests and second calls, so an offer that echoes the
/// request is not read as one. A promise of what happens after a wait
/// ("if nobody takes it within two days, I'll step in") is removed whole,
/// its main clause too: a rule of the process, not an offer.
static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:if|in case|whenever|when|should)\s+(?:you|u|y'all|you all)\s+(?:still\s+|haven't\s+|have not\s+|are still\s+|'re still\s+)?(?:need|want|are looking|'re looking|looking|have not found|haven't found|haven't gotten|don't find|can't find|find yourself)\b(?:\s+(?:for|anyone|anybody|someone|somebody|coverage|cover|a sub|a hand|help|one|yet|still|it|this|that|the|shift|my|me|else|anymore|to|find|get|swap|trade|covered|a|taker|takers))*|\b(?:if|in case)\s+(?:it's|it is|this is|that's|that is|the shift is|your shift is|you're|you are)\s+still\b(?:\s+(?:open|available|needed|uncovered|looking|up|for grabs|free|unclaimed))*|\bif\s+(?:no one|nobody|noone|no-one|none of)\b[^.!?;\n]*?\b(?:within|after|in|by|for)\s+(?:\w+\s+)?(?:hours?|days?|a day|a week|weeks?|the deadline|the end of)\b[^.!?;\n]*|\bif\s+(?:no one|nobody|noone|no-one|none of)\b[^.!?;,\n]*|\b(?:do|are|did|were|have|is)\s+(?:you|u|y'all|this|it|that|the shift)\s+still\b[^.!?;\n]*|\b(?:do|are|did)\s+you\s+(?:need|want)\b[^.!?;\n]*|\bif\s+(?:someone|somebody|anyone|anybody|one of you)\s+else\b[^.!?;\n]*|\bif\s+\w+\s+(?:still\s+)?(?:needs|wants|is still looking|'s still looking|hasn't found|has not found)\b[^.!?;,\n]*|\b(?:did|have|has)\s+(?:you|he|she|they|\w+)\s+(?:ever\s+|already\s+|yet\s+)?(?:find|found|get|got|gotten)\s+(?:someone|somebody|anyone|anybody|coverage|a sub|cover)\b[^.!?\n]*|\b(?:if|when|whenever|in case)\s+(?:i|we|people|staff|someone|anyone|one)\s+(?:ever\s+|still\s+)?(?:need|needs|have to|has to|must)\b[^.!?;,\n]*|\b(?:does|do|did)\s+(?:anyone|anybody|any of you|you|y'all)\s+(?:else\s+)?(?:know|remember|recall|think|happen to know|notice|see)\b[^.!?\n]*|\b(?:has|have)\s+(?:anyone|anybody|any of you)\s+(?:else\s+)?(?:noticed|seen|heard|had|tried|found)\b[^.!?\n]*|\b(?:do|does|did|will|would|should|must)\s+(?:we|i|you|u|those of us|the rest of us|people|staff|everyone|everybody|they|folks|[a-z]+\s+of\s+us)\b[^.!?\n]{0,60}?\b(?:need|have|want)\s+to\s+(?:find|get|arrange|line up|look for|post|ask for)\b[^.!?\n]*|\b(?:anyone|anybody)\s+(?:else\s+)?(?:know|knows|remember|noticed|notice|noticing|seeing|see|seen|experiencing|having (?:trouble|issues|problems|an? issue|a problem)|run into|running into|ran into|hear|heard|getting (?:an? )?(?:error|errors|logged out|kicked))\b[^.!?\n]*|\bis it just me\b[^.!?\n]*|\b(?:if|in case|whenever)\s+(?:you|u|anyone|anybody|someone|somebody|people|staff|folks|any of you)\s+(?:ever\s+|also\s+|still\s+)?(?:have|has|work|works|are on|is on)\s+(?:a|any|an|the)\s+(?:\w+\s+)?shifts?\b[^.!?;,\n]*|\b(?:if|in case)\s+(?:people|anyone|anybody|folks|someone|somebody|everyone|everybody|others|staff)\s+(?:are|is|'re|were|was)\s+still\s+(?:looking|searching|wondering|trying)\b[^.!?;,:\n]*",
    )
});

static SUBJECT_ASK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:coverage|cover|covering|sub|substitute|swap|trade|switch|need|needed|needs|anyone|someone|request|help|available|open shift|giveaway|give away)\b",
    )
});

/// The first second-call cue of a sentence read on its own (the table's
/// `second_call.*` rows, guards met).
fn second_call_body(text: &str) -> Option<String> {
    cues::earliest(Signal::SecondCall, &Scan::single(text)).map(|f| f.said)
}

static BUMP_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\W*(?:anyone|anybody|any takers|bump|bumping|still need(?:ing)? (?:someone|help|coverage))\W*$",
    )
});

/// A reply that opens by asking again ("Anyone? This is next Wednesday.").
static BUMP_START: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\W*(?:anyone|anybody|any takers|bump|bumping|still nothing)\s*[?!.]")
});

static SUBJECT_SICK: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:sick|ill|unwell|not feeling well|under the weather|fever|flu|covid)\b")
});

/// The writer speaking of themselves.
/// "no need to pay me", "no need for the gift card": a price or thanks
/// declined (a volunteer answering a priced swap), not a request taken back.
/// A "no need" that takes nothing back: a price, a favour or thanks
/// declined ("no need to pay me", "no need, but I'd never say no to a
/// coffee"), or others told not to step in once someone has ("so no need
/// for anyone else to volunteer").
static NO_NEED_OF_A_PRICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bno need(?:\s*[,;:–—-])?\s+(?:to\s+(?:pay|repay|thank|tip|buy|treat|owe|return\s+the\s+favou?r)\b|for\s+(?:the\s+|a\s+|any\s+|your\s+)?(?:gift\s*cards?|money|cash|payment|\$|coffee|cookies|donuts|lunch|thanks|favou?rs?)\b|but\s+i(?:'d|\s+would)?\s+(?:won't|wouldn't|will not|would not|never|can't)\s+(?:say\s+no|turn\s+down|refuse)\b|for\s+(?:anyone|anybody|someone|somebody|others|other people)\s+else\b|for\s+any(?:one|body)\s+else\s+to\b)",
    )
});
static NO_NEED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bno need\b"));

static WRITER_SELF: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:i|i'm|i'll|i've|i'd|im|my|me|mine|myself)\b"));

/// A sentence that offers a fallback ("I'll cover it myself if no one
/// can"): it neither takes a request back nor offers in earnest.
static FALLBACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bif\s+(?:no one|nobody|noone|no-one|none of you|no one else|nobody else|needed|necessary|need be|i have to|i must|all else fails|we can't find|i can't find|there's no one|there is no one)\b|\botherwise\b|\bas a last resort\b",
    )
});

// ---------------------------------------------------------------------------
// People in the text.

/// The words a text names people with, in order, as byte spans: a mail
/// address, or a run of letters and hyphens with a possessive "'s". The
/// same spans as the pattern
/// `[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|[A-Za-z][A-Za-z\-]*(?:'s\b|s'(?:\s|$))?`
/// finds (its `s'` branch never wins: the letters before it always match
/// alone first), found by a plain scan (tested against the pattern).
fn name_words(text: &str) -> Vec<(usize, usize, &str)> {
    fn local(b: u8) -> bool {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
    }
    fn domain(b: u8) -> bool {
        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
    }
    let bytes = text.as_bytes();
    let run_end = |from: usize, class: fn(u8) -> bool| {
        bytes[from..]
            .iter()
            .position(|&b| !class(b))
            .map_or(bytes.len(), |n| from + n)
    };
    // Where an address whose local part ends at `at` (an '@') ends: the
    // longest domain then a point and two or more letters.
    let address_end = |at: usize| {
        let start = at + 1;
        let end = run_end(start, domain);
        let point = (start + 1..end).rev().find(|&k| {
            bytes[k] == b'.'
                && bytes.get(k + 1).is_some_and(u8::is_ascii_alphabetic)
                && bytes.get(k + 2).is_some_and(u8::is_ascii_alphabetic)
        })?;
        Some(
            bytes[point + 1..]
                .iter()
                .position(|b| !b.is_ascii_alphabetic())
                .map_or(bytes.len(), |n| point + 1 + n),
        )
    };
    let mut out = Vec::new();
    let mut p = 0;
    // The local part's run holding `p`, and where its address ends (None:
    // no address), kept while `p` is inside it.
    let mut run: Option<(usize, Option<usize>)> = None;
    while p < bytes.len() {
        let b = bytes[p];
        if local(b) {
            let address = match run {
                Some((end, address)) if p < end => address,
                _ => {
                    let end = run_end(p, local);
                    let address = if bytes.get(end) == Some(&b'@') {
                        address_end(end)
                    } else {
                        None
                    };
                    run = Some((end, address));
                    address
                }
            };
            if let Some(e) = address {
                out.push((p, e, &text[p..e]));
                p = e;
                run = None;
                continue;
            }
        }
        if b.is_ascii_alphabetic() {
            let mut e = run_end(p, |b| b.is_ascii_alphabetic() || b == b'-');
            if bytes.get(e) == Some(&b'\'')
                && bytes.get(e + 1) == Some(&b's')
                && text[e + 2..]
                    .chars()
                    .next()
                    .is_none_or(|c| !regex_syntax::is_word_character(c))
            {
                e += 2;
            }
            out.push((p, e, &text[p..e]));
            p = e;
            continue;
        }
        p += 1;
    }
    out
}

/// Verbs (after optional helpers) that make the named person the one who
/// takes the shift: "Dana's taking", "Priya will cover", "Tom has it",
/// "Ben says he can do Thursday", "Jorge told me he will do Mei's Thursday
/// shift" (a colleague's word relayed), "Jorge, not Tom, is covering",
/// "Dana and I swapped", "Priya has agreed to staff Ben's Monday shift",
/// "Tommy's got my MLK Monday" (a name or two, or
/// "usual", "regular", may stand between "my" and the day; "has her
/// dentist appointment Monday" takes nothing).
static COVER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^(?:\s*\([^)\n]{0,60}\)|\)|\s*,\s*not\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s*,)?(?:\s*,)?(?:'s|\s+(?:is|will|has|had|have|'ll|would|can|did|just|already|kindly|graciously|generously|very|also|now|gladly|happily|then|be|going to|gonna|ended up|wound up|eventually|ultimately|finally|in the end|agreed to|offered to|volunteered to|stepped up to|stepped in to|jumped in to|said (?:she|he|they)(?:'ll|'d| will| would| can| could| is| was)?|(?:told|tells) (?:me|us|you)(?: that)? (?:she|he|they)(?:'ll|'d| will| would| can| could| is| was)?|(?:mentioned|let (?:me|us) know)(?: that)? (?:she|he|they)(?:'ll|'d| will| would| can| could| is| was)?|says (?:she|he|they)(?:'ll| will| can| is)?|and i(?:'ve|'re| have| are| will| just)?|and i have))*\s+(?:covering|cover|covers|covered|taking|take|takes|took|taken|picking up|pick up|picks up|picked up|grabbing|grab|grabs|grabbed|filling in|fill in|fills in|filled in|subbing|sub|subs|subbed|stepping in|step in|stepped in|jumping in|jump in|jumps in|jumped in|swapping|swap|swapped|trading|trade|traded|switching|switch|switched|handling|handle|handled|working|worked|will work|doing|work|do (?:your|his|her|their|it|that|this|the (?:shift|slot))|do\s+(?-i:[A-Z])[\w-]*'s\b|do\s+(?:\d{1,2}/\d{1,2}\b|(?:",
        weekday_abbrevs!(),
        r"|",
        weekday_names!(),
        r")\b)|got it|has it|has this|got this|got you|is on it|on it|scheduled for|down for|on for|taking over|take over|took over|staff(?:s|ed|ing)?\s+(?:(?-i:[A-Z])[\w-]*'s|your|his|her|their|my)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|chat|hours)|(?:on|sitting on|staffing|minding|watching) (?:chat|the chat|the desk|desk|the queue)(?:\s+(?:today|tomorrow|tonight|this\s+\w+|next\s+\w+|on\s+\w+))?\s+(?:for|in place of|instead of)\s+(?:(?-i:[A-Z][a-z]*)|me)|do\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|–|to|until|till)\s*\d{1,2}(?::\d\d)?|stay(?:ing|s)? (?:on|late|through|for)|stayed (?:on|late|through|for)|(?:has|had|got|have)\s+(?:(?:the|that|your|my|his|her|their)\s+(?:(?-i:[A-Z][\w'-]*)\s+|(?:usual|regular|normal|holiday|first|last|next)\s+){0,2}?)?(?:\d{1,2}/\d{1,2}\b|(?:",
        weekday_abbrevs!(),
        r"|",
        weekday_names!(),
        r")\b)|(?:got|has)\s+[a-z]+'s\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|chat|hours|\d+|morning|afternoon|today|tomorrow|",
        weekday_names!(),
        r")|(?:has|had|got|have)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)?\s*(?:-|–|to|until|till)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)?\s+(?:on|this|next|tomorrow|today)|mak(?:es|e|ing)\s+(?:my|your|his|her|their)\s+(?:chat\s+|desk\s+)?(?:service|shift|slot|duty|hours)|help(?:s|ing)?\s+me\s+(?:with\s+|on\s+|for\s+)?(?:the\s+|my\s+)?(?:(?:",
        weekday_abbrevs!(),
        r"|",
        weekday_names!(),
        r")\s+(?:\d+|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{1,2}/\d{1,2}|(?:shift|slot)\b))\b"
    ))
});

/// A named person's clause that goes on to say they take the shift ("Tom
/// ended up being free and is covering them").
static COVER_LATER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s+[^.!?;,\n]{0,60}?\band\s+(?:is|will|'s|has)\s+(?:also\s+|now\s+|kindly\s+)?(?:covering|taking|cover|take|picking up|grabbing|subbing|filling in)\b",
    )
});

/// What follows a promise relayed and undone in the same sentence ("Dana
/// said she'd take it but then she got sick", "Tom told me he would cover,
/// but now he can't"): nobody takes the shift.
static UNDONE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[^.!?\n]*?\bbut\b[^.!?\n]*?(?:\bcan't\b|\bcannot\b|\bcouldn't\b|\bwon't\b|\bno longer\b|\bgot sick\b|\bis sick\b|\bfell through\b|\bbacked out\b|\bchanged (?:her|his|their) mind\b|\bnot able\b|\bunable\b)",
    )
});

/// What follows "has Friday" when the day is time off, not a shift taken.
static DAY_OFF_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:off|free|open|clear|to (?:herself|himself|themselves))\b"));

/// What follows "is doing", "is taking" when it is an errand, not a shift
/// ("Dana is doing a site visit", "Tom is taking a class"): "a" or "an"
/// and a word that is no part of a shift.
static ERRAND_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s+(?:a|an)\s+([a-z]+)"));

fn is_errand_after(after: &str) -> bool {
    ERRAND_AFTER.captures(after).is_some_and(|c| {
        !matches!(
            c[1].to_ascii_lowercase().as_str(),
            "shift"
                | "slot"
                | "chat"
                | "turn"
                | "half"
                | "couple"
                | "few"
                | "bit"
                | "second"
                | "double"
                | "part"
                | "portion"
                | "piece"
                | "hour"
                | "quick"
                | "short"
                | "morning"
                | "afternoon"
                | "extra"
        )
    })
}

/// Words before a name that make it the coverer: "covered by Dana",
/// "covered - Dana" or "Covered: Dana" opening a line, "thanks to Tom for", "I swapped with Priya", "I'm assigning it to Mei",
/// "I've assigned his Thursday shift to Ben".
static COVER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:(?:^|[\n.!?])\s*(?:(?:it's|its|it is|all|now|that's|shift|slot)\s+)?covered\s*(?:-+|–|—|:)|\b(?:covered by|taken by|picked up by|handled by|filled by|covering is|coverage from|thanks to|thank you to|thanks go to|thanks goes to|shout ?out to|kudos to|grateful to|swapped with|traded with|switched with|swapping with|trading with|switching with|swap with|trade with|goes to|going to|went to|handed (?:it|the shift|this) (?:off )?to|assigned to|assign(?:ed|ing)\s+(?:it|this|that|this one|that one|the (?:shift|slot))\s+to|(?:assigned|reassigned|given|handed|passed)\s+(?:his|her|their|(?-i:[A-Z][a-z]+)'s)\s+[^.!?\n]{0,50}?\b(?:shift|slot|chat|hours|desk)\b[^.!?\n]{0,25}?\bto|covering:|coverer:))\s*$",
    )
});

/// Work that is no chat shift handed to someone ("my liaison duties to be
/// handled by Jorge", "her classes will be covered by Tom"): the name is
/// no coverer of a shift.
static OTHER_DUTIES_BY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:duties|responsibilities|tasks|classes|class|teaching|meetings?|committee\s+work|liaison\s+work|correspondence|inbox|email|tickets|consultations|appointments)\s+(?:(?:will|to|would|is|are|be|being|have|has|been|all)\s+){0,3}(?:covered|taken|handled|picked\s+up|filled)\s+by\s*$",
    )
});

/// "Thanks to" and the like before a name credit them with whatever their
/// sentence is about: a coverer only when it speaks of a shift, a day or a
/// time, or covering ("a new tag for cover letters, thanks to Priya" credits
/// no one with a shift).
static THANKS_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:thanks to|thank you to|thanks go to|thanks goes to|shout ?out to|kudos to|grateful to)\s*$",
    )
});
static SHIFTISH: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:shifts?|slots?|chat|desk|cover|covers|covered|covering|coverage|took|taken|taking|takes|stepp(?:ed|ing) in|fill(?:ed|ing) in|sub(?:bed|bing)?|swap(?:ped)?|trad(?:e|ed)|switch(?:ed)?|hours?|set|sorted|settled|taken care of|(?:",
        weekday_stems!(),
        r"|satur|sun)days)\b"
    ))
});

fn thanks_for_something_else(before: &str, after_in_sentence: &str) -> bool {
    if !THANKS_BEFORE.is_match(before) {
        return false;
    }
    let from = before
        .rfind(['.', '!', '?', '\n'])
        .map(|i| i + 1)
        .unwrap_or(0);
    let sentence = format!("{}{}", &before[from..], after_in_sentence);
    !SHIFTISH.is_match(&sentence) && !DAYISH.is_match(&sentence)
}

/// A thread about an event people join ("Holiday lunch Fri 12/18",
/// "Potluck", "Retirement party"), not about a shift.
static EVENT_THREAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:lunch|luncheon|dinner|breakfast|potluck|party|celebration|get-together|happy hour|gift|card|book club|reading lounge|open house|training|meeting|workshop|webinar|retreat|social|coffee)\b",
    )
});
/// Words that speak of the service or its shifts at all: an offer in a
/// new thread with none of them is about something else.
static NAMES_THE_SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:shifts?|slots?|chat|desk|queue|libchat|rota|roster|schedule|cover|covers|covered|covering|coverage|sub|subbing|swap|trade|switch|fill in|step in|hours?|on call|\d{1,2}:\d\d|\d{1,2}\s*(?:am|pm)|noon|morning|afternoon)\b|(?:^|[^/\d])\d{1,2}\s*(?:-|–|to|until|till)\s*\d{1,2}(?:[^/\d]|$)|(?:\b(?:my|your|his|her|their)|'s)\s+(?:mon|tue|wed|thu|fri)[a-z]*\b",
    )
});
static SHIFT_THREAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:cover|covers|covered|covering|coverage|shifts?|slots?|sub|swap|trade|chat\s+(?:desk|hours?)|need|needed|needs|anyone|someone|sick|out)\b",
    )
});

/// True when a subject names a shift as a roster member's other than the
/// sender ("Coverage for Tom's Tue 12/15 morning shift").
fn subject_names_another_owner(topic: &str, sender: Option<&str>, roster: &Roster) -> bool {
    static POSSESSIVE: LazyLock<Regex> = LazyLock::new(|| re(r"\b([A-Z][a-z]+)'s\b"));
    POSSESSIVE.captures_iter(topic).any(|c| {
        roster
            .by_name(&c[1])
            .is_some_and(|m| Some(m.email.as_str()) != sender)
    })
}

/// A name someone assigned ("Courtney has slotted Tom ..."), the coverer
/// when what follows is a shift ([`ASSIGNED_TO_SHIFT`]).
static ASSIGNED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:assigned|slotted|booked|scheduled|penciled|pencilled|drafted|put)\s*$")
});

/// What follows an assigned name when it is a shift ("... onto Mei's
/// Thursday", "to the slot", "for 12/11"); "onto the Friday webinar" is
/// none.
static ASSIGNED_TO_SHIFT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^\s+(?:in\s+)?(?:to|on|onto|into|for)\s+(?:(?-i:[A-Z][a-z]+)'s\s|his\s|her\s|their\s|the (?:shift|slot)\b|(?:",
        weekday_abbrevs!(),
        r")[a-z]*\b|\d{1,2}/\d{1,2}\b)"
    ))
});

/// The writer putting the reader on a colleague's shift ("I've put you on
/// his 10-12 slot", "I have scheduled you for Mei's Tuesday"); "put you
/// on the training list" is none.
static ASSIGNED_YOU: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\bi(?:'ve| have)?\s+(?:just\s+|already\s+)?(?:put|assigned|scheduled|slotted|booked|penciled|pencilled|signed)\s+you\s+(?:in\s+)?(?:on|down for|for|onto|into|to)\s+(?:his|her|their|(?-i:[A-Z][a-z]+)'s)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|chat|hours|desk|",
        weekday_abbrevs_without_weds!(),
        r"|",
        weekday_names!(),
        r"|morning|afternoon)\b"
    ))
});

/// "thanks, Dana": a thanked name.
static THANKED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:thanks|thank you|thx|ty|kudos|bless you|grateful)(?:\s+(?:so much|again|a lot|a ton|a million))?[,!]?\s*$",
    )
});

/// ", Dana, for covering" after a thanked name.
static FOR_COVERING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[,!]?\s*(?:so much\s+|again\s+)?for\s+(?:covering|taking|picking|subbing|stepping|filling|grabbing|swapping|trading|switching|jumping|helping out with|doing)\b",
    )
});

/// A possessive before a shift noun: "Ben's chat shift", "Ben's Tuesday slot";
/// one before "behalf" ("writing on Jorge's behalf") names whose shift it is.
/// A possessive before a start time names the shift by when it starts
/// ("Ben's 2:00 today", "Sarah's 2pm on Thursday") when the time ends the
/// phrase or a day or shift word follows; "Ben's 2:00 meeting" is not a
/// shift.
static OWNER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)^(?:'s|s'|')\s+((?:[\w/:-]+\s+){0,4}?)(?:shift|shifts|slot|hours|chat|time|spot|desk|session)\b|^(?:'s|s')\s+\d{1,2}(?::\d\d)?\s*(?:-|to)\s*\d|^(?:'s|s')\s+behalf\b|^(?:'s|s')\s+(?:",
        weekday_abbrevs!(),
        r"|",
        weekday_names!(),
        r")\b|^(?:'s|s')\s+(?:\d{1,2}:\d\d|\d{1,2}\s*(?:am|pm)|noon)\s*(?:$|[.,;:!?)\n]|(?:today|tomorrow|tonight|this|that|next|on|is|was|has|got|too)\b)"
    ))
});

/// "Ben's chat shift" (Ben's shift) but not "Dana's taking my shift" (Dana
/// is taking it).
fn is_owner_after(after: &str) -> bool {
    let Some(c) = OWNER_AFTER.captures(after) else {
        return false;
    };
    let between = c.get(1).map(|m| m.as_str()).unwrap_or("");
    // A verb in "-ing" makes the name the taker ("Dana's taking my
    // shift"); the parts of the day that end so ("Mei's Thursday morning
    // chat") are no verbs.
    !between.split_whitespace().any(|w| {
        let w = w.to_ascii_lowercase();
        (w.ends_with("ing") && !matches!(w.as_str(), "morning" | "evening"))
            || matches!(
                w.as_str(),
                "my" | "your"
                    | "his"
                    | "her"
                    | "their"
                    | "our"
                    | "got"
                    | "has"
                    | "will"
                    | "is"
                    | "on"
                    | "over"
            )
    })
}

/// Words before a name that make it the person whose shift it is: "covering
/// for Ben", "in place of Ben", "the shift of Ben" (English shaped by
/// Spanish or Portuguese: "I make the turn of Angie").
static OWNER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:cover(?:s|ed|ing)?\s+for|cover(?:s|ed|ing)?|sub(?:bing|s|bed)?\s+for|fill(?:ing|s|ed)?\s+in\s+for|step(?:ping|s|ped)?\s+in\s+for|take(?:s|n)?\s+over\s+for|taking\s+over\s+for|took\s+over\s+for|replac(?:e|es|ed|ing)|reliev(?:e|es|ed|ing)|instead of|in place of|on behalf of|\bthe\s+(?:shift|shifts|slot|turn)\s+of|for)\s*$",
    )
});

/// A bare "for" before a name, with no cover word before it ("closing
/// the loop for Courtney"), unlike "covering for Courtney" or "fill in
/// for".
fn bare_for_before(before: &str) -> bool {
    let b = before.trim_end();
    let Some(head) = b
        .len()
        .checked_sub(3)
        .filter(|&at| b.is_char_boundary(at) && b[at..].eq_ignore_ascii_case("for"))
        .map(|at| &b[..at])
    else {
        return false;
    };
    // "for" as a word, not the end of "therefor" or "before".
    if head.chars().last().is_some_and(char::is_alphanumeric) {
        return false;
    }
    let prev = head
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    !matches!(
        prev.as_str(),
        "cover"
            | "covers"
            | "covered"
            | "covering"
            | "sub"
            | "subs"
            | "subbing"
            | "subbed"
            | "in"
            | "over"
    )
}

/// "Passing this along for Courtney", "sending this on for Ben": the
/// person the message is relayed for, not whose shift it is.
static RELAYED_FOR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:pass(?:ing|ed|es)?|send(?:ing|s)?|sent|forward(?:ing|ed|s)?|relay(?:ing|ed|s)?|post(?:ing|ed|s)?|writ(?:e|es|ing))\s+(?:(?:this|it|that|the\s+news|word)\s+)?(?:along\s+|on\s+)?for\s*$",
    )
});

static SICK_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:'s|\s+(?:is|has|just|also|still|texted|emailed|called|messaged|let me know|let us know|told me|told us|(?:texted|emailed|called|messaged) (?:me|us)|asked me to (?:let (?:everyone|you all|you|the list|all of you|folks|people) know|tell (?:everyone|you all|you)|pass (?:along|on)))(?:\s+(?:that\s+)?(?:she|he|they)(?:'s| is))?)*(?:\s+(?:really|very|pretty|quite|so|too|badly|seriously|super|feeling))?\s+(?:out sick|home sick|sick|ill|unwell|not feeling well|under the weather|called in sick|calling in sick|came down with|come down with|has (?:a|the) (?:flu|fever|cold|migraine|stomach bug|covid|virus|bug)|(?:phoned|rang|texted|messaged|emailed) (?:in|out) sick)\b",
    )
});

/// A colleague's illness told by pronoun ("he is sick and can't come in",
/// "she's home with a fever").
static PRONOUN_SICK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:he|she|they)(?:'s|'re| is| are| has been| was)\s+(?:\w+\s+)?(?:out\s+)?(?:sick|ill|unwell)\b|\b(?:he|she|they)\s+(?:called|calls|has called) (?:in|out) sick\b|\b(?:he|she|they)(?:\s+has|\s+have|'s got|\s+has got|\s+came down with|\s+caught|\s+picked up)\s+(?:a\s+|the\s+|an?\s+(?:awful|bad|terrible|nasty|high)\s+)?(?:migraine|fever|flu|covid|stomach bug|virus|strep|food poisoning)\b|\b(?:he|she|they)(?:'s|'re| is| are)\s+(?:\w+\s+)?(?:home|out|off|in bed|stuck at home)\s+with\s+(?:a\s+|the\s+|an?\s+awful\s+|a\s+bad\s+|a\s+terrible\s+)?(?:migraine|fever|cold|flu|covid|stomach bug|bug|virus|headache|sore throat|cough|infection|food poisoning|strep)\b",
    )
});

/// A colleague named before takes the shift, by pronoun ("Thanks Dana!
/// She's taking my Tuesday shift", "for Tom: he's got Mei's Friday").
static PRONOUN_COVER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:she|he|they)(?:'s|'ll|'re| is| will| has| are| can| kindly| just| already)+\s+(?:covering|taking|take|cover|picking up|pick up|grabbing|grab|subbing|filling in|stepping in|got it|on it|got\s+(?:(?-i:[A-Z][a-z]+)'s|your)\s+(?:[\w/:-]+\s+){0,2}?(?:shift|slot|chat|desk|hours|",
        weekday_names!(),
        r"|",
        weekday_abbrevs_without_weds!(),
        r"|morning|afternoon))\b"
    ))
});

/// What follows "he'll take" when the colleague takes one of the writer's
/// shifts in return ("he'll take one of mine later"): a trade back.
static TRADE_BACK_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s+(?:one of (?:mine|my|yours|your|ours)|mine\b|a shift of mine|some of mine)")
});

/// "her Mon 3/1, Wed 3/3 and Fri 3/5 shifts": shifts of someone else, in a
/// list the writer asks about.
/// Asked of the list by day or time ("can someone take his Wednesday and
/// Friday?", "cover her 2-3:30"), a colleague's shifts too.
static PRONOUN_OWNER_LIST: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:his|her|their)\s+(?:[\w/:,-]+\s+){0,8}?(?:shift|shifts|slot|slots)\b|\b(?:take|cover|grab|pick up|work)\s+(?:his|her|their)\s+(?:\d{1,2}(?::\d\d)?\s*(?:-|to)\s*\d|(?:",
        weekday_abbrevs!(),
        r")[a-z]*\b)"
    ))
});
/// The writer sends for a colleague ("on Jorge's behalf", "on behalf of
/// Mei", "on her behalf").
static ON_BEHALF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bon\s+(?:(?-i:[A-Z][a-z]+)'s|his|her|their)\s+behalf\b|\bon\s+behalf\s+of\s+(?-i:[A-Z][a-z]+)\b",
    )
});
/// A colleague named as the shift's owner ("take Ben's shift on Friday",
/// "Mei's Tuesday 2/9", "cover for Jorge on Thursday").
static COLLEAGUE_NAMED_OWNER: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?-i:[A-Z][a-z]+)(?:'s|’s)\s+(?:[\w/:-]+\s+){0,4}?(?:shift|shifts|slot|slots|chat|hours|desk)\b|(?-i:[A-Z][a-z]+)(?:'s|’s)\s+(?i:",
        weekday_abbrevs!(),
        r")[a-z]*\b|(?i:\b(?:cover|sub|fill\s+in|step\s+in)\s+for)\s+(?-i:[A-Z][a-z]+)\b"
    ))
});
/// The writer speaking of a shift of their own ("my Friday", "my 2-3:30
/// slot", "I'm out Tuesday", "cover me").
static WRITER_SHIFT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\bmy\s+(?:[\w/:-]+\s+){0,4}?(?:shift|shifts|slot|slots|chat|hours|desk|turn)\b|\bmy\s+(?:",
        weekday_abbrevs!(),
        r")[a-z]*\b|\bi(?:'m|’m| am)\s+(?:out|away|off|sick)\b|\b(?:cover|replace|sub\s+for)\s+me\b"
    ))
});
static WRITER_OWNS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:my|mine|i'm|i am|i'll|i will|i)\b"));

static PRONOUN_OWNER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:his|her|their)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|hours)\b")
});

/// A name ruled out as the one who covers ("Jorge, not Tom, is covering",
/// "Mei (rather than Sarah)").
static NEGATED_NAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:[,(]\s*|\b)(?:not|rather than|and not)\s*$"));

/// A name after these is asked about, not confirmed ("could Dana take it?").
static HEDGED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:could|can|would|will|maybe|perhaps|if|whether|ask|asked|ask if)\s*$")
});

static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:hi|hello|hey|dear|good morning|good afternoon|morning|thanks|thank you|ok|okay|great|yes|yes please|perfect|awesome|wonderful|sure|sounds good)?[\s,!]*$",
    )
});

/// One roster person named in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub email: String,
    /// Byte range of the name in the plain text (possessive not included).
    pub start: usize,
    pub end: usize,
}

/// Roster people named in a text, by full name, alias, first name, initials
/// (written in capitals) or email, in text order. Within one reading
/// ([`one_reading`]) each text's people are found once, however many
/// rules ask.
pub fn mentions(text: &str, roster: &Roster) -> Vec<Mention> {
    let roster_at = roster as *const Roster as usize;
    let known = PEOPLE_NAMED.with_borrow(|memo| {
        memo.as_ref()?
            .iter()
            .find(|(r, t, _)| *r == roster_at && t == text)
            .map(|(_, _, ms)| ms.clone())
    });
    if let Some(ms) = known {
        return ms;
    }
    let ms = find_mentions(text, roster);
    PEOPLE_NAMED.with_borrow_mut(|memo| {
        if let Some(memo) = memo
            && memo.len() < PEOPLE_NAMED_MAX
        {
            memo.push((roster_at, text.to_string(), ms.clone()));
        }
    });
    ms
}

/// At most this many texts' people are kept in one reading (a second call
/// asks for each sentence's; a text past it is simply read again).
const PEOPLE_NAMED_MAX: usize = 64;

type PeopleNamed = Vec<(usize, String, Vec<Mention>)>;

thread_local! {
    /// The people named in each text read so far in this reading, by the
    /// roster's address: kept only inside [`one_reading`], where the
    /// roster is borrowed throughout and cannot change.
    static PEOPLE_NAMED: std::cell::RefCell<Option<PeopleNamed>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs one reading of a message with the people named in each text found
/// once (the roles, the person addressed, whose shift it is and the second
/// call's taken parts all ask); forgotten when `f` returns or panics.
pub fn one_reading<R>(f: impl FnOnce() -> R) -> R {
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            PEOPLE_NAMED.with_borrow_mut(|memo| *memo = None);
        }
    }
    // Inside a reading already (`read_message` analyses, then resolves the
    // shifts, under one roster): its texts are shared.
    if PEOPLE_NAMED.with_borrow(Option::is_some) {
        return f();
    }
    PEOPLE_NAMED.with_borrow_mut(|memo| *memo = Some(Vec::new()));
    let _forget = Forget;
    f()
}

fn find_mentions(text: &str, roster: &Roster) -> Vec<Mention> {
    // Phone mail written all in small letters ("thx mei!!") names people in
    // small letters too, the pronoun's capital aside (a phone's "I", or
    // "ill" read as "I'll").
    let small_letters_only = in_small_letters(text);
    let words = name_words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (start, _, w) = words[i];
        if w.contains('@') {
            if let Some(m) = roster.by_email(w.trim_end_matches('.')) {
                out.push(Mention {
                    email: m.email.clone(),
                    start,
                    end: words[i].1,
                });
            }
            i += 1;
            continue;
        }
        // Full names first ("Dana Whitfield"), then single words.
        if let Some(&(_, end2, w2)) = words.get(i + 1) {
            let between = &text[words[i].1..words[i + 1].0];
            if between == " " && !w.ends_with("'s") {
                let (w2, poss2) = strip_possessive(w2);
                if let Some(m) = roster.members.iter().find(|m| is_full_name(&m.name, w, w2)) {
                    out.push(Mention {
                        email: m.email.clone(),
                        start,
                        end: end2 - poss2,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        // "Tom B. is covering": a first name or alias and the initial of
        // the last name name one person (even where the first name alone
        // is shared); the initial's point belongs to the name when the
        // sentence goes on in small letters.
        if let Some(&(_, end2, w2)) = words.get(i + 1)
            && &text[words[i].1..words[i + 1].0] == " "
            && let Some(m) = with_last_initial(w, w2, roster)
        {
            let rest = &text[end2..];
            let point =
                rest.starts_with(". ") && rest[2..].starts_with(|c: char| c.is_ascii_lowercase());
            out.push(Mention {
                email: m.email.clone(),
                start,
                end: end2 + usize::from(point),
            });
            i += 2;
            continue;
        }
        // "T. Becker will cover", "T Becker": the initial of the first name
        // and the last name name the one person they both fit.
        if let Some(&(_, end2, w2)) = words.get(i + 1)
            && matches!(&text[words[i].1..words[i + 1].0], ". " | " ")
            && let Some(m) = with_first_initial(w, strip_possessive(w2).0, roster)
        {
            out.push(Mention {
                email: m.email.clone(),
                start,
                end: end2 - strip_possessive(w2).1,
            });
            i += 2;
            continue;
        }
        // "Tom K." when the roster's Tom is a Becker: someone else.
        if let Some(&(_, end2, w2)) = words.get(i + 1)
            && &text[words[i].1..words[i + 1].0] == " "
            && w2.len() == 1
            && w2.bytes().all(|b| b.is_ascii_uppercase())
            && text[end2..].starts_with('.')
            && name_word(w, roster).is_some()
        {
            i += 2;
            continue;
        }
        let (bare, poss) = strip_possessive(w);
        let found = name_word(bare, roster).or_else(|| {
            small_letters_only
                .then(|| small_name_word(bare, roster))
                .flatten()
        });
        if let Some(m) = found {
            out.push(Mention {
                email: m.email.clone(),
                start,
                end: words[i].1 - poss,
            });
        }
        i += 1;
    }
    out
}

/// Whether `text` is written in small letters, but for the pronoun "I"
/// (alone or in "I'll", "I'm", "I've", "I'd").
fn in_small_letters(text: &str) -> bool {
    let b = text.as_bytes();
    let word_byte = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    b.iter().enumerate().all(|(i, &c)| {
        !c.is_ascii_uppercase() || (c == b'I' && (i == 0 || !word_byte(i - 1)) && !word_byte(i + 1))
    })
}

/// The one roster person whose first name or alias is `first` (written
/// with a capital) and whose last name starts with the capital letter
/// `initial` ("Tom" "B": Tom Becker).
fn with_last_initial<'r>(
    first: &str,
    initial: &str,
    roster: &'r Roster,
) -> Option<&'r StaffMember> {
    if !first.starts_with(|c: char| c.is_uppercase()) || first.ends_with("'s") {
        return None;
    }
    one_with_initial(
        initial,
        roster,
        |m| m.name.split_whitespace().skip(1).last(),
        |m| {
            m.first_name().eq_ignore_ascii_case(first)
                || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(first))
        },
    )
}

/// The one roster person whose first name starts with the capital letter
/// `initial` and whose last name is `last` (written with a capital):
/// "T." "Becker" is Tom Becker.
fn with_first_initial<'r>(
    initial: &str,
    last: &str,
    roster: &'r Roster,
) -> Option<&'r StaffMember> {
    if last.len() < 2 || !last.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    one_with_initial(
        initial,
        roster,
        |m| m.name.split_whitespace().next(),
        |m| {
            let mut parts = m.name.split_whitespace();
            parts.next();
            parts.last().is_some_and(|l| l.eq_ignore_ascii_case(last))
        },
    )
}

/// The one roster person whose name part `initialled` (first or last
/// name) starts with `initial`, a single capital letter, and whom `fits`
/// takes for the other part of the name written out.
fn one_with_initial<'r>(
    initial: &str,
    roster: &'r Roster,
    initialled: impl Fn(&StaffMember) -> Option<&str>,
    fits: impl Fn(&StaffMember) -> bool,
) -> Option<&'r StaffMember> {
    let letter = match initial.as_bytes() {
        [b] if b.is_ascii_uppercase() => *b,
        _ => return None,
    };
    let mut found = roster.members.iter().filter(|m| {
        initialled(m).is_some_and(|w| w.as_bytes().first() == Some(&letter)) && fits(m)
    });
    let one = found.next()?;
    found.next().is_none().then_some(one)
}

/// Whether `name` is `first`, one space and `last`, ignoring ASCII case:
/// asked for nearly every pair of words, so nothing is allocated.
fn is_full_name(name: &str, first: &str, last: &str) -> bool {
    let n = name.as_bytes();
    n.len() == first.len() + 1 + last.len()
        && n[..first.len()].eq_ignore_ascii_case(first.as_bytes())
        && n[first.len()] == b' '
        && n[first.len() + 1..].eq_ignore_ascii_case(last.as_bytes())
}

fn strip_possessive(w: &str) -> (&str, usize) {
    if let Some(b) = w.strip_suffix("'s") {
        (b, 2)
    } else if let Some(b) = w.strip_suffix("s'") {
        (b, 2)
    } else {
        (w, 0)
    }
}

/// A single word naming one roster person: capitalised for names and
/// aliases, all capitals for initials, so "will" or "al" in prose name no one.
fn name_word<'r>(w: &str, roster: &'r Roster) -> Option<&'r StaffMember> {
    let first_upper = w.chars().next().is_some_and(|c| c.is_uppercase());
    if !first_upper || w.len() < 2 {
        return None;
    }
    let m = roster.by_name(w)?;
    let by_initials_only = !m.name.eq_ignore_ascii_case(w)
        && !m.first_name().eq_ignore_ascii_case(w)
        && !m.aliases.iter().any(|a| a.eq_ignore_ascii_case(w));
    if by_initials_only && w.chars().any(|c| c.is_lowercase()) {
        return None;
    }
    Some(m)
}

/// A name written in small letters, in a text written all in small
/// letters: a first name, alias or full name of three letters or more that
/// is not also an everyday word ("will", "mark", "may"). Never initials.
fn small_name_word<'r>(w: &str, roster: &'r Roster) -> Option<&'r StaffMember> {
    const EVERYDAY: &[&str] = &[
        "will", "may", "june", "april", "august", "hope", "joy", "grace", "rose", "mark", "bill",
        "pat", "sue", "art", "faith", "dawn", "sky", "amber", "ray", "gene", "don", "rob", "jack",
        "frank", "max", "miles", "chase", "hunter", "summer", "autumn", "bob", "sunny", "lily",
        "holly", "ivy", "iris", "penny", "robin", "dean", "drew", "guy", "jean", "kim", "lee",
        "long", "young", "king", "page", "rich", "sandy", "stern", "wade", "west", "white",
        "brown", "green", "gray", "grey", "black", "ford", "hall", "hill", "lane", "price", "rice",
        "cook",
    ];
    if w.len() < 3 || EVERYDAY.contains(&w) || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    roster.members.iter().find(|m| {
        m.first_name().eq_ignore_ascii_case(w)
            || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(w))
            || m.name.eq_ignore_ascii_case(w)
    })
}

/// The people a confirmation or relayed notice is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    pub coverer: Option<String>,
    /// How sure: 3 a named cover verb, 2 a hint, 1 only thanked or greeted.
    pub coverer_strength: u8,
    pub owner: Option<String>,
    pub sick_person: Option<String>,
    pub reasons: Vec<String>,
}

/// A name, a comma and a bare verb with no subject of its own ("I got
/// you Ben, covering Friday", "thanks Mei, taking it"): the name is the
/// person spoken to, and the verb's dropped subject is the writer.
static SPOKEN_TO_THEN_VERB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*,\s*(?:covering|taking|grabbing|picking up|filling in|subbing|stepping in|jumping in|swapping|trading|switching|handling|working|doing|got it|got this|on it)\b",
    )
});

/// A name, a comma and a bare "stay": the person is told to keep working
/// ("Tom, stay on chat for your shift"), which takes over nobody's shift.
static TOLD_TO_STAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*,\s*(?:please\s+|just\s+)?stay\s+(?:on|late|through|for)\b"));

/// Finds who takes the shift, whose shift it is, and who is relayed as sick.
pub fn roles(text: &str, sender: Option<&str>, roster: &Roster) -> Roles {
    let ms = mentions(text, roster);
    let mut r = Roles::default();
    let mut best: Option<(u8, usize)> = None;
    let is_sender = |e: &str| sender == Some(e);

    // Owners first, so the person whose shift it is is not taken for the
    // coverer.
    // A name marked as the owner by a bare "for" ("closing the loop for
    // Courtney: I'm covering Jorge's Thursday") comes after one marked by
    // a possessive or a cover phrase.
    let mut owners: Vec<&str> = Vec::new();
    let mut owners_by_for: Vec<&str> = Vec::new();
    for m in &ms {
        let after = &text[m.end..];
        let before = &text[..m.start];
        let possessive = is_owner_after(after);
        if (possessive || (OWNER_BEFORE.is_match(before) && !RELAYED_FOR.is_match(before)))
            && !owners.contains(&m.email.as_str())
            && !owners_by_for.contains(&m.email.as_str())
        {
            if possessive || !bare_for_before(before) {
                owners.push(&m.email);
            } else {
                owners_by_for.push(&m.email);
            }
        }
        if r.sick_person.is_none() && !is_sender(&m.email) && SICK_AFTER.is_match(after) {
            r.sick_person = Some(m.email.clone());
            r.reasons.push(format!("{} is named as sick", m.email));
        }
    }
    owners.extend(owners_by_for);

    // "Sarah, I've put you on his 10-12 slot": the writer assigns the
    // person the message addresses to a colleague's shift.
    let assigned_you = ASSIGNED_YOU
        .is_match(text)
        .then(|| addressed(text, sender, roster))
        .flatten();

    for (idx, m) in ms.iter().enumerate() {
        if is_sender(&m.email) {
            continue;
        }
        let after = &text[m.end..];
        let before = &text[..m.start];
        let sentence_end = after.find(['.', '!', '?', '\n']).unwrap_or(after.len());
        let is_question = after[..sentence_end].contains('?')
            || after.get(sentence_end..sentence_end + 1) == Some("?");
        let hedged = HEDGED.is_match(before);
        // "Jorge, not Tom, is covering", "Mei (not Sarah) has it": the name
        // ruled out takes nothing, whatever verb follows it.
        if NEGATED_NAME.is_match(before) {
            r.reasons
                .push(format!("{} is ruled out: \"not\" before the name", m.email));
            continue;
        }
        let mut score = 0u8;
        // "Angie has Friday off" says who is free, not who covers; "Ben,
        // stay on the desk as usual" tells him to keep his own slot.
        let day_off = TOLD_TO_STAY.is_match(after)
            || SPOKEN_TO_THEN_VERB.is_match(after)
            || COVER_AFTER.find(after).is_some_and(|c| {
                DAY_OFF_AFTER.is_match(&after[c.end()..])
                    || is_errand_after(&after[c.end()..])
                    || UNDONE_AFTER.is_match(&after[c.end()..])
            });
        if let Some(c) = COVER_AFTER.find(after).filter(|_| !day_off) {
            let weak = c.as_str().contains("offered") || c.as_str().contains("volunteered");
            // "Sarah has offered to stay on ... thank you Sarah!": an offer
            // the writer thanks for is taken.
            let thanked = ms
                .iter()
                .any(|o| o.email == m.email && THANKED.is_match(&text[..o.start]));
            if !is_question && !hedged {
                score = if weak && !thanked { 2 } else { 3 };
                r.reasons
                    .push(format!("coverer {}: {:?}", m.email, c.as_str().trim()));
            }
        }
        // "Tom ended up being free all week and is covering all three":
        // the verb comes later in the name's own clause.
        if score < 3 && !is_question && !hedged && COVER_LATER.is_match(after) {
            score = 3;
            r.reasons
                .push(format!("coverer {}: takes it later in the clause", m.email));
        }
        if score < 3
            && COVER_BEFORE.is_match(before)
            && !OTHER_DUTIES_BY.is_match(before)
            && !thanks_for_something_else(before, &after[..sentence_end])
        {
            score = 3;
            r.reasons
                .push(format!("coverer {}: named after a cover phrase", m.email));
        }
        if score < 3
            && !is_question
            && ASSIGNED_BEFORE.is_match(before)
            && ASSIGNED_TO_SHIFT.is_match(after)
        {
            score = 3;
            r.reasons
                .push(format!("coverer {}: assigned to a shift", m.email));
        }
        if score < 3 && THANKED.is_match(before) && FOR_COVERING.is_match(after) {
            score = 3;
            r.reasons
                .push(format!("coverer {}: thanked for covering", m.email));
        }
        // The person whose shift it is takes it only on the strongest cue,
        // and then after anyone else named with one; never by being
        // addressed beside an assignment ("I've put you down for Tom's
        // Tuesday. Tom, you're all set.").
        if owners.contains(&m.email.as_str()) {
            if score < 3 {
                continue;
            }
            score = 2;
        } else if score < 3 && assigned_you.as_deref() == Some(m.email.as_str()) {
            score = 3;
            r.reasons.push(format!(
                "coverer {}: addressed and assigned to the shift",
                m.email
            ));
        }
        if score == 0 && THANKED.is_match(before) {
            score = 1;
        }
        if score == 0 && before.trim().len() < 25 && GREETING.is_match(before) {
            score = 1;
        }
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, idx));
        }
    }

    // "Thanks Dana! She's taking my Tuesday shift."
    if best.is_none_or(|(s, _)| s < 3)
        && let Some(p) = PRONOUN_COVER
            .find_iter(text)
            .find(|p| !TRADE_BACK_AFTER.is_match(&text[p.end()..]))
    {
        // "for Tom ...: he's got Mei's shift": when the pronoun's own clause
        // names whose shift it is, a name before it that only "for" made an
        // owner is the one the pronoun stands for.
        let owner_in_clause = ms
            .iter()
            .find(|m| m.start >= p.start() && m.end <= p.end())
            .map(|m| m.email.as_str());
        let prior = ms.iter().enumerate().rev().find(|(_, m)| {
            m.end <= p.start()
                && !is_sender(&m.email)
                && (!owners.contains(&m.email.as_str())
                    || owner_in_clause.is_some_and(|o| o != m.email))
        });
        if let Some((idx, m)) = prior {
            r.reasons
                .push(format!("coverer {}: {:?}", m.email, p.as_str()));
            best = Some((3, idx));
        }
    }

    if let Some((s, idx)) = best {
        r.coverer = Some(ms[idx].email.clone());
        r.coverer_strength = s;
    }
    // Only a coverer named with a cover word rules a person out as the
    // owner; one merely greeted ("Tom and I sorted it out - I'm covering his
    // shift") may well be the owner.
    let taker = r.coverer.as_deref().filter(|_| r.coverer_strength >= 2);
    r.owner = owners
        .iter()
        .find(|o| Some(**o) != taker)
        .map(|o| o.to_string());
    // "Priya will cover his shift": the other person named.
    if r.owner.is_none() && PRONOUN_OWNER.is_match(text) {
        r.owner = ms
            .iter()
            .find(|m| Some(m.email.as_str()) != taker && !is_sender(&m.email))
            .map(|m| m.email.clone());
    }
    // "Angie said she'll cover it, Mei.": the person addressed at the end of
    // a confirmation is the one whose shift it was.
    if r.owner.is_none() && r.coverer.is_some() {
        r.owner = ms
            .iter()
            .filter(|m| Some(m.email.as_str()) != r.coverer.as_deref() && !is_sender(&m.email))
            .find(|m| {
                let before = text[..m.start].trim_end();
                let after = text[m.end..].trim_start();
                before.ends_with(',')
                    && !THANKED.is_match(before)
                    && (after.is_empty() || after.starts_with(['.', '!', '?', '\n']))
            })
            .map(|m| {
                r.reasons
                    .push(format!("{} is addressed: the shift is theirs", m.email));
                m.email.clone()
            });
    }
    // "This is Jorge's wife ... he is sick": a relayed notice naming the
    // colleague first and the illness by pronoun.
    if r.sick_person.is_none()
        && let Some(p) = PRONOUN_SICK.find(text)
        && let Some(m) = ms
            .iter()
            .rev()
            .find(|m| m.end <= p.start() && !is_sender(&m.email))
    {
        r.reasons.push(format!(
            "{} is named as sick: {:?}",
            m.email,
            p.as_str().trim()
        ));
        r.sick_person = Some(m.email.clone());
    }
    if r.owner.is_none() {
        r.owner = r
            .sick_person
            .clone()
            .filter(|s| Some(s.as_str()) != r.coverer.as_deref());
    }
    r
}

// ---------------------------------------------------------------------------
// The decision.

/// The first ask that is about a shift (the table's ask cues, guards
/// met), with its cue id: its position, what it said.
fn ask_cue(text: &str) -> Option<(usize, String)> {
    ask_fired(text).map(|f| (f.start, f.said))
}

fn ask_fired(text: &str) -> Option<cues::Fired> {
    // The first of `cues::all` in text order, found without reading past
    // each cue's first match: `earliest` breaks ties the same way.
    cues::earliest(Signal::Ask, &Scan::single(text))
}

/// Any word of sickness, whoever it is about.
/// Someone of the writer's household, named as the one who is ill.
static FAMILY_MEMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:kid|kiddo|kids|child|children|son|daughter|baby|toddler|little one|partner|husband|wife|spouse|mom|mother|mum|dad|father|parent|parents|grandma|grandmother|grandpa|grandfather|boyfriend|girlfriend|fianc[eé]e?)(?:'s)?\b",
    )
});
/// The writer in the first person, between a family member and an illness
/// ("my son says I have the flu" is the writer's).
static FIRST_PERSON: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:i|i'm|i've|im|ive|me|myself)\b"));
/// The writer says they themselves are away or ill: "I'm home with her",
/// "I'll be out", "staying home", "can't come in".
static WRITER_AWAY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:i'm|i am|im|i'll be|i will be|i'd be|i've been|i have been|i'm going to be|i'll have to be|i have to be|i need to be)\s+(?:\w+\s+)?(?:out|off|home|away|at home|sick|ill|unwell|not (?:in|coming in))\b|\b(?:staying|stuck|stay|be|keeping \w+)\s+(?:at\s+)?home\b|\b(?:can't|cannot|can not|won't|will not|not)\s+(?:come|coming|be|make it|get)\s+in\b|\b(?:out|home|off)\s+(?:today|tomorrow|this (?:morning|afternoon|week))\b",
    )
});

/// True when every sick cue that fired speaks of a family member's illness
/// ("kiddo has a fever", "my son is sick", "sick kid at home"), none of the
/// writer's own.
fn only_family_illness(text: &str, scan: &Scan) -> bool {
    let fired = cues::all(Signal::Sick, scan);
    let lower = text.to_lowercase();
    !fired.is_empty()
        && fired.iter().all(|f| {
            let said = f.said.to_lowercase();
            let Some(at) = lower.find(&said) else {
                return false;
            };
            let from = lower[..at]
                .rfind(['.', '!', '?', '\n', ';'])
                .map_or(0, |i| i + 1);
            let clause = &lower[from..at + said.len()];
            FAMILY_MEMBER
                .find_iter(clause)
                .last()
                .is_some_and(|m| !FIRST_PERSON.is_match(&clause[m.end()..(at - from).max(m.end())]))
        })
}

static SICK_WORD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:sick|ill|unwell|flu|fever|covid|under the weather)\b"));

/// A subject that says someone is sick: not "ILL" (interlibrary loan, in
/// capitals in an ordinary subject) and not the policy nouns "sick days",
/// "sick leave".
fn subject_says_sick(topic: &str) -> bool {
    static POLICY: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s+(?:days|leave|policy|policies|time|bank|hours|shots?|vaccines?|vaccinations?|clinics?|season|boosters?)\b",
        )
    });
    let shouting = !topic.chars().any(|c| c.is_lowercase());
    SUBJECT_SICK.find_iter(topic).any(|m| {
        let acronym = m.as_str() == "ILL" && !shouting;
        !acronym && !POLICY.is_match(&topic[m.end()..])
    })
}

/// A new thread's subject that names coverage asks for it only when the
/// message says when, and the subject is not a question or a notice about
/// coverage ("Question about posting coverage requests").
fn subject_may_ask(topic: &str, text: &str) -> bool {
    // A subject about a question, a notice (an FYI, a recap or summary of
    // what was arranged), or whether something is broken for others too ("chat frozen for anybody?", "is it just me?") asks
    // no one to cover.
    static ABOUT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\W*(?:question|q|quick q|quick question|fyi|reminder|policy|faq|how to|process|update on)\b|\b(?:policy|process|procedure|guidelines?|reminder|fyi|recap|summary|round-?up)\b|^\W*who(?:'s|\s+is|\s+was|\s+will be)\s+(?:covering|on|working|scheduled|taking|doing)\b|\b(?:down|broken|offline|frozen|not working|not loading|acting up|glitchy)\s+for\s+(?:anyone|anybody|everyone|everybody)\b|\b(?:anyone|anybody)\s+else\s+(?:seeing|having|getting|noticing|experiencing|locked|logged|stuck)\b|\bis\s+it\s+just\s+me\b",
        )
    });
    // "If you need coverage in the next two weeks, please post": a notice to
    // the readers about their own needs, not the writer's.
    static READERS_NEEDS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:if|when|whenever|in case|should)\s+(?:you|anyone|anybody|someone|people|staff|folks)\s+(?:\w+\s+)?(?:needs?|wants?)\s+(?:coverage|cover|a sub|someone|to swap|to trade|time off)\b",
        )
    });
    // The writer's own words about their shift ("I'll be at a training"), or
    // hardly any words at all beside the subject.
    static FIRST_PERSON: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)\b(?:i|i'm|i'll|i've|i'd|me|my|mine)\b"));
    // "Anyone have the ENGL 101 worksheet?" asks for a thing, and "the
    // Dean's office is covering it" says who pays: neither asks for cover.
    static THING_OR_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\W*(?:does\s+)?(?:anyone|anybody)\s+(?:have|has|got|know|recogni[sz]e|remember)\s+(?:the|a copy|copies|a link|the link|a template|an? (?:old|updated|current|extra|spare))\b|\b(?:is|are|was|were|will be)\s+covering\s+(?:it|this|that|them)\s*$",
        )
    });
    let words = text.split_whitespace().count();
    !ABOUT.is_match(topic)
        && !THING_OR_STATEMENT.is_match(topic)
        && (DAYISH.is_match(topic) || DAYISH.is_match(text))
        && !READERS_NEEDS.is_match(text)
        && (FIRST_PERSON.is_match(text) || words <= 8)
}

/// The text without sentences that offer a fallback ("I'll cover it myself
/// if no one can"), which take nothing back.
pub(super) fn without_fallbacks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(['.', '!', '?', ';', '\n'])
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        if !FALLBACK.is_match(sentence) {
            out.push_str(sentence);
        } else {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out
}

/// Sentences that state what happens when anyone is sick ("If someone is
/// out sick, I'll cover what I can"), or what whoever takes a shift is to
/// do ("Whoever picks up a shift must tell the desk"): a policy, about no
/// one's shift.
static POLICY_CASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:if|when|whenever|in case|should)\s+(?:someone|anyone|anybody|somebody|people|staff|folks|you|a colleague|a coworker|a co-worker|one of us|any of us)\s+(?:is|are|gets?|calls?|falls?|wakes? up|feels?|becomes?|comes? down)\s+(?:\w+\s+)?(?:sick|ill|unwell)\b|\bwhoever\s+(?:takes|picks up|grabs|covers|agrees to cover|swaps)\s+(?:a|the|any|an open)\s+(?:\w+\s+)?shift\s+(?:should|must|needs to|has to|is to|is asked to)\b",
    )
});

/// The text without sentences that state a policy case.
fn without_policy_cases(text: &str) -> String {
    let text = without_examples(text);
    if !POLICY_CASE.is_match(&text) {
        return text;
    }
    without_sentences(&text, |sentence| POLICY_CASE.is_match(sentence))
}

/// An example of what to write, given as one (\"e.g. \"Can someone cover Tue
/// 12/15 2-4?\"\", "(for example: Thu 1/7 10-12)"): words shown, not said.
static EXAMPLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)\b(?:e\.\s?g\.?|eg\.|for example|for instance|such as)\s*[:,]?\s*(?:"[^"\n]{1,200}"|“[^”\n]{1,200}”|'[^'\n]{1,200}'(?:\s|$|[.,;)])|[^()\n]{1,120}\))"#,
    )
});

/// The text with examples of what to write ([`EXAMPLE`]) blanked out.
pub fn without_examples(text: &str) -> String {
    if !EXAMPLE.is_match(text) {
        return text.to_string();
    }
    EXAMPLE.replace_all(text, " ").into_owned()
}

/// The text with the sentences `drop` says so of blanked out: each becomes
/// a space (and its line break, if it ended a line), so what stood either
/// side stays apart.
fn without_sentences(text: &str, drop: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(['.', '!', '?', ';', '\n'])
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        if drop(sentence) {
            out.push(' ');
            if sentence.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(sentence);
        }
        rest = &rest[end..];
    }
    out
}

/// The text without clauses about the reader's need ("if you still need
/// someone"); "let me know if anyone can" is kept, it asks.
pub(super) fn without_conditionals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in CONDITIONAL.find_iter(text) {
        let before = text[..m.start()].trim_end().to_ascii_lowercase();
        if before.ends_with("know") || before.ends_with("tell me") || before.ends_with("see") {
            continue;
        }
        if m.start() < last {
            continue;
        }
        // "if anyone needs a shift covered I'm happy to help": the
        // condition ends where the writer's own clause begins.
        // A promise of what happens after a wait goes whole.
        let end = if AFTER_A_WAIT.is_match(m.as_str()) {
            m.end()
        } else {
            MAIN_CLAUSE
                .find(m.as_str())
                .filter(|c| c.start() > 0)
                .map_or(m.end(), |c| m.start() + c.start())
        };
        out.push_str(&text[last..m.start()]);
        out.push(' ');
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// "if nobody takes it within two days": the condition of a process's
/// fallback, whose main clause is no offer.
static AFTER_A_WAIT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^if\s+(?:no one|nobody|noone|no-one|none of)\b[^.!?;\n]*?\b(?:within|after|in|by|for)\s+(?:\w+\s+)?(?:hours?|days?|a day|a week|weeks?|the deadline|the end of)\b",
    )
});

/// Where a writer's main clause starts inside a run-on condition.
static MAIN_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\s(?:i'm|i am|i'd|i would|i'll|i will|i can|i could|i'm happy|happy to|glad to|feel free|please|just (?:let|email|ask|ping|reply))\b",
    )
});

/// Lines that are only a greeting or a sign-off ("Hi all,", "Thanks,",
/// "Mei"), dropped to see what is left.
fn core_lines(text: &str, roster: &Roster) -> String {
    static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(?:hi|hello|hey|dear|good morning|good afternoon|morning|greetings)\b[^.!?]{0,30}[,!:]?$|^(?:thanks|thank you|thx|ty|best|cheers|regards|best regards|kind regards|warmly|take care|many thanks|sincerely|all best|-+)\W*(?:\w+\W*)?$|^[\w.\- ]{0,30}[,!]$",
        )
    });
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !SIGN_OFF.is_match(l))
        .filter(|l| {
            // A line that is only a name.
            let words: Vec<&str> = l.split_whitespace().collect();
            !(words.len() <= 3
                && !words.is_empty()
                && words.iter().all(|w| {
                    name_word(w.trim_matches(|c: char| !c.is_alphanumeric()), roster).is_some()
                }))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A sentence in which the writer keeps part of the shift ("I'll do
/// 10-11", "I'll be on from 4:30 until close", "I can stay until 2", "I'll
/// pick up from 1:30", "I can take over at 3").
static OWN_PART: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bi(?:'ll| will| can| could|'m going to| am going to|'m able to| am able to)\s+(?:still\s+|then\s+)?(?:do|work|be on|be online|be on chat|be back|be there|cover|take|handle|staff|log on|log in|jump on|pick(?:\s+it)?\s+(?:back\s+)?up\s+(?:from|at)\b|take(?:\s+it)?\s+over\s+(?:from|at)\b|stay(?:\s+on)?\s+(?:until|till|til|through|to)\b|stick around\s+(?:until|till|til)\b)",
    )
});

/// The text without sentences in which the writer keeps part of the shift
/// for themselves; they state what is not asked.
pub fn without_own_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(['.', '!', '?', ';', '\n'])
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        if OWN_PART.is_match(sentence) && !sentence.ends_with('?') && ask_cue(sentence).is_none() {
            // Kept in brackets beside what is asked ("Wed 4/14, 12:30 to
            // 2 only (I can do the first half hour)"): only the brackets go.
            match own_part_in_brackets(sentence) {
                Some((open, close)) => {
                    out.push_str(&sentence[..open]);
                    out.push(' ');
                    out.push_str(&sentence[close..]);
                }
                None => {
                    out.push(' ');
                    if sentence.ends_with('\n') {
                        out.push('\n');
                    }
                }
            }
        } else {
            out.push_str(sentence);
        }
        rest = &rest[end..];
    }
    out
}

/// The bracketed aside that holds the writer's kept part, when the words
/// outside it still name a time: its byte span, brackets included.
fn own_part_in_brackets(sentence: &str) -> Option<(usize, usize)> {
    let m = OWN_PART.find(sentence)?;
    let open = sentence[..m.start()].rfind('(')?;
    if sentence[open..m.start()].contains(')') {
        return None;
    }
    let close = m.end() + sentence[m.end()..].find(')')? + 1;
    let outside = format!("{} {}", &sentence[..open], &sentence[close..]);
    CLOCK_SPAN_WORDS.is_match(&outside).then_some((open, close))
}

/// A clock span written in digits ("12:30 to 2:00", "10-12").
static CLOCK_SPAN_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:-|–|—|to|until|till)\s*\d{1,2}(?::\d\d)?\b",
    )
});

/// The writer promising a favour back for a request ("In return I'm happy
/// to take one of yours on Tuesday 2/23", "I'll gladly do your Friday in
/// exchange", "I can return the favour on the 12th"): the days it names
/// are the writer's offer, not what is asked.
static FAVOUR_BACK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:in (?:return|exchange)|return the favou?r)\b"));
static WRITER_WILL_DO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bi(?:'m| am|'d| would|'ll| will| can| could)\b[^.!?;\n]{0,30}?\b(?:take|do|cover|work|pick up|sit|return)\b",
    )
});

/// The text without the sentences where the writer promises a favour
/// back (see [`FAVOUR_BACK`]); a sentence that also asks is kept.
pub fn without_favour_back(text: &str) -> String {
    if !FAVOUR_BACK.is_match(text) {
        return text.to_string();
    }
    without_sentences(text, |sentence| {
        FAVOUR_BACK.is_match(sentence)
            && WRITER_WILL_DO.is_match(sentence)
            && ask_cue(sentence).is_none()
    })
}

/// A closure of the service or a declined offer: days named in it are
/// not asked for.
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:we're|we are|chat is|chat's|the library is|the library's|library is|desk is|we'll be|chat will be|it's|is)\s+(?:all\s+)?closed\b|\b(?:thanks|thank you|thx)\s*,?\s+but\b|\bno thanks\b",
    )
});

/// The text without sentences or brackets that note a closure or decline
/// an offer.
pub fn without_asides(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(['.', '!', '?', ';', '\n', '(', ')'])
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        if ASIDE.is_match(sentence) {
            out.push(' ');
            if sentence.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(sentence);
        }
        rest = &rest[end..];
    }
    out
}

/// A clause giving a reason with a relative day in it ("because his
/// email is acting up today", "since the printer died this morning"): the
/// day is when the reason holds, not the shift's. A reason of the
/// writer's own absence ("because I'm sick today", "as I'm out tomorrow")
/// is the shift's day, and is kept.
static REASON_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:because|since|cause|cuz|bc)\s[^.!?;:()\n]{0,80}?\b(?:today|tonight|this morning|this afternoon|this evening|right now)\b[^.!?;:()\n]*",
    )
});
static ABSENCE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:sick|ill|unwell|fever|out|off|home|away|leave|appointment|appt|can't|cannot|can not|unable|won't|not (?:coming|going|able|working|in))\b",
    )
});

/// The writer's own absence over a stretch ("I'm away until Monday", "I'll
/// be out through 12/18", "won't be back until Saturday"): in a
/// confirmation, or in a request beside a day asked, when the writer is
/// away, not what is covered or asked.
static ABSENCE_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:i'm|i am|i'll be|i will be|im)\s+(?:away|out|off|gone|travel+ing|on (?:vacation|leave|holiday))\s+(?:from\s+[^.;,\n]{1,30}?\s+)?|(?:i\s+)?(?:won't|will not|wont|am not|i'm not|not)\s+(?:be\s+)?back\s+)(?:until|till|til|through|thru)\s+[^.;,\n]*",
    )
});

/// The text without the writer's absence over a stretch ([`ABSENCE_SPAN`]).
pub fn without_absence_spans(text: &str) -> String {
    ABSENCE_SPAN.replace_all(text, " ").into_owned()
}

/// The text without reason clauses whose relative day is when the reason
/// holds ([`REASON_CLAUSE`]).
pub fn without_reasons(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in REASON_CLAUSE.find_iter(text) {
        // The writer's own absence is the shift's day; a third party's
        // ("passing this on for Courtney since she's out today: Ben is
        // taking Tom's 1/19") is when the relay was needed.
        if ABSENCE_WORD.is_match(m.as_str()) && WRITER_SELF.is_match(m.as_str()) {
            continue;
        }
        out.push_str(&text[last..m.start()]);
        out.push(' ');
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
}

/// A shift of the writer's said to need nothing already, up to the clause
/// that goes on ("My Monday 12/14 is already taken care of, but could
/// someone take Wednesday?"; "my Tuesday shift on the 16th is, I am told,
/// already being absorbed by the reduced schedule"), across wrapped lines.
static NEEDS_NOTHING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:my|the|his|her|their)\s+[^.!?;:]{0,60}?\b(?:is|are|was|'s)\b[^.!?;:]{0,40}?\balready\s+(?:being\s+|been\s+)?(?:covered|taken care of|handled|sorted|absorbed|dropped|cancelled|canceled|spoken for)\b[^.!?;:]{0,80}?(?:,\s*(?:but|and|so)\b|[.!?;:]|$)",
    )
});

/// The text without the clauses that say a shift needs nothing already
/// (see [`NEEDS_NOTHING`]).
pub fn without_needing_nothing(text: &str) -> String {
    NEEDS_NOTHING.replace_all(text, " ").into_owned()
}

/// A sentence that names days nobody is asked to cover: the writer's
/// standing hours, as a signature states them ("Office hours: Mon-Fri
/// 9-5", "Office hours: Tue/Thu 1-3pm", "my working hours are Tue-Thu 9-5", "Hours: Tuesdays 1-3"), or
/// news of a thing that changes on a day ("the new catalogue goes live on
/// Monday", "the upgrade rolls out Friday"), or a deadline for some other
/// task ("send me your availability by the end of next week"), or days
/// the writer will ask about another time ("I'll post about Friday
/// separately once I know more").
static UNASKED: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?ixm)
        (?:\b(?:office|working|work|business|opening|regular|usual|normal|my|our)\s+hours\b|^\s*hours\s*:)
            [^.!?\n]{0,30}?
            (?:\b(?:",
        weekday_abbrevs!(),
        r"|sat|sun)[a-z]*\.?\s*(?:-|/|&|to|through|thru)\s*(?:",
        weekday_abbrevs!(),
        r"|sat|sun)[a-z]*\b
              |\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|weekdays)\b
              |\bm\s*-\s*f\b)
        | \b(?:office|drop-in|consultation|student|walk-in)\s+hours\s*:\s*(?:[a-z]+\s+)?(?:",
        weekday_abbrevs!(),
        r")[a-z]*\b[^.!?\n]{0,40}?\b(?:and|or)\s+by\s+appointment\b
        | \b(?:goes|go|going|will\s+go|went)\s+live\b
        | \bby\s+(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|week|month)\b
        | \b(?:launch(?:es|ed)|will\s+launch|(?:is|are)\s+launching|rolls?\s+out|rolling\s+out|will\s+roll\s+out|(?:is|gets|will\s+be)\s+released)\b
        | \bi(?:'ll|\s+will)\s+(?:post|ask|write|send\s+(?:a\s+)?(?:note|message|e-?mail)|follow\s+up)\b[^.!?\n]{0,60}?\b(?:separately|later|once\s+i\b|when\s+i\b|in\s+another\s+(?:message|e-?mail|post))
        "
    ))
});

/// The text without sentences that name days nobody is asked to cover
/// (see [`UNASKED`]); a sentence that asks is kept ("could someone take my
/// hours Mon-Wed?").
pub fn without_unasked(text: &str) -> String {
    if !UNASKED.is_match(text) {
        return text.to_string();
    }
    without_sentences(text, |sentence| {
        UNASKED.is_match(sentence) && ask_cue(sentence).is_none()
    })
}

/// A day the writer rules out in the same breath as the one they mean:
/// a clause opened by "not" right before the day ("Wednesday the 9th,
/// not Monday", "covering 2/3 - not 2/10", "my Friday... not this coming
/// one, the 12/18 one", "Not next Friday.") and a date the writer says
/// they gave by mistake ("I typed the 4th in error").
static RULED_OUT_DAY: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)(?:,|\s[-–—]+|\(|\bi\s+mean[t]?\b|\.\.+|…|(?m:^)|[.!?]\s)\s*(?:and\s+|but\s+)?not\s+(?:on\s+)?(?:the\s+|my\s+)?(?:this\s+coming\s+|this\s+|coming\s+|next\s+)?(?:(?:",
        weekday_abbrevs!(),
        r")[a-z]*\b|\d{1,2}(?:/\d{1,2}(?:/\d{2,4})?\b|st\b|nd\b|rd\b|th\b))[^,.;!?\n)]*|\b(?:wrote|typed|said|put|listed|gave)\s+(?:the\s+date\s+as\s+|the\s+)?(?:(?:",
        weekday_abbrevs!(),
        r")[a-z]*|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}(?:st|nd|rd|th))\b[^,.;!?\n]{0,20}?\b(?:by mistake|in error|by accident|mistakenly|wrongly)\b"
    ))
});

/// The end of `text` from the start of its last run of word characters and
/// slashes ("the 17th", "12/17", "Thursday"), with the whitespace after it:
/// all that a pattern anchored at the end and opening on a word boundary
/// can match, found by a scan back over that run alone. The character
/// before the run is none or not a word character, so a word boundary
/// reads the same there as in all of `text`.
fn last_word_and_after(text: &str) -> &str {
    let word = text.trim_end_matches(char::is_whitespace);
    let start = word
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c == '/' || regex_syntax::is_word_character(c))
        .last()
        .map_or(word.len(), |(i, _)| i);
    &text[start..]
}

/// A sentence in which the writer says they work a day as they always do
/// ("Friday I'll be on chat as normal"): that day is not asked for.
static WORKS_AS_USUAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bi(?:'ll| will|'m| am)\s+(?:still\s+)?(?:be\s+)?(?:around|there|in|here|working|on chat|on the desk|on)\b[^.!?\n]{0,30}?\bas\s+(?:usual|normal|planned|scheduled|always)\b",
    )
});

/// A correction later in the message that names only the day meant: "I
/// meant Wednesday", "sorry, I meant Thursday, not Tuesday", "Thursday,
/// not Tuesday" after "my Tuesday shift next week". When every day the
/// text names before it is one other weekday (and no date in figures),
/// that weekday is the one corrected away: each mention of it becomes the
/// day meant, so the words about it (its week, its times) stay with the
/// day meant, and the correction itself is taken out. None when the text
/// has no such correction, names a date in figures, or names more than one
/// other weekday before it (which of them is corrected is not said).
pub fn with_meant_day(text: &str) -> Option<String> {
    const DAY: &str = concat!("(?:", weekday_abbrevs!(), ")(?:day)?|", weekday_names!());
    static MEANT: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"(?i)\bi\s+meant\s+(?:to\s+say\s+)?(?:the\s+|my\s+|on\s+)?({DAY})\b(?:\s*,?\s*not\s+(?:the\s+|my\s+|on\s+)?({DAY})\b)?[.!]?|(?:^|[.!?]\s*|\b(?:sorry|oops|whoops|correction|edit)\b[,:!-]?\s*)({DAY})\s*,?\s*not\s+(?:the\s+|my\s+|on\s+)?({DAY})\b[.!]?"
        ))
    });
    static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)\b(?:{DAY})\b")));
    static FIGURE_DATE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b\d{1,2}/\d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
        )
    });
    let mut found = MEANT.captures_iter(text);
    let c = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let whole = c.get(0)?;
    let meant_m = c.get(1).or_else(|| c.get(3))?;
    let meant = super::dates::weekday_by_prefix(meant_m.as_str())?;
    let ruled_out = c
        .get(2)
        .or_else(|| c.get(4))
        .and_then(|m| super::dates::weekday_by_prefix(m.as_str()));
    let before = &text[..whole.start()];
    let after = &text[whole.end()..];
    if FIGURE_DATE.is_match(text) || WEEKDAY.is_match(after) {
        return None;
    }
    let named: Vec<_> = WEEKDAY.find_iter(before).collect();
    let first = named.first()?;
    let wrong = super::dates::weekday_by_prefix(first.as_str())?;
    if wrong == meant
        || ruled_out.is_some_and(|r| r != wrong)
        || named
            .iter()
            .any(|m| super::dates::weekday_by_prefix(m.as_str()) != Some(wrong))
    {
        return None;
    }
    let meant_word = meant_m.as_str();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in &named {
        out.push_str(&text[at..m.start()]);
        out.push_str(meant_word);
        at = m.end();
    }
    out.push_str(&text[at..whole.start()]);
    out.push(' ');
    out.push_str(after);
    Some(out)
}

/// The text without the days it rules out (see [`RULED_OUT_DAY`]) and its
/// sentences in which the writer works a day as usual (see
/// [`WORKS_AS_USUAL`]); a sentence that asks is kept.
pub fn without_ruled_out(text: &str) -> String {
    // "the 17th, not the 10th": a day ruled out right after the day meant
    // is left for the dates to drop wherever the text names it (see
    // `dates`' days corrected away), not only here.
    // A day as the text names it: a weekday (or its start), "the 17th", or
    // "12/17"; the look-backs below want one right before the "not".
    macro_rules! a_day {
        () => {
            concat!(
                r"(?:\b(?:",
                weekday_abbrevs!(),
                r"|sat|sun)[a-z]*|\b\d{1,2}(?:st|nd|rd|th)|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?)"
            )
        };
    }
    static DAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| re(concat!(r"(?i)", a_day!(), r"\s*$")));
    static ONLY_A_DAY: LazyLock<Regex> = LazyLock::new(|| {
        re(concat!(
            r"(?i)^[,\s–—-]*not\s+(?:the\s+|my\s+)?(?:(?:",
            weekday_abbrevs!(),
            r")[a-z]*|\d{1,2}(?:/\d{1,2}(?:/\d{2,4})?|st|nd|rd|th))\s*$"
        ))
    });
    // "the 29th I need covered, not the 22nd": a short clause about the
    // day meant comes between; the day ruled out is the dates' to drop too.
    static DAY_THEN_CLAUSE: LazyLock<Regex> =
        LazyLock::new(|| re(concat!(r"(?i)", a_day!(), r"((?:\s+[a-z']+){1,4})\s*$")));
    let day_then_clause = |before: &str| {
        DAY_THEN_CLAUSE.captures(before).is_some_and(|c| {
            c[1].split_whitespace().all(|w| {
                !matches!(
                    w.to_ascii_lowercase().as_str(),
                    "and" | "or" | "but" | "if" | "not" | "to"
                )
            })
        })
    };
    let kept = RULED_OUT_DAY
        .replace_all(text, |c: &regex::Captures| {
            let m = c.get(0).expect("whole match");
            let before = &text[..m.start()];
            if (DAY_BEFORE.is_match(last_word_and_after(before)) || day_then_clause(before))
                && ONLY_A_DAY.is_match(m.as_str())
            {
                m.as_str().to_string()
            } else {
                " ".to_string()
            }
        })
        .into_owned();
    if !WORKS_AS_USUAL.is_match(&kept) {
        return kept;
    }
    without_sentences(&kept, |sentence| {
        WORKS_AS_USUAL.is_match(sentence) && ask_cue(sentence).is_none()
    })
}

/// A subject that names an event, not a shift ("Staff training Wed 1/13,
/// 12-1:30", "Budget meeting Tue 2-3"): its times are the event's. The
/// topic with its clock times taken out, keeping its day; `None` when the
/// subject is about cover or a shift ("Cover during the meeting Tue 2-3").
pub fn event_topic_day_only(topic: &str) -> Option<String> {
    static EVENT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:training|trainings|meeting|meetings|workshop|webinar|conference|orientation|retreat|seminar|presentation|town\s*hall|all[- ]staff|party|luncheon|celebration|session|refresher|lecture|talk)\b",
        )
    });
    static ABOUT_SHIFTS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:cover|covers|covered|covering|coverage|shift|shifts|slot|sub|subs|swap|trade|need|needed|needs|take|taking|out|sick|chat\s+desk|desk)\b|\?",
        )
    });
    static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)(?:\b(?:from|at|@)\s*)?\b(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon)\s*(?:-|to|until|till|through)\s*(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?|noon)(?:\s|$|[,;)])|(?:\b(?:from|at|@)\s*)?\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\bnoon\b",
        )
    });
    if !EVENT.is_match(topic) || ABOUT_SHIFTS.is_match(topic) || !CLOCK.is_match(topic) {
        return None;
    }
    Some(CLOCK.replace_all(topic, " ").into_owned())
}

/// "... and I'm doing his Thu 3/4": in a swap, the clause in which the writer
/// covers the colleague back.
static WRITER_COVERS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:,\s*|\s+)(?:and|but|while|&)\s+i(?:'m| am|'ll| will)\s+(?:\w+\s+)?(?:doing|taking|covering|do|take|cover|working|work)\s+(?:his|her|their|[a-z]+'s)\b[^.!?;\n]*",
    )
});

/// The text without clauses in which the writer covers someone back: a
/// confirmation of a swap is about the writer's shift that is taken.
pub fn without_covering_back(text: &str) -> String {
    WRITER_COVERS_BACK.replace_all(text, " ").into_owned()
}

/// In a swap offer, the clause that names the writer's own shift as the
/// price ("if you can do my Thursday 12/17 (2-3:30)", "in exchange for my
/// Monday 3-5", "your Friday for my Tuesday 2-4", "if you'd be willing to
/// staff my Monday", "and you sit my Thursday 2-3:30"): what the writer
/// gives away, not what they offer to cover.
static SWAP_PRICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:if|as long as|provided|so long as)\s+(?:you|u)(?:'d|'ll|'re able to)?|(?:and|then)\s+(?:you|u)(?:'d|'ll)?)\s+(?:can\s+|could\s+|would\s+|will\s+|are able to\s+|'re able to\s+)?(?:be\s+(?:willing|able|happy|glad|up for|game|ok|okay)\s+(?:to\s+)?)?(?:do|take|taking|cover|work|grab|pick up|sub for|fill in for|sit|staff|handle)\s+(?:my|mine)\b[^.;!?\n]*|\b(?:in exchange|in return)\s+for\s+my\b[^.;!?\n]*|\b(?:your|yours)\b[^.;!?\n]{0,40}?\s+(?P<price>(?:in\s+(?:exchange|return)\s+)?for\s+my\b[^.;!?\n]*)",
    )
});

/// The text without the price of a swap offer: the writer's own shift
/// that the colleague is to take in return.
pub fn without_price(text: &str) -> String {
    // "your Wed 12/30 in exchange for my Monday 1/4": the colleague's shift
    // named first is what is offered; only "for my ..." is the price.
    SWAP_PRICE
        .replace_all(text, |c: &regex::Captures| match c.name("price") {
            Some(p) => format!(
                "{} ",
                &c[0][..p.start() - c.get(0).map_or(0, |m| m.start())]
            ),
            None => " ".to_string(),
        })
        .into_owned()
}

/// The text without its sentences that ask for cover or call again ("Still
/// need Fri 11/27 if anyone can help"): what a confirmation or an offer
/// says it covers lies elsewhere.
/// A sentence that says a part is still to be filled ("That leaves 3-4
/// open", "the second hour is still up for grabs"): what a confirmation
/// has not found, as good as asking for it.
static LEFT_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:leaves|leaving)\s+[^.!?;\n]{0,30}?(?:\d|\b(?:shift|slot|hour|half|morning|afternoon|",
        weekday_names!(),
        concat!(
            r"|",
            weekday_abbrevs_without_weds!(),
            r"))[^.!?;\n]{0,20}?\s+(?:open|uncovered|unfilled|up for grabs|unstaffed)\b|\b(?:is|are|remains?)\s+still\s+(?:open|uncovered|unfilled|up for grabs|unstaffed)\b|\bremains?\s+(?:open|uncovered|unfilled|unstaffed)\b"
        )
    ))
});

pub fn without_asks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest
            .find(['.', '!', '?', '\n'])
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        // A sentence wrapped at the line's end ("Still need someone for
        // Thursday\n3/18 12-2.", "Wednesday\n(12/16) is still open") goes
        // on where the next line opens with a digit, a small letter or a
        // bracket.
        while rest[..end].ends_with('\n')
            && rest[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || c.is_lowercase() || c == '(')
        {
            end += rest[end..]
                .find(['.', '!', '?', '\n'])
                .map(|i| i + 1)
                .unwrap_or(rest.len() - end);
        }
        let sentence = &rest[..end];
        // "In case anyone is still looking: Tom has it" calls nobody again.
        let open = without_conditionals(sentence);
        let open_ask = ask_cue(&open);
        let asks =
            open_ask.is_some() || second_call_body(&open).is_some() || LEFT_OPEN.is_match(&open);
        // "i can cover 2-3 tomorrow, can someone else do 3-3:30?": the
        // clause before the ask is kept. Looked for only in a sentence that
        // asks; its ask cue is the open sentence's when no conditional was
        // taken out (most sentences).
        let kept_head = if !asks {
            None
        } else if open == sentence {
            open_ask
        } else {
            ask_cue(sentence)
        }
        .and_then(|(at, _)| sentence[..at].rfind(',').map(|c| &sentence[..c]))
        .filter(|head| {
            ask_cue(head).is_none() && second_call_body(head).is_none() && !LEFT_OPEN.is_match(head)
        });
        if let Some(head) = kept_head {
            out.push_str(head);
            out.push(' ');
        } else if asks {
            out.push(' ');
        } else {
            out.push_str(sentence);
        }
        rest = &rest[end..];
    }
    out
}

/// One decision rule: the kind it gives and, in words, when.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub kind: Kind,
    pub says: &'static str,
}

/// The decision rules, in the order [`classify`] tries them: the first
/// that holds decides. Several cues fire on one message (a confirmation
/// thanks the volunteer, a withdrawal thanks the offerer, a sick notice
/// asks for cover), and this order is what settles it:
/// a lasting schedule change before anything that names a shift; thanks
/// for cover already worked close nothing; a call repeated first (or in
/// a new message's subject), then a part said taken, is a second call for
/// the rest (a message opens with what it is about); a named taker or the writer covering a colleague
/// before a take-back; a take-back before weaker
/// confirmations; sickness before second calls and asks; asks before
/// offers; weak confirmations and "I cannot work my shift" last.
/// The test `rules_are_tried_in_the_order_of_the_table` checks that the
/// code and this table agree. To add a rule, add its row here and its
/// `return verdict(rule("id"), ..)` at the same place in [`classify`].
pub static RULES: &[Rule] = &[
    Rule {
        id: "schedule_change",
        kind: Kind::ScheduleChange,
        says: "a lasting change to the schedule",
    },
    Rule {
        id: "schedule_change_asked",
        kind: Kind::ScheduleChange,
        says: "an ask to take a shift over for good",
    },
    Rule {
        id: "thanks_for_past_cover",
        kind: Kind::Other,
        says: "thanks for a shift already covered",
    },
    Rule {
        id: "second_call_part_taken",
        kind: Kind::SecondCall,
        says: "the call is repeated first (or in the subject), then a part is said to be taken or settled; or a part is said taken, then the rest asked for again with a question",
    },
    Rule {
        id: "request_rest_after_part_taken",
        kind: Kind::CoverageRequest,
        says: "a new thread (not a reply, not an update of a call) names a colleague who has taken a part, then still asks for the rest: the first call for what is still needed",
    },
    Rule {
        id: "covered_named_taker",
        kind: Kind::Covered,
        says: "a named person takes the shift",
    },
    Rule {
        id: "covered_writer_for_colleague",
        kind: Kind::Covered,
        says: "the writer covers a named colleague",
    },
    Rule {
        id: "withdrawn",
        kind: Kind::Withdrawn,
        says: "the request is taken back",
    },
    Rule {
        id: "covered_writer_takes_it",
        kind: Kind::Covered,
        says: "the writer takes it and says so",
    },
    Rule {
        id: "covered_arranged",
        kind: Kind::Covered,
        says: "coverage is said to be arranged",
    },
    Rule {
        id: "sick",
        kind: Kind::Sick,
        says: "someone is out sick",
    },
    Rule {
        id: "second_call",
        kind: Kind::SecondCall,
        says: "the call is repeated",
    },
    Rule {
        id: "offer_part_ask_rest",
        kind: Kind::Offer,
        says: "the writer offers part and asks others for the rest",
    },
    Rule {
        id: "offer_swap",
        kind: Kind::Offer,
        says: "the writer offers in a swap; the own shift named as the price asks no one",
    },
    Rule {
        id: "request_asks",
        kind: Kind::CoverageRequest,
        says: "someone is asked to cover",
    },
    Rule {
        id: "offer",
        kind: Kind::Offer,
        says: "the writer offers to cover",
    },
    Rule {
        id: "covered_reply_accepts",
        kind: Kind::Covered,
        says: "a reply thanks and accepts a named person",
    },
    Rule {
        id: "request_cannot_work",
        kind: Kind::CoverageRequest,
        says: "the writer needs their shift covered",
    },
    Rule {
        id: "other",
        kind: Kind::Other,
        says: "no cue of any coverage kind",
    },
];

fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

/// Decides the kind: the cues that fire (the table in [`cues`]), then the
/// first rule of [`RULES`] that holds, tried in the table's order.
pub fn classify(input: &Input) -> Verdict {
    // "Cover letter", "news coverage", "covering the cost of lunch": no
    // shift's cover (`senses`), blanked before anything is read.
    // A sentence quoted as an example of what to write ("for example
    // "Can someone cover my Tue 1/12?"") is no ask of the writer's.
    let text = without_policy_cases(&senses::without_quoted_examples(
        &senses::without_other_covers(&plain(&unwrapped(input.text))),
    ));
    let subject = senses::without_other_covers(&plain(input.subject)).into_owned();
    let topic = subject_topic(&subject);
    let reply = is_reply(&subject);
    // The text split once into the views the cues read.
    let scan = Scan::of(&text);
    let open = scan.open.text.as_str();
    let roster = input.roster;
    let mut reasons: Vec<String> = Vec::new();

    let mut roles = roles(&text, input.sender, roster);
    if roles.coverer.is_none() && !reply {
        // "Covered: Dana for Mei" puts the names in the subject.
        let from_subject = self::roles(&topic, input.sender, roster);
        if from_subject.coverer_strength >= 2 {
            roles = from_subject;
        }
    }
    reasons.extend(roles.reasons.iter().cloned());

    // The same as `ask_fired(open)`, on the view already made.
    let ask = cues::earliest(Signal::Ask, &Scan::of_view(&scan.open));
    let need = cues::earliest(Signal::CannotWork, &scan);
    // "Anyone know this one?" in a subject asks for knowledge, as in a body.
    let subject_ask = (!reply
        && SUBJECT_ASK.is_match(&without_conditionals(&topic))
        && subject_may_ask(&topic, &text))
    .then(|| topic.clone());
    let subject_scan = Scan::single(&subject);
    let second_subject_fired = cues::earliest(Signal::SubjectSecondCall, &subject_scan);
    let second_subject = second_subject_fired.as_ref().map(|f| f.said.clone());
    let second_body_fired = cues::earliest(Signal::SecondCall, &scan);
    let second_body = second_body_fired.as_ref().map(|f| f.said.clone());
    let sick_fired = cues::first_in_order(Signal::Sick, &scan);
    let sick = sick_fired.as_ref().map(|f| f.said.clone());
    let sick_subject = (!reply
        && subject_says_sick(&topic)
        && !(sick.is_none() && roles.sick_person.is_none() && SICK_WORD.is_match(&text)))
    .then(|| topic.clone());
    let mut offer_fired = cues::first_in_order(Signal::Offer, &scan);
    let settled = scan.settled.text.as_str();
    // A weak taking-back ("no need", "thanks anyway") is the requester's
    // only when they speak of themselves; "so no need to find coverage for
    // Monday" from anyone else tells readers what they need not do.
    let speaks_of_self = WRITER_SELF.is_match(settled);
    let withdrawn_fired = cues::earliest(Signal::Withdrawn, &scan);
    let weak_withdrawn_fired = (withdrawn_fired.is_none() && reply)
        .then(|| {
            speaks_of_self
                .then(|| cues::earliest(Signal::WeakWithdrawn, &scan))
                .flatten()
                .filter(|f| {
                    f.id != "weak_withdrawn.no_need"
                        || NO_NEED.find_iter(&text).count()
                            > NO_NEED_OF_A_PRICE.find_iter(&text).count()
                })
                .or_else(|| cues::earliest(Signal::EndedNeed, &scan))
        })
        .flatten();
    let withdrawn = withdrawn_fired
        .as_ref()
        .or(weak_withdrawn_fired.as_ref())
        .map(|f| (f.start, f.said.trim().to_string()));
    let withdrawn_subject_fired = cues::earliest(Signal::SubjectWithdrawn, &Scan::single(&topic));
    let withdrawn_subject = withdrawn_subject_fired.as_ref().map(|f| f.said.clone());
    let concrete = CONCRETE_CHANGE.is_match(&text);
    let schedule_fired = cues::earliest(Signal::ScheduleChange, &scan);
    // A new term's schedule in the subject is a change only when the text
    // names a concrete one.
    let schedule_subject_fired = (!reply)
        .then(|| {
            cues::all(Signal::SubjectScheduleChange, &Scan::single(&topic))
                .into_iter()
                .find(|f| concrete || f.id != "subject.schedule_change.new_schedule")
        })
        .flatten();
    // "If anyone needs a shift covered" says nothing is, nor does "I'll need
    // my chat shifts covered".
    let covered_fired = cues::earliest(Signal::Covered, &scan);
    // "Anyone? Happy to trade." under a subject that asks: in a new call, a
    // trade offered back sweetens the request; it offers no cover.
    if !reply
        && offer_fired
            .as_ref()
            .is_some_and(|o| TRADE_VERB.is_match(&o.said))
        && (ask.is_some() || need.is_some() || subject_ask.is_some())
    {
        reasons.push(format!(
            "a trade offered in a new call sweetens it: {:?}",
            offer_fired.take().map(|f| f.said).unwrap_or_default()
        ));
    }
    // "Count me in!" under "Re: Holiday lunch Fri 12/18": a yes to the
    // thread's event, which no one asked to be covered.
    if reply
        && offer_fired.as_ref().is_some_and(|o| {
            matches!(
                o.id,
                "offer.count_me_in"
                    | "offer.im_in"
                    | "offer.bare_yes"
                    | "offer.put_me_down"
                    | "offer.works_for_me"
                    | "offer.ok_for_me"
            )
        })
        && EVENT_THREAD.is_match(&topic)
        && !SHIFT_THREAD.is_match(&topic)
    {
        reasons.push(format!(
            "a yes to the thread's event, not an offer to cover: {:?}",
            offer_fired.take().map(|f| f.said).unwrap_or_default()
        ));
    }
    // "Who's minding the plants over break? I can do the first week": a
    // new thread whose subject and words never speak of a shift, the chat
    // or covering offers to do something else.
    if !reply
        && offer_fired.is_some()
        && !NAMES_THE_SERVICE.is_match(&topic)
        && !NAMES_THE_SERVICE.is_match(&text)
    {
        reasons.push(format!(
            "a new thread that never speaks of a shift or the chat: {:?} offers something else",
            offer_fired.take().map(|f| f.said).unwrap_or_default()
        ));
    }
    let offer = offer_fired.as_ref().map(|f| f.said.clone());
    let covered_subject_fired = cues::earliest(Signal::SubjectCovered, &subject_scan);
    let schedule = schedule_fired.as_ref();
    let schedule_subject = schedule_subject_fired.as_ref();
    let covered_cue = covered_fired.as_ref();
    let covered_subject = covered_subject_fired.as_ref();
    let accept_fired = cues::earliest(Signal::Accept, &scan);
    let accept = accept_fired.as_ref().map(|f| f.said.clone());
    let writer_covers_fired = cues::first_in_order(Signal::WriterCovers, &scan);
    let first_person_covers = writer_covers_fired.as_ref().map(|f| f.said.clone());
    let core = core_lines(open, roster);

    // Cues from the table are named by their id.
    for f in [
        &ask,
        &need,
        &sick_fired,
        &withdrawn_fired,
        &offer_fired,
        &second_body_fired,
        &covered_fired,
        &schedule_fired,
        &writer_covers_fired,
        &weak_withdrawn_fired,
        &accept_fired,
    ]
    .into_iter()
    .flatten()
    {
        reasons.push(format!("cue {}: {:?}", f.id, f.said));
    }
    for f in [
        &second_subject_fired,
        &covered_subject_fired,
        &schedule_subject_fired,
        &withdrawn_subject_fired,
    ]
    .into_iter()
    .flatten()
    {
        reasons.push(format!("cue {} in the subject: {:?}", f.id, f.said));
    }
    for (name, cue) in [
        ("subject asks", subject_ask.as_ref()),
        ("sick in subject", sick_subject.as_ref()),
    ] {
        if let Some(c) = cue {
            reasons.push(format!("{name}: {c:?}"));
        }
    }

    let asks = ask.is_some();
    let asks_in_text = asks || sick.is_some();
    let signs = Signs {
        ask: asks,
        sick: sick.is_some(),
        withdrawn_cue: withdrawn_fired.as_ref().map(|f| f.id),
        withdrawn: withdrawn.is_some(),
        strong_withdrawn: withdrawn_fired.is_some(),
        second_call: second_body.is_some(),
        offer: offer.is_some(),
        reply,
    };
    let verdict = |rule: &'static Rule, roles: &Roles, reasons: Vec<String>| {
        let kind = rule.kind;
        let mut reasons = reasons;
        reasons.push(format!(
            "→ {} (rule {}: {})",
            kind.as_str(),
            rule.id,
            rule.says
        ));
        let (coverer, on_behalf_of) = match kind {
            Kind::Covered => (
                roles.coverer.clone(),
                roles
                    .owner
                    .clone()
                    .or_else(|| {
                        // "Priya, I'll staff it myself" or "Dana, you're
                        // covered for tomorrow": the person addressed.
                        (rule.id == "covered_writer_for_colleague"
                            || YOU_ARE_COVERED.is_match(&text)
                            || YOUR_SHIFT.is_match(&text))
                        .then(|| addressed(&text, input.sender, roster))
                        .flatten()
                        .filter(|o| Some(o.as_str()) != roles.coverer.as_deref())
                    })
                    .filter(|o| Some(o.as_str()) != input.sender),
            ),
            Kind::Sick => (
                None,
                roles
                    .sick_person
                    .clone()
                    .filter(|_| sick_is_relayed(roles, input)),
            ),
            // "We need coverage for Angie's Monday" or "... for her Mon 3/1
            // shift" when the writer speaks of no shift of their own.
            Kind::CoverageRequest | Kind::SecondCall => (
                None,
                // "I'm writing on Jorge's behalf: he needs ...": the writer
                // says whose call it is, whatever else they say of themselves.
                ((PRONOUN_OWNER_LIST.is_match(&text) && !WRITER_OWNS.is_match(&text))
                    || ON_BEHALF.is_match(&text)
                    || (roles.owner.is_some()
                        && COLLEAGUE_NAMED_OWNER.is_match(&text)
                        && !WRITER_SHIFT.is_match(&text)))
                .then(|| {
                    roles.owner.clone().or_else(|| {
                        mentions(&text, roster)
                            .into_iter()
                            .map(|m| m.email)
                            .find(|e| Some(e.as_str()) != input.sender)
                    })
                })
                .flatten()
                .filter(|o| Some(o.as_str()) != input.sender),
            ),
            _ => (None, None),
        };
        let doubts = disagreements(kind, &signs, roles);
        Verdict {
            kind,
            coverer,
            on_behalf_of,
            asks_in_text,
            family_illness_ask: false,
            rule: rule.id,
            doubts,
            reasons,
        }
    };

    // 1.
    if (schedule.is_some() || (schedule_subject.is_some() && roles.coverer_strength < 3)) && !asks {
        return verdict(rule("schedule_change"), &roles, reasons);
    }
    // "Could someone take my Friday over permanently?": a new call whose ask
    // is for good asks for a change of the regular schedule, not one
    // week's cover.
    if !reply
        && ask.as_ref().is_some_and(|a| {
            let from = open[..a.start]
                .rfind(['.', '!', '?', '\n'])
                .map_or(0, |i| i + 1);
            let to = open[a.end..]
                .find(['.', '!', '?', '\n'])
                .map_or(open.len(), |i| a.end + i);
            cues::all(Signal::ScheduleChange, &Scan::single(&open[from..to]))
                .iter()
                .any(|f| {
                    matches!(
                        f.id,
                        "schedule_change.permanent" | "schedule_change.going_forward"
                    )
                })
        })
    {
        return verdict(rule("schedule_change_asked"), &roles, reasons);
    }
    // A named coverer is about a shift: in a new thread the message says
    // when ("Tom has Ben's Friday"); one that names no day thanks people for
    // the past ("thanks to Tom, who covered five extra shifts this
    // semester").
    let names_when = reply || DAYISH.is_match(&text) || DAYISH.is_match(&topic);
    if !names_when {
        reasons.push("a new thread that names no day confirms no coverage".into());
    }
    // Thanks for a shift already worked closes nothing.
    let thanks_for_past = cues::earliest(Signal::ThanksForPast, &scan);
    if let Some(m) = &thanks_for_past
        && !asks
        && need.is_none()
        && withdrawn.is_none()
    {
        reasons.push(format!("cue {}: {:?}", m.id, m.said));
        return verdict(rule("thanks_for_past_cover"), &roles, reasons);
    }
    // "Second call for these: I still need Mon 3/1 and Fri 3/5. Tom has
    // Wednesday, thank you Tom!" opens by calling again and only then says
    // a part is taken: the rest is asked again. ("Update: Priya is taking
    // Wed 11/25. Still need Fri 11/27" opens with the confirmation.)
    // A new message whose own subject calls again ("2nd call: Fridays")
    // and whose text still asks is a second call for the rest, whichever
    // it names first. The same when the part is said to be settled with
    // no taker named ("Still looking for Tuesday; the Thursday is taken
    // care of").
    let subject_calls_again = second_subject.is_some() && !reply;
    let named_part = if roles.coverer_strength >= 3
        && names_when
        && let (Some(call), Some(coverer)) = (&second_body_fired, roles.coverer.as_deref())
        && (calls_before_naming(open, call, coverer, roster) || subject_calls_again)
    {
        Some(if subject_calls_again {
            format!(
                "the subject calls again and the text still asks ({:?}); {coverer} takes a part",
                call.said
            )
        } else {
            format!(
                "the call {:?} comes before {coverer} is named as taking a part",
                call.said
            )
        })
    } else {
        None
    };
    // In a reply, a question to the list asked again before a part is
    // said settled ("anyone for wed? fri is handled") repeats the call too.
    let asked_in_reply = ask.as_ref().filter(|a| reply && asks_as_question(open, a));
    let settled_part = if let (Some(call), Some(settled)) =
        (second_body_fired.as_ref().or(asked_in_reply), covered_cue)
        && settled.start > call.start
        && (DAY_SETTLED.is_match(&settled.said) || DAY_SETTLED.is_match(sentence_to(open, settled)))
    {
        Some(format!(
            "the call {:?} comes before {:?} settles a part",
            call.said, settled.said
        ))
    } else {
        None
    };
    // "Mei has thurs -- still nobody for tue 2/9 2-330 tho. anyone??": the
    // taker named first, then the rest said still needed and asked for
    // with a direct question to the list ("Anyone?", "can someone take
    // it?"), not only hinted at ("still need Friday if anyone can"): the
    // message ends by calling again for the rest.
    let asked_again = if roles.coverer_strength >= 3
        && names_when
        && let (Some(call), Some(a)) = (&second_body_fired, &ask)
        && a.start > call.start
        && asks_as_question(open, a)
    {
        Some(format!(
            "a part is taken, then the rest is still needed ({:?}) and asked for again with a question ({:?})",
            call.said, a.said
        ))
    } else {
        None
    };
    if let Some(why) = named_part.or(settled_part).or(asked_again) {
        reasons.push(why);
        return verdict(rule("second_call_part_taken"), &roles, reasons);
    }
    // "Dana has kindly agreed to take my Tuesday, so that one is sorted.
    // I still need someone for Thursday": in a new thread (no reply, no
    // earlier call in the subject) a part handled is set aside and the
    // ask that follows the taker is the news; the message is the first
    // call for the rest. In a reply ("Priya is taking Wed. Still need
    // Fri") the thread has already asked for both: that is a confirmation.
    // So is a message that calls itself an update of the call (see
    // `calls_itself_an_update`).
    let first_call_for_rest = if !reply
        && !calls_itself_an_update(&subject)
        && !calls_itself_an_update(open)
        && roles.coverer_strength >= 3
        && names_when
        && let Some(coverer) = roles.coverer.as_deref()
        && let Some(named) = mentions(open, roster)
            .iter()
            .find(|m| m.email == coverer)
            .map(|m| m.start)
        && let Some(still) = [second_body_fired.as_ref(), ask.as_ref()]
            .into_iter()
            .flatten()
            .filter(|c| c.start > named)
            .min_by_key(|c| c.start)
    {
        Some(format!(
            "a new thread: {coverer} takes a part, then {:?} still asks for the rest",
            still.said
        ))
    } else {
        None
    };
    if let Some(why) = first_call_for_rest {
        reasons.push(why);
        return verdict(rule("request_rest_after_part_taken"), &roles, reasons);
    }
    // A colleague thanked for a shift already worked, then a new ask
    // ("thanks to Mei for filling in when I was out Tuesday. Could somebody
    // take my 12/8?"): the taker named is the past's; the ask is the news.
    let thanked_then_asks =
        matches!((&thanks_for_past, &ask), (Some(t), Some(a)) if a.start > t.start);
    if thanked_then_asks {
        reasons.push("the taker named is thanked for the past; a new ask follows".into());
    }
    if roles.coverer_strength >= 3 && names_when && !thanked_then_asks {
        return verdict(rule("covered_named_taker"), &roles, reasons);
    }
    // The writer says they are covering a named colleague's shift.
    // In a reply the thread says whose shift it is when the text does not;
    // a message that addresses a colleague (at its opening, or by name at
    // the end of a sentence: "..., Tom.") says it too.
    let colleague_known =
        roles.owner.is_some() || reply || addressed(&text, input.sender, roster).is_some();
    if first_person_covers.is_some() && colleague_known && !asks && names_when {
        let mut r = roles.clone();
        r.coverer = input.sender.map(str::to_string);
        // The writer names themselves as the one covering: a colleague
        // greeted or thanked beside it casts no doubt on who covers.
        r.coverer_strength = 3;
        return verdict(rule("covered_writer_for_colleague"), &r, reasons);
    }
    // 3.
    // An ask after the take-back ("Could someone take my Thursday? P.S.
    // scratch that, I only need 12-1 covered") keeps the call: the take-back
    // corrects it. Any ask after it counts, not only the first.
    let withdraw_then_ask = match &withdrawn {
        Some(w) => cues::all(Signal::Ask, &Scan::of_view(&scan.open))
            .iter()
            .any(|a| a.start > w.0),
        None => false,
    };
    if (withdrawn.is_some() || (withdrawn_subject.is_some() && offer.is_none()))
        && !withdraw_then_ask
    {
        return verdict(rule("withdrawn"), &roles, reasons);
    }
    // 4. "I'll take it. Consider it covered." names the writer.
    if covered_cue.is_some() && offer.is_some() && roles.coverer_strength < 3 && names_when {
        let mut r = roles.clone();
        r.coverer = input.sender.map(str::to_string);
        r.owner = None;
        // The writer names themselves: a colleague greeted beside it
        // ("Angie, I'll be there") casts no doubt on who covers.
        r.coverer_strength = 3;
        return verdict(rule("covered_writer_takes_it"), &r, reasons);
    }
    // An explicit "coverage is arranged" needs no day: it only ever closes
    // a request. A forward's subject is the forwarded notice's ("Fwd:
    // Appointment confirmed"): under the writer's own need it confirms
    // nothing of theirs.
    let notice_subject = is_forward(&subject) && need.is_some();
    if covered_cue.is_some()
        || (covered_subject.is_some() && offer.is_none() && !asks && !notice_subject)
    {
        return verdict(rule("covered_arranged"), &roles, reasons);
    }
    // 5.
    // A relayed or subject-only sick notice that also asks for cover stays
    // a sick notice even when the writer offers to fill in as a fallback.
    if sick.is_some()
        || ((sick_subject.is_some() || roles.sick_person.is_some()) && (offer.is_none() || asks))
    {
        let mut v = verdict(rule("sick"), &roles, reasons);
        // "can someone grab my morning chat tmrw? kiddo has a fever": a
        // family member's illness and an ask, the writer saying nothing of
        // being out themselves.
        v.family_illness_ask = asks
            && roles.sick_person.is_none()
            && !WRITER_AWAY.is_match(&text)
            && !WRITER_AWAY.is_match(&topic)
            && (sick_subject.is_none() || FAMILY_MEMBER.is_match(&topic))
            && only_family_illness(&text, &scan);
        return v;
    }
    // 6.
    let bump = reply && (BUMP_ONLY.is_match(core.trim()) || BUMP_START.is_match(&core));
    let callish = asks || need.is_some() || SUBJECT_ASK.is_match(&topic) || reply;
    // A new message whose own subject repeats the call is the requester's;
    // what it offers ("I can trade for anything") sweetens the ask.
    let subject_names_cover = SUBJECT_ASK.is_match(&subject);
    let weak_subject = second_subject_fired.as_ref().is_some_and(|f| {
        matches!(
            f.id,
            "subject.second_call.reminder" | "subject.second_call.follow_up"
        )
    });
    let own_second_call = second_subject.is_some()
        && !weak_subject
        && !reply
        && (asks || need.is_some() || subject_names_cover);
    // A reply's subject repeats its thread: "Re: 2nd request: ..." is a
    // second call only when the reply itself asks.
    // A forwarded notice whose own subject says "Reminder" (a summons, an
    // appointment) is the writer's first call, not a repeat.
    let forward = is_forward(&subject);
    let subject_calls = second_subject.is_some()
        && !((reply || forward) && weak_subject)
        && (asks || need.is_some() || (subject_names_cover && !reply && !weak_subject));
    // A new message whose own subject numbers the call ("Third request:
    // ...") and whose words repeat it ("one more time for my Friday") is
    // the requester's repeat even when no sentence of it asks outright.
    let called_twice =
        second_body.is_some() && second_subject.is_some() && !weak_subject && !reply && !forward;
    if (offer.is_none() || own_second_call)
        && ((second_body.is_some() && callish) || subject_calls || bump || called_twice)
    {
        return verdict(rule("second_call"), &roles, reasons);
    }
    // "I can do 10-11 but could someone else take 11-12?": a reply that
    // offers part and leaves the rest to others is an offer.
    // The "else" may follow the ask's own words ("I'd need someone else for
    // the last half hour").
    let asks_someone_else = ask.as_ref().is_some_and(|a| {
        a.said.contains("else")
            || open
                .to_lowercase()
                .contains(&format!("{} else", a.said.to_lowercase()))
    });
    // "I can do 2-3 of it, hopefully someone can grab 3-3:30": a reply
    // that offers a part with its clock times, then asks for another part
    // by its clock times (no "my" in that clause), leaves the rest of the same shift
    // to others; the "else" is left unsaid.
    static OWN_WORD: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:my|mine|me)\b"));
    static CLOCK_SPAN: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)?\s*(?:-|–|to|until|till)\s*\d{1,2}(?::\d\d)?\b",
        )
    });
    let asks_another_part = ask.as_ref().is_some_and(|a| {
        let rest = &open[a.start..];
        let clause = &rest[..rest.find(['.', '?', '!', '\n']).unwrap_or(rest.len())];
        CLOCK_SPAN.is_match(clause)
            && !OWN_WORD.is_match(clause)
            && offer_fired
                .as_ref()
                .and_then(|o| open.find(o.said.as_str()))
                .is_some_and(|at| at < a.start && CLOCK_SPAN.is_match(&open[at..a.start]))
    });
    if reply && offer.is_some() && (asks_someone_else || asks_another_part) {
        return verdict(rule("offer_part_ask_rest"), &roles, reasons);
    }
    // "Swap? I'll cover 10-11 on 12/3 if you take my Tuesday": in a reply,
    // an offer whose only ask is the swap itself.
    if reply
        && offer.is_some()
        && ask
            .as_ref()
            .is_some_and(|a| matches!(a.id, "ask.swap_question" | "ask.want_to_swap"))
    {
        return verdict(rule("offer_swap"), &roles, reasons);
    }
    // 7.
    if asks {
        return verdict(rule("request_asks"), &roles, reasons);
    }
    // 8.
    if offer.is_some() {
        return verdict(rule("offer"), &roles, reasons);
    }
    // 9. Only the one whose shift it is accepts: under "Re: Coverage for
    // Tom's Tuesday", Jorge's "Great, thanks Courtney!" thanks, and
    // arranges nothing.
    if reply
        && roles.coverer.is_some()
        && accept.is_some()
        && names_when
        && !subject_names_another_owner(&topic, input.sender, roster)
    {
        return verdict(rule("covered_reply_accepts"), &roles, reasons);
    }
    // 10.
    if need.is_some() || subject_ask.is_some() {
        return verdict(rule("request_cannot_work"), &roles, reasons);
    }
    verdict(rule("other"), &roles, reasons)
}

/// True when the ask cue `ask` (in `open`) stands in a question: its
/// sentence ends with '?'.
/// The text of `open` from the start of the sentence holding `f` to its
/// end ("thurs is sorted, thanks" for the cue "sorted, thanks").
fn sentence_to<'a>(open: &'a str, f: &cues::Fired) -> &'a str {
    let end = f.end.min(open.len());
    let start = f.start.min(end);
    if !open.is_char_boundary(start) || !open.is_char_boundary(end) {
        return "";
    }
    let from = open[..start]
        .rfind(['.', '!', '?', '\n'])
        .map(|i| i + 1)
        .unwrap_or(0);
    &open[from..end]
}

fn asks_as_question(open: &str, ask: &cues::Fired) -> bool {
    let from = ask.start.min(open.len());
    let tail = &open[from..];
    tail.find(['.', '!', '?', '\n'])
        .is_some_and(|i| tail[i..].starts_with('?'))
        || ask.said.trim_end().ends_with('?')
}

/// True when the second-call cue `call` (in `open`) is a statement, not a
/// question, and comes before the first mention of `coverer`.
fn calls_before_naming(open: &str, call: &cues::Fired, coverer: &str, roster: &Roster) -> bool {
    let asks_back = open[call.end..]
        .find(['.', '!', '?', '\n'])
        .is_some_and(|i| open[call.end + i..].starts_with('?'));
    !asks_back
        && mentions(open, roster)
            .iter()
            .find(|m| m.email == coverer)
            .is_some_and(|m| m.start > call.start)
}

/// True when a subject or text opens by calling itself an update ("Update
/// on my Wed and Fri", "Quick update: Mei has Wednesday", "UPDATE - chat
/// Friday"): news of a call already made, whichever thread it comes in, as
/// a reply is. Without it a new thread that says a part is taken and still
/// wants the rest ("Mei is taking Wednesday. Still need Friday if anyone
/// can") could be the first call for the rest; with it the writer says the
/// list was asked before. "update" as a verb ("Update your calendar
/// links") or a word of another ("Updated rota", "Calendar update") is no
/// such news.
fn calls_itself_an_update(text: &str) -> bool {
    static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\W*(?:a\s+)?(?:(?:quick|small|brief)\s+)?update(?:\s*(?:[:;,.!(-]|$)|\s+(?:on|re|about|for|to|from|regarding|of)\b)",
        )
    });
    UPDATE.is_match(text)
}

/// The text without its sentences in which a named colleague takes a
/// shift ("Tom has Wednesday, thank you Tom!"), and those sentences: a
/// second call that says so asks again only for the rest.
pub fn split_taken_parts(text: &str, sender: Option<&str>, roster: &Roster) -> (String, String) {
    let mut kept = String::with_capacity(text.len());
    let mut taken = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest
            .find(['.', '!', '?', '\n'])
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let sentence = &rest[..end];
        // "Mei has thurs -- still nobody for tue 2/9": a dash or semicolon
        // joins the part taken to the rest; only the clause naming the
        // taker is set aside.
        let joined: Vec<&str> = CLAUSE_JOIN.split(sentence).collect();
        let taker_clauses = joined
            .iter()
            .filter(|c| roles(c, sender, roster).coverer_strength >= 3)
            .count();
        if joined.len() > 1 && taker_clauses > 0 && taker_clauses < joined.len() {
            for c in &joined {
                if roles(c, sender, roster).coverer_strength >= 3 {
                    kept.push(' ');
                    taken.push_str(c);
                    taken.push('\n');
                } else {
                    kept.push(' ');
                    kept.push_str(c);
                }
            }
        } else if roles(sentence, sender, roster).coverer_strength >= 3 {
            kept.push(' ');
            if sentence.ends_with('\n') {
                kept.push('\n');
            }
            taken.push_str(sentence);
            taken.push('\n');
        } else {
            // "Thursday's sorted, it's only Tuesday now": a clause that says
            // a day is settled, with no taker named, is a part taken too.
            let mut clauses = sentence;
            while !clauses.is_empty() {
                let cut = clauses
                    .find([',', ';', '(', ')'])
                    .map(|i| i + 1)
                    .unwrap_or(clauses.len());
                let clause = &clauses[..cut];
                if DAY_SETTLED.is_match(clause) {
                    kept.push(' ');
                    taken.push_str(clause);
                    taken.push('\n');
                } else {
                    kept.push_str(clause);
                }
                clauses = &clauses[cut..];
            }
        }
        rest = &rest[end..];
    }
    (kept, taken)
}

/// A dash (" -- ", " - ") or semicolon joining two clauses of a sentence.
static CLAUSE_JOIN: LazyLock<Regex> = LazyLock::new(|| re(r"\s+-{1,2}\s+|;\s*"));

/// A day said to be settled without a taker: "Thursday's sorted", "the
/// Friday is taken care of", "12/17 has been covered".
static DAY_SETTLED: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:(?:",
        weekday_stems!(),
        r")day|",
        weekday_abbrevs!(),
        r"|\d{1,2}/\d{1,2})(?:'s|’s|\s+is|\s+has been|\s+was|\s+got)\s+(?:now\s+|already\s+|all\s+|been\s+)?(?:sorted|covered|taken care of|taken|handled|settled|filled|spoken for|claimed)\b"
    ))
});

/// The roster person a message opens by addressing ("Priya, nobody's
/// free...", "Hi Dana, you're covered"), when not the writer.
pub(super) fn addressed_at_start(
    text: &str,
    sender: Option<&str>,
    roster: &Roster,
) -> Option<String> {
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\W*(?:(?:hi|hey|hello|dear|ok|okay|thanks|thank you)\s+)?([A-Z][A-Za-z.\-]+(?:\s+[A-Z][A-Za-z.\-]+)?)\s*[,:!\-]",
        )
    });
    let first_line = text.trim_start();
    let name = OPENING.captures(first_line)?.get(1)?.as_str();
    let m = mentions(name, roster).into_iter().next()?;
    (Some(m.email.as_str()) != sender).then_some(m.email)
}

/// The roster person a message speaks to: named at its opening ("Priya,
/// nobody's free...") or at the end of a sentence ("I'll be on chat for you
/// at noon, Tom."), not thanked, and not the writer.
fn addressed(text: &str, sender: Option<&str>, roster: &Roster) -> Option<String> {
    addressed_at_start(text, sender, roster)
        .or_else(|| addressed_at_end(text, sender, roster))
        .or_else(|| addressed_opening_a_sentence(text, sender, roster))
        .or_else(|| addressed_after_reassurance(text, sender, roster))
}

/// Words of reassurance spoken to someone just before their name ("I got
/// you Ben,", "no worries Mei,", "np Dana,", "on it Tom.").
static REASSURED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|[^a-z])(?:(?:i\s+)?got\s+(?:you|u|ya|chu)|gotchu|no\s+worries|no\s+problem|np|sure\s+thing|of\s+course|(?:i'm\s+|i\s+am\s+)?on\s+it)\s*,?\s*$",
    )
});

/// The one roster person named after words of reassurance and before a
/// comma or the sentence's end ("I got u Ben, covering friday", "on it
/// mei. ill be there"), not the writer: the person spoken to.
fn addressed_after_reassurance(
    text: &str,
    sender: Option<&str>,
    roster: &Roster,
) -> Option<String> {
    let mut found = mentions(text, roster).into_iter().filter(|m| {
        Some(m.email.as_str()) != sender
            && text[m.end..].starts_with([',', '.', '!'])
            && REASSURED_BEFORE.is_match(&text[..m.start])
    });
    let first = found.next()?;
    found.all(|m| m.email == first.email).then_some(first.email)
}

/// The one roster person named with a comma at the start of a later
/// sentence ("Done. Tom, you're covered."), not the writer. A name
/// opening a list ("Tom, Dana and I") is no address: the comma must be
/// followed by words, not another name.
fn addressed_opening_a_sentence(
    text: &str,
    sender: Option<&str>,
    roster: &Roster,
) -> Option<String> {
    let all = mentions(text, roster);
    let mut found = all.iter().filter(|m| {
        let before = text[..m.start].trim_end();
        let after = &text[m.end..];
        Some(m.email.as_str()) != sender
            && (before.is_empty() || before.ends_with(['.', '!', '?', '\n']))
            && after.starts_with(',')
            && !all.iter().any(|o| o.start > m.end && o.start <= m.end + 3)
            && !after[1..]
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("and ")
    });
    let first = found.next()?;
    found
        .all(|m| m.email == first.email)
        .then(|| first.email.clone())
}

/// The one roster person named after a comma at the end of a sentence
/// ("..., Tom."), not thanked ("thanks, Tom!") and not the writer.
fn addressed_at_end(text: &str, sender: Option<&str>, roster: &Roster) -> Option<String> {
    let mut found = mentions(text, roster).into_iter().filter(|m| {
        let before = text[..m.start].trim_end();
        let after = text[m.end..].trim_start();
        Some(m.email.as_str()) != sender
            && before.ends_with(',')
            && !THANKED.is_match(before)
            && (after.is_empty() || after.starts_with(['.', '!', '?', '\n']))
    });
    let first = found.next()?;
    found.all(|m| m.email == first.email).then_some(first.email)
}

/// "You're covered", "your shift is covered", "Jorge is taking your chat
/// hours today", "Tom will cover for you": the reader is the one whose
/// shift it is.
static YOU_ARE_COVERED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:you'?re|you are|you're all|your (?:shift|slot|\w+ shift) is|consider yourself)\s+(?:all\s+)?(?:covered|set)\b|\b(?:is|are|'s|will|will be|'ll|'ll be|has|have)\s+(?:taking|take|covering|cover|picking up|pick up|grabbing|grab|staffing|working|doing|got)\s+(?:all of |both of |the rest of )?your\b|\b(?:is|are|'s|will|will be|'ll|'ll be)\s+(?:covering|cover|filling in|fill in|subbing|sub|stepping in)\s+for you\b",
    )
});

/// "... has your Tuesday 1/19 shift": the shift is the addressed reader's.
static YOUR_SHIFT: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        concat!(
            r"(?i)\byour\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|slots|hours|",
            weekday_abbrevs_without_weds!(),
            r"|"
        ),
        weekday_names!(),
        r")\b"
    ))
});

/// Which kinds of cue fired, for seeing whether they disagree.
struct Signs {
    ask: bool,
    sick: bool,
    withdrawn: bool,
    withdrawn_cue: Option<&'static str>,
    /// A take-back from the table's strong rows ("never mind", "disregard"),
    /// not a reply's weak "no need" or "thanks anyway".
    strong_withdrawn: bool,
    second_call: bool,
    offer: bool,
    reply: bool,
}

/// Doubts about a decision: cues of another acting kind that the rule
/// order overrode, and a coverer named only by thanks or a greeting.
fn disagreements(kind: Kind, signs: &Signs, roles: &Roles) -> Vec<crate::model::Doubt> {
    use crate::model::Doubt;
    let mut out = Vec::new();
    let mut doubt = |id: &str, what: &str, weight: u8| out.push(Doubt::new(id, what, weight));
    match kind {
        // "Home sick today. Never mind about Friday, I can work it": one
        // message, two intents; which request is taken back is a guess.
        // Feeling better is the usual way a sick notice is taken back.
        Kind::Withdrawn
            if signs.sick
                && !signs.reply
                && signs.withdrawn_cue != Some("withdrawn.feeling_better") =>
        {
            doubt(
                "cues.sick_and_take_back",
                "whether you are out sick or taking a request back",
                50,
            )
        }
        Kind::Sick if signs.withdrawn => doubt(
            "cues.sick_and_can_work",
            "whether you are out sick or can work after all",
            50,
        ),
        // "nvm, found someone. still need cover tues though?" or "Scratch
        // that ... so I still need 12:30-2": a take-back and an ask in one
        // message; which one stands is a guess, and either way the wrong
        // one opens or closes a request.
        Kind::Withdrawn if signs.ask || signs.second_call => doubt(
            "cues.take_back_and_ask",
            "whether you still need cover or are taking the request back",
            50,
        ),
        Kind::CoverageRequest | Kind::SecondCall if signs.strong_withdrawn => doubt(
            "cues.take_back_and_ask",
            "whether you still need cover or are taking the request back",
            50,
        ),
        Kind::Covered if roles.coverer_strength == 1 => doubt(
            "coverer.only_thanked",
            "who is covering (a name was only thanked or greeted)",
            25,
        ),
        Kind::Covered if signs.ask && !signs.reply => doubt(
            "cues.covered_and_ask",
            "whether the shift is covered or still needs someone",
            25,
        ),
        Kind::CoverageRequest if signs.offer && signs.reply => doubt(
            "cues.ask_and_offer",
            "whether you are asking for cover or offering it",
            25,
        ),
        _ => {}
    }
    out
}

fn sick_is_relayed(roles: &Roles, input: &Input) -> bool {
    roles
        .sick_person
        .as_deref()
        .is_some_and(|p| Some(p) != input.sender)
}

#[cfg(test)]
mod update_of_a_call {
    use super::calls_itself_an_update;

    #[test]
    fn a_subject_or_text_opening_as_an_update_is_news_of_a_call() {
        for text in [
            "Update on my Wed and Fri",
            "Quick update: Mei has Wednesday",
            "UPDATE - chat Friday",
            "A brief update re Thursday",
            "small update!",
            "Update: Ben is taking the 12/9 shift.",
            "update",
            "Update to my Friday request",
        ] {
            assert!(calls_itself_an_update(text), "{text:?}");
        }
    }

    #[test]
    fn update_as_a_verb_or_inside_other_words_is_not() {
        for text in [
            "Update your calendar links before Monday",
            "Updated chat rota for spring",
            "Updates to the desk schedule",
            "Calendar update for spring",
            "Please see the update below",
            "Re: Friday shift",
            "Mei is taking my Wednesday shift. Still need Friday.",
        ] {
            assert!(!calls_itself_an_update(text), "{text:?}");
        }
    }
}

#[cfg(test)]
mod rule_order {
    use super::RULES;

    #[test]
    fn rules_are_tried_in_the_order_of_the_table() {
        let src = include_str!("classify.rs");
        let body = &src[src.find("pub fn classify(").expect("classify")..];
        let used: Vec<&str> = body
            .split("rule(\"")
            .skip(1)
            .map(|s| &s[..s.find('"').expect("closing quote")])
            .collect();
        let table: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(used, table);
    }
}

#[cfg(test)]
mod name_word_spans {
    use super::name_words;

    /// The pattern the scan replaced, as the reference.
    fn by_pattern(text: &str) -> Vec<(usize, usize, &str)> {
        let pattern = regex::Regex::new(
            r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}|[A-Za-z][A-Za-z\-]*(?:'s\b|s'(?:\s|$))?",
        )
        .expect("valid regex");
        pattern
            .find_iter(text)
            .map(|m| (m.start(), m.end(), m.as_str()))
            .collect()
    }

    #[test]
    fn the_words_names_are_read_from_are_the_patterns() {
        for text in [
            "",
            "Thanks Mei! mchen@example.edu can take it.",
            "Mei's shift, the Jones' desk, Chen's: Mei'sé Mei's_ Mei's1 Mei'S",
            "mail a.b-c+d%e_f@x-y.example.co.uk. or x@y.c, x@y.com.au, x@.co x@y..ab",
            "1234@ab 12.34@a.bc @x.com x@ y@z e.e.cummings@poetry.org!!",
            "Mei's@x.com Jones'@y.org can't, won't, O'Brien, re-open --Mei",
            "José and Renée's shifts; Zoë's; naïve; 2nd 3rd ½ Dana-Whitfield",
            "foo.bar@baz.qux123 foo@bar.c0m foo@bar.com1 foo@b-ar.COM",
            "\u{2019}s Mei\u{2019}s  tab\tMei's\nend",
        ] {
            assert_eq!(name_words(text), by_pattern(text), "in {text:?}");
        }
    }

    #[test]
    fn every_text_of_the_corpus_gives_the_patterns_words() {
        let mut read = 0;
        for (path, d) in crate::read::decode::corpus_decoded() {
            for text in [&d.body, &d.subject, &super::plain(&d.body)] {
                assert_eq!(name_words(text), by_pattern(text), "{path:?}");
            }
            read += 1;
        }
        assert!(read > 100, "only {read} messages read");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_ascii_text_is_made_plain_byte_by_byte_as_character_by_character() {
        // Every ASCII byte, alone and between words, at the ends and in
        // runs, and mail-like texts with tabs, CRLF, blank lines and
        // trailing spaces.
        let mut texts: Vec<String> = (0u8..128)
            .flat_map(|b| {
                let c = char::from(b);
                [
                    c.to_string(),
                    format!("a{c}b"),
                    format!("{c}{c} a {c}\n{c}b{c}{c}"),
                ]
            })
            .collect();
        texts.extend(
            [
                "",
                "   ",
                "\n\n",
                "Hi all,\r\n\r\nCan someone take Fri 1/8 2-3?  \r\nThanks\t\tSam \n",
                " \x0b\x0c lead and trail \t\n ",
                "`quoted` words\n \n  \n end",
            ]
            .map(String::from),
        );
        for t in &texts {
            assert!(t.is_ascii());
            assert_eq!(super::plain_ascii(t), super::plain_chars(t), "{t:?}");
        }
    }

    #[test]
    fn sentences_naming_days_nobody_is_asked_to_cover_are_set_aside() {
        for (text, gone) in [
            ("Can someone take Fri 1/8?\nHours: Tuesdays 1-3", "Tuesdays"),
            (
                "Can someone take Fri 1/8?\n\nSarah\nOffice hours: M-F 8-4",
                "M-F",
            ),
            (
                "The new discovery layer launches Monday. Can someone take Fri 1/8?",
                "Monday",
            ),
            (
                "Can someone take Fri 1/8? The upgrade rolls out Thursday.",
                "Thursday",
            ),
            (
                "Please return the survey by the end of next week. Also, can someone take Fri 1/8?",
                "next week",
            ),
        ] {
            let kept = without_unasked(text);
            assert!(!kept.contains(gone), "{text:?} kept {kept:?}");
            assert!(kept.contains("Fri 1/8"), "{text:?} kept {kept:?}");
        }
        for text in [
            "My office hours moved to Wednesday this week, so could someone take my shift?",
            "Could someone take my hours Mon-Wed next week?",
            "I live on campus Mondays and can cover.",
            "The launch party is Friday.",
            "Could someone cover my Thursday by the end of the day? I mean the 1/14 one.",
        ] {
            assert_eq!(without_unasked(text), text);
        }
    }

    use super::*;

    #[test]
    fn a_favour_promised_back_is_no_day_asked() {
        for (text, gone) in [
            (
                "Could someone take my Monday 3/1? In exchange I'd happily do one of your Fridays, say 3/12.",
                "3/12",
            ),
            (
                "Need cover for Wed 1/13 10-12. I can return the favour on the 20th.",
                "20th",
            ),
        ] {
            let kept = without_favour_back(text);
            assert!(!kept.contains(gone), "{text:?} kept {kept:?}");
        }
        for text in [
            "Could you take my Thursday in return for my Friday?",
            "I gave Ben my Tuesday in return last month. Can someone take my Thursday 12/17?",
        ] {
            assert_eq!(without_favour_back(text), text);
        }
    }

    #[test]
    fn a_day_meant_replaces_the_one_other_weekday_named_before_it() {
        for (text, want) in [
            (
                "Can anyone take my Monday shift next week? Sorry, I meant Tuesday.",
                "Can anyone take my Tuesday shift next week? Sorry,  ",
            ),
            (
                "need someone for Fri. oops, thursday not friday",
                "need someone for thursday.  ",
            ),
        ] {
            assert_eq!(with_meant_day(text).as_deref(), Some(want), "{text:?}");
        }
        // Which day is corrected is not said (two days before it), a date
        // in figures is named, "I meant to" corrects no day, the day ruled
        // out is not the one named, or a day is named after it: no change.
        for text in [
            "Could someone take my Monday or Wednesday? I meant Friday.",
            "Can someone cover Monday 12/14? I meant Tuesday.",
            "I meant to ask: can someone take my Monday?",
            "Need my Monday covered. I meant Tuesday, not Wednesday.",
            "Need Monday covered. I meant Tuesday. Wednesday is fine.",
            "Can someone take my Tuesday? I meant Tuesday.",
        ] {
            assert_eq!(with_meant_day(text), None, "{text:?}");
        }
    }

    #[test]
    fn days_ruled_out_beside_the_meant_one_are_set_aside() {
        for (text, gone, stays) in [
            (
                "Ben is covering 2/3 - not 2/10 - thanks Ben.",
                "2/10",
                "2/3",
            ),
            (
                "Oops, I typed the 4th in error. It's Fri 12/11 I need covered.",
                "4th",
                "Fri 12/11",
            ),
            (
                "Please take my Thu 1/7. Monday I'll be on chat as normal.",
                "Monday",
                "Thu 1/7",
            ),
            (
                "Need my Friday 2-3:30... not this coming Friday, the 12/18 one.",
                "coming Friday",
                "12/18",
            ),
            (
                "Can someone take Tuesday 1/12? Not next Tuesday, I mean.",
                "next Tuesday",
                "Tuesday 1/12",
            ),
        ] {
            let kept = without_ruled_out(text);
            assert!(!kept.contains(gone), "{text:?} kept {kept:?}");
            assert!(kept.contains(stays), "{text:?} lost {stays:?}: {kept:?}");
        }
        // A day ruled out right after the day meant is left for the dates,
        // which drop it wherever the text names it.
        for text in [
            "Could someone take Wednesday the 9th, not Monday?",
            "I'm not coming in Tuesday, could someone cover?",
            "Can anyone do Monday 12/7? Not sure I'll make it.",
            "I will be in as usual Monday, could someone cover my Tuesday instead?",
        ] {
            assert_eq!(without_ruled_out(text).trim(), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn a_day_right_before_a_ruled_out_one_is_read_from_the_last_word_alone() {
        // The scan back stops where a word boundary is the same as in the
        // whole text: after a character that is no word character.
        assert_eq!(last_word_and_after("could you take the 17th"), "17th");
        assert_eq!(last_word_and_after("the 12/17 \u{a0} "), "12/17 \u{a0} ");
        assert_eq!(last_word_and_after("Renée: Thursday"), "Thursday");
        assert_eq!(last_word_and_after("René's Thursdayé"), "Thursdayé");
        assert_eq!(last_word_and_after("at 5:"), "");
        assert_eq!(last_word_and_after(""), "");
        // The whitespace skipped is the whitespace the patterns' `\s`
        // matches.
        let space = regex::Regex::new(r"^\s$").expect("valid regex");
        for c in (0..=0x3000u32).filter_map(char::from_u32) {
            assert_eq!(
                space.is_match(c.encode_utf8(&mut [0; 4])),
                c.is_whitespace(),
                "{c:?}"
            );
        }
        // A day glued to the word before it is no day before the ruled-out
        // one, however long the text before it.
        let long = "Could someone take my shift this week please. ".repeat(200);
        for (text, kept) in [
            (format!("{long}Wednesday the 9th, not Monday?"), true),
            (format!("{long}Renée's Wednesday, not Monday?"), true),
            (format!("{long}Wednesdayé, not Monday?"), false),
            (format!("{long}noWednesday, not Monday?"), false),
        ] {
            let read = without_ruled_out(&text);
            assert_eq!(read.contains("not Monday"), kept, "{}", &text[long.len()..]);
        }
    }

    fn roster() -> Roster {
        let m = |name: &str, email: &str, ini: &str, alias: &str| StaffMember {
            name: name.into(),
            email: email.into(),
            initials: ini.into(),
            aliases: vec![alias.into()],
        };
        Roster {
            members: vec![
                m(
                    "Courtney Crummett",
                    "ccrummett@example.edu",
                    "CC",
                    "Courtney",
                ),
                m("Angie Lopez", "alopez@example.edu", "AL", "Angie"),
                m("Ben Okafor", "bokafor@example.edu", "BO", "Ben"),
                m("Priya Raman", "praman@example.edu", "PR", "Priya"),
                m("Tom Becker", "tbecker@example.edu", "TB", "Tommy"),
                m("Mei Chen", "mchen@example.edu", "MC", "Mei"),
                m("Jorge Alvarez", "jalvarez@example.edu", "JA", "Jorge"),
                m("Dana Whitfield", "dwhitfield@example.edu", "DW", "Dana"),
                m("Sarah Kim", "skim@example.edu", "SK", "Sarah"),
            ],
        }
    }

    fn check(subject: &str, text: &str, sender: &str, kind: Kind) -> Verdict {
        let roster = roster();
        let v = classify(&Input {
            subject,
            text,
            sender: Some(sender),
            roster: &roster,
        });
        assert_eq!(v.kind, kind, "{subject:?} / {text:?}\n{:#?}", v.reasons);
        v
    }

    #[test]
    fn subjects_lose_their_prefixes() {
        assert_eq!(
            subject_topic("RE: Re: [Ask-Chat] Chat coverage Tues 11/10?"),
            "Chat coverage Tues 11/10?"
        );
        assert_eq!(
            subject_topic("Second call: 2:30-3:30 on Tues 11/17"),
            "2:30-3:30 on Tues 11/17"
        );
        assert_eq!(
            subject_topic("Fwd: Still need coverage: Fri 12/4"),
            "Fri 12/4"
        );
        assert!(is_reply("RE: x") && is_reply("[list] Re: x") && !is_reply("Request"));
    }

    #[test]
    fn requests() {
        check(
            "Chat coverage Tues 11/10?",
            "Hi all,\n\nCould someone cover my Tuesday 11/10 chat shift? I'm running a workshop.\n\nThanks,\nMei",
            "mchen@example.edu",
            Kind::CoverageRequest,
        );
        check(
            "Coverage",
            "I need to leave early on Tuesday 11/17. Could someone cover 2:30-3:30? I can do the first half hour myself.",
            "jalvarez@example.edu",
            Kind::CoverageRequest,
        );
        check(
            "Friday",
            "Is anyone able to take my Friday 10-12? I have a dentist appointment.",
            "dwhitfield@example.edu",
            Kind::CoverageRequest,
        );
        check(
            "Swap?",
            "Would anyone be willing to swap my Thursday 12-2 for a Monday?",
            "tbecker@example.edu",
            Kind::CoverageRequest,
        );
        check(
            "Conflict on 12/8",
            "I have a conflict with my chat shift on 12/8 - a search committee meeting.",
            "praman@example.edu",
            Kind::CoverageRequest,
        );
        check(
            "Need coverage Wed 4/14 10-12",
            "I'll be at a training.",
            "dwhitfield@example.edu",
            Kind::CoverageRequest,
        );
    }

    #[test]
    fn offers_and_their_negations() {
        check(
            "Re: Chat coverage Tues 11/10?",
            "Hi Mei,\n\nI'm free then and happy to do it.\n\nDana",
            "dwhitfield@example.edu",
            Kind::Offer,
        );
        check(
            "Re: Second call: 2:30-3:30 on Tues 11/17",
            "Jorge, put me down for 2:30-3:30 on 11/17.\n\nTom",
            "tbecker@example.edu",
            Kind::Offer,
        );
        check(
            "Re: coverage",
            "If you still need someone, I can take it.",
            "tbecker@example.edu",
            Kind::Offer,
        );
        check(
            "Re: coverage",
            "Sorry, I can't do Tuesday, I'm teaching.",
            "tbecker@example.edu",
            Kind::Other,
        );
    }

    #[test]
    fn confirmations_name_the_coverer() {
        let v = check(
            "RE: Chat coverage Tues 11/10?",
            "Hi all,\n\nAll set: Dana's taking my Tuesday 11/10 shift. Thank you, Dana!\n\nMei",
            "mchen@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("dwhitfield@example.edu"));
        assert_eq!(v.on_behalf_of, None);
        let v = check(
            "RE: Home sick",
            "Quick update: Priya is taking Ben's chat shift this afternoon. Thank you, Priya!\n\nCourtney",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("praman@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
        let v = check(
            "Re: Fri",
            "Thanks so much, Tom, for covering!",
            "dwhitfield@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("tbecker@example.edu"));
        let v = check(
            "Re: Fri",
            "Ben is out sick today; Priya will cover his shift.",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("praman@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
    }

    #[test]
    fn a_colleague_who_makes_helps_with_or_has_the_span_covers_it() {
        let roster = roster();
        for text in [
            "Tom makes my desk shift on Friday, thanks Tom.",
            "Dana will help me on the Monday 3/8, so that one is fine.",
            "Mei has 3-4 on Tue 2/2 for you.",
        ] {
            let r = roles(text, Some("bokafor@example.edu"), &roster);
            assert_eq!(r.coverer_strength, 3, "{text:?}: {r:#?}");
        }
        // Help with something else, or a meeting at a time, takes nothing.
        for text in [
            "Dana will help me with the Monday training.",
            "Mei has 3-4 of us in her workshop.",
            "Tom makes his famous chili on Fridays.",
        ] {
            let r = roles(text, Some("bokafor@example.edu"), &roster);
            assert!(r.coverer_strength < 3, "{text:?}: {r:#?}");
        }
    }

    #[test]
    fn an_alias_that_has_got_a_named_day_covers_it() {
        let roster = roster();
        for text in [
            "Tommy's got my MLK Monday shift, phew.",
            "Tommy has my usual Thursday.",
            "Mei's got my Presidents Day Monday.",
        ] {
            let r = roles(text, Some("bokafor@example.edu"), &roster);
            assert!(r.coverer.is_some(), "{text:?}: {r:#?}");
            assert_eq!(r.coverer_strength, 3, "{text:?}: {r:#?}");
        }
        // What someone has on a day is no shift taken.
        for text in [
            "Tommy has his dentist appointment Monday.",
            "Mei's got her Thanksgiving Thursday off.",
        ] {
            let r = roles(text, Some("bokafor@example.edu"), &roster);
            assert!(r.coverer_strength < 3, "{text:?}: {r:#?}");
        }
    }

    #[test]
    fn a_first_name_with_the_initial_of_the_last_name_names_that_person() {
        let roster = roster();
        let v = check(
            "Re: Thursday 12/10",
            "Mei C. has my Thursday 12/10, thanks all.",
            "tbecker@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("mchen@example.edu"));
        let r = roles(
            "Jorge A is taking it. Thank you!",
            Some("dwhitfield@example.edu"),
            &roster,
        );
        assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
        // Another Mei, not the roster's Mei Chen.
        let ms = mentions("Mei K. from IT will look at the widget.", &roster);
        assert!(ms.is_empty(), "{ms:?}");
        // The initial ends the sentence: the next one is not the name's.
        let ms = mentions("Thanks, Mei C. See you Friday.", &roster);
        assert_eq!(ms.len(), 1);
        assert_eq!(
            &"Thanks, Mei C. See you Friday."[ms[0].start..ms[0].end],
            "Mei C"
        );
    }

    #[test]
    fn a_shift_named_by_a_colleagues_start_time_is_theirs() {
        let roster = roster();
        for text in [
            "I'm covering Angie's 12:00 today, all sorted.",
            "Mei picked up Sarah's 2pm on Thursday.",
            "Tom has Jorge's 3:30.",
        ] {
            let owner = match text {
                t if t.contains("Angie") => "alopez@example.edu",
                t if t.contains("Sarah") => "skim@example.edu",
                _ => "jalvarez@example.edu",
            };
            let r = roles(text, Some("mchen@example.edu"), &roster);
            assert_eq!(r.owner.as_deref(), Some(owner), "{text:?}: {r:#?}");
        }
        // A start time before a meeting or a class is no shift.
        for text in [
            "Tom is covering; Angie's 12:00 meeting ran long.",
            "Sarah's 2pm class is cancelled, so she's taking my shift.",
        ] {
            let r = roles(text, Some("mchen@example.edu"), &roster);
            assert_ne!(r.owner.as_deref(), Some("alopez@example.edu"), "{text:?}");
            assert_ne!(r.owner.as_deref(), Some("skim@example.edu"), "{text:?}");
        }
    }

    /// `parse --explain` shows these reasons: every kind's cue is named by
    /// its id in the table, subject cues as such.
    #[test]
    fn the_reasons_name_the_cue_ids_of_every_kind() {
        for (subject, text, kind, id) in [
            (
                "Re: Friday",
                "Happy to take it, Tom.",
                Kind::Offer,
                "cue offer.happy_to",
            ),
            (
                "Re: Friday",
                "Good news: Friday's been covered.",
                Kind::Covered,
                "cue covered.is_covered",
            ),
            (
                "Re: Friday 12/11",
                "Still hoping someone can take my Friday shift.",
                Kind::SecondCall,
                "cue second_call.still_need",
            ),
            (
                "Final call: Friday 12/11",
                "Could anyone take my Friday shift?",
                Kind::SecondCall,
                "cue subject.second_call.numbered in the subject",
            ),
            (
                "Chat hours",
                "From now on I'll be on Thursdays instead of Fridays.",
                Kind::ScheduleChange,
                "cue schedule_change.going_forward",
            ),
        ] {
            let v = check(subject, text, "tbecker@example.edu", kind);
            assert!(
                v.reasons.iter().any(|r| r.starts_with(id)),
                "{id} not among {:#?}",
                v.reasons
            );
        }
    }

    #[test]
    fn withdrawals_beat_thanks() {
        check(
            "RE: Second call",
            "Good news: my appointment moved to the morning, so I can work my whole shift on 11/17 after all. Thanks anyway, Tom!\n\nJorge",
            "jalvarez@example.edu",
            Kind::Withdrawn,
        );
        check(
            "Re: coverage",
            "Never mind - I no longer need coverage.",
            "jalvarez@example.edu",
            Kind::Withdrawn,
        );
    }

    #[test]
    fn sick_notices() {
        check(
            "Home sick",
            "Home sick today, can't do my chat shift. Sorry all.\n\nBen",
            "bokafor@example.edu",
            Kind::Sick,
        );
        check(
            "Sick tomorrow",
            "Hi all, I've come down with a fever and I'm staying home tomorrow.",
            "bokafor@example.edu",
            Kind::Sick,
        );
        let v = check(
            "Ben",
            "Ben called in sick this morning, can anyone cover 2-3:30?",
            "ccrummett@example.edu",
            Kind::Sick,
        );
        assert_eq!(v.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
        check(
            "Re: Home sick",
            "Feel better, Ben! I can take it.",
            "praman@example.edu",
            Kind::Offer,
        );
    }

    #[test]
    fn second_calls() {
        check(
            "Second call: 2:30-3:30 on Tues 11/17",
            "Trying again: can anyone cover 2:30-3:30 on Tues 11/17?",
            "jalvarez@example.edu",
            Kind::SecondCall,
        );
        check(
            "Re: Chat coverage Tues 11/10?",
            "Still looking for someone for this one!",
            "mchen@example.edu",
            Kind::SecondCall,
        );
        check(
            "Re: Chat coverage Tues 11/10?",
            "Hi all,\nAnyone?\nMei",
            "mchen@example.edu",
            Kind::SecondCall,
        );
    }

    #[test]
    fn schedule_changes_and_other() {
        check(
            "My chat shift is moving (permanent)",
            "Courtney signed off on this: starting March 1, Ben and I are permanently swapping chat shifts.",
            "skim@example.edu",
            Kind::ScheduleChange,
        );
        check(
            "October chat stats",
            "October by the numbers: 377 chats, a median wait of 41 seconds, and our busiest stretch was Wednesday afternoons. Thanks, everyone!",
            "ccrummett@example.edu",
            Kind::Other,
        );
        check(
            "Question about the chat widget",
            "Who should I talk to about linking to your chat service?",
            "sortiz@example.org",
            Kind::Other,
        );
    }

    #[test]
    fn notices_about_coverage_ask_nothing() {
        // The coordinator tells readers what to do about their own needs.
        check(
            "Finals: chat coverage over the next two weeks",
            "Hi all,\n\nFinals start Monday and the chat queue always doubles. If you need coverage in the next two weeks, please post to the list as early as you can so we are never short.\n\nCourtney",
            "ccrummett@example.edu",
            Kind::Other,
        );
        // "No need to find coverage" in a new notice takes nothing back.
        check(
            "Early close Friday 12/11",
            "Reminder: the library closes at 4:30 on Friday 12/11 for the staff meeting, so chat ends at 4:30 that day too. No need to find coverage for the last half hour.",
            "ccrummett@example.edu",
            Kind::Other,
        );
        check(
            "chat on Black Friday?",
            "Does anyone know if we're staffing chat the Friday after Thanksgiving? I'm scheduled 2-3:30.",
            "alopez@example.edu",
            Kind::Other,
        );
        check(
            "Fwd: ILL question from a patron",
            "Can someone who knows ILL answer this one?",
            "mchen@example.edu",
            Kind::Other,
        );
        check(
            "Reminder: sick days and chat",
            "If you're sick, you don't need to find your own coverage. Just email the list.",
            "ccrummett@example.edu",
            Kind::Other,
        );
    }

    #[test]
    fn fallbacks_sweeteners_and_the_writers_own_part() {
        // A relayed sick notice with a fallback offer stays a sick notice.
        let v = check(
            "Ben out sick today",
            "Ben just texted me that he's sick. His chat shift is 12-2 -- can anyone jump on? I'll cover it myself if no one can.",
            "ccrummett@example.edu",
            Kind::Sick,
        );
        assert_eq!(v.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
        check(
            "STILL NEED COVERAGE: Mon 12/14 + Wed 12/16",
            "Nobody yet for these. I can trade for anything in January.",
            "bokafor@example.edu",
            Kind::SecondCall,
        );
        check(
            "Re: Chat shift next Wednesday",
            "Priya, I can do 2-3 on the 9th if someone else can take the last half hour.",
            "tbecker@example.edu",
            Kind::Offer,
        );
        let v = check(
            "Ben's Wed 1/13 shift",
            "I've got Ben's Wednesday 1/13 shift -- just confirmed with him.",
            "alopez@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("alopez@example.edu"));
        let v = check(
            "RE: flu",
            "Sarah's got Dana's 10-12 this morning, thanks Sarah!",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("skim@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("dwhitfield@example.edu"));
    }

    #[test]
    fn questions_and_notices_with_shift_words_ask_nothing() {
        check(
            "MLK Day - are we open?",
            "Is chat open on MLK Day (Monday 1/18)? If so, do those of us with Monday shifts need to find coverage, or is the service desk taking chat that day?",
            "alopez@example.edu",
            Kind::Other,
        );
        check(
            "Who's covering Ben today?",
            "The calendar still shows Ben on chat for 2-3:30 today. Just want to make sure someone's on.",
            "mchen@example.edu",
            Kind::Other,
        );
        check(
            "Anyone else seeing the chat widget lag?",
            "Is it just me or is the widget really slow to load this afternoon?",
            "tbecker@example.edu",
            Kind::Other,
        );
        // Past help, thanked in a new thread that names no day.
        check(
            "Thank you, chat team!",
            "Huge thanks to Tom, who covered five extra shifts this semester.",
            "ccrummett@example.edu",
            Kind::Other,
        );
        // An apology for asking often, and the service being open, are no
        // second call.
        check(
            "Coverage needed - Monday, October 5",
            "I'm so sorry to be asking again so soon. I need someone to cover my chat shift that afternoon (3:30-5). Chat is still open those days.",
            "praman@example.edu",
            Kind::CoverageRequest,
        );
        // "Good Friday" is no lasting change.
        check(
            "April chat schedule",
            "Note that chat closes at 3 on Friday 4/2 for Good Friday.",
            "ccrummett@example.edu",
            Kind::Other,
        );
    }

    #[test]
    fn shifts_wanted_covered_are_not_covered() {
        check(
            "Chat coverage during MLA?",
            "I'll be at the MLA conference in May and will need my chat shifts covered while I'm away. Any takers?",
            "mchen@example.edu",
            Kind::CoverageRequest,
        );
        check(
            "Ben out this week",
            "Ben is out sick this week. I've arranged coverage for all his shifts, so nothing to do here.",
            "ccrummett@example.edu",
            Kind::Covered,
        );
    }

    #[test]
    fn general_offers_and_lasting_drops() {
        check(
            "Extra availability in May",
            "If anyone needs a shift covered, I'm happy to help, just ask.",
            "jalvarez@example.edu",
            Kind::Offer,
        );
        check(
            "Spring: dropping my Monday shift",
            "Starting in January I'm dropping my Monday 3:30-5 chat shift for good.",
            "praman@example.edu",
            Kind::ScheduleChange,
        );
    }

    #[test]
    fn confirmations_found_in_more_words() {
        let v = check(
            "RE: 2nd request: Coverage for ACRL travel",
            "Priya has 3/15, thank you Priya!",
            "alopez@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("praman@example.edu"));
        let v = check(
            "Re: Need coverage for 3 chat shifts",
            "Thanks Ben! Ben has my Wednesday 4/14 shift. Still looking for the other two.",
            "praman@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("bokafor@example.edu"));
        let v = check(
            "RE: out sick",
            "Sarah has offered to stay on through Jorge's shift this afternoon - thank you Sarah!",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("skim@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
        let v = check(
            "RE: Still need coverage: Fri 1/29",
            "DW has Ben's Friday - thanks Dana!",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
        // Named only at the start, Tom is whose shift it is.
        let v = check(
            "RE: April chat schedule",
            "Tom and I sorted it out - I'm covering his Tuesday 4/13 shift.",
            "jalvarez@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("jalvarez@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("tbecker@example.edu"));
    }

    #[test]
    fn an_ask_wrapped_over_two_lines_is_set_aside_whole() {
        let kept = without_asks(
            "Mei has my Monday 2/1, thanks!\nStill looking for someone for Friday\n2/5 2-3:30.\nBen",
        );
        assert!(kept.contains("Monday 2/1"), "{kept:?}");
        assert!(!kept.contains("2/5"), "{kept:?}");
        assert!(kept.contains("Ben"), "{kept:?}");
        // A new line opening with a capital is a sentence of its own.
        let kept = without_asks("Can anyone take Friday\nMonday 2/1 is taken by Mei.");
        assert!(kept.contains("Monday 2/1"), "{kept:?}");
    }

    #[test]
    fn replies_in_a_second_call_thread_and_partial_offers() {
        check(
            "RE: Swap? Tue 11/3 for any Thursday",
            "Tom, I can do 10-11 on 11/3 but I teach at 11:15. Could someone else take 11-12?",
            "mchen@example.edu",
            Kind::Offer,
        );
        assert_eq!(
            without_asks("Priya is taking Wed 11/25. Still need Fri 11/27 if anyone can help.")
                .trim(),
            "Priya is taking Wed 11/25."
        );
    }

    #[test]
    fn names_need_capitals_and_initials_need_all_caps() {
        let r = roster();
        let ms = mentions(
            "will al cover? AL will. Tom's shift, Dana Whitfield's too, mchen@example.edu",
            &r,
        );
        let emails: Vec<&str> = ms.iter().map(|m| m.email.as_str()).collect();
        assert_eq!(
            emails,
            [
                "alopez@example.edu",
                "tbecker@example.edu",
                "dwhitfield@example.edu",
                "mchen@example.edu"
            ]
        );
    }

    #[test]
    fn notices_cases_and_trade_backs_from_the_third_round() {
        let cc = "ccrummett@example.edu";
        // A policy about anyone being sick is no sick notice, nor an offer.
        check(
            "Finals week reminders",
            "Please double-check your shifts for 12/14-12/18. If someone is out sick, I'll cover what I can.",
            cc,
            Kind::Other,
        );
        check(
            "Winter break chat hours",
            "If you have a shift the week of 1/4 and need coverage, please post to the list by 12/18.",
            cc,
            Kind::Other,
        );
        check(
            "reminder: coverage requests",
            "Please post coverage requests a week ahead, and reply-all when your shift is covered.",
            cc,
            Kind::Other,
        );
        // "no need" from someone who speaks of no shift of their own.
        check(
            "RE: MLK Day?",
            "No, we're closed on MLK Day, so no need to find coverage for Monday.",
            cc,
            Kind::Other,
        );
        let v = check(
            "Friday staffing",
            "Angie has Friday off, but chat is closed Friday 11/27 anyway.",
            cc,
            Kind::Other,
        );
        assert_eq!(v.coverer, None);
        // A run-on condition ends where the writer's own clause starts.
        check(
            "Available in January",
            "If anyone needs a shift covered I'm happy to help.",
            "dwhitfield@example.edu",
            Kind::Offer,
        );
        let v = check(
            "Ben's Wednesday 2/10",
            "Confirmed with Ben -- I'm covering his Wednesday 2/10 shift, and he'll take one of mine later.",
            "praman@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("praman@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
        let v = check(
            "Coverage for Angie",
            "Angie is on leave. We need coverage for her Mon 3/1, Wed 3/3 and Fri 3/5 shifts.",
            cc,
            Kind::CoverageRequest,
        );
        assert_eq!(v.on_behalf_of.as_deref(), Some("alopez@example.edu"));
        assert_eq!(
            without_own_part("Could someone cover 11-12? I'll do 10-11.").trim(),
            "Could someone cover 11-12?"
        );
    }

    #[test]
    fn fourth_round_rules() {
        // A flu shot is prevention; the writer is not sick.
        check(
            "Coverage Monday 11/2",
            "Can someone cover my Monday 11/2 shift? 3:30-5. I have a flu shot clinic thing.",
            "praman@example.edu",
            Kind::CoverageRequest,
        );
        // Willing to trade back, in a new call: still a request.
        check(
            "Coverage needed Mon 12/14 12-2",
            "Anyone? Happy to trade.",
            "alopez@example.edu",
            Kind::CoverageRequest,
        );
        // ... but in a reply, the same words offer.
        check(
            "Re: Coverage needed Mon 12/14 12-2",
            "Happy to trade with you!",
            "praman@example.edu",
            Kind::Offer,
        );
        // "Just confirm and it's yours" waits for the requester.
        let v = check(
            "Re: next tues",
            "Mei, I can take your Tuesday shift. Just confirm and it's yours.",
            "bokafor@example.edu",
            Kind::Offer,
        );
        assert_eq!(v.coverer, None);
        // A coverer named with their address in brackets.
        let v = check(
            "RE: SECOND CALL - Tues 12/15 10-12",
            "Sarah Kim (skim@example.edu) has kindly agreed to cover my Tuesday 12/15 shift.",
            "tbecker@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("skim@example.edu"));
        let v = check(
            "RE: Dana out sick today",
            "Mei jumped in for Dana this morning. Thank you, Mei!",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("mchen@example.edu"));
        // An impersonal take-back answers its thread...
        check(
            "Re: Coverage needed Mon 12/14 12-2",
            "Not needed anymore, thanks all",
            "alopez@example.edu",
            Kind::Withdrawn,
        );
        // ... but not in a new message, and not mid-sentence.
        check(
            "Holiday hours",
            "Chat is closed 12/24-1/1, so coverage is not needed anymore for those days.",
            "ccrummett@example.edu",
            Kind::Other,
        );
        // Thanks for a shift already worked, whatever day it names.
        check(
            "thanks Jorge",
            "Huge thanks to Jorge for jumping in on Tuesday when I was sick. You're the best!",
            "mchen@example.edu",
            Kind::Other,
        );
        let v = check(
            "Re: next tues",
            "Thanks Ben for covering my Tuesday shift next week!",
            "mchen@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("bokafor@example.edu"));
        // Missing one's shift, and a polite conditional ask.
        check(
            "Wed 12/16",
            "I'm going to miss my Wed 12/16 chat shift (conference). Would appreciate it if someone could step in.",
            "bokafor@example.edu",
            Kind::CoverageRequest,
        );
        // The coordinator will find someone: no one is asked.
        check(
            "reminder re: coverage requests",
            "Please post coverage requests a week ahead, and if you're out sick, cc me so I can find someone for your shift.",
            "ccrummett@example.edu",
            Kind::Other,
        );
    }

    #[test]
    fn fifth_round_rules() {
        // A favour promised back is no offer: the subject's call stands.
        check(
            "Coverage request - Wednesday 12/16 (2-3:30)",
            "My appointment falls on my Wednesday 12/16 shift. I'm happy to take one of your shifts in January in return.",
            "praman@example.edu",
            Kind::CoverageRequest,
        );
        // Logging in for a late colleague is cover.
        check(
            "train delayed",
            "can someone log in to chat for me at 2 till I arrive?",
            "skim@example.edu",
            Kind::CoverageRequest,
        );
        // A survey's "please take 5 minutes" asks for no shift.
        check(
            "Library staff survey",
            "Please take 5 minutes to tell us about your chat shifts. The survey closes Friday 1/29.",
            "assessment@example.edu",
            Kind::Other,
        );
        // The coordinator telling readers to post early asks nothing herself.
        check(
            "Finals week chat hours",
            "If you need coverage during finals please post to the list early so we have time to find someone.",
            "ccrummett@example.edu",
            Kind::Other,
        );
        // A reply under "Reminder:" that asks is a first call.
        check(
            "Re: reminder: please post coverage requests a week ahead",
            "Ha, on that note -- can someone cover my Thurs 3/18 2-3:30?",
            "skim@example.edu",
            Kind::CoverageRequest,
        );
        // A colleague's regular shift that moves is a schedule change.
        check(
            "Schedule change starting February",
            "Starting February 1, Sarah's regular Thursday chat shift moves to Wednesdays 10-12, and Dana will pick up Thursdays 2-3:30.",
            "ccrummett@example.edu",
            Kind::ScheduleChange,
        );
        // Relayed by family, illness told by pronoun.
        let v = check(
            "Jorge - sick today",
            "This is Jorge's wife. He asked me to let you know he is sick and can't come in today.",
            "maria@example.com",
            Kind::Sick,
        );
        assert_eq!(v.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
        // The coordinator stepping in herself confirms.
        let v = check(
            "Re: Angie out sick",
            "Update: I'll cover Angie's shift myself today.",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("ccrummett@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("alopez@example.edu"));
        // The person addressed in a relayed confirmation owns the shift.
        let v = check(
            "Re: Thursday 2/18",
            "Angie said she'll cover it, Mei. Thanks Angie!",
            "ccrummett@example.edu",
            Kind::Covered,
        );
        assert_eq!(v.coverer.as_deref(), Some("alopez@example.edu"));
        assert_eq!(v.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    }

    #[test]
    fn a_part_said_to_be_left_open_is_set_aside_from_what_is_taken() {
        assert_eq!(
            without_asks("Mei has 10-11 on Friday 3/5. That leaves 11-12 open for anyone.").trim(),
            "Mei has 10-11 on Friday 3/5."
        );
        assert_eq!(
            without_asks(
                "Mei has 10-11 on Friday 3/5. That leaves 11-12 open, if someone can take it."
            )
            .trim(),
            "Mei has 10-11 on Friday 3/5."
        );
        assert_eq!(
            without_asks("Tom took Monday 3/1. The 3/3 shift remains uncovered.").trim(),
            "Tom took Monday 3/1."
        );
        // Wrapped before a bracketed date.
        assert_eq!(
            without_asks(
                "Tom took Monday (3/1), thanks Tom! Wednesday\n(3/3) is still open though."
            )
            .trim(),
            "Tom took Monday (3/1), thanks Tom!"
        );
        assert_eq!(
            without_asks("Tom took Monday 3/1. Thanks for leaving the door open.").trim(),
            "Tom took Monday 3/1. Thanks for leaving the door open."
        );
    }

    #[test]
    fn clauses_set_aside_for_shifts() {
        assert!(
            !without_covering_back("he's doing my Tue 3/2 and I'm doing his Thu 3/4.")
                .contains("3/4")
        );
        let kept = without_asks("i can cover 2-3 tomorrow, can someone else do 3-3:30?");
        assert!(
            kept.contains("2-3 tomorrow") && !kept.contains("3:30"),
            "{kept:?}"
        );
    }
}

#[cfg(test)]
mod unwrapping {
    use super::unwrapped;

    const LONG: &str = "Whoever takes a colleague's hour, please write it in the desk log so that";

    #[test]
    fn a_long_line_carried_on_in_lower_case_is_joined() {
        let text = format!("{LONG}\n   the next person sees it.");
        assert_eq!(unwrapped(&text), format!("{LONG} the next person sees it."));
    }

    #[test]
    fn a_text_with_no_line_to_join_is_borrowed_and_joins_keep_the_lines_around_them() {
        for text in [
            String::new(),
            "one line".to_string(),
            format!("{LONG}.\nthe next person sees it.\n\n"),
            format!("Hi,\n\n{LONG}\nThe next sentence\r\nThanks"),
        ] {
            assert!(
                matches!(unwrapped(&text), std::borrow::Cow::Borrowed(_)),
                "{text:?}"
            );
        }
        // A join after lines kept, then lines kept after it, a second join
        // and the line ends as written around them.
        let text = format!("Hi,\n\n{LONG}\n  the desk log.\n{LONG}\nsees it\nThanks\n");
        let joined = unwrapped(&text);
        assert!(matches!(joined, std::borrow::Cow::Owned(_)));
        assert_eq!(
            joined,
            format!("Hi,\n\n{LONG} the desk log.\n{LONG} sees it\nThanks\n")
        );
    }

    #[test]
    fn ended_short_listed_quoted_and_tabled_lines_are_kept() {
        for text in [
            format!("{LONG}.\nthe next person sees it."),
            "Hi all, so that\nthe next person sees it.".to_string(),
            format!("{LONG}\n- a list item"),
            format!("{LONG}\na) a list item"),
            format!("{LONG}\n> quoted words"),
            format!("> {LONG}\nwords after a quote"),
            format!("{LONG}\nThe next sentence"),
            format!("{LONG} | col\nnext row | col"),
            format!("{LONG}\n-- \nsignature"),
        ] {
            assert_eq!(unwrapped(&text), text.as_str());
        }
    }
}
