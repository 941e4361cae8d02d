//! Dates, times and spans in free English ("12/8", "Dec. 8", "Tuesday the
//! 8th", "next Tues", "tomorrow", "10-12", "10am-noon", "2:00-3:30", "the
//! first hour", ...). Pure. OWNER: dates helper.
//!
//! The text is cut into tokens (words, numbers, clock times, slashed dates,
//! dashes); a small grammar finds the days and the times it names; each time
//! is then bound to the day it is about. [`read_days`] is the entry point and
//! [`super::resolve`] turns its answer into shifts.
//!
//! Reading rules (each one is tested below):
//! - A year-less date ("12/3", "Dec 3") is the first of last, this or next
//!   year's that falls no more than 60 days before the message. A weekday
//!   written with it that disagrees ("Friday 12/10", a Thursday) is noted,
//!   and the date is read; the nearest day of that weekday goes with it,
//!   and [`super::resolve`] takes it when the person works it and not the
//!   date. "noonish" is noon.
//! - "Friday" and "this Friday" are the first Friday on or after the
//!   message's day. "next Friday" is the Friday of next calendar week (weeks
//!   start on Monday): said on a Monday it is 11 days ahead, on a Thursday 8,
//!   on a Saturday 6. "last Friday" is the latest Friday before today.
//!   "Friday next" (British) is "next Friday".
//!   "Friday week", "a week on Friday" and "a week from Friday" are a week
//!   after "Friday".
//!   Weekdays in a sentence that says "next week", "this week" or "the week
//!   of 12/14" fall in that week; said alone, these mean the whole week.
//!   A weekday alone is the dated day of that weekday the text names
//!   elsewhere ("my Tuesday shift (11/17)").
//!   A weekday said of each of the writer's shifts over a month ("each of
//!   my Friday shifts that month", "all of my Wednesday shifts in
//!   January") is every such day of that month still ahead.
//! - "the 8th" is the next 8th on or after today; "Tuesday the 8th" the
//!   nearest 8th that is a Tuesday.
//! - "this morning", "this afternoon" and "tonight" name today only when the
//!   text names no other day (people also say "I woke up sick this morning");
//!   so does "today" in a sentence that tells what others did ("the patron
//!   came back on chat today").
//! - A bare hour is read inside service hours ("2-4" is 14:00-16:00, "10-12"
//!   is 10:00-12:00, "11-1" is 11:00-13:00); am/pm, when written, wins.
//!   An end of a range written without its colon, as phones do ("2-330",
//!   "1030-12"), is a clock time when it is a 12-hour time on a five-minute
//!   mark and no label ("room") or count ("patrons") goes with it.
//! - A time binds to the day written just after it ("2-3 on Tuesday"), else
//!   to the nearest day before it in its sentence, else the nearest after it
//!   in its sentence, else the only day the text names, else the nearest day
//!   named in an earlier sentence. Days joined by "and"/"or" share times.
//!   Times in a text that names no day at all are today's.
//! - A range that holds days named on their own ("at a conference next week:
//!   Monday 12/7 2-3:30, Wednesday 12/9 3:30-5") is only their setting.
//! - A time said of a thing in a relative clause, in a sentence that names
//!   no shift ("a flight that doesn't land until 4"), tells when that thing
//!   happens and is not asked; "the shift that starts at 2" names a shift.
//! - "since Monday", "back on Tuesday", "see you Friday" name a day that is
//!   not asked about; "out until Wednesday" runs from today to Tuesday.
//! - A US holiday named as a day ("MLK Day", "my MLK Monday shift",
//!   "Memorial Day", "Christmas Eve", "Juneteenth") is its date, chosen
//!   like a year-less date; "the Friday after Thanksgiving", "the Wednesday
//!   before MLK Day" and "the day after Thanksgiving" count from it. A
//!   holiday named as an occasion ("flying out for Thanksgiving",
//!   "Thanksgiving week", "Happy New Year") names no day.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate, Timelike, Weekday};

use chrono_tz::Tz;

use crate::config::{DateOrder, ServiceHours};

/// Minutes after local midnight; 1440 is the midnight that ends the day.
pub type Minute = u32;

/// How far back a year-less date may lie before the message.
const LOOKBACK_DAYS: i64 = 60;
/// The longest range of days read from "Mon-Wed" or "12/8-12/18".
const MAX_RANGE_DAYS: i64 = 31;
/// A line shorter than this ends a sentence at its newline (a list line);
/// longer lines are prose wrapped by the mail program.
const SHORT_LINE: usize = 60;
/// Hours people mean when a bare hour falls outside service hours.
const DAYTIME: (Minute, Minute) = (7 * 60, 21 * 60);
const NOON: Minute = 12 * 60;
const DAY: Minute = 24 * 60;

/// A part of the day named in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

/// A time the text names, in local wall-clock minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeRef {
    /// "10-12", "2:30-3:30", "from 2 to 3".
    Span(Minute, Minute),
    /// "after 3", "from 3:30", "leave at 2": to the end of the shift.
    From(Minute),
    /// "until 2", "till 11": from the start of the shift.
    Until(Minute),
    /// "my 2pm shift", "at 10": the shift that holds this time.
    At(Minute),
    /// "the first hour", "first 30 minutes": this many minutes.
    First(Minute),
    /// "the last hour", "last half hour".
    Last(Minute),
    /// "the first half" of the shift.
    FirstHalf,
    /// "the second half" of the shift.
    SecondHalf,
    /// "Tuesday morning", "my afternoon shift".
    Part(DayPart),
}

impl TimeRef {
    /// True for times stated on the clock; they win over the schedule.
    pub fn is_clock(self) -> bool {
        matches!(
            self,
            TimeRef::Span(..) | TimeRef::From(_) | TimeRef::Until(_)
        )
    }
}

/// "14:30"; 1440 is "24:00".
pub fn hhmm(m: Minute) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl fmt::Display for TimeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimeRef::Span(a, b) => write!(f, "{}-{}", hhmm(a), hhmm(b)),
            TimeRef::From(a) => write!(f, "from {}", hhmm(a)),
            TimeRef::Until(a) => write!(f, "until {}", hhmm(a)),
            TimeRef::At(a) => write!(f, "at {}", hhmm(a)),
            TimeRef::First(d) => write!(f, "first {d}m"),
            TimeRef::Last(d) => write!(f, "last {d}m"),
            TimeRef::FirstHalf => write!(f, "first half"),
            TimeRef::SecondHalf => write!(f, "second half"),
            TimeRef::Part(DayPart::Morning) => write!(f, "morning"),
            TimeRef::Part(DayPart::Afternoon) => write!(f, "afternoon"),
            TimeRef::Part(DayPart::Evening) => write!(f, "evening"),
        }
    }
}

/// A time bound to a day, with the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeAsk {
    pub time: TimeRef,
    pub said: String,
    /// Written as the person's own shift ("my 3:30-5", "the 10-12 slot"),
    /// unlike a time that explains ("a meeting 2-4").
    pub mine: bool,
    /// Said as what the writer needs ("so really I need 4:15 to 5"): a
    /// span inside another named span narrows it.
    pub needed: bool,
}

/// One day the text asks about, and the times bound to it (none: the day's
/// shifts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayAsk {
    pub date: NaiveDate,
    pub times: Vec<TimeAsk>,
    /// The words that named the day.
    pub said: Vec<String>,
    /// When the day was written with a weekday it is not ("thurs 2/10", a
    /// Wednesday): the nearest day that is that weekday, which the writer's
    /// own schedule may show was meant.
    pub weekday_meant: Option<NaiveDate>,
}

/// What a text says about days and times.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Days {
    /// Sorted by date, one per date.
    pub asks: Vec<DayAsk>,
    /// True when the text names any day at all, even one not asked about
    /// ("since Monday").
    pub names_date: bool,
    /// True when the text names any time of day ("2-3", "the first hour").
    pub names_time: bool,
    pub diagnostics: Vec<String>,
}

/// Reads the days and times a text names, for a desk in `zone`. `today` is
/// the message's local date; bare hours are read inside `hours`. A clock
/// time followed by a North American zone's label ("11am-12:30pm PT",
/// "2:30 CT") is moved onto the desk's clock ("2-3:30" in New York); a time
/// without a label is the desk's own. Every caller passes the desk's zone,
/// so a labelled time reads alike wherever the days are read.
pub fn read_days(
    text: &str,
    today: NaiveDate,
    order: DateOrder,
    hours: &ServiceHours,
    zone: Tz,
) -> Days {
    let toks = tokenize(text);
    let parser = Parser::new(text, toks, today, order, hours, zone);
    parser.run()
}

/// The zone a label written after a clock time names.
fn zone_of_label(w: &str) -> Option<Tz> {
    Some(match w {
        "et" | "est" | "edt" | "eastern" => chrono_tz::America::New_York,
        "ct" | "cst" | "cdt" | "central" => chrono_tz::America::Chicago,
        "mt" | "mst" | "mdt" | "mountain" => chrono_tz::America::Denver,
        "pt" | "pst" | "pdt" | "pacific" => chrono_tz::America::Los_Angeles,
        _ => return None,
    })
}

/// Minutes to add to a wall-clock time in `from` to read it in `to`, at
/// noon of `day` (the message's day: zones a few hours apart differ alike
/// on the shift's day but in the DST changeover's days).
fn zone_shift(from: Tz, to: Tz, day: NaiveDate) -> Option<i32> {
    use chrono::{Offset, TimeZone};
    let noon = day.and_hms_opt(12, 0, 0)?;
    let off = |z: Tz| {
        z.offset_from_local_datetime(&noon)
            .earliest()
            .map(|o| o.fix().local_minus_utc() / 60)
    };
    Some(off(to)? - off(from)?)
}

// ---------------------------------------------------------------------------
// Tokens.

/// A word of the text, lower-cased, held in place when it is short ASCII
/// (nearly every word is): the tokenizer makes one for each word of every
/// text it reads, and a `String` each cost two allocations.
#[derive(Clone)]
enum Word {
    Short(u8, [u8; Word::SHORT]),
    Long(String),
}

impl Word {
    const SHORT: usize = 22;

    /// The word as written, lower-cased, with a curly apostrophe straight.
    fn new(written: &str) -> Word {
        if written.len() <= Word::SHORT && written.is_ascii() {
            let mut buf = [0u8; Word::SHORT];
            for (to, from) in buf.iter_mut().zip(written.bytes()) {
                *to = from.to_ascii_lowercase();
            }
            return Word::Short(written.len() as u8, buf);
        }
        Word::Long(written.replace('\u{2019}', "'").to_lowercase())
    }

    fn as_str(&self) -> &str {
        match self {
            // SAFETY: `Word::new` fills a short word with ASCII bytes only
            // (an ASCII text, lower-cased in ASCII), so it is always UTF-8.
            // Checking it again on every look (the parser looks at each
            // word many times) was some 13% of reading's instructions.
            Word::Short(n, buf) => unsafe { std::str::from_utf8_unchecked(&buf[..*n as usize]) },
            Word::Long(s) => s,
        }
    }
}

impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum K {
    /// Lowercased; "a.m." is "am".
    Word(Word),
    /// Value and number of digits.
    Num(u32, usize),
    /// "8th", "2nd".
    Ord(u32),
    /// "2:30": hour, minute, digits of the hour.
    Clock(u32, u32, usize),
    /// "12/8", "12/8/26": each part's value and digits.
    Slash(Vec<(u32, usize)>),
    /// "18.1.", "05.03.2027": a date written day first with points; each
    /// part's value and digits, day, month and maybe year.
    DayFirst(Vec<(u32, usize)>),
    /// "2026-12-08".
    Iso(NaiveDate),
    Dash,
    Punct(char),
    /// Phone numbers, mail addresses, links: never read.
    Junk,
}

#[derive(Debug, Clone)]
struct Tok {
    k: K,
    /// Byte offsets into the text.
    start: usize,
    end: usize,
    /// Sentence (or list line) number.
    seg: usize,
    /// Written with no space before it ("10am": "am" is glued).
    glued: bool,
    /// Written with a capital first letter.
    cap: bool,
}

const DASHES: &[char] = &[
    '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
];

/// Abbreviations whose point does not end a sentence ("Dec. 8").
const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun", "approx",
];

fn tokenize(text: &str) -> Vec<Tok> {
    // Room for every character at once: an ASCII text has one per byte.
    let mut cs: Vec<(usize, char)> = Vec::with_capacity(text.len());
    if text.is_ascii() {
        // Each byte its own character: filled without decoding UTF-8.
        cs.extend(text.bytes().enumerate().map(|(i, b)| (i, char::from(b))));
    } else {
        cs.extend(text.char_indices());
    }
    let at = |i: usize| cs.get(i).map(|&(_, c)| c);
    let byte = |i: usize| cs.get(i).map_or(text.len(), |&(b, _)| b);
    let digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let alpha = |i: usize| at(i).is_some_and(char::is_alphabetic);
    let apostrophe = |i: usize| matches!(at(i), Some('\'' | '\u{2019}'));
    // Reads a run of ASCII digits: value (saturating), digit count, next index.
    let digits = |mut i: usize| {
        let mut v: u32 = 0;
        let mut d = 0;
        while let Some(c) = at(i).filter(char::is_ascii_digit) {
            v = v
                .saturating_mul(10)
                .saturating_add(c.to_digit(10).unwrap_or(0));
            d += 1;
            i += 1;
        }
        (v, d, i)
    };

    // About one token for every six bytes of mail: room for them at once.
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 6 + 1);
    let mut seg = 0;
    let mut line_start = 0;
    let mut i = 0;
    while let Some(c) = at(i) {
        if c.is_whitespace() {
            let mut newlines = 0;
            let mut short = false;
            let mut j = i;
            while let Some(w) = at(j).filter(|w| w.is_whitespace()) {
                if w == '\n' {
                    if newlines == 0 {
                        let line = text.get(byte(line_start)..byte(j)).unwrap_or("");
                        short = line.trim().chars().count() < SHORT_LINE;
                    }
                    newlines += 1;
                    line_start = j + 1;
                }
                j += 1;
            }
            if newlines >= 2 || short {
                seg += 1;
            }
            i = j;
            continue;
        }
        let glued = i > 0 && !at(i - 1).is_some_and(char::is_whitespace);
        // Read before `push` borrows the tokens: a dotted time right after
        // "15.30-" closes a span; so does one after an hour and "to",
        // "until" or a dash ("2 to 3.30 pm", "14 until 15.30").
        let after_clock_and_dash = match toks.as_slice() {
            [
                ..,
                Tok {
                    k: K::Clock(..), ..
                },
                Tok { k: K::Dash, .. },
            ] => true,
            [
                ..,
                Tok {
                    k: K::Clock(..) | K::Num(_, 1..=2),
                    ..
                },
                Tok { k: join, .. },
            ] => match join {
                K::Dash => true,
                K::Word(w) => matches!(w.as_str(), "to" | "until" | "till" | "til"),
                _ => false,
            },
            _ => false,
        };
        let mut push = |k: K, s: usize, e: usize, cap: bool| {
            toks.push(Tok {
                k,
                start: byte(s),
                end: byte(e),
                seg,
                glued,
                cap,
            })
        };

        // Mail addresses and links are skipped whole.
        if !glued {
            let mut j = i;
            while at(j).is_some_and(|w| !w.is_whitespace()) {
                j += 1;
            }
            let run = text.get(byte(i)..byte(j)).unwrap_or("");
            // Compared without a lower-case copy of every run.
            if (run.contains('@') && run.chars().count() > 1)
                || run.contains("://")
                || run
                    .as_bytes()
                    .get(..4)
                    .is_some_and(|p| p.eq_ignore_ascii_case(b"www."))
            {
                push(K::Junk, i, j, false);
                i = j;
                continue;
            }
        }

        if c.is_alphabetic() {
            // "a.m." and "p.m."
            if matches!(c, 'a' | 'A' | 'p' | 'P')
                && at(i + 1) == Some('.')
                && matches!(at(i + 2), Some('m' | 'M'))
                && !alpha(i + 3)
                && !(i > 0 && alpha(i - 1))
            {
                let mut j = i + 3;
                if at(j) == Some('.') {
                    j += 1;
                }
                let w = if matches!(c, 'a' | 'A') { "am" } else { "pm" };
                push(K::Word(Word::new(w)), i, j, false);
                i = j;
                continue;
            }
            let mut j = i;
            while alpha(j) || (apostrophe(j) && alpha(j + 1) && j > i) {
                j += 1;
            }
            let word = Word::new(text.get(byte(i)..byte(j)).unwrap_or(""));
            // "noonish": about noon, which is noon.
            let word = if word == "noonish" {
                Word::new("noon")
            } else {
                word
            };
            let abbreviation = ABBREVIATIONS.contains(&word.as_str());
            push(K::Word(word), i, j, c.is_uppercase());
            if abbreviation && at(j) == Some('.') {
                j += 1;
            }
            i = j;
            continue;
        }

        if c.is_ascii_digit() {
            let (v, d, j) = digits(i);
            if d > 9 {
                push(K::Junk, i, j, false);
                i = j;
                continue;
            }
            // "2:30", "14:00", "10:00:00"
            if at(j) == Some(':') && digit(j + 1) && digit(j + 2) && !digit(j + 3) {
                let (m, _, mut k) = digits(j + 1);
                if at(k) == Some(':') && digit(k + 1) && digit(k + 2) && !digit(k + 3) {
                    k += 3;
                }
                push(K::Clock(v, m, d), i, k, false);
                i = k;
                continue;
            }
            // "14h", "14h30", "9h-12h": the hour mark of much of Europe. A
            // bare "2h" may be two hours, so without minutes it is a time
            // only past noon's hours or as an end of a span ("14h-15h").
            if d <= 2 && v <= 24 && matches!(at(j), Some('h' | 'H')) && !(i > 0 && alpha(i - 1)) {
                let minutes = digit(j + 1) && digit(j + 2) && !digit(j + 3) && !alpha(j + 3);
                if minutes {
                    let (m, _, k) = digits(j + 1);
                    if m < 60 {
                        push(K::Clock(v, m, d), i, k, false);
                        i = k;
                        continue;
                    }
                } else if !alpha(j + 1) && !digit(j + 1) {
                    let mut n = j + 1;
                    while at(n) == Some(' ') {
                        n += 1;
                    }
                    // A dash or "to", "till", "until" and another hour.
                    let joined = if at(n).is_some_and(|w| DASHES.contains(&w)) {
                        Some(n + 1)
                    } else {
                        let rest = text.get(byte(n)..).unwrap_or("");
                        ["to ", "till ", "until "]
                            .iter()
                            .find(|w| {
                                rest.get(..w.len())
                                    .is_some_and(|r| r.eq_ignore_ascii_case(w))
                            })
                            .map(|w| n + w.len())
                    };
                    let opens_span = joined.is_some_and(|mut m| {
                        while at(m) == Some(' ') {
                            m += 1;
                        }
                        digit(m)
                    });
                    if v >= 13 || opens_span || after_clock_and_dash {
                        push(K::Clock(v, 0, d), i, j + 1, false);
                        i = j + 1;
                        continue;
                    }
                }
            }
            // "12/8", "12/8/26"
            if at(j) == Some('/') && digit(j + 1) {
                let mut parts = vec![(v, d)];
                let mut k = j;
                while at(k) == Some('/') && digit(k + 1) {
                    let (pv, pd, next) = digits(k + 1);
                    parts.push((pv, pd));
                    k = next;
                }
                let kind = if parts.len() > 3 {
                    K::Junk
                } else {
                    K::Slash(parts)
                };
                push(kind, i, k, false);
                i = k;
                continue;
            }
            // "2026-12-08"; three or more dashed groups are a phone number.
            if at(j) == Some('-') && digit(j + 1) {
                let mut groups = vec![(v, d)];
                let mut k = j;
                while at(k) == Some('-') && digit(k + 1) {
                    let (gv, gd, next) = digits(k + 1);
                    groups.push((gv, gd));
                    k = next;
                }
                if groups.len() >= 3 {
                    let iso = match groups.as_slice() {
                        [(y, 4), (m, 1..=2), (dd, 1..=2)] => {
                            NaiveDate::from_ymd_opt(*y as i32, *m, *dd)
                        }
                        _ => None,
                    };
                    push(iso.map_or(K::Junk, K::Iso), i, k, false);
                    i = k;
                    continue;
                }
            }
            // "15.30-17.00": the dotted 24-hour clock. A lone "14.12" may
            // be a day and a month, so only the ends of a span are read as
            // times: the one before a dash and another such time, and the
            // one after a dash that follows a time.
            let dotted_at = |i: usize| {
                let (h, hd, j) = digits(i);
                (1..=2).contains(&hd)
                    && h <= 24
                    && matches!(at(j), Some('.' | ':'))
                    && digit(j + 1)
                    && digit(j + 2)
                    && !digit(j + 3)
                    && !(at(j + 3) == Some('.') && digit(j + 4))
            };
            if d <= 2 && at(j) == Some('.') && dotted_at(i) {
                let (m, _, k) = digits(j + 1);
                let mut n = k;
                while at(n).is_some_and(|w| w == ' ') {
                    n += 1;
                }
                let dashed = at(n).is_some_and(|w| DASHES.contains(&w));
                while at(n).is_some_and(|w| w == ' ' || DASHES.contains(&w)) {
                    n += 1;
                }
                let opens_span = dashed && digit(n) && dotted_at(n);
                let closes_span = after_clock_and_dash;
                if m < 60 && (opens_span || closes_span) {
                    push(K::Clock(v, m, d), i, k, false);
                    i = k;
                    continue;
                }
            }
            // "18.1.", "Friday 5.3.", "05.03.2027": a date written day first
            // with points, as in much of Europe. Read only where it cannot
            // be a clock time ("until 3.10."): the month has one digit or a
            // leading zero, or the day is past any hour, or a full year
            // follows. The closing point is the date's, not a sentence end.
            let dotted_before = i > 0 && matches!(at(i - 1), Some('.')) && digit(i.wrapping_sub(2));
            if d <= 2 && at(j) == Some('.') && digit(j + 1) && !dotted_before {
                let (m, md, k) = digits(j + 1);
                if md <= 2 && at(k) == Some('.') {
                    let (y, yd, n) = digits(k + 1);
                    let end = if yd == 0 { k + 1 } else { n };
                    let clean_end = !(digit(end) || at(end) == Some('.') && digit(end + 1));
                    let day_month = (1..=31).contains(&v) && (1..=12).contains(&m);
                    let not_a_time = md == 1 || m < 10 || v > 24 || yd == 4;
                    if day_month && clean_end && matches!(yd, 0 | 2 | 4) && not_a_time {
                        let mut parts = vec![(v, d), (m, md)];
                        if yd > 0 {
                            parts.push((y, yd));
                        }
                        push(K::DayFirst(parts), i, end, false);
                        i = end;
                        continue;
                    }
                }
            }
            // "555.201.3090"
            if at(j) == Some('.') && digit(j + 1) {
                let mut groups = 1;
                let mut k = j;
                while at(k) == Some('.') && digit(k + 1) {
                    k = digits(k + 1).2;
                    groups += 1;
                }
                if groups >= 3 {
                    push(K::Junk, i, k, false);
                    i = k;
                    continue;
                }
            }
            // "8th", "2nd"
            let mut k = j;
            while alpha(k) {
                k += 1;
            }
            if k > j {
                let suffix = text
                    .get(byte(j)..byte(k))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
                    push(K::Ord(v), i, k, false);
                    i = k;
                    continue;
                }
            }
            push(K::Num(v, d), i, j, false);
            i = j;
            continue;
        }

        if DASHES.contains(&c) {
            let mut j = i;
            while at(j).is_some_and(|w| DASHES.contains(&w)) {
                j += 1;
            }
            push(K::Dash, i, j, false);
            i = j;
            continue;
        }

        match c {
            '.' if at(i + 1).is_some_and(char::is_alphanumeric) => {
                push(K::Punct('.'), i, i + 1, false);
            }
            '.' | '!' | '?' | ';' | '\u{2026}' => {
                seg += 1;
            }
            _ => push(K::Punct(c), i, i + 1, false),
        }
        i += 1;
    }
    hour_words_as_numbers(&mut toks);
    ordinal_words_as_days(&mut toks);
    toks
}

/// An ordinal written as a word ("seventeenth", "twenty-first", "thirty
/// first"): the day number it names.
fn ordinal_word(w: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    if w == "thirtieth" {
        return Some(30);
    }
    WORDS.iter().position(|x| *x == w).map(|i| i as u32 + 1)
}

/// Day numbers written as ordinal words ("the ninth of December",
/// "March twenty-first", "Wednesday the third") are read as "17th", "21st"
/// and "3rd", but only beside a month or a weekday: "the first hour", "the
/// second half" and "a third person" stay words.
fn ordinal_words_as_days(toks: &mut Vec<Tok>) {
    let word = |t: Option<&Tok>| match t.map(|t| &t.k) {
        Some(K::Word(w)) => Some(w.clone()),
        _ => None,
    };
    let mut i = 0;
    while i < toks.len() {
        let here = word(toks.get(i));
        let tens = match here.as_deref() {
            Some("twenty") => 20,
            Some("thirty") => 30,
            _ => 0,
        };
        let found = if tens > 0 {
            // "twenty-first", "twenty first": the tens, maybe a dash, the unit.
            let j = if matches!(toks.get(i + 1).map(|t| &t.k), Some(K::Dash)) {
                i + 2
            } else {
                i + 1
            };
            word(toks.get(j))
                .as_deref()
                .and_then(ordinal_word)
                .filter(|u| *u < 10 && tens + u <= 31)
                .map(|u| (tens + u, j))
        } else {
            here.as_deref().and_then(ordinal_word).map(|n| (n, i))
        };
        let Some((n, last)) = found else {
            i += 1;
            continue;
        };
        // Beside a month or a weekday: before it ("Wednesday the third",
        // "March 21st"), or "of" and a month after it.
        let mut b = i;
        if b > 0 && word(toks.get(b - 1)).as_deref() == Some("the") {
            b -= 1;
        }
        let before_names_day = b > 0
            && toks[b - 1].seg == toks[i].seg
            && match &toks[b - 1].k {
                K::Word(w) => {
                    month_of(w, toks[b - 1].cap).is_some()
                        || weekday_of(w, toks[b - 1].cap).is_some()
                }
                _ => false,
            };
        // "my Wednesday shift on the twenty fifth from two to three": "on
        // the" and an ordinal that ends its clause or leads to a time is a
        // day of the month; "on the second floor" stays words.
        let on_the_day = b < i
            && b > 0
            && toks[b - 1].seg == toks[i].seg
            && word(toks.get(b - 1)).as_deref() == Some("on")
            && match toks.get(last + 1) {
                None => true,
                Some(t) if t.seg != toks[last].seg => true,
                Some(t) => match &t.k {
                    K::Word(w) => matches!(
                        w.as_str(),
                        "from"
                            | "at"
                            | "to"
                            | "for"
                            | "and"
                            | "or"
                            | "too"
                            | "instead"
                            | "if"
                            | "since"
                            | "because"
                            | "so"
                            | "but"
                            | "please"
                            | "pls"
                            | "i"
                            | "i'm"
                            | "question"
                            | "period"
                            | "comma"
                    ),
                    K::Punct(_) | K::Dash => true,
                    _ => false,
                },
            };
        let of_month = word(toks.get(last + 1)).as_deref() == Some("of")
            && toks.get(last + 2).is_some_and(|t| match &t.k {
                K::Word(w) => month_of(w, t.cap).is_some(),
                _ => false,
            });
        if before_names_day || of_month || on_the_day {
            let end = toks[last].end;
            toks[i].k = K::Ord(n);
            toks[i].end = end;
            toks.drain(i + 1..=last);
        }
        i += 1;
    }
}

/// Clock hours written as words ("noon to two", "from ten till twelve",
/// "the eleven o'clock") are read as the numbers they name, but only where
/// a clock time is plain: as an end of a range whose other end is a time
/// too, or before "o'clock". "one of you", "two people" and "one to one
/// meetings" stay words; "two to three people" becomes a range of numbers,
/// which the count nouns after it keep from being read as times.
fn hour_words_as_numbers(toks: &mut [Tok]) {
    let hour = |t: &Tok| match &t.k {
        K::Word(w) => hour_word(w),
        _ => None,
    };
    let time_end = |t: &Tok| match &t.k {
        K::Num(h, 1..=2) => (1..=12).contains(h),
        K::Clock(..) => true,
        K::Word(w) => w == "noon" || hour_word(w).is_some(),
        _ => false,
    };
    let link = |t: &Tok| match &t.k {
        K::Dash => true,
        K::Word(w) => matches!(
            w.as_str(),
            "to" | "till" | "til" | "until" | "through" | "thru"
        ),
        _ => false,
    };
    // "from three thirty to five", "at four fifteen": an hour word and a
    // minute word, beside a range's link or a word that leads to a time, are
    // one clock time (the hour word is spent, as "half" is in "half three").
    for i in 0..toks.len() {
        let Some(h) = hour(&toks[i]) else { continue };
        let same = |j: usize| toks.get(j).filter(|n| n.seg == toks[i].seg);
        let minutes = match same(i + 1).map(|t| &t.k) {
            Some(K::Word(w)) if w == "thirty" => Some((30, i + 1)),
            Some(K::Word(w)) if w == "fifteen" => Some((15, i + 1)),
            Some(K::Word(w)) if w == "forty" => match same(i + 2).map(|t| &t.k) {
                Some(K::Word(f)) if f == "five" => Some((45, i + 2)),
                _ => None,
            },
            _ => None,
        };
        let Some((m, last)) = minutes else { continue };
        let closes = i > 0 && same(i - 1).is_some_and(link);
        let leads = i > 0
            && same(i - 1).is_some_and(|p| {
                matches!(&p.k, K::Word(w) if matches!(w.as_str(), "from" | "at" | "by" | "after" | "before"))
            });
        let opens = same(last + 1).is_some_and(link);
        let digits = if h >= 10 { 2 } else { 1 };
        // The time sits on the token beside the range's link, so the other
        // end finds it there; the rest is spent.
        if closes {
            toks[i].k = K::Clock(h, m, digits);
            for t in &mut toks[i + 1..=last] {
                t.k = K::Junk;
            }
        } else if leads || opens {
            for t in &mut toks[i..last] {
                t.k = K::Junk;
            }
            toks[last].k = K::Clock(h, m, digits);
        }
    }
    let mut read = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Some(h) = hour(t) else { continue };
        let near = |j: Option<usize>| j.and_then(|j| toks.get(j)).filter(|n| n.seg == t.seg);
        // "the Thursday one", "this one": a pronoun, not an hour.
        let pronoun = near(i.checked_sub(1)).is_some_and(|p| match &p.k {
            K::Word(w) => DETERMINERS.contains(&w.as_str()) || weekday_of(w, p.cap).is_some(),
            _ => false,
        });
        // The other end must not belong to a range of its own ("one -- 10
        // to 12" is a pronoun before a span). A "half" before either end
        // ("from half two till half three") stands aside.
        let is_half = |n: &Tok| matches!(&n.k, K::Word(w) if w == "half");
        let far = if near(Some(i + 2)).is_some_and(is_half) {
            i + 3
        } else {
            i + 2
        };
        let opens = near(Some(i + 1)).is_some_and(link)
            && near(Some(far)).is_some_and(|n| time_end(n) && hour(n) != Some(h))
            && !near(Some(far + 1)).is_some_and(link);
        let back = if near(i.checked_sub(1)).is_some_and(is_half) {
            1
        } else {
            0
        };
        let closes = i >= 2 + back
            && near(i.checked_sub(1 + back)).is_some_and(link)
            && near(i.checked_sub(2 + back)).is_some_and(|n| time_end(n) && hour(n) != Some(h))
            && !near(i.checked_sub(3 + back)).is_some_and(link);
        let on_the_hour =
            near(Some(i + 1)).is_some_and(|n| matches!(&n.k, K::Word(w) if w == "o'clock"));
        if !pronoun && (opens || closes || on_the_hour) {
            read.push((i, h));
        }
    }
    for (i, h) in read {
        // "half three" (British) is half past three; the "half" is spent.
        let half_past = i
            .checked_sub(1)
            .and_then(|j| toks.get(j))
            .is_some_and(|p| p.seg == toks[i].seg && matches!(&p.k, K::Word(w) if w == "half"));
        let digits = if h >= 10 { 2 } else { 1 };
        // A half hour that ends a range ("till half three") sits where
        // "half" stood, right after the range's link; the word is spent.
        let ends_range =
            half_past && i >= 2 && toks[i - 2].seg == toks[i].seg && link(&toks[i - 2]);
        if ends_range {
            toks[i - 1].k = K::Clock(h, 30, digits);
            toks[i - 1].end = toks[i].end;
            toks[i].k = K::Junk;
            continue;
        }
        if half_past {
            toks[i - 1].k = K::Junk;
        }
        if let Some(t) = toks.get_mut(i) {
            t.k = if half_past {
                K::Clock(h, 30, digits)
            } else {
                K::Num(h, digits)
            };
        }
    }
    // "from 10 till half 12", "half 2 to 4": "half" before an hour in
    // digits that ends or opens a range is half past it, as with the words.
    for i in 1..toks.len() {
        let K::Num(h, digits @ 1..=2) = toks[i].k else {
            continue;
        };
        if !(1..=12).contains(&h) {
            continue;
        }
        let seg = toks[i].seg;
        let same = |j: usize| toks.get(j).filter(|n| n.seg == seg);
        if !same(i - 1).is_some_and(|p| matches!(&p.k, K::Word(w) if w == "half")) {
            continue;
        }
        let ends =
            i >= 2 && same(i - 2).is_some_and(link) && i >= 3 && same(i - 3).is_some_and(time_end);
        let opens = same(i + 1).is_some_and(link) && same(i + 2).is_some_and(time_end);
        if opens {
            toks[i - 1].k = K::Junk;
            toks[i].k = K::Clock(h, 30, digits);
        } else if ends {
            // The range's link must stand right before its end: the clock
            // takes the place of "half", and the number's place is spent.
            toks[i - 1].k = K::Clock(h, 30, digits);
            toks[i - 1].end = toks[i].end;
            toks[i].k = K::Junk;
        }
    }
}

/// Words before an hour word that make it a pronoun or a count ("the
/// Thursday one", "the two of us").
const DETERMINERS: &[&str] = &[
    "the", "this", "that", "which", "each", "every", "any", "no", "a", "another", "only", "last",
    "first", "next", "other", "same", "one",
];

/// An hour of the 12-hour clock written as a word.
fn hour_word(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Words.

/// The weekday a word's first three letters name ("tues", "Thursday",
/// "wed"), whatever follows them: for words a pattern has already found to
/// be a weekday.
pub fn weekday_by_prefix(w: &str) -> Option<Weekday> {
    Some(match w.get(..3)?.to_ascii_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn weekday_of(w: &str, cap: bool) -> Option<Weekday> {
    Some(match w {
        "monday" | "mon" | "mondy" => Weekday::Mon,
        "tuesday" | "tues" | "tue" | "tuseday" | "teusday" => Weekday::Tue,
        "tu" if cap => Weekday::Tue,
        "wednesday" | "wed" | "weds" | "wednsday" | "wensday" | "wedensday" | "wednesay" => {
            Weekday::Wed
        }
        "thursday" | "thurs" | "thur" | "thu" | "thrusday" | "thursay" => Weekday::Thu,
        "th" if cap => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sat" if cap => Weekday::Sat,
        "sunday" => Weekday::Sun,
        "sun" if cap => Weekday::Sun,
        _ => return None,
    })
}

fn month_of(w: &str, cap: bool) -> Option<u32> {
    Some(match w {
        "jan" | "january" => 1,
        "feb" | "february" | "febuary" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" if cap => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "fifteen" => 15,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "ninety" => 90,
        _ => return None,
    })
}

/// Words after a number that make it a count, not a time ("2-3 people").
const COUNT_NOUNS: &[&str] = &[
    "hours",
    "hour",
    "hrs",
    "hr",
    "minutes",
    "minute",
    "mins",
    "min",
    "seconds",
    "second",
    "secs",
    "sec",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "year",
    "people",
    "persons",
    "person",
    "patrons",
    "students",
    "chats",
    "times",
    "questions",
    "pages",
    "items",
    "books",
    "percent",
    "shifts",
    "slots",
    "sessions",
    "emails",
    "messages",
    "more",
    "extra",
    "additional",
    "other",
    "others",
    "of",
    "out",
    "points",
    "members",
    "staff",
    "librarians",
    "folks",
    "volunteers",
    "x",
];

/// Words before a number that make it a label, not a time ("room 10-12").
const LABELS: &[&str] = &[
    "room",
    "rm",
    "rooms",
    "page",
    "pages",
    "pp",
    "p",
    "chapter",
    "chapters",
    "ch",
    "ages",
    "age",
    "grade",
    "grades",
    "suite",
    "floor",
    "floors",
    "ext",
    "x",
    "no",
    "number",
    "vol",
    "issue",
    "section",
    "question",
    "questions",
    "table",
    "item",
    "items",
    "step",
    "steps",
    "score",
    "line",
    "lines",
    "version",
    "v",
];

/// Words after "the 8th" that make it a rank, not a day ("the 2nd call").
const RANKED: &[&str] = &[
    "call", "calls", "request", "requests", "time", "floor", "grade", "year", "edition", "place",
    "try", "attempt", "round", "reminder", "shift", "shifts", "half", "hour", "week", "person",
    "email", "message", "notice", "one", "slot", "session", "of",
];

// ---------------------------------------------------------------------------
// Calendar arithmetic.

/// The day nearest `date` that is `wd`, when `date` is not: three days
/// either side at most, the earlier on a tie.
fn nearest_weekday(date: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    if date.weekday() == wd {
        return None;
    }
    (1..=3).find_map(|n| {
        [add_days(date, -n), add_days(date, n)]
            .into_iter()
            .find(|d| d.weekday() == wd)
    })
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(chrono::TimeDelta::days(n))
        .unwrap_or(d)
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    add_days(d, -i64::from(d.weekday().num_days_from_monday()))
}

fn on_or_after(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    add_days(from, i64::from(ahead))
}

fn last_before(today: NaiveDate, wd: Weekday) -> NaiveDate {
    let back = (7 + today.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    add_days(today, -i64::from(if back == 0 { 7 } else { back }))
}

fn in_week(monday: NaiveDate, wd: Weekday) -> NaiveDate {
    add_days(monday, i64::from(wd.num_days_from_monday()))
}

/// A US holiday's place in the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holiday {
    /// The nth weekday of a month ("the third Monday of January").
    Nth(u32, Weekday, u8),
    /// The last weekday of a month (Memorial Day).
    Last(u32, Weekday),
    /// A fixed month and day.
    Fixed(u32, u32),
}

impl Holiday {
    fn in_year(self, y: i32) -> Option<NaiveDate> {
        match self {
            Holiday::Fixed(m, d) => NaiveDate::from_ymd_opt(y, m, d),
            Holiday::Nth(m, wd, n) => NaiveDate::from_weekday_of_month_opt(y, m, wd, n),
            Holiday::Last(m, wd) => {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                }?;
                Some(last_before(next, wd))
            }
        }
    }

    /// The weekday it always falls on, for "MLK Monday".
    fn weekday(self) -> Option<Weekday> {
        match self {
            Holiday::Nth(_, wd, _) | Holiday::Last(_, wd) => Some(wd),
            Holiday::Fixed(..) => None,
        }
    }
}

/// Minutes of `[s, e)` that fall outside `[lo, hi]`.
fn outside(s: Minute, e: Minute, lo: Minute, hi: Minute) -> Minute {
    let inside = e.min(hi).saturating_sub(s.max(lo));
    (e - s).saturating_sub(inside)
}

fn distance(t: Minute, lo: Minute, hi: Minute) -> Minute {
    lo.saturating_sub(t) + t.saturating_sub(hi)
}

// ---------------------------------------------------------------------------
// The grammar.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modifier {
    This,
    Next,
    Last,
}

#[derive(Debug, Clone, Copy)]
enum Written {
    Full(NaiveDate),
    MonthDay(u32, u32),
    Day(u32),
    /// "14/12", "7/12": two numbers whose reading in the other order is a
    /// date too: the configured order's month and day (none when that
    /// reading is no date, as "14/12" is not month first), and the other
    /// order's. A weekday written beside it settles which is meant; with
    /// none, the configured order's, or the other when that is no date.
    EitherOrder(Option<(u32, u32)>, (u32, u32)),
}

#[derive(Debug, Clone)]
struct DateHit {
    first: NaiveDate,
    last: NaiveDate,
    start: usize,
    end: usize,
    seg: usize,
    /// "this morning", "tonight": dropped when the text names another day.
    weak: bool,
    /// "since Monday": names a day that is not asked about.
    context: bool,
    part: Option<DayPart>,
    note: Option<String>,
    /// A weekday read on its own, so "Mon-Wed" can count from the first day.
    bare_weekday: Option<Weekday>,
    /// A written month and day, so "Dec 8-10" can be a range.
    written_day: bool,
    /// A weekday placed by the sentence's "next week" or "this week": the
    /// writer's week may start on another day than ours.
    week_placed: Option<Weekday>,
    /// The nearest day of the weekday written beside a date it disagrees
    /// with.
    weekday_meant: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
struct TimeHit {
    time: TimeRef,
    start: usize,
    end: usize,
    seg: usize,
    weak: bool,
}

/// A point on the clock as written.
#[derive(Debug, Clone, Copy)]
struct Tp {
    h: u32,
    m: u32,
    /// Some(true) for pm.
    pm: Option<bool>,
    /// 24-hour ("14:00", "08:00") or noon/midnight: no am/pm to guess.
    fixed: bool,
    /// A plain number ("2"), the weakest sign of a time.
    bare: bool,
    /// Hour and minutes run together as phones write them ("330", "1030"),
    /// read only as an end of a range.
    compact: bool,
    end: usize,
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    today: NaiveDate,
    order: DateOrder,
    open: Minute,
    close: Minute,
    /// Per sentence: the Monday of the week it names ("next week", "this
    /// week", "the week of 12/14"), when it names exactly one.
    week: BTreeMap<usize, Option<NaiveDate>>,
    /// Sentences that name a weekday.
    weekday_segs: Vec<usize>,
    /// The desk's zone: times labelled with another are moved onto it.
    zone: Tz,
}

fn minute_of(t: chrono::NaiveTime) -> Minute {
    t.hour() * 60 + t.minute()
}

impl<'a> Parser<'a> {
    fn new(
        text: &'a str,
        toks: Vec<Tok>,
        today: NaiveDate,
        order: DateOrder,
        hours: &ServiceHours,
        zone: Tz,
    ) -> Self {
        let mut p = Parser {
            text,
            toks,
            today,
            order,
            zone,
            open: minute_of(hours.open),
            close: minute_of(hours.close),
            week: BTreeMap::new(),
            weekday_segs: Vec::new(),
        };
        for i in 0..p.toks.len() {
            let seg = p.toks[i].seg;
            let this_monday = monday_of(today);
            let m = match (p.word(i, seg), p.word(i + 1, seg)) {
                (Some("next" | "following"), Some("week" | "week's")) => {
                    Some(add_days(this_monday, 7))
                }
                (Some("this"), Some("week" | "week's")) => Some(this_monday),
                (Some("week"), Some("of")) => p.week_of(i + 2).map(monday_of),
                _ => p
                    .nth_week_of_month(i)
                    .map(|(monday, _)| monday)
                    .or_else(|| p.holiday_week(i)),
            };
            if let Some(m) = m {
                let entry = p.week.entry(seg).or_insert(Some(m));
                if *entry != Some(m) {
                    *entry = None;
                }
            }
            if p.weekday_at(i).is_some() {
                p.weekday_segs.push(seg);
            }
        }
        // "the end of the month", "end of April": the month's last week,
        // which a later "that last week" points back to.
        let mut month_ends: BTreeMap<usize, NaiveDate> = BTreeMap::new();
        for i in 0..p.toks.len() {
            let seg = p.toks[i].seg;
            if p.word(i, seg) != Some("end") || p.word(i + 1, seg) != Some("of") {
                continue;
            }
            let j = if p.word_in(i + 2, seg, &["the", "this"]) {
                i + 3
            } else {
                i + 2
            };
            let first = if p.word(j, seg) == Some("month") {
                NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
            } else {
                p.month_ahead(j, seg)
            };
            let Some(next) = first.and_then(|f| f.checked_add_months(chrono::Months::new(1)))
            else {
                continue;
            };
            let last_thursday = on_or_after(add_days(next, -7), Weekday::Thu);
            month_ends.insert(seg, monday_of(last_thursday));
        }
        // "that week" places a sentence's weekdays in the week the
        // sentence before it named ("I'm away the 2nd week of Jan. Could
        // someone take my Wednesday that week?"); "that last week" the last
        // week of the month whose end was named ("away end of the month -
        // could someone take my Friday that last week?").
        for i in 0..p.toks.len() {
            let seg = p.toks[i].seg;
            if p.word(i, seg) != Some("that") || p.week.contains_key(&seg) {
                continue;
            }
            if p.word_in(i + 1, seg, &["last", "final"])
                && p.word(i + 2, seg) == Some("week")
                && let Some((_, &m)) = month_ends.range(..=seg).next_back()
            {
                p.week.insert(seg, Some(m));
            } else if p.word(i + 1, seg) == Some("week")
                && let Some(Some(m)) = p.week.range(..seg).next_back().map(|(_, m)| *m)
            {
                p.week.insert(seg, Some(m));
            }
        }
        p
    }

    /// "Christmas week", "Thanksgiving week", "MLK week", "New Year's
    /// week": the Monday of the week that holds the holiday (the next one,
    /// or one at most 60 days past).
    fn holiday_week(&self, i: usize) -> Option<NaiveDate> {
        let seg = self.toks.get(i)?.seg;
        let (h, next) = match self.word(i, seg)? {
            "christmas" | "xmas" => (Holiday::Fixed(12, 25), i + 1),
            "thanksgiving" => (Holiday::Nth(11, Weekday::Thu, 4), i + 1),
            "mlk" => (Holiday::Nth(1, Weekday::Mon, 3), i + 1),
            "presidents" => (Holiday::Nth(2, Weekday::Mon, 3), i + 1),
            "new" if matches!(self.word(i + 1, seg), Some("year" | "years")) => {
                (Holiday::Fixed(1, 1), i + 2)
            }
            _ => return None,
        };
        let mut k = next;
        if self.punct(k, seg, '\'') || self.punct(k, seg, '\u{2019}') {
            k += 1;
        }
        if self.word(k, seg) != Some("week") {
            return None;
        }
        self.holiday_date(h).map(monday_of)
    }

    /// "the 2nd week of Jan", "the first week in March", "the last week of
    /// April": the Monday of that week and the index past the month. A
    /// month's first week is the one holding its first Thursday (most of
    /// its working days are the month's), so January 2027's first week
    /// starts on the 4th. The month is the next one of that name from
    /// today's month on.
    fn nth_week_of_month(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let seg = self.toks.get(i)?.seg;
        let n = self.nth_at(i, seg)?;
        if self.word(i + 1, seg) != Some("week") || !self.word_in(i + 2, seg, &["of", "in"]) {
            return None;
        }
        let month = self.month_ahead(i + 3, seg)?;
        let (year, month) = (month.year(), month.month());
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let monday = if n > 0 {
            let thursday = on_or_after(first, Weekday::Thu);
            add_days(monday_of(thursday), 7 * (n - 1))
        } else {
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            let last_thursday = on_or_after(add_days(next, -7), Weekday::Thu);
            monday_of(last_thursday)
        };
        // A fifth week the month does not hold is none.
        let thursday = add_days(monday, 3);
        (thursday.month() == month).then_some((monday, i + 4))
    }

    /// "the first Monday in March", "the last Friday of April", "the 3rd
    /// Tuesday of Jan": that weekday of that month (the next month of that
    /// name from today's month on), and the index past the month. A fifth
    /// one the month does not hold is none.
    fn nth_weekday_of_month(&self, i: usize) -> Option<(NaiveDate, usize)> {
        let seg = self.toks.get(i)?.seg;
        let n = self.nth_at(i, seg)?;
        let wd = self.weekday_in(i + 1, seg)?;
        if !self.word_in(i + 2, seg, &["of", "in"]) {
            return None;
        }
        let first = self.month_ahead(i + 3, seg)?;
        let day = if n > 0 {
            add_days(on_or_after(first, wd), 7 * (n - 1))
        } else {
            let next = first.checked_add_months(chrono::Months::new(1))?;
            last_before(next, wd)
        };
        (day.month() == first.month()).then_some((day, i + 4))
    }

    /// An ordinal that counts weeks or weekdays in a month: "first",
    /// "2nd", "last" (as -1).
    fn nth_at(&self, i: usize, seg: usize) -> Option<i64> {
        Some(match self.k(i, seg)? {
            K::Ord(n @ 1..=5) => i64::from(*n),
            K::Word(w) => match w.as_str() {
                "first" => 1,
                "second" => 2,
                "third" => 3,
                "fourth" => 4,
                "fifth" => 5,
                "last" => -1,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// The first day of the month named at `i`: the next month of that
    /// name from today's month on.
    fn month_ahead(&self, i: usize, seg: usize) -> Option<NaiveDate> {
        let t = self.tok(i, seg)?;
        let month = month_of(self.word(i, seg)?, t.cap)?;
        let year = if month < self.today.month() {
            self.today.year() + 1
        } else {
            self.today.year()
        };
        NaiveDate::from_ymd_opt(year, month, 1)
    }

    fn tok(&self, i: usize, seg: usize) -> Option<&Tok> {
        self.toks.get(i).filter(|t| t.seg == seg)
    }

    fn k(&self, i: usize, seg: usize) -> Option<&K> {
        self.tok(i, seg).map(|t| &t.k)
    }

    /// The word at `i` in sentence `seg`, without a possessive "'s".
    fn word(&self, i: usize, seg: usize) -> Option<&str> {
        match self.k(i, seg) {
            Some(K::Word(w)) => Some(w.strip_suffix("'s").unwrap_or(w)),
            _ => None,
        }
    }

    fn word_in(&self, i: usize, seg: usize, set: &[&str]) -> bool {
        self.word(i, seg).is_some_and(|w| set.contains(&w))
    }

    /// True when sentence `seg` tells what others did ("the patron came
    /// back on chat today"): a verb in the past and no word of the writer.
    fn narrates_others(&self, seg: usize) -> bool {
        const PAST: &[&str] = &[
            "came",
            "asked",
            "told",
            "said",
            "called",
            "emailed",
            "visited",
            "stopped",
            "showed",
            "mentioned",
            "wrote",
            "chatted",
            "messaged",
            "phoned",
            "returned",
            "was",
            "were",
        ];
        const WRITER: &[&str] = &[
            "i", "i'm", "i'll", "i've", "i'd", "im", "me", "my", "mine", "we", "we're", "we'll",
            "our", "us",
        ];
        let words = || {
            self.toks
                .iter()
                .filter(|t| t.seg == seg)
                .filter_map(|t| match &t.k {
                    K::Word(w) => Some(w.as_str()),
                    _ => None,
                })
        };
        words().any(|w| PAST.contains(&w)) && !words().any(|w| WRITER.contains(&w))
    }

    fn punct(&self, i: usize, seg: usize, c: char) -> bool {
        self.k(i, seg) == Some(&K::Punct(c))
    }

    fn prev_word(&self, i: usize, seg: usize) -> Option<&str> {
        i.checked_sub(1).and_then(|j| self.word(j, seg))
    }

    fn said(&self, start: usize, end: usize) -> String {
        let (Some(a), Some(b)) = (
            self.toks.get(start),
            end.checked_sub(1).and_then(|e| self.toks.get(e)),
        ) else {
            return String::new();
        };
        self.text
            .get(a.start..b.end)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn run(self) -> Days {
        let mut dates = Vec::new();
        let mut times = Vec::new();
        // Times that tell when something else happens ("a flight that
        // doesn't land until 4"), for the diagnostics.
        let mut asides = Vec::new();
        let mut i = 0;
        while i < self.toks.len() {
            if let Some(d) = self.date_at(i) {
                if let Some(part) = d.part {
                    times.push(TimeHit {
                        time: TimeRef::Part(part),
                        start: d.start,
                        end: d.end,
                        seg: d.seg,
                        weak: d.weak,
                    });
                }
                i = d.end.max(i + 1);
                let more = self.more_days(&d);
                if let Some(last) = more.last() {
                    i = last.end;
                }
                dates.push(d);
                dates.extend(more);
            } else if let Some(t) = self.time_at(i) {
                i = t.end.max(i + 1);
                // "2:30-3:30 of my 2-3:30": the second names the shift the
                // first is part of, and is not asked about itself.
                let describes_shift = t.start >= 2
                    && self.word(t.start - 2, t.seg) == Some("of")
                    && self.word_in(t.start - 1, t.seg, &["my", "his", "her", "their", "your"])
                    && times.last().is_some_and(|p: &TimeHit| p.end + 2 == t.start);
                if self.explains_a_thing(&t) {
                    asides.push(format!(
                        "time {} from '{}' tells when something else happens; not asked",
                        t.time,
                        self.said(t.start, t.end)
                    ));
                } else if !describes_shift {
                    times.push(t);
                }
            } else {
                i += 1;
            }
        }
        let dates = self.over_a_month(dates);
        let dates = self.weekdays_within_a_range(dates);
        let dates = self.without_corrected_away(dates);
        let dates = self.without_week_of_chatter(dates);
        let mut days = self.bind(dates, times);
        days.diagnostics.extend(asides);
        days
    }

    /// A week said of how the writer fares ("brain is fried this week",
    /// "I'm swamped next week") beside a day named elsewhere is chatter,
    /// not every day of that week asked for; with no other day the week
    /// stays ("swamped this week, can anyone cover my shifts?").
    fn without_week_of_chatter(&self, dates: Vec<DateHit>) -> Vec<DateHit> {
        const FARING: &[&str] = &[
            "fried",
            "crazy",
            "hectic",
            "busy",
            "swamped",
            "slammed",
            "insane",
            "nuts",
            "rough",
            "wild",
            "exhausted",
            "tired",
            "stressed",
            "brutal",
            "frazzled",
            "overwhelmed",
            "buried",
            "toast",
            "dead",
            "wiped",
        ];
        let chatter = |d: &DateHit| {
            d.last > d.first
                && !d.context
                && d.start > 0
                && self.word_in(d.start - 1, d.seg, FARING)
                && self.word_in(d.start + 1, d.seg, &["week"])
        };
        let other_day = dates
            .iter()
            .any(|d| d.first == d.last && !d.context && !d.weak);
        if !other_day {
            return dates;
        }
        dates.into_iter().filter(|d| !chatter(d)).collect()
    }

    /// A day the writer corrects away, naming the day meant beside it: "the
    /// 18th not the 11th", "Tuesday, not Monday", "not Monday but Tuesday",
    /// "the 11th should have been the 18th". The ruled-out day is dropped
    /// wherever the text names it ("Need Thurs the 11th ... EDIT: it's the
    /// 18th not the 11th"); the day meant is kept. A "not" before anything
    /// but a day ("Tuesday, not sure about the time") rules out nothing.
    fn without_corrected_away(&self, dates: Vec<DateHit>) -> Vec<DateHit> {
        let single = |d: &DateHit| d.first == d.last && !d.context && !d.weak;
        let mut gone: Vec<NaiveDate> = Vec::new();
        for pair in dates.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if a.seg != b.seg || !single(a) || !single(b) || a.first == b.first || b.start < a.end {
                continue;
            }
            let between: Vec<&K> = (a.end..b.start).filter_map(|i| self.k(i, a.seg)).collect();
            if between.len() != b.start - a.end {
                continue;
            }
            let is_word = |k: &K, w: &str| matches!(k, K::Word(x) if x == w);
            let is_sep = |k: &K| matches!(k, K::Punct(',') | K::Dash);
            let filler =
                |k: &K| matches!(k, K::Word(x) if matches!(x.as_str(), "the" | "on" | "my"));
            let words: Vec<&K> = between
                .iter()
                .copied()
                .filter(|k| !is_sep(k) && !filler(k))
                .collect();
            let seps_ok = between.iter().all(|k| is_sep(k) || matches!(k, K::Word(_)));
            if !seps_ok {
                continue;
            }
            // "X not Y", "X, not Y", "X -- not Y": Y is ruled out.
            let x_not_y = matches!(words.as_slice(), [k] if is_word(k, "not"));
            // "not Y but X", "not Y, but X": Y is ruled out.
            let not_y_but_x = matches!(words.as_slice(), [k] if is_word(k, "but"))
                && a.start > 0
                && self.word(a.start - 1, a.seg) == Some("not");
            // "Y should have been X", "Y should've been X".
            let y_should_be_x = matches!(words.as_slice(), [s, h, b2]
                    if is_word(s, "should") && is_word(h, "have") && is_word(b2, "been"))
                || matches!(words.as_slice(), [s, b2]
                    if is_word(s, "should've") && is_word(b2, "been"));
            // "the 29th I need covered, not the 22nd", "Friday is the one
            // I meant, not Monday": a short clause about X, then ", not Y".
            let x_clause_not_y = words.len() >= 2
                && words.len() <= 5
                && words.last().is_some_and(|k| is_word(k, "not"))
                && between.len() >= 2
                && is_sep(between[between.len() - 2])
                && !words[..words.len() - 1].iter().any(|k| {
                    ["and", "or", "but", "if", "not", "and/or"]
                        .iter()
                        .any(|w| is_word(k, w))
                });
            if x_not_y || x_clause_not_y {
                gone.push(b.first);
            } else if not_y_but_x || y_should_be_x {
                gone.push(a.first);
            }
        }
        if gone.is_empty() {
            return dates;
        }
        let kept: Vec<DateHit> = dates
            .iter()
            .filter(|d| !(single(d) && gone.contains(&d.first)))
            .cloned()
            .collect();
        // Only while a day is left: a correction that rules out every day
        // it names is no correction.
        if kept.iter().any(single) { kept } else { dates }
    }

    /// "each of my Friday 2-3:30 chat shifts that month" (a month named
    /// before), "all of my Friday shifts in February", "my Tuesday shifts
    /// all that month": a weekday said of
    /// every one of the writer's shifts over a month is each such day of
    /// that month still ahead, not the coming one.
    fn over_a_month(&self, dates: Vec<DateHit>) -> Vec<DateHit> {
        let mut out = Vec::with_capacity(dates.len());
        for d in dates {
            let (Some(wd), true) = (d.bare_weekday, d.first == d.last) else {
                out.push(d);
                continue;
            };
            let seg = d.seg;
            let every = d.start >= 3
                && self.word_in(d.start - 1, seg, &["my", "the", "our"])
                && ((self.word(d.start - 2, seg) == Some("of")
                    && self.word_in(d.start - 3, seg, &["each", "all", "every"]))
                    || self.word_in(d.start - 2, seg, &["each", "all"]));
            // "my Tuesday chat shifts all that month"
            let mine = d.start >= 1 && self.word_in(d.start - 1, seg, &["my", "our"]);
            let month = (every || mine)
                .then(|| {
                    (d.end..d.end + 8).find_map(|k| {
                        if self.word(k, seg) == Some("month")
                            && self.word(k - 1, seg) == Some("that")
                            && (every || (k >= 2 && self.word(k - 2, seg) == Some("all")))
                        {
                            // The month named last before the weekday.
                            (0..d.start).rev().find_map(|j| {
                                let t = self.toks.get(j)?;
                                month_of(self.word(j, t.seg)?, t.cap)
                            })
                        } else if every && self.word(k, seg) == Some("in") {
                            let t = self.tok(k + 1, seg)?;
                            month_of(self.word(k + 1, seg)?, t.cap)
                        } else {
                            None
                        }
                    })
                })
                .flatten();
            let Some(month) = month else {
                out.push(d);
                continue;
            };
            // This year's month, or next year's when it has passed.
            let year = if month >= self.today.month() {
                self.today.year()
            } else {
                self.today.year() + 1
            };
            let days: Vec<NaiveDate> = (1..=31)
                .filter_map(|day| NaiveDate::from_ymd_opt(year, month, day))
                .filter(|day| day.weekday() == wd && *day >= self.today)
                .collect();
            if days.is_empty() {
                out.push(d);
                continue;
            }
            for day in days {
                let mut h = d.clone();
                h.first = day;
                h.last = day;
                h.bare_weekday = None;
                out.push(h);
            }
        }
        out
    }

    /// "my mon + wed during spring break (3/15-3/19)", "Tuesdays and
    /// Thursdays over 1/4-1/15": weekdays said beside a range of days in
    /// the same sentence, each of which the range holds, are the range's
    /// days of those weekdays, not every day of it.
    fn weekdays_within_a_range(&self, dates: Vec<DateHit>) -> Vec<DateHit> {
        let is_range = |d: &DateHit| d.first < d.last && d.bare_weekday.is_none() && !d.context;
        let mut drop = vec![false; dates.len()];
        let mut moved: Vec<DateHit> = Vec::new();
        for (ri, r) in dates.iter().enumerate() {
            if !is_range(r) || (r.last - r.first).num_days() > 27 {
                continue;
            }
            let weekdays: Vec<usize> = dates
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    d.seg == r.seg && d.first == d.last && d.bare_weekday.is_some() && !d.context
                })
                .map(|(i, _)| i)
                .collect();
            let in_range = |wd: Weekday| {
                r.first
                    .iter_days()
                    .take_while(|d| *d <= r.last)
                    .filter(|d| d.weekday() == wd)
                    .collect::<Vec<_>>()
            };
            // Weekdays that name every day the range holds narrow nothing
            // ("Thursday and Friday (12/10-12/11)").
            let range_weekdays: std::collections::BTreeSet<u32> = r
                .first
                .iter_days()
                .take_while(|d| *d <= r.last)
                .map(|d| d.weekday().num_days_from_monday())
                .collect();
            let named: std::collections::BTreeSet<u32> = self
                .toks
                .iter()
                .filter(|t| t.seg == r.seg)
                .filter_map(|t| match &t.k {
                    K::Word(w) => weekday_of(w, t.cap),
                    _ => None,
                })
                .map(|wd| wd.num_days_from_monday())
                .collect();
            if weekdays.is_empty()
                || named == range_weekdays
                || weekdays.iter().any(|&i| {
                    dates[i]
                        .bare_weekday
                        .is_some_and(|wd| in_range(wd).is_empty())
                })
            {
                continue;
            }
            drop[ri] = true;
            for &i in &weekdays {
                drop[i] = true;
                let d = &dates[i];
                for day in d.bare_weekday.map(in_range).unwrap_or_default() {
                    let mut h = d.clone();
                    h.first = day;
                    h.last = day;
                    h.bare_weekday = None;
                    h.note = Some(format!(
                        "{day}: the {} in the range '{}'",
                        day.weekday(),
                        self.said(r.start, r.end)
                    ));
                    moved.push(h);
                }
            }
        }
        if moved.is_empty() {
            return dates;
        }
        let mut out: Vec<DateHit> = dates
            .into_iter()
            .zip(drop)
            .filter(|(_, dropped)| !dropped)
            .map(|(d, _)| d)
            .collect();
        out.extend(moved);
        out.sort_by_key(|d| (d.start, d.first));
        out
    }

    // --- days ------------------------------------------------------------

    /// More days of the same month after a written date: "Dec 15, 16 and
    /// 17", "the 8th and 9th".
    fn more_days(&self, d: &DateHit) -> Vec<DateHit> {
        let mut out = Vec::new();
        if !d.written_day || d.first != d.last {
            return out;
        }
        let seg = d.seg;
        let mut prev = d.first;
        let mut j = d.end;
        loop {
            let mut k = j;
            while self.joins(k, seg) {
                k += 1;
            }
            if k == j {
                break;
            }
            let day = match self.k(k, seg) {
                Some(K::Num(n, 1..=2)) | Some(K::Ord(n)) => *n,
                _ => break,
            };
            // "Dec 8, 10-12", "Dec 8, 12 to 2", "Dec 8 and 3 others" are not days.
            let timeish = matches!(self.k(k + 1, seg), Some(K::Dash | K::Punct(':')))
                || self.word_in(
                    k + 1,
                    seg,
                    &["am", "pm", "a", "p", "to", "till", "until", "o'clock"],
                )
                || self.count_follows(k + 1, seg);
            if timeish || day <= prev.day() {
                break;
            }
            let Some(date) = prev.with_day(day) else {
                break;
            };
            let mut h = self.hit(date, k, k + 1);
            h.written_day = true;
            out.push(h);
            prev = date;
            j = k + 1;
        }
        out
    }

    /// A holiday named at `i`, and the token after its name. Named as a
    /// day ("MLK Day", "MLK Monday", "Christmas Eve", "Juneteenth") unless
    /// `bare` allows the name alone, as after "the Friday after"; never
    /// after "happy" or "merry", which greet.
    fn holiday_at(&self, i: usize, bare: bool) -> Option<(Holiday, usize)> {
        let seg = self.toks.get(i)?.seg;
        if matches!(self.prev_word(i, seg), Some("happy" | "merry")) {
            return None;
        }
        let w = |k: usize| self.word(k, seg);
        let (holiday, mut end, eve) = match w(i)? {
            "mlk" => (Holiday::Nth(1, Weekday::Mon, 3), i + 1, None),
            "martin" if w(i + 1) == Some("luther") && w(i + 2) == Some("king") => {
                let end = if w(i + 3) == Some("jr") { i + 4 } else { i + 3 };
                (Holiday::Nth(1, Weekday::Mon, 3), end, None)
            }
            "presidents" | "president" => (Holiday::Nth(2, Weekday::Mon, 3), i + 1, None),
            "memorial" => (Holiday::Last(5, Weekday::Mon), i + 1, None),
            "juneteenth" => (Holiday::Fixed(6, 19), i + 1, None),
            "independence" => (Holiday::Fixed(7, 4), i + 1, None),
            "labor" | "labour" => (Holiday::Nth(9, Weekday::Mon, 1), i + 1, None),
            "columbus" => (Holiday::Nth(10, Weekday::Mon, 2), i + 1, None),
            "indigenous" => {
                let end = if matches!(w(i + 1), Some("peoples" | "people")) {
                    i + 2
                } else {
                    i + 1
                };
                (Holiday::Nth(10, Weekday::Mon, 2), end, None)
            }
            "veterans" | "veteran" => (Holiday::Fixed(11, 11), i + 1, None),
            "thanksgiving" => (Holiday::Nth(11, Weekday::Thu, 4), i + 1, None),
            "christmas" | "xmas" => (Holiday::Fixed(12, 25), i + 1, Some(Holiday::Fixed(12, 24))),
            "new" if matches!(w(i + 1), Some("year" | "years")) => {
                (Holiday::Fixed(1, 1), i + 2, Some(Holiday::Fixed(12, 31)))
            }
            _ => return None,
        };
        let named_day = holiday == Holiday::Fixed(6, 19);
        // "Presidents' Day": the plural's apostrophe is no word.
        if self.punct(end, seg, '\'') || self.punct(end, seg, '\u{2019}') {
            end += 1;
        }
        // "Labor Day weekend", "the Christmas Eve party": a stretch or an
        // event around the day, not the day.
        let around = |k: usize| {
            self.word_in(
                k,
                seg,
                &[
                    "weekend", "week", "break", "holidays", "vacation", "party", "potluck",
                    "lunch", "parade", "sale",
                ],
            )
        };
        if around(end) || around(end + 1) {
            return None;
        }
        match w(end) {
            Some("day") => Some((holiday, end + 1)),
            Some("eve") if eve.is_some() => eve.map(|e| (e, end + 1)),
            Some(d)
                if holiday.weekday().is_some()
                    && weekday_of(d, self.toks.get(end).is_some_and(|t| t.cap))
                        == holiday.weekday() =>
            {
                end += 1;
                Some((holiday, end))
            }
            _ if bare || named_day => Some((holiday, end)),
            _ => None,
        }
    }

    /// A holiday's date: like a year-less date, the first of last, this or
    /// next year's that falls no more than 60 days before the message.
    fn holiday_date(&self, h: Holiday) -> Option<NaiveDate> {
        let floor = add_days(self.today, -LOOKBACK_DAYS);
        let y = self.today.year();
        (y - 1..=y + 1)
            .filter_map(|y| h.in_year(y))
            .find(|d| *d >= floor)
    }

    /// "the Friday after Thanksgiving", "the Wednesday before MLK Day":
    /// the first such weekday after, or the last before, the holiday.
    fn weekday_from_holiday(&self, i: usize) -> Option<DateHit> {
        let seg = self.toks.get(i)?.seg;
        let wd = self.weekday_at(i)?;
        let after = match self.word(i + 1, seg)? {
            "after" => true,
            "before" => false,
            _ => return None,
        };
        let (h, end) = self.holiday_at(i + 2, true)?;
        let day = self.holiday_date(h)?;
        let date = if after {
            on_or_after(add_days(day, 1), wd)
        } else {
            last_before(day, wd)
        };
        Some(self.hit(date, i, end))
    }

    /// A weekday word at `i` that names a day (not "every Monday", "Happy
    /// Friday" or "Wednesday afternoons").
    /// A weekday at `i` in the sentence `seg`.
    fn weekday_in(&self, i: usize, seg: usize) -> Option<Weekday> {
        self.tok(i, seg)?;
        self.weekday_at(i)
    }

    fn weekday_at(&self, i: usize) -> Option<Weekday> {
        let t = self.toks.get(i)?;
        let wd = weekday_of(self.word(i, t.seg)?, t.cap)?;
        // "Friday mornings" recur, except in a week the sentence places
        // ("my Wednesday and Friday mornings that week").
        let placed = self.week.get(&t.seg).copied().flatten().is_some();
        if (!placed
            && self.word_in(
                i + 1,
                t.seg,
                &["mornings", "afternoons", "evenings", "nights"],
            ))
            || matches!(self.prev_word(i, t.seg), Some("every" | "happy"))
            || self.any_weekday(i, t.seg)
        {
            return None;
        }
        Some(wd)
    }

    /// "a Wed or Thu shift", "any Monday": some weekday, not a day.
    fn any_weekday(&self, mut i: usize, seg: usize) -> bool {
        const ANY: &[&str] = &["a", "an", "any", "another", "some", "other"];
        loop {
            if i >= 1 && self.word_in(i - 1, seg, ANY) {
                return true;
            }
            // Walk back over "Wed or", "Mon, Tue and".
            let joined = i >= 2
                && self.joins(i - 1, seg)
                && self.toks.get(i - 2).is_some_and(|t| {
                    self.word(i - 2, seg)
                        .and_then(|w| weekday_of(w, t.cap))
                        .is_some()
                });
            if !joined {
                return false;
            }
            i -= 2;
        }
    }

    fn hit(&self, first: NaiveDate, start: usize, end: usize) -> DateHit {
        DateHit {
            first,
            last: first,
            start,
            end,
            seg: self.toks.get(start).map_or(0, |t| t.seg),
            weak: false,
            context: false,
            part: None,
            note: None,
            bare_weekday: None,
            written_day: false,
            week_placed: None,
            weekday_meant: None,
        }
    }

    fn date_at(&self, i: usize) -> Option<DateHit> {
        let mut hit = self.date_core(i)?;
        self.extend_range(&mut hit);
        let seg = hit.seg;
        let before = |n: usize| i.checked_sub(n).and_then(|j| self.word(j, seg));
        let back = |w: Option<&str>| matches!(w, Some("back" | "return" | "returning"));
        // "since Monday", "back on Tuesday", "see you Friday" name a day that
        // is not asked about.
        if matches!(before(1), Some("since"))
            || back(before(1))
            || (before(1) == Some("on") && back(before(2)))
            || (before(1) == Some("you") && before(2) == Some("see"))
        {
            hit.context = true;
        }
        // "out until Wednesday": up to the day before.
        if matches!(before(1), Some("until" | "till" | "til")) && hit.first == hit.last {
            let eve = add_days(hit.first, -1);
            if eve >= self.today && (eve - self.today).num_days() < MAX_RANGE_DAYS {
                hit.last = eve;
                hit.first = self.today;
                hit.bare_weekday = None;
            } else {
                hit.context = true;
            }
        }
        // "out sick thru Wed" (no first day before it): from today through
        // that day, inclusive. "Mon thru Wed" is a range read above.
        if matches!(before(1), Some("through" | "thru")) && hit.first == hit.last {
            let days = (hit.first - self.today).num_days();
            if days > 0 && days < MAX_RANGE_DAYS {
                hit.first = self.today;
                hit.bare_weekday = None;
            }
        }
        Some(hit)
    }

    fn date_core(&self, i: usize) -> Option<DateHit> {
        let seg = self.toks.get(i)?.seg;
        let today = self.today;
        // "the 2nd week of Jan": like "the week of 1/11" below, it places
        // the sentence's weekdays, or else is the whole week.
        if let Some((monday, end)) = self.nth_week_of_month(i) {
            let mut h = self.hit(monday, i, end);
            h.last = add_days(monday, 6);
            h.context = self.weekday_segs.contains(&seg);
            return Some(h);
        }
        let k = if self.word(i, seg) == Some("the") {
            i + 1
        } else {
            i
        };
        if let Some((day, end)) = self.nth_weekday_of_month(k) {
            return Some(self.hit(day, i, end));
        }
        if let Some(w) = self.word(i, seg) {
            let rel = match w {
                "today" => Some(0),
                "tomorrow" | "tmrw" | "tmw" | "tmr" | "tomorow" | "tommorow" | "tommorrow"
                | "tomm" => Some(1),
                "yesterday" => Some(-1),
                _ => None,
            };
            if let Some(n) = rel {
                let mut h = self.hit(add_days(today, n), i, i + 1);
                // "the patron came back on chat today": a report about
                // others, dropped when the text names another day.
                h.weak = n == 0 && self.narrates_others(seg);
                return Some(h);
            }
            if w == "tonight" || w == "tonite" {
                let mut h = self.hit(today, i, i + 1);
                h.weak = true;
                return Some(h);
            }
            if w == "this" {
                // "this am", "this pm": phone shorthand for this morning and
                // this afternoon.
                let part = match self.word(i + 1, seg) {
                    Some("morning" | "am") => Some(DayPart::Morning),
                    Some("afternoon" | "pm") => Some(DayPart::Afternoon),
                    Some("evening") => Some(DayPart::Evening),
                    _ => None,
                };
                if let Some(part) = part {
                    let mut h = self.hit(today, i, i + 2);
                    h.weak = true;
                    h.part = Some(part);
                    return Some(h);
                }
            }
            // "the day after tomorrow", "day after tomorrow"
            let d = if w == "the" { i + 1 } else { i };
            if self.word(d, seg) == Some("day")
                && self.word(d + 1, seg) == Some("after")
                && matches!(self.word(d + 2, seg), Some("tomorrow" | "tmrw"))
            {
                return Some(self.hit(add_days(today, 2), i, d + 3));
            }
            // "the day after Thanksgiving", "the day before Christmas Eve"
            if self.word(d, seg) == Some("day")
                && let Some(step) = match self.word(d + 1, seg) {
                    Some("after") => Some(1),
                    Some("before") => Some(-1),
                    _ => None,
                }
                && let Some((h, end)) = self.holiday_at(d + 2, true)
                && let Some(day) = self.holiday_date(h)
            {
                return Some(self.hit(add_days(day, step), i, end));
            }
            // "next Tuesday", "this coming Friday", "last Monday"
            let modifier = match (w, self.word(i + 1, seg)) {
                ("this", Some("coming")) => Some((Modifier::This, i + 2)),
                ("this", Some("past")) => Some((Modifier::Last, i + 2)),
                ("this" | "coming" | "upcoming", _) => Some((Modifier::This, i + 1)),
                ("next", _) => Some((Modifier::Next, i + 1)),
                ("last" | "past", _) => Some((Modifier::Last, i + 1)),
                _ => None,
            };
            if let Some((m, j)) = modifier {
                if let Some(wd) = self.weekday_at(j) {
                    return self.weekday_forms(i, j, wd, Some(m));
                }
                // "next week" on its own: the whole week, unless the
                // sentence names weekdays (then it places them).
                if m != Modifier::Last
                    && matches!(self.word(j, seg), Some("week"))
                    && !self.weekday_segs.contains(&seg)
                {
                    let (first, last) = match m {
                        Modifier::Next => {
                            let monday = add_days(monday_of(today), 7);
                            (monday, add_days(monday, 6))
                        }
                        _ => (today, add_days(monday_of(today), 6)),
                    };
                    let mut h = self.hit(first, i, j + 1);
                    h.last = last;
                    return Some(h);
                }
            }
            // "a week on Tuesday" (British) and "a week from Tuesday"
            // (American): the Tuesday after the coming one.
            if matches!(w, "a" | "one")
                && self.word(i + 1, seg) == Some("week")
                && self.word_in(i + 2, seg, &["on", "from"])
                && let Some(wd) = self.weekday_in(i + 3, seg)
            {
                return Some(self.hit(add_days(on_or_after(today, wd), 7), i, i + 4));
            }
            // "a fortnight from today", "two weeks from Thursday", "a week
            // from tomorrow", "a fortnight today" (British): counted on from
            // that day.
            let weeks = match (w, self.word(i + 1, seg)) {
                ("a" | "one", Some("week")) => Some(7),
                ("a" | "one", Some("fortnight")) => Some(14),
                ("two", Some("weeks")) => Some(14),
                _ => None,
            };
            if let Some(n) = weeks {
                // "a fortnight on Thursday" (British) counts on from the
                // coming Thursday, as "from" does.
                let from = self.word(i + 2, seg) == Some("from")
                    || (self.word(i + 2, seg) == Some("on")
                        && self.weekday_in(i + 3, seg).is_some());
                let b = if from { i + 3 } else { i + 2 };
                let base = match self.word(b, seg) {
                    Some("today") => Some(today),
                    Some("tomorrow") => Some(add_days(today, 1)),
                    _ if from => self.weekday_in(b, seg).map(|wd| on_or_after(today, wd)),
                    _ => None,
                };
                if let Some(base) = base {
                    return Some(self.hit(add_days(base, n), i, b + 1));
                }
            }
            if let Some(h) = self.weekday_from_holiday(i) {
                return Some(h);
            }
            // "MLK Day", "my MLK Monday shift": the holiday's date.
            if let Some((h, end)) = self.holiday_at(i, false)
                && let Some(day) = self.holiday_date(h)
            {
                return Some(self.hit(day, i, end));
            }
            if let Some(wd) = self.weekday_at(i) {
                return self.weekday_forms(i, i, wd, None);
            }
            // "the week of 12/14": places the sentence's weekdays, or else
            // is the whole week.
            if w == "week" && self.word(i + 1, seg) == Some("of") {
                let end = self.written_at(i + 2, false)?.1;
                let monday = monday_of(self.week_of(i + 2)?);
                let mut h = self.hit(monday, i, end);
                h.last = add_days(monday, 6);
                h.context = self.weekday_segs.contains(&seg);
                return Some(h);
            }
        }
        // A written date, maybe with its weekday after it: "12/8 (Tue)".
        let allow_ord = matches!(self.prev_word(i, seg), Some("on"));
        let (written, mut end) = self.written_at(i, allow_ord)?;
        let mut k = end;
        if self.punct(k, seg, '(') || self.punct(k, seg, ',') {
            k += 1;
        }
        // "14/12 (the Monday)"
        if self.word(k, seg) == Some("the") && self.weekday_at(k + 1).is_some() {
            k += 1;
        }
        let mut wd = None;
        // A weekday in the next sentence ("on the 25th. Tuesday I'm away")
        // is not this date's.
        if let Some(w) = self.weekday_in(k, seg) {
            wd = Some(w);
            end = k + 1;
            if self.punct(end, seg, ')') {
                end += 1;
            }
        }
        let (date, note) = self.resolve_written(written, wd)?;
        let mut h = self.hit(date, i, end);
        h.note = note;
        h.written_day = true;
        h.weekday_meant = wd.and_then(|wd| nearest_weekday(date, wd));
        Some(h)
    }

    /// The date written at `i`, after "the week of".
    fn week_of(&self, i: usize) -> Option<NaiveDate> {
        let (written, _) = self.written_at(i, false)?;
        Some(self.resolve_written(written, None)?.0)
    }

    /// A weekday at `j` (with a modifier starting at `i`), and the date that
    /// may follow it: "Tues 11/10", "Monday, April 19", "Tuesday the 8th".
    fn weekday_forms(
        &self,
        i: usize,
        j: usize,
        wd: Weekday,
        modifier: Option<Modifier>,
    ) -> Option<DateHit> {
        let seg = self.toks.get(j)?.seg;
        let mut k = j + 1;
        if self.punct(k, seg, ',') || self.punct(k, seg, '(') {
            k += 1;
        }
        if let Some((written, mut end)) = self.written_at(k, true)
            && let Some((date, note)) = self.resolve_written(written, Some(wd))
        {
            if self.punct(end, seg, ')') {
                end += 1;
            }
            let mut h = self.hit(date, i, end);
            h.note = note;
            h.written_day = true;
            h.weekday_meant = nearest_weekday(date, wd);
            return Some(h);
        }
        let week = self.week.get(&seg).copied().flatten();
        let today = self.today;
        // "Monday week" (British): the Monday after the coming one.
        if modifier.is_none()
            && week.is_none()
            && self.word(j + 1, seg) == Some("week")
            && !self.word_in(j + 2, seg, &["of", "off"])
        {
            return Some(self.hit(add_days(on_or_after(today, wd), 7), i, j + 2));
        }
        // "Monday fortnight" (British): two weeks on from the coming Monday.
        if modifier.is_none() && week.is_none() && self.word(j + 1, seg) == Some("fortnight") {
            return Some(self.hit(add_days(on_or_after(today, wd), 14), i, j + 2));
        }
        // "the Wednesday after next": the Wednesday after the coming one,
        // as "a week from Wednesday".
        if modifier.is_none()
            && week.is_none()
            && self.word(j + 1, seg) == Some("after")
            && self.word(j + 2, seg) == Some("next")
            && !self.word_in(j + 3, seg, &["week", "month", "year", "time"])
        {
            return Some(self.hit(add_days(on_or_after(today, wd), 7), i, j + 3));
        }
        // "Monday next" (British, the modifier after the day) is "next
        // Monday"; not "Friday next to the desk" or "Monday next time".
        if modifier.is_none()
            && week.is_none()
            && self.word(j + 1, seg) == Some("next")
            && !self.word_in(j + 2, seg, &["to", "door", "time", "week", "month", "year"])
        {
            let date = in_week(add_days(monday_of(today), 7), wd);
            return Some(self.hit(date, i, j + 2));
        }
        let date = match (modifier, week) {
            (Some(Modifier::Next), _) => in_week(add_days(monday_of(today), 7), wd),
            (Some(Modifier::Last), _) => last_before(today, wd),
            (None, Some(monday)) => in_week(monday, wd),
            _ => on_or_after(today, wd),
        };
        let mut h = self.hit(date, i, j + 1);
        if modifier.is_none() && week.is_none() {
            h.bare_weekday = Some(wd);
        }
        if modifier.is_none() && week.is_some() {
            h.week_placed = Some(wd);
        }
        Some(h)
    }

    /// True for a time said of a thing in a relative clause, in a sentence
    /// that names no shift: "a flight that doesn't land until 4", "a train
    /// which gets in at 3", "a class that lets out at 2". It tells when
    /// that thing happens, not which part of a shift is asked ("the shift
    /// that starts at 2" names the shift, and is kept).
    fn explains_a_thing(&self, t: &TimeHit) -> bool {
        const VERBS: &[&str] = &[
            "land", "lands", "arrive", "arrives", "get", "gets", "leave", "leaves", "depart",
            "departs", "end", "ends", "finish", "finishes", "start", "starts", "begin", "begins",
            "run", "runs", "let", "lets", "wrap", "wraps", "board", "boards", "take", "takes",
        ];
        const PARTICLES: &[&str] = &["in", "out", "off", "up", "back"];
        const NEGATION: &[&str] = &[
            "doesn't", "don't", "won't", "isn't", "didn't", "not", "never", "even",
        ];
        const HELPERS: &[&str] = &["does", "do", "will", "is", "did"];
        const SHIFT_WORDS: &[&str] = &[
            "shift", "shifts", "slot", "slots", "chat", "desk", "cover", "covering", "coverage",
        ];
        if !matches!(
            t.time,
            TimeRef::From(_) | TimeRef::Until(_) | TimeRef::At(_)
        ) {
            return false;
        }
        let seg = t.seg;
        let Some(mut k) = t.start.checked_sub(1) else {
            return false;
        };
        if self.word_in(k, seg, PARTICLES) {
            let Some(j) = k.checked_sub(1) else {
                return false;
            };
            k = j;
        }
        if !self.word_in(k, seg, VERBS) {
            return false;
        }
        // Back over "doesn't", "does not", "will not even".
        let mut steps = 0;
        while steps < 3
            && k >= 1
            && (self.word_in(k - 1, seg, NEGATION) || self.word_in(k - 1, seg, HELPERS))
        {
            k -= 1;
            steps += 1;
        }
        let relative = k >= 1 && self.word_in(k - 1, seg, &["that", "which"]);
        let names_shift = self
            .toks
            .iter()
            .enumerate()
            .any(|(n, tok)| tok.seg == seg && self.word_in(n, seg, SHIFT_WORDS));
        relative && !names_shift
    }

    /// A date written with numbers or a month name at `i`.
    fn written_at(&self, i: usize, allow_bare_ord: bool) -> Option<(Written, usize)> {
        let t = self.toks.get(i)?;
        let seg = t.seg;
        match &t.k {
            K::Iso(d) => Some((Written::Full(*d), i + 1)),
            K::Slash(parts) => self.slash(parts, i),
            // Day first whatever the configured order: read as that order
            // writes it.
            K::DayFirst(parts) => {
                let mut parts = parts.clone();
                if matches!(self.order, DateOrder::Mdy) {
                    parts.swap(0, 1);
                }
                self.slash(&parts, i)
            }
            K::Word(w) if w == "the" => match self.k(i + 1, seg) {
                Some(K::Ord(d)) if (1..=31).contains(d) => {
                    if let Some(x) = self.day_month(i + 1, *d) {
                        return Some(x);
                    }
                    self.rank_free(i + 2, seg)
                        .then_some((Written::Day(*d), i + 2))
                }
                _ => None,
            },
            K::Word(w) => {
                let month = month_of(w, t.cap)?;
                let mut j = i + 1;
                if self.word(j, seg) == Some("the") {
                    j += 1;
                }
                let day = match self.k(j, seg) {
                    Some(K::Num(d, 1..=2)) if !self.word_in(j + 1, seg, &["am", "pm"]) => *d,
                    Some(K::Ord(d)) => *d,
                    _ => return None,
                };
                if !(1..=31).contains(&day) {
                    return None;
                }
                Some(self.with_year(month, day, j + 1, seg))
            }
            K::Num(d, 1..=2) if (1..=31).contains(d) => self.day_month(i, *d),
            K::Ord(d) if (1..=31).contains(d) => self.day_month(i, *d).or_else(|| {
                (allow_bare_ord && self.rank_free(i + 1, seg)).then_some((Written::Day(*d), i + 1))
            }),
            _ => None,
        }
    }

    /// "8 December", "8th of Dec 2026", from the day at `i`.
    fn day_month(&self, i: usize, day: u32) -> Option<(Written, usize)> {
        let t = self.toks.get(i)?;
        let seg = t.seg;
        let mut j = i + 1;
        if self.word(j, seg) == Some("of") {
            j += 1;
        }
        let mt = self.tok(j, seg)?;
        let month = month_of(self.word(j, seg)?, mt.cap)?;
        Some(self.with_year(month, day, j + 1, seg))
    }

    /// A month and day, and the year that may follow at `j` (", 2026").
    fn with_year(&self, month: u32, day: u32, j: usize, seg: usize) -> (Written, usize) {
        let k = if self.punct(j, seg, ',') { j + 1 } else { j };
        if let Some(K::Num(y, 4)) = self.k(k, seg)
            && (1990..=2100).contains(y)
            && let Some(d) = NaiveDate::from_ymd_opt(*y as i32, month, day)
        {
            return (Written::Full(d), k + 1);
        }
        (Written::MonthDay(month, day), j)
    }

    /// True when the word at `i` does not make an ordinal a rank.
    fn rank_free(&self, i: usize, seg: usize) -> bool {
        !self.word_in(i, seg, RANKED)
    }

    fn slash(&self, parts: &[(u32, usize)], i: usize) -> Option<(Written, usize)> {
        let seg = self.toks.get(i)?.seg;
        // "1/2 hour" is a half hour.
        if self.word_in(i + 1, seg, &["hour", "hours", "hr", "hrs", "an", "day"]) {
            return None;
        }
        let date = match *parts {
            [(y, 4), (m, 1..=2), (d, 1..=2)] => {
                return Some((
                    Written::Full(NaiveDate::from_ymd_opt(y as i32, m, d)?),
                    i + 1,
                ));
            }
            [(a, 1..=2), (b, 1..=2)] | [(a, 1..=2), (b, 1..=2), _] => {
                if (a, b) == (24, 7) {
                    return None;
                }
                match self.order {
                    DateOrder::Mdy => (a, b),
                    DateOrder::Dmy => (b, a),
                }
            }
            _ => return None,
        };
        let (month, day) = date;
        match parts.get(2) {
            None => {
                // February 29th is checked against a leap year.
                let is_date = |(m, d): (u32, u32)| NaiveDate::from_ymd_opt(2000, m, d).is_some();
                let other = (day, month);
                if other != date && is_date(other) {
                    let read = is_date(date).then_some(date);
                    return Some((Written::EitherOrder(read, other), i + 1));
                }
                NaiveDate::from_ymd_opt(2000, month, day)?;
                Some((Written::MonthDay(month, day), i + 1))
            }
            Some(&(y, yd)) => {
                let year = match yd {
                    2 => 2000 + y as i32,
                    4 => y as i32,
                    _ => return None,
                };
                Some((
                    Written::Full(NaiveDate::from_ymd_opt(year, month, day)?),
                    i + 1,
                ))
            }
        }
    }

    /// The date a written date means, near today; a weekday written with it
    /// picks among the candidates.
    fn resolve_written(
        &self,
        written: Written,
        wd: Option<Weekday>,
    ) -> Option<(NaiveDate, Option<String>)> {
        let today = self.today;
        let disagrees = |d: NaiveDate| {
            wd.filter(|w| *w != d.weekday())
                .map(|w| format!("{d} is a {}, not a {w}; reading the date", d.weekday()))
        };
        match written {
            // The configured order is read, unless a weekday beside the
            // date agrees only with the other order ("14/12 (the Monday)"
            // from a writer who puts the day first); a date impossible in
            // the configured order is read in the other.
            Written::EitherOrder(read, (m, d)) => {
                let read =
                    read.and_then(|(m, d)| self.resolve_written(Written::MonthDay(m, d), wd));
                if let Some(w) = wd
                    && read.as_ref().is_none_or(|(c, _)| c.weekday() != w)
                    && let Some((c, _)) = self.resolve_written(Written::MonthDay(m, d), wd)
                    && c.weekday() == w
                {
                    return Some((
                        c,
                        Some(format!(
                            "{c} read day first: the weekday written beside it is a {w}"
                        )),
                    ));
                }
                // A date impossible in the configured order ("14/12" where
                // months come first) can only have been written the other
                // way round.
                if read.is_none()
                    && wd.is_none()
                    && let Some((c, _)) = self.resolve_written(Written::MonthDay(m, d), None)
                {
                    return Some((
                        c,
                        Some(format!(
                            "{c} read in the other order: it is no date in the configured one"
                        )),
                    ));
                }
                read
            }
            Written::Full(d) => Some((d, disagrees(d))),
            Written::MonthDay(m, d) => {
                let floor = add_days(today, -LOOKBACK_DAYS);
                let y = today.year();
                let candidates: Vec<NaiveDate> = (y - 1..=y + 1)
                    .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
                    .filter(|c| *c >= floor)
                    .collect();
                let c = *candidates.first()?;
                Some((c, disagrees(c)))
            }
            Written::Day(d) => {
                let mut plain = None;
                for k in -1..=13i32 {
                    let months = today.year() * 12 + today.month0() as i32 + k;
                    let Some(c) = NaiveDate::from_ymd_opt(
                        months.div_euclid(12),
                        months.rem_euclid(12) as u32 + 1,
                        d,
                    ) else {
                        continue;
                    };
                    if plain.is_none() && c >= today {
                        plain = Some(c);
                    }
                    if wd == Some(c.weekday()) && c >= add_days(today, -7) {
                        return Some((c, None));
                    }
                }
                let c = plain?;
                Some((c, disagrees(c)))
            }
        }
    }

    /// "Mon-Wed", "12/8 - 12/10", "Dec 8-10", "Monday through Friday",
    /// "from Tuesday to Thursday".
    fn extend_range(&self, hit: &mut DateHit) {
        let seg = hit.seg;
        let e = hit.end;
        let sep = match self.k(e, seg) {
            Some(K::Dash) => true,
            Some(K::Word(w)) => match w.as_str() {
                "through" | "thru" | "until" | "till" | "til" => true,
                "to" => hit.start > 0 && self.prev_word(hit.start, seg) == Some("from"),
                _ => false,
            },
            _ => false,
        };
        if !sep || hit.last != hit.first {
            return;
        }
        // "Dec 8-10": a day of the same month.
        if hit.written_day
            && self.k(e, seg) == Some(&K::Dash)
            && let Some(K::Num(d, 1..=2)) = self.k(e + 1, seg)
        {
            let next_is_time = matches!(self.k(e + 2, seg), Some(K::Dash | K::Punct(':')))
                || self.word_in(e + 2, seg, &["am", "pm", "a", "p"]);
            if !next_is_time && *d > hit.first.day() {
                if let Some(last) = hit.first.with_day(*d) {
                    hit.last = last;
                    hit.end = e + 2;
                }
                return;
            }
        }
        let Some(second) = self.date_core(e + 1) else {
            return;
        };
        let last = match second.bare_weekday {
            Some(wd) => on_or_after(hit.first, wd),
            None => second.first,
        };
        let span = (last - hit.first).num_days();
        if span > 0 && span <= MAX_RANGE_DAYS && !second.context {
            hit.last = last;
            hit.end = second.end;
        }
    }

    // --- times -----------------------------------------------------------

    fn tp_at(&self, i: usize, seg: usize) -> Option<Tp> {
        let t = self.tok(i, seg)?;
        let (h, m, mut fixed, mut bare) = match &t.k {
            K::Word(w) if w == "noon" => (12, 0, true, false),
            K::Word(w) if w == "midnight" => (0, 0, true, false),
            K::Clock(h, m, d) if *h <= 24 && *m < 60 => {
                (*h, *m, *h >= 13 || *h == 0 || (*d == 2 && *h < 10), false)
            }
            K::Num(h, d) if *d <= 2 && (1..=24).contains(h) => {
                (*h, 0, *h >= 13 || (*d == 2 && *h < 10), true)
            }
            _ => return None,
        };
        let mut end = i + 1;
        let mut pm = None;
        if let Some(next) = self.tok(end, seg) {
            let is_word = |s: &str| matches!(&next.k, K::Word(w) if w == s);
            if is_word("am") || (is_word("a") && next.glued) {
                pm = Some(false);
            } else if is_word("pm") || (is_word("p") && next.glued) {
                pm = Some(true);
            } else if is_word("noon") && h == 12 && bare {
                fixed = true;
                bare = false;
                end += 1;
            } else if is_word("o'clock") {
                bare = false;
                end += 1;
            }
        }
        if pm.is_some() {
            if fixed || h == 0 || h > 12 {
                return None;
            }
            end += 1;
            bare = false;
        }
        if h == 24 && m > 0 {
            return None;
        }
        Some(Tp {
            h,
            m,
            pm,
            fixed,
            bare,
            compact: false,
            end,
        })
    }

    /// A clock time written without its colon, as phone mail does: "330"
    /// is 3:30 and "1030" is 10:30 ("tues 2-330", "1030-12"). Read only as
    /// an end of a range, and only for a 12-hour clock on a five-minute
    /// mark, so a year ("2025-2026"), a room ("101-105") or a count is not.
    /// Four digits on a 24-hour clock ("1300-1400", "0930-1100", as
    /// rosters and European mail write them) are read too, as fixed
    /// times on a quarter hour, but only in a range whose other end is
    /// four digits as well (see [`Self::span_of`]) and never in the years
    /// a budget or a term is named by (1950 to 2099).
    fn compact_at(&self, i: usize, seg: usize) -> Option<Tp> {
        let (v, d) = match self.k(i, seg)? {
            K::Num(v, d @ 3..=4) => (*v, *d),
            _ => return None,
        };
        let (h, m) = (v / 100, v % 100);
        let hour_ok = if d == 3 {
            (1..=9).contains(&h)
        } else {
            (10..=12).contains(&h)
        };
        let on_24_hours = d == 4
            && (h < 10 || (13..=23).contains(&h))
            && m % 15 == 0
            && !(1950..=2099).contains(&v);
        if !(hour_ok || on_24_hours) || m >= 60 || m % 5 != 0 {
            return None;
        }
        if on_24_hours {
            return Some(Tp {
                h,
                m,
                pm: None,
                fixed: true,
                bare: false,
                compact: true,
                end: i + 1,
            });
        }
        let mut end = i + 1;
        let mut pm = None;
        if let Some(K::Word(w)) = self.k(end, seg) {
            if w == "am" {
                pm = Some(false);
            } else if w == "pm" {
                pm = Some(true);
            }
            if pm.is_some() {
                end += 1;
            }
        }
        Some(Tp {
            h,
            m,
            pm,
            fixed: false,
            bare: false,
            compact: true,
            end,
        })
    }

    /// The minutes a point may mean; `as_end` reads midnight as 24:00.
    fn candidates(tp: &Tp, as_end: bool) -> Vec<Minute> {
        let close_day = |v: Minute| {
            if as_end && (v == 0 || v == DAY) {
                DAY
            } else {
                v % DAY
            }
        };
        if let Some(pm) = tp.pm {
            let h = tp.h % 12 + if pm { 12 } else { 0 };
            return vec![close_day(h * 60 + tp.m)];
        }
        if tp.fixed || tp.h == 0 {
            return vec![close_day(tp.h * 60 + tp.m)];
        }
        if tp.h == 12 {
            return vec![NOON + tp.m];
        }
        vec![tp.h * 60 + tp.m, (tp.h + 12) * 60 + tp.m]
    }

    /// The reading of "a-b" that best fits service hours, then daytime.
    fn choose_span(&self, a: &Tp, b: &Tp) -> Option<(Minute, Minute)> {
        // (minutes outside service hours, outside daytime, length) → span
        type Scored = ((Minute, Minute, Minute), (Minute, Minute));
        let mut best: Option<Scored> = None;
        for s in Self::candidates(a, false) {
            for e in Self::candidates(b, true) {
                if e <= s || e - s > 12 * 60 {
                    continue;
                }
                let key = (
                    outside(s, e, self.open, self.close),
                    outside(s, e, DAYTIME.0, DAYTIME.1),
                    e - s,
                );
                if best.is_none_or(|(k, _)| key < k) {
                    best = Some((key, (s, e)));
                }
            }
        }
        best.map(|(_, v)| v)
    }

    fn choose_point(&self, tp: &Tp) -> Option<Minute> {
        Self::candidates(tp, false).into_iter().min_by_key(|&t| {
            (
                distance(t, self.open, self.close),
                distance(t, DAYTIME.0, DAYTIME.1),
            )
        })
    }

    fn count_follows(&self, i: usize, seg: usize) -> bool {
        // "2-3 of us" counts people; "4-5 of my shift", "2 to 3 of Jorge's
        // shift", "12-1 of it" and "1-2 of the Tuesday slot" are part of a shift.
        const SHIFT_NOUNS: &[&str] = &["shift", "slot", "hours", "chat", "session", "block"];
        let names_a_shift =
            |from: usize| (from..from + 3).any(|k| self.word_in(k, seg, SHIFT_NOUNS));
        // A name's possessive ("jorge's", kept whole by the tokens) or
        // "the", then a shift noun.
        let part_of_a_shift = self.word(i, seg) == Some("of")
            && (self.word_in(
                i + 1,
                seg,
                &["my", "his", "her", "their", "your", "our", "it"],
            ) || ((matches!(self.k(i + 1, seg), Some(K::Word(w)) if w.ends_with("'s"))
                || self.word_in(i + 1, seg, &["the", "that"]))
                && names_a_shift(i + 2)));
        (self.word_in(i, seg, COUNT_NOUNS) && !part_of_a_shift) || self.punct(i, seg, '%')
    }

    fn label_precedes(&self, i: usize, seg: usize) -> bool {
        i.checked_sub(1).is_some_and(|j| {
            self.word_in(j, seg, LABELS) || self.punct(j, seg, '#') || self.punct(j, seg, '$')
        })
    }

    fn time_hit(&self, time: TimeRef, start: usize, end: usize) -> TimeHit {
        TimeHit {
            time,
            start,
            end,
            seg: self.toks.get(start).map_or(0, |t| t.seg),
            weak: false,
        }
    }

    /// A time, moved onto the desk's clock when a zone's label follows it.
    fn time_at(&self, i: usize) -> Option<TimeHit> {
        let mut hit = self.time_at_local(i)?;
        let home = self.zone;
        let Some(from) = self.word(hit.end, hit.seg).and_then(zone_of_label) else {
            return Some(hit);
        };
        let Some(d) = zone_shift(from, home, self.today).filter(|d| *d != 0) else {
            return Some(hit);
        };
        let mv = |m: Minute| {
            let n = i32::try_from(m).ok()? + d;
            (0..=i32::try_from(DAY).ok()?)
                .contains(&n)
                .then(|| Minute::try_from(n).ok())
                .flatten()
        };
        let moved = match hit.time {
            TimeRef::Span(a, b) => mv(a).zip(mv(b)).map(|(a, b)| TimeRef::Span(a, b)),
            TimeRef::From(a) => mv(a).map(TimeRef::From),
            TimeRef::Until(a) => mv(a).map(TimeRef::Until),
            TimeRef::At(a) => mv(a).map(TimeRef::At),
            other => Some(other),
        };
        if let Some(t) = moved {
            hit.time = t;
            hit.end += 1;
        }
        Some(hit)
    }

    fn time_at_local(&self, i: usize) -> Option<TimeHit> {
        let seg = self.toks.get(i)?.seg;
        let w = self.word(i, seg);
        // "between 1 and 2"
        if w == Some("between")
            && let Some(a) = self.tp_at(i + 1, seg)
            && self.word(a.end, seg) == Some("and")
            && let Some(b) = self.tp_at(a.end + 1, seg)
            && let Some(span) = self.span_of(&a, &b, i + 1, true)
        {
            return Some(self.time_hit(span, i, b.end));
        }
        // "10-12", "from 2 to 3", "at 2:30-3:30"
        let prefixed = matches!(w, Some("from" | "at")) || self.punct(i, seg, '@');
        let j = if prefixed { i + 1 } else { i };
        // Either end may be written without its colon ("2-330", "1030-12").
        let point = |k: usize| self.tp_at(k, seg).or_else(|| self.compact_at(k, seg));
        if let Some(a) = point(j) {
            let sep = match self.k(a.end, seg) {
                Some(K::Dash) => true,
                Some(K::Word(s)) => {
                    matches!(
                        s.as_str(),
                        "to" | "till" | "until" | "til" | "thru" | "through"
                    )
                }
                _ => false,
            };
            if sep
                && let Some(b) = point(a.end + 1)
                && let Some(span) = self.span_of(&a, &b, j, prefixed)
            {
                return Some(self.time_hit(span, i, b.end));
            }
        }
        if let Some(t) = self.single_at(i, seg) {
            return Some(t);
        }
        // "my 2pm shift", "the 10:00 slot"; not a zone's offset ("UTC-05:00").
        if let Some(tp) = self.tp_at(i, seg) {
            let is_clock = matches!(self.k(i, seg), Some(K::Clock(..)));
            let offset = i >= 2
                && matches!(self.k(i - 1, seg), Some(K::Dash | K::Punct('+')))
                && self.word_in(i - 2, seg, &["utc", "gmt"]);
            if (tp.pm.is_some() || is_clock) && !offset {
                let t = self.choose_point(&tp)?;
                return Some(self.time_hit(TimeRef::At(t), i, tp.end));
            }
        }
        // A part set aside ("but not the last half hour", "except the first
        // hour") is not the span meant.
        let excluded = |k: usize| {
            matches!(
                self.prev_word(k, seg),
                Some("not" | "except" | "minus" | "without")
            )
        };
        let part_excluded =
            excluded(i) || (self.prev_word(i, seg) == Some("the") && excluded(i - 1));
        if !part_excluded && let Some(t) = self.part_at(i, seg) {
            return Some(t);
        }
        // "Tuesday morning", "my afternoon shift", "my PM shift"
        let part = match w {
            Some("morning") => Some(DayPart::Morning),
            Some("afternoon") => Some(DayPart::Afternoon),
            Some("evening") => Some(DayPart::Evening),
            Some("am") if self.word_in(i + 1, seg, &["shift", "shifts"]) => Some(DayPart::Morning),
            Some("pm") if self.word_in(i + 1, seg, &["shift", "shifts"]) => {
                Some(DayPart::Afternoon)
            }
            _ => None,
        };
        part.filter(|_| self.prev_word(i, seg) != Some("good"))
            .map(|part| self.time_hit(TimeRef::Part(part), i, i + 1))
    }

    /// A span from two points, when the words around it say it is a time.
    fn span_of(&self, a: &Tp, b: &Tp, start: usize, prefixed: bool) -> Option<TimeRef> {
        let seg = self.toks.get(start)?.seg;
        if a.bare && b.bare {
            if !(1..=12).contains(&a.h) || !(1..=12).contains(&b.h) || a.h == b.h {
                return None;
            }
            if !prefixed && self.label_precedes(start, seg) {
                return None;
            }
        }
        // A four-digit 24-hour end pairs only with another four-digit end:
        // "1300-1400", "1230-1400"; not "2-1400".
        let on_24_hours = |p: &Tp| p.compact && p.fixed;
        if (on_24_hours(a) || on_24_hours(b)) && !(a.compact && b.compact) {
            return None;
        }
        let loose = a.bare || b.bare || a.compact || b.compact;
        if (a.compact || b.compact) && !prefixed && self.label_precedes(start, seg) {
            return None;
        }
        if loose && self.count_follows(b.end, seg) {
            return None;
        }
        let (s, e) = self.choose_span(a, b)?;
        Some(TimeRef::Span(s, e))
    }

    /// "after 3", "from 3:30", "until 2", "at 10", "leave at 2:30".
    fn single_at(&self, i: usize, seg: usize) -> Option<TimeHit> {
        let w = if self.punct(i, seg, '@') {
            "at"
        } else {
            self.word(i, seg)?
        };
        let (mut kind, j) = match w {
            "after" | "since" => ('f', i + 1),
            "from" | "starting" | "beginning" => {
                let j = if self.word(i + 1, seg) == Some("at") {
                    i + 2
                } else {
                    i + 1
                };
                ('f', j)
            }
            "until" | "till" | "til" | "untill" | "before" => ('u', i + 1),
            "up" if self.word_in(i + 1, seg, &["to", "until", "till"]) => ('u', i + 2),
            "at" | "around" | "by" => ('a', i + 1),
            _ => return None,
        };
        let tp = self.tp_at(j, seg)?;
        if tp.bare && self.count_follows(tp.end, seg) {
            return None;
        }
        // "I've been coughing since 4", "had a fever since 6": the perfect
        // tense dates something already happening, not a time to cover.
        if w == "since"
            && (1..=5).any(|b| i >= b && self.word_in(i - b, seg, &["been", "had", "have", "has"]))
        {
            return None;
        }
        if matches!(w, "at" | "by" | "around" | "before") {
            let near = |set: &[&str]| (1..=4).any(|b| i >= b && self.word_in(i - b, seg, set));
            if near(&["leave", "leaving", "leaves", "head", "duck", "step"]) {
                kind = 'f';
            } else if near(&["arrive", "arriving", "arrives", "late"]) {
                kind = 'u';
            }
        }
        if w == "by" && kind == 'a' {
            return None;
        }
        let t = self.choose_point(&tp)?;
        let time = match kind {
            'f' => TimeRef::From(t),
            'u' => TimeRef::Until(t),
            _ => TimeRef::At(t),
        };
        Some(self.time_hit(time, i, tp.end))
    }

    /// "the first hour", "last half hour", "first 30 minutes", "second half".
    fn part_at(&self, i: usize, seg: usize) -> Option<TimeHit> {
        #[derive(PartialEq)]
        enum Which {
            First,
            Last,
            Second,
        }
        let which = match self.k(i, seg)? {
            K::Word(w) => match w.as_str() {
                "first" | "front" => Which::First,
                "last" | "final" => Which::Last,
                "second" | "latter" | "back" => Which::Second,
                _ => return None,
            },
            K::Ord(1) => Which::First,
            K::Ord(2) => Which::Second,
            _ => return None,
        };
        let j = i + 1;
        let mins = |m: Minute, end: usize| {
            let time = match which {
                Which::First => TimeRef::First(m),
                Which::Last => TimeRef::Last(m),
                Which::Second => return None,
            };
            Some(self.time_hit(time, i, end))
        };
        match self.word(j, seg).unwrap_or("") {
            "half" => {
                let mut k = j + 1;
                if self.k(k, seg) == Some(&K::Dash) && self.word(k + 1, seg) == Some("hour") {
                    k += 1;
                }
                if self.word(k, seg) == Some("an") {
                    k += 1;
                }
                if self.word_in(k, seg, &["hour", "hr"]) {
                    return mins(30, k + 1);
                }
                let time = match which {
                    Which::First => TimeRef::FirstHalf,
                    _ => TimeRef::SecondHalf,
                };
                Some(self.time_hit(time, i, j + 1))
            }
            "hour" | "hr" => {
                if self.word(j + 1, seg) == Some("and")
                    && self.word(j + 2, seg) == Some("a")
                    && self.word(j + 3, seg) == Some("half")
                {
                    return mins(90, j + 4);
                }
                mins(60, j + 1)
            }
            w => number_word(w)
                .and_then(|n| self.part_length(n, j + 1, seg))
                .and_then(|(m, end)| mins(m, end)),
        }
        .or_else(|| {
            // "first 30 minutes", "last 2 hours"
            let n = match self.k(j, seg)? {
                K::Num(n, 1..=3) => *n,
                _ => return None,
            };
            let (m, end) = self.part_length(n, j + 1, seg)?;
            mins(m, end)
        })
    }

    fn part_length(&self, n: u32, j: usize, seg: usize) -> Option<(Minute, usize)> {
        let m = match self.word(j, seg)? {
            "minutes" | "minute" | "mins" | "min" => n,
            "hours" | "hour" | "hrs" | "hr" => n * 60,
            _ => return None,
        };
        (1..=12 * 60).contains(&m).then_some((m, j + 1))
    }

    // --- binding ---------------------------------------------------------

    /// True when token `i` only joins days in a list ("Mon and Wed").
    fn joins(&self, i: usize, seg: usize) -> bool {
        self.word_in(i, seg, &["and", "or", "plus", "also"])
            || self.punct(i, seg, ',')
            || self.punct(i, seg, '&')
            || self.punct(i, seg, '/')
    }

    /// True when token `i` only leads a time to the day after it ("2-3 on
    /// Tuesday").
    fn leads(&self, i: usize, seg: usize) -> bool {
        self.word_in(i, seg, &["on", "for", "of"])
            || self.punct(i, seg, ',')
            || self.punct(i, seg, '(')
    }

    /// True when a time is written as the person's shift: "my 3:30-5",
    /// "my usual 10-12", "the 12-2 shift", "10-12 chat slot".
    fn owned(&self, t: &TimeHit) -> bool {
        let seg = t.seg;
        let my = (1..=2).any(|b| t.start >= b && self.word(t.start - b, seg) == Some("my"));
        let shift = ["shift", "slot", "shifts"];
        // "I'm on chat 12-2" names the writer's own hours too.
        let on_chat = t.start >= 2
            && self.word_in(t.start - 1, seg, &["chat", "desk"])
            && self.word(t.start - 2, seg) == Some("on");
        my || on_chat
            || self.word_in(t.end, seg, &shift)
            || (self.word_in(t.end, seg, &["chat", "desk"]) && self.word_in(t.end + 1, seg, &shift))
    }

    /// True when a time is said as what the writer needs: "need" (or
    /// "need only", "need just") right before it ("so really I need 4:15
    /// to 5", "now I only need from 4").
    fn said_as_needed(&self, t: &TimeHit) -> bool {
        let seg = t.seg;
        let mut k = t.start;
        if k >= 1 && self.word_in(k - 1, seg, &["from", "only", "just"]) {
            k -= 1;
        }
        if k >= 1 && self.word_in(k - 1, seg, &["only", "just"]) {
            k -= 1;
        }
        k >= 1 && self.word_in(k - 1, seg, &["need", "needs"])
    }

    fn bind(&self, mut dates: Vec<DateHit>, times: Vec<TimeHit>) -> Days {
        // A weekday on its own is the dated day of that weekday the text
        // names elsewhere ("my Tuesday shift (11/17)").
        let dated: Vec<(usize, NaiveDate, NaiveDate)> = dates
            .iter()
            .filter(|d| d.bare_weekday.is_none() && !d.context && !d.weak)
            .map(|d| (d.start, d.first, d.last))
            .collect();
        for d in dates.iter_mut() {
            let Some(wd) = d.bare_weekday else { continue };
            let same = dated
                .iter()
                .map(|&(at, first, last)| (at, on_or_after(first, wd), last))
                .filter(|&(_, day, last)| day <= last)
                .min_by_key(|&(at, _, _)| at.abs_diff(d.start));
            if let Some((_, day, _)) = same {
                d.first = day;
                d.last = day;
            }
        }
        // A weekday placed by "next week" whose sentence writes a date on
        // that weekday within a week of it ("can someone take Tues next
        // week, 12/8?" sent on a Sunday, whose week may run Sunday to
        // Saturday) is that date: the writer counts weeks from another day.
        let written: Vec<(usize, NaiveDate)> = dates
            .iter()
            .filter(|d| d.written_day && d.first == d.last && !d.context && !d.weak)
            .map(|d| (d.seg, d.first))
            .collect();
        for d in dates.iter_mut() {
            let Some(wd) = d.week_placed else { continue };
            if let Some(&(_, day)) = written.iter().find(|&&(seg, day)| {
                seg == d.seg
                    && day.weekday() == wd
                    && day != d.first
                    && (day - d.first).num_days().abs() <= 7
            }) {
                d.first = day;
                d.last = day;
            }
        }
        let mut days = Days {
            names_date: !dates.is_empty(),
            ..Days::default()
        };
        // A range that holds days named on their own is their setting ("at a
        // conference next week ... Monday 12/7, Wednesday 12/9").
        // A weekday placed by the range itself ("Thursday and Friday
        // (12/10-12/11)") does not count.
        let singles: Vec<(NaiveDate, usize, bool)> = dates
            .iter()
            .filter(|d| d.first == d.last && !d.context && !d.weak)
            .map(|d| (d.first, d.seg, d.bare_weekday.is_some()))
            .collect();
        for d in dates.iter_mut() {
            let inside = singles.iter().any(|&(day, seg, placed)| {
                (d.first..=d.last).contains(&day) && (!placed || seg != d.seg)
            });
            if d.first != d.last && inside {
                d.context = true;
            }
        }
        days.names_time = !times.is_empty();
        let strong = dates.iter().any(|d| !d.weak && !d.context);
        let usable: Vec<&DateHit> = dates
            .iter()
            .filter(|d| !d.context && (!strong || !d.weak))
            .collect();
        for d in &dates {
            let said = self.said(d.start, d.end);
            let when = if d.first == d.last {
                d.first.to_string()
            } else {
                format!("{}..{}", d.first, d.last)
            };
            let why = if d.context {
                " (context only)"
            } else if strong && d.weak {
                " (ignored: another day is named)"
            } else {
                ""
            };
            days.diagnostics
                .push(format!("date {when} from '{said}'{why}"));
            if let Some(note) = &d.note {
                days.diagnostics.push(format!("'{said}': {note}"));
            }
        }

        // Days in a list share their times.
        struct Group {
            members: Vec<usize>,
            start: usize,
            end: usize,
            seg: usize,
        }
        let mut groups: Vec<Group> = Vec::new();
        for (n, d) in usable.iter().enumerate() {
            if let Some(g) = groups.last_mut()
                && g.seg == d.seg
                && (g.end..d.start).all(|k| self.joins(k, d.seg))
            {
                g.members.push(n);
                g.end = d.end;
                continue;
            }
            groups.push(Group {
                members: vec![n],
                start: d.start,
                end: d.end,
                seg: d.seg,
            });
        }
        let mut distinct: Vec<(NaiveDate, NaiveDate)> =
            usable.iter().map(|d| (d.first, d.last)).collect();
        distinct.sort();
        distinct.dedup();

        let mut bound: Vec<Vec<&TimeHit>> = vec![Vec::new(); groups.len()];
        // Times in a text that names no day at all are today's ("going
        // home, can someone pick up my 3:30-5?").
        let mut todays: Vec<&TimeHit> = Vec::new();
        // Groups come in text order, so the nearest group after or before
        // a time is found by halving rather than by a scan per time (which
        // made a long message's reading quadratic). Should they ever not be
        // in order, the scan is kept.
        let in_order = groups
            .windows(2)
            .all(|w| w[0].end <= w[1].start && w[0].seg <= w[1].seg);
        for t in times.iter().filter(|t| !(strong && t.weak)) {
            let (after, before) = if in_order {
                let p = groups.partition_point(|g| g.start < t.end);
                let q = groups.partition_point(|g| g.end <= t.start);
                (
                    (p < groups.len() && groups[p].seg == t.seg).then_some(p),
                    (q > 0 && groups[q - 1].seg == t.seg).then(|| q - 1),
                )
            } else {
                (
                    groups
                        .iter()
                        .position(|g| g.seg == t.seg && g.start >= t.end),
                    groups
                        .iter()
                        .rposition(|g| g.seg == t.seg && g.end <= t.start),
                )
            };
            let leads_to = after.filter(|&g| {
                let gap = t.end..groups[g].start;
                gap.len() <= 2 && gap.clone().all(|k| self.leads(k, t.seg))
            });
            let chosen = leads_to
                .or(before)
                .or(after)
                .or_else(|| (distinct.len() == 1 && !groups.is_empty()).then_some(0))
                .or_else(|| {
                    if in_order {
                        groups.partition_point(|g| g.end <= t.start).checked_sub(1)
                    } else {
                        groups.iter().rposition(|g| g.end <= t.start)
                    }
                });
            let said = self.said(t.start, t.end);
            match chosen {
                Some(g) => bound[g].push(t),
                None if groups.is_empty() && !matches!(t.time, TimeRef::Part(_)) => {
                    days.diagnostics.push(format!(
                        "time {} from '{said}' names no day; read as today",
                        t.time
                    ));
                    todays.push(t);
                }
                None => days
                    .diagnostics
                    .push(format!("time {} from '{said}' names no day", t.time)),
            }
        }

        let mut asks: BTreeMap<NaiveDate, DayAsk> = BTreeMap::new();
        for (g, group) in groups.iter().enumerate() {
            for &n in &group.members {
                let d = usable[n];
                let said = self.said(d.start, d.end);
                let mut day = d.first;
                while day <= d.last {
                    let ask = asks.entry(day).or_insert_with(|| DayAsk {
                        date: day,
                        times: Vec::new(),
                        said: Vec::new(),
                        weekday_meant: None,
                    });
                    if d.first == d.last {
                        ask.weekday_meant = ask.weekday_meant.or(d.weekday_meant);
                    }
                    if !ask.said.contains(&said) {
                        ask.said.push(said.clone());
                    }
                    for t in &bound[g] {
                        let mine = self.owned(t);
                        let needed = self.said_as_needed(t);
                        match ask.times.iter_mut().find(|x| x.time == t.time) {
                            Some(x) => {
                                x.mine |= mine;
                                x.needed |= needed;
                            }
                            None => ask.times.push(TimeAsk {
                                time: t.time,
                                said: self.said(t.start, t.end),
                                mine,
                                needed,
                            }),
                        }
                    }
                    let Some(next) = day.succ_opt() else { break };
                    day = next;
                }
            }
            for t in &bound[g] {
                let on: Vec<String> = group
                    .members
                    .iter()
                    .map(|&n| self.said(usable[n].start, usable[n].end))
                    .collect();
                days.diagnostics.push(format!(
                    "time {} from '{}' for '{}'",
                    t.time,
                    self.said(t.start, t.end),
                    on.join("', '")
                ));
            }
        }
        if !todays.is_empty() {
            let ask = asks.entry(self.today).or_insert_with(|| DayAsk {
                date: self.today,
                times: Vec::new(),
                said: Vec::new(),
                weekday_meant: None,
            });
            for t in todays {
                if !ask.times.iter().any(|x| x.time == t.time) {
                    ask.times.push(TimeAsk {
                        time: t.time,
                        said: self.said(t.start, t.end),
                        mine: self.owned(t),
                        needed: self.said_as_needed(t),
                    });
                }
            }
        }
        days.asks = asks.into_values().collect();
        days
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date")
    }

    /// The weekday spellings the reader's patterns share (the macros in
    /// `read`) name, in order, the five weekdays the dates read them as:
    /// a pattern that finds a day by one finds one the dates can place.
    #[test]
    fn shared_weekday_spellings_are_the_weekdays_dates_read() {
        use Weekday::*;
        let days = |alternation: &str| -> Vec<Weekday> {
            alternation
                .split('|')
                .map(|w| weekday_of(w, false).unwrap_or_else(|| panic!("{w} is no weekday")))
                .collect()
        };
        let mut abbrevs = days(weekday_abbrevs!());
        abbrevs.dedup();
        assert_eq!(abbrevs, [Mon, Tue, Wed, Thu, Fri]);
        assert!(weekday_abbrevs!().split('|').any(|w| w == "weds"));
        let mut without_weds = days(weekday_abbrevs_without_weds!());
        without_weds.dedup();
        assert_eq!(without_weds, [Mon, Tue, Wed, Thu, Fri]);
        assert!(
            !weekday_abbrevs_without_weds!()
                .split('|')
                .any(|w| w == "weds")
        );
        assert_eq!(days(weekday_names!()), [Mon, Tue, Wed, Thu, Fri]);
        let named: Vec<String> = weekday_stems!()
            .split('|')
            .map(|stem| format!("{stem}day"))
            .collect();
        assert_eq!(named.join("|"), weekday_names!());
    }

    /// No pattern of the reader spells a shared weekday alternation out
    /// again: each takes it from its macro.
    #[test]
    fn no_pattern_spells_a_shared_weekday_alternation_again() {
        let sources = [
            ("anchors.rs", include_str!("anchors.rs")),
            ("attribution.rs", include_str!("attribution.rs")),
            ("classify.rs", include_str!("classify.rs")),
            ("covers.rs", include_str!("covers.rs")),
            ("cues.rs", include_str!("cues.rs")),
            ("dates.rs", include_str!("dates.rs")),
            ("doubts.rs", include_str!("doubts.rs")),
            ("machine.rs", include_str!("machine.rs")),
            ("mod.rs", include_str!("mod.rs")),
            ("quote.rs", include_str!("quote.rs")),
            ("resolve.rs", include_str!("resolve.rs")),
            ("senses.rs", include_str!("senses.rs")),
            ("spelling.rs", include_str!("spelling.rs")),
        ];
        let shared = [
            weekday_abbrevs!(),
            weekday_abbrevs_without_weds!(),
            weekday_names!(),
            weekday_stems!(),
        ];
        for (file, text) in sources {
            for fragment in shared {
                // A copy as an alternation in a pattern: opened by a group
                // or a bar, closed by one.
                let copies = text.match_indices(fragment).filter(|(at, _)| {
                    let before = text[..*at].chars().next_back();
                    let after = text[at + fragment.len()..].chars().next();
                    matches!(before, Some('(' | ':' | '|' | '>'))
                        && matches!(after, Some(')' | '|'))
                });
                assert_eq!(copies.count(), 0, "{file} spells {fragment:?} again");
            }
        }
    }

    fn hours() -> ServiceHours {
        ServiceHours {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            open: NaiveTime::from_hms_opt(10, 0, 0).expect("open"),
            close: NaiveTime::from_hms_opt(17, 0, 0).expect("close"),
        }
    }

    /// "2026-12-08 10:00-12:00 | 2026-12-10": each day asked about, with the
    /// times bound to it (none: the whole day).
    fn summary(days: &Days) -> String {
        days.asks
            .iter()
            .map(|a| {
                let mut s = a.date.to_string();
                let times: Vec<String> = a.times.iter().map(|t| t.time.to_string()).collect();
                if !times.is_empty() {
                    s.push(' ');
                    s.push_str(&times.join(","));
                }
                s
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// The desk of the test config (tests/messages/shiftcover.toml).
    const DESK: Tz = chrono_tz::America::New_York;

    fn read(text: &str, today: NaiveDate, order: DateOrder) -> Days {
        read_days(text, today, order, &hours(), DESK)
    }

    #[track_caller]
    fn check_with(text: &str, today: NaiveDate, order: DateOrder, expected: &str) {
        let days = read(text, today, order);
        assert_eq!(
            summary(&days),
            expected,
            "\ntext: {text:?}\ntoday: {today}\ndiagnostics: {:#?}",
            days.diagnostics
        );
    }

    #[track_caller]
    fn check(text: &str, today: NaiveDate, expected: &str) {
        check_with(text, today, DateOrder::Mdy, expected);
    }

    /// Monday 2026-11-30.
    fn mon() -> NaiveDate {
        d(2026, 11, 30)
    }

    #[test]
    fn a_weekday_placed_by_next_week_beside_its_date_is_that_date() {
        // Sunday 11/29: our next week is 11/30-12/6, the writer's may be
        // 12/6-12/12.
        let sun = d(2026, 11, 29);
        check(
            "my thurs shift next week 12/10, 12-2",
            sun,
            "2026-12-10 12:00-14:00",
        );
        // Another weekday's date leaves the placed weekday where it is.
        check_with(
            "Thursday next week 12-2, and Friday 12/11 2-3",
            sun,
            DateOrder::Mdy,
            "2026-12-03 12:00-14:00 | 2026-12-11 14:00-15:00",
        );
    }

    #[test]
    fn dates_written_day_first_with_points() {
        // Monday 11/30; the config's order is month first.
        let t = mon();
        for (text, want) in [
            ("on Monday, 11.1. from 2 to 3", "2027-01-11 14:00-15:00"),
            ("Friday 4.12. from 2 until 3", "2026-12-04 14:00-15:00"),
            ("on 09.12.2026, 2-3", "2026-12-09 14:00-15:00"),
            ("the 28.12. 2-3", "2026-12-28 14:00-15:00"),
        ] {
            check(text, t, want);
        }
        // Clock times, versions and counts are no dates.
        for text in [
            "I'm free until 3.10.",
            "Update to version 2.1.3. today",
            "It took 1.5 hours.",
        ] {
            let days = read_days(text, t, DateOrder::Mdy, &hours(), DESK);
            assert!(days.asks.iter().all(|a| a.date == t), "{text:?}: {days:?}");
        }
    }

    #[test]
    fn weeks_counted_on_from_a_day() {
        // Monday 11/30.
        let t = mon();
        for (text, want) in [
            ("a fortnight from today, 2-3", "2026-12-14 14:00-15:00"),
            ("two weeks from Thursday, 2-3", "2026-12-17 14:00-15:00"),
            ("a week from tomorrow, 2-3", "2026-12-08 14:00-15:00"),
            ("a fortnight today, 2-3", "2026-12-14 14:00-15:00"),
            ("a fortnight on Thursday, 2-3", "2026-12-17 14:00-15:00"),
            ("two weeks on Friday, 2-3", "2026-12-18 14:00-15:00"),
        ] {
            check(text, t, want);
        }
        // A length of time, not a day.
        let days = read_days("I was out a fortnight.", t, DateOrder::Mdy, &hours(), DESK);
        assert!(!days.names_date, "{days:?}");
    }

    #[test]
    fn ordinal_words_beside_a_month_or_weekday_are_days() {
        let t = mon();
        for (text, want) in [
            ("on the ninth of December, 2-3", "2026-12-09 14:00-15:00"),
            ("Wednesday the ninth, 2-3", "2026-12-09 14:00-15:00"),
            ("December twenty-first 10-12", "2026-12-21 10:00-12:00"),
            ("Dec twenty first 10-12", "2026-12-21 10:00-12:00"),
        ] {
            check(text, t, want);
        }
        // Ranks, not days: the parts of a shift stay parts.
        let days = read_days(
            "I can take the first hour and the second half.",
            t,
            DateOrder::Mdy,
            &hours(),
            DESK,
        );
        assert!(!days.names_date, "{days:?}");
        assert!(
            days.diagnostics.iter().any(|d| d.contains("first 60m")),
            "{days:?}"
        );
    }

    #[test]
    fn an_ordinal_word_after_on_the_is_a_day_and_an_hour_with_minute_words_a_time() {
        let t = mon();
        for (text, want) in [
            (
                "my Friday shift on the eighteenth from one to two",
                "2026-12-18 13:00-14:00",
            ),
            (
                "cover me on the twenty second, from ten to eleven",
                "2026-12-22 10:00-11:00",
            ),
            (
                "Thursday from two fifteen to three",
                "2026-12-03 14:15-15:00",
            ),
            (
                "Wednesday the ninth from eleven thirty till noon",
                "2026-12-09 11:30-12:00",
            ),
            (
                "Tuesday 12/8 from one to two forty five",
                "2026-12-08 13:00-14:45",
            ),
        ] {
            check(text, t, want);
        }
        // "on the second floor" is a place, not a day.
        let days = read_days(
            "The printer on the second floor is jammed again.",
            t,
            DateOrder::Mdy,
            &hours(),
            DESK,
        );
        assert!(!days.names_date, "{days:?}");
    }

    #[test]
    fn written_dates() {
        let t = mon();
        for (text, want) in [
            ("Can someone cover 12/8?", "2026-12-08"),
            ("cover 12/8/26 please", "2026-12-08"),
            ("cover 12/8/2026 please", "2026-12-08"),
            ("cover 2026-12-08", "2026-12-08"),
            ("cover Dec. 8", "2026-12-08"),
            ("cover Dec 8", "2026-12-08"),
            ("cover December 8th", "2026-12-08"),
            ("cover December 8th, 2026", "2026-12-08"),
            ("cover 8 December", "2026-12-08"),
            ("cover the 8th of December", "2026-12-08"),
            ("cover 8th Dec", "2026-12-08"),
            ("cover Tuesday the 8th", "2026-12-08"),
            ("cover Tuesday, December 8", "2026-12-08"),
            ("cover Tues 12/8", "2026-12-08"),
            ("cover 12/8 (Tue)", "2026-12-08"),
            ("cover Tuesday (12/8)", "2026-12-08"),
            ("Monday, April 19", "2027-04-19"),
            ("Mon 12/7 works", "2026-12-07"),
            ("on the 8th", "2026-12-08"),
            ("the 3rd", "2026-12-03"),
        ] {
            check(text, t, want);
        }
    }

    #[test]
    fn holidays_named_as_days_are_their_dates() {
        // Friday 2027-01-08.
        let t = d(2027, 1, 8);
        for (text, want) in [
            ("can anyone take my MLK Monday shift?", "2027-01-18"),
            ("I'm out on MLK Day", "2027-01-18"),
            ("the Friday before Martin Luther King Jr. Day", "2027-01-15"),
            ("my Presidents' Day shift", "2027-02-15"),
            ("Memorial Day", "2027-05-31"),
            ("Juneteenth", "2027-06-19"),
        ] {
            check(text, t, want);
        }
        let t = mon();
        for (text, want) in [
            ("the Friday after Thanksgiving", "2026-11-27"),
            ("the Wednesday before Thanksgiving", "2026-11-25"),
            ("the day after Thanksgiving", "2026-11-27"),
            ("Thanksgiving Day", "2026-11-26"),
            ("my Christmas Eve shift", "2026-12-24"),
            ("New Year's Day", "2027-01-01"),
            // Within 60 days back, like a year-less date: last Thanksgiving.
            ("thanks for covering Thanksgiving Day", "2026-11-26"),
        ] {
            check(text, t, want);
        }
        // Named as an occasion or a greeting, a holiday names no day.
        for text in [
            "I'm flying out early for Thanksgiving",
            "Thanksgiving week is quiet",
            "Happy New Year's Day, all!",
            "Merry Christmas!",
            "back after New Year's",
            "the new year starts well",
            "I'm away Labor Day weekend",
            "the Christmas Eve party",
        ] {
            check(text, t, "");
        }
    }

    #[test]
    fn relative_days() {
        let t = mon();
        for (text, want) in [
            ("out sick today", "2026-11-30"),
            ("Home sick today, can't do my chat shift.", "2026-11-30"),
            ("staying home tomorrow", "2026-12-01"),
            ("tmrw", "2026-12-01"),
            ("the day after tomorrow", "2026-12-02"),
            ("yesterday", "2026-11-29"),
            ("my shift this afternoon", "2026-11-30 afternoon"),
            ("this morning", "2026-11-30 morning"),
            ("tonight", "2026-11-30"),
            ("Tuesday", "2026-12-01"),
            ("Monday", "2026-11-30"),
            ("this Friday", "2026-12-04"),
            ("Friday", "2026-12-04"),
            ("next Tues", "2026-12-08"),
            ("next Monday", "2026-12-07"),
            ("next Friday", "2026-12-11"),
            ("Wednesday next", "2026-12-09"),
            ("can you do Friday next?", "2026-12-11"),
            ("out this am", "2026-11-30 morning"),
            ("last Friday", "2026-11-27"),
            ("this coming Wednesday", "2026-12-02"),
            ("this past Monday", "2026-11-23"),
            ("Tuesday's shift", "2026-12-01"),
            ("tomorrow morning", "2026-12-01 morning"),
            ("Wednesday afternoon", "2026-12-02 afternoon"),
        ] {
            check(text, t, want);
        }
    }

    #[test]
    fn next_weekday_depends_on_the_day_it_is_said() {
        // Thursday: next week's Friday is 8 days ahead, this Friday tomorrow.
        check("next Friday", d(2026, 12, 3), "2026-12-11");
        check("Friday", d(2026, 12, 3), "2026-12-04");
        // Saturday: next Monday is the day after tomorrow.
        check("next Monday", d(2026, 12, 5), "2026-12-07");
        // Sunday: next Tuesday is two days ahead.
        check("next Tuesday", d(2026, 12, 6), "2026-12-08");
        check("last Monday", d(2026, 12, 6), "2026-11-30");
    }

    /// "the Tuesday after next" is the Tuesday after the coming one, as "a
    /// week from Tuesday"; "the week after next" is not a weekday's.
    #[test]
    fn a_weekday_after_next_is_the_one_after_the_coming_one() {
        let t = d(2026, 12, 2); // Wednesday
        check(
            "could someone swap me the Tuesday after next?",
            t,
            "2026-12-15",
        );
        check("Friday after next, 2-3", t, "2026-12-11 14:00-15:00");
        check("Monday after next time I'll ask sooner", t, "2026-12-07");
    }

    /// "the second Thursday of January", "the first Friday in April", "the
    /// last Monday of May": that weekday of the next month of that name.
    #[test]
    fn an_nth_weekday_of_a_month_is_that_day() {
        let t = d(2026, 12, 2); // Wednesday
        check("out the second Thursday of January", t, "2027-01-14");
        check(
            "can anyone take the 1st Friday in April, 2-3?",
            t,
            "2027-04-02 14:00-15:00",
        );
        check("I'm away the last Monday of May", t, "2027-05-31");
        check("the first Tuesday in December", t, "2026-12-01");
        check("the fifth Friday of April", t, "2027-04-30");
    }

    /// "Thursday week" and "a week on Thursday" (British) are the Thursday
    /// after the coming one; "Thursday weekly" is not.
    #[test]
    fn a_weekday_week_is_the_one_after_the_coming_one() {
        let t = d(2026, 12, 2); // Wednesday
        check("can anyone do my Thursday week?", t, "2026-12-10");
        check("I'm away a week on Friday", t, "2026-12-11");
        check("can you do my slot a week from Friday?", t, "2026-12-11");
        check("one week from Monday, 2-3", t, "2026-12-14 14:00-15:00");
        check("a week from now I'm away Friday", t, "2026-12-04");
        // A weekday that opens the next sentence is not the date's.
        check(
            "Sure, the Wednesday one, 2 to 3 on the 16th. Friday I'm out.",
            t,
            "2026-12-04 | 2026-12-16 14:00-15:00",
        );
        // Said on the day itself: a week from today.
        check("Wednesday week, 2-3", t, "2026-12-09 14:00-15:00");
        check("Thursday", t, "2026-12-03");
        check("my Thursday weekly slot", t, "2026-12-03");
        // "Thursday fortnight": two weeks on from the coming Thursday.
        check(
            "could someone do my Thursday fortnight, 2-3?",
            t,
            "2026-12-17 14:00-15:00",
        );
    }

    /// "today" in a sentence about what others did is context when another
    /// day is named, and still today when none is.
    #[test]
    fn today_in_a_report_about_others_gives_way_to_the_day_asked() {
        let t = d(2026, 12, 2); // Wednesday
        check(
            "Could someone take my Friday 12/4 shift? Also, a student came by the desk today asking about renewals.",
            t,
            "2026-12-04",
        );
        check("Ben called in sick today.", t, "2026-12-02");
        check(
            "I was out today and need Friday covered too.",
            t,
            "2026-12-02 | 2026-12-04",
        );
    }

    #[test]
    fn weeks() {
        let t = d(2026, 12, 2); // Wednesday
        check(
            "Could someone take my Monday and Wednesday shifts next week?",
            t,
            "2026-12-07 | 2026-12-09",
        );
        check("Tuesday next week", t, "2026-12-08");
        check("my Friday this week", t, "2026-12-04");
        check(
            "I have jury duty the week of 12/14 so I need my Mon and Wed shifts covered.",
            t,
            "2026-12-14 | 2026-12-16",
        );
        // A range that holds days named on their own is only their setting.
        check(
            "I'll be at a conference next week and need coverage for two shifts:\n\n- Monday 12/7, 2-3:30\n- Wednesday 12/9, 3:30-5\n",
            d(2026, 12, 3),
            "2026-12-07 14:00-15:30 | 2026-12-09 15:30-17:00",
        );
        check(
            "I'm out Mon-Wed; can someone cover 10-12 on Tuesday?",
            t,
            "2026-12-08 10:00-12:00",
        );
        check(
            "I'm away next week. Can someone cover Tuesday?",
            t,
            "2026-12-08",
        );
        check(
            "I'm away the week of 12/14.",
            t,
            "2026-12-14 | 2026-12-15 | 2026-12-16 | 2026-12-17 | 2026-12-18 | 2026-12-19 | 2026-12-20",
        );
        check(
            "I'm away next week, can anyone cover my shifts?",
            t,
            "2026-12-07 | 2026-12-08 | 2026-12-09 | 2026-12-10 | 2026-12-11 | 2026-12-12 | 2026-12-13",
        );
    }

    #[test]
    fn year_less_dates_fall_near_the_message() {
        check("12/3", d(2026, 11, 25), "2026-12-03");
        check("1/5", d(2026, 12, 20), "2027-01-05");
        check("Jan 5", d(2026, 12, 20), "2027-01-05");
        // A week back is still this year's (thanks for covering).
        check("11/3", d(2026, 11, 10), "2026-11-03");
        check("12/30", d(2027, 1, 3), "2026-12-30");
        // Far in the past means next year.
        check("8/1", d(2026, 11, 10), "2027-08-01");
        check("Mon 1/4", d(2026, 11, 10), "2027-01-04");
        // A weekday that disagrees does not move the date a year.
        check(
            "I'll be out Thursday and Friday (12/10-12/11).",
            d(2026, 11, 30),
            "2026-12-10 | 2026-12-11",
        );
    }

    #[test]
    fn weekday_that_disagrees_keeps_the_date_and_says_so() {
        let days = read("Tuesday 11/11", d(2026, 11, 2), DateOrder::Mdy);
        assert_eq!(summary(&days), "2026-11-11");
        assert!(
            days.diagnostics
                .iter()
                .any(|x| x.contains("is a Wed, not a Tue")),
            "{:?}",
            days.diagnostics
        );
    }

    #[test]
    fn day_month_order() {
        let t = mon();
        check_with("cover 8/12", t, DateOrder::Dmy, "2026-12-08");
        check_with("cover 8/12", t, DateOrder::Mdy, "2027-08-12");
        check_with("cover 12/8", t, DateOrder::Dmy, "2027-08-12");
        check_with("cover 25/12/2026", t, DateOrder::Dmy, "2026-12-25");
        // Impossible month first, so written day first.
        check_with("cover 25/12", t, DateOrder::Mdy, "2026-12-25");
        check_with("cover 13/12", t, DateOrder::Mdy, "2026-12-13");
        // A date in neither order.
        check_with("cover 14/15", t, DateOrder::Mdy, "");
    }

    #[test]
    fn a_weekday_beside_a_numeric_date_settles_its_order() {
        let t = mon();
        // Day first from a writer whose list writes month first: the
        // weekday agrees only with the day-first reading.
        check_with("swap my Wed 13/1 slot", t, DateOrder::Mdy, "2027-01-13");
        check_with("out on 3/2 (Wednesday)", t, DateOrder::Mdy, "2027-02-03");
        check_with("off on 14/12, the Monday", t, DateOrder::Mdy, "2026-12-14");
        check_with("Tue 12/8 please", t, DateOrder::Dmy, "2026-12-08");
        // The configured order stands when the weekday agrees with it, or
        // when there is no weekday; a date impossible in that order is read
        // in the other.
        check_with("Mon 7/12 works", t, DateOrder::Mdy, "2027-07-12");
        check_with("out on 3/2", t, DateOrder::Mdy, "2027-03-02");
        check_with("out on 3/2 (Tuesday)", t, DateOrder::Mdy, "2027-03-02");
        check_with("cover 14/12 please", t, DateOrder::Mdy, "2026-12-14");
    }

    /// A weekday said of each of the writer's shifts over a month ("each of
    /// my Monday shifts that month" after the month is named, "all of my
    /// Wednesday 10-12 shifts in January") is every such day of it still
    /// ahead; "my Friday shift" alone is the coming Friday.
    #[test]
    fn a_weekday_over_a_month_is_each_such_day() {
        let t = mon(); // 2026-11-30
        check(
            "I'm teaching in December, so I need someone for each of my Monday shifts that month.",
            t,
            "2026-12-07 | 2026-12-14 | 2026-12-21 | 2026-12-28",
        );
        check(
            "Could people split all of my Wednesday 10-12 chat shifts in January?",
            t,
            "2027-01-06 10:00-12:00 | 2027-01-13 10:00-12:00 | 2027-01-20 10:00-12:00 | 2027-01-27 10:00-12:00",
        );
        check("I need someone for my Friday shift.", t, "2026-12-04");
        check(
            "I'm away in February and need cover for my Monday shifts all that month.",
            t,
            "2027-02-01 | 2027-02-08 | 2027-02-15 | 2027-02-22",
        );
        check(
            "I need someone for my Friday shift that month.",
            t,
            "2026-12-04",
        );
    }

    /// "2 to 3 of Jorge's shift", "1-2 of the Tuesday slot": a span before
    /// "of" and a colleague's (or the) shift is part of that shift, as "of
    /// my shift" is; "2 to 3 of us" and "of the patrons" stay counts.
    #[test]
    fn times_labelled_with_another_zone_move_onto_the_desks_clock() {
        let in_ny = |text: &str, today: NaiveDate| {
            summary(&read_days(text, today, DateOrder::Mdy, &hours(), DESK))
        };
        let t = mon();
        // Standard time: Central is an hour behind, Pacific three.
        assert_eq!(
            in_ny("can anyone do Thu 12/10 1-2:30 CT for me", t),
            "2026-12-10 14:00-15:30"
        );
        assert_eq!(
            in_ny("taking Fri 12/11 from 9am to 11am Pacific", t),
            "2026-12-11 12:00-14:00"
        );
        assert_eq!(
            in_ny("my 12pm MT slot on Wed 12/9", t),
            "2026-12-09 at 14:00"
        );
        // A label of the desk's own zone, or none, leaves the time alone.
        assert_eq!(in_ny("Tue 12/8 2-3 ET works", t), "2026-12-08 14:00-15:00");
        assert_eq!(in_ny("Tue 12/8 2-3 works", t), "2026-12-08 14:00-15:00");
        // Summer time on both sides keeps the gap.
        assert_eq!(
            in_ny("need Wed 4/7 10:30-12 PDT covered", d(2027, 3, 30)),
            "2027-04-07 13:30-15:00"
        );
        // A desk in the labelled zone reads the time as written.
        let chicago = chrono_tz::America::Chicago;
        assert_eq!(
            summary(&read_days(
                "Thu 12/10 1-2:30 CT",
                t,
                DateOrder::Mdy,
                &hours(),
                chicago
            )),
            "2026-12-10 13:00-14:30"
        );
    }

    #[test]
    fn a_span_of_someones_shift_is_a_time() {
        let t = mon();
        check(
            "I could do 2 to 3 of Priya's shift on Wed 12/9",
            t,
            "2026-12-09 14:00-15:00",
        );
        check(
            "Wed 12/9: happy to take 10-11 of the chat shift",
            t,
            "2026-12-09 10:00-11:00",
        );
        check(
            "Wed 12/9, 2 to 3 of Priya's students came by",
            t,
            "2026-12-09",
        );
        check("Wed 12/9, 2 to 3 of us can stay", t, "2026-12-09");
        check(
            "Tue 12/8? I can take 10-11 of it",
            t,
            "2026-12-08 10:00-11:00",
        );
        check("Thu 12/10: 3-4 of them showed up", t, "2026-12-10");
    }

    /// Hour words are times only where a time is plain; a pronoun, a count
    /// or a number that opens a range of its own stays a word.
    #[test]
    fn hour_words_outside_times_stay_words() {
        let t = mon();
        for (text, want) in [
            ("Tue 12/8: one of you could take it", "2026-12-08"),
            ("Tue 12/8, the two of us can split it", "2026-12-08"),
            ("Tue 12/8: 2 to 3 of the patrons were waiting", "2026-12-08"),
            ("Tue 12/8 we had two to three people waiting", "2026-12-08"),
            (
                "Tue 12/8, the Tuesday one - 10 to 12",
                "2026-12-08 10:00-12:00",
            ),
            ("Tue 12/8 one-to-one consults", "2026-12-08"),
            ("Tue 12/8 at ten o'clock", "2026-12-08 at 10:00"),
            ("Tue 12/8, half 2 of the patrons", "2026-12-08"),
        ] {
            check(text, t, want);
        }
    }

    #[test]
    fn times_and_spans() {
        let t = mon();
        for (text, want) in [
            ("Tue 12/8 10-12", "2026-12-08 10:00-12:00"),
            ("Tue 12/8 2-4", "2026-12-08 14:00-16:00"),
            ("Tue 12/8 12-2", "2026-12-08 12:00-14:00"),
            ("Tue 12/8 11-1", "2026-12-08 11:00-13:00"),
            ("Tue 12/8 10am-noon", "2026-12-08 10:00-12:00"),
            ("Tue 12/8 12 to 2", "2026-12-08 12:00-14:00"),
            ("Tue 12/8 noon-2", "2026-12-08 12:00-14:00"),
            ("Tue 12/8 2:00-3:30", "2026-12-08 14:00-15:30"),
            ("Tue 12/8 3:30-5", "2026-12-08 15:30-17:00"),
            ("Tue 12/8 from 2 to 3", "2026-12-08 14:00-15:00"),
            ("Tue 12/8 2-3pm", "2026-12-08 14:00-15:00"),
            ("Tue 12/8 10:00 AM - 12:00 PM", "2026-12-08 10:00-12:00"),
            ("Tue 12/8 10:00AM-12:00PM", "2026-12-08 10:00-12:00"),
            ("Tue 12/8 10 a.m. - 12 p.m.", "2026-12-08 10:00-12:00"),
            ("Tue 12/8 14:00-15:30", "2026-12-08 14:00-15:30"),
            ("Tue 12/8 2\u{2013}4", "2026-12-08 14:00-16:00"),
            ("Tue 12/8 2 \u{2014} 4", "2026-12-08 14:00-16:00"),
            ("Tue 12/8 between 1 and 2", "2026-12-08 13:00-14:00"),
            ("Tue 12/8 10-12pm", "2026-12-08 10:00-12:00"),
            // Phone mail drops the colon.
            ("tues 12/8 2-330", "2026-12-08 14:00-15:30"),
            ("Tue 12/8 1030-12", "2026-12-08 10:30-12:00"),
            ("Tue 12/8 1230 to 2", "2026-12-08 12:30-14:00"),
            // Four digits on a 24-hour clock, both ends.
            ("Fri 12/11 0945-1115", "2026-12-11 09:45-11:15"),
            ("Fri 12/11 1500-1630", "2026-12-11 15:00-16:30"),
            ("Fri 12/11 1130 until 1315", "2026-12-11 11:30-13:15"),
            ("Tue 12/8 330-5pm", "2026-12-08 15:30-17:00"),
            ("Tue 12/8 9-11am", "2026-12-08 09:00-11:00"),
            ("Tue 12/8 4-6", "2026-12-08 16:00-18:00"),
            ("Tue 12/8 5-7", "2026-12-08 17:00-19:00"),
            ("Tue 12/8 10a-12p", "2026-12-08 10:00-12:00"),
            ("Tue 12/8 12:30-1:30", "2026-12-08 12:30-13:30"),
            ("Tue 12/8 1 to 2:30", "2026-12-08 13:00-14:30"),
            // A dotted end after an hour: the European clock.
            ("Tue 12/8 from 2 until 3.30", "2026-12-08 14:00-15:30"),
            ("Tue 12/8, 1 to 2.45 pm", "2026-12-08 13:00-14:45"),
            ("Tue 12/8 14-15.30", "2026-12-08 14:00-15:30"),
            ("Tue 12/8 12 noon to 1", "2026-12-08 12:00-13:00"),
            ("Tue 12/8 from noon till three", "2026-12-08 12:00-15:00"),
            ("Tue 12/8, eleven to twelve", "2026-12-08 11:00-12:00"),
            ("Tue 12/8 from 10 until one", "2026-12-08 10:00-13:00"),
            ("Tue 12/8 from half two to four", "2026-12-08 14:30-16:00"),
            ("Tue 12/8 from 2 till half 3", "2026-12-08 14:00-15:30"),
            (
                "Tue 12/8 from half two till half three",
                "2026-12-08 14:30-15:30",
            ),
            (
                "Tue 12/8 from two until half three",
                "2026-12-08 14:00-15:30",
            ),
            ("Tue 12/8 half 11 to 12", "2026-12-08 11:30-12:00"),
            ("Tue 12/8 2 o'clock to 3", "2026-12-08 14:00-15:00"),
            ("Tue 12/8 after 3", "2026-12-08 from 15:00"),
            ("Tue 12/8 from 3:30", "2026-12-08 from 15:30"),
            ("Tue 12/8 until 2", "2026-12-08 until 14:00"),
            ("Tue 12/8 till 11", "2026-12-08 until 11:00"),
            ("Tue 12/8 up to noon", "2026-12-08 until 12:00"),
            (
                "I have to leave at 2:30 on Tue 12/8",
                "2026-12-08 from 14:30",
            ),
            ("my 2pm shift on Tue 12/8", "2026-12-08 at 14:00"),
            ("at 10 on Tue 12/8", "2026-12-08 at 10:00"),
            (
                "the first hour of my Tuesday 12/8 shift",
                "2026-12-08 first 60m",
            ),
            ("Tue 12/8, the last hour", "2026-12-08 last 60m"),
            ("Tue 12/8 first half hour", "2026-12-08 first 30m"),
            ("Tue 12/8 first half-hour", "2026-12-08 first 30m"),
            ("Tue 12/8 the last 30 minutes", "2026-12-08 last 30m"),
            ("Tue 12/8 the first two hours", "2026-12-08 first 120m"),
            ("Tue 12/8 the first hour and a half", "2026-12-08 first 90m"),
            (
                "the second half of my shift Tue 12/8",
                "2026-12-08 second half",
            ),
            (
                "the first half of my shift Tue 12/8",
                "2026-12-08 first half",
            ),
            ("my PM shift on Tue 12/8", "2026-12-08 afternoon"),
            // A part set aside is not the span meant.
            (
                "Tue 12/8 14h-15h, but not the last half hour",
                "2026-12-08 14:00-15:00",
            ),
            (
                "Tue 12/8 from 2 to 4 except the first hour",
                "2026-12-08 14:00-16:00",
            ),
            // The hour mark of much of Europe.
            ("Tue 12/8 14h-15h30", "2026-12-08 14:00-15:30"),
            ("Tue 12/8 14h30-16h", "2026-12-08 14:30-16:00"),
            ("Tue 12/8 at 14h", "2026-12-08 at 14:00"),
            ("Tue 12/8 from 10h to 11h30", "2026-12-08 10:00-11:30"),
            ("Tue 12/8 9h until 12h", "2026-12-08 09:00-12:00"),
            // A bare "2h" is two hours, not a time.
            ("I need 2h covered on Tue 12/8", "2026-12-08"),
        ] {
            check(text, t, want);
        }
    }

    #[test]
    fn a_week_said_of_how_the_writer_fares_beside_a_day_is_not_asked() {
        // Monday 2026-11-30.
        let t = mon();
        check(
            "Can someone take Wednesday 12/9? I'm so swamped this week.",
            t,
            "2026-12-09",
        );
        check(
            "Head is fried next week. Could anyone do Fri 12/18?",
            t,
            "2026-12-18",
        );
        // With no other day, the week is what is asked.
        check(
            "I'm swamped this week, can anyone cover my shifts?",
            t,
            "2026-11-30 | 2026-12-01 | 2026-12-02 | 2026-12-03 | 2026-12-04 | 2026-12-05 | 2026-12-06",
        );
    }

    #[test]
    fn that_last_week_after_the_end_of_a_month_is_the_months_last_week() {
        // Monday 2026-12-07; December's last week runs Mon 12/28 - Sun 1/3
        // (it holds December's last Thursday, the 31st).
        let t = d(2026, 12, 7);
        check(
            "Out at the end of the month. Could someone take my Tuesday that last week?",
            t,
            "2026-12-29",
        );
        check(
            "I'm travelling end of January, can anyone cover my Wednesday that final week?",
            t,
            "2027-01-27",
        );
        // No end of a month named: "that last week" places nothing.
        check(
            "Could someone take my Tuesday that last week?",
            t,
            "2026-12-08",
        );
    }

    #[test]
    fn a_day_corrected_away_is_dropped_wherever_it_is_named() {
        // Monday 2026-11-30: the 3rd is Thursday, the 10th the next one.
        let t = mon();
        check(
            "Can someone take Thursday the 3rd, 2-4? Correction: the 10th not the 3rd.",
            t,
            "2026-12-10 14:00-16:00",
        );
        check(
            "Need cover Wednesday 1-3. Sorry, I meant Friday not Wednesday!",
            t,
            "2026-12-04 13:00-15:00",
        );
        check(
            "Could anyone do Tue 12/8 at 10-12? Whoops, 12/8 should have been 12/15.",
            t,
            "2026-12-15 10:00-12:00",
        );
        check(
            "Looking for someone on the 2nd. Not the 2nd but the 9th, 3-5, my bad.",
            t,
            "2026-12-09 15:00-17:00",
        );
        check(
            "Could someone take Wednesday the 9th, not Monday?",
            t,
            "2026-12-09",
        );
        check(
            "Ben is covering 12/3 - not 12/10 - thanks Ben.",
            t,
            "2026-12-03",
        );
        // A short clause about the day meant, then ", not" the other.
        check(
            "Can anyone take Friday the 11th, 1-2? Oops, wrong week: it's the 18th that I need, not the 11th.",
            t,
            "2026-12-18 13:00-14:00",
        );
        // A "not" before anything but a day rules nothing out.
        check(
            "Can someone take Tuesday, not sure about the time yet?",
            t,
            "2026-12-01",
        );
        check(
            "Could someone cover the 8th, not the whole shift, just 2-3?",
            t,
            "2026-12-08 14:00-15:00",
        );
    }

    #[test]
    fn times_bind_to_their_day() {
        let t = mon();
        check(
            "Tue 12/8 10-12 and Thu 12/10 2-3:30",
            t,
            "2026-12-08 10:00-12:00 | 2026-12-10 14:00-15:30",
        );
        check("10-12 on Tuesday", t, "2026-12-01 10:00-12:00");
        check("cover 2-3 on Tuesday", t, "2026-12-01 14:00-15:00");
        check(
            "I'm out Monday, so could someone take 10-12 on Tuesday?",
            t,
            "2026-11-30 | 2026-12-01 10:00-12:00",
        );
        check(
            "Tue and Thu 10-12",
            t,
            "2026-12-01 10:00-12:00 | 2026-12-03 10:00-12:00",
        );
        check(
            "10-12 on Tuesday and Thursday",
            t,
            "2026-12-01 10:00-12:00 | 2026-12-03 10:00-12:00",
        );
        check(
            "I need to leave early on Tuesday 11/17. Could someone cover 2:30-3:30? I can do the first half hour myself.",
            d(2026, 11, 4),
            "2026-11-17 14:30-15:30,first 30m",
        );
        // A list, one line each.
        check(
            "Shifts I need covered:\nTue 12/8\n10-12\nThu 12/10\n2-3:30\n",
            t,
            "2026-12-08 10:00-12:00 | 2026-12-10 14:00-15:30",
        );
        check(
            "- Mon 12/7 3:30-5\n- Wed 12/9 12-2\n",
            t,
            "2026-12-07 15:30-17:00 | 2026-12-09 12:00-14:00",
        );
        check(
            "Can anyone cover my Wednesday 4/14 chat shift, 10-12? I'll be at a training.",
            d(2027, 4, 7),
            "2027-04-14 10:00-12:00",
        );
        check(
            "Second call: 2:30-3:30 on Tues 11/17",
            d(2026, 11, 6),
            "2026-11-17 14:30-15:30",
        );
        check(
            "Jorge, put me down for 2:30-3:30 on 11/17.",
            d(2026, 11, 10),
            "2026-11-17 14:30-15:30",
        );
    }

    #[test]
    fn lists_of_days() {
        let t = mon();
        check(
            "I need coverage for Dec 15, 16 and 17.",
            t,
            "2026-12-15 | 2026-12-16 | 2026-12-17",
        );
        check("the 8th and 9th", t, "2026-12-08 | 2026-12-09");
        check("please cover 12/3 & 12/4", t, "2026-12-03 | 2026-12-04");
        check(
            "Monday, Wednesday and Friday",
            t,
            "2026-11-30 | 2026-12-02 | 2026-12-04",
        );
        check(
            "Dec 15 and 16, 10-12",
            t,
            "2026-12-15 10:00-12:00 | 2026-12-16 10:00-12:00",
        );
        check("Dec 8, 12 to 2", t, "2026-12-08 12:00-14:00");
        check("Dec 8 and 3 others", t, "2026-12-08");
    }

    #[test]
    fn ranges_of_days() {
        let t = mon();
        check("out Mon-Wed", t, "2026-11-30 | 2026-12-01 | 2026-12-02");
        check(
            "out Monday through Wednesday",
            t,
            "2026-11-30 | 2026-12-01 | 2026-12-02",
        );
        check("out 12/8-12/10", t, "2026-12-08 | 2026-12-09 | 2026-12-10");
        check("out Dec 8-10", t, "2026-12-08 | 2026-12-09 | 2026-12-10");
        check(
            "from Thursday to Monday",
            t,
            "2026-12-03 | 2026-12-04 | 2026-12-05 | 2026-12-06 | 2026-12-07",
        );
        check(
            "next Monday through Wednesday",
            t,
            "2026-12-07 | 2026-12-08 | 2026-12-09",
        );
        // A time after a date is not a day range.
        check("Dec 8 - 10am", t, "2026-12-08 at 10:00");
    }

    #[test]
    fn the_nth_week_of_a_month_is_the_week_holding_its_nth_thursday() {
        let t = mon();
        // January 2027 starts on a Friday: its first week is the 4th-10th.
        check(
            "Can someone take my Tuesday the second week of January?",
            t,
            "2027-01-12",
        );
        // December 2026 starts on a Tuesday: its first week holds the 1st.
        check(
            "off the first week in December, Monday and Friday",
            t,
            "2026-11-30 | 2026-12-04",
        );
        check("the last week of February, my Wednesday", t, "2027-02-24");
        // A holiday's week places the sentence's weekdays, and "that
        // week" after it.
        check(
            "I'm away Christmas week. Could someone take my Wednesday that week?",
            t,
            "2026-12-23",
        );
        check(
            "need my Tuesday over Thanksgiving week covered",
            d(2026, 11, 2),
            "2026-11-24",
        );
        // "that week" is the week the sentence before named.
        check(
            "I'm away the 3rd week of Jan. Please take my Thursday that week.",
            t,
            "2027-01-21",
        );
        // No weekday: the whole week.
        check(
            "out the 2nd week of Jan",
            t,
            "2027-01-11 | 2027-01-12 | 2027-01-13 | 2027-01-14 | 2027-01-15 | 2027-01-16 | 2027-01-17",
        );
        // A rank of something else is no week.
        check("the 2nd week of training starts Monday", t, "2026-11-30");
    }

    #[test]
    fn through_a_day_with_no_first_day_runs_from_today() {
        let t = mon();
        check(
            "home with the flu thru Thursday",
            t,
            "2026-11-30 | 2026-12-01 | 2026-12-02 | 2026-12-03",
        );
        check(
            "away through 12/2",
            t,
            "2026-11-30 | 2026-12-01 | 2026-12-02",
        );
        // A range with its first day keeps it.
        check("off Tue thru Wed", t, "2026-12-01 | 2026-12-02");
    }

    #[test]
    fn weak_days_give_way_to_named_ones() {
        let t = mon();
        check(
            "I woke up this morning with a fever and can't do my shift tomorrow",
            t,
            "2026-12-01",
        );
        check(
            "Quick update: Priya is taking Ben's chat shift this afternoon.",
            t,
            "2026-11-30 afternoon",
        );
    }

    #[test]
    fn things_that_are_not_dates_or_times() {
        let t = mon();
        for text in [
            "Mei Chen | Health Sciences Librarian | 555-201-3090",
            "call me at (555) 201-3090",
            "555.201.3090",
            "October by the numbers: 377 chats, a median wait of 41 seconds.",
            "This is the 2nd call for help",
            "We need 2-3 people for the fair",
            "room 10-12",
            "pages 10-12",
            "the 24/7 chat service",
            "a 1/2 hour",
            "in 2026",
            "Good morning all!",
            "Happy Friday!",
            "Every Monday we meet",
            "busiest on Wednesday afternoons",
            "email ask-chat@example.edu or see https://lib.example.edu/12/8",
            "I sat down",
            "the sun is out",
            "we may need more help",
            "Could someone cover my shift?",
            "I'm free then and happy to do it.",
            "5-10 minutes",
            "the first call",
            "up to 3 hours",
            // A perfect tense dates what is already happening.
            "I've been coughing since 6",
            "she has had a migraine since 2",
            // Numbers that run hour and minutes together only in look.
            "the 2025-2026 budget",
            "room 2-330",
            "rooms 101-105",
            "pages 110-125",
            "2-330 patrons a week",
            "fall enrollment 1-999",
            // Four digits that are no 24-hour range.
            "the 2030-2045 plan",
            "invoice 1315-1",
            "call 1435-1530 for parts",
            "order 1317-1420",
        ] {
            check(text, t, "");
        }
    }

    #[test]
    fn a_time_said_of_a_thing_is_not_asked() {
        let t = mon();
        check(
            "Could someone pick up my Monday shift? I booked a train that doesn't get in until 4.",
            t,
            "2026-11-30",
        );
        check(
            "Can anyone take Monday? My flight which lands at 3 is the last one.",
            t,
            "2026-11-30",
        );
        // The writer's own time, or the shift named by its start, is kept.
        check(
            "Monday I can't log on until 4, could someone start it?",
            t,
            "2026-11-30 until 16:00",
        );
        check(
            "Could someone cover the shift that starts at 2 on Tuesday?",
            t,
            "2026-12-01 at 14:00",
        );
    }

    #[test]
    fn days_placed_from_a_holiday() {
        // Monday 2026-11-16; Thanksgiving 2026 is Thursday 11/26.
        let t = d(2026, 11, 16);
        for (text, want) in [
            ("the Friday after Thanksgiving", "2026-11-27"),
            ("my shift the Wednesday before Thanksgiving", "2026-11-25"),
            ("the day after Thanksgiving", "2026-11-27"),
            ("the Monday after Christmas", "2026-12-28"),
            ("the day before New Year's Eve", "2026-12-30"),
            ("the Tuesday after MLK Day", "2027-01-19"),
        ] {
            check(text, t, want);
        }
        // A holiday named alone is a setting, not a day asked about.
        for text in [
            "Happy Thanksgiving!",
            "flying out for Thanksgiving",
            "home for Christmas",
            "the day after the meeting",
        ] {
            check(text, t, "");
        }
    }

    #[test]
    fn days_named_only_for_context() {
        let t = mon();
        check("Out sick today, back on Wednesday", t, "2026-11-30");
        check("I'll be back Thursday", t, "");
        check("Thanks Dana! See you Friday.", t, "");
        check("I'm out sick until Wednesday", t, "2026-11-30 | 2026-12-01");
        check("out till tomorrow", t, "2026-11-30");
        check(
            "Tuesday, November 10, 2026 12:00 PM-2:00 PM (UTC-05:00) Eastern Time",
            d(2026, 11, 2),
            "2026-11-10 12:00-14:00",
        );
        check("call in at UTC-05:00 on Tue 12/8", t, "2026-12-08");
    }

    #[test]
    fn someone_elses_day_still_counts() {
        // A coverer's "I'll take your Tuesday 11/10 shift" names the shift
        // covered, so a day written as "yours" is read like any other.
        check(
            "Mei, I'll take your Tuesday 11/10 shift",
            d(2026, 11, 2),
            "2026-11-10",
        );
    }

    #[test]
    fn times_written_as_ones_own_shift() {
        let days = read(
            "I'm covering the reference desk 2-4 on Friday, so can someone take my 3:30-5 chat shift?",
            mon(),
            DateOrder::Mdy,
        );
        let mine: Vec<(String, bool)> = days.asks[0]
            .times
            .iter()
            .map(|t| (t.time.to_string(), t.mine))
            .collect();
        assert_eq!(
            mine,
            [
                ("14:00-16:00".to_string(), false),
                ("15:30-17:00".to_string(), true)
            ]
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        const PIECES: &[&str] = &[
            "12/8",
            "Dec.",
            "8th",
            "the",
            "Tuesday",
            "next",
            "week",
            "of",
            "-",
            "\u{2013}",
            "10",
            "12",
            "2:30",
            "am",
            "pm",
            "noon",
            "from",
            "to",
            "until",
            "between",
            "and",
            "first",
            "half",
            "hour",
            "last",
            "on",
            "this",
            "afternoon",
            "31",
            "0",
            "24",
            "99:99",
            "2026-02-30",
            "1/2",
            "29/2",
            "2/29",
            "555-201-3090",
            "\u{e9}t\u{e9}",
            "\n",
            "\n\n",
            ".",
            ",",
            "(",
            ")",
            "?",
            "a.m.",
            "o'clock",
            "@",
            "9999999999",
            "through",
            "Feb",
            "30",
            "since",
            "until",
            "back",
            "tomorrow",
            "Sat",
            "May",
            "4294967295",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..5000 {
            let n = (next() % 14) as usize;
            let mut text = String::new();
            for _ in 0..n {
                text.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
                if next() % 3 > 0 {
                    text.push(' ');
                }
            }
            let today = add_days(d(2026, 1, 1), (next() % 800) as i64);
            let order = if next() % 2 == 0 {
                DateOrder::Mdy
            } else {
                DateOrder::Dmy
            };
            let days = read(&text, today, order);
            for ask in &days.asks {
                for t in &ask.times {
                    if let TimeRef::Span(s, e) = t.time {
                        assert!(s < e && e <= DAY, "{text:?} gave {}", t.time);
                    }
                }
            }
        }
    }

    #[test]
    fn names_date_even_without_an_ask() {
        let days = read("I've been sick since Monday, sorry", mon(), DateOrder::Mdy);
        assert!(days.names_date);
        assert!(days.asks.is_empty());
        // A time in a text that names no day is today's, and the text still
        // names no day (so a caller may prefer the subject's).
        let days = read("Could someone cover 2:30-3:30?", mon(), DateOrder::Mdy);
        assert!(!days.names_date);
        assert!(days.names_time);
        assert_eq!(summary(&days), "2026-11-30 14:30-15:30");
        assert!(days.diagnostics.iter().any(|x| x.contains("read as today")));
        // Unless the text names days the time cannot be bound to.
        check(
            "10-12.\n\nTuesday or Thursday?",
            mon(),
            "2026-12-01 | 2026-12-03",
        );
        let days = read("Could someone cover my shift?", mon(), DateOrder::Mdy);
        assert!(!days.names_date && !days.names_time);
    }

    #[test]
    fn dst_weeks_read_as_local_dates() {
        // Sunday 2026-11-01 is the fall change; Sunday 2027-03-14 the spring one.
        check(
            "next Monday 10-12",
            d(2026, 10, 30),
            "2026-11-02 10:00-12:00",
        );
        check("tomorrow 2-4", d(2026, 10, 31), "2026-11-01 14:00-16:00");
        check("Mon 3/15 2-3:30", d(2027, 3, 10), "2027-03-15 14:00-15:30");
        check("this Sunday", d(2027, 3, 10), "2027-03-14");
    }

    #[test]
    fn a_weekday_alone_is_the_dated_day_of_that_weekday() {
        check(
            "Coverage for part of my Tuesday shift (11/17)",
            d(2026, 11, 4),
            "2026-11-17",
        );
        check(
            "I'm out next Tuesday. Could someone take my Tuesday shift, 2-3?",
            d(2026, 11, 2),
            "2026-11-10 14:00-15:00",
        );
        // A different weekday keeps its own reading.
        check(
            "Wednesday, and Tue 11/17",
            d(2026, 11, 4),
            "2026-11-04 | 2026-11-17",
        );
    }

    #[test]
    fn repeated_days_merge() {
        check(
            "Can someone cover my Tuesday 11/10 shift? Again, that's Tuesday 11/10, 12-2.",
            d(2026, 11, 2),
            "2026-11-10 12:00-14:00",
        );
    }
}
