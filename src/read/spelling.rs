//! Misspellings of the words a reading hangs on ("wedensday", "covred",
//! "tommorow", "fridy", "sikc") read as meant, before anything else looks
//! at the text.
//!
//! Only a short list of key words is corrected: day and month names and the
//! verbs and nouns of coverage (cover, covered, sick, shift, swap, trade,
//! tomorrow, ...). A word is read as a key word when it is close to exactly
//! one of them, by a bound that grows with the key word's length:
//!
//! | key word length | what is forgiven                                 |
//! |-----------------|--------------------------------------------------|
//! | 4 letters       | two neighbouring letters swapped, or one doubled |
//! | 5 to 7 letters  | one edit (a letter added, dropped, changed, or two neighbours swapped) |
//! | 8 or more       | two such edits                                   |
//!
//! and always: the first letter is right (so "over" and "lover" are not
//! "cover"), the word has at least four letters, is not a real word close
//! to a key word ([`NEAR_WORDS`]: "clover", "sack", "slick", "shirt",
//! "trace", ...), is not a key word's plural ("Mondays"), and names no one
//! on the roster. Every correction is reported, for `parse --explain`.

use crate::config::Roster;

/// The words whose misspellings are read as meant.
pub const KEY_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "tomorrow",
    "today",
    "tonight",
    "cover",
    "covers",
    "covered",
    "covering",
    "coverage",
    "sick",
    "shift",
    "shifts",
    "swap",
    "swapped",
    "swapping",
    "trade",
    "traded",
    "trading",
    "someone",
    "anyone",
    "afternoon",
    "morning",
    "available",
    "request",
];

/// Shorthand of phone mail, read as the words it stands for. Matched as
/// whole words, case-insensitively, except the ones marked lower-case only
/// ("U.S." is not "you").
pub const SHORTHAND: &[(&str, &str)] = &[
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tmrow", "tomorrow"),
    ("tmw", "tomorrow"),
    ("tomo", "tomorrow"),
    ("2morrow", "tomorrow"),
    ("2moro", "tomorrow"),
    ("2day", "today"),
    ("tdy", "today"),
    ("2nite", "tonight"),
    ("tonite", "tonight"),
    ("some1", "someone"),
    ("sum1", "someone"),
    ("any1", "anyone"),
    ("sik", "sick"),
    ("cant", "can't"),
    ("wont", "won't"),
    ("dont", "don't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("isnt", "isn't"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("thanx", "thanks"),
    ("pls", "please"),
    ("plz", "please"),
    ("sry", "sorry"),
    ("feelin", "feeling"),
    ("mtg", "meeting"),
    ("appt", "appointment"),
    ("avail", "available"),
    // "my wed shift next wk": the week words of phone mail, so "next wk"
    // places its weekdays in next week like "next week" does.
    ("wk", "week"),
    ("wks", "weeks"),
    ("nxt", "next"),
    // "cvr pls", "no1 can?": the coverage words of texting.
    ("cvr", "cover"),
    ("no1", "no one"),
];

/// The length of the longest [`SHORTHAND`] word.
const SHORTHAND_LONGEST: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < SHORTHAND.len() {
        if SHORTHAND[i].0.len() > longest {
            longest = SHORTHAND[i].0.len();
        }
        i += 1;
    }
    longest
};

/// Shorthand read only when written in lower case.
pub const LOWER_CASE_SHORTHAND: &[(&str, &str)] = &[
    ("u", "you"),
    ("ur", "your"),
    ("im", "I'm"),
    // "cn u take it", "the day b4 break", "np!": in capitals these are
    // other things (a common name, a room B4, a chemical symbol).
    ("cn", "can"),
    ("b4", "before"),
    ("np", "no problem"),
];

/// Real words within reach of a key word that mean something else; never
/// corrected.
pub const NEAR_WORDS: &[&str] = &[
    // cover
    "cove",
    "coves",
    "coved",
    "coven",
    "covens",
    "covet",
    "covets",
    "coveted",
    "covey",
    "coveys",
    "cower",
    "cowers",
    "cowered",
    "cowering",
    "coder",
    "coders",
    "comer",
    "comers",
    "corer",
    "coyer",
    "clover",
    "clovers",
    "covert",
    "colored",
    "cornered",
    "catering",
    "coloring",
    "capering",
    "corsage",
    "converge",
    "coverer",
    "coverers",
    // sick
    "sack",
    "suck",
    "sock",
    "silk",
    "sink",
    "slick",
    "stick",
    "sickle",
    "sicko",
    "sicker",
    // shift
    "sift",
    "sifts",
    "shirt",
    "shirts",
    "shaft",
    "shafts",
    "swift",
    "swifts",
    "shifty",
    "shiftier",
    // swap, trade
    "swab",
    "swam",
    "swan",
    "sway",
    "swat",
    "swop",
    // Words of "swapping"'s length are forgiven two edits, which reach
    // many an everyday -ing word ("thanks for stepping in").
    "stepping",
    "stopping",
    "shopping",
    "shipping",
    "skipping",
    "slapping",
    "slipping",
    "snapping",
    "snipping",
    "sipping",
    "sapping",
    "sopping",
    "seeping",
    "soaping",
    "sweeping",
    "swamping",
    "swatting",
    "swaying",
    "swiping",
    "swabbing",
    "strapping",
    "scrapping",
    "stripping",
    "trace",
    "traced",
    "traces",
    "tracing",
    "tirade",
    "trader",
    "traders",
    "treading",
    "trades",
    "trite",
    "tirades",
    // days, time
    "toad",
    "toads",
    "toady",
    "sundae",
    "sundaes",
    "tonight's",
    "fridays",
    "mornings",
    "mourning",
    "morningstar",
    // people
    "someones",
    "anyones",
];

/// One word read as another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub written: String,
    pub read_as: &'static str,
}

/// The text with misspelled key words replaced by the key word (in the
/// writer's capitalisation), and what was replaced. Words inside
/// addresses and links are left alone.
pub fn correct(text: &str, roster: &Roster) -> (String, Vec<Correction>) {
    let mut fixes: Vec<(usize, usize, &'static str)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A chunk between spaces: skipped whole when it is an address or a link.
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let chunk = &text[start..i];
        if !(chunk.contains('@') || chunk.contains("://") || chunk.starts_with("www.")) {
            let mut j = 0;
            let cb = chunk.as_bytes();
            while j < cb.len() {
                if !cb[j].is_ascii_alphanumeric() {
                    j += 1;
                    continue;
                }
                let ws = j;
                while j < cb.len() && cb[j].is_ascii_alphanumeric() {
                    j += 1;
                }
                // A word run into an apostrophe ("don't") is whole already.
                let after_apostrophe = ws > 0 && matches!(cb[ws - 1], b'\'');
                let before_apostrophe = cb.get(j) == Some(&b'\'');
                if after_apostrophe || before_apostrophe {
                    continue;
                }
                let word = &chunk[ws..j];
                if let Some(len) = split_pronoun(text, start + ws, word) {
                    fixes.push((start + ws, start + ws + len, split_pronoun_meant(word)));
                    // The "one" is part of the fix: go past it.
                    i = start + ws + len;
                    break;
                }
                if let Some(meant) = shorthand(word) {
                    fixes.push((start + ws, start + j, meant));
                } else if word == "ill" && ill_is_i_will(text, start + ws, start + j) {
                    fixes.push((start + ws, start + j, "I'll"));
                } else if let Some(meant) = autocorrected(text, word, start + ws, start + j) {
                    fixes.push((start + ws, start + j, meant));
                } else if word.bytes().all(|b| b.is_ascii_alphabetic())
                    && let Some(key) = key_word_for(word, roster)
                {
                    fixes.push((start + ws, start + j, key));
                }
            }
        }
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
    }
    if fixes.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut last = 0;
    let mut corrections = Vec::new();
    for (s, e, key) in fixes {
        out.push_str(&text[last..s]);
        let written = &text[s..e];
        out.push_str(&in_case_of(written, key));
        corrections.push(Correction {
            written: written.to_string(),
            read_as: key,
        });
        last = e;
    }
    out.push_str(&text[last..]);
    (out, corrections)
}

/// "some one" and "any one" written apart (or broken over a line by a
/// phone) before what someone would do ("could some one cover my
/// Friday", "is any one free"): the length of the two words, to be read
/// as "someone" / "anyone". "any one of you", "some one-off" stay.
fn split_pronoun(text: &str, at: usize, word: &str) -> Option<usize> {
    static APART: std::sync::LazyLock<super::pattern::Regex> = std::sync::LazyLock::new(|| {
        super::pattern::Regex::new(r"(?i)^(?:some|any)\s+one\s+(?:cover|take|grab|do|pick|help|swap|trade|fill|sub|work|step|jump|be|can|could|would|will|want|wants|free|able|available|around|else|mind|sit|staff)\b")
            .expect("valid regex")
    });
    if !(word.eq_ignore_ascii_case("some") || word.eq_ignore_ascii_case("any")) {
        return None;
    }
    let m = APART.find(&text[at..])?;
    let one = m.as_str().to_ascii_lowercase().find("one")?;
    Some(one + 3)
}

fn split_pronoun_meant(word: &str) -> &'static str {
    if word.eq_ignore_ascii_case("some") {
        "someone"
    } else {
        "anyone"
    }
}

/// Verbs and adverbs that follow "I'll" and never the adjective "ill"
/// ("ill just stay on", "ill take it", "ill be there").
const AFTER_I_WILL: &[&str] = &[
    "just",
    "take",
    "cover",
    "do",
    "be",
    "stay",
    "grab",
    "get",
    "work",
    "handle",
    "pick",
    "sit",
    "swap",
    "trade",
    "log",
    "hop",
    "jump",
    "fill",
    "keep",
    "try",
    "check",
    "send",
    "text",
    "come",
    "make",
    "have",
    "also",
    "definitely",
    "probably",
    "gladly",
    "happily",
    "def",
    "prob",
    "sub",
    "need",
    "let",
    "ask",
    "watch",
    "run",
    "staff",
    "switch",
];

/// Words before "ill" that make it the adjective ("feeling ill just now",
/// "was taken ill"); "so" and "too" are left out, as "so ill just stay on"
/// joins a clause to the next.
const BEFORE_ILL: &[&str] = &[
    "am",
    "im",
    "i'm",
    "is",
    "was",
    "were",
    "be",
    "been",
    "being",
    "feel",
    "feeling",
    "felt",
    "fell",
    "fall",
    "falls",
    "falling",
    "got",
    "get",
    "getting",
    "gets",
    "very",
    "really",
    "quite",
    "pretty",
    "seriously",
    "still",
    "are",
    "remain",
    "remains",
    "look",
    "looks",
    "looking",
    "looked",
    "become",
    "became",
    "taken",
    "took",
    "mentally",
    "terminally",
    "chronically",
    "critically",
    "gravely",
    "an",
    "the",
    "of",
    "not",
    "bit",
    "little",
    "kinda",
];

/// Whether a small-letter "ill" at `s..e` is "I'll" written without its
/// capital and apostrophe (phone mail): the word after it is one that
/// follows "I'll" and the word before it does not make it an adjective.
fn ill_is_i_will(text: &str, s: usize, e: usize) -> bool {
    let next = text[e..]
        .trim_start_matches([' ', '\t'])
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    if !AFTER_I_WILL.contains(&next) {
        return false;
    }
    let prev = text[..s]
        .trim_end_matches([' ', '\t'])
        .rsplit(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    !BEFORE_ILL.contains(&prev.as_str())
}

/// The word before `s` and the word after `e`, in small letters.
fn neighbours(text: &str, s: usize, e: usize) -> (String, String) {
    let word = |w: Option<&str>| w.unwrap_or("").to_ascii_lowercase();
    let prev = word(
        text[..s]
            .trim_end_matches([' ', '\t'])
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
            .next(),
    );
    let next = word(
        text[e..]
            .trim_start_matches([' ', '\t'])
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
            .next(),
    );
    (prev, next)
}

/// Words a phone's autocorrect puts for a coverage word, read as meant only
/// where the sentence around them needs the verb or noun: "clover" between
/// an asker or a modal and what is covered ("can anyone clover my tues",
/// "i can clover it") is "cover"; "shirt" after a shift verb (or "after",
/// "before", "during") and a possessive, before a day ("cant do my shirt
/// tmrw", "cover my shirt this thurs", "after my shirt tues"), is "shift". "Four-leaf clover", "clover honey", "iron my shirt
/// tomorrow" and "take my shirt to the cleaners" are left alone.
fn autocorrected(text: &str, word: &str, s: usize, e: usize) -> Option<&'static str> {
    const ASKERS: &[&str] = &[
        "can", "could", "to", "pls", "please", "you", "u", "will", "would", "i", "i'll", "ill",
        "anyone", "anybody", "someone", "somebody", "some1", "any1", "might", "cud",
    ];
    const COVERED: &[&str] = &[
        "my", "it", "your", "ur", "me", "for", "this", "that", "the", "his", "her", "him", "them",
    ];
    const SHIFT_VERBS: &[&str] = &[
        "cover", "clover", "do", "take", "work", "grab", "swap", "trade", "switch", "miss",
        "covering", "taking", "doing", "working", "need", "after", "before", "during",
    ];
    const POSSESSIVES: &[&str] = &["my", "ur", "your", "his", "her", "their", "the", "a"];
    const DAY_WORDS: &[&str] = &[
        "mon",
        "tue",
        "tues",
        "wed",
        "weds",
        "thu",
        "thur",
        "thurs",
        "fri",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "today",
        "tonight",
        "tomorrow",
        "tmrw",
        "tmr",
        "this",
        "next",
        "on",
        "at",
        "from",
    ];
    // The neighbours are looked up only for the words they decide (this is
    // asked of every word).
    match word {
        "clover" | "Clover" => {
            let (prev, next) = neighbours(text, s, e);
            (ASKERS.contains(&prev.as_str()) && COVERED.contains(&next.as_str())).then_some("cover")
        }
        "shirt" | "shirts" => {
            let (prev, next) = neighbours(text, s, e);
            let before = text[..s].trim_end_matches([' ', '\t']);
            let possessive_at = before.len() - prev.len();
            let (verb, _) = neighbours(text, possessive_at, possessive_at);
            let day_after = DAY_WORDS.contains(&next.as_str())
                || next.bytes().next().is_some_and(|b| b.is_ascii_digit());
            let possessive =
                POSSESSIVES.contains(&prev.as_str()) || (prev.ends_with("'s") && prev.len() > 2);
            (possessive && SHIFT_VERBS.contains(&verb.as_str()) && day_after)
                .then_some(if word == "shirt" { "shift" } else { "shifts" })
        }
        _ => None,
    }
}

/// What a word of shorthand stands for.
pub fn shorthand(word: &str) -> Option<&'static str> {
    if let Some((_, meant)) = LOWER_CASE_SHORTHAND.iter().find(|(w, _)| *w == word) {
        return Some(meant);
    }
    // Asked for every word: one longer than any shorthand is none.
    if word.len() > SHORTHAND_LONGEST {
        return None;
    }
    SHORTHAND
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|(_, meant)| *meant)
}

/// The key word a written word is a misspelling of, if exactly one.
pub fn key_word_for(word: &str, roster: &Roster) -> Option<&'static str> {
    let n = word.len();
    if !(4..=12).contains(&n) {
        return None;
    }
    let mut lower = [0u8; 12];
    for (k, b) in word.bytes().enumerate() {
        lower[k] = b.to_ascii_lowercase();
    }
    let w = &lower[..n];
    // Closest first; between keys as close, the one the written word drops
    // a letter of (a letter missed is the commonest slip), then one of its
    // own length, then one it adds a letter to.
    let rank = |key: &str, d: usize| (d, usize::from(key.len() <= n) + usize::from(key.len() < n));
    let mut best: Option<(&'static str, (usize, usize))> = None;
    let mut tied = false;
    let written_letters = letters(w);
    for key in KEY_WORDS {
        let k = key.as_bytes();
        if k == w {
            return None;
        }
        if k[0] != w[0] || k.len().abs_diff(n) > 2 {
            continue;
        }
        // Each edit changes which letters occur by at most two, so words
        // whose letter sets differ by more cannot be within the bound:
        // most words are turned away here, before any distance is counted.
        let bound = if k.len() >= 8 { 2 } else { 1 };
        if (letters(k) ^ written_letters).count_ones() > 2 * bound {
            continue;
        }
        let Some(d) = forgiven_distance(k, w) else {
            continue;
        };
        let r = rank(key, d);
        match best {
            Some((_, br)) if br < r => {}
            Some((_, br)) if br == r => tied = true,
            _ => {
                best = Some((key, r));
                tied = false;
            }
        }
    }
    let (key, _) = best.filter(|_| !tied)?;
    let lw = std::str::from_utf8(w).ok()?;
    if NEAR_WORDS.contains(&lw) || KEY_WORDS.iter().any(|k| lw.strip_suffix('s') == Some(*k)) {
        return None;
    }
    if names_someone(lw, roster) {
        return None;
    }
    Some(key)
}

/// The set of letters in a lower-case word, one bit each.
fn letters(word: &[u8]) -> u32 {
    word.iter()
        .filter(|b| b.is_ascii_lowercase())
        .fold(0, |m, b| m | 1 << (b - b'a'))
}

/// The edits between a key word and a written word, when within the bound
/// the key word's length allows.
fn forgiven_distance(key: &[u8], written: &[u8]) -> Option<usize> {
    if key.len() <= 4 {
        return (swapped_neighbours(key, written) || one_doubled(key, written)).then_some(1);
    }
    let bound = if key.len() >= 8 { 2 } else { 1 };
    let d = edit_distance(key, written, bound);
    (d <= bound).then_some(d)
}

fn swapped_neighbours(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}

fn one_doubled(key: &[u8], written: &[u8]) -> bool {
    written.len() == key.len() + 1
        && (1..written.len()).any(|i| {
            written[i] == written[i - 1] && written[..i] == key[..i] && written[i + 1..] == key[i..]
        })
}

/// Edit distance with neighbouring swaps counting one (optimal string
/// alignment), stopping early once every path is past `bound`.
fn edit_distance(a: &[u8], b: &[u8], bound: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > bound {
        return bound + 1;
    }
    // Three rows are enough for swaps; words are short.
    let mut prev2 = [0usize; 16];
    let mut prev = [0usize; 16];
    let mut cur = [0usize; 16];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > bound {
            return bound + 1;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[m]
}

/// True when the word is a roster person's name, alias or initials.
fn names_someone(lower: &str, roster: &Roster) -> bool {
    roster.members.iter().any(|m| {
        m.name
            .split_whitespace()
            .any(|p| p.eq_ignore_ascii_case(lower))
            || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(lower))
            || m.initials.eq_ignore_ascii_case(lower)
    })
}

/// The key word written in the case the writer used.
fn in_case_of(written: &str, key: &str) -> String {
    let all_caps = written.len() > 1 && written.chars().all(|c| c.is_ascii_uppercase());
    if all_caps {
        return key.to_ascii_uppercase();
    }
    if written.starts_with(|c: char| c.is_ascii_uppercase()) {
        let mut s = key.to_string();
        s[..1].make_ascii_uppercase();
        return s;
    }
    key.to_string()
}

/// An honorific before a roster person's last name ("Dr. Raman", "Mr.
/// Okafor's", "Prof Becker"), as formal mail names colleagues.
static HONORIFIC_NAME: std::sync::LazyLock<super::pattern::Regex> =
    std::sync::LazyLock::new(|| {
        super::pattern::Regex::new(
            r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Professor)\.?\s+([A-Z][A-Za-z'\-]+?)('s|s')?\b",
        )
        .expect("valid regex")
    });

/// The text with a roster person named by an honorific and their last name
/// ("Dr. Chen") written as their first name ("Mei"), which is how the rest
/// of the reader finds people; a last name two people share, or nobody's,
/// is left as written. Returns what was replaced.
pub fn honorific_names(text: &str, roster: &Roster) -> (String, Vec<(String, String)>) {
    if !text.contains(['.', 'D', 'M', 'P']) {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut fixes = Vec::new();
    let mut last = 0;
    for caps in HONORIFIC_NAME.captures_iter(text) {
        let (Some(whole), Some(surname)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let mut found = roster.members.iter().filter(|m| {
            let parts: Vec<&str> = m.name.split_whitespace().collect();
            parts.len() > 1
                && parts
                    .last()
                    .is_some_and(|l| l.eq_ignore_ascii_case(surname.as_str()))
        });
        let (Some(one), None) = (found.next(), found.next()) else {
            continue;
        };
        let possessive = caps.get(2).map(|p| p.as_str()).unwrap_or("");
        out.push_str(&text[last..whole.start()]);
        let first = one.first_name();
        out.push_str(first);
        out.push_str(if possessive.is_empty() { "" } else { "'s" });
        fixes.push((
            whole.as_str().to_string(),
            format!("{first}{}", if possessive.is_empty() { "" } else { "'s" }),
        ));
        last = whole.end();
    }
    out.push_str(&text[last..]);
    (out, fixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(word: &str) -> Option<&'static str> {
        key_word_for(word, &Roster::default())
    }

    #[test]
    fn misspelled_key_words_are_read_as_meant() {
        for (written, meant) in [
            ("wedensday", "wednesday"),
            ("Wendsday", "wednesday"),
            ("covred", "covered"),
            ("coverd", "covered"),
            ("tommorow", "tomorrow"),
            ("tomorow", "tomorrow"),
            ("tmorrow", "tomorrow"),
            ("fridy", "friday"),
            ("firday", "friday"),
            ("thrusday", "thursday"),
            ("thurday", "thursday"),
            ("tuseday", "tuesday"),
            ("mondy", "monday"),
            ("sikc", "sick"),
            ("sicck", "sick"),
            ("shfit", "shift"),
            ("swpa", "swap"),
            ("trdae", "trade"),
            ("covr", "cover"),
            ("coverign", "covering"),
            ("someoen", "someone"),
            ("Decmber", "december"),
            ("avialable", "available"),
            ("swaping", "swapping"),
            ("swappign", "swapping"),
        ] {
            assert_eq!(read(written), Some(meant), "{written}");
        }
    }

    #[test]
    fn ill_before_a_verb_is_i_will_and_after_a_linking_word_is_ill() {
        let roster = Roster::default();
        for (text, want) in [
            ("ok ill take it", "ok I'll take it"),
            (
                "np ill just cover thurs",
                "no problem I'll just cover thurs",
            ),
            (
                "im on before so ill stay on",
                "I'm on before so I'll stay on",
            ),
            ("feeling ill just now", "feeling ill just now"),
            ("she was taken ill", "she was taken ill"),
            ("im ill, no chat today", "I'm ill, no chat today"),
            ("ill health", "ill health"),
            ("Ill take it", "Ill take it"),
        ] {
            assert_eq!(correct(text, &roster).0, want, "{text}");
        }
    }

    #[test]
    fn autocorrected_coverage_words_are_read_as_meant_only_where_the_sentence_needs_them() {
        let roster = Roster::default();
        let read = |t: &str| correct(t, &roster).0;
        assert_eq!(
            read("could someone clover my mon"),
            "could someone cover my mon"
        );
        assert_eq!(read("yeah i can clover it"), "yeah i can cover it");
        assert_eq!(
            read("need to swap my shirt on the 4th"),
            "need to swap my shift on the 4th"
        );
        assert_eq!(
            read("cant work my shirt tmrw"),
            "can't work my shift tomorrow"
        );
        assert_eq!(
            read("left my mug there after my shirt wed"),
            "left my mug there after my shift wed"
        );
        for left in [
            "found a four leaf clover by the desk",
            "the clover honey is in the staff fridge",
            "i need to iron my shirt tomorrow",
            "can you take my shirt to the cleaners",
            "spilled coffee on my shirt this morning",
        ] {
            assert_eq!(read(left), left, "{left}");
        }
    }

    #[test]
    fn near_words_that_mean_something_else_are_left_alone() {
        for word in [
            "over", "clover", "lover", "hover", "cove", "covet", "cower", "sack", "slick", "silk",
            "sock", "mundane", "shirt", "sift", "swift", "swab", "sway", "trace", "tirade", "toad",
            "sundae", "Mondays", "fridays", "shifts", "covers", "tuesday", "grade", "stick",
            "moody", "monkey", "thirsty", "stepping", "Stepping", "shopping", "stopping",
            "shipping", "sweeping", "catering", "coloring",
        ] {
            assert_eq!(read(word), None, "{word}");
        }
    }

    #[test]
    fn a_word_one_edit_from_several_key_words_reads_as_the_one_it_drops_a_letter_of() {
        // "coverd" is one edit from "cover", "covers" and "covered".
        assert_eq!(read("coverd"), Some("covered"));
        assert_eq!(read("covere"), Some("covered"));
    }

    #[test]
    fn corrections_keep_the_writers_case_and_spare_addresses_and_names() {
        let mut roster = Roster::default();
        roster.members.push(crate::config::StaffMember {
            name: "Shfit Okafor".into(),
            email: "sokafor@example.edu".into(),
            initials: "SO".into(),
            aliases: vec![],
        });
        let (text, fixes) = correct(
            "Can someone covr my Wedensday shfit? Mail fridy@example.edu, ask Shfit. TOMMOROW!",
            &roster,
        );
        assert_eq!(
            text,
            "Can someone cover my Wednesday shfit? Mail fridy@example.edu, ask Shfit. TOMORROW!"
        );
        assert_eq!(fixes.len(), 3);
        assert_eq!(fixes[0].written, "covr");
    }

    #[test]
    fn phone_shorthand_is_read_as_the_words_it_stands_for() {
        let (text, _) = correct(
            "cant do tmrw 10-12, can some1 grab it?? thx u r great. sik 2day. nxt wk too, 2 wks",
            &Roster::default(),
        );
        assert_eq!(
            text,
            "can't do tomorrow 10-12, can someone grab it?? thanks you r great. sick today. next week too, 2 weeks"
        );
        let (text, _) = correct(
            "cn sum1 cvr fri b4 spring brk? if no1 can np",
            &Roster::default(),
        );
        assert_eq!(
            text,
            "can someone cover fri before spring brk? if no one can no problem"
        );
        // Not in capitals, not inside a contraction, not a longer word.
        let s = "The U.S. office; I don't know; IM me; Cantor and Sikes; thxx; wkly; awkward; nxtgen; \
                 CN=Courtney; Room B4; NP-hard; cnn; b45; cvrs; no12";
        assert_eq!(correct(s, &Roster::default()).0, s);
    }

    #[test]
    fn someone_and_anyone_written_apart_are_one_word() {
        let (text, _) = correct(
            "Could some\none take my Tuesday? Is any one free?",
            &Roster::default(),
        );
        assert_eq!(text, "Could someone take my Tuesday? Is anyone free?");
        // A count or a choice stays as written.
        let s = "Any one of you could help; some one-off tasks; pick any one day.";
        assert_eq!(correct(s, &Roster::default()).0, s);
    }

    #[test]
    fn text_without_misspellings_comes_back_unchanged() {
        let s = "Could someone cover my Monday 2-4 shift? Thanks!";
        let (text, fixes) = correct(s, &Roster::default());
        assert_eq!(text, s);
        assert!(fixes.is_empty());
    }
}
