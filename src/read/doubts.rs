//! Doubts a message's own words raise about its reading, beside the doubts
//! the classifier finds in cues that disagree. Each is named (its id shows
//! in `parse --explain`) and weighs 50: alone it makes the reading unsure,
//! so the program asks rather than acts (see [`crate::model::UNSURE_BELOW`]).
//!
//! They were chosen on the blind rounds as they arrived, before any fix:
//! what separated the misreads of mail the reader had never seen from its
//! right readings (README, "How the reader decides", has the figures).

use std::sync::LazyLock;

use super::pattern::Regex;
use crate::model::{Doubt, Kind};

fn re(s: &str) -> Regex {
    Regex::new(s).expect("valid regex")
}

/// The longest message, in words of its own (quotes and signatures set
/// aside), that `other.speaks_of_a_shift` looks at: announcements and
/// newsletters are long and speak of "your shift" without asking anything;
/// the misreads were terse phone mail and short replies.
const SHORT_MESSAGE_WORDS: usize = 80;

/// The doubts the text raises for a reading of this kind. `text` is the
/// writer's own words.
pub fn of_text(kind: Kind, text: &str) -> Vec<Doubt> {
    let mut out = Vec::new();
    let acts = matches!(
        kind,
        Kind::CoverageRequest | Kind::Sick | Kind::SecondCall | Kind::Withdrawn | Kind::Covered
    );
    if acts && let Some(s) = checks_nothing_is_needed(text) {
        out.push(Doubt::new(
            "ask.checks_no_need",
            &format!(
                "whether you are asking for cover or only checking that none is needed (\"{}\")",
                s.trim()
            ),
            50,
        ));
    }
    if kind == Kind::Other
        && let Some(s) = speaks_of_a_shift(text)
    {
        out.push(Doubt::new(
            "other.speaks_of_a_shift",
            &format!(
                "whether the shift you mention (\"{}\") needs cover or is covered",
                s.trim()
            ),
            50,
        ));
    }
    out
}

/// The doubt a reading's shifts raise against the text they were read
/// from: a request, sick notice, second call or confirmation whose shifts
/// fall on days named in different sentences. In the blind rounds as they
/// arrived, such readings were mostly a day named aside taken for one asked
/// ("I'm away the 29th", "thanks for taking my shift last Tuesday", "the
/// new template goes live Monday", "Christmas Eve and the 25th we're
/// closed"); a request for several days names them together ("my Wednesday
/// and Friday shifts, 1/20 and 1/22"). `days` reads the days the text
/// names, only for a reading that acts on shifts of two days or more (most
/// readings are not, and reading the days again costs), `shift_dates` are
/// the local dates of the shifts read.
pub fn of_shift_days(
    kind: Kind,
    text: &str,
    days: impl FnOnce() -> Vec<super::dates::DayAsk>,
    shift_dates: &[chrono::NaiveDate],
) -> Option<Doubt> {
    let acts = matches!(
        kind,
        Kind::CoverageRequest | Kind::Sick | Kind::SecondCall | Kind::Covered
    );
    let mut distinct = shift_dates.to_vec();
    distinct.sort();
    distinct.dedup();
    if !acts || distinct.len() < 2 {
        return None;
    }
    let days = days();
    // Lines are not sentences here: a list or table of days ("- Mon 3/1
    // 12-2" on lines of their own) asks for them together.
    let joined = text.replace('\n', " ");
    let sentences: Vec<String> = sentences(&joined).map(str::to_lowercase).collect();
    // For each day a shift falls on, the sentences that name it.
    let named_in: Vec<Vec<usize>> = days
        .iter()
        .filter(|d| distinct.contains(&d.date))
        .map(|d| {
            let mut at: Vec<usize> = d
                .said
                .iter()
                .filter_map(|w| {
                    let w = w.to_lowercase();
                    sentences.iter().position(|s| s.contains(&w))
                })
                .collect();
            at.sort();
            at.dedup();
            at
        })
        .filter(|at| !at.is_empty())
        .collect();
    let apart = named_in.iter().enumerate().any(|(i, a)| {
        named_in[i + 1..]
            .iter()
            .any(|b| a.iter().all(|x| !b.contains(x)))
    });
    apart.then(|| {
        Doubt::new(
            "shifts.days_apart",
            if kind == Kind::Covered {
                "which of the days you mention is covered"
            } else {
                "which of the days you mention needs cover"
            },
            50,
        )
    })
}

/// The doubt a weekday said with a week raises when the shift read is the
/// nearest such weekday: "my wed shift next wk" read as this week's
/// Wednesday, or "Monday week" (the Monday after the coming one) read as
/// the coming Monday. `today` is the message's local date.
pub fn of_week_words(
    kind: Kind,
    text: &str,
    today: chrono::NaiveDate,
    shift_dates: &[chrono::NaiveDate],
) -> Option<Doubt> {
    use chrono::Datelike;
    const WEEKDAY: &str = r"(?:mon|tues?|wed|thu(?:rs?)?|fri)\w*";
    static NEXT_WEEK: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"(?i)\b{WEEKDAY}\b[^.!?\n]{{0,40}}?\bnext\s+(?:week|wk)\b|\bnext\s+(?:week|wk)\b[^.!?\n]{{0,40}}?\b{WEEKDAY}\b"
        ))
    });
    static WEEKDAY_WEEK: LazyLock<Regex> =
        LazyLock::new(|| re(&format!(r"(?i)\b{WEEKDAY}\s+week\b")));
    let acts = matches!(
        kind,
        Kind::CoverageRequest | Kind::Sick | Kind::SecondCall | Kind::Covered
    );
    if !acts {
        return None;
    }
    let this_week = |d: &chrono::NaiveDate| d.iso_week() == today.iso_week();
    let within_a_week = |d: &chrono::NaiveDate| (*d - today).num_days() < 7;
    // The shifts are asked about first: without one this week or within a
    // week no sentence is searched.
    let any_this_week = shift_dates.iter().any(this_week);
    let any_within_a_week = shift_dates.iter().any(within_a_week);
    if !any_this_week && !any_within_a_week {
        return None;
    }
    let wrong = sentences(text).any(|s| {
        (any_this_week && NEXT_WEEK.is_match(s)) || (any_within_a_week && WEEKDAY_WEEK.is_match(s))
    });
    wrong.then(|| {
        Doubt::new(
            "shifts.week_said",
            "which week you mean (a day said with a week was read as the coming one)",
            50,
        )
    })
}

/// The text's sentences, each with the mark that ends it: the spans the
/// pattern `[^.!?\n]+[.!?]*` finds (a run of anything but the marks and
/// line ends, then its marks), found by a plain scan; those with a letter
/// or digit.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mark = |b: u8| matches!(b, b'.' | b'!' | b'?');
    let mut at = 0;
    std::iter::from_fn(move || {
        // The marks and line ends are ASCII, so every run ends on a
        // character's boundary.
        while at < bytes.len() && (mark(bytes[at]) || bytes[at] == b'\n') {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && !mark(bytes[at]) && bytes[at] != b'\n' {
            at += 1;
        }
        while at < bytes.len() && mark(bytes[at]) {
            at += 1;
        }
        Some(&text[start..at])
    })
    .filter(|s| s.chars().any(char::is_alphanumeric))
}

/// A question that checks nothing is needed ("So no need to find a sub
/// for my Monday, right?", "My Friday doesn't need cover, correct?") or
/// whether the writer must find cover ("Do I need to find a sub for
/// Monday?"): the words of an ask are in it, but it asks no one to cover.
/// A terse ask ("Sub for my Thursday?") is no such question.
fn checks_nothing_is_needed(text: &str) -> Option<&str> {
    static NOTHING_NEEDED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:no\s+need|(?:don't|doesn't|do\s+not|does\s+not|won't|will\s+not|shouldn't|should\s+not)\s+(?:need|have\s+to|require)|needn't|not\s+needed|no\s+longer\s+need|(?:nobody|no\s+one)\s+(?:needs|has)\s+to|no\s+(?:sub|cover|coverage|replacement)\s+(?:is\s+)?needed)\b",
        )
    });
    static MUST_I: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s*(?:so,?\s+|and\s+|but\s+)?(?:do|does|should|must|would)\s+(?:i|we)\s+(?:still\s+)?(?:need|have)\s+to\s+(?:find|get|look\s+for|arrange|post)\b",
        )
    });
    sentences(text)
        .find(|s| s.trim_end().ends_with('?') && (NOTHING_NEEDED.is_match(s) || MUST_I.is_match(s)))
}

/// A sentence of a message read as `other` that speaks of someone's shift
/// on a day or at a time ("wont make my 330 shift", "Tom B. is covering my
/// Wed 1/13", "her 3:30 today is handled") or of the writer staffing one
/// ("I'll sit on chat ... myself", "I'll be on chat for you at noon"). No
/// cue fired, yet such a sentence is what requests and confirmations are
/// made of: the reader has most likely met words it does not know.
/// Questions about a shift ("Is my Tuesday shift 12-2 now?"), doubts
/// about what is needed ("wasn't sure if I need to"), policy cases ("if
/// you're sick"), thanks for past cover, past days, a shift as the time something happened ("during
/// my shift"), shifts said to be unchanged and a question checking that
/// nothing is needed are set aside.
fn speaks_of_a_shift(text: &str) -> Option<&str> {
    const DAY_OR_TIME: &str = r"(?:shifts?|slot|mon(?:day)?|tues?(?:day)?|wed(?:nesday)?|thu(?:rs?)?(?:day)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|mornings?|afternoons?|noon|\d{1,2}(?::\d{2})?(?:\s*-\s*\d{1,2}(?::\d{2})?)?|\d{3,4})";
    static SOMEONES_SHIFT: LazyLock<Regex> = LazyLock::new(|| {
        re(&format!(
            r"(?i:\bmy\s+(?:[\w/:+-]+\s+){{0,3}}?{DAY_OR_TIME}\b)|(?i:\b(?:his|her)\s+{DAY_OR_TIME}\b)|\b[A-Z][a-z]+'s\s+(?i:{DAY_OR_TIME})\b"
        ))
    });
    static WRITER_STAFFS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\bI(?:'ll|\s+will|'m|\s+am|\s+can)\s+(?:[\w'-]+\s+){0,10}?(?:myself|for\s+(?:you|him|her))\b",
        )
    });
    // A clock span ("10-12", "3:30-5", "15:30-17:00", "1230-1400", "from
    // 10 to noon") beside a day or a word of work; a short message with one
    // is almost always about a shift.
    static SPAN_OF_WORK: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)(?:^|[^/\d])(?:\d{1,2}(?::\d{2})?\s*(?:-|to|until|till)\s*(?:\d{1,2}(?::\d{2})?|noon)|\d{3,4}\s*-\s*\d{3,4})(?:$|[^/\d])",
        )
    });
    // Out sick, or unable to work, on a day: "sik 2day", "Ill today",
    // "can't do tomorrow".
    static OUT_ON_A_DAY: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:sick|sik|ill|unwell|flu|fever|migraine|covid|stomach\s+bug|calling\s+out|out|can'?t\s+(?:do|make|work)|cannot\s+(?:do|make|work)|won'?t\s+make)\b[^.!?\n]{0,30}?\b(?:today|2day|tonight|tomorrow|tmrw|this\s+(?:morning|afternoon)|mon(?:day)?|tues?(?:day)?|wed(?:nesday)?|thu(?:rs?)?(?:day)?|fri(?:day)?)\b",
        )
    });
    static WORK_WORD: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:do|take|cover|covering|grab|need|needs|sit|staff|work|replace|swap|trade|sub|can'?t|cannot)\b",
        )
    });
    // Someone who would work it or is asked to: announcements of events
    // and hours name spans too, but no one in them takes or gives a shift.
    static PERSON: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:i|i'm|i'll|i've|i'd|me|my|someone|somebody|anyone|anybody|some1|any1)\b")
    });
    static YES_NO_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^\s*(?:so,?\s+|and\s+|quick\s+q\w*\s*[:-]*\s*|question\s*[:-]+\s*)?(?:is|are|am|do|does|did|should|will|would|was|were|has|have|can\s+i|could\s+i|may\s+i)\b",
        )
    });
    static SET_ASIDE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(?:thanks?|thank\s+you|thx|grateful|appreciate\w*|yesterday|last\s+(?:week|month|night|semester|term|\w+day)|while\s+i\s+was|if\s+(?:you|anyone|someone|somebody|nobody|no\s+one|noone|none\s+of\s+you)|unless\s+(?:someone|somebody|anyone)|whoever|when\s+you|(?:wasn't|not)\s+sure|wondering|(?:during|after|before|from)\s+(?:my|his|her)\s+(?:[\w/:-]+\s+){0,2}?shift|when(?:ever)?\s+(?:i|we|people|staff)\s+(?:need|needs|have\s+to|want|can'?t)|not\s+affected|unaffected|as\s+usual|(?:shifts?|slot)\s+(?:is|are|was|were)|cover(?:s|ed|ing)?\s+(?:the|a|an|this|that|our)\s+(?:[a-z-]+\s+){0,2}?(?:session|panel|talk|keynote|conference|webinar|presentation|lecture|symposium))\b",
        )
    });
    static QUESTION_WORDS: LazyLock<Regex> = LazyLock::new(|| re(r"\?\s*$"));
    if text.split_whitespace().count() > SHORT_MESSAGE_WORDS {
        return None;
    }
    sentences(text).find(|s| {
        (SOMEONES_SHIFT.is_match(s)
            || WRITER_STAFFS.is_match(s)
            || OUT_ON_A_DAY.is_match(s)
            || (SPAN_OF_WORK.is_match(s) && WORK_WORD.is_match(s) && PERSON.is_match(s)))
            && !(QUESTION_WORDS.is_match(s) && YES_NO_QUESTION.is_match(s))
            && !SET_ASIDE.is_match(s)
            && checks_nothing_is_needed(s).is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_the_spans_of_the_sentence_pattern() {
        let pattern = regex::Regex::new(r"[^.!?\n]+[.!?]*").expect("valid regex");
        for text in [
            "",
            "...",
            "Can someone take my Friday? Thanks!! Mei.",
            "\n\nno marks at all\nsecond line\n",
            "Wait... what?!? ok. 12:30. Renée — café? “Quoted.” end",
            "?!.\n.a",
        ] {
            let want: Vec<&str> = pattern
                .find_iter(text)
                .map(|m| m.as_str())
                .filter(|s| s.chars().any(char::is_alphanumeric))
                .collect();
            assert_eq!(sentences(text).collect::<Vec<_>>(), want, "in {text:?}");
        }
    }

    fn ids(kind: Kind, text: &str) -> Vec<String> {
        of_text(kind, text).into_iter().map(|d| d.id).collect()
    }

    #[test]
    fn a_question_checking_nothing_is_needed_is_doubted() {
        for text in [
            "So no need to find a sub for my Monday, right?",
            "My Thursday 3/4 doesn't need covering then, correct?",
            "Do I need to find someone for my Friday shift if the library is closed?",
            "The building's shut Monday, so nobody has to cover my 10-12?",
        ] {
            assert_eq!(
                ids(Kind::CoverageRequest, text),
                ["ask.checks_no_need"],
                "{text}"
            );
            assert_eq!(ids(Kind::Withdrawn, text), ["ask.checks_no_need"], "{text}");
        }
    }

    #[test]
    fn a_terse_ask_or_a_plain_no_need_is_no_check() {
        for text in [
            "Sub for my Thursday?",
            "Can anyone cover my Monday 2-3:30?",
            "Anyone free Wed 12/9? No need to reply if you can't.",
            "No need to find a sub for my Monday anymore, my trip was cancelled.",
            "Do you need me to take your Friday?",
        ] {
            assert!(ids(Kind::CoverageRequest, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn other_that_speaks_of_someones_shift_is_doubted() {
        for text in [
            "fever. wont make my 1030 today, sry",
            "Lena's got my Presidents Day shift. Thanks Lena!",
            "Marcus asked me to step in for Ana, so her 2:00 tomorrow is handled.",
            "Nobody answered, so I'll run the desk for Ana on Thursday myself.",
            "I'll be on chat for you at 3, Kim. Rest up.",
            "anyone for my tues and thurs shifts next wk? 2/9 and 2/11. wedding",
            "cant do tmrw 9-11, can some1 take it?? car trouble",
            "Unwell today - cannot do 10:00-12:00. Sorry.",
            "running a fever, calling out today. sorry all",
            "Omar, I'll take your Thursday the 4th, 2-3:30.",
        ] {
            assert_eq!(
                ids(Kind::Other, text),
                ["other.speaks_of_a_shift"],
                "{text}"
            );
        }
    }

    #[test]
    fn other_about_past_cover_questions_and_announcements_is_not_doubted() {
        for text in [
            "Thanks again to Omar for taking my shift yesterday, the class went well.",
            "Is my Wednesday shift 12-2 or 12:30-2 now? The calendar looks odd.",
            "My shift is 3:30-5 that day, which is why I'm asking.",
            "I'm working from home Tuesday but my chat shifts are not affected.",
            "Has anyone else had the widget freeze during their shift?",
            "Quick q - is my Monday slot 10-12 or 10:30-12 this term?",
            "The printer jammed twice during my shift this afternoon.",
            "So my Friday 1/1 doesn't need a sub, right?",
            "Chat hours over the break are 10-4, the building is closed.",
            "Is the desk open 9-5 on Monday?",
            "Please check your shifts for 12/14-12/18 before the break.",
            "The refresher training is Wednesday 1/13 from 12 to 1:30, lunch provided.",
            "If you're sick and can't make your shift today, email the list.",
            "I have the Monday 12-2 shift and wasn't sure if I need to find cover.",
            "Leftover bagels in the break room, grab one before your shift!",
            "During my Thursday 3:30 shift two patrons asked about the new scanner.",
            "When I need my Friday shift covered, should I write Courtney first?",
            "Mei and I are covering the opening keynote at the state meeting on Fri 4/9, 9-10:30; notes to follow.",
        ] {
            assert!(ids(Kind::Other, text).is_empty(), "{text}");
        }
        let long = format!(
            "Hi all, {} Please check my Friday shift notes.",
            "The new schedule is posted and everything stays as it was. ".repeat(10)
        );
        assert!(ids(Kind::Other, &long).is_empty());
    }

    /// The days a text names, read as the reader reads them for the doubt
    /// check: on Wednesday 9 December 2026, for the test config's desk
    /// (New York, open 10 to 5 on weekdays).
    fn days_named(text: &str) -> Vec<super::super::dates::DayAsk> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        super::super::dates::read_days(
            text,
            today,
            crate::config::DateOrder::Mdy,
            &crate::config::ServiceHours {
                days: vec![
                    chrono::Weekday::Mon,
                    chrono::Weekday::Tue,
                    chrono::Weekday::Wed,
                    chrono::Weekday::Thu,
                    chrono::Weekday::Fri,
                ],
                open: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
                close: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            },
            chrono_tz::America::New_York,
        )
        .asks
    }

    fn days_apart(kind: Kind, text: &str) -> bool {
        let asks = days_named(text);
        let dates: Vec<chrono::NaiveDate> = asks.iter().map(|d| d.date).collect();
        of_shift_days(kind, text, || asks.clone(), &dates).is_some()
    }

    #[test]
    fn days_named_in_different_sentences_are_doubted() {
        for text in [
            "Could someone take my Thursday 12/17 shift? Thanks, but I'm away on the 29th anyway.",
            "Thank you to Omar for taking my shift last Tuesday. Can somebody take my Friday 12/18?",
            "The new catalogue launches Monday. Also I need someone for my Wed 12/16 shift.",
        ] {
            assert!(days_apart(Kind::CoverageRequest, text), "{text}");
        }
    }

    /// The days the doubt check is given are read on the desk's clock, as
    /// the reading's are: a time labelled with another zone is moved.
    #[test]
    fn the_doubt_check_reads_a_zone_labelled_time_on_the_desks_clock() {
        let text = "Could someone take Thu 12/17 1-3 PT? Also Fri 12/18 11-1 Pacific, I'm away.";
        let read: Vec<String> = days_named(text)
            .iter()
            .map(|a| {
                let times: Vec<String> = a.times.iter().map(|t| t.time.to_string()).collect();
                format!("{} {}", a.date, times.join(","))
            })
            .collect();
        assert_eq!(read, ["2026-12-17 16:00-18:00", "2026-12-18 14:00-16:00"]);
        assert!(days_apart(Kind::CoverageRequest, text), "{text}");
        let together = "Could someone take Thu 12/17 1-3 PT and Fri 12/18 11-1 PT?";
        assert!(!days_apart(Kind::CoverageRequest, together), "{together}");
    }

    #[test]
    fn days_named_together_or_one_day_are_not_doubted() {
        for text in [
            "I need my Wednesday and Friday shifts covered, 12/16 and 12/18.",
            "Could someone take my Thursday 12/17 shift?",
            "Can anyone cover Mon 12/14 or Tue 12/15, either one?",
            "Could people take these?\n- Mon 12/14 12-2\n- Wed 12/16 3:30-5\n- Fri 12/18 10-12\nThanks!",
        ] {
            assert!(!days_apart(Kind::CoverageRequest, text), "{text}");
        }
        // An offer states its own days; it does not act on its own.
        assert!(!days_apart(
            Kind::Offer,
            "I can take your Thursday 12/17. I'm away on the 29th though."
        ));
    }

    #[test]
    fn a_weekday_next_week_read_as_this_week_is_doubted() {
        // Wednesday 9 December 2026.
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let kind = Kind::CoverageRequest;
        let doubted = |text: &str, d: u32| of_week_words(kind, text, today, &[day(d)]).is_some();
        assert!(doubted(
            "need someone for my fri shift next wk. wedding",
            11
        ));
        assert!(!doubted(
            "need someone for my fri shift next wk. wedding",
            18
        ));
        assert!(doubted(
            "Could anyone cover my Tuesday week? Conference.",
            15
        ));
        assert!(!doubted(
            "Could anyone cover my Tuesday week? Conference.",
            22
        ));
        // "Next week" in another sentence says nothing of the Friday asked.
        assert!(!doubted(
            "Could someone take my Friday? I'm away next week too.",
            11
        ));
        assert!(!doubted("Could someone take my Friday 12/11?", 11));
    }

    #[test]
    fn a_reading_that_acts_is_not_doubted_for_speaking_of_a_shift() {
        assert!(ids(Kind::CoverageRequest, "Can someone take my Monday 2-3:30?").is_empty());
        assert!(ids(Kind::Sick, "sick, wont make my 1030 today").is_empty());
    }
}

/// The whole reading path, on the corpus's roster and schedule: what the
/// program would do with the message (ask, or act).
#[cfg(test)]
mod whole_path {
    use crate::config::Config;
    use crate::model::{Kind, Reading};
    use crate::read::{ReadContext, explain, read_message};
    use crate::schedule::Schedule;

    fn read(from: &str, subject: &str, body: &str) -> Reading {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
        let config = Config::load(&dir.join("shiftcover.toml")).expect("the corpus config");
        let ics = std::fs::read_to_string(dir.join("schedule.ics")).expect("schedule.ics");
        let schedule = Schedule::from_ics(&ics, &config.roster, config.timezone).expect("schedule");
        let raw = format!(
            "From: {from}\r\nTo: ask-chat@example.edu\r\nSubject: {subject}\r\nDate: Wed, 9 Dec 2026 08:30:00 -0500\r\nMessage-ID: <{}@example.edu>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
            crate::compose::short_hash(&format!("{from}{subject}{body}")),
        );
        read_message(
            raw.as_bytes(),
            &ReadContext {
                config: &config,
                schedule: &schedule,
            },
        )
    }

    fn acts(r: &Reading) -> bool {
        r.kind != Kind::Other && r.kind != Kind::AutoReply && !r.unsure()
    }

    fn why(r: &Reading) -> String {
        explain(r, "America/New_York".parse().unwrap())
    }

    #[test]
    fn a_question_checking_no_sub_is_needed_opens_no_request() {
        let r = read(
            "alopez@example.edu",
            "Re: library closed Monday",
            "So no need to find a sub for my Monday, right?",
        );
        assert!(!acts(&r), "{}", why(&r));
        // Read as a request (an ask cue fires on "sub for my"), it is
        // unsure for the question it is.
        if r.kind == Kind::CoverageRequest {
            assert!(
                r.doubts.iter().any(|d| d.id == "ask.checks_no_need"),
                "{}",
                why(&r)
            );
        }
    }

    /// A request whose times are labelled with another zone: the reading's
    /// shifts and the days the doubt check weighs are both on the desk's
    /// clock, so days named apart are doubted and days named together are
    /// not, whatever the label.
    #[test]
    fn a_zone_labelled_request_is_read_and_doubted_on_the_desks_clock() {
        use crate::read::families::shifts;
        let apart = read(
            "tbecker@example.edu",
            "cover please",
            "Could someone take Thu 12/17 1-3 PT? Also Fri 12/18 11-1 Pacific, I'm flying.",
        );
        assert_eq!(apart.kind, Kind::CoverageRequest, "{}", why(&apart));
        assert_eq!(
            shifts(&apart),
            ["2026-12-17 16:00-18:00", "2026-12-18 14:00-16:00"],
            "{}",
            why(&apart)
        );
        assert!(
            apart.doubts.iter().any(|d| d.id == "shifts.days_apart"),
            "{}",
            why(&apart)
        );
        let together = read(
            "tbecker@example.edu",
            "cover please",
            "Could someone take Thu 12/17 1-3 PT and Fri 12/18 11-1 PT? I'm flying.",
        );
        assert_eq!(
            shifts(&together),
            ["2026-12-17 16:00-18:00", "2026-12-18 14:00-16:00"],
            "{}",
            why(&together)
        );
        assert!(
            !together.doubts.iter().any(|d| d.id == "shifts.days_apart"),
            "{}",
            why(&together)
        );
    }

    #[test]
    fn a_terse_ask_still_opens_a_request() {
        let r = read("tbecker@example.edu", "thurs", "Sub for my Thursday?");
        assert_eq!(r.kind, Kind::CoverageRequest, "{}", why(&r));
        assert!(!r.unsure(), "{}", why(&r));
    }

    #[test]
    fn a_confirmation_naming_no_day_anywhere_asks_which_shift() {
        let r = read(
            "alopez@example.edu",
            "Re: my shift",
            "Tom Becker is taking it. Thanks Tom!",
        );
        assert_eq!(r.kind, Kind::Covered, "{}", why(&r));
        assert!(r.shifts.is_empty(), "{}", why(&r));
        assert!(r.unsure(), "{}", why(&r));
        assert!(
            r.doubts.iter().any(|d| d.id == "covered.no_shift"),
            "{}",
            why(&r)
        );
    }

    #[test]
    fn a_confirmation_naming_its_day_is_sure() {
        let r = read(
            "alopez@example.edu",
            "Re: my Monday 12/14 shift",
            "Tom Becker is taking my Monday 12/14 shift. Thanks Tom!",
        );
        assert_eq!(r.kind, Kind::Covered, "{}", why(&r));
        assert!(!r.shifts.is_empty(), "{}", why(&r));
        assert!(!r.unsure(), "{}", why(&r));
    }

    #[test]
    fn a_take_back_beside_an_ask_asks_which_stands() {
        let r = read(
            "alopez@example.edu",
            "Re: Monday 12/14",
            "Disregard my last email. Can someone cover my Monday 12/14 shift after all?",
        );
        assert!(!acts(&r), "{}", why(&r));
        assert!(
            r.doubts.iter().any(|d| d.id == "cues.take_back_and_ask"),
            "{}",
            why(&r)
        );
    }

    #[test]
    fn a_plain_take_back_is_sure() {
        let r = read(
            "alopez@example.edu",
            "Re: Monday 12/14",
            "Never mind, my trip was cancelled and I can work my Monday after all.",
        );
        assert_eq!(r.kind, Kind::Withdrawn, "{}", why(&r));
        assert!(!r.unsure(), "{}", why(&r));
    }

    #[test]
    fn a_coverer_backing_out_is_understood() {
        let r = read(
            "tbecker@example.edu",
            "Re: Monday 12/14",
            "Sorry, I can't do Monday 12/14 after all, something came up.",
        );
        assert!(r.backs_out, "{}", why(&r));
        assert!(!r.unsure(), "{}", why(&r));
    }

    #[test]
    fn a_plain_request_is_sure() {
        let r = read(
            "alopez@example.edu",
            "Friday 12/11",
            "Could someone cover my Friday 12/11 shift? I have a dentist appointment.",
        );
        assert_eq!(r.kind, Kind::CoverageRequest, "{}", why(&r));
        assert!(!r.unsure(), "{}", why(&r));
    }
}
