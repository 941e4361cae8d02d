//! Reading list mail: a raw message in, a [`Reading`] out. Pure: it takes the
//! message, the config (roster, zone, date order, service hours) and the
//! schedule, and does no IO.
//!
//! Steps: [`decode`] (MIME, charsets, HTML to text) → [`machine`] (auto
//! replies, bounces, bulk mail, the program's own mail) → [`quote`] (set aside
//! quoted text and signatures) → [`classify`] (the kind, the coverer, whose
//! shift it is) → [`dates`] and [`resolve`] (which shifts).
//!
//! The program's own mail coming back through the list reads as `other` with
//! `own_mail` set (not `auto_reply`, although it carries Auto-Submitted): it
//! is neither a person's words nor someone else's machine.
//!
//! OWNER: reading helper (mod.rs, decode, machine, quote, classify);
//! dates helper (dates, resolve).

// The weekday spellings the reader's patterns share, as macros so a
// pattern built with `concat!` (a cue row's `&'static str` as well as a
// compiled one) spells them once. Each expands to a bare alternation, to be
// put inside a group. They are defined before the modules below so every one
// of them sees them.

/// The weekdays Monday to Friday as abbreviated ("mon", "tues", "weds",
/// "thurs"...); a pattern that wants the whole word follows it with
/// `[a-z]*`, and one that wants the weekend adds `|sat|sun` itself.
macro_rules! weekday_abbrevs {
    () => {
        "mon|tue|tues|wed|weds|thu|thur|thurs|fri"
    };
}

/// [`weekday_abbrevs`] without "weds": the spelling of the patterns that
/// were written without it, kept apart so the difference shows (taking
/// "weds" there would change what they read).
macro_rules! weekday_abbrevs_without_weds {
    () => {
        "mon|tue|tues|wed|thu|thur|thurs|fri"
    };
}

/// The weekdays Monday to Friday spelt out; a pattern that wants the
/// weekend adds `|saturday|sunday` itself.
macro_rules! weekday_names {
    () => {
        "monday|tuesday|wednesday|thursday|friday"
    };
}

/// What comes before "day" in the weekdays Monday to Friday ("wednes" +
/// "day"), for patterns that spell the plural ("Tuesdays") or the name
/// with something after it; the weekend's "satur|sun" is added by the
/// pattern that wants it.
macro_rules! weekday_stems {
    () => {
        "mon|tues|wednes|thurs|fri"
    };
}

pub mod anchors;
mod attribution;
pub mod auth_results;
pub mod classify;
pub mod covers;
pub mod cues;
pub mod dates;
pub mod decode;
pub mod doubts;
#[cfg(test)]
mod families;
pub mod itip;
pub mod machine;
pub mod pattern;
pub mod quote;
pub mod resolve;
pub mod senses;
pub mod spelling;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Timelike};
use pattern::Regex;

use crate::config::Config;
use crate::model::{Instant, Kind, Reading};
use crate::schedule::Schedule;

use classify::{Input, Verdict};
use machine::Origin;
use resolve::{Mode, find_shifts, find_shifts_in, find_shifts_with_subject_in};

/// What reading a message needs besides the message.
pub struct ReadContext<'a> {
    pub config: &'a Config,
    pub schedule: &'a Schedule,
}

/// Everything understood of a message before its shifts are resolved; needs
/// no schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The reading so far; `shifts` is empty.
    pub reading: Reading,
    /// The text the kind was read from (the sender's new words, or a
    /// forwarded message's).
    pub text: String,
    /// What the message quotes.
    pub quoted: String,
    /// The subject without Re:/Fwd:/"Second call:" prefixes.
    pub topic: String,
    /// The Date header's local date in the configured zone.
    pub today: Option<NaiveDate>,
    /// Whose schedule a day without times resolves to: the person covered or
    /// relayed as sick, else the sender when on the roster.
    pub person: Option<String>,
    /// The day of the message this one answers, from its quote's
    /// attribution ("On Mon, Dec 7, 2026 at 8:01 AM Angie wrote:"): a
    /// reply's subject ("RE: out today") speaks of that day.
    pub thread_day: Option<NaiveDate>,
    /// The id of the decision rule that gave the kind (empty when none did).
    pub rule: &'static str,
}

/// The local hour before which a message's "tomorrow" may mean the day just
/// begun (see `shifts_of`): a writer still up at 4 a.m. speaks of the night
/// as the day before.
const SMALL_HOURS_END: u32 = 5;

/// Reads one raw RFC 5322 message. Never panics; a message that cannot be
/// parsed is `other` with a diagnostic.
pub fn read_message(raw: &[u8], ctx: &ReadContext) -> Reading {
    classify::one_reading(|| read_message_once(raw, ctx))
}

fn read_message_once(raw: &[u8], ctx: &ReadContext) -> Reading {
    let analysis = analyse(raw, ctx.config);
    let mut reading = analysis.reading.clone();
    reading.sender_auth = ctx
        .config
        .authserv_id
        .as_deref()
        .map(|id| auth_results::sender_auth(raw, id, &reading.from));
    if answers_own_ack(&reading, ctx.config) {
        reading.named_shifts = named_in_correction(&analysis, ctx);
    }
    if reading.backs_out {
        reading.named_shifts = named_in_back_out(&analysis, ctx);
    }
    if !reading.kind.carries_shifts() {
        return reading;
    }
    let shifts = catch_unwind(AssertUnwindSafe(|| shifts_of(&analysis, ctx)));
    match shifts {
        Ok((spans, diags)) => {
            reading.shifts = spans;
            reading.diagnostics.extend(diags);
            if reading.kind == Kind::Covered {
                reading.covers = covers::several(&analysis, ctx);
            }
            if reading.kind == Kind::Offer
                && !reading.shifts.is_empty()
                && reading.on_behalf_of.is_none()
                && let Some(asker) = offered_to(&analysis, ctx.config)
                // An asker who posted for a colleague ("Courtney, I can take
                // Jorge's Tuesday 2-3:30") is not whose shift it is: the
                // schedule's owner of the offered times is, below.
                && (works_any(ctx.schedule, &asker, &reading.shifts)
                    || !anyone_works(ctx.schedule, &reading.shifts))
            {
                reading.diagnostics.push(format!(
                    "the offer answers {asker}, who is addressed and whose message is quoted"
                ));
                reading.on_behalf_of = Some(asker);
            }
        }
        Err(_) => reading
            .diagnostics
            .push("shifts: resolving dates failed inside; no shifts reported".into()),
    }
    if let Some((answered, spans, diags)) = answered_authors_shifts(&analysis, &reading, ctx) {
        reading.diagnostics.push(format!(
            "the shift is {}'s, whose message is answered: the writer has none then",
            answered.person.as_deref().unwrap_or("")
        ));
        reading.diagnostics.extend(diags);
        reading.shifts = spans;
        reading.on_behalf_of = answered.person.clone();
        reading.covers = covers::several(&answered, ctx);
    }
    let mut reading = with_owner_from_schedule(reading, ctx.schedule);
    // The doubts a reading's shifts raise: none without shifts.
    if let Some(today) = analysis.today
        && !reading.shifts.is_empty()
    {
        let text = classify::plain(&analysis.text);
        let shift_dates: Vec<NaiveDate> = reading
            .shifts
            .iter()
            .map(|s| s.start.with_timezone(&ctx.config.timezone).date_naive())
            .collect();
        reading.doubts.extend(doubts::of_shift_days(
            reading.kind,
            &text,
            || {
                dates::read_days(
                    &text,
                    today,
                    ctx.config.date_order,
                    &ctx.config.service_hours,
                    ctx.config.timezone,
                )
                .asks
            },
            &shift_dates,
        ));
        reading.doubts.extend(doubts::of_week_words(
            reading.kind,
            &text,
            today,
            &shift_dates,
        ));
    }
    with_doubts_of_the_whole(reading)
}

/// A third party's confirmation in a reply that speaks of no shift of the
/// writer's own ("Closing the loop: Tom ended up taking it" under Mei's
/// "out today") and whose day holds none of the writer's shifts is about
/// the shift of the message it answers: the analysis read as its author's,
/// with the shifts found so. None when the writer's own reading found
/// shifts, or the answered message is an offer, the coverer's or the
/// writer's.
/// A message found, after its kind was read, to carry no news to act on
/// (an offer taken back, a cover backed out of in another's thread, a
/// recap of covers already made): `other`, with neither coverer nor owner
/// nor doubts, and `why` said in the explanation.
fn news_of_nothing(reading: &mut Reading, why: &str) {
    reading.diagnostics.push(why.into());
    reading.kind = Kind::Other;
    reading.coverer = None;
    reading.on_behalf_of = None;
    reading.doubts.clear();
}

fn answered_authors_shifts(
    a: &Analysis,
    reading: &Reading,
    ctx: &ReadContext,
) -> Option<(Analysis, Vec<crate::model::Span>, Vec<String>)> {
    static MINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:my|mine|me|i'm|i am|i'll)\b").expect("valid regex"));
    if reading.kind != Kind::Covered
        || !reading.shifts.is_empty()
        || reading.on_behalf_of.is_some()
        || reading.coverer.is_none()
        || reading.coverer.as_deref() == Some(reading.from.as_str())
        || !classify::is_reply(&reading.subject)
        || MINE.is_match(&a.text)
    {
        return None;
    }
    let author = quoted_author(&a.quoted, ctx.config)?;
    if author == reading.from
        || reading.coverer.as_deref() == Some(author.as_str())
        || quotes_an_offer(&a.quoted, &author, &reading.subject, ctx.config)
    {
        return None;
    }
    let mut answered = a.clone();
    answered.person = Some(author.clone());
    answered.reading.on_behalf_of = Some(author);
    let (spans, diags) = catch_unwind(AssertUnwindSafe(|| shifts_of(&answered, ctx))).ok()?;
    if spans.is_empty() {
        return None;
    }
    Some((answered, spans, diags))
}

/// For a confirmation in a reply whose text names no day and whose
/// subject names one bare weekday: the date on that weekday named by the
/// latest quoted message that names one, and the subject's words for the
/// weekday. None when anything else holds.
fn thread_date_of_bare_weekday(
    a: &Analysis,
    text: &str,
    topic: &str,
    days_in: &dyn Fn(&str) -> std::rc::Rc<dates::Days>,
) -> Option<(NaiveDate, Vec<String>)> {
    if a.reading.kind != Kind::Covered
        || !classify::is_reply(&a.reading.subject)
        || days_in(text).names_date
    {
        return None;
    }
    let subject_days = days_in(topic);
    let [asked] = subject_days.asks.as_slice() else {
        return None;
    };
    // A weekday by name: "today" or "tomorrow" is read on the day of the
    // message answered (see below), not here.
    static WEEKDAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:mon|tue|wed|thu|fri|sat|sun)").expect("valid regex")
    });
    let bare = !asked.said.is_empty()
        && asked.said.iter().all(|w| {
            !w.chars().any(|c| c.is_ascii_digit())
                && WEEKDAY.is_match(w)
                && topic.contains(w.as_str())
        });
    if !bare {
        return None;
    }
    let weekday = asked.date.weekday();
    quoted_messages(&a.quoted).iter().find_map(|m| {
        let own = classify::without_ruled_out(&classify::plain(&quote::split(m).new_text));
        let days = days_in(&own);
        if !days.names_date {
            return None;
        }
        // Only a written date: a quoted "this morning" was said on the
        // quoted message's day, not this one's.
        let on_weekday: Vec<NaiveDate> = days
            .asks
            .iter()
            .filter(|d| d.said.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())))
            .map(|d| d.date)
            .filter(|d| d.weekday() == weekday)
            .collect();
        match on_weekday.as_slice() {
            [one] => Some((*one, asked.said.clone())),
            _ => None,
        }
    })
}

/// The thing a forward or a quote carries whose days a message with none
/// of its own may speak of: a pasted calendar appointment (Outlook's
/// "When: Tuesday, March 16, 2027 10:00 AM-12:00 PM", its day and times)
/// or a notice (a reminder, a summons: its text without header lines and
/// attributions). The one route both readers of the forwarded thing's days
/// take: [`forwarded_notice_days`] and the shift finder's appointment rule.
enum Forwarded<'q> {
    /// The appointment's "When:" line, after the label.
    Appointment(&'q str),
    /// The notice's text.
    Notice(&'q str),
}

impl<'q> Forwarded<'q> {
    /// What `quoted` carries: an appointment when a line of it is a
    /// "When:" line, else a notice; None when nothing is quoted.
    fn of(quoted: &'q str) -> Option<Self> {
        static WHEN_LINE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?im)^[ \t>]*When:[ \t]*(.+)$").expect("valid regex"));
        if quoted.trim().is_empty() {
            return None;
        }
        Some(match WHEN_LINE.captures(quoted).and_then(|c| c.get(1)) {
            Some(when) => Forwarded::Appointment(when.as_str()),
            None => Forwarded::Notice(quoted),
        })
    }

    /// The text whose days are the thing's days.
    fn text(&self) -> std::borrow::Cow<'q, str> {
        match *self {
            Forwarded::Appointment(when) => std::borrow::Cow::Borrowed(when),
            Forwarded::Notice(text) => {
                std::borrow::Cow::Owned(classify::plain(&without_header_lines(text)))
            }
        }
    }
}

/// For a forward whose own words name days only by bare weekdays, over a
/// notice from someone off the roster whose text or subject writes dates
/// to come: each weekday word and the date meant, the notice's own date on
/// that weekday or else that weekday in the week of the notice's first
/// date to come ("jury service on Monday, March 22": "my Tue and Thu
/// shifts that week" are the 23rd and the 25th). None when any of it does
/// not hold, or nothing would move.
fn forwarded_notice_days(
    a: &Analysis,
    text: &str,
    topic: &str,
    config: &Config,
    days_in: &dyn Fn(&str) -> std::rc::Rc<dates::Days>,
) -> Option<Vec<(String, NaiveDate)>> {
    let today = a.today?;
    if !classify::is_forward(&a.reading.subject)
        || !matches!(
            a.reading.kind,
            Kind::CoverageRequest | Kind::SecondCall | Kind::Sick | Kind::Covered
        )
        || a.quoted.trim().is_empty()
        || forwarded_sender(&a.quoted, config).is_some()
    {
        return None;
    }
    let weekday_of_word = |w: &str| -> Option<chrono::Weekday> {
        let w = w.trim();
        let day = dates::weekday_by_prefix(w)?;
        w.chars().all(|c| c.is_ascii_alphabetic()).then_some(day)
    };
    let own = days_in(text);
    if own.asks.is_empty() {
        return None;
    }
    let mut words: Vec<(String, chrono::Weekday)> = Vec::new();
    for ask in &own.asks {
        let [word] = ask.said.as_slice() else {
            return None;
        };
        let wd = weekday_of_word(word)?;
        if wd != ask.date.weekday() || !text.contains(word.as_str()) {
            return None;
        }
        words.push((word.clone(), wd));
    }
    let written = |t: &str| -> Vec<NaiveDate> {
        days_in(t)
            .asks
            .iter()
            .filter(|d| d.said.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())))
            .map(|d| d.date)
            .filter(|d| *d >= today)
            .collect()
    };
    let forwarded = Forwarded::of(&a.quoted)?;
    let mut notice: Vec<NaiveDate> = written(&forwarded.text());
    notice.extend(written(topic));
    notice.sort();
    notice.dedup();
    let first = *notice.first()?;
    let monday = first - chrono::Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut moved = Vec::new();
    for (ask, (word, wd)) in own.asks.iter().zip(words) {
        let date = notice
            .iter()
            .copied()
            .find(|d| d.weekday() == wd)
            .unwrap_or(monday + chrono::Duration::days(i64::from(wd.num_days_from_monday())));
        if date != ask.date {
            moved.push((word, date));
        }
    }
    (!moved.is_empty()).then_some(moved)
}

/// The messages a reply quotes, latest first, each without its
/// attribution or header lines ("On ... wrote:", "From:", "Sent:").
fn quoted_messages(quoted: &str) -> Vec<String> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\*?(?:from|sent|date|to|cc|subject)\s*:|^-{2,}\s*original message|^_{8,}\s*$",
        )
        .expect("valid regex")
    });
    let mut messages = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in quoted.lines() {
        let t = line.trim();
        if quote::is_attribution(t) || HEADER.is_match(t) {
            if current.iter().any(|l| !l.trim().is_empty()) {
                messages.push(current.join("\n"));
            }
            current.clear();
        } else {
            current.push(line);
        }
    }
    if current.iter().any(|l| !l.trim().is_empty()) {
        messages.push(current.join("\n"));
    }
    messages
}

/// True for a reply to the program's own acknowledgement or clarify.
fn answers_own_ack(reading: &Reading, config: &Config) -> bool {
    matches!(
        reading.kind,
        Kind::CoverageRequest | Kind::Sick | Kind::SecondCall | Kind::Other
    ) && reading
        .in_reply_to
        .as_deref()
        .is_some_and(|id| crate::compose::is_own_id(config, id, &["ack", "clarify"]))
}

/// The shifts a correction names, in its own words only (not the subject,
/// which repeats the thread), with what it rules out ("not Tuesday",
/// "instead of the 8th") set aside.
fn named_in_correction(a: &Analysis, ctx: &ReadContext) -> Vec<crate::model::Span> {
    static RULED_OUT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:not|instead of|rather than|wasn't|isn't|it's not)\s+(?:the\s+|my\s+|on\s+)?[^,.;!?\n]*")
            .expect("valid regex")
    });
    let Some(today) = a.today else {
        return Vec::new();
    };
    let text = RULED_OUT
        .replace_all(&classify::plain(&a.text), " ")
        .into_owned();
    let found = find_shifts(
        &text,
        today,
        a.person.as_deref(),
        ctx.schedule,
        ctx.config,
        Mode::Shifts,
    );
    if found.names_date {
        found.spans
    } else {
        Vec::new()
    }
}

/// The shifts a writer backing out names, read against their own
/// schedule, where the shifts they cover are theirs: "Thursday" is the
/// cover event they hold that day.
fn named_in_back_out(a: &Analysis, ctx: &ReadContext) -> Vec<crate::model::Span> {
    let Some(today) = a.today else {
        return Vec::new();
    };
    let found = find_shifts(
        &classify::plain(&a.text),
        today,
        a.person.as_deref(),
        ctx.schedule,
        ctx.config,
        Mode::Shifts,
    );
    found.spans
}

/// Doubts only the whole reading shows: a request or sick notice whose
/// shifts did not resolve, a confirmation that names no one covering, and
/// one in which the writer covers but whose shift it is was not found
/// ("I'll be on chat for u at noon Tom, feel better" with no quote and no
/// comma before the name): the shifts found are then the writer's own, and
/// nobody covers their own shift. Each weighs 50: alone it makes the
/// reading unsure (see [`crate::model::UNSURE_BELOW`]).
fn with_doubts_of_the_whole(mut reading: Reading) -> Reading {
    use crate::model::Doubt;
    if matches!(reading.kind, Kind::CoverageRequest | Kind::Sick) && reading.shifts.is_empty() {
        reading.doubts.push(Doubt::new(
            "shifts.unresolved",
            "which shift the message is about",
            50,
        ));
    }
    if reading.kind == Kind::Covered && reading.coverer.is_none() && reading.covers.is_empty() {
        reading
            .doubts
            .push(Doubt::new("coverer.unnamed", "who is covering", 50));
    }
    // Every confirmation in the blind rounds was about a shift that could
    // be named (from the text, the subject or the thread); one read with
    // none took the wrong day or missed it.
    if reading.kind == Kind::Covered && reading.shifts.is_empty() && reading.covers.is_empty() {
        reading
            .doubts
            .push(Doubt::new("covered.no_shift", "which shift is covered", 50));
    }
    if reading.kind == Kind::Covered
        && reading.on_behalf_of.is_none()
        && reading.coverer.as_deref() == Some(reading.from.as_str())
    {
        reading.doubts.push(Doubt::new(
            "coverer.own_shift",
            "whose shift you are covering",
            50,
        ));
    }
    reading
}

/// True when `who` works part of one of `spans` on the schedule.
fn works_any(schedule: &Schedule, who: &str, spans: &[crate::model::Span]) -> bool {
    spans.iter().any(|span| {
        schedule
            .shifts_of(who, *span)
            .iter()
            .any(|o| o.span.overlaps(span))
    })
}

/// True when someone on the schedule works part of one of `spans`.
fn anyone_works(schedule: &Schedule, spans: &[crate::model::Span]) -> bool {
    spans.iter().any(|span| {
        schedule
            .occurrences(*span)
            .iter()
            .any(|o| o.owner.is_some())
    })
}

/// Whose shifts a message is about, when the text did not say: a request,
/// sick notice or confirmation whose shifts are none of the sender's but
/// all one colleague's (Tom asking the list to cover Mei's Tuesday, Dana
/// confirming she takes it) is about that colleague, so the calendar edit,
/// the label and the invitation name the right person.
fn with_owner_from_schedule(mut reading: Reading, schedule: &Schedule) -> Reading {
    reading = without_one_owner_of_several(reading, schedule);
    // An offer of stated times is about whoever works them, too.
    let acts = matches!(
        reading.kind,
        Kind::CoverageRequest | Kind::SecondCall | Kind::Sick | Kind::Covered | Kind::Offer
    );
    if !acts || reading.on_behalf_of.is_some() || reading.shifts.is_empty() {
        return reading;
    }
    let owns = |who: &str, span: &crate::model::Span| {
        schedule
            .shifts_of(who, *span)
            .iter()
            .any(|o| o.span.overlaps(span))
    };
    if reading.shifts.iter().any(|s| owns(&reading.from, s)) {
        return reading;
    }
    let mut owners: Vec<String> = reading
        .shifts
        .iter()
        .flat_map(|s| schedule.occurrences(*s))
        .filter_map(|o| o.owner)
        .collect();
    owners.sort();
    owners.dedup();
    if let [owner] = owners.as_slice()
        && *owner != reading.from
        && Some(owner.as_str()) != reading.coverer.as_deref()
    {
        reading.diagnostics.push(format!(
            "the shifts are {owner}'s on the schedule, not the sender's"
        ));
        reading.on_behalf_of = Some(owner.clone());
    }
    reading
}

/// A call for shifts that the schedule gives to two or more colleagues,
/// none of them the writer ("Sarah and Jorge are both away Thursday; can
/// anyone take their 2-3:30 and 3:30-5?"), is made for all of them: no one
/// of them is the person it is made for, so a name picked from the text
/// is dropped. Each shift still names its own owner on the calendar.
fn without_one_owner_of_several(mut reading: Reading, schedule: &Schedule) -> Reading {
    if !matches!(reading.kind, Kind::CoverageRequest | Kind::SecondCall)
        || reading.on_behalf_of.is_none()
        || reading.shifts.len() < 2
    {
        return reading;
    }
    let mut owners: Vec<String> = Vec::new();
    for span in &reading.shifts {
        let mut of_span: Vec<String> = schedule
            .occurrences(*span)
            .into_iter()
            .filter(|o| o.span.overlaps(span))
            .filter_map(|o| o.owner)
            .collect();
        of_span.sort();
        of_span.dedup();
        let [owner] = of_span.as_slice() else {
            return reading;
        };
        owners.push(owner.clone());
    }
    owners.sort();
    owners.dedup();
    if owners.len() >= 2
        && !owners.contains(&reading.from)
        && reading
            .on_behalf_of
            .as_ref()
            .is_some_and(|o| owners.contains(o))
    {
        reading.diagnostics.push(format!(
            "the shifts are {} on the schedule: asked for several colleagues, no one of them",
            owners.join(" and ")
        ));
        reading.on_behalf_of = None;
    }
    reading
}

/// Reads everything but the shifts. Never panics.
pub fn analyse(raw: &[u8], config: &Config) -> Analysis {
    let inner = || classify::one_reading(|| analyse_inner(raw, config));
    match catch_unwind(AssertUnwindSafe(inner)) {
        Ok(a) => a,
        Err(_) => {
            let mut reading = unreadable(raw, "reading the message failed inside");
            reading.from = sender_guess(raw);
            Analysis {
                reading,
                text: String::new(),
                quoted: String::new(),
                topic: String::new(),
                today: None,
                person: None,
                thread_day: None,
                rule: "",
            }
        }
    }
}

/// The reading of a message that was given up on without being read (it
/// took too long): `other`, with its Message-ID and From found by a plain
/// scan of its headers, so it is recorded under the key a full reading
/// would have given and never read again.
pub fn given_up(raw: &[u8], why: &str) -> Reading {
    let fields = auth_results::header_fields(raw);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let message_id = field("message-id")
        .and_then(|v| {
            let id = v
                .split_whitespace()
                .next()?
                .trim_matches(['<', '>'])
                .to_string();
            (!id.is_empty()).then(|| format!("<{id}>"))
        })
        .unwrap_or_else(|| decode::synthetic_message_id(raw));
    Reading {
        message_id,
        from: sender_guess(raw),
        subject: field("subject").unwrap_or_default(),
        kind: Kind::Other,
        diagnostics: vec![format!("unreadable: {why}")],
        ..blank()
    }
}

fn unreadable(raw: &[u8], why: &str) -> Reading {
    Reading {
        message_id: decode::synthetic_message_id(raw),
        kind: Kind::Other,
        diagnostics: vec![format!("unreadable: {why}")],
        ..blank()
    }
}

/// Whether the days read from a text state a span of clock times ("2-3:30")
/// on a day asked.
fn spans_stated(days: &dates::Days) -> bool {
    days.asks
        .iter()
        .flat_map(|d| &d.times)
        .any(|t| matches!(t.time, dates::TimeRef::Span(..)))
}

fn blank() -> Reading {
    Reading {
        message_id: String::new(),
        from: String::new(),
        date: None,
        subject: String::new(),
        in_reply_to: None,
        references: Vec::new(),
        kind: Kind::Other,
        shifts: Vec::new(),
        coverer: None,
        on_behalf_of: None,
        own_mail: false,
        covers: Vec::new(),
        diagnostics: Vec::new(),
        sender_auth: None,
        calendar_reply: None,
        backs_out: false,
        named_shifts: Vec::new(),
        doubts: Vec::new(),
    }
}

/// A last-resort From for a message the parser could not take apart.
fn sender_guess(raw: &[u8]) -> String {
    static FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?im)^from:[^\n]*?<?([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+)>?")
            .expect("valid regex")
    });
    let head = String::from_utf8_lossy(&raw[..raw.len().min(16 * 1024)]);
    FROM.captures(&head)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_lowercase())
        .unwrap_or_default()
}

fn analyse_inner(raw: &[u8], config: &Config) -> Analysis {
    let d = match decode::decode(raw) {
        Ok(d) => d,
        Err(why) => {
            let mut reading = unreadable(raw, &why);
            reading.from = sender_guess(raw);
            return Analysis {
                reading,
                text: String::new(),
                quoted: String::new(),
                topic: String::new(),
                today: None,
                person: None,
                thread_day: None,
                rule: "",
            };
        }
    };
    let mut diagnostics = Vec::new();
    let message_id = match &d.message_id {
        Some(id) if id.len() > 2 => id.clone(),
        _ => {
            let id = decode::synthetic_message_id(raw);
            diagnostics.push(format!("no Message-ID; using {id}"));
            id
        }
    };
    if d.from.is_empty() {
        diagnostics.push("no From address".into());
    }
    let today = d
        .date
        .map(|t| t.with_timezone(&config.timezone).date_naive());
    if d.date.is_none() {
        diagnostics.push("no readable Date header; relative dates cannot be resolved".into());
    }
    // Misspellings of the words a reading hangs on are read as meant
    // before anything looks at the words.
    let (subject, subject_fixes) = spelling::correct(&d.subject, &config.roster);
    let (body, body_fixes) = spelling::correct(&d.body, &config.roster);
    for fix in subject_fixes.iter().chain(&body_fixes) {
        diagnostics.push(format!(
            "spelling: {:?} read as {:?}",
            fix.written, fix.read_as
        ));
    }
    // A colleague named by title and last name ("Dr. Chen") is read by
    // their first name, as the rest of the reader finds people.
    let (subject, subject_titles) = spelling::honorific_names(&subject, &config.roster);
    let (body, body_titles) = spelling::honorific_names(&body, &config.roster);
    for (written, read_as) in subject_titles.iter().chain(&body_titles) {
        diagnostics.push(format!("title: {written:?} read as {read_as:?}"));
    }
    let topic = classify::subject_topic(&subject);
    let mut split = quote::split(&body);
    if let Some(cut) = &split.cut {
        diagnostics.push(format!("quote cut at {cut}"));
    }
    // A writer who puts the whole message in the subject ("out sick tues +
    // thurs this wk" over "flu", or over nothing) is read as if the subject
    // were the body's first line; a reply's or a forward's subject repeats
    // someone else's words and is not.
    if let Some(text) = subject_as_body(&subject, &topic, &split.new_text) {
        diagnostics
            .push("the body says next to nothing; the subject is read as its first line".into());
        split.new_text = text;
    }
    if d.body_from_html {
        diagnostics.push("body read from HTML".into());
    }
    if d.truncated {
        diagnostics.push(format!(
            "long message: only its first {} KiB of text (and {} MiB, {} parts) read",
            decode::MAX_BODY_TEXT / 1024,
            decode::MAX_RAW / (1024 * 1024),
            decode::MAX_PARTS
        ));
    }

    let mut reading = Reading {
        message_id,
        from: d.from.clone(),
        date: d.date,
        subject: d.subject.clone(),
        in_reply_to: d.in_reply_to.clone(),
        references: d.references.clone(),
        kind: Kind::Other,
        shifts: Vec::new(),
        coverer: None,
        on_behalf_of: None,
        own_mail: false,
        covers: Vec::new(),
        diagnostics,
        sender_auth: None,
        calendar_reply: None,
        backs_out: false,
        named_shifts: Vec::new(),
        doubts: Vec::new(),
    };
    let mut analysis = Analysis {
        reading: blank(),
        text: split.new_text.clone(),
        quoted: split.quoted.clone(),
        topic,
        today,
        person: None,
        thread_day: if classify::is_reply(&subject) {
            thread_day(&body, config.date_order)
        } else {
            None
        },
        rule: "",
    };

    match machine::origin(&d, config) {
        Origin::Person => {}
        Origin::AutoReply(why) => {
            reading.kind = Kind::AutoReply;
            reading.diagnostics.push(format!("machine: {why}"));
            analysis.reading = reading;
            return analysis;
        }
        Origin::Bulk(why) => {
            reading.diagnostics.push(format!("bulk: {why}"));
            reading
                .diagnostics
                .push("→ other (mail from another list)".into());
            analysis.reading = reading;
            return analysis;
        }
        Origin::Notice(why) => {
            reading.diagnostics.push(format!("notice: {why}"));
            reading
                .diagnostics
                .push("→ other (a program's notice answers no one)".into());
            analysis.reading = reading;
            return analysis;
        }
        Origin::Calendar(why) => {
            reading.diagnostics.push(format!("calendar mail: {why}"));
            // An answer to one of the program's own invitations is read
            // for its answer; its kind stays `other`.
            if d.calendar_part.as_deref() == Some("reply")
                && let Some(text) = &d.calendar_text
            {
                match itip::reply_of(text, config) {
                    Ok(answer) => {
                        reading.diagnostics.push(format!(
                            "calendar reply: {} {} the cover event {}",
                            answer.attendee,
                            answer.answer.as_str(),
                            answer.uid
                        ));
                        reading.calendar_reply = Some(answer);
                    }
                    Err(why) => reading
                        .diagnostics
                        .push(format!("calendar reply not read: {why}")),
                }
            }
            reading
                .diagnostics
                .push("→ other (calendar mail schedules meetings, it asks no one to cover)".into());
            analysis.reading = reading;
            return analysis;
        }
        Origin::Own(why) => {
            reading.own_mail = true;
            reading.diagnostics.push(format!("own mail: {why}"));
            reading
                .diagnostics
                .push("→ other (the program's own mail)".into());
            analysis.reading = reading;
            return analysis;
        }
    }

    let sender = sender_on_roster(&d, config);
    match &sender {
        Some(s) if *s != d.from => reading
            .diagnostics
            .push(format!("sender {} is {s} on the roster (by name)", d.from)),
        None => reading
            .diagnostics
            .push(format!("sender {} is not on the roster", d.from)),
        _ => {}
    }

    let mut verdict = classify::classify(&Input {
        subject: &subject,
        text: &split.new_text,
        sender: sender.as_deref(),
        roster: &config.roster,
    });

    // A forward with little to say of its own: read what it forwards, for
    // the person who wrote it.
    // Only a colleague's mail is read for them: a forwarded chat transcript
    // or newsletter asks the list nothing.
    let original = forwarded_sender(&split.quoted, config);
    let forward_says_nothing = classify::is_forward(&subject)
        && !split.quoted.is_empty()
        && original.is_some()
        && classify::classify(&Input {
            subject: "",
            text: &split.new_text,
            sender: sender.as_deref(),
            roster: &config.roster,
        })
        .kind
            == Kind::Other;
    if forward_says_nothing {
        let forwarded = without_header_lines(&split.quoted);
        let inner = classify::classify(&Input {
            subject: &subject,
            text: &forwarded,
            sender: original.as_deref().or(sender.as_deref()),
            roster: &config.roster,
        });
        // "FYI covered" over a colleague's "I'm going to take Jorge's
        // Thursday": the forwarder says the offer settled it, so the
        // colleague covers the shift of the one whose shift it names.
        static SAYS_COVERED: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(concat!(
                r"(?i)^\W*(?:fyi\W+|heads up\W+|update\W+)?(?:(?:this|that|it|",
                weekday_names!(),
                r")(?:'s|\s+is)\s+)?(?:all\s+)?(?:covered|sorted|settled|taken care of|handled)\W*$"
            ))
            .expect("valid regex")
        });
        let own_line = split
            .new_text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        let settled_offer = (inner.kind == Kind::Offer && SAYS_COVERED.is_match(own_line.trim()))
            .then(|| {
                let plain = classify::plain(&forwarded);
                classify::mentions(&plain, &config.roster)
                    .into_iter()
                    .filter(|m| {
                        Some(&m.email) != original.as_ref()
                            && Some(&m.email) != sender.as_ref()
                            && plain[m.end..].starts_with("'s ")
                    })
                    .map(|m| m.email)
                    .next()
            })
            .flatten();
        if let Some(owner) = settled_offer {
            reading.diagnostics.push(format!(
                "forward: {:?} over a colleague's offer for {owner}'s shift: covered by them",
                own_line.trim()
            ));
            analysis.text = forwarded.clone();
            verdict = Verdict {
                kind: Kind::Covered,
                coverer: original.clone(),
                on_behalf_of: Some(owner),
                rule: "covered_named_taker",
                ..inner
            };
        } else if inner.kind != Kind::Other {
            reading
                .diagnostics
                .push("forward: read the forwarded message".into());
            analysis.text = forwarded.clone();
            verdict = Verdict {
                on_behalf_of: inner
                    .on_behalf_of
                    .clone()
                    .or(original.clone())
                    .filter(|o| Some(o) != sender.as_ref()),
                ..inner
            };
        }
    }

    // An out-of-office text that lost its headers still never acts.
    if !verdict.asks_in_text
        && let Some(why) = machine::reads_automatic(&split.new_text)
    {
        reading.diagnostics.push(format!("machine: {why}"));
        reading.kind = Kind::AutoReply;
        analysis.reading = reading;
        return analysis;
    }

    // A program's notice ("This is an automated message", a weekly
    // summary) that asks nothing answers nobody: not an auto reply, and
    // its days and hours (a busiest slot, opening hours) are no shifts.
    if !verdict.asks_in_text
        && machine::reads_away(&split.new_text).is_none()
        && let Some(why) = machine::reads_automated_notice(&split.new_text)
    {
        reading.diagnostics.push(format!("machine: {why}"));
        reading.kind = Kind::Other;
        analysis.reading = reading;
        return analysis;
    }

    // A newsletter from off the roster, relayed by the staff list (which
    // stamps its own List-Id on it), still carries its own subscription
    // footer: another list's mail, whatever shift words it uses.
    if sender.is_none()
        && let Some(why) = machine::reads_mailing(&split.new_text)
    {
        reading
            .diagnostics
            .push(format!("bulk: {why}, from off the roster"));
        reading
            .diagnostics
            .push("→ other (mail from another list)".into());
        reading.kind = Kind::Other;
        analysis.reading = reading;
        return analysis;
    }

    // An absence notice that asks nothing and acts on nothing.
    if verdict.kind == Kind::Other
        && let Some(why) = machine::reads_away(&split.new_text)
    {
        reading.diagnostics.push(format!("machine: {why}"));
        reading.kind = Kind::AutoReply;
        analysis.reading = reading;
        return analysis;
    }

    reading.diagnostics.extend(verdict.reasons);
    reading.doubts.extend(verdict.doubts);
    reading.kind = verdict.kind;
    analysis.rule = verdict.rule;
    reading.coverer = verdict.coverer;
    reading.on_behalf_of = verdict.on_behalf_of;
    // A family member's illness told with an ask for a later day, the
    // writer saying nothing of being out themselves ("can someone grab my
    // morning chat tmrw? kiddo has a fever"), asks for cover: the writer is
    // not out sick. The same for today keeps them out: a sick notice.
    if verdict.family_illness_ask
        && reading.kind == Kind::Sick
        && let Some(today) = today
    {
        let days = dates::read_days(
            &classify::plain(&split.new_text),
            today,
            config.date_order,
            &config.service_hours,
            config.timezone,
        );
        if !days.asks.is_empty() && days.asks.iter().all(|d| d.date > today) {
            reading.diagnostics.push(
                "→ coverage_request: a family member's illness, an ask for a later day, and no word of the writer being out".into(),
            );
            reading.kind = Kind::CoverageRequest;
        }
    }
    // A requester's reply to their own call that corrects its day ("wrong
    // week, sorry: I meant the 28th, not the 21st") or its hours ("sorry,
    // 3-4 not 2-3") is that call again, for the day or hours it now names; the days it rules out are set aside when
    // its shifts are read.
    if classify::is_reply(&subject)
        && matches!(reading.kind, Kind::Offer | Kind::Other)
        && let Some(writer) = sender.as_deref()
        && CORRECTS_A_DAY.is_match(&classify::plain(&split.new_text))
        && quoted_author(&body, config).as_deref() == Some(writer)
        && let Some(kind) = answered_call(&split.quoted, writer, &subject, config)
    {
        reading.diagnostics.push(format!(
            "the writer corrects the day of their own {} that this answers",
            kind.as_str()
        ));
        reading.kind = kind;
        reading.coverer = None;
        reading.on_behalf_of = None;
    }
    // "maybe? let me check and get back to you" under a colleague's call:
    // a hedged yes that promises an answer is a tentative volunteer, an
    // offer that states nothing yet. Only as the reply's opening words, and
    // only when the message answered is its author's call for cover.
    if classify::is_reply(&subject)
        && reading.kind == Kind::Other
        && TENTATIVE_YES.is_match(&classify::plain(&split.new_text))
        && let Some(author) = quoted_author(&body, config)
        && sender.as_deref() != Some(author.as_str())
        && answered_call(&split.quoted, &author, &subject, config).is_some()
    {
        reading
            .diagnostics
            .push("→ offer: a hedged yes that promises an answer, under a colleague's call".into());
        reading.kind = Kind::Offer;
    }
    // A volunteer taking back their own offer under it ("scratch that, I
    // can't after all, it's open again") asks nothing of their own and
    // takes back no call: what they say is news, not shift mail to act on.
    if classify::is_reply(&subject)
        && matches!(
            reading.kind,
            Kind::CoverageRequest | Kind::SecondCall | Kind::Withdrawn | Kind::Other
        )
        && let Some(writer) = sender.as_deref()
        && OFFER_TAKEN_BACK.is_match(&classify::plain(&split.new_text))
        && quoted_author(&body, config).as_deref() == Some(writer)
        && latest_quoted_kind(&split.quoted, writer, &subject, config) == Some(Kind::Offer)
    {
        news_of_nothing(
            &mut reading,
            "the writer takes back their own offer that this answers: other",
        );
    }
    // A volunteer backing out of a shift they had taken in a thread that
    // is someone else's call ("so sorry Ben, I have to back out of Friday,
    // hope someone else can step in"): news of a cover undone, not a call
    // of their own, when the writer is quoted in the thread and its first
    // message is another's.
    if classify::is_reply(&subject)
        && matches!(
            reading.kind,
            Kind::CoverageRequest | Kind::SecondCall | Kind::Withdrawn | Kind::Other
        )
        && let Some(writer) = sender.as_deref()
        && BACK_OUT.is_match(&classify::plain(&split.new_text))
        && {
            let authors = quoted_authors(&split.quoted, config);
            authors.iter().any(|a| a == writer)
                && authors.last().is_some_and(|first| first != writer)
        }
    {
        news_of_nothing(
            &mut reading,
            "the writer backs out of a shift taken in another's thread: other",
        );
    }
    // A recap of covers already made ("Weekly coverage roundup": "Mon 2/1:
    // Tom covered Priya", a line each, every day before the message's)
    // reports nothing new to act on.
    let recap = reading.kind == Kind::Covered
        && today.is_some_and(|today| {
            recaps_past_covers(&subject, &split.new_text, today, sender.as_deref(), config)
        });
    if recap {
        news_of_nothing(
            &mut reading,
            "→ other (a recap of covers made for days already past)",
        );
    }
    // A third party's confirmation in a reply that names no owner ("Jorge
    // covered for you") is about the shift of the message it answers; so
    // is a writer's own word that they cover it ("I'll be on chat for you
    // this afternoon"), or that they cover it said to the answered writer
    // by name ("No problem Mei, I'll take it myself").
    let writer_covers = verdict.rule == "covered_writer_for_colleague";
    if reading.kind == Kind::Covered
        && reading.on_behalf_of.is_none()
        && classify::is_reply(&subject)
        && reading.coverer.is_some()
        && (reading.coverer != sender || writer_covers)
        && let Some(author) = quoted_author(&body, config)
        && (speaks_to_the_reader(&split.new_text)
            || (writer_covers
                && classify::mentions(&split.new_text, &config.roster)
                    .iter()
                    .any(|m| m.email == author)))
        && Some(&author) != sender.as_ref()
        && Some(&author) != reading.coverer.as_ref()
        && !quotes_an_offer(&split.quoted, &author, &subject, config)
    {
        reading.diagnostics.push(format!(
            "the shift is {author}'s, whose message is answered"
        ));
        reading.on_behalf_of = Some(author);
    }
    // A third party closing a thread ("Ben's got it, thanks everyone")
    // under the coverer's own offer ("I can take it, Priya") is about the
    // shift of the thread's call: its first message's author, named by the
    // last attribution, when that is neither the writer nor the coverer.
    if reading.kind == Kind::Covered
        && reading.on_behalf_of.is_none()
        && classify::is_reply(&subject)
        && let Some(coverer) = reading.coverer.clone()
        && Some(&coverer) != sender.as_ref()
        && quoted_author(&body, config).as_ref() == Some(&coverer)
        && quotes_an_offer(&split.quoted, &coverer, &subject, config)
        && let Some(asker) = thread_first_author(&body, config)
        && Some(&asker) != sender.as_ref()
        && asker != coverer
    {
        reading.diagnostics.push(format!(
            "the shift is {asker}'s, whose call the coverer's quoted offer answers"
        ));
        reading.on_behalf_of = Some(asker);
    }
    // "Perfect, it's all yours!" under a colleague's offer: the one who
    // offered covers. Their name is in the attribution, or, when the list
    // stands there in their place ("On ..., ask-chat@example.edu wrote:"),
    // in the quoted offer's signature.
    if reading.kind == Kind::Covered
        && reading.coverer.is_none()
        && classify::is_reply(&subject)
        && let Some((author, whence)) = quoted_author(&body, config)
            .map(|a| (a, "attribution"))
            .or_else(|| quoted_signer(&split.quoted, config).map(|a| (a, "signature")))
        && Some(&author) != sender.as_ref()
        && quotes_an_offer(&split.quoted, &author, &subject, config)
    {
        reading.diagnostics.push(format!(
            "coverer {author}: the offer this accepts is theirs (by its {whence})"
        ));
        reading.coverer = Some(author);
        reading.doubts.retain(|d| d.id != "coverer.unnamed");
    }
    if reading.kind == Kind::Covered && reading.coverer.is_none() {
        reading
            .diagnostics
            .push("covered, but no roster person was found taking the shift".into());
    }
    if let Some(m) = BACK_OUT.find(&split.new_text) {
        reading
            .diagnostics
            .push(format!("backs out of a shift: {:?}", m.as_str()));
        reading.backs_out = true;
    }
    // What the writer's own words raise against the kind read (a question
    // checking nothing is needed, a shift spoken of in mail read as
    // nothing). A reply to the program's own acknowledgement is read as a
    // correction, not for its kind, a coverer backing out is understood
    // as that, and a recap speaks of the shifts it lists on purpose.
    let answers_ack = reading
        .in_reply_to
        .as_deref()
        .is_some_and(|id| crate::compose::is_own_id(config, id, &["ack", "clarify"]));
    if !answers_ack && !reading.backs_out && !recap {
        // Examples of what to write are shown, not said.
        reading.doubts.extend(doubts::of_text(
            reading.kind,
            &classify::without_examples(&classify::plain(&analysis.text)),
        ));
    }
    analysis.person = reading.on_behalf_of.clone().or(sender);
    analysis.reading = reading;
    analysis
}

/// Whose request an offer answers, when the reply opens by addressing the
/// author of the message it quotes ("Courtney, I can take both" under
/// Courtney's request): the two agree, so the shifts offered are theirs.
fn offered_to(a: &Analysis, config: &Config) -> Option<String> {
    let sender = config
        .roster
        .by_email(&a.reading.from)
        .map(|m| m.email.as_str());
    let author = quoted_author(&a.quoted, config)?;
    let addressed = classify::addressed_at_start(&a.text, sender, &config.roster)?;
    (addressed == author && Some(author.as_str()) != sender).then_some(author)
}

/// A recap or summary named in the subject ("Weekly coverage roundup",
/// "Chat cover recap") or at the opening ("Here is last week's coverage",
/// "For the record, ...").
static RECAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:recap|summary|round-?up|wrap-?up|rundown|for the record)\b|\b(?:here(?:'s| is| are)|below is|below are)\s+(?:the\s+)?(?:last|past|previous|this)\s+week'?s\b",
    )
    .expect("valid regex")
});

/// Whether the text recaps covers already made: under a recap subject or
/// opening, two or more lines each naming a day and who covered it
/// (the classifier's coverer by a cover word), every day named in those
/// lines before `today`.
fn recaps_past_covers(
    subject: &str,
    text: &str,
    today: NaiveDate,
    sender: Option<&str>,
    config: &Config,
) -> bool {
    let text = classify::plain(text);
    let opening: String = text.lines().take(3).collect::<Vec<_>>().join(" ");
    if !RECAP.is_match(&classify::subject_topic(subject)) && !RECAP.is_match(&opening) {
        return false;
    }
    let mut pairs = 0;
    for line in text.lines() {
        let days = dates::read_days(
            line,
            today,
            config.date_order,
            &config.service_hours,
            config.timezone,
        );
        if days.asks.is_empty() {
            continue;
        }
        if classify::roles(line, sender, &config.roster).coverer_strength < 3 {
            continue;
        }
        if days.asks.iter().any(|d| d.date >= today) {
            return false;
        }
        pairs += 1;
    }
    pairs >= 2
}

/// A writer correcting a day or the hours they gave: "I meant the 9th", "I
/// meant Thursday", "wrong week", "wrong time", "had the date wrong", "the
/// 3rd, not the 10th", "2:30-3:30, not 2-3", "should have said Monday".
/// Not "I meant to ask", "the wrong chat queue".
/// A reply that opens with a hedged yes and promises an answer: "maybe?
/// let me check and get back to you", "possibly, I'll check my calendar
/// and let you know", "might be able to, need to check and confirm".
static TENTATIVE_YES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:maybe|possibly|perhaps|potentially|(?:i\s+)?might\s+be\s+able\s+to)\b[^.\n]{0,20}?\b(?:let\s+me|i'll|i\s+will|(?:i\s+)?need\s+to|i'd\s+have\s+to)\s+(?:double[- ]?)?check\b[^.\n]{0,40}?\b(?:get\s+back\s+to\s+you|let\s+you\s+know|confirm|report\s+back)\b")
        .expect("valid regex")
});

static CORRECTS_A_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \bi\s+meant\s+(?:to\s+say\s+)?(?:the\s+\d|\d|(?:mon|tue|wed|thu|fri)[a-z]*\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)
        | \b(?:wrong|incorrect)\s+(?:week|day|date|month|weekday|time|times|hours)\b
        | \b\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|to|until|till)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*,?\s+not\s+(?:the\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|to|until|till)\s*\d
        | \b(?:had|got|typed|put)\s+the\s+(?:date|day|week)\s+wrong\b
        | \b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b[^.!?\n]{0,15},?\s+not\s+the\s+\d{1,2}(?:st|nd|rd|th)\b
        | \bshould\s+have\s+(?:said|written|read)\s+(?:the\s+\d|\d|(?:mon|tue|wed|thu|fri)[a-z]*\b)
        ",
    )
    .expect("valid regex")
});

/// A writer taking back what they said ("scratch that", "ignore my last",
/// "I can't after all", "I spoke too soon").
static OFFER_TAKEN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \bscratch\s+that\b
        | \b(?:ignore|disregard)\s+(?:my\s+(?:last|previous|earlier)|that|the\s+above)\b
        | \bspoke\s+too\s+soon\b
        | \b(?:can['’]?t|cannot|won['’]t\s+be\s+able\s+to)\b[^.!?\n]{0,40}?\bafter\s+all\b
        | \bhave\s+to\s+(?:take\s+(?:that|it)\s+back|retract)\b
        ",
    )
    .expect("valid regex")
});

/// The kind of the latest message quoted, read from its own words alone
/// (up to what it quotes in turn) as its author's.
fn latest_quoted_kind(quoted: &str, author: &str, subject: &str, config: &Config) -> Option<Kind> {
    let latest = quoted_messages(quoted).into_iter().next()?;
    let own = quote::split(&latest).new_text;
    Some(
        classify::classify(&Input {
            subject,
            text: &own,
            sender: Some(author),
            roster: &config.roster,
        })
        .kind,
    )
}

/// The kind of the message answered, when it is its author's call for
/// cover (a first or a second call), read from its own words.
fn answered_call(quoted: &str, author: &str, subject: &str, config: &Config) -> Option<Kind> {
    let (_, kind) = answered_words(quoted, author, subject, config, false);
    matches!(kind, Kind::CoverageRequest | Kind::SecondCall).then_some(kind)
}

/// True when the message answered is its author's offer ("I can do the
/// first hour"): a confirmation that someone else takes the whole shift
/// thanks a volunteer, and the shift is not the volunteer's.
fn quotes_an_offer(quoted: &str, author: &str, subject: &str, config: &Config) -> bool {
    answered_offer(quoted, author, subject, config).is_some()
}

/// The words of the message answered, when they are its author's offer.
fn answered_offer(quoted: &str, author: &str, subject: &str, config: &Config) -> Option<String> {
    let (answered, kind) = answered_words(quoted, author, subject, config, true);
    (kind == Kind::Offer).then_some(answered)
}

/// The answered message's own words (past its attribution or header block,
/// and past a "Forwarded message" line when `past_forward_line`, up to what
/// it quotes in turn) and their kind, read as its author's.
fn answered_words(
    quoted: &str,
    author: &str,
    subject: &str,
    config: &Config,
    past_forward_line: bool,
) -> (String, Kind) {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\*?(?:from|sent|date|to|cc|subject)\s*:").expect("valid regex")
    });
    // A line that opens a message quoted in turn: its attribution, its
    // header block, or an "Original Message" rule. The quote's `>` marks
    // are gone, so this is where the answered message's own words end.
    let opens_a_message = |l: &str| {
        let t = l.trim();
        let lower = t.to_ascii_lowercase();
        quote::is_attribution(t)
            || lower.ends_with("wrote:")
            || HEADER.is_match(t)
            || lower.contains("original message")
    };
    let own: Vec<&str> = quoted
        .lines()
        .skip_while(|l| {
            let l = l.trim().to_ascii_lowercase();
            !l.chars().any(char::is_alphanumeric)
                || opens_a_message(&l)
                || (past_forward_line && l.contains("forwarded message"))
        })
        .take_while(|l| !opens_a_message(l))
        .collect();
    let answered = quote::split(&own.join("\n")).new_text;
    let kind = classify::classify(&Input {
        subject,
        text: &answered,
        sender: Some(author),
        roster: &config.roster,
    })
    .kind;
    (answered, kind)
}

/// A writer taking back a shift they had said they would cover: "sorry, I
/// can't do Thursday after all", "I can no longer cover Tuesday", "I have
/// to back out". Only acted on when the writer does cover a shift.
static BACK_OUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?:can['’]?t|cannot|can\ not|won['’]t\ be\ able\ to|will\ not\ be\ able\ to|am\ not\ able\ to|i['’]m\ not\ able\ to|unable\ to)
            \s+(?:do|make|cover|take|work)\b[^.!?\n]{0,80}?\bafter\ all\b
        | \bafter\ all\b[^.!?\n]{0,20}\b(?:can['’]?t|cannot|won['’]t\ be\ able\ to)\s+(?:do|make|cover|take|work)\b
        | \b(?:can|could)\s+no\s+longer\s+(?:do|make|cover|take|work)\b
        | \bno\s+longer\s+(?:able|available)\s+to\s+(?:cover|do|take|work)\b
        | \b(?:have|need|had|got)\s+to\s+back\s+out\b
        | \bback(?:ing)?\s+out\s+of\b
        ",
    )
    .expect("valid regex")
});

/// The sender's roster email: by address, else by a display name that is a
/// roster name or alias ("Okafor, Ben" writing from a personal account).
fn sender_on_roster(d: &decode::Decoded, config: &Config) -> Option<String> {
    if let Some(m) = config.roster.by_email(&d.from) {
        return Some(m.email.clone());
    }
    let name = d.from_name.as_deref()?.trim();
    let name = match name.split_once(',') {
        Some((last, first)) => format!("{} {}", first.trim(), last.trim()),
        None => name.to_string(),
    };
    config
        .roster
        .members
        .iter()
        .find(|m| {
            m.name.eq_ignore_ascii_case(&name)
                || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(&name))
        })
        .map(|m| m.email.clone())
}

/// The date of the message a reply quotes, from the first attribution
/// line of its quote ("On Dec 7, 2026, at 9:01 PM, Mei wrote:", "Sent:
/// Sunday, December 13, 2026 7:25 PM", "On 2/10/2027 10:10 AM, Angie
/// wrote:").
fn thread_day(body: &str, order: crate::config::DateOrder) -> Option<NaiveDate> {
    static WORDY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b|\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b")
            .expect("valid regex")
    });
    static NUMERIC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b").expect("valid regex"));
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = |m: &str| {
        let m = m.to_ascii_lowercase();
        MONTHS.iter().position(|x| *x == m).map(|i| i as u32 + 1)
    };
    let num = |c: &regex::Captures, i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    for line in attribution::dated_lines(body) {
        if let Some(c) = WORDY.captures(line) {
            let (m, d, y) = if c.get(1).is_some() {
                (month(c.get(1)?.as_str())?, num(&c, 2)?, num(&c, 3)?)
            } else {
                (month(c.get(5)?.as_str())?, num(&c, 4)?, num(&c, 6)?)
            };
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
        if let Some(c) = NUMERIC.captures(line) {
            let (a, b, y) = (num(&c, 1)?, num(&c, 2)?, num(&c, 3)?);
            let (m, d) = match order {
                crate::config::DateOrder::Mdy => (a, b),
                crate::config::DateOrder::Dmy => (b, a),
            };
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    None
}

/// "Covered for you", "your shift", and nothing of the writer's own ("my
/// shift"): the text speaks of the reader's shift.
fn speaks_to_the_reader(text: &str) -> bool {
    static YOU: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:you|your)\b").expect("valid regex"));
    static MINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?:my|mine|me)\b").expect("valid regex"));
    YOU.is_match(text) && !MINE.is_match(text)
}

/// The roster email of the author of the message a reply quotes, from
/// its first attribution line ("On Mon, Dec 7, 2026 at 7:30 AM Angie Lopez
/// <alopez@example.edu> wrote:", "On 2/10/2027 10:10 AM, Angie Lopez
/// wrote:", "From: Lopez, Angie").
fn quoted_author(body: &str, config: &Config) -> Option<String> {
    static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}").expect("valid regex")
    });
    let found = attribution::author_line(body)?;
    let line = match found {
        attribution::Author::Wrote(line) | attribution::Author::From(line) => line,
    };
    if let Some(e) = EMAIL.find(line) {
        return config.roster.by_email(e.as_str()).map(|m| m.email.clone());
    }
    // "On 2/10/2027 10:10 AM, Angie Lopez": the name after the last comma;
    // "Lopez, Angie" in a From: line is last name first.
    let name = if matches!(found, attribution::Author::From(_)) {
        match line.split_once(',') {
            Some((last, first)) => format!("{} {}", first.trim(), last.trim()),
            None => line.trim().to_string(),
        }
    } else {
        line.rsplit(',').next().unwrap_or("").trim().to_string()
    };
    let name = name.trim_matches(|c: char| !c.is_alphanumeric());
    config.roster.by_name(name).map(|m| m.email.clone())
}

/// The roster email of the author of a thread's first message, below at
/// least one other quoted message: the last attribution line of several.
fn thread_first_author(quoted: &str, config: &Config) -> Option<String> {
    let authors = quoted_authors(quoted, config);
    (authors.len() >= 2)
        .then(|| authors.last().cloned())
        .flatten()
}

/// The roster emails named by a reply's attribution lines, latest first
/// (the last is the thread's first message); an attribution naming no
/// roster person is skipped.
fn quoted_authors(quoted: &str, config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = quoted;
    while let Some(found) = attribution::author_line(rest) {
        let line = match found {
            attribution::Author::Wrote(line) | attribution::Author::From(line) => line,
        };
        let end = (line.as_ptr() as usize - rest.as_ptr() as usize) + line.len();
        let line_end = rest[end..].find('\n').map_or(rest.len(), |i| end + i);
        if let Some(author) = quoted_author(&rest[..line_end], config) {
            out.push(author);
        }
        // Past the line's end (a newline, one byte), so the search moves on.
        rest = &rest[(line_end + 1).min(rest.len())..];
    }
    out
}

/// The writer's offer bounded in time, in one clause: "I could sit on chat
/// until 1", "I can stay till 3" (group 1), "I can do it from 1", "I could
/// take over after 1" (group 2).
static OFFER_BOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:i can|i could|i'd be able to|i'll be able to|i am able to|i'm able to|i'm happy to|happy to|glad to)\b[^.!?\n]{0,40}?\b(?:(until|till|til|up to)|(from|after))\s+\d",
    )
    .expect("valid regex")
});

/// A weekday, then the writer ruling out its nearest date and taking the
/// one after ("next Monday? not tomorrow, the one after").
static ONE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        concat!(r"(?i)\b(?:(?:next|this coming|this|coming|my)\s+)?(?P<day>", weekday_names!(), r"|mon|tues|tue|wed|thurs|thur|thu|fri)\b(?P<between>[^.!\n]{0,40}?)\bnot\s+(?:tomorrow|this\s+(?:coming\s+)?one|the\s+(?:coming|upcoming|next)\s+one|this\s+week'?s?(?:\s+one)?)\W+(?:but\s+)?the\s+one\s+after(?:\s+that)?\b"),
    )
    .expect("valid regex")
});

/// "that day", "that same day", "the same day": a day named elsewhere.
static THAT_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:that (?:same )?day|the same day|that date)\b").expect("valid regex")
});

/// "that week", "that same week", "the same week": a week named elsewhere.
static THAT_WEEK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:that (?:same )?week|the same week)\b").expect("valid regex")
});

/// The roster email of the person who signed the latest quoted message: a
/// line of its own that is a roster member's full name ("--", "Dana
/// Whitfield", "Research & Instruction Librarian"); the last such line wins.
fn quoted_signer(quoted: &str, config: &Config) -> Option<String> {
    let latest = quoted_messages(quoted).into_iter().next()?;
    latest
        .lines()
        .map(|l| {
            l.trim_start_matches(|c: char| c == '>' || c.is_whitespace())
                .trim()
        })
        .filter(|t| t.split_whitespace().count() >= 2)
        .filter_map(|t| {
            config
                .roster
                .by_name(t)
                .filter(|m| m.name.eq_ignore_ascii_case(t))
                .map(|m| m.email.clone())
        })
        .next_back()
}

/// The roster email in a forwarded header block's "From:" line.
fn forwarded_sender(quoted: &str, config: &Config) -> Option<String> {
    static FROM_LINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?im)^\*?from:\*?\s*(.+)$").expect("valid regex"));
    static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}").expect("valid regex")
    });
    let line = FROM_LINE.captures(quoted)?.get(1)?.as_str();
    if let Some(e) = EMAIL.find(line)
        && let Some(m) = config.roster.by_email(e.as_str())
    {
        return Some(m.email.clone());
    }
    let name = line
        .split('<')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    config.roster.by_name(name).map(|m| m.email.clone())
}

/// A forwarded or quoted message without its "From:/Sent:/To:/Subject:"
/// block and its attribution lines ("On 2/18/27 2:02 PM, Sarah Kim
/// wrote:"), whose dates are when it was sent, not the shift's.
fn without_header_lines(quoted: &str) -> String {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\*?(?:from|sent|date|to|cc|subject)\s*:").expect("valid regex")
    });
    quoted
        .lines()
        .filter(|l| !HEADER.is_match(l.trim()) && !quote::is_attribution(l.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The days the quoted text asks for, read as of the thread's day (the day
/// the quoted mail was sent, when known and not ahead of today): what a
/// reply's bare span or bare weekday is measured against.
fn quoted_request_days(a: &Analysis, ctx: &ReadContext, today: NaiveDate) -> dates::Days {
    let quoted = classify::without_unasked(&classify::plain(&without_header_lines(&a.quoted)));
    dates::read_days(
        &quoted,
        a.thread_day.filter(|d| *d <= today).unwrap_or(today),
        ctx.config.date_order,
        &ctx.config.service_hours,
        ctx.config.timezone,
    )
}

/// The shifts of a reading, per the contract: the body first; the subject
/// only when the body names no date; offers only with clock times.
fn shifts_of(a: &Analysis, ctx: &ReadContext) -> (Vec<crate::model::Span>, Vec<String>) {
    let mut diags = Vec::new();
    let Some(today) = a.today else {
        diags.push("shifts: no Date header to read dates against".into());
        return (Vec::new(), diags);
    };
    let mode = if a.reading.kind == Kind::Offer {
        Mode::ExplicitOnly
    } else {
        Mode::Shifts
    };
    let person = a.person.as_deref();
    // Every text here is read against the same day and the desk's settings.
    // Each text's days are read once however often they are asked for.
    let read = resolve::DaysOf::new(ctx.config);
    let days_in = |text: &str| read.days(text, today);
    // What a set-aside leaves is read instead of the text when it set
    // something aside and the rest still names a day; noted when it is.
    let set_aside = |text: &mut String, kept: String, note: &str, diags: &mut Vec<String>| {
        let keep = kept.trim() != text.trim() && days_in(&kept).names_date;
        if keep {
            diags.push(note.into());
            *text = kept;
        }
        keep
    };
    // The text without what `pattern` finds is read instead of the text
    // when the pattern found something and the rest still states a span;
    // noted when it is.
    let set_aside_span =
        |text: &mut String, pattern: &Regex, note: &str, diags: &mut Vec<String>| {
            if !pattern.is_match(text) {
                return;
            }
            let kept = pattern.replace_all(text, " ").into_owned();
            if kept.trim() != text.trim() && spans_stated(&days_in(&kept)) {
                diags.push(note.into());
                *text = kept;
            }
        };
    // A reply whose words name one weekday alone ("12 to 2 on your Tuesday",
    // "trying once more for Thursday") under a subject that names one date
    // still ahead on that weekday (written with digits, when
    // `written_date` is asked): that date, and the weekday's words to
    // replace with it.
    let subjects_weekday = |text: &str, topic: &str, written_date: bool| {
        if !classify::is_reply(&a.reading.subject) {
            return None;
        }
        let (asked, said) = (days_in(topic), days_in(text));
        let ([asked], [said]) = (asked.asks.as_slice(), said.asks.as_slice()) else {
            return None;
        };
        let digits = |w: &String| w.chars().any(|c| c.is_ascii_digit());
        (said.date != asked.date
            && said.date.weekday() == asked.date.weekday()
            && asked.date > today
            && (!written_date || asked.said.iter().any(digits))
            && !said.said.is_empty()
            && said
                .said
                .iter()
                .all(|w| !digits(w) && text.contains(w.as_str())))
        .then(|| (asked.date, said.said.clone()))
    };
    // Dashes and quotes made plain, so "10–12" reads like "10-12".
    let mut text = classify::plain(&a.text);
    let topic = classify::plain(&a.topic);
    // "take both my desk shifts that week (Tue 2-3:30 and Thu 3:30-5)" over
    // a forwarded summons: "that week" is the week the forwarded notice
    // names, when the writer's own words write no date and the notice
    // names one day still ahead.
    // So is "that day" ("can someone cover my shift that day?" over a
    // forwarded appointment): the notice's one day still ahead.
    if (classify::is_forward(&a.reading.subject)
        || a.quoted.to_lowercase().contains("forwarded message"))
        && (THAT_WEEK.is_match(&text) || THAT_DAY.is_match(&text))
        && days_in(&text)
            .asks
            .iter()
            .flat_map(|d| &d.said)
            .all(|w| !w.chars().any(|c| c.is_ascii_digit()))
    {
        let notice = classify::plain(&without_header_lines(&a.quoted));
        let mut named: Vec<NaiveDate> = days_in(&notice)
            .asks
            .iter()
            .map(|d| d.date)
            .filter(|d| *d > today)
            .collect();
        named.dedup();
        if let [day] = named.as_slice() {
            if THAT_WEEK.is_match(&text) {
                diags.push(format!(
                    "shifts: \"that week\" is the week of {day}, the day the forwarded notice names"
                ));
                text = THAT_WEEK
                    .replace_all(
                        &text,
                        format!("the week of {}", day.format("%Y-%m-%d")).as_str(),
                    )
                    .into_owned();
            } else {
                diags.push(format!(
                    "shifts: \"that day\" is {day}, the day the forwarded notice names"
                ));
                text = THAT_DAY
                    .replace_all(&text, format!("on {}", day.format("%Y-%m-%d")).as_str())
                    .into_owned();
            }
        }
    }
    // "next Monday? not tomorrow, the one after", "my Friday, not this
    // coming one but the one after": the weekday's date a week on from the
    // one the writer rules out.
    if let Some(c) = ONE_AFTER.captures(&text) {
        let m = c.get(0).expect("whole match");
        let (day, between) = (&c["day"], c.name("between").map_or("", |b| b.as_str()));
        diags.push(format!(
            "shifts: {:?} is the {day} a week after the one ruled out",
            m.as_str()
        ));
        text = format!(
            "{}a week from {day}{between}{}",
            &text[..m.start()],
            &text[m.end()..]
        );
    }
    // A confirmation or an offer is about what it takes, not what it still
    // asks for ("Priya is taking Wed 11/25. Still need Fri 11/27"): its
    // asking sentences are set aside when the rest still names a day.
    if matches!(a.reading.kind, Kind::Offer | Kind::Covered) {
        let kept = classify::without_asks(&text);
        if kept.trim() != text.trim() {
            let days = days_in(&kept);
            // An offer that names no day but states its own span ("I can do
            // 10-11 that day. Could someone else take 11-12?") keeps the
            // span: what it leaves for others is no part of it.
            // So does a confirmation of a part under a subject that gives
            // the day ("Ben will take 2-3, I still need someone for
            // 3-3:30").
            let offers_span = days
                .asks
                .iter()
                .flat_map(|d| &d.times)
                .any(|t| matches!(t.time, dates::TimeRef::Span(..)));
            if days.names_date || offers_span {
                diags.push("shifts: sentences that still ask are set aside".into());
                text = kept;
            }
        }
    }
    // A swap offer's price ("if you can do my Thursday 12/17 (2-3:30)") is
    // the writer's own shift, given away: the offer is what is left.
    if a.reading.kind == Kind::Offer {
        let kept = classify::without_price(&text);
        if kept.trim() != text.trim() {
            diags
                .push("shifts: the writer's own shift named as a swap's price is set aside".into());
            text = kept;
        }
    }
    // An offer's span the writer already works ("I'm on until 2 anyway, so
    // I can stay for 2-3:30") is why they can, not what they offer: set
    // aside while the rest still states a span.
    if a.reading.kind == Kind::Offer {
        static ALREADY_ON: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\bi(?:'m| am)\s+(?:already\s+|anyway\s+)?(?:on|working|scheduled|on chat|on the desk|at the desk|in)\s+(?:from\s+)?\d{1,2}(?::\d\d)?\s*(?:-|to|until|till)\s*\d{1,2}(?::\d\d)?(?:\s*(?:am|pm))?")
                .expect("valid regex")
        });
        set_aside_span(
            &mut text,
            &ALREADY_ON,
            "shifts: the span the writer already works is set aside",
            &mut diags,
        );
    }
    // A partial offer's span left to someone else ("I can do 12-1 if
    // someone else can take 1-2", "..., and someone else would need to do
    // 3-4") is no part of the offer: set aside while the rest still
    // states a span.
    if a.reading.kind == Kind::Offer {
        static LEFT_TO_OTHERS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:someone|somebody|anyone|anybody|another person|one of you)\s+else\b[^.!?;\n]{0,40}?(?:from\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|to|until|till)\s*\d{1,2}(?::\d\d)?(?:\s*(?:am|pm))?")
                .expect("valid regex")
        });
        set_aside_span(
            &mut text,
            &LEFT_TO_OTHERS,
            "shifts: the span left to someone else is set aside",
            &mut diags,
        );
    }
    // A swap's confirmation is about the writer's shift the colleague
    // takes, not the one the writer covers back.
    if a.reading.kind == Kind::Covered
        && a.reading.coverer.is_some()
        && a.reading.coverer.as_deref() != a.person.as_deref()
    {
        let kept = classify::without_covering_back(&text);
        if kept.trim() != text.trim() {
            diags.push("shifts: the clause where the writer covers back is set aside".into());
            text = kept;
        }
    }
    // Hours ruled out beside the ones meant ("2:30-3:30, not 2-3", "not
    // from 2 to 3 but 3 to 4") are set aside while the rest still states
    // a span, whether or not the text names a day.
    {
        static RULED_OUT_SPAN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i),?\s*\bnot\s+(?:the\s+)?(?:from\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|to|until|till)\s*\d{1,2}(?::\d\d)?(?:\s*(?:am|pm))?")
                .expect("valid regex")
        });
        set_aside_span(
            &mut text,
            &RULED_OUT_SPAN,
            "shifts: hours ruled out beside the ones meant are set aside",
            &mut diags,
        );
    }
    // "my Monday shift next week? Sorry, I meant Wednesday": the day
    // corrected away becomes the day meant where it was named.
    if let Some(kept) = classify::with_meant_day(&text) {
        diags.push("shifts: the day the writer corrects away is read as the day meant".into());
        text = kept;
    }
    // A day ruled out beside the one meant ("Thursday the 17th, not
    // Tuesday", "I wrote 1/12 by mistake") or worked as usual is set aside
    // while the rest still names a day.
    let kept = classify::without_ruled_out(&text);
    set_aside(
        &mut text,
        kept,
        "shifts: days ruled out or worked as usual are set aside",
        &mut diags,
    );
    // The body first; when it names no day, the subject too, read ahead of
    // the body so the body's times bind to the subject's day ("Could
    // someone cover 2:30-3:30?" under "Tuesday 11/17"). An offer states its
    // own times and day: one whose body names no day has none ("I'm on the
    // desk until 2 but could do it" is no offer for "until 2").
    if a.reading.kind == Kind::Offer {
        // "12 to 2 on your Tuesday" under "Re: cover needed 2026-12-15": a
        // weekday alone in a reply's offer is the thread's day when the
        // subject names one date on that weekday, not this week's.
        if let Some((date, said)) = subjects_weekday(&text, &topic, false) {
            diags.push(format!(
                "shifts: the offer's bare weekday is the thread's {date}"
            ));
            for w in &said {
                text = text.replacen(w.as_str(), &date.to_string(), 1);
            }
        }
        let body = find_shifts_in(&read, &text, today, person, ctx.schedule, mode);
        if body.names_date {
            diags.extend(body.diagnostics.iter().cloned());
            return (body.spans, diags);
        }
        // A reply that offers "3:30-4:30" under "Re: Coverage for Thu 1/21"
        // offers it on the thread's day: the subject is read when the body
        // names no date. Only a closed span counts; "until 2" alone is when
        // the writer is busy, not what they offer.
        let days = days_in(&text);
        // The subject gives the day only: its times are the request's.
        let subject_days = days_in(&topic);
        if let [day] = subject_days.asks.as_slice()
            && spans_stated(&days)
        {
            let on_day = format!("{}\n\n{text}", day.date);
            let found = find_shifts_in(&read, &on_day, today, person, ctx.schedule, mode);
            diags.push(format!(
                "shifts: the offer's body names no day; its span is on the subject's day {}",
                day.date
            ));
            diags.extend(found.diagnostics.iter().cloned());
            return (found.spans, diags);
        }
        // "I could cover 12-1 of it" under "Re: help please" that quotes
        // "Can anyone cover my Tuesday 12/8 shift?": the span is on the day
        // the quoted request asks for, when the subject names none and the
        // quote asks for one day only.
        if subject_days.asks.is_empty() && spans_stated(&days) && !a.quoted.trim().is_empty() {
            let asked = quoted_request_days(a, ctx, today);
            if let [day] = asked.asks.as_slice() {
                let on_day = format!("{}\n\n{text}", day.date);
                let found = find_shifts(&on_day, today, person, ctx.schedule, ctx.config, mode);
                diags.push(format!(
                    "shifts: the offer's body and subject name no day; its span is on the quoted request's day {}",
                    day.date
                ));
                diags.extend(found.diagnostics.iter().cloned());
                return (found.spans, diags);
            }
        }
        // "I could sit on chat until 1 only" under "Re: Tues 1/19 12-2": an
        // offer that says how long it can stay (or from when it can come)
        // offers the subject's span up to (or from) that time.
        if let [day] = subject_days.asks.as_slice()
            && let [subject_time] = day.times.as_slice()
            && let dates::TimeRef::Span(s, e) = subject_time.time
            && let Some(m) = OFFER_BOUND.captures(&text)
        {
            let until = m.get(1).is_some();
            let part = days
                .asks
                .iter()
                .flat_map(|d| &d.times)
                .find_map(|t| match t.time {
                    dates::TimeRef::Until(x) if until && s < x && x < e => Some((s, x)),
                    dates::TimeRef::From(x) if !until && s < x && x < e => Some((x, e)),
                    _ => None,
                });
            if let Some((from, to)) = part {
                let on_day = format!("{} {}-{}", day.date, dates::hhmm(from), dates::hhmm(to));
                let found = find_shifts_in(&read, &on_day, today, person, ctx.schedule, mode);
                diags.push(format!(
                    "shifts: the offer stays {} {}: that part of the subject's {} {}-{}",
                    if until { "until" } else { "from" },
                    dates::hhmm(if until { to } else { from }),
                    day.date,
                    dates::hhmm(s),
                    dates::hhmm(e)
                ));
                diags.extend(found.diagnostics.iter().cloned());
                return (found.spans, diags);
            }
        }
        diags.extend(body.diagnostics.iter().cloned());
        diags.push("shifts: an offer whose body names no day and no span gives none".into());
        return (Vec::new(), diags);
    }
    // A second call that says a part is taken ("Tom has Wednesday, thank
    // you Tom!") asks again for the rest: those sentences are set aside
    // while the rest still names a day, and the days they name are dropped
    // from what is asked (a weekday alone drops that weekday).
    // The same for a first call that opens on a part already taken
    // ("Dana has agreed to take my Tuesday; I still need Thursday").
    let mut taken_days: Vec<(Option<chrono::Weekday>, Option<NaiveDate>)> = Vec::new();
    let first_call_for_rest =
        a.reading.kind == Kind::CoverageRequest && a.rule == "request_rest_after_part_taken";
    if a.reading.kind == Kind::SecondCall || first_call_for_rest {
        let sender = ctx
            .config
            .roster
            .by_email(&a.reading.from)
            .map(|m| m.email.as_str());
        let (kept, taken) = classify::split_taken_parts(&text, sender, &ctx.config.roster);
        if !taken.is_empty()
            && set_aside(
                &mut text,
                kept,
                "shifts: sentences in which a colleague takes a part are set aside",
                &mut diags,
            )
        {
            let days = days_in(&taken);
            for d in &days.asks {
                let written = d.said.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
                taken_days.push(if written {
                    (None, Some(d.date))
                } else {
                    (Some(d.date.weekday()), None)
                });
            }
        }
    }
    // Set when the only times a request names are a part the writer keeps
    // for themselves: the text without it, whose shifts that part is taken
    // out of.
    let mut kept_rest: Option<String> = None;
    // Sentences that name days no one is asked to cover are set aside while
    // the rest still names a day: closures and declined offers ("the 25th
    // we're closed", "thanks, but I'm away the 29th"), then the writer's
    // standing hours (a signature's "Office hours: Mon-Fri 9-5") and news
    // of a thing that changes on a day ("the new site goes live on
    // Monday").
    if matches!(
        a.reading.kind,
        Kind::CoverageRequest | Kind::SecondCall | Kind::Sick
    ) {
        // What sets a part aside, and the note said when it does.
        type SetAside = (fn(&str) -> String, &'static str);
        let set_asides: [SetAside; 4] = [
            (
                classify::without_asides,
                "shifts: closures and declined offers are set aside",
            ),
            (
                classify::without_favour_back,
                "shifts: a favour promised back is set aside",
            ),
            (
                classify::without_needing_nothing,
                "shifts: a shift said to be seen to already is set aside",
            ),
            (
                classify::without_unasked,
                "shifts: standing hours and news of the days things change are set aside",
            ),
        ];
        for (without, note) in set_asides {
            let kept = without(&text);
            set_aside(&mut text, kept, note, &mut diags);
        }
    }
    // "I'm away for the holiday and won't be back until Saturday. Could
    // someone take my Friday (11/27)?": the stretch the writer is away
    // says why; the day asked is the rest's, when the rest names one.
    // A stretch that ends at a time ("won't be back until 3") adds no day
    // and is left to the times.
    if matches!(a.reading.kind, Kind::CoverageRequest | Kind::SecondCall) {
        let kept = classify::without_absence_spans(&text);
        let dates = |t: &str| {
            let mut d: Vec<NaiveDate> = days_in(t).asks.iter().map(|d| d.date).collect();
            d.sort();
            d.dedup();
            d
        };
        let kept = if dates(&kept) != dates(&text) {
            kept
        } else {
            text.clone()
        };
        set_aside(
            &mut text,
            kept,
            "shifts: the stretch the writer is away is set aside",
            &mut diags,
        );
    }
    // A confirmation's reason clause with a relative day ("his email is
    // acting up today: he's taking Sarah's Thursday") is set aside while
    // the rest still names a day: the day is the reason's.
    if a.reading.kind == Kind::Covered {
        let kept = classify::without_reasons(&text);
        set_aside(
            &mut text,
            kept,
            "shifts: a reason's relative day is set aside",
            &mut diags,
        );
        // "I'm away until Monday; Ben has my Monday chat": the stretch the
        // writer is away is not what is covered.
        let kept = classify::without_absence_spans(&text);
        set_aside(
            &mut text,
            kept,
            "shifts: the stretch the writer is away is set aside",
            &mut diags,
        );
    }
    // A request's sentences in which the writer keeps part of the shift
    // ("I'll do 10-11") say what is not asked; set aside while the rest
    // still names a time. So in a confirmation by someone other than the
    // coverer ("Tom takes 2-3; I'll stay on until 3:30 myself"): the part
    // kept is not what is covered.
    if matches!(
        a.reading.kind,
        Kind::CoverageRequest | Kind::SecondCall | Kind::Sick
    ) || (a.reading.kind == Kind::Covered
        && a.reading.coverer.is_some()
        && a.reading.coverer.as_deref() != Some(a.reading.from.as_str()))
    {
        let kept = classify::without_own_part(&text);
        if kept.trim() != text.trim() {
            let days = days_in(&kept);
            if days.names_date && days.asks.iter().any(|d| !d.times.is_empty()) {
                diags.push("shifts: sentences where the writer keeps a part are set aside".into());
                text = kept;
            } else if a.reading.kind != Kind::Covered
                && !days.asks.iter().any(|d| !d.times.is_empty())
            {
                // The only times are the part the writer keeps ("I can do
                // the first hour myself"): what is asked is the rest. (A
                // confirmation's sentence that names the coverer's part
                // beside the kept one says what is covered itself.)
                kept_rest = Some(kept);
            }
        }
    }
    // A confirmation in a reply whose own words name no day, under a
    // subject that names only a weekday ("Re: anyone for Monday
    // afternoon?"), is about the date the thread gave that weekday: the
    // latest quoted message that names one (its ruled-out days set aside),
    // not the coming one. A subject with a written date is read as it is.
    let topic = match thread_date_of_bare_weekday(a, &text, &topic, &days_in) {
        Some((date, said)) => {
            diags.push(format!(
                "shifts: the subject's bare weekday is the thread's {date}"
            ));
            let mut on_date = topic.clone();
            for w in &said {
                on_date = on_date.replacen(w.as_str(), &date.to_string(), 1);
            }
            on_date
        }
        None => topic,
    };
    // A forward's own line that names bare weekdays ("need someone for my
    // Thurs morning for this", "my Tue and Thu shifts that week") over a
    // notice from outside (a reminder, a summons) speaks of the notice's
    // days, not this week's.
    if let Some(dated) = forwarded_notice_days(a, &text, &topic, ctx.config, &days_in) {
        for (word, date) in dated {
            diags.push(format!(
                "shifts: the forward's {word:?} is read in the forwarded notice's days: {date}"
            ));
            text = text.replacen(word.as_str(), &date.to_string(), 1);
        }
    }
    // "trying once more for Thursday" under "Re: cover Thu 12/17?": a
    // weekday alone in a reply is the day its subject writes on that
    // weekday, not this week's (as for an offer, above).
    if let Some((date, said)) = subjects_weekday(&text, &topic, true) {
        diags.push(format!(
            "shifts: the reply's bare weekday is its subject's {date}"
        ));
        for w in &said {
            text = text.replacen(w.as_str(), &date.to_string(), 1);
        }
    }
    // "Sorry, I meant Wednesday" in a requester's reply to their own call
    // for Monday 12/7: the weekday meant alone is in the week of the day it
    // corrects (the one day the quoted call asks for), not the coming week,
    // when that day is not past.
    if matches!(
        a.reading.kind,
        Kind::CoverageRequest | Kind::SecondCall | Kind::Sick
    ) && classify::is_reply(&a.reading.subject)
        && CORRECTS_A_DAY.is_match(&text)
        && quoted_author(&a.quoted, ctx.config).as_deref() == Some(a.reading.from.as_str())
    {
        let said_days = &days_in(&text).asks;
        let asked_days = quoted_request_days(a, ctx, today).asks;
        if let ([said], [asked]) = (said_days.as_slice(), asked_days.as_slice())
            && !said.said.is_empty()
            && said
                .said
                .iter()
                .all(|w| !w.chars().any(|c| c.is_ascii_digit()) && text.contains(w.as_str()))
        {
            let monday = asked.date
                - chrono::Duration::days(i64::from(asked.date.weekday().num_days_from_monday()));
            let meant = monday
                + chrono::Duration::days(i64::from(said.date.weekday().num_days_from_monday()));
            if meant != said.date && meant != asked.date && meant >= today {
                diags.push(format!(
                    "shifts: the weekday meant is in the week of the quoted call's {}: {meant}",
                    asked.date
                ));
                for w in &said.said {
                    text = text.replacen(w.as_str(), &meant.to_string(), 1);
                }
            }
        }
    }
    // A reply whose body names no day reads its subject ("RE: out today")
    // on the day of the message it answers.
    static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening))\b")
            .expect("valid regex")
    });
    let subject_day = a
        .thread_day
        .filter(|d| *d <= today && RELATIVE.is_match(&topic))
        .filter(|_| !days_in(&text).names_date);
    if let Some(day) = subject_day
        && day != today
    {
        diags.push(format!(
            "shifts: the subject's relative day is read on {day}, the day of the message answered"
        ));
    }
    // A subject naming an event ("Staff training Wed 1/13, 12-1:30") gives
    // its day, not its times: those are the event's, and the shift asked
    // for is the writer's own that day.
    let topic = match classify::event_topic_day_only(&topic) {
        Some(day_only) => {
            diags.push("shifts: the subject names an event; its times are the event's".into());
            day_only
        }
        _ => topic,
    };
    let mut found = find_shifts_with_subject_in(
        &read,
        &topic,
        &text,
        subject_day.unwrap_or(today),
        person,
        ctx.schedule,
        mode,
    );
    diags.extend(found.diagnostics.iter().cloned());
    // Mail written in the small hours ("won't make my shift tomorrow" sent
    // at 00:40) often means by "tomorrow" the day that has just begun, the
    // writer's night not yet over: when the calendar's tomorrow holds none
    // of the person's shifts, the Date header's own day is read instead.
    // A text that also says "today" or "tonight" keeps the calendar's words.
    static TOMORROW_ONLY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\btomorrow\b").expect("valid regex"));
    static SAYS_TODAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:today|tonight|this (?:morning|afternoon|evening))\b")
            .expect("valid regex")
    });
    if found.spans.is_empty()
        && subject_day.is_none()
        && matches!(
            a.reading.kind,
            Kind::CoverageRequest | Kind::SecondCall | Kind::Sick
        )
        && let Some(sent) = a.reading.date
        && sent.with_timezone(&ctx.config.timezone).hour() < SMALL_HOURS_END
        && TOMORROW_ONLY.is_match(&text)
        && !SAYS_TODAY.is_match(&text)
        && let Some(evening) = today.pred_opt()
    {
        let again =
            find_shifts_with_subject_in(&read, &topic, &text, evening, person, ctx.schedule, mode);
        if !again.spans.is_empty() {
            diags.push(format!(
                "shifts: sent in the small hours; tomorrow has no shift, so 'tomorrow' is read as {today}"
            ));
            found = again;
        }
    }
    if !taken_days.is_empty() {
        let zone = ctx.config.timezone;
        let is_taken = |s: &crate::model::Span| {
            let day = s.start.with_timezone(&zone).date_naive();
            taken_days
                .iter()
                .any(|(wd, date)| *date == Some(day) || *wd == Some(day.weekday()))
        };
        if found.spans.iter().any(|s| !is_taken(s)) && found.spans.iter().any(is_taken) {
            found.spans.retain(|s| !is_taken(s));
            diags.push("shifts: the days a colleague takes are dropped from the call".into());
        }
    }
    if let Some(kept) = &kept_rest
        && !found.spans.is_empty()
    {
        let whole = find_shifts_with_subject_in(
            &read,
            &topic,
            kept,
            subject_day.unwrap_or(today),
            person,
            ctx.schedule,
            mode,
        );
        let rest = without_parts(&whole.spans, &found.spans);
        if !rest.is_empty() && rest != whole.spans {
            diags.push(
                "shifts: the only times named are the part the writer keeps; the rest of the shift is asked"
                    .into(),
            );
            found.spans = rest;
        }
    }
    // A request asks for days to come: a day already past that it names
    // beside them ("thanks again for taking my shift last Tuesday") is
    // what was, not what is asked.
    if matches!(a.reading.kind, Kind::CoverageRequest | Kind::SecondCall) {
        let zone = ctx.config.timezone;
        let past = |s: &crate::model::Span| s.start.with_timezone(&zone).date_naive() < today;
        if found.spans.iter().any(past) && found.spans.iter().any(|s| !past(s)) {
            found.spans.retain(|s| !past(s));
            diags.push("shifts: days already past are not asked; dropped".into());
        }
    }
    // A requester's confirmation whose own words name no day and no time
    // ("that takes care of both") under a colleague's offer of stated
    // times takes the offer as made: its spans, not the subject's day.
    if a.reading.kind == Kind::Covered
        && a.reading.coverer.is_some()
        && a.reading.on_behalf_of.is_none()
        && days_in(&text).asks.is_empty()
        && let Some(author) = quoted_author(&a.quoted, ctx.config)
        && a.reading.coverer.as_deref() == Some(author.as_str())
        && let Some(offer) = answered_offer(&a.quoted, &author, &a.reading.subject, ctx.config)
    {
        let offered = find_shifts_in(
            &read,
            &classify::plain(&offer),
            a.thread_day.filter(|d| *d <= today).unwrap_or(today),
            person,
            ctx.schedule,
            Mode::ExplicitOnly,
        );
        if offered.names_date && !offered.spans.is_empty() {
            diags.push(format!(
                "shifts: the confirmation names no time; {author}'s quoted offer states them"
            ));
            diags.extend(offered.diagnostics.iter().map(|d| format!("offered: {d}")));
            return (offered.spans, diags);
        }
    }
    // A confirmation whose words and subject name no day ("Sarah's got it
    // - thanks Sarah!") confirms what the quoted thread asked for, read on
    // the day it was asked; a second call in such a reply ("Still looking
    // for someone for this one!") asks again for it.
    if matches!(a.reading.kind, Kind::Covered | Kind::SecondCall)
        && found.spans.is_empty()
        && !found.names_date
        && !a.quoted.trim().is_empty()
    {
        let mut quoted = classify::plain(&without_header_lines(&a.quoted));
        // The quoted request is read as a request is: its standing hours,
        // deadlines and news of days things change ask for nothing.
        let kept = classify::without_unasked(&quoted);
        if kept.trim() != quoted.trim() && days_in(&kept).names_date {
            diags.push("shifts: the quoted request's unasked sentences are set aside".into());
            quoted = kept;
        }
        let asked = find_shifts_in(
            &read,
            &quoted,
            a.thread_day.filter(|d| *d <= today).unwrap_or(today),
            person,
            ctx.schedule,
            mode,
        );
        if !asked.spans.is_empty() {
            diags.push(format!(
                "shifts: the {} names no day; the quoted request's",
                if a.reading.kind == Kind::Covered {
                    "confirmation"
                } else {
                    "second call"
                }
            ));
            diags.extend(asked.diagnostics.iter().map(|d| format!("quoted: {d}")));
            return (asked.spans, diags);
        }
    }
    // A call whose words and subject name no day but which forwards or
    // quotes a calendar appointment ("Anyone able to take this one?" above
    // Outlook's "When: Tuesday, March 16, 2027 10:00 AM-12:00 PM") asks for
    // the appointment's day and times.
    if matches!(a.reading.kind, Kind::CoverageRequest | Kind::Sick)
        && found.spans.is_empty()
        && !found.names_date
        && let Some(Forwarded::Appointment(when)) = Forwarded::of(&a.quoted)
    {
        let asked = find_shifts_in(&read, when, today, person, ctx.schedule, mode);
        if !asked.spans.is_empty() {
            diags.push("shifts: the call names no day; the appointment it forwards".into());
            diags.extend(
                asked
                    .diagnostics
                    .iter()
                    .map(|d| format!("appointment: {d}")),
            );
            return (asked.spans, diags);
        }
    }
    if found.names_date || !found.spans.is_empty() || a.reading.kind != Kind::Sick {
        return (found.spans, diags);
    }
    // A sick notice that names no day is about today.
    let today_text = format!("today {text}");
    let sick = find_shifts_in(&read, &today_text, today, person, ctx.schedule, mode);
    diags.push("shifts: a sick notice that names no day is read as today".into());
    diags.extend(sick.diagnostics.iter().map(|d| format!("today: {d}")));
    (sick.spans, diags)
}

/// Each shift in `whole` less the parts in `parts` that lie inside it and
/// share its start or its end (the first hour, the last half hour); a
/// shift with no such part is left whole.
fn without_parts(
    whole: &[crate::model::Span],
    parts: &[crate::model::Span],
) -> Vec<crate::model::Span> {
    let mut out = Vec::new();
    for w in whole {
        let mut rest = *w;
        for p in parts {
            if p.start >= rest.start && p.end <= rest.end && p.end > p.start {
                if p.start == rest.start && p.end < rest.end {
                    rest.start = p.end;
                } else if p.end == rest.end && p.start > rest.start {
                    rest.end = p.start;
                }
            }
        }
        out.push(rest);
    }
    out
}

/// The contract's JSON line for one message.
pub fn contract_json(file: &str, r: &Reading, zone: chrono_tz::Tz) -> serde_json::Value {
    let t = |i: Instant| i.with_timezone(&zone).to_rfc3339();
    let mut shifts = r.shifts.clone();
    shifts.sort();
    let mut line = serde_json::json!({
        "file": file,
        "message_id": r.message_id,
        "from": r.from,
        "kind": r.kind.as_str(),
        "shifts": shifts
            .iter()
            .map(|s| serde_json::json!({"start": t(s.start), "end": t(s.end)}))
            .collect::<Vec<_>>(),
        "coverer": r.coverer,
    });
    // Optional fields beyond the contract's own, present only when they
    // say something: whose shift it is when not the sender's.
    if let Some(o) = &r.on_behalf_of {
        line["on_behalf_of"] = serde_json::json!(o);
    }
    // The program would ask rather than act: the fields are its best guess.
    if r.unsure() {
        line["unsure"] = serde_json::json!(true);
    }
    line
}

/// A readable view of a reading, with its diagnostics.
pub fn explain(r: &Reading, zone: chrono_tz::Tz) -> String {
    let fmt = |i: Instant| {
        i.with_timezone(&zone)
            .format("%a %Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let mut out = String::new();
    out.push_str(&format!("message: {}\n", r.message_id));
    out.push_str(&format!("from:    {}\n", r.from));
    out.push_str(&format!("subject: {}\n", r.subject));
    if let Some(d) = r.date {
        out.push_str(&format!("date:    {}\n", fmt(d)));
    }
    out.push_str(&format!("kind:    {}\n", r.kind.as_str()));
    match &r.sender_auth {
        Some(crate::model::SenderAuth::Passed(why)) => out.push_str(&format!(
            "sender:  vouched for by the receiving server ({why})\n"
        )),
        Some(crate::model::SenderAuth::Failed(why)) => out.push_str(&format!(
            "sender:  NOT vouched for by the receiving server ({why})\n"
        )),
        None => {}
    }
    if r.shifts.is_empty() {
        out.push_str("shifts:  none\n");
    }
    for s in &r.shifts {
        out.push_str(&format!(
            "shift:   {} – {}\n",
            fmt(s.start),
            s.end.with_timezone(&zone).format("%H:%M")
        ));
    }
    if let Some(c) = &r.coverer {
        out.push_str(&format!("coverer: {c}\n"));
    }
    for s in &r.named_shifts {
        out.push_str(&format!(
            "names:   {} – {} (a correction of the acknowledged request)\n",
            fmt(s.start),
            s.end.with_timezone(&zone).format("%H:%M")
        ));
    }
    if let Some(o) = &r.on_behalf_of {
        out.push_str(&format!("for:     {o}\n"));
    }
    if r.own_mail {
        out.push_str("own mail: yes\n");
    }
    out.push_str(&format!(
        "sure:    {:.2}{}\n",
        r.confidence(),
        if r.unsure() {
            " (unsure: would ask)"
        } else {
            ""
        }
    ));
    for d in &r.doubts {
        out.push_str(&format!(
            "  doubt: {}: {} (-{}%)\n",
            if d.id.is_empty() { "unnamed" } else { &d.id },
            d.what,
            d.weight
        ));
    }
    out.push_str("why:\n");
    for d in &r.diagnostics {
        out.push_str(&format!("  - {d}\n"));
    }
    out
}

/// The subject as the body's first line, for a new message whose body has
/// at most two words of its own ("flu", "thx", "?", nothing) under a
/// subject of three words or more; `None` otherwise, and always for a reply
/// or a forward (their subject is the thread's).
fn subject_as_body(subject: &str, topic: &str, new_text: &str) -> Option<String> {
    let words = |t: &str| {
        t.split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
    };
    (!classify::is_reply(subject)
        && !classify::is_forward(subject)
        && words(new_text) <= 2
        && words(topic) >= 3)
        .then(|| {
            let body = new_text.trim();
            if body.is_empty() {
                format!("{topic}\n")
            } else {
                format!("{topic}\n\n{body}\n")
            }
        })
}
