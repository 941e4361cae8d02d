//! Families of misreading seen in mail the project had never read, each
//! guarded by fresh sentences written for it (not the mail that showed
//! it): the whole reading path, misspellings and schedule included, on the
//! corpus's roster and schedule.

use super::{ReadContext, read_message};
use crate::config::Config;
use crate::model::{Kind, Reading};
use crate::schedule::Schedule;

fn corpus() -> (Config, Schedule) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let config = Config::load(&dir.join("shiftcover.toml")).expect("the corpus config");
    let ics = std::fs::read_to_string(dir.join("schedule.ics")).expect("schedule.ics");
    let schedule = Schedule::from_ics(&ics, &config.roster, config.timezone).expect("schedule");
    (config, schedule)
}

/// One message: From, Date (RFC 2822, New York time), Subject and body.
fn read(from: &str, date: &str, subject: &str, body: &str) -> Reading {
    let (config, schedule) = corpus();
    let raw = format!(
        "From: {from}\r\nTo: ask-chat@example.edu\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{}@example.edu>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n",
        crate::compose::short_hash(&format!("{from}{date}{subject}{body}")),
        body.replace('\n', "\r\n")
    );
    read_message(
        raw.as_bytes(),
        &ReadContext {
            config: &config,
            schedule: &schedule,
        },
    )
}

/// The shifts as "YYYY-MM-DD HH:MM-HH:MM" in New York time.
pub(super) fn shifts(r: &Reading) -> Vec<String> {
    let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
    r.shifts
        .iter()
        .map(|s| {
            format!(
                "{}-{}",
                s.start.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
                s.end.with_timezone(&tz).format("%H:%M")
            )
        })
        .collect()
}

fn explain(r: &Reading) -> String {
    super::explain(r, "America/New_York".parse().unwrap())
}

/// Asserts the reading's kind, explaining the reading when it is not.
fn assert_kind(r: &Reading, kind: Kind) {
    assert_eq!(r.kind, kind, "{}", explain(r));
}

/// Asserts the reading's shifts (as `shifts` writes them), explaining the
/// reading when they differ.
fn assert_shifts(r: &Reading, want: &[&str]) {
    assert_eq!(shifts(r), want, "{}", explain(r));
}

#[test]
fn the_coordinator_covering_a_shift_herself_is_covered_by_her() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Wednesday",
        "Ben, no one answered, so I'm covering your Wednesday 12/9 shift myself.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
    assert_shifts(&r, &["2026-12-09 15:30-17:00"]);

    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 08:00:00 -0500",
        "Re: Thursday 12/10 chat",
        "Nobody else can make it, so I'll take it myself.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
}

#[test]
fn the_coordinator_behind_the_desk_or_penciling_herself_in_covers_the_shift() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Thursday late chat",
        "Jorge, I'm in the building anyway, so I'll be behind the desk myself on Thursday 12/10 from 3:30.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_shifts(&r, &["2026-12-10 15:30-17:00"]);

    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Mei's Tuesday",
        "The list stayed quiet about Mei's Tuesday 12/15 noon shift, so I'm penciling myself in for it.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
}

#[test]
fn an_assignment_the_writer_agreed_to_or_was_drawn_into_is_covered_by_the_writer() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Dana's Friday",
        "Courtney checked if I could cover Dana on Friday 12/11 and I said of course, so it's sorted.\n\nPriya",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("praman@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("dwhitfield@example.edu"));
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);

    // "morning" in "Tom's Thursday morning shift" is no verb in "-ing".
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday",
        "Angie sweet-talked me into Tom's Thursday 12/10 lunchtime shift.\n\nSarah",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("tbecker@example.edu"));
    assert_shifts(&r, &["2026-12-10 12:00-14:00"]);

    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday",
        "Courtney tapped me for Dana's Wednesday morning chat on 12/9, so that's handled.\n\nJorge",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("dwhitfield@example.edu"));
    assert_shifts(&r, &["2026-12-09 10:00-12:00"]);
}

#[test]
fn a_colleague_assigned_by_someone_else_is_the_coverer() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Heads up",
        "In case anybody is still looking: Courtney has booked Jorge onto Ben's Friday 12/11 shift.\n\nMei",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
    assert_shifts(&r, &["2026-12-11 12:00-14:00"]);

    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Webinar",
        "Courtney has booked Jorge onto the Friday webinar about chat transcripts.\n\nMei",
    );
    assert!(r.kind != Kind::Covered, "{}", explain(&r));
}

#[test]
fn the_fallback_of_covering_it_oneself_is_no_confirmation() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday 12/10",
        "Could someone take my Thursday 12/10 shift? If no one can, I'll take it myself.",
    );
    assert_kind(&r, Kind::CoverageRequest);
}

#[test]
fn the_coordinator_saying_she_will_be_on_chat_herself_covers_the_shift() {
    // The stretch she takes is named between the verb and "myself".
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9",
        "Priya, I'm in the building all Wednesday anyway, so I'll be on the desk from 2 to 3:30 on the 9th myself. Good luck at the conference.\n\nCourtney",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert!(!r.unsure(), "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-09 14:00-15:30"],
        "{}",
        explain(&r)
    );

    // Nobody took it, so she does: a decision, without "myself".
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 16:00:00 -0500",
        "Re: Thursday 12/10",
        "No volunteers turned up for Jorge's Thursday 12/10, so I'll sign on and do it from home.\n\nC.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-10 15:30-17:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_colleagues_shift_named_by_its_start_time_is_theirs() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: out today",
        "I'm covering Angie's 12:00 today, all sorted.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-07 12:00-14:00"],
        "{}",
        explain(&r)
    );

    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Thursday",
        "I've picked up Sarah's 2pm on Thursday.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("mchen@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("skim@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-10 14:00-15:30"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_coverer_named_by_first_name_and_last_initial_is_that_person() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Fri, 8 Jan 2027 09:00:00 -0500",
        "Re: Wed 1/13",
        "Sarah K. is covering my Wednesday 1/13. Thanks so much!",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2027-01-13 14:00-15:30"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_colleague_relaying_that_they_were_asked_to_sit_in_covers_it() {
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 8 Dec 2026 08:30:00 -0500",
        "Re: today",
        "Courtney told me to be on chat for Mei at noon, so her shift today is in hand.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("bokafor@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-08 12:00-14:00"],
        "{}",
        explain(&r)
    );

    // Asked to sit in on a meeting: no shift is taken.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 8 Dec 2026 08:30:00 -0500",
        "Re: today",
        "Courtney asked me to sit in on Mei's interview at noon today.",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn a_reply_saying_the_writer_will_be_on_chat_for_the_reader_covers_the_readers_shift() {
    // The day lives only in the subject, read on the day of the message
    // answered; the reader is named at the end of the sentence.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Wed, 9 Dec 2026 10:20:00 -0500",
        "RE: out today",
        "I'll sit on the desk for you from 2, Priya. Rest up.\n\nOn Wed, Dec 9, 2026 at 7:05 AM Priya Raman <praman@example.edu> wrote:\n> Fever. Not coming in.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("dwhitfield@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-09 14:00-15:30"],
        "{}",
        explain(&r)
    );

    // Unnamed, the reader is the one whose message is answered.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Tue, 8 Dec 2026 08:40:00 -0500",
        "RE: out sick today",
        "I'll stay on chat for you through the afternoon. Rest up!\n\nOn Tue, Dec 8, 2026 at 7:10 AM Sarah Kim <skim@example.edu> wrote:\n> Fever, not coming in.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("alopez@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("skim@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-08 15:30-17:00"],
        "{}",
        explain(&r)
    );

    // Offering, or only if it is still open, is no confirmation.
    for body in [
        "I can be on chat for you at noon, Tom.",
        "I'll be on chat for you at noon if nobody has it yet, Tom.",
    ] {
        let r = read(
            "Jorge Alvarez <jalvarez@example.edu>",
            "Thu, 10 Dec 2026 09:05:00 -0500",
            "RE: out today",
            body,
        );
        assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
    }
}

#[test]
fn a_nickname_that_has_got_a_holiday_shift_covers_it() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Wed, 10 Feb 2027 11:00:00 -0500",
        "Re: next week",
        "Tommy's got my Presidents' Day Monday, so I'm off the hook. Thanks, Tommy!",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2027-02-15 15:30-17:00"],
        "{}",
        explain(&r)
    );

    // The holiday named as an occasion is not the day asked about.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Fri, 20 Nov 2026 09:00:00 -0500",
        "Tues 11/24",
        "I'm heading home for Thanksgiving early, could someone cover my Tuesday 11/24 shift?",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-11-24 15:30-17:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn the_writer_taking_a_shift_nobody_took_covers_it_however_the_clauses_are_joined() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Thursday 12/10",
        "Since nobody picked up Mei's Thursday 12/10, I'll do it from my office.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-10 10:00-12:00"],
        "{}",
        explain(&r)
    );

    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Thursday 12/10",
        "Nobody replied, so I'll take that as a no and ask Courtney.",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn a_colleague_relaying_that_they_are_down_for_a_shift_covers_it() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Thursday",
        "Courtney has me down for Jorge's Thursday 12/10, so that one's sorted.",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-10 15:30-17:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn the_writer_covering_a_shift_whose_owner_is_not_found_is_unsure() {
    // No comma before the name, no quote: whose shift it is stays unknown,
    // and the writer's own shift is no shift to cover.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Thu, 10 Dec 2026 09:05:00 -0500",
        "RE: out today",
        "I'll be on chat for u at noon Tom feel better",
    );
    assert!(r.unsure(), "{}", explain(&r));

    // Named, it is sure.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Thu, 10 Dec 2026 09:05:00 -0500",
        "RE: out today",
        "I'll be on chat for you at noon, Tom. Feel better",
    );
    assert_eq!(r.kind, Kind::Covered, "{}", explain(&r));
    assert!(!r.unsure(), "{}", explain(&r));
}

#[test]
fn nobody_answering_and_the_writer_asking_again_or_keeping_a_fallback_is_no_confirmation() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday 12/10",
        "Could someone take my Thursday 12/10 shift? If nobody turns up, I'll sit on chat myself and skip the talk.",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));

    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Wed, 9 Dec 2026 09:00:00 -0500",
        "Re: Friday 12/11",
        "Nobody answered about Friday, so I'll ask again tomorrow.",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn a_colleague_relaying_an_assignment_covers_it_themselves() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Priya's Wednesday",
        "Angie slotted me in for Priya's Wednesday 12/9 shift, so it's taken care of.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);
}

#[test]
fn misspelled_days_and_verbs_are_read_as_meant() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "help",
        "Could somone covr my wendsday 12/9 shfit? Thnx",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 10:00-12:00"]);

    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 07:00:00 -0500",
        "out",
        "sikc today, cant do my tusday shift tommorow either. sry",
    );
    assert_kind(&r, Kind::Sick);
}

#[test]
fn near_words_are_not_read_as_coverage_words() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "lunch",
        "The clover honey is over by the sink; the lover of mundane snacks can grab the sack.",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn the_coverer_is_named_by_full_name_or_initials_after_a_misspelled_verb() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/8",
        "Mei's Tuesday 12/8 is now coverd by SK.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));

    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Tom's Tuesday",
        "Tom's Tuesday 12/8 shift was covred by Jorge Alvarez, thanks all.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
}

#[test]
fn a_swap_offer_is_an_offer_and_the_price_is_no_request() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/8",
        "I'd trade with you: your Tuesday for my Friday 12/11.",
    );
    assert_kind(&r, Kind::Offer);
    assert!(r.shifts.is_empty(), "{}", explain(&r));
}

#[test]
fn a_swap_offers_price_asked_with_willingness_or_joined_by_and_is_set_aside() {
    // The price asked as a wish ("if you'd be up for taking my ...").
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Monday 12/14",
        "Priya, I'll handle your Monday 12/14 3:30-5 if you'd be up for taking my Thursday 12/17 in return.\n\nJorge",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-14 15:30-17:00"]);

    // The price joined by "and you ...": only the colleague's shift is offered.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Thursday 12/10",
        "Happy to swap, Tom: I'll staff your Thursday 12/10 12-2 and you sit my Friday 12/18 10-12.\n\nDana",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-10 12:00-14:00"]);

    // A trade proposed with a question, the price sat rather than taken:
    // an offer, and the writer's own shift is no request.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Friday 12/11",
        "Ben, how about a swap? I'll do your Friday if you'll sit my Tuesday 12/15 shift (12-2) in return.\n\nMei",
    );
    assert_kind(&r, Kind::Offer);
    assert!(r.shifts.is_empty(), "{}", explain(&r));
}

#[test]
fn the_date_of_a_quotes_attribution_is_not_a_shift_of_the_confirmation() {
    // "On 12/7/26 9:15 AM, ... wrote:" says when the request was sent (a
    // Monday, when Ben also works); the shift is the one the request asks.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Wed, 9 Dec 2026 10:00:00 -0500",
        "Re: need someone",
        "Mei is doing it, so we're good. Thanks Mei!\n\nBen\n\nOn 12/7/26 9:15 AM, Ben Okafor wrote:\n> Could anybody take my Friday 12/11, 12-2? I'm at a training.\n>\n> Ben",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2026-12-11 12:00-14:00"]);
}

#[test]
fn a_sick_notice_over_several_days_names_each_shift() {
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 07:00:00 -0500",
        "stomach bug",
        "Knocked out by a stomach bug until Friday, so I'll miss my Wednesday 12/9 and Friday 12/11 shifts.",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-09 15:30-17:00", "2026-12-11 12:00-14:00"]);
}

#[test]
fn a_positive_test_named_by_its_result_is_sick_for_each_shift_named() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 07:00:00 -0500",
        "out this week",
        "Flu test came back positive this morning; I'm off until Friday, which means no Tuesday 12/8 or Thursday 12/10 chat from me.\n\nTom",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-08 10:00-12:00", "2026-12-10 12:00-14:00"]);
}

#[test]
fn a_third_partys_late_confirmation_is_about_the_answered_writers_day() {
    // Sent the next day, naming no day: "out today" is the quoted notice's
    // day, and the shift the notice's writer's, not the coordinator's.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Wed, 9 Dec 2026 09:00:00 -0500",
        "RE: out today",
        "Update for the record: Sarah Kim wound up covering it. Much appreciated, Sarah.\n\nCourtney\n\n________________________________\nFrom: Alvarez, Jorge <jalvarez@example.edu>\nSent: Tuesday, December 8, 2026 7:00 AM\nTo: ask-chat@example.edu\nSubject: out today\n\nFever, can't come in.\n\nJorge",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_shifts(&r, &["2026-12-08 14:00-15:30"]);
}

#[test]
fn a_day_said_to_be_handled_for_the_person_addressed_is_their_shift() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: chat",
        "Priya, Wednesday's handled - Tom will do your 2 to 3:30. Thanks, Tom!\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);
}

#[test]
fn a_forwarded_reminder_is_a_first_call_and_trying_once_more_is_a_second() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Fwd: Reminder: your MRI appointment",
        "Can anyone take my Thursday 12/10 shift? The appointment is below.\n\n---------- Forwarded message ---------\nFrom: Imaging Center <noreply@imaging.example.org>\nSubject: Reminder: your MRI appointment\n\nYour appointment is on Thursday, December 10 at 10:30 AM.",
    );
    assert_kind(&r, Kind::CoverageRequest);

    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Wed, 9 Dec 2026 09:00:00 -0500",
        "Re: Friday 12/11",
        "Trying once more for my Friday 12/11 shift, anyone?",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-11 12:00-14:00"]);
}

#[test]
fn a_reply_subject_saying_today_is_read_on_the_day_of_the_request() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "RE: out today",
        "Jorge covered for you, thank you Jorge!\n\nOn Mon, Dec 7, 2026 at 7:30 AM Angie Lopez <alopez@example.edu> wrote:\n> Home sick, can't make it in.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    // "for you": the one whose message is answered.
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2026-12-07 12:00-14:00"]);
}

#[test]
fn the_person_addressed_owns_the_shift_covered() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: tomorrow",
        "Dana, you're covered for tomorrow: Sarah will take it.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("dwhitfield@example.edu"));
    assert_shifts(&r, &["2026-12-09 10:00-12:00"]);
}

#[test]
fn a_named_person_who_goes_on_to_take_the_shifts_covers_them() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Dana's Wednesday 12/9",
        "Good news: Sarah checked her calendar and is taking Dana's Wednesday 12/9 shift.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
}

#[test]
fn an_ask_reported_from_someone_else_asks_nothing() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 15:00:00 -0500",
        "odd chat",
        "A student on chat wondered whether someone could cover his shift at the gym on Friday. I sent him to the rec center.",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_swap_offered_in_a_reply_keeps_only_what_the_writer_takes() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Thursday 12/10",
        "Trade? I'll do your 12-2 on Thursday 12/10 if you can take my Friday 12/11 shift.",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-10 12:00-14:00"]);
}

#[test]
fn a_confirmation_naming_no_day_confirms_the_quoted_request() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Wed, 9 Dec 2026 09:00:00 -0500",
        "Re: help please",
        "Priya's got it, thank you Priya!\n\nMei\n\nOn Mon, Dec 7, 2026 at 8:00 AM Mei Chen <mchen@example.edu> wrote:\n> Could someone take my Tuesday 12/15 shift? I have a training.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
}

#[test]
fn days_named_as_closures_or_in_a_declined_offer_are_not_asked_for() {
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Friday 12/11",
        "Can someone take my Friday 12/11 shift? (Monday the 14th the library is closed anyway.)",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-11 12:00-14:00"]);
}

#[test]
fn a_weekday_week_is_the_one_after_the_coming_one() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Wed, 2 Dec 2026 10:00:00 -0500",
        "long weekend",
        "Is anybody around to take my Tuesday week? I'll be away for the long weekend.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 10:00:00 -0500",
        "jury duty",
        "Jury duty a week on Thursday, so could someone cover my shift?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-17 12:00-14:00"]);
}

#[test]
fn a_call_repeated_first_with_a_part_taken_asks_again_for_the_rest() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 10:00:00 -0500",
        "Re: my shifts next week",
        "Asking again for my Tue 12/15 and Thu 12/17 shifts. Ben has the Thursday one now, thanks Ben!",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_eq!(r.coverer, None);
    assert_shifts(&r, &["2026-12-15 14:00-15:30"]);

    // The confirmation first: it confirms what is taken.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 10:00:00 -0500",
        "Re: my shifts next week",
        "Sarah is taking Thu 12/17, thanks Sarah! Still need Tue 12/15 if anyone can.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
    assert_shifts(&r, &["2026-12-17 15:30-17:00"]);
}

#[test]
fn terse_phone_mail_that_says_when_and_asks_anyone_is_a_request() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 20:00:00 -0500",
        "wed",
        "dentist wed 2-3:30, cant make it. anybody?\n\nSent from my phone",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "thurs",
        "hey, need some one for my thurs 12/10 shift, family stuff",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-10 12:00-14:00"]);

    // No day or time: a bare "anyone?" asks about something else.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "stapler",
        "the big stapler is gone again. anyone?",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_colleague_doing_an_errand_is_not_covering() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Priya's Wednesday",
        "Priya is taking a course off campus on Wednesday, so could someone cover her 2-3:30 on 12/9?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);

    // Taking a shift is still covering.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Priya's Wednesday",
        "Tom is taking a shift for Priya on Wednesday 12/9, thanks Tom!",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
}

#[test]
fn the_writer_asked_to_fill_in_or_jumping_on_for_a_colleague_covers_it() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Jorge's Thursday",
        "Courtney needed me to step in for Jorge on Thursday 12/10, so his 3:30-5 is taken care of.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("mchen@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_shifts(&r, &["2026-12-10 15:30-17:00"]);

    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Wednesday",
        "No luck finding anyone, so I'll hop on for Priya tomorrow myself.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);

    // Asked, but declined in the same breath.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Jorge's Thursday",
        "Courtney asked me to cover Jorge on Thursday 12/10 but I'm teaching then. Could anyone else?",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn names_in_small_letters_count_in_mail_written_all_in_small_letters() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Thu, 10 Dec 2026 13:00:00 -0500",
        "Re: fri",
        "priya said yes to the whole thing. all good, thank u priya!\n\nSent from my iPhone",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-11 14:00-15:30"]);
}

#[test]
fn next_wk_in_phone_mail_places_the_weekday_in_next_week() {
    // Said on a Wednesday about "wed": next week's Wednesday, not today.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Wed, 9 Dec 2026 19:40:00 -0500",
        "wed",
        "can sum1 grab my wed shift nxt wk? dentist",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-16 12:00-14:00"],
        "{}",
        explain(&r)
    );
    // "this wk" keeps the weekday in this week.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Wed, 9 Dec 2026 07:10:00 -0500",
        "wed",
        "can sum1 grab my wed shift this wk? dentist",
    );
    assert_eq!(
        shifts(&r),
        vec!["2026-12-09 12:00-14:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_bare_anyone_for_my_shifts_question_is_a_request() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Wed, 9 Dec 2026 20:05:00 -0500",
        "out",
        "anyone for my tues + thurs shifts next week? 12/15 & 12/17. conference\n\nSent from my iPhone",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-15 12:00-14:00", "2026-12-17 10:00-12:00"],
        "{}",
        explain(&r)
    );
    // Coffee before the shift asks no one to cover it.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Wed, 9 Dec 2026 09:05:00 -0500",
        "coffee",
        "Anyone for coffee before my tues shift? I'm buying.",
    );
    assert_eq!(r.kind, Kind::Other, "{}", explain(&r));
}

#[test]
fn wondering_whether_to_look_for_cover_asks_nothing() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 14 Dec 2026 09:15:00 -0500",
        "desk open the 26th?",
        "Is chat staffed between the holidays? I have Fridays 10-12 and don't know whether I should be looking for a sub.",
    );
    assert_eq!(r.kind, Kind::Other, "{}", explain(&r));
    // Unsure of getting back, the writer does ask.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 14 Dec 2026 09:15:00 -0500",
        "Friday",
        "Not sure whether my train gets in on time, so I need coverage for my Friday 12/18 shift.",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
}

#[test]
fn one_standing_slot_instead_of_another_is_a_schedule_change() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 14 Dec 2026 11:00:00 -0500",
        "January on",
        "Heads up: once classes start again I'll be on Friday afternoons instead of Thursday afternoons. Courtney knows.",
    );
    assert_eq!(r.kind, Kind::ScheduleChange, "{}", explain(&r));
    // One week's trade of days is no lasting change.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 14 Dec 2026 11:00:00 -0500",
        "this week",
        "Could someone take Friday afternoon instead of Thursday afternoon this week? I'd owe you one.",
    );
    assert_ne!(r.kind, Kind::ScheduleChange, "{}", explain(&r));
}

#[test]
fn a_symptom_and_staying_out_is_a_sick_notice_without_the_word_sick() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Tue, 15 Dec 2026 07:45:00 -0500",
        "today",
        "Still congested and wheezing from whatever I caught last week. Won't be in today, my 2-3:30 needs a sub.",
    );
    assert_eq!(r.kind, Kind::Sick, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-15 14:00-15:30"],
        "{}",
        explain(&r)
    );
    // A lingering cough that does not keep the writer out is no notice.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Tue, 15 Dec 2026 07:45:00 -0500",
        "today",
        "Still coughing from that cold, but I'll be on chat at 2 as usual.",
    );
    assert_ne!(r.kind, Kind::Sick, "{}", explain(&r));
}

#[test]
fn a_span_said_as_needed_narrows_the_shift_it_lies_in() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 14 Dec 2026 10:00:00 -0500",
        "Second call: Thursday 12/17",
        "Still looking for someone for my Thursday 12/17 (2-3:30). Ben can do the first half hour, so I only need 2:30 to 3:30 now.",
    );
    assert_eq!(r.kind, Kind::SecondCall, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-17 14:30-15:30"],
        "{}",
        explain(&r)
    );
    // Two spans, neither inside the other: both are asked.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 10:00:00 -0500",
        "Monday 12/14",
        "Could someone cover for me on Monday 12/14? I need 10-11 and 2-3.",
    );
    assert_eq!(
        shifts(&r),
        vec!["2026-12-14 10:00-11:00", "2026-12-14 14:00-15:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_swap_offers_price_with_a_clock_time_is_not_the_offers_span() {
    // The price has a clock time; the shift offered has none: no span.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/15",
        "Happy to swap, Mei: I'll do your Tuesday 12/15 as long as you take my Wednesday 12/16 (10-12).",
    );
    assert_eq!(r.kind, Kind::Offer, "{}", explain(&r));
    assert!(r.shifts.is_empty(), "{}", explain(&r));
    // The offered shift's own clock time is kept, the price's is not.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/15",
        "Swap? I can do 12-2 on your Tuesday 12/15 for my Wednesday 12/16 10-12.",
    );
    assert_eq!(r.kind, Kind::Offer, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-15 12:00-14:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_shift_given_away_on_a_day_placed_from_a_holiday_is_a_request() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 16 Nov 2026 09:30:00 -0500",
        "before the holiday",
        "Will anybody be free the Wednesday before Thanksgiving? I'm flying out early and would like to hand off my afternoon shift.",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-11-25 12:00-14:00"],
        "{}",
        explain(&r)
    );
    // Named alone, the holiday is the reason, and the day is the one written.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 16 Nov 2026 09:30:00 -0500",
        "Wednesday",
        "Flying home for Thanksgiving, so could someone take my Wednesday 11/18 shift?",
    );
    assert_eq!(
        shifts(&r),
        vec!["2026-11-18 12:00-14:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_time_said_of_a_trip_is_not_the_part_of_the_shift_asked() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Monday 12/14",
        "Could somebody take my Monday 12/14 shift? I'm on a bus that doesn't get back until 4.",
    );
    assert_eq!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    assert_eq!(
        shifts(&r),
        vec!["2026-12-14 15:30-17:00"],
        "{}",
        explain(&r)
    );
    // The writer's own late start asks for the start of the shift only.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Monday 12/14",
        "Could somebody take the start of my Monday 12/14 shift? I can't log on until 4.",
    );
    assert_eq!(
        shifts(&r),
        vec!["2026-12-14 15:30-16:00"],
        "{}",
        explain(&r)
    );
}

#[test]
fn a_span_said_as_needed_wins_over_the_part_the_writer_keeps() {
    // Four digits on a 24-hour clock are the span asked for; the writer's
    // own first hour is not.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "Tuesday",
        "Can someone do 1300-1400 on Tue 12/8? I'll manage the first hour on my own.\n\nMei",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 13:00-14:00"]);
}

#[test]
fn half_before_an_hour_in_digits_ends_a_span_and_the_part_picked_up_is_kept() {
    // "till half 11" is 11:30, and "I'll pick up from 11:30" is the part
    // the writer keeps, not a second span asked for.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 30 Nov 2026 09:00:00 -0500",
        "Wednesday morning",
        "Could someone cover Wednesday 12/9 from 10 till half 11? I'll pick up from 11:30, once the dentist is done.\n\nDana",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 10:00-11:30"]);
}

#[test]
fn a_span_that_runs_past_service_hours_is_the_conflict_and_asks_the_shift_inside() {
    // The workshop's 3-6 is why; the shift inside it (3:30-5) is asked.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 30 Nov 2026 09:00:00 -0500",
        "Wednesday",
        "I'm at a grant workshop 3-6 on Wednesday 12/9. Could somebody sit in for me?\n\nBen",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 15:30-17:00"]);
}

#[test]
fn a_weekday_beside_a_day_first_date_settles_which_date_it_is() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Thu, 3 Dec 2026 09:00:00 -0500",
        "chat",
        "Anyone free to do my shift on Wednesday 16/12? Thanks!\n\nAngie",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 12:00-14:00"]);
}

#[test]
fn standing_hours_in_a_signature_are_not_asked() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "jury duty",
        "Could anybody pick up my Tuesday 12/8 slot? I have jury duty.\n\nTom Becker\nReference Librarian\nWork hours: Mon-Wed 8:30-4:30",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 10:00-12:00"]);

    // A sick notice naming no day is about today, whatever days the
    // writer's usual hours name.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Tue, 8 Dec 2026 07:00:00 -0500",
        "fever",
        "Running a fever, so I'm staying home this afternoon.\n\nSarah\nMy usual hours are Mondays and Tuesdays 1-5.",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-08 15:30-17:00"]);

    // Office hours moved to one day are the reason, and that day is asked.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Thu, 3 Dec 2026 09:00:00 -0500",
        "office hours",
        "My office hours moved to Wednesday 12/9 this week. Could someone take my chat shift that day?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);
}

#[test]
fn news_of_a_day_something_changes_is_not_asked() {
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Thu, 3 Dec 2026 09:00:00 -0500",
        "two notes",
        "Two quick notes. The new ILL form launches Thursday 12/10 for all patrons. Also, can someone cover my Monday 12/14 shift? Family visit.\n\nBen",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-14 14:00-15:30"]);

    // "live" that is no going live.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Thu, 3 Dec 2026 09:00:00 -0500",
        "webinar",
        "I'm going to be on a live webinar Wednesday 12/9, can anyone cover my shift that day?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 15:30-17:00"]);
}

#[test]
fn a_day_already_past_beside_a_request_is_not_asked() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "next Tuesday",
        "Kudos to Mei for filling in when I was out on Tuesday 12/1. Could somebody take my Tue 12/8, 14:00-15:30?\n\nJorge",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 14:00-15:30"]);

    // A day gone by in a second call.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "Second call: Tue 12/8",
        "Trying again for my Tue 12/8 shift. Last Tuesday went fine thanks to Sarah, hoping for the same luck.\n\nJorge",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-08 14:00-15:30"]);
}

#[test]
fn an_events_times_in_the_subject_are_not_the_shift() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Thu, 3 Dec 2026 09:00:00 -0500",
        "Re: Department meeting Wed 12/16, 2:30-4",
        "I'll be stuck in this, could someone grab my chat that day?\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 14:00-15:30"]);

    // A subject about cover during an event asks for its times.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Thu, 3 Dec 2026 09:00:00 -0500",
        "Cover needed during meeting Wed 12/16 2-3",
        "Anyone free?\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 14:00-15:00"]);
}

#[test]
fn a_request_laid_out_as_a_table_asks_for_its_rows() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 28 Dec 2026 09:00:00 -0500",
        "January",
        "I'm teaching an intersession course. Can people grab these?\n\n| Day | Hours | Why |\n|---|---|---|\n| Tue 1/5 | 10-12 | class |\n| Tue 1/12 | 10-12 | class |\n\nTom",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-05 10:00-12:00", "2027-01-12 10:00-12:00"]);
}

#[test]
fn the_part_a_writer_keeps_leaves_the_rest_of_the_shift_asked() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "Tuesday",
        "Could someone cover my Tuesday 12/8 shift? I can do the first half hour myself, then I have to leave.\n\nTom",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 10:30-12:00"]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "Tuesday",
        "Need a sub for Tue 12/8. I'll be on for the last hour.\n\nTom",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 10:00-11:00"]);

    // The part asked for is asked.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Fri, 4 Dec 2026 10:00:00 -0500",
        "Tuesday",
        "Could someone cover the first hour of my Tuesday 12/8 shift?\n\nTom",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 10:00-11:00"]);
}

#[test]
fn an_answer_under_a_quoted_call_names_the_writer_as_the_taker() {
    // Inline reply: the quoted line above the answer is what it answers.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Friday 12/11",
        "> Could anybody sit in for me that afternoon?\n\nSure, me! Nothing else on my calendar.\n\nTom",
    );
    assert_kind(&r, Kind::Offer);

    // Taking it and telling the asker to stop worrying is a confirmation.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Thursday 12/10 chat",
        "> Can somebody take my Thursday?\n\nI'll do it. Jorge, consider yourself covered.\n\nBen",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("bokafor@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
}

#[test]
fn a_wished_offer_with_the_writers_own_engagement_declines() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9",
        "I would cover it gladly, but I'm at a workshop all that afternoon. Sorry!\n\nSarah",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn dotted_24_hour_spans_are_times_and_a_lone_dotted_pair_is_not() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9",
        "Dana, I can do 14.00-15.00 on the 9th.\n\nTom",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-09 14:00-15:00"]);

    // "15.12" alone may be the 15th of December: no clock time, no span.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9",
        "I can take it on 15.12 if that helps.\n\nTom",
    );
    assert!(r.shifts.is_empty(), "{}", explain(&r));
}

#[test]
fn a_swap_offer_with_its_price_after_offers_the_colleagues_shift() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: cover needed 2026-12-10",
        "Jorge, glad to do 10 to 12 on your Thursday if you'll cover my Monday 12/14 in return.\n\nSarah",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-10 10:00-12:00"]);
}

#[test]
fn a_partial_offer_leaves_out_what_it_asks_others_to_take() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9 2-3:30",
        "I can cover 2-3 that afternoon. Could someone else pick up 3-3:30?\n\nTom",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-09 14:00-15:00"]);
}

#[test]
fn non_native_asks_offers_take_backs_and_calls_again_are_read_as_meant() {
    let priya = "Priya Raman <praman@example.edu>";
    let r = read(
        priya,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Replacement Monday 14 December",
        "Hello all,\n\nwho is able to do my shift of Monday 14 December? I have the visa interview that day.\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-14 15:30-17:00"]);
    let r = read(
        priya,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Monday 14 December",
        "Could anybody replace me on Monday 14 December? It is the visa interview.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-14 15:30-17:00"]);
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 11:00:00 -0500",
        "Re: Replacement Monday 14 December",
        "Hi Priya, I could substitute for you that Monday.\n\nJorge",
    );
    assert_kind(&r, Kind::Offer);
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 11:00:00 -0500",
        "Re: Replacement Monday 14 December",
        "Hello, for me it is fine to take it.",
    );
    assert_kind(&r, Kind::Offer);
    let r = read(
        priya,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Monday",
        "Who does my Monday 14 December? I am at the consulate.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-14 15:30-17:00"]);
    let r = read(
        priya,
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Replacement Monday 14 December",
        "I need no more a replacement for the 14th, the interview moved. Thanks anyway Jorge.",
    );
    assert_kind(&r, Kind::Withdrawn);
    let r = read(
        priya,
        "Thu, 10 Dec 2026 09:00:00 -0500",
        "Re: Replacement Monday 14 December",
        "I ask once more for my shift of Monday 14 December, no one responded so far.",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-14 15:30-17:00"]);
}

#[test]
fn terse_sick_notices_are_sick_whatever_stands_between_the_words() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Tue, 8 Dec 2026 07:30:00 -0500",
        "today",
        "unwell \u{1F637} can't come in, sorry",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-08 10:00-12:00"]);
    // "here" after the writer's name is no "he": the fever is the writer's.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Tue, 8 Dec 2026 08:00:00 -0500",
        "out",
        "sarah here - fever, home today. my 3:30-5 needs a sub",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-08 15:30-17:00"]);
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Tue, 8 Dec 2026 07:30:00 -0500",
        "printer",
        "Sick of the printer today. It jammed twice.",
    );
    assert_ne!(r.kind, Kind::Sick, "{}", explain(&r));
}

#[test]
fn a_take_back_taken_back_asks_again_and_a_checking_question_takes_nothing_back() {
    let tom = "Tom Becker <tbecker@example.edu>";
    let r = read(
        tom,
        "Wed, 9 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/15",
        "Forget that, the trip is off. I'll work my Tuesday as usual.",
    );
    assert_kind(&r, Kind::Withdrawn);
    let r = read(
        tom,
        "Thu, 10 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/15",
        "Ugh, scratch that: the conference is on again, so I still need 10-12 on Tue 12/15 covered.",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-15 10:00-12:00"]);
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 14 Dec 2026 13:30:00 -0500",
        "Re: Library closed Mon 12/21",
        "Then my Monday 12/21 does not need cover, correct?",
    );
    assert_kind(&r, Kind::Other);
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 14 Dec 2026 13:30:00 -0500",
        "Re: Library closed Mon 12/21",
        "So my Monday is not needed then, right?",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_programs_notice_is_other_and_an_automated_absence_an_auto_reply() {
    let r = read(
        "Desk Stats <noreply@deskstats.example.com>",
        "Tue, 1 Dec 2026 06:00:00 -0500",
        "Monthly chat statistics",
        "Chat statistics for November\n\nChats: 310\nPeak hour: Wednesday 13:00-14:00\n\nThis is an automated notification. Please do not reply.",
    );
    assert_kind(&r, Kind::Other);
    assert_shifts(&r, &[]);
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Tue, 1 Dec 2026 06:00:00 -0500",
        "Re: Friday",
        "This is an automated message. I am out of the office until Monday 12/14 and will reply when I return.",
    );
    assert_kind(&r, Kind::AutoReply);
}

/// A raw message with headers of its own (machine mail).
fn read_raw(raw: &str) -> Reading {
    let (config, schedule) = corpus();
    read_message(
        raw.replace('\n', "\r\n").as_bytes(),
        &ReadContext {
            config: &config,
            schedule: &schedule,
        },
    )
}

#[test]
fn a_numbered_subject_and_words_that_repeat_the_call_are_a_second_call() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 25 Jan 2027 09:00:00 -0500",
        "Third request - Fri 1/29 10-12",
        "Putting this out again for my Friday morning, the 29th.\n\nDana",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2027-01-29 10:00-12:00"]);

    // A list's call for something else, repeated, is no shift's.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 25 Jan 2027 09:00:00 -0500",
        "Second call for nominations: staff awards",
        "Posting this again: send your nominations for the staff awards by the end of the month.",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_week_from_a_weekday_is_the_one_after_the_coming_one() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Wed, 6 Jan 2027 09:00:00 -0500",
        "dentist",
        "Can anybody cover me one week from Tuesday? Dentist again.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-19 15:30-17:00"]);
}

#[test]
fn a_lasting_change_introduced_by_a_colon_is_a_schedule_change() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Thursday mornings",
        "Mei is handing her Thursday mornings to Jorge for good: from February on he staffs them.",
    );
    assert_kind(&r, Kind::ScheduleChange);
}

#[test]
fn asking_someone_to_take_a_written_day_is_a_request() {
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 5 Jan 2027 09:00:00 -0500",
        "Friday",
        "Can anybody take Fri 1/15 noon-2 for me? Car trouble.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-15 12:00-14:00"]);

    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 5 Jan 2027 09:00:00 -0500",
        "Friday",
        "Can anyone take Friday off with me and go skiing?",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn clock_hours_written_as_words_give_the_span() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Re: Wednesday 1/13",
        "Angie, I'm free from noon until two on the 13th, so I can take it.",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2027-01-13 12:00-14:00"]);

    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Friday the 15th",
        "Could someone cover eleven to twelve on Friday the 15th? I have a call.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-15 11:00-12:00"]);
}

#[test]
fn a_programs_notice_that_answers_nothing_is_no_auto_reply() {
    let r = read_raw(
        "From: Shift Scheduler <notify@scheduler.example.com>\nTo: bokafor@example.edu\nSubject: Upcoming: Ask Chat on Fri 1/15 12:00-14:00\nDate: Thu, 14 Jan 2027 08:00:00 -0500\nMessage-ID: <n1@scheduler.example.com>\nAuto-Submitted: auto-generated\nContent-Type: text/plain; charset=utf-8\n\nYou are scheduled for Ask Chat tomorrow, 12:00-14:00.\n",
    );
    assert_kind(&r, Kind::Other);

    // An out-of-office from a staff member's client carries the same header.
    let r = read_raw(
        "From: Ben Okafor <bokafor@example.edu>\nTo: ask-chat@example.edu\nSubject: Away until Monday\nDate: Thu, 14 Jan 2027 08:00:00 -0500\nMessage-ID: <n2@example.edu>\nAuto-Submitted: auto-generated\nContent-Type: text/plain; charset=utf-8\n\nI'm away until Monday.\n",
    );
    assert_kind(&r, Kind::AutoReply);

    // So does a responder answering a message, from anywhere.
    let r = read_raw(
        "From: Help Desk <help@it.example.edu>\nTo: bokafor@example.edu\nSubject: Re: password\nDate: Thu, 14 Jan 2027 08:00:00 -0500\nMessage-ID: <n3@it.example.edu>\nIn-Reply-To: <q@example.edu>\nAuto-Submitted: auto-generated\nContent-Type: text/plain; charset=utf-8\n\nWe received your ticket.\n",
    );
    assert_kind(&r, Kind::AutoReply);
}

#[test]
fn a_second_call_that_says_a_day_is_settled_asks_only_for_the_rest() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Fri, 15 Jan 2027 09:00:00 -0500",
        "Still need Tue 1/19",
        "Still looking for someone for Tuesday 1/19 2-3:30; the Thursday is taken care of already.",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2027-01-19 14:00-15:30"]);
}

#[test]
fn a_colleague_told_to_stay_on_their_own_slot_covers_nothing() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Staff meeting Thursday",
        "Staff meeting Thursday the 14th in the seminar room. Tom, stay on chat for your shift and I'll catch you up afterwards.",
    );
    assert_kind(&r, Kind::Other);

    // Said of him, staying on is taking the time.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Re: Thursday 1/14",
        "Tom is staying on through Sarah's 2-3:30 on Thursday 1/14, thanks Tom!",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
}

/// In the small hours "tomorrow" may be the day just begun: read so only
/// when the calendar's tomorrow holds none of the writer's shifts, and
/// never when the calendar's tomorrow holds one or the text also says
/// "today".
#[test]
fn tomorrow_written_after_midnight_is_the_day_begun_when_the_next_holds_no_shift() {
    // Tuesday 00:50: Tom works Tuesdays 10-12, not Wednesdays.
    let r = read(
        "tbecker@example.edu",
        "Tue, 02 Feb 2027 00:50:00 -0500",
        "out",
        "Stomach bug since dinner, sorry - I can't do my shift tomorrow.",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2027-02-02 10:00-12:00"]);
    // Wednesday 01:10: Dana works Wednesdays and Fridays, so Thursday has
    // none of hers and Wednesday's is meant.
    let r = read(
        "dwhitfield@example.edu",
        "Wed, 03 Feb 2027 01:10:00 -0500",
        "cover tomorrow?",
        "Could anybody cover my chat tomorrow? Family emergency.",
    );
    assert_shifts(&r, &["2027-02-03 10:00-12:00"]);
    // Monday 00:30: Tom's Tuesday is the calendar's tomorrow and holds his
    // shift, so it stays.
    let r = read(
        "tbecker@example.edu",
        "Mon, 01 Feb 2027 00:30:00 -0500",
        "out",
        "Running a fever, I can't do my shift tomorrow.",
    );
    assert_shifts(&r, &["2027-02-02 10:00-12:00"]);
    // Mid-morning, "tomorrow" is the calendar's and nothing is guessed.
    let r = read(
        "tbecker@example.edu",
        "Tue, 02 Feb 2027 09:50:00 -0500",
        "out",
        "Running a fever, I can't do my shift tomorrow.",
    );
    assert!(r.shifts.is_empty(), "{}", explain(&r));
}

/// A new message whose subject calls again and whose text still asks is a
/// second call, even when it opens by thanking the colleague who took a
/// part; without the subject's call, the same text under a subject that
/// says it is an update of the call opens with what is taken and is a
/// confirmation.
#[test]
fn a_second_call_in_the_subject_that_still_asks_stays_a_second_call() {
    let r = read(
        "bokafor@example.edu",
        "Mon, 01 Feb 2027 09:00:00 -0500",
        "Second request: my Wed 2/10 and Fri 2/12",
        "Angie has kindly taken Wednesday. I still need somebody for Friday, 12-2.",
    );
    assert_kind(&r, Kind::SecondCall);
    let r = read(
        "bokafor@example.edu",
        "Mon, 01 Feb 2027 09:00:00 -0500",
        "Update on my Wed 2/10 and Fri 2/12",
        "Angie has kindly taken Wednesday 2/10. I still need somebody for Friday 2/12, 12-2.",
    );
    assert_kind(&r, Kind::Covered);
}

/// A reply that offers part of a shift and says someone else is needed for
/// the rest is an offer, whether "else" is inside the ask's words or right
/// after them.
#[test]
fn a_reply_offering_part_and_needing_someone_else_for_the_rest_is_an_offer() {
    let r = read(
        "mchen@example.edu",
        "Mon, 01 Feb 2027 09:00:00 -0500",
        "Re: cover Fri 2/5 2-3:30?",
        "I could do 2-3 on Friday 2/5, but you'd need someone else for 3-3:30.",
    );
    assert_kind(&r, Kind::Offer);
    let r = read(
        "mchen@example.edu",
        "Mon, 01 Feb 2027 09:00:00 -0500",
        "Re: cover Fri 2/5 2-3:30?",
        "I need someone for my own Thursday too, sorry. Could anyone take Thu 2/4 10-12?",
    );
    assert_kind(&r, Kind::CoverageRequest);
}

/// A range of days at stated times asks for the writer's own days in it,
/// not every calendar day at those times.
#[test]
fn a_range_of_days_at_stated_times_is_the_writers_own_days_in_it() {
    // Dana works Wednesdays and Fridays 10-12.
    let r = read(
        "dwhitfield@example.edu",
        "Mon, 15 Feb 2027 09:00:00 -0500",
        "jury duty",
        "I'm on jury duty Mon 3/1 through Fri 3/5, so I need someone for 10-12 on my days.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-03-03 10:00-12:00", "2027-03-05 10:00-12:00"]);
}

#[test]
fn a_date_beside_a_weekday_it_is_not_is_the_weekday_the_writer_works() {
    // 1/14/2027 is a Thursday; Priya works Wednesdays 2-3:30, not Thursdays.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 4 Jan 2027 09:00:00 -0500",
        "Wed 1/14",
        "Could someone take my Wed 1/14, 2 to 3:30? Thank you.\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-13 14:00-15:30"]);
    // Sarah works that Thursday: the date is read as written.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 4 Jan 2027 09:00:00 -0500",
        "Wed 1/14",
        "Could someone take my Wed 1/14, 2 to 3:30? Thank you.\n\nSarah",
    );
    assert_shifts(&r, &["2027-01-14 14:00-15:30"]);
    // "noonish" is about noon.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 4 Jan 2027 09:00:00 -0500",
        "Thu 1/7",
        "Anybody around Thu 1/7 from noonish to 2 to sit in for me?\n\nTom",
    );
    assert_shifts(&r, &["2027-01-07 12:00-14:00"]);
}

#[test]
fn a_requester_correcting_the_day_of_their_own_call_asks_for_the_new_day() {
    // Under their own call, the writer fixes its day: still a call, for
    // the day now meant; the day ruled out is not asked.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 12 Jan 2027 10:30:00 -0500",
        "Re: cover for my Friday?",
        "Sorry, wrong week! It's Friday the 29th I'll be away, not the 22nd.\n\n\
         On Tue, Jan 12, 2027 at 10:05 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Could someone take my Friday 1/22 noon shift? I'm at a conference.\n> Ben",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-29 12:00-14:00"]);
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 12 Jan 2027 10:30:00 -0500",
        "Re: cover for my Friday?",
        "Argh, I meant the 29th. Same shift.\n\n\
         On Tue, Jan 12, 2027 at 10:05 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Could someone take my Friday 1/22 noon shift? I'm at a conference.\n> Ben",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-29 12:00-14:00"]);
    // "I meant to say thanks" under one's own call corrects nothing.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Tue, 12 Jan 2027 10:30:00 -0500",
        "Re: cover for my Friday?",
        "I meant to add: the chat login is on the sticky note.\n\n\
         On Tue, Jan 12, 2027 at 10:05 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Could someone take my Friday 1/22 noon shift? I'm at a conference.\n> Ben",
    );
    assert_ne!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    // A colleague pointing out a wrong day under someone else's call is
    // not their call.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Tue, 12 Jan 2027 10:40:00 -0500",
        "Re: cover for my Friday?",
        "Ben, I think you meant the 29th? The 22nd is a holiday.\n\n\
         On Tue, Jan 12, 2027 at 10:05 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Could someone take my Friday 1/22 noon shift? I'm at a conference.\n> Ben",
    );
    assert_ne!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
}

#[test]
fn a_coverer_named_as_assigned_or_as_me_covers_the_shift() {
    // The coordinator hands a shift to someone by name.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Thursday 1/14 noon",
        "No takers for Tom's Thursday 1/14 at noon, so I've assigned it to Sarah Kim. Thanks, Sarah.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
    assert_shifts(&r, &["2027-01-14 12:00-14:00"]);
    // The writer names themselves as the one who covers a colleague's shift.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Mei's Thursday",
        "For the record, Mei's Thursday 1/14 morning slot is taken care of - by me.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("dwhitfield@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_shifts(&r, &["2027-01-14 10:00-12:00"]);
}

#[test]
fn a_confirmation_under_a_bare_weekday_subject_is_for_the_threads_date() {
    // The subject says only "Friday"; the quoted call names the date, two
    // weeks out: the confirmation is for that date, not the coming Friday.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 11 Jan 2027 15:00:00 -0500",
        "Re: anyone free Friday at noon?",
        "Thanks so much Dana, it is all yours.\n\n\
         On Mon, Jan 11, 2027 at 9:00 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Looking for someone for my Friday 1/22 noon to 2. Any takers?\n> Ben",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("dwhitfield@example.edu"));
    assert_shifts(&r, &["2027-01-22 12:00-14:00"]);
    // With no date in the thread, the subject's weekday is the coming one.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 11 Jan 2027 15:00:00 -0500",
        "Re: anyone free Friday at noon?",
        "Thanks so much Dana, it is all yours.\n\n\
         On Mon, Jan 11, 2027 at 9:00 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Looking for someone for my Friday noon to 2 this week. Any takers?\n> Ben",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2027-01-15 12:00-14:00"]);
}

#[test]
fn an_offer_to_stay_on_past_ones_own_shift_offers_only_the_next_span() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 11 Jan 2027 15:00:00 -0500",
        "Re: Wed 1/20 3:30-5?",
        "Ben, I'm on 2-3:30 that afternoon anyway, so I could stick around and take 3:30-5.",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2027-01-20 15:30-17:00"]);
}

#[test]
fn a_volunteer_taking_back_their_own_offer_is_no_call() {
    let quoted = "\n\nOn Mon, Jan 11, 2027 at 10:00 AM Dana Whitfield <dwhitfield@example.edu> wrote:\n\
                  > Ben, I can take your Friday.\n>\n\
                  > On Mon, Jan 11, 2027 at 9:00 AM Ben Okafor <bokafor@example.edu> wrote:\n\
                  >> Could someone take my Friday 1/22 noon shift?";
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 15:00:00 -0500",
        "Re: Friday 1/22",
        &format!(
            "Ugh, I spoke too soon - I have a dentist visit then. Sorry Ben, still open for someone else.{quoted}"
        ),
    );
    assert_kind(&r, Kind::Other);
    // The requester's own "scratch that" under their call is still theirs.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 11 Jan 2027 15:00:00 -0500",
        "Re: Friday 1/22",
        "Scratch that, my trip is off, so I'll be at the desk Friday after all.\n\n\
         On Mon, Jan 11, 2027 at 9:00 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > Could someone take my Friday 1/22 noon shift?",
    );
    assert_kind(&r, Kind::Withdrawn);
}

#[test]
fn a_subject_asking_whether_something_is_broken_for_others_asks_no_cover() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Tue, 12 Jan 2027 12:05:00 -0500",
        "LibChat frozen for anybody?",
        "Queue won't load on my end, refreshed twice.",
    );
    assert_ne!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    // A subject that asks for anyone free still asks.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Tue, 12 Jan 2027 12:05:00 -0500",
        "anyone free for my Thursday 1/14 10-12?",
        "Dentist moved on me.",
    );
    assert_kind(&r, Kind::CoverageRequest);
}

/// Someone else's illness (a child, a partner, a parent) told with an ask
/// for a shift on a later day, the writer saying nothing of being out
/// themselves, asks for cover: the writer is not out sick. The same illness
/// keeping the writer out today, said with the writer out or home, told
/// without an ask, or the writer's own, is a sick notice.
#[test]
fn a_family_illness_with_an_ask_for_a_later_day_is_a_request() {
    let priya = "Priya Raman <praman@example.edu>";
    let tom = "Tom Becker <tbecker@example.edu>";
    let r = read(
        priya,
        "Mon, 7 Dec 2026 20:10:00 -0500",
        "wed",
        "My daughter is sick with the flu. Could anyone take my Wednesday shift?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);
    let r = read(
        tom,
        "Mon, 7 Dec 2026 21:30:00 -0500",
        "chat",
        "partner has covid -- would somebody be able to cover tomorrow's chat for me?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 10:00-12:00"]);

    // Today: the illness keeps the writer out now.
    let r = read(
        tom,
        "Tue, 8 Dec 2026 07:05:00 -0500",
        "chat",
        "My son is sick, can someone take my chat this morning?",
    );
    assert_kind(&r, Kind::Sick);
    // A later day, but the writer says they will be home.
    let r = read(
        priya,
        "Mon, 7 Dec 2026 20:10:00 -0500",
        "wed",
        "My little one has a fever so I'll be home with her Wednesday. Can anyone take my shift?",
    );
    assert_kind(&r, Kind::Sick);
    // Told without an ask.
    let r = read(
        priya,
        "Mon, 7 Dec 2026 20:10:00 -0500",
        "wed",
        "My son has the flu and I can't do my Wednesday shift.",
    );
    assert_kind(&r, Kind::Sick);
    // The writer's own illness.
    let r = read(
        priya,
        "Mon, 7 Dec 2026 20:10:00 -0500",
        "wed",
        "I have the flu. Could anyone take my Wednesday shift?",
    );
    assert_kind(&r, Kind::Sick);
}

/// A newsletter from off the roster, relayed by the staff list (so it
/// carries the list's own List-Id), speaks of shifts and cover in its own
/// words but still ends with its subscription footer: another list's mail,
/// `other`. A colleague asking how to unsubscribe is read for what they
/// ask, and an off-roster sender without such a footer is read as usual.
#[test]
fn a_relayed_newsletter_with_its_own_footer_is_other() {
    let r = read(
        "Reference Desk Digest <digest@refdesk-digest.example.org>",
        "Tue, 8 Dec 2026 06:00:00 -0500",
        "Holiday hours: keeping every shift covered",
        "REFERENCE DESK DIGEST\n\nThis month: how one library kept all its chat shifts covered over the holidays, and Wednesday's panel at 3 PM on swapping shifts fairly.\n\nYou're receiving this email as a subscriber. Update your preferences at https://refdesk-digest.example.org/p",
    );
    assert_kind(&r, Kind::Other);
    let r = read(
        "Campus Training <training@example.org>",
        "Tue, 8 Dec 2026 06:00:00 -0500",
        "Workshop",
        "Covering the desk: a workshop Thursday 12/10, 2-3:30. Seats are limited.\n\nTo unsubscribe from these announcements, reply STOP.",
    );
    assert_kind(&r, Kind::Other);

    // A colleague on the roster may speak of unsubscribing and still ask.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "wed",
        "Can someone take my Wednesday shift? Also, how do I unsubscribe from the digest? Unsubscribe: link is broken.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    // Off the roster, no footer: read as said.
    let r = read(
        "Kate Lin <klin@example.org>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "chat",
        "Dana is covering Mei's Thursday shift this week.",
    );
    assert_ne!(r.kind, Kind::Other, "{}", explain(&r));
}

/// A reply that names who takes one part and then asks the list again for
/// the rest with a question ("... still need Thursday. Can anyone take
/// it?") is a second call for the rest, even when it names the taker
/// first; a dash or semicolon joining the two keeps the rest's day. Said
/// only as news ("still need Thursday if anyone can"), it stays a
/// confirmation of the part taken.
#[test]
fn a_part_taken_then_the_rest_asked_again_is_a_second_call() {
    let mei = "Mei Chen <mchen@example.edu>";
    let r = read(
        mei,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: my shifts this week",
        "Ben has my Tues 12/8 -- still nobody for Thu 12/10. Can anyone take it?",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-10 10:00-12:00"]);
    let r = read(
        mei,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: my shifts this week",
        "Update: Angie is taking Tuesday 12/8; I still need someone for Thursday 12/10, could somebody grab it?",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-10 10:00-12:00"]);

    let r = read(
        mei,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: my shifts this week",
        "Ben has my Tues 12/8. Still need Thu 12/10 if anyone can.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("bokafor@example.edu"));
}

/// A third party's confirmation addressed to a colleague ("Angie, Tom is
/// covering your chat shift today", "Priya: Ben will cover for you") is
/// about the shift of the person addressed, not the writer's own; "my
/// shift" keeps it the writer's.
#[test]
fn a_taker_of_your_shift_covers_the_person_addressed() {
    let courtney = "Courtney Crummett <ccrummett@example.edu>";
    let r = read(
        courtney,
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "today",
        "Angie, feel better -- Tom is covering your chat shift today.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2026-12-07 12:00-14:00"]);
    let r = read(
        courtney,
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "wednesday",
        "Priya: Ben will cover for you on Wednesday.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.on_behalf_of.as_deref(), Some("praman@example.edu"));
    assert_shifts(&r, &["2026-12-09 14:00-15:30"]);

    let r = read(
        courtney,
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "today",
        "Angie, Tom is covering my chat shift today.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.on_behalf_of, None, "{}", explain(&r));
    assert_shifts(&r, &["2026-12-07 10:00-12:00"]);
}

/// A forward whose own words name only weekdays "that week" ("could
/// someone take my Tuesday chat that week?") over a forwarded notice
/// (a summons, a registration) that names the day it begins: the weekdays
/// are that week's, not the coming one's.
#[test]
fn that_week_over_a_forwarded_notice_is_the_notice_week() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Fwd: Your registration is confirmed",
        "Off to Midwinter -- could someone take my Tuesday chat that week? Details below.\n\n---------- Forwarded message ---------\nFrom: Registration Desk <register@midwinter.example.org>\nDate: Fri, Dec 4, 2026 at 9:00 AM\nSubject: Your registration is confirmed\nTo: <tbecker@example.edu>\n\nThank you for registering. The meeting opens Monday, January 11, 2027 at 9 AM in Hall C.\n",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-12 10:00-12:00"]);
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Fwd: Appointment reminder",
        "Need two people to cover my Wed 2-3:30 that same week, sorry.\n\n---------- Forwarded message ---------\nFrom: Clinic <reminders@clinic.example.com>\nDate: Sat, Dec 5, 2026 at 6:00 AM\nSubject: Appointment reminder\n\nYour procedure is scheduled for Tuesday, December 15, 2026. Please arrive 30 minutes early.\n",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 14:00-15:30"]);
    // A forwarded calendar appointment's days are its "When:" line's, not
    // other dates its text gives (a deadline to register by).
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Fwd: Regional instruction workshop",
        "Could someone take my Thursday chat that week?\n\n-----Original Appointment-----\nFrom: Workshop Team <events@workshop.example.org>\nSent: Friday, December 4, 2026 9:00 AM\nTo: Tom Becker\nSubject: Regional instruction workshop\nWhen: Tuesday, January 12, 2027 9:00 AM-4:00 PM (UTC-05:00) Eastern Time (US & Canada).\nWhere: Hall C\n\nPlease confirm your seat by Friday, December 18, 2026.\n",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-14 12:00-14:00"]);
}

/// A reply offering part of the thread's span by how long the writer can
/// stay ("I can stay on chat until 3") or from when they can come ("I could
/// take it from 2:30 on") offers that part of the subject's span; a writer
/// busy "until 3" offers nothing.
#[test]
fn an_offer_bounded_by_until_or_from_takes_that_part_of_the_threads_span() {
    let tom = "Tom Becker <tbecker@example.edu>";
    let subject = "Re: Wed 12/9 2-3:30 cover?";
    let r = read(
        tom,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        subject,
        "I can stay on chat until 3, then I have class.",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-09 14:00-15:00"]);
    let r = read(
        tom,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        subject,
        "I could take it from 2:30 on, not earlier.",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-09 14:30-15:30"]);

    let r = read(
        tom,
        "Mon, 7 Dec 2026 09:00:00 -0500",
        subject,
        "Sorry, I'm in a meeting until 3 that day.",
    );
    assert_shifts(&r, &[]);
}

#[test]
fn a_name_ruled_out_with_not_takes_nothing_and_the_name_beside_it_covers() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Tue, 16 Feb 2027 10:00:00 -0500",
        "Fixing my last note",
        "Quick fix to my earlier note: Priya, not Ben, has my Monday 2/22 shift.\n\nAngie",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("praman@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-22 12:00-14:00"]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Tue, 16 Feb 2027 10:00:00 -0500",
        "Tuesday 2/23",
        "Sarah (not Mei) is taking my Tuesday 2/23 shift. Sorry for the mix-up.\n\nTom",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("skim@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-23 10:00-12:00"]);
}

#[test]
fn a_colleague_who_is_said_to_do_a_day_covers_it_not_the_colleague_greeted() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 10 Feb 2027 11:00:00 -0500",
        "Re: Tuesday 2/16",
        "Hi Priya,\n\nThanks for asking around. Tom said he can do 2/16, so we're good.\n\nJorge",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("tbecker@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-16 14:00-15:30"]);
}

#[test]
fn a_call_posted_on_a_colleagues_behalf_asks_for_that_colleagues_shifts() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 22 Feb 2027 09:30:00 -0500",
        "For Angie: Mon 3/1 and Wed 3/3",
        "Hello all,\n\nI'm posting this on Angie's behalf while she's away: she needs her Monday 3/1 and Wednesday 3/3 desk shifts covered. Could someone take one or both?\n\nDana",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-03-01 12:00-14:00", "2027-03-03 12:00-14:00"]);
}

#[test]
fn a_timed_offer_to_an_asker_who_posted_for_a_colleague_is_for_the_colleague() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 1 Mar 2027 10:15:00 -0500",
        "RE: Help for Ben's Wednesday 3/10",
        "Courtney,\n\nI can do 3:30-5 on Wed 3/10.\n\nSarah\n\n\
         On Mon, Mar 1, 2027 at 9:00 AM Courtney Crummett <ccrummett@example.edu> wrote:\n\
         > Ben is at a conference next week; can someone take his Wednesday 3/10 shift?",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2027-03-10 15:30-17:00"]);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("bokafor@example.edu"),
        "{}",
        explain(&r)
    );

    // Offered to the requester for their own shift, it is the requester's.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 1 Mar 2027 10:15:00 -0500",
        "RE: My Wednesday 3/10",
        "Ben,\n\nI can do 3:30-5 on Wed 3/10.\n\nSarah\n\n\
         On Mon, Mar 1, 2027 at 9:00 AM Ben Okafor <bokafor@example.edu> wrote:\n\
         > I'm at a conference next week; can someone take my Wednesday 3/10 shift?",
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("bokafor@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn the_part_a_writer_stays_for_is_not_asked() {
    // Beside the asked span, the part the writer stays for is no shift.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Tue, 9 Feb 2027 08:30:00 -0500",
        "Leaving early today",
        "I have a sick kid at home and need to leave early today. Could anybody take 3-3:30? I'll stay on until 3.\n\nJorge",
    );
    assert_shifts(&r, &["2027-02-09 15:00-15:30"]);

    // Alone, it says the rest of the shift is asked.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 8 Feb 2027 10:00:00 -0500",
        "Friday 2/12",
        "I have to leave early on Friday 2/12 for a flight. Could someone cover the end of my shift? I can stay until 1.\n\nBen",
    );
    assert_shifts(&r, &["2027-02-12 13:00-14:00"]);
}

#[test]
fn a_colleague_relaying_who_is_on_chat_for_whom_confirms_coverage() {
    // Relayed for the coordinator: "X is on the desk for Y" names both.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "for Courtney",
        "Courtney asked me to pass this on: Tom is on the desk for Angie Friday 12/11, 2-3:30.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2026-12-11 14:00-15:30"]);

    // Someone on chat for a stretch of time covers no one.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "training",
        "Tom is on chat for an hour before the training on Friday, so the queue is fine.",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn asking_the_list_to_take_her_shift_is_a_request_for_that_colleague() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Mei",
        "Mei is at a funeral this Thursday. Could somebody take her 10-12 that day?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_shifts(&r, &["2026-12-10 10:00-12:00"]);
}

#[test]
fn a_forwards_bare_weekday_is_the_forwarded_notices_day() {
    // The notice's own date on that weekday, not this week's.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 16:00:00 -0500",
        "Fwd: Reminder: dental cleaning",
        "Could someone cover my Tuesday for this?\n\n---------- Forwarded message ---------\nFrom: Bright Smiles <noreply@brightsmiles.example.com>\nSubject: Reminder: dental cleaning\n\nThis is a reminder of your cleaning on Tuesday, December 15, 2026 at 10:15 AM.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-15 10:00-12:00"]);

    // Other weekdays fall in the notice's week.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 16:00:00 -0500",
        "FW: Conference registration confirmed",
        "Going to this, so I need my Tues and Thurs that week covered please.\n\n________________________________\nFrom: Events Office <events@conf.example.org>\nSent: Monday, December 7, 2026 2:00 PM\nSubject: Conference registration confirmed\n\nYou are registered for the conference opening Monday, January 11, 2027 at 9:00 AM.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-12 15:30-17:00", "2027-01-14 14:00-15:30"]);

    // A colleague's forwarded mail is read as theirs, not so.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 16:00:00 -0500",
        "Fwd: lunch",
        "Can someone cover my Tuesday? Long story, see below.\n\n---------- Forwarded message ---------\nFrom: Mei Chen <mchen@example.edu>\nSubject: lunch\n\nLunch on Tuesday, December 15 at noon?",
    );
    assert_shifts(&r, &["2026-12-08 10:00-12:00"]);
}

#[test]
fn a_forwarded_notice_subject_saying_confirmed_confirms_no_coverage() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 16:00:00 -0500",
        "Fwd: Booking confirmed",
        "I need my Thursday 12/10 shift covered for this trip, sorry.\n\n---------- Forwarded message ---------\nFrom: Travel Desk <travel@agency.example.com>\nSubject: Booking confirmed\n\nYour flight departs Thursday, December 10 at 2:05 PM.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-10 15:30-17:00"]);
}

#[test]
fn sick_since_a_day_gone_by_is_a_sick_notice_for_the_days_named() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 07:00:00 -0500",
        "not coming in",
        "been sick since saturday. out today and wed, sorry all",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-07 12:00-14:00", "2026-12-09 12:00-14:00"]);
}

#[test]
fn the_coordinator_sitting_in_for_a_colleague_herself_covers_it() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday",
        "The list was silent, so I'm sitting in for Sarah on Thursday 12/10 myself.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("ccrummett@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("skim@example.edu"));
    assert_shifts(&r, &["2026-12-10 14:00-15:30"]);
}

#[test]
fn asking_the_list_to_take_his_days_is_a_request_for_him() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Jorge",
        "Jorge is at a conference this week. Could anyone take his Tuesday and Thursday?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_shifts(&r, &["2026-12-08 14:00-15:30", "2026-12-10 15:30-17:00"]);
}

#[test]
fn a_bare_weekday_in_a_reply_is_the_day_its_subject_writes() {
    // A second call in the reply's body, its day only as a weekday.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: need cover Tues 12/15 3:30-5",
        "one more try for tuesday, anyone at all?",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-15 15:30-17:00"]);

    // A subject of another weekday leaves the body's weekday as it is.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: need cover Thu 12/17",
        "one more try, and could someone also take my tuesday?",
    );
    assert!(
        shifts(&r).contains(&"2026-12-08 15:30-17:00".to_string()),
        "{}",
        explain(&r)
    );
}

#[test]
fn cover_in_another_sense_is_no_shift_mail() {
    // A thing's cover, a cover letter, a cost covered: nothing to cover.
    for (subject, body) in [
        (
            "Which edition has the blue cover?",
            "A student on chat Tuesday morning wanted the edition with the blue cover. Anyone know it?\n\nJorge",
        ),
        (
            "Cover art for the Friday zine night",
            "I'm printing cover art for the zine night on Friday 12/11 at 3:30; send me your sketches.\n\nMei",
        ),
        (
            "Pizza Wednesday - the Friends group is covering it",
            "The Friends of the Library are covering the cost of pizza on Wednesday 12/9, noon to 1:30, in the staff lounge. Tell me if you're vegetarian.\n\nCourtney",
        ),
    ] {
        let r = read(
            "Priya Raman <praman@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            subject,
            body,
        );
        assert_kind(&r, Kind::Other);
    }
    // A class covered for a colleague is no chat shift taken.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Slides for HIST 210?",
        "I'm covering Prof. Ames's HIST 210 research session on Wednesday at 2 while Angie is away. Does anyone have last term's slides?\n\nBen",
    );
    assert_kind(&r, Kind::Other);
    assert_eq!(r.coverer, None);
    // Still a shift's cover when the shift is named.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Wednesday 12/9",
        "Could someone cover my Wednesday 12/9 chat shift while I teach a research session?\n\nBen",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 15:30-17:00"]);
}

#[test]
fn thanks_to_a_colleague_for_something_else_names_no_coverer() {
    // The request still asks; the one thanked made a web page, not a swap.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Odds and ends",
        "The new FAQ page is live, thanks to Jorge. Also, could someone cover my Tuesday 12/15 shift? I'm at a workshop.\n\nMei",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(r.coverer, None);
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
}

#[test]
fn planning_words_are_no_offer() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Spring sheet due Friday 12/11",
        "Put your spring preferences in the sheet by Friday 12/11 and I'll work out the rota over the break.\n\nCourtney",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn an_office_announcement_marked_bulk_is_other_and_a_bulk_responder_an_auto_reply() {
    let r = read_raw(
        "From: Facilities <facilities@example.edu>\nTo: ask-chat@example.edu\nSubject: Power shutdown Thursday 12/10, 10-12\nDate: Mon, 7 Dec 2026 07:00:00 -0500\nMessage-ID: <fac-1@example.edu>\nPrecedence: bulk\nContent-Type: text/plain\n\nPower to the library's east wing will be shut off Thursday 12/10 from 10 to 12. Staff there should work elsewhere.\n",
    );
    assert_kind(&r, Kind::Other);
    let r = read_raw(
        "From: Tom Becker <tbecker@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Friday\nDate: Mon, 7 Dec 2026 07:00:00 -0500\nMessage-ID: <vac-1@example.edu>\nIn-Reply-To: <ask-1@example.edu>\nPrecedence: bulk\nContent-Type: text/plain\n\nI'm away until Monday 12/14 with no email.\n",
    );
    assert_kind(&r, Kind::AutoReply);
}

#[test]
fn a_newsletter_whose_unsubscribe_link_names_the_list_as_subscriber_is_not_the_list() {
    let r = read_raw(
        "From: Library Tech News <news@libtech.example.com>\nTo: ask-chat@example.edu\nSubject: Five tips for covering chat on Fridays\nDate: Mon, 7 Dec 2026 07:00:00 -0500\nMessage-ID: <ltn-1@libtech.example.com>\nList-Unsubscribe: <https://libtech.example.com/unsub?email=ask-chat@example.edu>\nPrecedence: bulk\nContent-Type: text/plain\n\nNeed someone to cover Friday afternoons? Here is how other libraries do it.\n",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn an_outlook_recall_notice_takes_nothing_back_and_asks_nothing() {
    let r = read_raw(
        "From: \"Raman, Priya\" <praman@example.edu>\nTo: ask-chat@example.edu\nSubject: Recall: Can anyone cover Wed 12/9 2-3:30?\nDate: Mon, 7 Dec 2026 07:00:00 -0500\nMessage-ID: <rc-1@example.edu>\nContent-Type: text/plain\n\nRaman, Priya would like to recall the message, \"Can anyone cover Wed 12/9 2-3:30?\".\n",
    );
    assert_kind(&r, Kind::Other);
    assert_eq!(r.shifts.len(), 0);
}

#[test]
fn a_request_put_to_one_colleague_on_the_list_is_a_request() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Tom?",
        "Tom, any chance you could take my Tuesday 12/15 shift? My dentist moved me.\n\nMei",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
}

#[test]
fn an_illness_that_got_the_writer_is_a_sick_notice() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Tue, 8 Dec 2026 07:00:00 -0500",
        "today",
        "This cold finally knocked me flat. My 2-3:30 today is up for grabs if someone can take it.\n\nJorge",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-08 14:00-15:30"]);
}

#[test]
fn the_coordinator_saying_who_will_do_whose_shift_is_covered() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday 12/10",
        "Done: Dana will do Sarah's 2-3:30 on Thursday. Thanks, Dana!\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("dwhitfield@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("skim@example.edu"));
    assert_shifts(&r, &["2026-12-10 14:00-15:30"]);
}

#[test]
fn asking_someone_to_take_a_shift_over_for_good_is_a_schedule_change() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 4 Jan 2027 09:00:00 -0500",
        "My Thursday noon slot",
        "My new committee meets Thursdays at noon. Would someone be willing to take my Thursday 12-2 chat shift permanently, from February on?\n\nTom",
    );
    assert_kind(&r, Kind::ScheduleChange);
    assert_eq!(r.shifts.len(), 0);
    // One week's cover is still a request.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 4 Jan 2027 09:00:00 -0500",
        "Thursday 1/7",
        "Would someone be willing to take my Thursday 1/7 chat shift? I'm at a committee retreat.\n\nTom",
    );
    assert_kind(&r, Kind::CoverageRequest);
}

#[test]
fn accepting_a_quoted_offer_names_the_one_who_offered_as_coverer() {
    // The attribution names the offerer.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 9 Dec 2026 16:00:00 -0500",
        "Re: Thu 12/17 3:30-5?",
        "Wonderful, it's yours. Thanks so much!\n\nJorge\n\nOn Wed, Dec 9, 2026 at 3:10 PM Angie Lopez <alopez@example.edu> wrote:\n> I can do that one.\n>\n> Angie\n",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2026-12-17 15:30-17:00"]);
    // The list stands in the attribution; the offer is signed.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 9 Dec 2026 16:00:00 -0500",
        "Re: Thu 12/17 3:30-5?",
        "Wonderful, it's yours. Thanks so much!\n\nJorge\n\nOn Wed, Dec 9, 2026 at 3:10 PM ask-chat@example.edu wrote:\n> Happy to take it if nobody else has.\n>\n> --\n> Priya Raman\n> Liaison to Engineering\n",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("praman@example.edu"));
    assert!(!r.unsure(), "{}", explain(&r));
}

#[test]
fn thanks_under_a_subject_naming_someone_elses_shift_arranges_nothing() {
    let r = read_raw(
        "From: Sarah Kim <skim@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Cover for Angie's Wed 12/16\nDate: Mon, 14 Dec 2026 10:00:00 -0500\nMessage-ID: <ty-1@example.edu>\nIn-Reply-To: <cf-1@example.edu>\nContent-Type: text/plain\n\nPerfect, thank you Courtney!\n\nSarah\n",
    );
    assert_kind(&r, Kind::Other);
    // The one whose shift it is still accepts by thanking.
    let r = read_raw(
        "From: Angie Lopez <alopez@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Cover for Angie's Wed 12/16\nDate: Mon, 14 Dec 2026 10:00:00 -0500\nMessage-ID: <ty-2@example.edu>\nIn-Reply-To: <of-2@example.edu>\nContent-Type: text/plain\n\nPerfect, thank you Sarah!\n\nAngie\n",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));
}

#[test]
fn out_of_office_subjects_in_other_languages_are_automatic_replies() {
    for subject in [
        "Abwesend: Re: Dienstplan",
        "Automatische Antwort: Re: Chat",
        "Respuesta automática: Re: horario",
        "Fuera de la oficina: Re: turnos",
        "Risposta automatica: Re: turni",
    ] {
        let r = read_raw(&format!(
            "From: Jorge Alvarez <jalvarez@example.edu>\nTo: ask-chat@example.edu\nSubject: {subject}\nDate: Mon, 14 Dec 2026 10:00:00 -0500\nMessage-ID: <oo-{}@example.edu>\nIn-Reply-To: <x@example.edu>\nContent-Type: text/plain; charset=utf-8\n\nHasta el 4 de enero. Martes 2-3:30 cubierto.\n",
            subject.len()
        ));
        assert_kind(&r, Kind::AutoReply);
    }
}

#[test]
fn a_plain_text_read_receipt_is_an_automatic_reply() {
    let r = read_raw(
        "From: Ben Okafor <bokafor@example.edu>\nTo: ask-chat@example.edu\nSubject: Read: Anyone for my Friday 12/11 noon shift?\nDate: Tue, 8 Dec 2026 10:00:00 -0500\nMessage-ID: <rr-1@example.edu>\nContent-Type: text/plain\n\nYour message\n\n  To: ask-chat@example.edu\n  Subject: Anyone for my Friday 12/11 noon shift?\n\nwas read on Tuesday, December 8, 2026 9:59 AM.\n",
    );
    assert_kind(&r, Kind::AutoReply);
}

#[test]
fn a_time_offered_for_a_meeting_is_no_offer_to_cover() {
    let r = read_raw(
        "From: Mei Chen <mchen@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Planning the spring schedule\nDate: Tue, 8 Dec 2026 10:00:00 -0500\nMessage-ID: <mt-1@example.edu>\nIn-Reply-To: <mt-0@example.edu>\nContent-Type: text/plain\n\nI can do Wednesday at 3 for the planning call, or any time Friday.\n\nMei\n",
    );
    assert_kind(&r, Kind::Other);
    // An offer to cover still offers.
    let r = read_raw(
        "From: Mei Chen <mchen@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Wed 12/9 2-3:30?\nDate: Tue, 8 Dec 2026 10:00:00 -0500\nMessage-ID: <mt-2@example.edu>\nIn-Reply-To: <mt-3@example.edu>\nContent-Type: text/plain\n\nI can do Wednesday at 2 for you.\n\nMei\n",
    );
    assert_kind(&r, Kind::Offer);
    // A meeting after the offered part is the writer's reason, not the offer.
    let r = read_raw(
        "From: Mei Chen <mchen@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Wed 12/9 2-3:30?\nDate: Tue, 8 Dec 2026 10:00:00 -0500\nMessage-ID: <mt-4@example.edu>\nIn-Reply-To: <mt-3@example.edu>\nContent-Type: text/plain\n\nI can do 2-2:45, but I have to run to a department meeting after that.\n\nMei\n",
    );
    assert_kind(&r, Kind::Offer);
}

#[test]
fn a_table_at_an_event_covered_is_no_chat_shift() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Tue, 8 Dec 2026 10:00:00 -0500",
        "Open house",
        "Could anyone cover the library booth at the grad open house? I'll bring the brochures.\n\nDana",
    );
    assert_ne!(r.kind, Kind::CoverageRequest, "{}", explain(&r));
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn a_yes_to_an_event_thread_is_no_offer_to_cover() {
    let r = read_raw(
        "From: Tom Becker <tbecker@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Potluck Friday 12/11\nDate: Tue, 8 Dec 2026 10:00:00 -0500\nMessage-ID: <pl-1@example.edu>\nIn-Reply-To: <pl-0@example.edu>\nContent-Type: text/plain\n\nCount me in! I'll bring soup.\n\nTom\n",
    );
    assert_kind(&r, Kind::Other);
    // The same words under a call for cover still offer.
    let r = read_raw(
        "From: Tom Becker <tbecker@example.edu>\nTo: ask-chat@example.edu\nSubject: Re: Fri 12/11 noon shift - anyone?\nDate: Tue, 8 Dec 2026 10:00:00 -0500\nMessage-ID: <pl-2@example.edu>\nIn-Reply-To: <pl-3@example.edu>\nContent-Type: text/plain\n\nCount me in!\n\nTom\n",
    );
    assert_kind(&r, Kind::Offer);
}

#[test]
fn a_holiday_week_places_the_weekdays_said_that_week() {
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "holidays",
        "Visiting family over Christmas week. Can anyone grab my Monday and Wednesday that week?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-21 14:00-15:30", "2026-12-23 15:30-17:00"]);
}

#[test]
fn a_body_stating_its_own_times_takes_only_the_day_from_the_subject() {
    // A confirmation of a part, the rest still asked, under the thread's
    // subject: the part taken, not the subject's whole span.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 3 Feb 2027 10:00:00 -0500",
        "Re: Tue 2/9 2-3:30",
        "Mei will take 2-3, but I still need someone for 3-3:30.\n\nJorge",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-09 14:00-15:00"]);

    // A request whose body asks for part of the span its subject names.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 3 Feb 2027 10:00:00 -0500",
        "Chat shift Tue 2/9 (2-3:30)",
        "Could someone cover 3-3:30? I have to leave for a site visit.\n\nJorge",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-02-09 15:00-15:30"]);

    // A body with no times of its own keeps the subject's.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 3 Feb 2027 10:00:00 -0500",
        "Chat shift Tue 2/9 (2-3:30)",
        "Could someone cover for me? I have a site visit.\n\nJorge",
    );
    assert_shifts(&r, &["2027-02-09 14:00-15:30"]);
}

#[test]
fn a_colleague_taking_your_shift_in_a_note_to_you_is_covering_yours() {
    // The coordinator tells Sarah who has her shift: Sarah's, not the
    // coordinator's, and the one who only offered takes nothing.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 15 Feb 2027 09:00:00 -0500",
        "Re: Thursday 2/18",
        "Sarah, Tom offered too, but Angie got back to me first, so Angie has your Thursday 2/18 shift.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("skim@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-18 14:00-15:30"]);

    // The requester's "You've got it" to the volunteer accepts them.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 15 Feb 2027 09:00:00 -0500",
        "Re: Thursday 2/18",
        "Angie - you've got it.\n\nSarah",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-18 14:00-15:30"]);
}

#[test]
fn a_reply_asking_again_for_one_day_and_settling_another_is_a_second_call() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Fri, 11 Dec 2026 09:00:00 -0500",
        "Re: Tue 12/15 and Thu 12/17",
        "anybody for tues? thurs is sorted, thanks Mei",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-15 10:00-12:00"]);

    // The settled day alone is a confirmation.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Fri, 11 Dec 2026 09:00:00 -0500",
        "Re: Tue 12/15 and Thu 12/17",
        "thurs is sorted, thanks Mei",
    );
    assert_kind(&r, Kind::Covered);
}

/// A reply as a mail client writes it: the writer's words over the quoted
/// thread (already quoted as the client quotes it).
fn reply(from: &str, date: &str, subject: &str, body: &str) -> Reading {
    read_raw(&format!(
        "From: {from}\nTo: ask-chat@example.edu\nSubject: {subject}\nDate: {date}\nMessage-ID: <{}@example.edu>\nIn-Reply-To: <thread-{}@example.edu>\nContent-Type: text/plain; charset=utf-8\n\n{body}\n",
        crate::compose::short_hash(&format!("{from}{date}{subject}{body}")),
        crate::compose::short_hash(subject),
    ))
}

#[test]
fn the_coverer_saying_they_are_on_for_a_colleagues_day_covers_it() {
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 1 Feb 2027 09:00:00 -0500",
        "Re: Fri 2/5 noon chat",
        "All good, I'm down for Ben's Friday. See you on chat.\n\nTom",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("tbecker@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("bokafor@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-05 12:00-14:00"]);
}

#[test]
fn a_requester_narrowing_their_call_to_a_part_asks_for_that_part() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 1 Feb 2027 09:00:00 -0500",
        "Re: Thu 2/11 2-3:30?",
        "Update: my meeting ends early, so I only need 2:30 to 3:30 now.\n\nSarah",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-02-11 14:30-15:30"]);
}

#[test]
fn a_partial_offer_leaves_out_the_span_it_leaves_to_someone_else() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Tue, 2 Feb 2027 09:00:00 -0500",
        "Re: Fri 2/12 2-3:30 chat",
        "I could do 2-3, as long as someone else picks up 3-3:30.\n\nMei",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2027-02-12 14:00-15:00"]);
}

#[test]
fn a_recap_of_arranged_swaps_asks_nothing() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 1 Feb 2027 08:00:00 -0500",
        "Chat cover recap for the week of 2/1",
        "Hi all,\n\nFor the record, here is who is on where this week:\n\n- Tue 2/2, 10-12: Dana for Tom\n- Thu 2/4, 2-3:30: me for Sarah\n\nCourtney",
    );
    assert_kind(&r, Kind::Other);
    assert_shifts(&r, &[]);
}

#[test]
fn a_process_reminder_quoting_sample_mail_asks_and_confirms_nothing() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 1 Feb 2027 08:00:00 -0500",
        "How we post for coverage",
        "Hi all,\n\nWhen you need someone to take a shift, write the day and the hours, e.g. \"Could someone take my Wed 2/10 12-2?\". Once it's settled, reply with the name, for example \"Priya is taking my Wednesday\".\n\nThanks,\nCourtney",
    );
    assert_kind(&r, Kind::Other);
    assert_eq!(r.coverer, None, "{}", explain(&r));
}

#[test]
fn the_coordinator_giving_a_colleagues_shift_to_someone_names_the_coverer() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 1 Feb 2027 10:00:00 -0500",
        "Wed 2/10 morning",
        "Dana has jury duty on Wednesday 2/10, so I've given her 10-12 slot to Priya. It's on the calendar.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("praman@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-10 10:00-12:00"]);
}

#[test]
fn a_relay_by_pronoun_names_the_colleague_it_stands_for() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 1 Feb 2027 10:00:00 -0500",
        "Re: Tue 2/9 noon?",
        "Relaying for Ben, his mail is down: he's got Mei's Tuesday.\n\nAngie",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("bokafor@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-09 12:00-14:00"]);
}

#[test]
fn the_writer_covering_it_themselves_said_to_the_answered_writer_is_their_shift() {
    let r = reply(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 2 Feb 2027 11:00:00 -0500",
        "Re: Thu 2/11 late chat",
        "Not to worry Jorge, I'll staff it myself. I've put myself on the calendar.\n\nCourtney\n\nOn Mon, Feb 1, 2027 at 9:00 AM Jorge Alvarez <jalvarez@example.edu> wrote:\n> Could someone take my Thursday 2/11 3:30-5?\n> Jorge",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("ccrummett@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-11 15:30-17:00"]);
}

#[test]
fn a_volunteer_backing_out_in_someone_elses_thread_is_other() {
    let thread = "On Tue, Feb 2, 2027 at 1:00 PM Angie Lopez <alopez@example.edu> wrote:\n> Thanks Ben!\n>\n> On Tue, Feb 2, 2027 at 12:30 PM Ben Okafor <bokafor@example.edu> wrote:\n>> Sure, I'll take it.\n>>\n>> On Tue, Feb 2, 2027 at 9:00 AM Angie Lopez <alopez@example.edu> wrote:\n>>> Could someone cover my Friday 2/12 2-3:30?";
    let r = reply(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 8 Feb 2027 09:00:00 -0500",
        "Re: Fri 2/12 2-3:30",
        &format!(
            "Angie, really sorry, I need to back out of Friday, a family thing came up. Hopefully someone else can take it.\n\nBen\n\n{thread}"
        ),
    );
    assert_kind(&r, Kind::Other);

    // The requester backing out of her own shift in her own thread still asks.
    let r = reply(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 8 Feb 2027 09:00:00 -0500",
        "Re: Fri 2/12 2-3:30",
        "Ben, no worries at all. I'm backing out of my Friday too now, so could someone else take it?\n\nAngie\n\nOn Mon, Feb 8, 2027 at 8:00 AM Ben Okafor <bokafor@example.edu> wrote:\n> Sorry, I can't do it after all.\n>\n> On Tue, Feb 2, 2027 at 9:00 AM Angie Lopez <alopez@example.edu> wrote:\n>> Could someone cover my Friday 2/12 2-3:30?",
    );
    assert_ne!(r.kind, Kind::Other, "{}", explain(&r));
}

#[test]
fn a_third_party_closing_a_thread_under_the_coverers_offer_is_the_callers_shift() {
    // The writer (who works Monday mornings) names the volunteer; the
    // shift is the caller's, below the offer, not the writer's own.
    let r = reply(
        "Courtney Crummett <ccrummett@example.edu>",
        "Wed, 17 Feb 2027 16:00:00 -0500",
        "Re: Mon 2/22 late chat",
        "Tom has it. Thanks, all.\n\nCourtney\n\nOn Wed, Feb 17, 2027 at 2:00 PM Tom Becker <tbecker@example.edu> wrote:\n> I can do that one.\n>\n> On Wed, Feb 17, 2027 at 9:00 AM Priya Raman <praman@example.edu> wrote:\n>> Can someone cover my Monday 2/22 3:30-5?",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("tbecker@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("praman@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-22 15:30-17:00"]);
}

#[test]
fn the_coordinator_putting_the_person_addressed_on_a_colleagues_shift_names_the_coverer() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 8 Feb 2027 09:00:00 -0500",
        "Fri 2/19 afternoon",
        "Hi Jorge - Angie is at a conference on Friday 2/19, so I have scheduled you for her 2-3:30 slot. Thanks!\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-19 14:00-15:30"]);

    // Put on a list, not a shift: nobody covers.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 8 Feb 2027 09:00:00 -0500",
        "Training Fri 2/19",
        "Mei, I've put you on the training list for Friday 2/19.\n\nCourtney",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));

    // The one thanked is put on the shift; the shift's owner, spoken to
    // after, is only told they are free: the owner is no coverer.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 8 Feb 2027 09:00:00 -0500",
        "Re: Fri 2/19 afternoon",
        "Many thanks, Jorge! I've booked you for Angie's Friday 2/19 slot. Angie, you're good to go.\n\nCourtney",
    );
    assert_eq!(
        r.coverer.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn a_requester_correcting_the_hours_of_their_own_call_asks_for_the_new_hours() {
    let r = reply(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 8 Feb 2027 10:00:00 -0500",
        "Re: Tue 2/16 morning",
        "Sorry - 11-12, not 10-11!\n\nTom\n\nOn Mon, Feb 8, 2027 at 9:00 AM Tom Becker <tbecker@example.edu> wrote:\n> Could someone take 10-11 of my Tuesday 2/16 shift?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-02-16 11:00-12:00"]);
}

#[test]
fn a_colleague_named_by_title_and_last_name_is_that_colleague() {
    // A confirmation naming both people by title: the coverer and whose
    // shift it is are found as by their first names.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Tuesday 12/15",
        "Colleagues, Ms. Whitfield will take Dr. Chen's Tuesday 12/15 shift.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
    assert_eq!(
        r.coverer.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );

    // A call posted for a colleague named by title is for their shift.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "chat cover",
        "Prof. Becker is away at a conference: could anyone cover his Thursday 12/17 shift?\n\nCourtney",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-17 12:00-14:00"]);

    // A title before a name nobody on the roster has names no one.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "visit",
        "Dr. Morales from Biology will visit the chat team on Friday to talk about their new course.\n\nCourtney",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_named_colleague_agreed_to_staff_a_shift_covers_it() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday",
        "Good news: Jorge has agreed to staff Sarah's Thursday 12/10 shift.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2026-12-10 14:00-15:30"]);
    assert_eq!(
        r.coverer.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn the_writer_telling_the_list_they_are_ill_is_sick() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Tue, 8 Dec 2026 08:00:00 -0500",
        "today",
        "Just writing to let you all know that I'm feeling sick and won't be in today.\n\nJorge",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2026-12-08 14:00-15:30"]);
}

#[test]
fn a_compound_sign_off_ends_the_message_before_its_signature() {
    // The signature's office hours under "With thanks and kind regards,"
    // are no shift of the message.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Friday",
        "Could someone take my Friday 12/11 shift?\n\nWith thanks and kind regards,\nDana\n\nDana Whitfield\nAccess Services | Office hours: Wed 1-3 pm",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);
}

#[test]
fn an_ask_wrapped_over_two_lines_is_still_an_ask() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Wednesday",
        "Hello all, I would be extremely\ngrateful if someone could take my Wednesday 12/9 shift.\n\nAngie",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);
}

#[test]
fn a_call_repeated_because_no_one_has_replied_is_a_second_call() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: chat Tuesday 12/15",
        "Writing once more, as to date no one has replied to my request for Tuesday 12/15.\n\nMei",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
}

#[test]
fn a_second_call_in_a_reply_that_names_no_day_asks_again_for_the_quoted_call() {
    // Neither the words nor the subject name a day: the quoted call does.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Wed, 2 Dec 2026 09:00:00 -0500",
        "Re: a favour",
        "Nobody yet, so I'm still looking for someone for this!\n\nTom\n\nOn Mon, Nov 30, 2026 at 9:00 AM Tom Becker <tbecker@example.edu> wrote:\n> Hi all, could anyone take my Thursday 12/10 shift? I'm at a workshop.\n> Tom",
    );
    assert_kind(&r, Kind::SecondCall);
    assert_shifts(&r, &["2026-12-10 12:00-14:00"]);
}

#[test]
fn a_reply_that_claims_the_shift_and_carries_an_invite_is_a_confirmation() {
    // A text/calendar part in a reply to a call is the coverer's invite,
    // not a meeting: the words decide ("that one's mine").
    let (config, schedule) = corpus();
    let raw = "From: Sarah Kim <skim@example.edu>\r\nTo: ask-chat@example.edu\r\nSubject: Re: anyone free?\r\nDate: Tue, 1 Dec 2026 09:00:00 -0500\r\nMessage-ID: <invite-reply@example.edu>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThat one's mine, Dana. Invite attached.\r\n\r\nSarah\r\n\r\nOn Mon, Nov 30, 2026 at 9:00 AM Dana Whitfield <dwhitfield@example.edu> wrote:\r\n> Could someone take my Friday 12/11 shift? I have a funeral to attend.\r\n--b\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:20261211T150000Z\r\nDTEND:20261211T170000Z\r\nSUMMARY:Chat (Sarah for Dana)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--b--\r\n";
    let r = read_message(
        raw.as_bytes(),
        &ReadContext {
            config: &config,
            schedule: &schedule,
        },
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("skim@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);
}

#[test]
fn a_question_about_the_swap_rules_asks_for_no_shift() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "swaps",
        "Hi Courtney, when two of us switch days, should we tell you first, or just fix the calendar?\n\nMei",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_formal_offer_to_assist_is_an_offer() {
    // Without a clock time the offer states no span.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Friday 12/11",
        "Dear Dana, I should be pleased to help with Friday, if that is still open.\n\nBest wishes to all,\nTom\n\nTom Becker\nOffice hours: Thursdays 10:00-12:00",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &[]);
}

#[test]
fn an_ask_for_help_with_a_list_of_shifts_is_a_request() {
    // The part the writer keeps, in brackets beside a stated span, leaves
    // the span asked.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "next week",
        "I'm away most of next week and would be thankful for any help with:\n\n- Mon 12/14, full shift\n- Wed 12/16, 4:00 to 5:00 only (I can do the first half hour)\n\nBen",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-14 14:00-15:30", "2026-12-16 16:00-17:00"]);
}

#[test]
fn other_duties_handed_to_a_colleague_name_no_coverer() {
    // Classes covered by a colleague are not the shift asked for.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "away next week",
        "I'm at a workshop next week; my instruction classes will be covered by Angie. Could someone take my Thursday 12/17 chat shift?\n\nSarah",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-17 14:00-15:30"]);
    assert_eq!(r.coverer, None, "{}", explain(&r));
}

#[test]
fn the_writer_saying_they_shall_be_covering_a_colleague_covers() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Priya out Monday 12/14",
        "All, I shall be covering Priya's Monday 12/14 shift.\n\nDana",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2026-12-14 15:30-17:00"]);
    assert_eq!(
        r.coverer.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn a_shift_said_to_be_seen_to_already_is_not_asked() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "two shifts",
        "My Monday 12/14 shift is already taken care of, but could someone take my Wednesday 12/16 shift?\n\nAngie",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 12:00-14:00"]);

    // Said across a wrapped line, with an aside inside.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "chat",
        "The Monday 12/14 slot is, Courtney tells me, already\nspoken for by the holiday schedule. Could anyone take my Wednesday 12/16 shift?\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 14:00-15:30"]);
}

#[test]
fn the_shift_of_a_named_colleague_taken_by_the_writer_is_covered() {
    // English shaped by Spanish or Portuguese ("hacer el turno de").
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Thursday 12/10",
        "Hello, I do the shift of Sarah on Thursday 12/10, we agreed it already.\n\nJorge",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2026-12-10 14:00-15:30"]);
    assert_eq!(
        r.coverer.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("skim@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn a_coverer_named_by_first_initial_and_last_name_is_that_person() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wed 12/9",
        "Update: T. Becker will be covering my Wednesday 12/9 shift. Thanks!",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);

    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Wednesday",
        "S Kim has my Wed 12/9, thank you Sarah",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("skim@example.edu"));

    // An initial that is not the roster person's first: someone else.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Chat widget",
        "R. Becker from IT will be fixing the chat widget on Wednesday 12/9.",
    );
    assert_ne!(
        r.coverer.as_deref(),
        Some("tbecker@example.edu"),
        "{}",
        explain(&r)
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn a_name_spoken_to_before_a_bare_covering_leaves_the_writer_covering() {
    // The addressee's Friday, taken by the writer with no "I".
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: anyone for fri?",
        "got u Ben, covering fri",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
    assert_shifts(&r, &["2026-12-11 12:00-14:00"]);

    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday",
        "No worries Angie, covering your Wednesday 12/9 for you.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("dwhitfield@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));

    // Someone else named with their verb after the one spoken to covers.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: anyone for fri?",
        "I got you Ben, Mei is covering Friday.",
    );
    assert_eq!(
        r.coverer.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn a_reply_opening_on_it_takes_the_shift_answered() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 9 Dec 2026 08:10:00 -0500",
        "Re: sick today",
        "on it angie, ill do it for you. feel better\n\nOn Wed, Dec 9, 2026 at 7:30 AM Angie Lopez <alopez@example.edu> wrote:\n> Sick today, can someone take my noon chat?",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);

    // Asking who is on it takes nothing.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Wed, 9 Dec 2026 08:10:00 -0500",
        "Re: sick today",
        "Is anyone on it yet?\n\nOn Wed, Dec 9, 2026 at 7:30 AM Angie Lopez <alopez@example.edu> wrote:\n> Sick today, can someone take my noon chat?",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn picking_up_a_thing_named_beside_it_offers_no_cover() {
    for body in [
        "The framed group photo is ready at the print shop. I can pick it up on Tuesday.",
        "My parcel went to the front desk by mistake - I'll grab it Friday morning.",
    ] {
        let r = read(
            "Mei Chen <mchen@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "Front desk",
            body,
        );
        assert_kind(&r, Kind::Other);
    }
    // The same words after a shift is named offer it.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Friday",
        "Saw Angie's Friday shift is still open. I can pick it up.",
    );
    assert_kind(&r, Kind::Offer);
}

#[test]
fn a_relative_day_in_a_relayed_covers_reason_is_not_a_shift() {
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 10:00:00 -0500",
        "Passing along",
        "Jorge asked me to post this since his laptop died this morning: he is covering Angie's Wednesday 12/9 chat shift.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);

    // A reason of absence names the shift's day.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Wed, 9 Dec 2026 08:00:00 -0500",
        "chat today",
        "Mei is covering for me because I'm sick today.",
    );
    assert_kind(&r, Kind::Covered);
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);
}

#[test]
fn weekdays_said_beside_a_range_are_only_those_days_of_it() {
    // Angie works Monday and Wednesday 12-2 and Friday 2-3:30.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 1 Mar 2027 09:00:00 -0500",
        "conference week",
        "Could someone cover my Wednesday and Friday while I'm at the conference (3/22-3/26)?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-03-24 12:00-14:00", "2027-03-26 14:00-15:30"]);

    // A range alone is every day of it.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 1 Mar 2027 09:00:00 -0500",
        "conference week",
        "Could someone cover my shifts while I'm at the conference (3/22-3/26)?",
    );
    assert_shifts(
        &r,
        &[
            "2027-03-22 12:00-14:00",
            "2027-03-24 12:00-14:00",
            "2027-03-26 14:00-15:30",
        ],
    );
}

#[test]
fn an_out_of_office_text_without_headers_naming_a_stand_in_is_an_auto_reply() {
    for body in [
        "Thank you for your email. I am currently away on a training course and will respond when I return on 1/4. Mei is covering my Monday chat.",
        "Hello, I'm out of the office until Tuesday 12/15. I'll get back to you when I'm back. For the chat desk, Dana has my shifts.",
    ] {
        let r = read(
            "Priya Raman <praman@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "Re: chat schedule",
            body,
        );
        assert_kind(&r, Kind::AutoReply);
    }
    // A person telling the list when they will answer is no responder.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: chat schedule",
        "Dana is covering my Wednesday 12/9. I'll look at the schedule question properly once I'm back at my desk.",
    );
    assert_kind(&r, Kind::Covered);
}

#[test]
fn a_process_reminder_with_an_example_and_a_fallback_asks_and_offers_nothing() {
    for body in [
        "A reminder of how we do this: post the day and hours you need, e.g. \"Could anyone take Thu 12/17 10-12?\". If no one picks it up in two days I will step in and cover it myself.",
        "Just so everyone knows the drill: ask on the list with the day and time (for example: Fri 12/18 2-3:30). If nobody has taken it after 48 hours, I'll step in and cover it.",
    ] {
        let r = read(
            "Courtney Crummett <ccrummett@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "Reminder: coverage process",
            body,
        );
        assert_kind(&r, Kind::Other);
        assert!(!r.unsure(), "{}", explain(&r));
    }
    // An ask that goes on with an example of who might take it still asks.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Wed 12/9",
        "Could someone cover my Wednesday 12/9 shift (for example Mei, if you're free)?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);
}

#[test]
fn a_colleague_home_with_an_illness_told_by_pronoun_is_their_sick_notice() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Tue, 9 Feb 2027 08:00:00 -0500",
        "Jorge this afternoon",
        "Jorge called - he's home with the flu and can't do his 2-3:30 this afternoon. Could someone jump in?\n\nMei",
    );
    assert_kind(&r, Kind::Sick);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-09 14:00-15:30"]);
}

#[test]
fn a_takers_see_you_on_chat_under_a_call_covers_it() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:30:00 -0500",
        "Re: Need cover Tue 1/19",
        "sure thing - see you at the desk tues 1/19! Dana\n\nOn Mon, Jan 11, 2027 at 8:00 AM Jorge Alvarez <jalvarez@example.edu> wrote:\n> Can anyone take my Tuesday 1/19 shift? I have jury duty.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("dwhitfield@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("jalvarez@example.edu"));
    assert_shifts(&r, &["2027-01-19 14:00-15:30"]);

    // Meeting someone elsewhere takes nothing.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:30:00 -0500",
        "Re: Need cover Tue 1/19",
        "Sorry, can't that day. See you at the staff meeting Tuesday!\n\nOn Mon, Jan 11, 2027 at 8:00 AM Jorge Alvarez <jalvarez@example.edu> wrote:\n> Can anyone take my Tuesday 1/19 shift? I have jury duty.",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn the_stretch_a_writer_is_away_is_not_what_a_confirmation_covers() {
    // A person's note, with no responder's words: the day named with the
    // stand-in is covered, not every day of the absence.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Wed, 9 Dec 2026 09:00:00 -0500",
        "out",
        "I'll be out through Friday; Tom has my Wednesday 12/9.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);
}

#[test]
fn a_message_said_wholly_in_its_subject_is_read_from_the_subject() {
    // Dana: Wed 10:00-12:00, Fri 10:00-12:00.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 1 Feb 2027 08:10:00 -0500",
        "out sick wed and fri this wk",
        "covid",
    );
    assert_kind(&r, Kind::Sick);
    assert_shifts(&r, &["2027-02-03 10:00-12:00", "2027-02-05 10:00-12:00"]);
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 1 Feb 2027 08:10:00 -0500",
        "no longer need cover fri 2/5",
        "thanks",
    );
    assert_kind(&r, Kind::Withdrawn);
    assert_shifts(&r, &[]);
    // A reply's subject is the thread's, and a body with words of its own
    // is read as it is.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 1 Feb 2027 08:10:00 -0500",
        "Re: can someone cover my tues 2/9 shift",
        "ok",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn autocorrect_slips_for_cover_and_shift_are_read_as_meant() {
    // Jorge: Tue 14:00-15:30, Thu 15:30-17:00.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Sun, 7 Feb 2027 22:40:00 -0500",
        "tues",
        "could somebody clover my shirt on tues im stuck at a lab",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-02-09 14:00-15:30"]);
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Sun, 7 Feb 2027 22:40:00 -0500",
        "Re: Mon 2/8 coverage",
        "yea i can clover it no prob",
    );
    assert_kind(&r, Kind::Offer);
}

#[test]
fn a_volunteer_declining_the_price_of_a_swap_still_offers() {
    // Angie: Mon 12:00-14:00; Tom offers on her priced call.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Tue, 2 Feb 2027 09:00:00 -0500",
        "Re: $15 to whoever takes Mon 2/8 12-2",
        "Angie, I can do Monday the 8th 12-2. No need for the cash, happy to help.",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2027-02-08 12:00-14:00"]);
    // The requester's own "no need" still takes the call back.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Wed, 3 Feb 2027 09:00:00 -0500",
        "Re: $15 to whoever takes Mon 2/8 12-2",
        "No need now, my appointment moved so I can work it myself.",
    );
    assert_kind(&r, Kind::Withdrawn);
}

#[test]
fn covered_then_a_dash_or_colon_and_a_name_names_the_coverer() {
    // Angie: Wed 12:00-14:00.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 1 Feb 2027 11:00:00 -0500",
        "Re: anyone for Wed 2/3 12-2?",
        "Covered: Mei. thanks!",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-03 12:00-14:00"]);
}

#[test]
fn a_relay_for_someone_out_today_confirms_the_written_day_not_today() {
    // Mei: Thu 10:00-12:00; Jorge relays for Courtney.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 1 Feb 2027 11:00:00 -0500",
        "Re: Thu 2/11 morning",
        "Sending this on for Courtney because she is off today: Dana has Mei's Thursday 2/11 shift.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-02-11 10:00-12:00"]);
}

#[test]
fn a_request_beside_the_stretch_the_writer_is_away_asks_only_the_day_it_names() {
    // Ben: Mon 14:00-15:30, Wed 15:30-17:00, Fri 12:00-14:00.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 14 Dec 2026 10:00:00 -0500",
        "Christmas week",
        "Visiting family and I won't be back till Tuesday the 29th. Can somebody take my Wednesday 12/23?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-23 15:30-17:00"]);
    // With no day of its own, the stretch away is what is asked ("until"
    // leaves out the day the writer is back).
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 14 Dec 2026 10:00:00 -0500",
        "Away",
        "I'm away until Wednesday 12/16, could someone take my shifts?",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-14 14:00-15:30"]);
}

#[test]
fn that_day_over_a_forwarded_notice_is_the_notices_day() {
    // Tom: Tue 10:00-12:00, Thu 12:00-14:00.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 1 Feb 2027 09:00:00 -0500",
        "Fwd: Appointment reminder",
        "Could anyone take my chat that day? Sorry!\n\n---------- Forwarded message ---------\nFrom: Lakeside Dental <reminders@lakeside.example.com>\nDate: Mon, Feb 1, 2027 at 7:00 AM\nSubject: Appointment reminder\nTo: tbecker@example.edu\n\nThis is a reminder of your cleaning on Thursday, February 11, 2027 at 12:30 PM with Dr. Hale.\n",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-02-11 12:00-14:00"]);
}

#[test]
fn a_weekday_whose_nearest_date_is_ruled_out_for_the_one_after_is_a_week_on() {
    // Dana: Wed 10:00-12:00, Fri 10:00-12:00. Wednesday 2/3.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Wed, 3 Feb 2027 09:00:00 -0500",
        "Friday",
        "Could someone take my Friday shift, not this coming one but the one after? Thank you!",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-02-12 10:00-12:00"]);
}

#[test]
fn a_clause_cut_by_a_hard_line_break_is_read_whole() {
    // A wrapping client cut "so that / the rest of us know that it is
    // covered": the purpose clause states no covered shift (the second
    // line read alone says it is covered).
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Desk log",
        "Hello all,\n\nWhenever you pick up a colleague's chat hour, reply in the thread so that\nthe rest of us know that it is covered.\n\nThanks,\nCourtney",
    );
    assert_kind(&r, Kind::Other);

    // The same wrap inside an ask still asks.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Thursday",
        "Hi everyone, I have a dental appointment that I could not move, so I'd be grateful if\nsomeone could take my Thursday 12/10 chat shift.\n\nJorge",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-10 15:30-17:00"]);
}

#[test]
fn an_ask_put_to_the_writer_to_pass_on_asks_the_list() {
    // "has asked me whether anyone ..." relays the ask; "a patron asked if
    // anyone ..." reports one.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "For Ben",
        "Ben is travelling this week and barely online. He has asked me whether anyone could take his Wednesday 12/9 shift.\n\nCourtney",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(r.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
    assert_shifts(&r, &["2026-12-09 15:30-17:00"]);
}

#[test]
fn names_in_small_letters_are_found_beside_a_capital_i() {
    // Mail in small letters but for the pronoun (a phone's capital "I", or
    // "ill" read as "I'll") still names people in small letters; a name
    // after "on it" or "np" and before the sentence's end is spoken to.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: fri 12/11",
        "no worries dana, I'm covering fri 12/11",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: fri 12/11",
        "on it dana. I'll be there fri 12/11",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: need someone tue 12/15",
        "np mei! ill be on chat for u",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-15 12:00-14:00"]);
}

#[test]
fn a_recap_of_covers_made_on_past_days_reports_nothing_to_act_on() {
    // Several dated lines of who covered whom, all before the message's
    // day, under a recap subject or opening.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 14 Dec 2026 08:00:00 -0500",
        "Chat desk summary, week of 12/7",
        "Hello all,\n\nTue 12/8: Sarah covered for Mei\nThu 12/10: Priya took Jorge's shift\nFri 12/11: Tom covered Dana\n\nThank you all.\nCourtney",
    );
    assert_kind(&r, Kind::Other);
    assert_eq!(r.coverer, None, "{}", explain(&r));
    assert_shifts(&r, &[]);

    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 14 Dec 2026 08:00:00 -0500",
        "Last week",
        "For the record, here is how last week went:\nWed 12/9 - Dana covered Ben\nFri 12/11 - Priya covered Dana\n\nCourtney",
    );
    assert_kind(&r, Kind::Other);

    // One cover told for a day to come is news to act on, recap or not.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "Coverage summary",
        "Hi all,\n\nFri 12/11: Tom is covering Dana.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("tbecker@example.edu"),
        "{}",
        explain(&r)
    );
}

#[test]
fn a_relative_telling_of_a_colleagues_illness_with_a_word_between_or_by_pronoun_is_their_sick_notice()
 {
    // "Tom is pretty sick": a word of degree between the name and the illness.
    let r = read(
        "Kate Becker <kateb.home@outlook.example>",
        "Tue, 8 Dec 2026 07:30:00 -0500",
        "Tom",
        "Hi, I'm Tom Becker's sister. Tom is pretty sick today and can't come in for his shift.",
    );
    assert_kind(&r, Kind::Sick);
    assert_eq!(r.on_behalf_of.as_deref(), Some("tbecker@example.edu"));
    assert_shifts(&r, &["2026-12-08 10:00-12:00"]);
    // "she came down with a nasty fever": the illness by pronoun after the name.
    let r = read(
        "Sam Ito <sam.ito@fastmail.example>",
        "Mon, 7 Dec 2026 21:10:00 -0500",
        "for Mei Chen",
        "Writing for Mei Chen, my partner. She came down with a nasty fever overnight, so she can't do her chat shift this Thursday.",
    );
    assert_kind(&r, Kind::Sick);
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_shifts(&r, &["2026-12-10 10:00-12:00"]);
    // A word of degree before something that is no illness says nothing.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 10:00:00 -0500",
        "workshop",
        "Jorge is really keen on the citation workshop next week; slides are on the shared drive.",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_call_naming_no_day_above_a_forwarded_appointment_asks_for_the_appointments_span() {
    // The appointment's When line gives day and times.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "FW: chat desk",
        "Can somebody pick this up for me? Conference travel.\n\n-----Original Appointment-----\nFrom: Courtney Crummett\nSent: Monday, August 31, 2026 10:00 AM\nTo: Dana Whitfield\nSubject: chat desk\nWhen: Friday, December 18, 2026 10:00 AM-12:00 PM (UTC-05:00) Eastern Time (US & Canada).\nWhere: online\n",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-18 10:00-12:00"]);
    // A call that names its own day keeps it over the forwarded one.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "FW: chat desk",
        "Can somebody pick up my Wed 12/16 shift?\n\n-----Original Appointment-----\nFrom: Courtney Crummett\nSent: Monday, August 31, 2026 10:00 AM\nTo: Dana Whitfield\nSubject: chat desk\nWhen: Friday, December 18, 2026 10:00 AM-12:00 PM (UTC-05:00) Eastern Time (US & Canada).\nWhere: online\n",
    );
    assert_shifts(&r, &["2026-12-16 10:00-12:00"]);
}

#[test]
fn a_new_thread_that_says_a_part_is_taken_and_still_asks_is_a_request_for_the_rest() {
    // A first call (no reply) that opens on a part already arranged and
    // then still asks: the request is for what is still needed.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Chat shifts while I'm at training",
        "Hello everyone,\n\nMei is taking my Wednesday 12/9 shift, thank you Mei! I still need someone for Friday 12/11, 1-3. Could anyone help?\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_eq!(r.coverer, None);
    assert_shifts(&r, &["2026-12-11 13:00-15:00"]);

    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Away Thursday and Friday",
        "Hi all,\n\nSarah has agreed to cover my Thursday 12/10 2-3:30 shift, so that one is sorted. I'm still looking for someone for Friday 12/11 from 10 to 12.\n\nJorge",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);

    // In a reply the thread has already asked for both: a taker named
    // first is news of coverage, whatever is still needed after it.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Chat shifts while I'm at training",
        "Update: Mei is taking my Wednesday 12/9 shift. Still need Friday 12/11 if anyone can.\n\nPriya",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("mchen@example.edu"));

    // A message that says it updates the call reports on it, as a reply
    // does.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Quick update: my Wed 12/9 and Fri 12/11",
        "Mei is taking my Wednesday 12/9 shift. Still need Friday 12/11 if anyone can.\n\nPriya",
    );
    assert_kind(&r, Kind::Covered);

    // A new thread naming a taker with nothing still asked is coverage.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Wednesday 12/9 chat",
        "Hi all, Mei is taking my Wednesday 12/9 shift. Thank you Mei!\n\nPriya",
    );
    assert_kind(&r, Kind::Covered);
}

#[test]
fn a_bare_so_that_others_know_it_is_covered_is_a_purpose_not_a_confirmation() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "When you take a shift",
        "Hi all,\n\nIf you take someone's chat hour, post it in the thread, so everybody can see the shift is covered.\n\nCourtney",
    );
    assert_kind(&r, Kind::Other);

    // "so" after a colleague took it is the result: covered.
    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9",
        "Mei took my Wednesday 12/9 shift, so it is covered now.\n\nPriya",
    );
    assert_kind(&r, Kind::Covered);
}

/// A signature whose full-name line carries a phone (a contact line, set
/// aside as such) still ends the message: the standing hours under it name
/// days and times nobody is asked to cover or offered.
#[test]
fn standing_hours_under_a_full_name_with_a_phone_are_not_the_messages() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "extra shifts",
        "I can take an open chat shift or two this month if anyone needs a hand.\n\nJorge\n\nJorge Alvarez | Government Documents | 555-201-7788\nConsultations: Mon/Wed 1-2pm",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &[]);

    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "still open",
        "Nobody yet for my Tuesday 1/19 shift, so asking again: can anyone take it?\n\nTom\n\nTom Becker | Outreach | he/him\n555-201-4412 | Walk-in hours Fri 11am-12pm",
    );
    assert_shifts(&r, &["2027-01-19 10:00-12:00"]);

    // A sign-off over a full name with a phone, and office hours on two
    // days joined by a slash.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Thursday",
        "Is anyone able to cover my Thursday 1/21 chat shift? I'm at a training.\n\nWarm regards,\nSarah Kim | Business Library | 555-201-4180\nOffice hours: Mon/Wed 10-11",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-21 14:00-15:30"]);

    // A signature headed by the full name alone, no sign-off above it:
    // the offer's times are the thread's day, not the office hours' days.
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 11 Jan 2027 15:00:00 -0500",
        "Re: Thursday 1/21 chat",
        "Tom, I could do 12-1 if that's useful.\n\nJorge Alvarez (he/him)\nGovernment Information\nOffice hours: Mon 10-11am & Wed 1-2pm",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2027-01-21 12:00-13:00"]);
}

/// A list's own machinery: a digest bundling several posts asks nothing
/// itself (`other`), and a notice from the list's bounce address that a
/// post was held or refused answers that post as a bounce (`auto_reply`).
/// A colleague's reply to a digest is read as a person's mail.
#[test]
fn a_lists_digest_is_other_and_its_held_post_notice_is_an_auto_reply() {
    let r = read_raw(
        "From: Reference-Staff <reference-staff-request@example.edu>\nTo: reference-staff@example.edu\nSubject: Reference-Staff Digest, Vol 3, Issue 21\nDate: Wed, 13 Jan 2027 12:00:00 -0500\nMessage-ID: <d1@example.edu>\nContent-Type: text/plain; charset=utf-8\n\nToday's Topics:\n\n   1. Need cover Wed 1/20 (Angie Lopez)\n\nMessage: 1\nFrom: Angie Lopez <alopez@example.edu>\n\nCan anyone cover my Wednesday 1/20 shift?\n",
    );
    assert_kind(&r, Kind::Other);
    assert_shifts(&r, &[]);
    // The index and numbered messages mark it without the subject.
    let r = read_raw(
        "From: staff-list-request@lists.example.org\nTo: bokafor@example.edu\nSubject: This week on staff-list\nDate: Wed, 13 Jan 2027 12:00:00 -0500\nMessage-ID: <d2@example.org>\nContent-Type: text/plain; charset=utf-8\n\nToday's Topics:\n\n   1. Friday swap\n\nMessage: 1\n\nWho could take my Friday 1/22 shift?\n",
    );
    assert_kind(&r, Kind::Other);
    // A Google Group's digest, by its subject or its footer.
    let r = read_raw(
        "From: Desk Staff <desk-staff@googlegroups.example.com>\nTo: mchen@example.edu\nSubject: Digest for desk-staff@googlegroups.example.com - 3 updates in 2 topics\nDate: Wed, 13 Jan 2027 05:00:00 -0500\nMessage-ID: <d3@googlegroups.example.com>\nContent-Type: text/plain; charset=utf-8\n\nTopic digest\n\nMonday 1/25 swap?\nTom Becker: Could someone swap my Monday 1/25?\n",
    );
    assert_kind(&r, Kind::Other);
    let r = read_raw(
        "From: Desk Staff <desk-staff@googlegroups.example.com>\nTo: mchen@example.edu\nSubject: This week in Desk Staff\nDate: Wed, 13 Jan 2027 05:00:00 -0500\nMessage-ID: <d4@googlegroups.example.com>\nContent-Type: text/plain; charset=utf-8\n\nCould someone swap my Monday 1/25? (Tom Becker)\n\nYou received this digest because you're subscribed to updates for this group.\n",
    );
    assert_kind(&r, Kind::Other);
    // A colleague answering a digest is a person offering.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Wed, 13 Jan 2027 13:00:00 -0500",
        "Re: Reference-Staff Digest, Vol 3, Issue 21",
        "Angie, I can cover your Wednesday.\n\nBen",
    );
    assert_kind(&r, Kind::Offer);

    let r = read_raw(
        "From: reference-staff-bounces@example.edu\nTo: dwhitfield@gmail.example.com\nSubject: Your message to Reference-Staff awaits moderator approval\nDate: Wed, 13 Jan 2027 12:00:00 -0500\nMessage-ID: <h1@example.edu>\nAuto-Submitted: auto-generated\nContent-Type: text/plain; charset=utf-8\n\nYour mail to 'Reference-Staff' with the subject\n\n    Fri 1/22 cover?\n\nis being held until the list moderator can review it for approval.\n",
    );
    assert_kind(&r, Kind::AutoReply);
}

/// A call for two colleagues' shifts at once is made for neither alone:
/// no `on_behalf_of`. A call for one colleague's several shifts is still
/// made for that colleague.
#[test]
fn a_call_for_several_colleagues_shifts_is_made_for_no_one_of_them() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Tuesday 1/19 gaps",
        "Mei and Jorge are both at the vendor demo on Tuesday 1/19. Could someone pick up their shifts, 12-2 and 2-3:30?\n\nCourtney",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-19 12:00-14:00", "2027-01-19 14:00-15:30"]);
    assert_eq!(r.on_behalf_of, None, "{}", explain(&r));

    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 18 Jan 2027 09:00:00 -0500",
        "Angie out next week",
        "Angie is out next week. Could someone take her Monday 1/25 and Wednesday 1/27 shifts?\n\nCourtney",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-25 12:00-14:00", "2027-01-27 12:00-14:00"]);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );
}

/// A request naming a colleague's shift by name ("take Ben's shift on
/// Friday", "cover for Jorge on Thursday") is made for that colleague:
/// their shift that day, and they are `on_behalf_of`, even when the writer
/// works the same day. The writer's own shift, named beside a colleague's,
/// stays the writer's.
#[test]
fn a_request_for_a_colleagues_shift_named_by_name_is_theirs() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Angie",
        "Would anyone be free to take Angie's shift on Friday 1/22? She has a family matter.\n\nDana",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-22 14:00-15:30"]);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );

    let r = read(
        "Priya Raman <praman@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Jorge",
        "Can somebody cover for Jorge on Thursday 1/21? His car is in the shop.\n\nPriya",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-21 15:30-17:00"]);
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );

    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Friday",
        "Could someone take my Friday 1/22? Ben's shift follows mine, so he can't stay on.\n\nDana",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-22 10:00-12:00"]);
    assert_eq!(r.on_behalf_of, None, "{}", explain(&r));
}

/// A name after a bare "for" ("closing the loop for Courtney", "a note for
/// Dana") is a weaker sign of whose shift it is than a possessive or a
/// cover phrase ("Jorge's Thursday", "covering for Jorge").
#[test]
fn a_possessive_owner_outranks_a_name_after_a_bare_for() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Re: Sarah's Thursday",
        "A quick update for Dana: I'm taking Sarah's Thursday 1/14 shift.\n\nMei",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("skim@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2027-01-14 14:00-15:30"]);
}

/// Days the writer says they will ask about another time ("I'll post
/// about Thursday separately", "I'll send a note about the 22nd once I
/// know") are not asked now.
#[test]
fn days_the_writer_will_ask_about_later_are_not_asked_now() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "late January",
        "Could someone take my Monday 1/25 shift? I'll send a note about Wednesday 1/27 later, when my travel is booked.\n\nAngie",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2027-01-25 12:00-14:00"]);
}

#[test]
fn a_part_the_requester_keeps_is_not_what_a_confirmation_covers() {
    // The requester confirms who takes which part; the part they keep
    // themselves is theirs, not the coverer's.
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Re: Friday morning",
        "Thanks Angie! Angie takes 10-11 on Fri 1/15. I'll stay on until 12 myself once I'm back.\n\nDana",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2027-01-15 10:00-11:00"]);
    // The coverer's own words are what they cover.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 11 Jan 2027 09:30:00 -0500",
        "Re: Friday morning",
        "Dana, confirmed: I'll cover your 10-11 on Fri 1/15 and you'll be on from 11.\n\nAngie",
    );
    assert_shifts(&r, &["2027-01-15 10:00-11:00"]);
}

#[test]
fn a_forward_under_a_reminder_prefix_is_read_as_the_forward() {
    // "Reminder: Fwd: ..." is a forward: with little of its own to say,
    // what it forwards from a colleague is read, for that colleague.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 18 Jan 2027 16:00:00 -0500",
        "FYI: Fwd: Thursday chat",
        "Heads up for Thursday.\n\n---------- Forwarded message ---------\nFrom: Mei Chen <mchen@example.edu>\nDate: Fri, Jan 15, 2027 at 11:02 AM\nSubject: Thursday chat\nTo: <ask-chat@example.edu>\n\nJorge is covering my Thursday 1/21 shift, 10-12. Thank you Jorge!\n",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("jalvarez@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("mchen@example.edu"));
    assert_shifts(&r, &["2027-01-21 10:00-12:00"]);
}

#[test]
fn a_closure_that_says_no_one_need_find_coverage_asks_nothing() {
    // A negation governs every verb it coordinates: "nobody needs to log
    // in or find a sub" asks no one.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Wed, 27 Jan 2027 06:15:00 -0500",
        "Ice storm: library closed today",
        "The library is closed today because of the ice storm. Nobody needs to sign on or look for a sub for today's chat shifts.\n\nCourtney",
    );
    assert_kind(&r, Kind::Other);
}

#[test]
fn a_requester_telling_the_addressed_colleague_they_take_it_is_covered_by_them() {
    // "you replace me", "you'll cover my shift": the one addressed covers.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Re: my Tuesday",
        "Thanks a lot Ben, you replace me on Tuesday 1/19.\n\nSarah",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("bokafor@example.edu"));
    assert_shifts(&r, &["2027-01-19 15:30-17:00"]);
    // Asked, it is still a question.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 11 Jan 2027 09:00:00 -0500",
        "Re: my Tuesday",
        "Thanks Ben, can you replace me on Tuesday 1/19?\n\nSarah",
    );
    assert_ne!(r.kind, Kind::Covered, "{}", explain(&r));
}

#[test]
fn a_day_the_writer_corrects_away_is_dropped_and_the_day_meant_kept() {
    // Mon 2026-12-07: the 10th is Thursday, the 17th the next one.
    for body in [
        "Could someone take Thursday the 10th, 2-3:30?\n\nOops, wrong date: the 17th, not the 10th. The 10th is fine.\n\nMei",
        "Could someone take my Thursday 12/10 shift, 2-3:30?\n\nSorry, 12/10 should have been 12/17.\n\nMei",
    ] {
        let r = read(
            "Mei Chen <mchen@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "cover?",
            body,
        );
        assert_kind(&r, Kind::CoverageRequest);
        assert_shifts(&r, &["2026-12-17 14:00-15:30"]);
    }
    // A "not" before anything but a day rules nothing out.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "cover?",
        "Could someone take the 10th, not the whole shift, just 2-3?\n\nMei",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-10 14:00-15:00"]);
}

#[test]
fn a_colleagues_word_relayed_by_pronoun_names_them_the_coverer() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Friday",
        "Priya let me know she'll take Ben's Friday shift.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("praman@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("bokafor@example.edu"));
    assert_shifts(&r, &["2026-12-11 12:00-14:00"]);
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Wednesday 12/9",
        "Tom told us that he will cover Angie's Wednesday 12/9.",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(r.coverer.as_deref(), Some("tbecker@example.edu"));
    assert_eq!(r.on_behalf_of.as_deref(), Some("alopez@example.edu"));
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);
    // What the colleague told about themselves that takes no shift.
    for body in [
        "Jorge told me he will be away on Thursday, fyi.",
        "Dana told me she can't do Mei's Thursday shift after all.",
        "Tom mentioned he is out sick today.",
        "Dana told me she'd take Mei's Thursday but now she can't, so it is still open.",
        "Priya said she would cover Ben's Friday, but then she got sick.",
    ] {
        let r = read(
            "Sarah Kim <skim@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "fyi",
            body,
        );
        assert_ne!(r.kind, Kind::Covered, "{body}: {}", explain(&r));
    }
}

#[test]
fn a_timed_part_offered_of_a_quoted_request_is_on_the_day_it_asks() {
    let quote = "\n\nOn Mon, Dec 7, 2026 at 8:00 AM Angie Lopez <alopez@example.edu> wrote:\n> Could someone cover my Wednesday 12/9 shift? Dentist.";
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: quick favor",
        &format!("Happy to take 1-2 of it.{quote}"),
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &["2026-12-09 13:00-14:00"]);
    // No stated span, or a quote that asks for more than one day: the
    // offer states no span of its own.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: quick favor",
        &format!("Happy to take it.{quote}"),
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &[]);
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: quick favor",
        "I could do 1-2 of it.\n\nOn Mon, Dec 7, 2026 at 8:00 AM Angie Lopez <alopez@example.edu> wrote:\n> Could someone cover my Wednesday 12/9 or Friday 12/11 shift?",
    );
    assert_kind(&r, Kind::Offer);
    assert_shifts(&r, &[]);
}

#[test]
fn a_timed_part_offered_then_another_timed_part_hoped_for_is_an_offer() {
    let quote = "\n\nOn Mon, Dec 7, 2026 at 8:00 AM Angie Lopez <alopez@example.edu> wrote:\n> Could someone cover my Wednesday 12/9 shift, 12-2?";
    for body in [
        "I'll take 12-1, hopefully somebody can do 1-2.",
        "I can do 12 to 1. Maybe someone could cover 1-2?",
    ] {
        let r = read(
            "Tom Becker <tbecker@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "Re: Wed 12/9",
            &format!("{body}{quote}"),
        );
        assert_kind(&r, Kind::Offer);
        assert_shifts(&r, &["2026-12-09 12:00-13:00"]);
    }
    // The writer's own shift asked for after an offer is a request of
    // theirs, and an ask for a part with no part offered is one too.
    for body in [
        "I can take your 12-2 on Wednesday. Could someone cover my Friday 12/11 2-3:30?",
        "I can't make it, hopefully someone can grab 1-2 on Wed 12/9.",
    ] {
        let r = read(
            "Ben Okafor <bokafor@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "Re: Wed 12/9",
            &format!("{body}{quote}"),
        );
        assert_ne!(r.kind, Kind::Offer, "{body}: {}", explain(&r));
    }
}

#[test]
fn a_day_corrected_by_the_day_meant_later_in_the_message_is_read_as_that_day() {
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "cover please",
        "Could someone cover my Friday shift next week? Oops, I meant Wednesday.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-16 12:00-14:00"]);
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "chat",
        "anyone free for my thurs shift? whoops - tuesday, not thursday",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-08 12:00-14:00"]);
    // "I meant to ask" corrects no day; the day stays.
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "chat",
        "I meant to ask last week: could someone take my Thursday shift?",
    );
    assert_shifts(&r, &["2026-12-10 10:00-12:00"]);
}

#[test]
fn a_hedged_yes_promising_an_answer_under_a_colleagues_call_is_a_tentative_offer() {
    let call = "\n\nOn Mon, Dec 7, 2026 at 8:00 AM Ben Okafor <bokafor@example.edu> wrote:\n> Could someone take my Friday 12/11 shift? I have a conference.";
    for body in [
        "Possibly, I'll check my calendar and let you know.",
        "might be able to! need to double-check and confirm tonight",
    ] {
        let r = read(
            "Sarah Kim <skim@example.edu>",
            "Mon, 7 Dec 2026 09:00:00 -0500",
            "Re: Friday 12/11",
            &format!("{body}{call}"),
        );
        assert_kind(&r, Kind::Offer);
        assert_shifts(&r, &[]);
    }
    // Under a question that asks no cover, or from the caller themselves,
    // the same words offer nothing.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: holiday lunch",
        "Maybe? Let me check and get back to you.\n\nOn Mon, Dec 7, 2026 at 8:00 AM Ben Okafor <bokafor@example.edu> wrote:\n> Who is coming to the holiday lunch on Friday?",
    );
    assert_kind(&r, Kind::Other);
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: Friday 12/11",
        &format!("Maybe, let me check and get back to you all.{call}"),
    );
    assert_ne!(r.kind, Kind::Offer, "{}", explain(&r));
}

#[test]
fn a_weekday_meant_in_a_reply_to_ones_own_call_is_in_the_week_it_corrects() {
    let call = |day: &str| {
        format!(
            "\n\nOn Mon, Dec 7, 2026 at 8:00 AM Angie Lopez <alopez@example.edu> wrote:\n> Could someone take my {day} shift? Thanks!"
        )
    };
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: cover please",
        &format!("oops, I meant Friday{}", call("Wednesday 12/16")),
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-18 14:00-15:30"]);
    // A day in figures says its own week; the week of a day corrected
    // that would put the day meant in the past gives way to the coming one.
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Re: cover please",
        &format!("sorry, I meant Friday 12/11{}", call("Wednesday 12/16")),
    );
    assert_shifts(&r, &["2026-12-11 14:00-15:30"]);
    let r = read(
        "Angie Lopez <alopez@example.edu>",
        "Thu, 10 Dec 2026 09:00:00 -0500",
        "Re: cover please",
        &format!("sorry, I meant Wednesday{}", call("Friday 12/11")),
    );
    assert_shifts(&r, &["2026-12-16 12:00-14:00"]);
}

#[test]
fn answers_written_between_quoted_lines_are_read() {
    // Thunderbird: the volunteer answers under the quoted ask; a "no need"
    // that declines thanks offered in return takes nothing back.
    let r = read(
        "Ben Okafor <bokafor@example.edu>",
        "Mon, 7 Dec 2026 10:05:00 -0500",
        "Re: Thursday 12/10 chat",
        "On 12/7/26 9:40 AM, Mei Chen wrote:\n> Is anyone around for my Thursday 12/10 morning chat?\n\nYep, I'm free.\n\n> I'll bring you a muffin.\n\nNo need, but I'd never turn down a muffin.\n\nBen",
    );
    assert_kind(&r, Kind::Offer);
    // mutt: the coordinator's confirmation under a snipped quote names the
    // colleague who said she can do the part asked.
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Tue, 8 Dec 2026 09:00:00 -0500",
        "Re: Tuesday 12/15 chat",
        "On Mon, Dec 07, 2026 at 04:10:00PM -0500, Jorge Alvarez wrote:\n> Can someone take my Tuesday 12/15 shift?\n[...]\n> Only 2-3 is needed now.\n\nSarah says she can do 2-3, so you're covered, Jorge. Thanks, Sarah.\n\nCourtney",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("skim@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-15 14:00-15:00"]);
}

#[test]
fn others_told_not_to_step_in_once_a_colleague_minds_the_chat_is_covered() {
    let r = read(
        "Dana Whitfield <dwhitfield@example.edu>",
        "Mon, 7 Dec 2026 11:00:00 -0500",
        "Re: Friday 12/11",
        "Tom is very kindly watching the chat for me on Friday 12/11, so no need for anybody else to jump in. Thanks Tom!",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("tbecker@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-11 10:00-12:00"]);
}

#[test]
fn the_writer_doing_a_colleagues_shift_covers_it() {
    let r = read(
        "Jorge Alvarez <jalvarez@example.edu>",
        "Mon, 7 Dec 2026 12:00:00 -0500",
        "Re: my Wednesday",
        "Worked it out with Angie over coffee: I'm doing her Wednesday 12/9 shift.\n\nJorge\n\nOn Mon, Dec 7, 2026 at 9:00 AM Angie Lopez <alopez@example.edu> wrote:\n> Could someone take my Wednesday 12/9?",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("jalvarez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("alopez@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-09 12:00-14:00"]);
}

#[test]
fn a_take_back_followed_by_a_narrower_ask_keeps_the_call() {
    let r = read(
        "Mei Chen <mchen@example.edu>",
        "Mon, 7 Dec 2026 08:00:00 -0500",
        "Tuesday 12/15 chat",
        "Can somebody take my Tuesday 12/15 chat shift?\n\nMei\n\nPS: scratch that, my appointment got shorter: I only need 1-2 covered.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-15 13:00-14:00"]);
}

#[test]
fn a_bound_past_the_end_of_the_shift_asks_the_whole_shift() {
    // Tom works Tuesday 10-12: a conflict lasting "till 1" covers it all.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Tuesday morning",
        "Could somebody grab my Tuesday 12/15 morning chat? The car is in the shop and I can't get in till 1.",
    );
    assert_kind(&r, Kind::CoverageRequest);
    assert_shifts(&r, &["2026-12-15 10:00-12:00"]);
    // A bound inside the shift still asks for the part before it.
    let r = read(
        "Tom Becker <tbecker@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Tuesday morning",
        "Could somebody cover my Tuesday 12/15 chat until 11?",
    );
    assert_shifts(&r, &["2026-12-15 10:00-11:00"]);
}

#[test]
fn a_forwarders_fyi_covered_over_a_colleagues_taking_a_shift_is_covered() {
    let r = read(
        "Courtney Crummett <ccrummett@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Fwd: Tuesday",
        "fyi - covered\n\nBegin forwarded message:\n\n> From: Dana Whitfield <dwhitfield@example.edu>\n> Subject: Tuesday\n> Date: December 7, 2026 at 8:30:00 AM EST\n> To: Courtney Crummett <ccrummett@example.edu>\n>\n> Hi Courtney, I'll take Mei's Tuesday 12/8 so she can get to the clinic.\n>\n> Dana",
    );
    assert_kind(&r, Kind::Covered);
    assert_eq!(
        r.coverer.as_deref(),
        Some("dwhitfield@example.edu"),
        "{}",
        explain(&r)
    );
    assert_eq!(
        r.on_behalf_of.as_deref(),
        Some("mchen@example.edu"),
        "{}",
        explain(&r)
    );
    assert_shifts(&r, &["2026-12-08 12:00-14:00"]);
}

#[test]
fn an_offer_in_a_new_thread_that_never_speaks_of_the_service_is_no_offer_to_cover() {
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "feeding the office fish over break",
        "The fish need feeding on Mondays and Thursdays while we're closed (12/24 - 1/3). I can do the first half if somebody does the rest.",
    );
    assert_kind(&r, Kind::Other);
    // Speaking of the chat, it still offers.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "over break",
        "If anyone needs their chat shift taken over break, I can do the first week.",
    );
    assert_kind(&r, Kind::Offer);
    // A colleague's weekday is their shift.
    let r = read(
        "Sarah Kim <skim@example.edu>",
        "Mon, 7 Dec 2026 09:00:00 -0500",
        "Friday",
        "I can take Ben's Friday 12/11 if he still needs it.",
    );
    assert_kind(&r, Kind::Offer);
}
