//! The cue table: every phrase the classifier reacts to, as one row each.
//!
//! A cue has an id (named in `parse --explain`), the signal it gives (an
//! ask, the writer cannot work, is sick, takes a request back, offers,
//! covers; coverage is arranged, the call is repeated, the schedule changes
//! for good; see [`Signal`]), its pattern, the guards it needs, and example sentences on which it must
//! fire and on which it must stay silent. One test,
//! `every_cue_fires_on_its_examples_and_stays_silent_on_the_others`, checks
//! every row's examples, so adding a row is adding its evidence.
//!
//! To add a cue: append a row to [`CUES`] under its signal, give it a new id
//! (`signal.what_it_says`), its guards, and at least one sentence each way
//! (the silent one a near miss: the same words meaning something else).
//! Within a signal the earliest match in the text wins; rows are tried in
//! table order only to break ties. Offers, sick cues and the writer-covers
//! cues are the exception: the first row in table order with a match is
//! named, so put the more telling row first.
//!
//! Speed needs nothing of a row's author: the words a row's pattern cannot
//! match without ("could", "can", ... in `ask.could_someone`) are read from
//! the pattern itself ([`super::anchors`]), and a text holding none of them
//! is not searched for that row. A pattern whose every match could be made
//! of any letters has no such words and is searched in every text (slower,
//! still right; `every_match_of_every_row_holds_one_of_its_required_words`
//! names such rows in its figure line and fails loudly if a row ever matches
//! a text the words said it could not, over every example and corpus
//! message; `every_message_reads_the_same_with_and_without_required_words`
//! compares whole readings with [`with_full_scan`]).
//!
//! Guards:
//!
//! | guard              | the cue does not count when                                             |
//! |--------------------|-------------------------------------------------------------------------|
//! | `NotConditional`   | it lies in a clause about the reader's need ("if you still need someone") |
//! | `NotFallback`      | it lies in a sentence offering a fallback ("I'll do it myself if no one can") |
//! | `NotNegated`       | a negation stands right before it ("no one needs coverage")             |
//! | `NotAboutPatron`   | its sentence seeks help with a patron or a question, not a shift        |
//! | `NotWriterFinding` | the writer (or the reader, for their own shift) will find someone ("so I can find someone", "keep your shifts or find coverage") |
//! | `NotReported`      | it reports someone else's ask ("a patron asked if someone could cover") |
//! | `AboutWriter`      | its clause is about someone else or the past ("hope you're not sick", "she was ill") |
//! | `NotPrevention`    | the illness word names prevention ("flu shot", "covid booster")         |
//! | `NotDeclined`      | its clause declines or wonders ("I can't", "unfortunately I could", "not sure I'm free"), or a negator stands inside it, between the writer and the offer word ("I'm not free", "I will not take it"); a clause starts after `, ; - but` |
//! | `OwnWillingness`   | a bare "happy to help" is not the writer's own ("is anyone willing to take it") |
//! | `NotAcceptingAnOffer` | it accepts someone else's offer ("I'll take you up on that")        |
//! | `NotSweetener`     | a trade sweetens the writer's own ask ("I can trade for anything in May") |
//! | `NotFavourReturned`| the writer promises a favour back ("I'll take one of yours in return")   |
//! | `NotOwnPart`       | the writer keeps part of their own shift ("I can do the first hour myself") |
//! | `NotWanted`        | its clause wants it covered ("I need my shifts covered")                |
//! | `NotHypothetical`  | its clause is a case, not a fact ("once it's covered", "confirm and it's yours") |
//! | `NotApology`       | its sentence apologises for asking again ("sorry to be asking again so soon") |
//! | `NotServiceOpen`   | its sentence says the service is open ("chat is still open those days") |
//! | `NamesConcreteChange` | the text names no concrete change (someone moves, takes over, swaps)  |
//! | `SaysWhen`         | the text names no day or time                                           |
//! | `NotTakenBack`     | it is what a take-back takes back ("please disregard my coverage request") |
//! | `NotImperative`    | the writer asks to be put on ("please put me on Friday"), not someone else did |
//! | `NotDeclinedAfter` | its clause goes on to decline ("asked me to cover Jorge but I'm teaching") |
//! | `SaysAbsent`     | the text does not say the writer will be out ("not coming in today", "won't be in", "my 2-3:30 is open") |
//! | `NotWondering`   | its sentence wonders whether the writer should ask at all ("not sure whether I should be looking for coverage") |
//! | `NotIllnessDenied` | a negator stands in its clause at most two words before it ("I am not out sick", "I didn't come down with anything", "I haven't tested positive") |
//! | `NotWouldButBusy`  | it is a wish ("I'd", "I would") that its sentence answers with the writer's own engagement ("I'd cover it, but I'm teaching then", "I would take it but I have a dentist appointment") |
//! | `NotWorkOut`       | its verb is "work" followed by "out" ("I'll work out who covers what"): planning, not working a shift |
//! | `NotForAMeeting`   | its sentence offers a time for a meeting, call or interview and names no shift ("I can do Thursday at 2 for the meeting") |
//! | `NotOthersOwn`     | the coverage is another team's own ("Access Services has their own coverage sorted", "the circulation desk's coverage is arranged") |
//! | `NotTagQuestion`   | its sentence asks whether it is so ("so my Friday doesn't need cover, right?") |
//! | `NotAnErrand`      | it picks up or grabs a thing that its sentence or the one before names, and neither names a shift ("the parcel is at the front desk; I can pick it up") |
//! | `NotPolicyQuestion` | its sentence asks how things are done ("if two of us trade shifts, do we need to tell Courtney?", "what's the swap policy?"), not for a shift |
//! | `NotAThingCovered` | its verb is "cover" and what it covers is a thing or a fault, not a shift ("can someone cover the printer jam", "could anyone cover the copier"); a shift word after it still asks |
//! | `NotASocialPlan`   | its sentence, from the ask on, names a meal or an outing and no shift ("anyone want to grab lunch tmrw?", "could someone grab coffee with me at 3?") |
//! | `NotDenied`        | a negator stands right before it, at most an adverb ("yet", "all", "really") or "be" between ("we're not all set", "nobody took care of it", "I haven't found coverage", "I won't be reposting"); confirmations and second calls |
//!
//! Subject cues (`subject.*`) are read on the subject line; the rest on the
//! sender's own words. Whose shift it is and who covers (names, pronouns,
//! "covered by") are found by [`super::classify::roles`], not by cues.

use std::cell::Cell;
use std::sync::{Arc, LazyLock, OnceLock};

use super::pattern::Regex;

use super::anchors::{Anchors, Found};

/// What a cue points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Someone is asked to cover, swap or take a shift.
    Ask,
    /// The writer cannot work their own shift.
    CannotWork,
    /// The writer is out sick.
    Sick,
    /// The writer takes a request back.
    Withdrawn,
    /// The writer offers to cover.
    Offer,
    /// Coverage is said to be arranged.
    Covered,
    /// The call is repeated (in the text).
    SecondCall,
    /// A lasting change of the regular schedule.
    ScheduleChange,
    /// The writer takes a shift, or someone put them on it.
    WriterCovers,
    /// A weak take-back, the requester's only in a reply that speaks of the
    /// writer ("no need", "thanks anyway").
    WeakWithdrawn,
    /// A take-back that says the need has ended ("Not needed anymore"),
    /// the requester's in any reply.
    EndedNeed,
    /// Thanks for cover already worked ("thanks to Dana for covering my
    /// shift yesterday"): nothing is arranged.
    ThanksForPast,
    /// Acceptance in a reply ("perfect", "you're a lifesaver").
    Accept,
    /// The subject takes a request back ("Withdrawn: Friday").
    SubjectWithdrawn,
    /// The subject says coverage is arranged ("Covered: Fri 12/4").
    SubjectCovered,
    /// The subject repeats a call ("Second call: ...", "Reminder: ...").
    SubjectSecondCall,
    /// The subject names a lasting schedule change.
    SubjectScheduleChange,
}

impl Signal {
    /// The prefix of the ids of this signal's cues.
    pub fn prefix(self) -> &'static str {
        match self {
            Signal::Ask => "ask.",
            Signal::CannotWork => "need.",
            Signal::Sick => "sick.",
            Signal::Withdrawn => "withdrawn.",
            Signal::Offer => "offer.",
            Signal::Covered => "covered.",
            Signal::SecondCall => "second_call.",
            Signal::ScheduleChange => "schedule_change.",
            Signal::WriterCovers => "writer_covers.",
            Signal::WeakWithdrawn => "weak_withdrawn.",
            Signal::EndedNeed => "ended_need.",
            Signal::ThanksForPast => "thanks_for_past.",
            Signal::Accept => "accept.",
            Signal::SubjectWithdrawn => "subject.withdrawn.",
            Signal::SubjectCovered => "subject.covered.",
            Signal::SubjectSecondCall => "subject.second_call.",
            Signal::SubjectScheduleChange => "subject.schedule_change.",
        }
    }
}

/// A condition a cue's match must meet to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    NotConditional,
    NotFallback,
    NotNegated,
    NotAboutPatron,
    NotWriterFinding,
    NotReported,
    AboutWriter,
    NotPrevention,
    NotDeclined,
    OwnWillingness,
    NotAcceptingAnOffer,
    NotSweetener,
    NotFavourReturned,
    NotOwnPart,
    NotWanted,
    NotHypothetical,
    NotApology,
    NotServiceOpen,
    NamesConcreteChange,
    SaysWhen,
    NotTakenBack,
    NotImperative,
    NotDeclinedAfter,
    NotDenied,
    NotIllnessDenied,
    NotWondering,
    SaysAbsent,
    NotWouldButBusy,
    NotTagQuestion,
    NotAnErrand,
    NotWorkOut,
    NotOthersOwn,
    NotForAMeeting,
    NotPolicyQuestion,
    NotAThingCovered,
    NotASocialPlan,
}

/// One row of the table.
#[derive(Debug)]
pub struct Cue {
    pub id: &'static str,
    pub signal: Signal,
    pub pattern: &'static str,
    pub guards: &'static [Guard],
    /// Sentences on which this cue must fire.
    pub fires: &'static [&'static str],
    /// Sentences on which it must not (near misses).
    pub silent: &'static [&'static str],
}

/// A cue that fired: which, where, and the words it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    pub id: &'static str,
    pub start: usize,
    pub end: usize,
    pub said: String,
}

/// One text, split into sentences and clauses once; guards look up the
/// sentence or clause around a match here.
#[derive(Debug, Clone)]
pub struct View {
    pub text: String,
    /// Byte offsets of sentence ends ('.', '!', '?', newline).
    sentence_stops: Vec<usize>,
    /// Byte offsets of clause ends (the same and ';').
    clause_stops: Vec<usize>,
    /// Which of the words the rows of [`CUES`] cannot match without (see
    /// [`super::anchors`]) the text holds; found on first use, in one pass
    /// for all rows, and shared by the clones of a view.
    found: Arc<OnceLock<Found>>,
}

impl View {
    pub fn new(text: String) -> View {
        let mut sentence_stops = Vec::new();
        let mut clause_stops = Vec::new();
        for (i, b) in text.bytes().enumerate() {
            match b {
                b'.' | b'!' | b'?' | b'\n' => {
                    sentence_stops.push(i);
                    clause_stops.push(i);
                }
                b';' => clause_stops.push(i),
                _ => {}
            }
        }
        View {
            text,
            sentence_stops,
            clause_stops,
            found: Arc::new(OnceLock::new()),
        }
    }

    /// Whether row `i` of [`CUES`] is worth searching for in this text.
    fn may_fire(&self, i: usize) -> bool {
        if FULL_SCAN.get() {
            return true;
        }
        let found = self.found.get_or_init(|| ANCHORS.found_in(&self.text));
        ANCHORS.may_match(found, i)
    }

    /// The sentences, in order, with their byte ranges.
    pub fn sentences(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut from = 0;
        self.sentence_stops
            .iter()
            .map(|&s| s + 1)
            .chain(std::iter::once(self.text.len()))
            .filter_map(move |to| {
                let r = (from, to);
                from = to;
                (r.1 > r.0).then_some(r)
            })
    }

    /// Where the sentence holding `start..end` begins and ends (the stop
    /// itself excluded).
    fn sentence_around(&self, start: usize, end: usize) -> (usize, usize) {
        let i = self.sentence_stops.partition_point(|&s| s < start);
        let from = if i == 0 {
            0
        } else {
            self.sentence_stops[i - 1] + 1
        };
        let j = self.sentence_stops.partition_point(|&s| s < end);
        let to = self
            .sentence_stops
            .get(j)
            .copied()
            .unwrap_or(self.text.len());
        (from, to)
    }

    /// The end of the clause holding `end` (the stop itself excluded), as a
    /// pair with `end` for slicing.
    fn clause_around_end(&self, end: usize) -> (usize, usize) {
        (end, self.clause_end(end))
    }

    /// Where the clause holding `at` ends (the stop itself excluded).
    fn clause_end(&self, at: usize) -> usize {
        let j = self.clause_stops.partition_point(|&s| s < at);
        self.clause_stops.get(j).copied().unwrap_or(self.text.len())
    }

    fn clause_start(&self, at: usize) -> usize {
        let i = self.clause_stops.partition_point(|&s| s < at);
        if i == 0 {
            0
        } else {
            self.clause_stops[i - 1] + 1
        }
    }
}

/// The views of one message text the cues read: the whole text, the text
/// with conditional clauses set aside, and with fallback sentences set
/// aside too. Made once per text.
#[derive(Debug, Clone)]
pub struct Scan {
    pub full: View,
    pub open: View,
    pub settled: View,
}

impl Scan {
    /// Views of a message's plain text.
    pub fn of(text: &str) -> Scan {
        let open = super::classify::without_conditionals(text);
        // Most texts offer no fallback: their settled view is the open one,
        // and the conditional clauses are not looked for a second time.
        let unfallen = super::classify::without_fallbacks(text);
        let settled = if unfallen == text {
            open.clone()
        } else {
            super::classify::without_conditionals(&unfallen)
        };
        // Most texts have no conditional or fallback to set aside: their
        // views are one, split and searched for required words once.
        let full = View::new(text.to_string());
        let open = if open == full.text {
            full.clone()
        } else {
            View::new(open)
        };
        let settled = if settled == open.text {
            open.clone()
        } else {
            View::new(settled)
        };
        Scan {
            full,
            open,
            settled,
        }
    }

    /// One view of another scan, read as a text already set apart.
    pub fn of_view(view: &View) -> Scan {
        Scan {
            full: view.clone(),
            open: view.clone(),
            settled: view.clone(),
        }
    }

    /// A text already set apart by the caller: every view is the same.
    pub fn single(text: &str) -> Scan {
        let v = View::new(text.to_string());
        Scan {
            full: v.clone(),
            open: v.clone(),
            settled: v,
        }
    }

    fn view_for(&self, cue: &Cue) -> &View {
        if cue.guards.contains(&Guard::NotFallback) {
            &self.settled
        } else if cue.guards.contains(&Guard::NotConditional) {
            &self.open
        } else {
            &self.full
        }
    }
}

fn re(s: &str) -> Regex {
    Regex::new(s).expect("valid regex")
}

/// A negation right before a match ("no longer need", "not sick",
/// "nobody needs to find coverage"), or a "nobody" that has no need to
/// ("nobody has to find a sub", "no one will need to look for cover").
static JUST_NEGATED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:n't|\bnot|\bno longer|\bnever|\bno|\bnobody|\bnothing|\bno one|\bno-one|\bnoone|\bnone of (?:us|you|them))\s+(?:\w+\s+)?$|\b(?:nobody|no one|no-one|noone|none of (?:us|you|them))\s+(?:needs|has|have|will need|will have|should need)\s+to\s+(?:(?:[\w'-]+\s+){1,3}(?:or|and|nor)\s+)?$|(?:\bno|n't|\bnot)\s+(?:any\s+)?(?:need|have|needs|has)\s+to\s+(?:(?:[\w'-]+\s+){1,3}(?:or|and|nor)\s+)?$",
    )
});

/// Help with a patron or a question, not with a shift ("Is anyone able to
/// help a patron with a Westlaw question right now?").
static HELP_NOT_COVER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:help|answer|look at|check|explain|assist|take a look)\b[^.!?\n]{0,30}\b(?:patron|student|question|citation|database|westlaw|ticket|transfer|problem|issue|login|widget|transcript)s?\b",
    )
});
static SHIFT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:cover|covering|coverage|shift|shifts|slot|swap|trade|sub|fill in|take my|my chat)\b",
    )
});

/// The writer (or "we") as the one who will find someone.
static WRITER_WILL_FIND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:i|we)(?:'ll|'d|\s+(?:can|could|will|may|might|would|will try to|try to|can try to))?\s+$|\b(?:so|and)\s+(?:i|we)\s+(?:have|get|'ve got|have got)\s+(?:\w+\s+)?time\s+to\s+$",
    )
});

/// The reader told to find cover for their own shifts ("keep your shifts
/// or find coverage").
static READER_WILL_FIND: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\byour\b"));

/// Reported speech before an ask: someone else asked ("a patron asked if
/// someone could cover her shift"). An ask put to the writer to pass on
/// ("Mei has asked me whether anyone could take her Thursday") is relayed
/// to the readers, not reported: it asks them.
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:asked|asks|wondered|wondering|wanted to know|was asking|were asking|inquired)\s+(?:them\s+)?(?:if|whether)\s+$",
    )
});

/// Words before a sick cue that make it about someone else, or the past.
static NOT_THE_WRITER_NOW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\byou|\byou're|\byou are|\bhe\b|\bshe\b|\bthey\b|\bhe's|\bshe's|\bthey're|\bhope|\bfeel better|\bsorry to hear|\bmy (?:kid|son|daughter|child|children|kids|partner|husband|wife|spouse|mom|mother|dad|father|baby|toddler|family)\b[^.!?]*|\bwas|\bwere|\blast (?:week|time)|\bwhile i)\W*(?:\w+\W+){0,3}$",
    )
});

/// The writer telling the reader about themselves ("I regret to inform you
/// that I am unwell", "just letting you all know I'm sick"): that "you"
/// is who hears it, not who is ill.
static TELLING_YOU: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:inform|informing|tell|telling|let|letting|notify|notifying|advise|advising|warn|warning|update|updating)\s+you(?:\s+all)?(?:\s+know)?\s+(?:that\s+)?$",
    )
});

/// What follows an illness word when it names prevention, not illness.
static PREVENTION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:shots?|vaccines?|vaccinations?|jabs?|clinics?|season|boosters?)\b")
});

/// A clause that declines or wonders before an offer ("I can't", "not sure
/// whether I can").
static NEGATED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:n't|\bnot\b|\bnever\b|\bunfortunately\b|\bsadly\b|\bwish\b|\bif only\b|\bcannot\b|\bunable\b|\bno one\b|\bnobody\b|\bnor\b|\bwhether\b|\bwho\b|\bwhat\b|\bwhen\b|\bhow\b)[^.!?;,]*$",
    )
});

/// Willingness with no subject ("happy to help").
static BARE_WILLING: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:happy|glad|willing|able|delighted)\b"));

/// What may stand before a bare "happy to help" for it to be the writer's.
static OWN_WILLINGNESS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:^|\bi'm|\bi am|\bi'd be|\bi would be|\bi'll be|\bi will be|\bbe|\bmore than|\bso|\bvery|\balways|\bsure|\byes|\babsolutely|\bdefinitely|\bquite|\bjust|\breally|\bperfectly|\btotally|\bok|\bokay|\bhey|\bhi)[\W\s]*(?:[A-Z][a-z]+[\W\s]*)?$",
    )
});

/// A bare "able to help" asked of others ("would anyone be able to
/// help?", "would you be willing to take it?"): the willingness is sought,
/// not the writer's.
static ASKED_WILLINGNESS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:anyone|anybody|someone|somebody|everyone|you|people|folks|one of you|any of you)\s+(?:\w+\s+)?be[\W\s]*$",
    )
});

/// An offer that ends in a trade verb ("I can trade").
pub(super) static TRADE_VERB: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:trade|swap|switch)$"));

/// What follows a trade offered as a sweetener ("for anything in May").
static SWEETENER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s+(?:you\s+)?for\s+(?:anything|any|one|yours|a|an|another|something|your|any of yours|one of yours|whatever)\b",
    )
});

/// What follows an offer when it is a favour returned ("one of yours in
/// return").
static RECIPROCAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s+(?:one of (?:your|yours)|a shift of yours)\b|\bin (?:return|exchange)\b|\breturn the favou?r\b",
    )
});

/// The price of a swap after the writer's offer ("if you'd take my
/// Thursday in return", "in exchange for my Monday", "if you'd be willing
/// to staff my Friday", "and you sit my Tuesday"): the return is the
/// reader's, so the offer itself is the writer's side of a trade, not a
/// favour returned.
static SWAP_PRICE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:if|as long as|provided|so long as)\s+(?:you|u)(?:'d|'ll)?|(?:and|then)\s+(?:you|u)(?:'d|'ll)?)\s+(?:can\s+|could\s+|would\s+|will\s+)?(?:be\s+(?:willing|able|happy|glad|up for|game|ok|okay)\s+(?:to\s+)?)?(?:do|take|taking|cover|work|grab|pick up|sit|staff|handle)\s+(?:my|mine|one of mine)\b|\bin (?:exchange|return) for (?:my|mine|one of mine)\b",
    )
});

/// The writer keeping a part of the shift ("... myself").
static MYSELF: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bmyself\b"));

/// Words before "... covered" that make it wanted, not arranged ("need my
/// shifts covered", "trying to get Friday covered"), across a list of
/// dated days between ("needs his Monday 3/1 and Wednesday 3/3 chat shifts
/// covered").
static WANTED_COVERED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:need|needs|needed|needing|want|wants|get|getting|find|hoping|hope)\b[^.!?;\n]{0,64}$",
    )
});

/// Words before "... covered" that make it a case, not a fact ("reply-all
/// when your shift is covered", "just confirm and it's yours"). "So that"
/// is a purpose only with words between it and the cue ("so that the
/// shift is covered"); right before it, "that" points at the shift ("so
/// that shift is staffed"). A bare "so" is a purpose too when others are
/// to know, see or be told ("reply to the list, so the rest of us know
/// that it is covered"); otherwise it is a result ("Angie took it, so it
/// is covered now").
static HYPOTHETICAL_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:when|whenever|once|if|until|unless|after|before|confirm|let me know|say the word|say so|tell me)\b[^.!?;\n]{0,40}$|\bso that\s+[^\s.!?;\n][^.!?;\n]{0,40}$|\bso\s+[^.!?;\n]{0,30}?\b(?:knows?|sees?|hears?|(?:is|are|gets?|be) told|(?:is|are|be) aware|(?:is|are|be) informed|in the loop|can tell|keeps? track|can track)\b[^.!?;\n]{0,30}$",
    )
});

/// "Sorry to be asking again so soon": the writer apologises for asking
/// often; the call itself is new.
static APOLOGY_AGAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:sorry|apologies|hate)\s+(?:to\s+(?:be\s+)?|for\s+)?\w+ing\s+(?:again|once more)\b|\bagain so soon\b",
    )
});

/// "Chat is still open those days": the service is open, not the shift.
static SERVICE_STILL_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:chat|the library|library|the desk|desk|service|building|we|queue|reference)\s+(?:is|are|remains)\s+still\s+open\b",
    )
});

/// A concrete change of someone's regular shifts (someone moves, takes
/// over, swaps, drops one).
pub(super) static CONCRETE_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bmov(?:e|es|ed|ing)\s+(?:from|to|my|his|her|their)\b|\btak(?:e|es|ing)\s+over\b|\bswap|\bswitch|\btrad(?:e|es|ing)\b|\bno more\b|\binstead of\b|\b(?:will|'ll) (?:be on|have|work|do|take)\b|\breplac(?:e|es|ing)\b|\bdropp?(?:ing|s)?\b",
    )
});

/// Words that name a day or a time, loosely: a subject asks for cover only
/// when the message says when.
pub(super) static DAYISH: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r"(?i)\b(?:",
        weekday_abbrevs!(),
        r"|",
        weekday_names!(),
        r"|saturday|sunday|today|tomorrow|tonight|tmrw|morning|afternoon|noon)\b|\b\d{1,2}/\d{1,2}\b|\b\d{1,2}(?::\d\d)?\s*(?:-|to)\s*\d{1,2}(?::\d\d)?\b|\b\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    ))
});

/// A negator inside an offer's own words, between the writer and the offer
/// word ("I'm not free", "I am never around", "I will not take it"): the
/// writer says the opposite of offering.
static NEGATOR_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)n't\b|\bnot\b|\bnever\b|\bno longer\b|\bcannot\b|\bhardly\b|\bbarely\b")
});

/// A negator right before a confirmation ("we're not all set", "nobody
/// took care of it", "nothing's covered"): only a few adverbs or "be" may stand
/// between, so "don't worry, it's covered" still confirms.
static DENIED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:n't|\bnot|\bcannot|\bno longer|\bnever|\bnobody|\bnothing|\bno one|\bno-one|\bnone)\s*(?:(?:yet|really|quite|actually|even|all|still|be)\s+)?$",
    )
});

/// A negator shortly before an illness word ("I'm not out sick", "I
/// didn't come down with anything"): the writer says they are well.
static ILLNESS_DENIED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:n't|\bnot|\bcannot|\bno longer|\bnever)\s+(?:\w+\s+){0,2}$"));

/// The writer wondering whether to ask at all ("wasn't sure whether I
/// should be looking for coverage", "not sure if we need to find a sub"):
/// a question about the need, not an ask. Read from the sentence's start
/// to the cue, within one clause, so "not sure whether I'll be back, so I
/// need coverage" still asks.
/// A question about how things are done: a policy or rule named, or
/// whether one must tell, post or update something ("do we need to post
/// it to the list, or is it enough to update the calendar?").
static POLICY_QUESTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:polic(?:y|ies)|rules?|procedures?|protocol|etiquette)\b|\b(?:do|would|will|should)\s+(?:we|i|you|they|both of us)\s+(?:(?:still\s+)?(?:need|have)\s+to\s+)?(?:post|tell|notify|let|e-?mail|update|inform|check|clear|ask permission|get approval|run it)\b|\bis\s+it\s+(?:enough|ok|okay|fine|alright|acceptable)\s+(?:to|if)\b",
    )
});

static WONDERS_WHETHER_TO_ASK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:whether|if)\s+(?:or not\s+)?(?:i|we)\s+(?:should|need to|have to|ought to|must|would need to|'d need to|will need to|'ll need to|am supposed to|'m supposed to)\b[^.!?;,]*$",
    )
});

/// The writer saying they will be out or their shift is free ("not coming
/// in today", "won't be in", "staying home", "my 2-3:30 is open"): a
/// symptom alone ("still coughing a bit") may come with "but I'll be in".
static SAYS_ABSENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bnot\s+(?:coming|going to come|gonna come|going to make it|gonna make it|able to (?:come|make it|work))\b|\b(?:won't|will not|can't|cannot|can not)\s+(?:be in|come in|make it|work my|do my|be on|log on)\b|\bstay(?:ing)?\s+(?:home|in bed)\b|\bmy\b[^.!?\n]{0,30}\b(?:is|are)\s+(?:open|free|up for grabs)\b|\bneeds?\s+(?:a sub|coverage|covering|someone)\b|\bout today\b|\bcalling out\b",
    )
});

/// An offer in the conditional mood ("I'd take it", "I would cover"): it
/// offers only if nothing in its sentence says why the writer can't.
static WISHED: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^i\s*(?:'d|would)\b"));

/// "..., but I'm teaching then", "but I have a dentist appointment": the
/// writer's own engagement after the wish; "but only until 3" or "but
/// just the first hour" still offers a part.
static BUT_BUSY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^[^.!?;\n]*?\bbut\s+(?:i'm|i am|i've|i have|i'll be|i will be|i'm going to be|i got|i teach|i work|i'm stuck|my\b|we're|we have|there's)\b",
    )
});

/// Words after "asked me to cover" that decline it.
static DECLINED_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bbut\b|n't\b|\bnot\b|\bcannot\b|\bunable\b|\bif\b"));

/// A time offered for a meeting, not a shift.
static FOR_A_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:for|to)\s+(?:the|a|our|this|that|your)\s+(?:\w+\s+)?(?:meeting|call|zoom|interview|lunch|party|retreat|check-in|catch-up)\b",
    )
});

/// A thing one picks up or grabs (a parcel, the keys, a photo), not a
/// shift.
static A_THING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:photos?|pictures?|prints?|printouts?|parcels?|packages?|box|boxes|keys?|key ?cards?|badges?|books?|mail|letters?|cards?|flowers|cake|lunch|coffee|pizza|food|donuts?|order|delivery|laptop|charger|posters?|banner|frame|umbrella|jacket|bag|gifts?|present|supplies|toner|paper|cables?|headsets?|signs?)\b",
    )
});

/// Words naming a shift or the service, which make a pick-up a shift's.
static SHIFT_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:cover|covering|coverage|shift|shifts|slot|swap|trade|sub|chat|hours|session)\b")
});

/// Coverage that belongs to another team ("their own", "the desk's").
static OTHERS_OWN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\b(?:their|its)\s+own|\b(?:desk|department|dept|services?|team|office|unit|branch)(?:'s|')(?:\s+own)?)\s+$",
    )
});

/// What "cover" covers when it is a thing or a fault, not a shift: a
/// machine, a jam or a spill ("cover the reference desk printer jam"), a
/// bill or a cost ("cover the lunch tab").
static COVERED_THING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:the|a|an|this|that|our|those|these)\s+(?:[\w'-]+\s+){0,3}?(?:printers?|copiers?|scanners?|projectors?|photocopiers?|jams?|toner|spills?|leaks?|mess|bills?|tab|costs?|fees?|postage|shipping|tips?)\b",
    )
});

/// A meal or an outing asked about, not a shift.
static SOCIAL_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:lunch|brunch|breakfast|dinner|coffee|tea|drinks?|beers?|happy hour|potluck|party|picnic|a walk|movie|game night|karaoke|carpool|a ride)\b",
    )
});

/// "out" right after "work": "I'll work out who covers what" plans.
static WORK_OUT_AFTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s+out\b"));

/// A take-back right before an ask names what it takes back ("please
/// disregard my coverage request").
static TAKEN_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:disregard|cancel(?:l?ing)?|withdraw(?:ing)?|ignore|retract(?:ing)?|take back|taking back|scratch)\s+(?:my|the|this|that|our)\s+(?:\w+\s+){0,2}$",
    )
});

/// Words in the rest of a questioning sentence that ask someone to act
/// ("..., could someone cancel the post?"): then it is no tag question.
static TAG_QUESTION_ASKS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:can|could|would|will|please|someone|anyone|somebody|anybody)\b")
});

/// True when a match of `cue` at `start..end` in `view` meets every guard.
fn guarded(cue: &Cue, view: &View, start: usize, end: usize) -> bool {
    let text = &view.text;
    cue.guards.iter().all(|g| match g {
        Guard::NotConditional | Guard::NotFallback => true,
        Guard::NotNegated => !JUST_NEGATED.is_match(&text[..start]),
        Guard::NotAboutPatron => {
            let (from, to) = view.sentence_around(start, end);
            let sentence = &text[from..to];
            // Help with a patron counts only when the sentence names a shift too.
            !HELP_NOT_COVER.is_match(sentence) || SHIFT_WORD.is_match(sentence)
        }
        Guard::NotWriterFinding => {
            let (from, _) = view.sentence_around(start, end);
            !(text[start..end].to_ascii_lowercase().starts_with("find")
                && (WRITER_WILL_FIND.is_match(&text[from..start])
                    || READER_WILL_FIND.is_match(&text[from..start])))
        }
        Guard::NotReported => {
            let (from, _) = view.sentence_around(start, end);
            !REPORTED.is_match(&text[from..start])
        }
        Guard::AboutWriter => {
            let before = &text[view.clause_start(start)..start];
            !NOT_THE_WRITER_NOW.is_match(before) || TELLING_YOU.is_match(before)
        }
        Guard::NotPrevention => !PREVENTION_AFTER.is_match(&text[end..]),
        Guard::NotDeclined => {
            let before = &text[offer_clause_start(text, start)..start];
            !NEGATED.is_match(before) && !NEGATOR_INSIDE.is_match(&text[start..end])
        }
        Guard::OwnWillingness => {
            let before = &text[offer_clause_start(text, start)..start];
            !BARE_WILLING.is_match(&text[start..end])
                || (OWN_WILLINGNESS.is_match(before) && !ASKED_WILLINGNESS.is_match(before))
        }
        Guard::NotAcceptingAnOffer => !text[end..].trim_start().starts_with("you up"),
        Guard::NotSweetener => {
            !(TRADE_VERB.is_match(&text[start..end]) && SWEETENER.is_match(&text[end..]))
        }
        Guard::NotFavourReturned => {
            let (_, to) = view.sentence_around(start, end);
            let after = &text[end..to.max(end)];
            !RECIPROCAL.is_match(after) || SWAP_PRICE_AFTER.is_match(after)
        }
        Guard::NotOwnPart => !MYSELF.is_match(&text[end..view.clause_end(end)]),
        Guard::NotWanted => !WANTED_COVERED.is_match(&text[view.clause_start(start)..start]),
        Guard::NotHypothetical => {
            !HYPOTHETICAL_CLAUSE.is_match(&text[view.clause_start(start)..start])
        }
        Guard::NotApology => {
            let (from, to) = view.sentence_around(start, end);
            !APOLOGY_AGAIN.is_match(&text[from..to])
        }
        Guard::NotServiceOpen => {
            let (from, to) = view.sentence_around(start, end);
            !SERVICE_STILL_OPEN.is_match(&text[from..to])
        }
        Guard::NamesConcreteChange => CONCRETE_CHANGE.is_match(text),
        Guard::SaysWhen => DAYISH.is_match(text),
        Guard::NotImperative => {
            let who = text[start..end]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            !matches!(
                who.as_str(),
                "please"
                    | "just"
                    | "pls"
                    | "can"
                    | "could"
                    | "would"
                    | "you"
                    | "so"
                    | "and"
                    | "feel"
            )
        }
        Guard::NotWouldButBusy => {
            let (_, to) = view.sentence_around(start, end);
            !(WISHED.is_match(&text[start..end]) && BUT_BUSY.is_match(&text[end..to.max(end)]))
        }
        Guard::NotDeclinedAfter => {
            let (_, to) = view.clause_around_end(end);
            !DECLINED_AFTER.is_match(&text[end..to])
        }
        Guard::NotTakenBack => !TAKEN_BACK.is_match(&text[view.clause_start(start)..start]),
        Guard::NotIllnessDenied => !ILLNESS_DENIED.is_match(&text[view.clause_start(start)..start]),
        Guard::NotDenied => !DENIED_BEFORE.is_match(&text[view.clause_start(start)..start]),
        Guard::SaysAbsent => SAYS_ABSENT.is_match(text),
        Guard::NotPolicyQuestion => {
            let (from, to) = view.sentence_around(start, end);
            !POLICY_QUESTION.is_match(&text[from..to])
        }
        Guard::NotWondering => {
            let (from, _) = view.sentence_around(start, end);
            !WONDERS_WHETHER_TO_ASK.is_match(&text[from..start])
        }
        Guard::NotWorkOut => {
            !(text[start..end].to_ascii_lowercase().ends_with("work")
                && WORK_OUT_AFTER.is_match(&text[end..]))
        }
        Guard::NotForAMeeting => {
            // The offer's own clause: up to a "but" or a stop ("I can do
            // 3:30-4:15, but I have to leave for a meeting" still offers).
            let (from, to) = view.sentence_around(start, end);
            let after = &text[end..to.max(end)];
            let cut = after
                .to_ascii_lowercase()
                .find(" but ")
                .or_else(|| after.find([';', ',']))
                .unwrap_or(after.len());
            let clause = format!("{}{}", &text[from..end], &after[..cut]);
            !FOR_A_MEETING.is_match(&clause) || SHIFT_WORD.is_match(&clause)
        }
        Guard::NotOthersOwn => !OTHERS_OWN.is_match(&text[view.clause_start(start)..start]),
        Guard::NotAnErrand => {
            let verb = text[start..end].to_ascii_lowercase();
            if !(verb.contains("pick") || verb.contains("grab")) {
                return true;
            }
            // The offer's sentence and the one before it.
            let (from, to) = view.sentence_around(start, end);
            let before = text[..from].trim_end_matches(|c: char| !c.is_alphanumeric());
            let prev = view
                .sentence_around(before.len().saturating_sub(1), before.len())
                .0;
            let window = &text[prev.min(from)..to];
            !A_THING.is_match(window) || SHIFT_NAMED.is_match(window)
        }
        Guard::NotAThingCovered => {
            let verb = text[start..end].to_ascii_lowercase();
            if !verb.ends_with("cover") {
                return true;
            }
            let rest = &text[end..view.clause_end(end).max(end)];
            !COVERED_THING.is_match(rest) || SHIFT_NAMED.is_match(rest)
        }
        Guard::NotASocialPlan => {
            let (_, to) = view.sentence_around(start, end);
            let window = &text[start..to.max(end)];
            !SOCIAL_PLAN.is_match(window) || SHIFT_NAMED.is_match(window)
        }
        Guard::NotTagQuestion => {
            // The sentence ends in "?" and its rest asks nobody to act:
            // the writer checks a statement ("..., right?"), not makes it.
            let (_, to) = view.sentence_around(start, end);
            !text[to..].starts_with('?') || TAG_QUESTION_ASKS.is_match(&text[end..to.max(end)])
        }
    })
}

/// Where an offer's clause starts: after the last stop, comma, " - " or
/// " but " before it ("I can't do Wednesday but I'll take your Friday").
fn offer_clause_start(text: &str, at: usize) -> usize {
    let head = &text[..at];
    head.rfind(['.', '!', '?', ';', '\n', ','])
        .map(|i| i + 1)
        .unwrap_or(0)
        .max(head.rfind(" - ").map(|i| i + 3).unwrap_or(0))
        .max(
            head.to_ascii_lowercase()
                .rfind(" but ")
                .map(|i| i + 5)
                .unwrap_or(0),
        )
}

/// A row's pattern, compiled the first time a text may fire it: a desk's
/// mail holds the required words of only some rows, and the rest need not
/// take memory.
pub(super) struct RowPattern {
    pattern: &'static str,
    compiled: OnceLock<Regex>,
}

impl std::ops::Deref for RowPattern {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compiled.get_or_init(|| re(self.pattern))
    }
}

/// Every row, each compiled once when first searched.
static COMPILED: LazyLock<Vec<RowPattern>> = LazyLock::new(|| {
    CUES.iter()
        .map(|c| RowPattern {
            pattern: c.pattern,
            compiled: OnceLock::new(),
        })
        .collect()
});

/// Every row's required words, read from its pattern once.
static ANCHORS: LazyLock<Anchors> = LazyLock::new(|| Anchors::new(CUES.iter().map(|c| c.pattern)));

thread_local! {
    /// Set by [`with_full_scan`]: every row is searched, words or not.
    static FULL_SCAN: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every cue searched in every text, as before the required
/// words were read: the tests compare the two.
pub fn with_full_scan<R>(f: impl FnOnce() -> R) -> R {
    let before = FULL_SCAN.replace(true);
    let out = f();
    FULL_SCAN.set(before);
    out
}

/// Per signal (by its discriminant), the indexes of its rows in table
/// order: a reading asks for some signals several times, and the table is
/// not walked whole for each.
static ROWS_BY_SIGNAL: LazyLock<Vec<Vec<usize>>> = LazyLock::new(|| {
    let mut by: Vec<Vec<usize>> = Vec::new();
    for (i, c) in CUES.iter().enumerate() {
        let s = c.signal as usize;
        if by.len() <= s {
            by.resize(s + 1, Vec::new());
        }
        by[s].push(i);
    }
    by
});

/// The rows of a signal with their compiled patterns and their index.
fn rows_of(signal: Signal) -> impl Iterator<Item = (usize, &'static Cue, &'static RowPattern)> {
    let compiled: &'static [RowPattern] = &COMPILED;
    ROWS_BY_SIGNAL
        .get(signal as usize)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(move |&i| (i, &CUES[i], &compiled[i]))
}

/// The earliest cue of a signal that fires in the text, guards met; ties go
/// to the shorter match, then the table's order.
pub fn earliest(signal: Signal, scan: &Scan) -> Option<Fired> {
    let mut best: Option<Fired> = None;
    for (i, cue, rx) in rows_of(signal) {
        let view = scan.view_for(cue);
        if !view.may_fire(i) {
            continue;
        }
        let Some(m) = rx
            .find_iter(&view.text)
            .find(|m| guarded(cue, view, m.start(), m.end()))
        else {
            continue;
        };
        let better = best
            .as_ref()
            .is_none_or(|b| (m.start(), m.end(), m.as_str()) < (b.start, b.end, b.said.as_str()));
        if better {
            best = Some(Fired {
                id: cue.id,
                start: m.start(),
                end: m.end(),
                said: m.as_str().to_string(),
            });
        }
    }
    best
}

/// Every match of a signal's cues that meets its guards, in text order
/// (for the ask cue, whose sentence may still be set aside by the caller).
pub fn all(signal: Signal, scan: &Scan) -> Vec<Fired> {
    let mut out = Vec::new();
    for (i, cue, rx) in rows_of(signal) {
        let view = scan.view_for(cue);
        if !view.may_fire(i) {
            continue;
        }
        for m in rx.find_iter(&view.text) {
            if guarded(cue, view, m.start(), m.end()) {
                out.push(Fired {
                    id: cue.id,
                    start: m.start(),
                    end: m.end(),
                    said: m.as_str().to_string(),
                });
            }
        }
    }
    out.sort_by(|a, b| (a.start, a.end, &a.said).cmp(&(b.start, b.end, &b.said)));
    out
}

/// The first cue of a signal in table order that fires anywhere.
pub fn first_in_order(signal: Signal, scan: &Scan) -> Option<Fired> {
    rows_of(signal).find_map(|(i, cue, rx)| {
        let view = scan.view_for(cue);
        if !view.may_fire(i) {
            return None;
        }
        rx.find_iter(&view.text)
            .find(|m| guarded(cue, view, m.start(), m.end()))
            .map(|m| Fired {
                id: cue.id,
                start: m.start(),
                end: m.end(),
                said: m.as_str().to_string(),
            })
    })
}

/// True when this one cue fires on a text, as the classifier would read it
/// (a row of the table only when the text holds one of its required words).
pub fn fires(cue: &Cue, text: &str) -> bool {
    let scan = Scan::of(&super::classify::plain(text));
    let rx = re(cue.pattern);
    let view = scan.view_for(cue);
    let row = CUES.iter().position(|c| std::ptr::eq(c, cue));
    if row.is_some_and(|i| !view.may_fire(i)) {
        return false;
    }
    rx.find_iter(&view.text)
        .any(|m| guarded(cue, view, m.start(), m.end()))
}

/// The guards every sick row needs.
const SICK_GUARDS: &[Guard] = &[
    Guard::AboutWriter,
    Guard::NotPrevention,
    Guard::NotIllnessDenied,
];

/// The guards every offer row needs.
const OFFER_GUARDS: &[Guard] = &[
    Guard::NotConditional,
    Guard::NotDeclined,
    Guard::OwnWillingness,
    Guard::NotAcceptingAnOffer,
    Guard::NotSweetener,
    Guard::NotFavourReturned,
    Guard::NotOwnPart,
    Guard::NotWouldButBusy,
    Guard::NotWorkOut,
    Guard::NotForAMeeting,
    Guard::NotAnErrand,
];

/// The guards every confirmation row needs.
const COVERED_GUARDS: &[Guard] = &[
    Guard::NotConditional,
    Guard::NotWanted,
    Guard::NotHypothetical,
    Guard::NotDenied,
];

/// A confirmation by the word "coverage": also not another team's own.
const COVERED_WHOSE_GUARDS: &[Guard] = &[
    Guard::NotConditional,
    Guard::NotWanted,
    Guard::NotHypothetical,
    Guard::NotDenied,
    Guard::NotOthersOwn,
];

/// The guards every second-call row needs.
const SECOND_CALL_GUARDS: &[Guard] = &[
    Guard::NotConditional,
    Guard::NotDenied,
    Guard::NotApology,
    Guard::NotServiceOpen,
];

/// The table. Rows of a signal stay together.
pub static CUES: &[Cue] = &[
    Cue {
        id: "ask.could_someone",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|would|will|is|are|might|does|do)\s+(?:someone|somebody|some one|anyone|anybody|any\s?one|one of you|any of you|some kind soul|a kind soul|someone else|anyone else|any volunteers?|a volunteer|people|y'all|you all|folks)\b[^.?!\n]{0,40}?\b(?:cover|take\s+(?:my|the|it|this|that|over|part|half|an?\s|\d|on)|pick\s+up|pick\s+(?:it|this|that|them)\s+up|grab|swap|trade|switch|sub\b|substitute|fill\s+in|work\s+(?:my|the|this|that|part|half|an?\s|\d|for me|in my|it)|help\s+(?:out|me out|cover|with (?:my|the|a|this) (?:shift|chat))|step\s+in|jump\s+in|staff|relieve|jump\s+on|hop\s+on|log\s+(?:on|in)|sign\s+(?:on|in)|do\s+(?:my|the|this|that|part|half|an?\s|\d|it\b|noon)|(?:sit|stand)\s+in\s+for\s+(?:me\b|my\b|the\s+(?:shift|slot|hour|first|last|second)|\d|an?\s+(?:hour|half))|(?:mind|watch)\s+(?:the\s+)?(?:chat|desk|queue)\b)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotAThingCovered,
            Guard::NotASocialPlan,
        ],
        fires: &[
            "Could someone cover my Tuesday shift?",
            "Could anybody sit in for 11-12 on Friday?",
            "Would someone stand in for me Monday afternoon?",
            "can somebody do noon-ish to 1 on Fri 12/11?",
            "Could anyone cover the 2-3:30 slot by the copier desk on Friday?",
            "Could somebody mind the chat for me from half two on Wednesday?",
        ],
        silent: &[
            "Could someone explain the new widget?",
            "Could someone sit in on the search committee interview?",
            "can anyone cover the copier jam upstairs? I'm stuck on chat.",
            "Would somebody cover the lunch tab for Dana's farewell?",
            "could someone grab coffee with me at 3 tomorrow?",
            "Could someone mind the plants while I'm away?",
        ],
    },
    // A colleague's shift asked of the list by someone else ("Priya is out
    // Wed; can someone take her 2-3:30?", "could anyone take Ben's
    // Friday?"): the request is made for them. Taking a person somewhere
    // or their calls is no shift.
    Cue {
        id: "ask.take_colleagues",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|would|will|might)\s+(?:someone|somebody|some one|anyone|anybody|any\s?one|one of you|any of you)\s+(?:please\s+)?(?:take|take over|pick up|work|do)\s+(?:his|her|their|(?-i:[A-Z][a-z]+)'s)\s+(?:\d|(?:chat\s+|desk\s+)?(?:shift|slot|hours?)\b|chat\b|desk\b|morning|afternoon|(?:mon|tue|wed|thu|fri)[a-z]*\b)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Mei is at a funeral Thursday. Could someone take her 10-12?",
            "Can anyone take Ben's Friday shift? He's stuck abroad.",
        ],
        silent: &[
            "Could someone take her to the bus stop after the session?",
            "Can anyone take his calls while he is out?",
        ],
    },
    // Asking someone to mind the desk or the queue is asking them to work the
    // shift, even without a word for covering ("would anybody man the desk").
    Cue {
        id: "ask.mind_the_desk",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|would|will|might)\s+(?:someone|somebody|anyone|anybody|any\s?one|one of you)\s+(?:please\s+)?(?:mind|watch|man|sit(?:\s+on)?|keep\s+an\s+eye\s+on)\s+(?:the\s+|my\s+)?(?:chat\s+)?(?:queue|desk)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Would somebody man the desk for me Thursday at noon?",
            "Can anyone keep an eye on the chat queue 2-3 on Friday?",
        ],
        silent: &[
            "Could someone watch the chat training video and tell me if it's good?",
            "Can anyone mind the noise on the third floor?",
            "A patron asked if someone could watch the desk while she stepped out.",
        ],
    },
    Cue {
        id: "ask.anyone_free",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:anyone|anybody|someone|somebody|any\s?one|any volunteers?)\s+(?:\w+\s+){0,2}?(?:able|available|free|willing|want|wanna|wants|interested|around|up for|game|can|could)\b[^.?!\n]{0,40}?(?:\bcover|\btake\s+(?:my|the|it|this|that|over|part|half|an?\s+(?:shift|hour)|\d|on)|\bswap|\btrade|\bswitch|\bsub\b|\bfill\s+in|\bpick\s+up\s+(?:my|the|it|this|that|a\s+shift|\d)|\bgrab\s+(?:my|the|it|this|that|a\s+shift|\d)|\bwork\s+(?:my|the|it|this|that|for|\d)|\bdo\s+(?:my|the\s+(?:shift|slot|rest)|it\b|this\s+one|that\s+one|\d)|\bshift|(?:\d|day\b|tomorrow|tonight|then\b)[^.?!\n]{0,20}\?)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotASocialPlan,
        ],
        fires: &[
            "Anyone free to cover Monday 10-12?",
            "hopefully somebody can do 1-2 then",
            "Jorge has asked me whether anyone might be free to cover his Friday shift.",
            "anyone able to take my shift tmrw, lunch on me?",
        ],
        silent: &[
            "Anyone free for lunch?",
            "anyone want to grab dinner after work on Thursday?",
            "Anybody up for happy hour tomorrow?",
            "Anyone want to do lunch at 12 on Friday",
            "A patron asked if anyone could cover her shift at the writing center.",
            "The dean asked them whether anyone was available to cover the gala.",
        ],
    },
    // "Need a warm body on the desk" asks for a person to staff the shift.
    Cue {
        id: "ask.need_a_body",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:need|needs|needing|could use|looking for)\s+(?:a\s+(?:warm\s+)?body|(?:warm\s+)?bodies|(?:an\s+extra\s+|a\s+)pair\s+of\s+hands)\s+(?:on|at|for|to\s+(?:sit|staff|mind|watch))\s+(?:the\s+|my\s+)?(?:chat|desk|queue)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "We need a warm body on the desk Tuesday 10-12, any takers?",
            "Could use an extra pair of hands on chat Friday at 2.",
        ],
        silent: &[
            "The report needs a body of evidence for the chat stats.",
            "We don't need a body on the desk during the closure.",
        ],
    },
    // The requester naming which part of the shift is wanted ("it's the
    // second half I need, 1-2", "it's only the first hour that I need
    // covered"): the ask narrowed, still an ask. A part one needs for
    // oneself ("the second half I need to read") is none.
    Cue {
        id: "ask.the_part_i_need",
        signal: Signal::Ask,
        pattern: r"(?i)\bit(?:'s|’s|s| is)\s+(?:only\s+|just\s+)?(?:the|my)\s+(?:first|second|last|other|latter|front|back|early|later?|morning|afternoon)\s+(?:half|hour|part|bit|one|slot|shift)\s+(?:that\s+)?i\s+need(?:\s+(?:covered|cover|someone|help with|a sub)\b|\s*[,.;:!)]|\s*$)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Sorry, I meant: it's only the first hour that I need covered.",
            "its the other half i need, 3-4",
        ],
        silent: &["It's the second half I need to read before class."],
    },
    Cue {
        id: "ask.need_coverage",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:need|needs|needing|looking for|look for|seeking|searching for|hoping (?:to find|for|someone)|hope to find|requesting|in need of|could use|would love|'d love|find)\s+(?:(?:some|chat|desk|shift|a\s+bit\s+of|a\s+little|urgent|last-minute|last minute)\s+){0,2}(?:coverage|cover\b|a cover|someone|somebody|some one\b|anyone|(?:people|folks|takers|volunteers|(?:two|a couple of|a few)\s+(?:people|folks|colleagues))\s+to\s+(?:take|cover|grab|pick up|sub\b|fill in|do\b|work\b)|a sub\b|a substitute|a swap|a trade|a volunteer|volunteers|help covering|help with (?:my|a|the) (?:\w+ )?shift|a replacement|backup|a hand|to find (?:someone|coverage|a sub)|to swap|to trade|to switch|(?:my|his|her|their|this|the|a|(?-i:[A-Z][a-z]+)'s)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|slot|hours?|chat)s?(?:\s+(?:that|this|next)\s+(?:week|day|month)|\s+on\s+(?:the\s+)?[\w/]+)?\s+covered|my\s+(?:mon|tue|wed|thu|fri)[a-z]*(?:\s*(?:,|and|&|\+)\s*(?:mon|tue|wed|thu|fri)[a-z]*)*(?:\s+(?:that|this|next)\s+(?:week|day|month))?\s+covered)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotWondering,
        ],
        fires: &[
            "I need coverage for Friday.",
            "I'll need my Wednesday and Friday shifts that week covered.",
            "away at a wedding, need my Mon and Wed next week covered",
            "I'm at a retreat and need my 10-12 chat covered.",
            "meeting tomorrow so I need some one to cover me 3:30-5",
            "Not sure whether I'll be back in time, so I need coverage for Friday 2-4.",
            "Looking for people to take both my desk shifts next week.",
            "Need two people to cover Monday and Wednesday, 10-12.",
            "Kofi is at a conference and needs his Tuesday 10-12 slot covered.",
            "We need Ama's Friday chat covered; she is out on jury duty.",
            "also need my early slot on the 26th covered if anyone can",
        ],
        silent: &[
            "I no longer need coverage.",
            "Is the desk open on Presidents Day? I don't know whether I should be looking for a sub.",
            "Not sure if we need to find coverage when classes are cancelled.",
            "Please keep your Monday shifts that week or find coverage.",
            "We're looking for people to join the web committee.",
            "No need to have my Thursday covered after all.",
            "We're closed that Friday, so no one needs to find coverage.",
            "The desk is dark over spring break; nobody has to find a sub for those days.",
            "Campus is shut, so nobody needs to log in or find coverage today.",
            "You don't need to post or look for someone for the holiday.",
            "The building shuts at noon that day, so no need to find anyone for the afternoon.",
            "You don't have to find a sub for the snow days.",
            "Kofi no longer needs his Tuesday slot covered.",
            "She needs her laptop covered by the warranty.",
        ],
    },
    // A reply that joins an ask in the thread ("+1", "same", "me too")
    // and names the writer's own shift asks for it as well.
    Cue {
        id: "ask.me_too_my_shift",
        signal: Signal::Ask,
        pattern: concat!(
            r"(?i)(?:^|\n)\W*(?:\+1|same(?: here)?|me too|ditto)\s*(?:[,:;!.-]|\s)\s*(?:(?:i\s+)?(?:also\s+)?need\s+)?(?:for\s+)?my\s+(?:(?:",
            weekday_abbrevs!(),
            r")[a-z]*|early|late|morning|afternoon|lunch|closing|opening|\d{1,2}(?:[:/]\d\d?)?)\b(?:\s+[\w/]+){0,4}?\s*(?:(?:too|as well|also)\s*(?:[,.!?]|$|if\b|please\b)|,\s*if\b|if\b|please\b|$|[.!?])"
        ),
        guards: &[Guard::NotNegated, Guard::NotTakenBack],
        fires: &[
            "me too - my Friday morning next week as well",
            "same here, my 2/19 slot too please",
        ],
        silent: &[
            "+1, my Friday works fine for the meeting.",
            "Same, my Monday is too busy to add training.",
            "Thanks, +1 to the new form.",
        ],
    },
    Cue {
        id: "ask.coverage_needed",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:coverage|cover|sub|substitute|swap|trade)\s+(?:needed|wanted|requested|request|please|for (?:my|me)|needed)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotWondering,
        ],
        fires: &["Coverage needed for Thursday."],
        silent: &[
            "Coverage map attached.",
            "Plans changed: please ignore my earlier coverage request for Monday.",
        ],
    },
    Cue {
        id: "ask.needs_covered",
        signal: Signal::Ask,
        pattern: r"(?i)\bneed(?:s|ed)?\s+(?:to be\s+|it\s+|this\s+|them\s+)?covered\b|\bneeds\s+covering\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotWondering,
        ],
        fires: &[
            "My Monday shift needs to be covered.",
            "my thurs 3:30-5 needs covering",
        ],
        silent: &["We covered the basics.", "Nothing needs covering."],
    },
    Cue {
        id: "ask.please_cover",
        signal: Signal::Ask,
        pattern: r"(?i)\bplease\s+(?:cover|take\s+(?:my|it|this|that|over|on|the\s+(?:\w+\s+)?(?:shift|slot|hours?|chat)|\d{1,2}(?::\d\d)?\s*(?:-|to)\s*\d)|let me know if you can (?:cover|take))\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Please cover my 2-4 if you can."],
        silent: &["Please note the new hours."],
    },
    Cue {
        id: "ask.any_takers",
        signal: Signal::Ask,
        pattern: r"(?i)\bany takers\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Any takers?"],
        silent: &["Tea makers are in the lounge."],
    },
    Cue {
        id: "ask.bare_anyone",
        signal: Signal::Ask,
        // "cant do tmrw 12-2 sry. anyone?": a bare "anyone?" after the
        // writer says when.
        pattern: r"(?im)(?:^|[.!?,;]\s*)\W*(?:anyone|anybody|any\s?one|some\s?one|somebody)\s*\?",
        guards: &[
            Guard::NotConditional,
            Guard::NotAboutPatron,
            Guard::NotReported,
            Guard::SaysWhen,
        ],
        fires: &["Can't do tomorrow 12-2, sorry. Anyone?"],
        silent: &[
            "Printer's jammed again. Anyone?",
            "Anyone know if chat is open Friday?",
        ],
    },
    Cue {
        id: "ask.appreciate_if",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:appreciate\s+(?:it\s+)?|be\s+(?:so\s+|very\s+|really\s+|super\s+|most\s+|extremely\s+|truly\s+|ever\s+so\s+|immensely\s+)?(?:grateful|thankful|great|wonderful|amazing|a\s+huge\s+help|a\s+big\s+help)\s+|help\s+(?:me\s+)?(?:out\s+)?(?:a\s+lot\s+)?)if\s+(?:someone|somebody|anyone|anybody|one\s+of\s+you|any\s+of\s+you|you|a\s+colleague)\s+(?:could|can|would|might|is\s+able\s+to|are\s+able\s+to|were\s+able\s+to|was\s+able\s+to|might\s+be\s+able\s+to|(?:is|are|were|was|would\s+be|might\s+be|could\s+be)\s+in\s+a\s+position\s+to)\s+(?:\w+\s+)?(?:cover|take|step\s+in|jump\s+in|fill\s+in|sub\b|swap|trade|pick|grab|work|do)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "I'd appreciate it if someone could step in.",
            "I should be most grateful if one of you were in a position to take my Friday.",
            "I would be very grateful\nif someone could take my Friday.",
        ],
        silent: &[
            "I appreciate everyone's hard work.",
            "I would be most grateful if one of you were in a position to share your slides.",
        ],
    },
    Cue {
        id: "ask.grateful_for_help_with",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:grateful|thankful|appreciative)\s+for\s+(?:any\s+)?(?:help|assistance|support)\s+(?:with|covering|on)\s*(?::|the\s+following\b|these\s+(?:shifts|slots|days|dates)\b|(?:my|any\s+of\s+my)\s+(?:[\w/:-]+\s+){0,3}?(?:shifts?|slots?|chat\s+hours)\b)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "I'd be thankful for any help covering the following: Mon 3/8, Wed 3/10.",
            "We would be grateful for assistance with my Thursday 12/10 shift.",
        ],
        silent: &[
            "I'm grateful for any help with the new LibGuide.",
            "Thanks, I was grateful for your help with my shift last week",
        ],
    },
    Cue {
        id: "ask.who_can",
        signal: Signal::Ask,
        pattern: r"(?i)\bwho\s+(?:can|could|would|wants to|is able to|is free to|might be able to|is available to)\s+(?:cover|take|swap|trade|sub|fill|pick)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Who can take my Wednesday shift?"],
        silent: &["Who was on chat yesterday?"],
    },
    // Non-native and plain ways to ask who will do one's shift: "who can
    // do my Friday slot", "could anyone replace me", "take my place".
    Cue {
        id: "ask.who_does_my_shift",
        signal: Signal::Ask,
        pattern: r"(?i)\bwho\s+(?:(?:can|could|would|will|wants to|is able to|is free to|might be able to|is available to)\s+(?:make|do|work|take over)|takes|does|makes|works|covers)\s+(?:my|me)\b[^.?!\n]{0,30}?\b(?:shift|slot|hours?|chat|(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)(?:day|nesday|rsday|urday)?)\b|\bwho\s+(?:(?:can|could|would|will|wants to|is able to|is free to|might be able to|is available to)\s+(?:replace|relieve|substitute)|replaces|relieves|substitutes)\s+me\b|\bwho\s+(?:can|could|would|will|wants to|is able to|is free to|might be able to|is available to)\s+(?:(?:sub|substitute|stand in|fill in)\s+for\s+me\b|take\s+my\s+place\b)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Who could do my Thursday evening slot?",
            "So who is able to replace me on Monday?",
            "who can take my place next Friday",
            "Who does my Tuesday? I am at a conference.",
            "who replaces me on the 3rd",
        ],
        silent: &[
            "Who can make the staff meeting?",
            "Who can do the training signup?",
            "I wonder who will replace the old printer.",
            "Who takes my mail when I'm away?",
        ],
    },
    Cue {
        id: "ask.replace_me",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|would|will|is|are|might)\s+(?:someone|somebody|anyone|anybody|any one|one of you|any of you|someone else|anyone else)\s+(?:please\s+)?(?:replace|relieve|substitute)\s+me\b|\b(?:could|can|would|will|might)\s+(?:someone|somebody|anyone|anybody|any one|one of you|any of you|someone else|anyone else)\s+(?:please\s+)?take\s+my\s+place\b|\b(?:someone|somebody|anyone|anybody)\s+(?:who\s+|that\s+)?(?:replaces|substitutes(?:\s+for)?|relieves)\s+me\b|\bi\s+(?:search|seek|am searching|'m searching)\s+(?:for\s+)?(?:someone|somebody)\s+(?:for|to\s+(?:do|take|make|cover|work))\s+my\s+(?:\w+\s+){0,2}?(?:shift|slot|hours?|chat|(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)(?:day|nesday|rsday|urday)?)\b|\bi\s+(?:search|seek|look for|am searching|'m searching|am looking|'m looking)\s+(?:for\s+)?(?:a|one|some)\s+(?:replacement|substitute|replacer)\s+(?:for\s+(?:me|my|mon|tue|wed|thu|fri|sat|sun|the\s+\d|\d|next|this|tomorrow|today)|on\s)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Could anybody replace me next Tuesday afternoon?",
            "Can somebody take my place on the 3rd?",
            "I search a replacement for Monday morning.",
            "Is possible that someone replaces me Friday?",
            "I search somebody to do my Thursday.",
        ],
        silent: &[
            "Can someone replace the toner in the back printer?",
            "Somebody took my place in the parking line.",
            "I am looking for a replacement charger.",
            "I search someone for my thesis committee.",
        ],
    },
    // "I need 12:00-14:00 on 12/15 covered": the span itself stands where
    // a shift word would.
    Cue {
        id: "ask.need_span_covered",
        signal: Signal::Ask,
        pattern: r"(?i)\bneed\s+(?:\w+\s+){0,2}?(?:\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)?\s*(?:-|–|—|to|until|till)\s*\d|\d{1,2}/\d{1,2}\b|\d{4}-\d\d-\d\d)[^.!?\n]{0,30}?\s+covered\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotWondering,
        ],
        fires: &[
            "I need 10:30-12 on Monday 3/8 covered.",
            "Still need 9-11 covered for the 4th.",
            "We need 2027-02-01 covered, the whole afternoon.",
        ],
        silent: &[
            "I need 2 books covered in plastic.",
            "I don't need 1-3 covered anymore.",
            "Need 3/4 of the chairs set up.",
        ],
    },
    // A requester narrowing their own call to a part ("now I just need
    // 10-11", "I only need 2:30 to 3:30"): still an ask, for that part. A
    // count of things ("I only need 2-3 copies") is none; the span must end
    // its clause or be followed by when.
    Cue {
        id: "ask.only_need_span",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:i|we)\s+(?:now\s+|really\s+)?(?:only|just)\s+(?:now\s+)?need\s+(?:someone\s+|somebody\s+|cover\s+|coverage\s+)?(?:for\s+|from\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|to|until|till)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:$|[,.;!?)]|now\b|then\b|on\b|covered\b|that\b|this\b|next\b)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Update: Tom can stay late, so we only need 3:30 to 5 on Friday.",
            "Turns out I just need someone from 10-11, the rest I can do.",
        ],
        silent: &[
            "I only need 2-3 copies of the flyer.",
            "We just need 10 to 15 minutes at the staff meeting.",
        ],
    },
    Cue {
        id: "ask.is_anyone_able",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:is|are)\s+(?:anyone|anybody|someone|somebody)\s+(?:\w+\s+)?(?:able|available|free|willing|around|interested)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Is anyone available Thursday morning?"],
        silent: &["Is everyone okay?"],
    },
    Cue {
        id: "ask.let_me_know_if",
        signal: Signal::Ask,
        pattern: r"(?i)\blet me know if (?:you|anyone|anybody|someone|somebody)\s+(?:\w+\s+){0,2}?(?:can|could|is able to|are able to|would be able to|is free to|are free to|is available to|are available to|would like to|wants? to)\s+(?:cover|take|swap|trade|sub|fill|pick|grab|help)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Let me know if anyone can take it."],
        silent: &["Let me know what you think."],
    },
    Cue {
        id: "ask.want_to_swap",
        signal: Signal::Ask,
        pattern: r"(?i)\bwant(?:s)? to (?:swap|trade|switch)\b[^.!\n]{0,60}\?",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Does anyone want to swap for my Friday?"],
        silent: &["I want to swap my phone."],
    },
    Cue {
        id: "ask.swap_question",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:swap|trade|switch)\b[^.!?\n]{0,60}\?",
        guards: &[
            Guard::NotPolicyQuestion,
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Trade my Monday for your Tuesday?",
            "Anyone up for a switch, my Thursday for your Friday?",
        ],
        silent: &[
            "We discussed a trade agreement.",
            "When two of us switch days, should we tell Courtney, or just fix the calendar?",
            "What's the rule on swaps made less than a week ahead?",
        ],
    },
    Cue {
        id: "ask.i_need_to_find",
        signal: Signal::Ask,
        pattern: r"(?i)\bi\s+(?:need|have)\s+to\s+(?:give away|find (?:someone|coverage|a sub)|get (?:my|this|the) (?:\w+ ){0,3}?(?:shift|slot) covered)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotWondering,
        ],
        fires: &["I need to find someone for my shift."],
        silent: &["I need to find my keys."],
    },
    Cue {
        id: "ask.any_volunteers",
        signal: Signal::Ask,
        pattern: r"(?i)\bany\s+(?:volunteers|volunteer|one free|one around|one available)\s*\?",
        guards: &[Guard::NotConditional, Guard::NotNegated],
        fires: &["I'm out Thursday 2-4. Any volunteers?"],
        silent: &[
            "Thanks to all the volunteers this term!",
            "Any volunteers from the fall can sign up again.",
        ],
    },
    Cue {
        id: "ask.up_for_grabs",
        signal: Signal::Ask,
        pattern: r"(?i)\bup for grabs\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["My Tuesday slot is up for grabs."],
        silent: &["Free bagels, all for the taking."],
    },
    Cue {
        id: "ask.can_i_get",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|may|might)\s+i\s+(?:get|have|find|ask)\s+(?:someone|somebody|anyone|a volunteer|a sub\b|coverage|some coverage|help|a hand)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Could I get someone to cover 3-5?"],
        silent: &["Could I get a copy of the report?"],
    },
    Cue {
        id: "ask.could_you",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|would|will)\s+(?:you|any of you|one of you|you all|y'all)\s+(?:\w+\s+){0,3}?(?:cover|take (?:my|the|it|this|that|over|part|half|\d)|swap|trade|sub\b|fill in|pick up)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Could you cover my Monday 10-12?"],
        silent: &["Could you send the link?"],
    },
    // "Any chance you could take my Monday?": the ask in the statement's
    // word order, after "any chance".
    Cue {
        id: "ask.any_chance",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:any|is there (?:any|a)|there any)\s+chance\s+(?:that\s+)?(?:you|u|someone|somebody|anyone|anybody|one of you|any of you|y'all|you all)(?:\s+(?:could|can|would|might|will)|'d)\s+(?:\w+\s+){0,3}?(?:cover|take\s+(?:my|the|it|this|that|over|part|half|\d)|swap|trade|sub\b|fill\s+in|pick\s+up|grab|do\s+my|work\s+my|step\s+in)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Any chance you could cover my Thursday 1/14?",
            "Is there any chance someone can take my 2-3:30 on Friday?",
            "Tom, any chance you'd be willing to swap Wednesdays with me?",
        ],
        silent: &[
            "Any chance you could send me the slides?",
            "Is there any chance the widget gets fixed by Monday?",
            "No chance you could cover, I know.",
        ],
    },
    Cue {
        id: "ask.whoever",
        signal: Signal::Ask,
        pattern: r"(?i)\bwhoever (?:can|could|is able to|is free to|takes|picks|grabs|covers)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Whoever can take it, thank you!"],
        silent: &["However it goes, thanks."],
    },
    Cue {
        id: "ask.is_there_anyone",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:is there|are there)\s+(?:anyone|anybody|someone|somebody|any\s+volunteers?)\b[^.?!\n]{0,40}?\b(?:cover|take|swap|trade|sub\b|fill|pick|grab|free|available|able)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["Is there anyone who could take my Friday?"],
        silent: &["Is there a meeting today?"],
    },
    Cue {
        id: "ask.shift_available",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:shift|slot)\s+(?:is\s+)?(?:available|open)\b[^.!?\n]{0,30}\b(?:anyone|someone|grabs|takers|interested|wants)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &["My Friday shift is available, anyone interested?"],
        silent: &["The shift ended early."],
    },
    Cue {
        id: "ask.give_away",
        signal: Signal::Ask,
        // "would love to give my morning shift away", "giving away my
        // Monday slot": the writer wants their own shift taken off them.
        pattern: r"(?i)\b(?:want|wants|like|love|need|needs|hoping|hope|looking|trying|have|has|got)\s+to\s+(?:give|hand)\s+(?:away\s+|off\s+)?(?:my|this|that|the)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|slots|hours|chat)\b|\b(?:giving|handing)\s+(?:away|off)\s+(?:my|this|that|the)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|shifts|slot|slots|hours|chat)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotReported,
            Guard::NotTakenBack,
            Guard::NotWondering,
        ],
        fires: &[
            "I'd love to give my Thursday slot away if anyone wants it.",
            "Giving away my Monday 3:30-5 shift, first come first served.",
        ],
        silent: &[
            "She wants to give her shift away.",
            "I don't want to give my shift away, just move it.",
            "Please don't give away the secret of the new chat widget.",
        ],
    },
    // Terser still: "anyone for wed?", "anybody for thurs 2/4?", the day
    // alone standing for the shift, the question ending there.
    Cue {
        id: "ask.anyone_for_day",
        signal: Signal::Ask,
        pattern: concat!(
            r"(?im)(?:^|[.!?]\s+)\W*(?:anyone|anybody|any\s?one|someone|somebody|any takers)\s+(?:free\s+|around\s+|available\s+|able\s+)?for\s+(?:the\s+)?(?:",
            weekday_abbrevs!(),
            r"|",
            weekday_names!(),
            r"|tomorrow|tmrw|tmw)(?:\s+(?:\d{1,2}/\d{1,2}|the\s+\d{1,2}(?:st|nd|rd|th)?|am|pm|morning|afternoon|one))?\s*\?"
        ),
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "anybody for thurs 2/4?",
            "Sorry all. Anyone free for tomorrow?",
        ],
        silent: &[
            "Anyone for coffee?",
            "Anyone for Friday trivia?",
            "Is anyone for Tuesday's vote?",
        ],
    },
    Cue {
        id: "ask.anyone_for_my",
        signal: Signal::Ask,
        // Terse phone mail: "anyone for my mon + wed shifts next wk?", a
        // question that opens its sentence and names the writer's shift.
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:anyone|anybody|any\s?one|someone|somebody|any takers)\s+(?:free\s+|around\s+|available\s+|able\s+)?for\s+(?:my|her|his|their|this|that|these|those)\s+[^.?!\n]{0,40}?\b(?:shift|shifts|slot|slots|hours|chat)\b[^.!?\n]{0,40}\?",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Anyone for my Thursday 2-3:30 shift? Dentist.",
            "ugh. somebody free for my fri slot tomorrow?",
        ],
        silent: &[
            "Did anyone for my Tuesday shift see the ticket?",
            "Anyone for coffee before my shift?",
            "Thanks to anyone for my shifts last month.",
        ],
    },
    // "Can anybody take Thurs 3/4, 12-2?": the day itself is the object of
    // the ask, written with a date, a time or a part of the day after it,
    // so that "take Monday off" and "take Friday's notes" ask nothing.
    Cue {
        id: "ask.take_a_day",
        signal: Signal::Ask,
        pattern: concat!(
            r"(?i)\b(?:could|can|would|will|might)\s+(?:someone|somebody|some one|anyone|anybody|any\s?one|one of you|any of you|someone else|anyone else|y'all|you all|folks)\s+(?:please\s+)?take\s+(?:on\s+)?(?:",
            weekday_abbrevs!(),
            r")(?:[a-z]*day)?\b\.?,?\s*(?:the\s+)?(?:\d|(?:morning|afternoon|noon|shift|slot)\b)"
        ),
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
            Guard::NotTakenBack,
        ],
        fires: &[
            "Can anybody take Thurs 3/4, 12-2?",
            "would someone take friday afternoon for me",
            "Could one of you take Mon the 8th?",
        ],
        silent: &[
            "Can anyone take Monday off?",
            "Could someone take Friday's meeting notes?",
            "Can anybody take Tuesday's recap to the dean?",
        ],
    },
    Cue {
        id: "need.cannot_work_own",
        signal: Signal::CannotWork,
        pattern: r"(?i)(?:\b(?:can't|cannot|can not|unable to|not\s+(?:going to\s+|gonna\s+)?(?:be\s+)?able to)|n't\s+(?:going to\s+|gonna\s+)?(?:be\s+)?able to|\b(?:won't make|can't make|won't be around for|will miss|will have to miss|have to miss|need to miss|'ll miss|'ll have to miss|(?:am|'m) going to (?:have to )?miss|(?:am|'m) gonna miss|(?:am|'m|will be|'ll be) missing))\s+(?:make|do|work|cover|staff|attend|be at|be there for|get to|be in for|be on|take)?\s*(?:it to\s+)?(?:my|part of my|the first|the last|all of my|the second)\b[^.!?\n]{0,40}\b(?:shift|shifts|slot|hours?|chat)\b",
        guards: &[Guard::NotConditional, Guard::NotNegated],
        fires: &["I won't be able to make my Thursday shift."],
        silent: &["I can't make the staff meeting."],
    },
    Cue {
        id: "need.writer_away",
        signal: Signal::CannotWork,
        pattern: r"(?i)\bi(?:'ll| will|'m going to| am going to)\s+(?:be|need to be)\s+(?:out|away|traveling|travelling|off|on vacation|on leave|unavailable|at a|at an|at the|in a|in meetings|presenting|teaching)\b[^\n]{0,120}\b(?:shift|chat|cover)",
        guards: &[Guard::NotConditional, Guard::NotNegated],
        fires: &["I'll be away at a conference during my chat shift."],
        silent: &["I'll be at the desk all afternoon."],
    },
    Cue {
        id: "need.writer_has_conflict",
        signal: Signal::CannotWork,
        pattern: r"(?i)\bi have (?:a|an)\s+(?:\w+\s+){0,2}?(?:conflict|appointment|meeting|class|training|workshop)\b[^\n]{0,120}\b(?:shift|chat|cover)",
        guards: &[Guard::NotConditional, Guard::NotNegated],
        fires: &["I have a dentist appointment during my Monday chat time."],
        silent: &["I have a question about the widget."],
    },
    Cue {
        id: "need.shift_conflict",
        signal: Signal::CannotWork,
        pattern: r"(?i)\b(?:shift|chat)\b[^\n]{0,80}\bconflict",
        guards: &[Guard::NotConditional, Guard::NotNegated],
        fires: &["My Tuesday shift is a conflict with a class."],
        silent: &["No conflict with the schedule here."],
    },
    Cue {
        id: "sick.out_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:out|home|off|staying home)\s+sick\b",
        guards: SICK_GUARDS,
        fires: &["I'm home sick with a cold, sorry all."],
        silent: &[
            "Angie was out sick last week.",
            "I am not out sick today, just late.",
        ],
    },
    Cue {
        id: "sick.sick_when",
        signal: Signal::Sick,
        pattern: r"(?i)\bsick\s+(?:today|tomorrow|tonight|this (?:morning|afternoon|week)|again|day|leave|as a dog)\b",
        guards: SICK_GUARDS,
        fires: &["Sick today, sorry."],
        silent: &["Are you sick today?"],
    },
    // Sick since a day or a night gone by ("sick since sunday, out today
    // and tmrw"): the writer is ill now. Someone else's illness is no
    // notice of the writer's.
    Cue {
        id: "sick.sick_since",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^|[.!?,]\s+|\bi(?:'ve| have)\s+)[^\w\n]*(?:been\s+)?(?:sick|ill|unwell)\s+(?:ever\s+)?since\s+(?:yesterday|last\s+(?:night|evening|week)|the\s+weekend|this\s+morning|friday|saturday|sunday|monday|tuesday|wednesday|thursday|fri|sat|sun|mon|tue|tues|wed|thu|thurs)\b",
        guards: SICK_GUARDS,
        fires: &[
            "Been sick since saturday, staying home Monday.",
            "ill since last night, I won't make chat today",
            "Hi all, I've been unwell since Friday and can't come in.",
        ],
        silent: &[
            "Tom has been sick since Friday, so keep him in your thoughts.",
            "She has been ill since the weekend.",
        ],
    },
    Cue {
        id: "sick.feeling_bad",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:i'm|i am|i've been|i have been|i feel|i'm feeling|i am feeling|feeling|i got|i've gotten|i woke up|woke up|i was up all night|been up all night)\s+(?:really |very |pretty |quite |so |a bit |too |a little |kind of |kinda |super |still |now |just )*(?:sick|ill|unwell|awful|terrible|lousy|crummy|rough|horrible|feverish|nauseous|dizzy|miserable|crook)\b",
        guards: SICK_GUARDS,
        fires: &[
            "I'm feeling pretty awful this morning.",
            "Been feeling a bit crook since last night, staying home.",
            "I am writing to let you know that I am feeling unwell and will stay home.",
        ],
        silent: &[
            "She said she was feeling awful.",
            "I'm not feeling sick anymore.",
            "I hope you are feeling unwell no longer.",
            "I'm feeling like a crook for asking again.",
        ],
    },
    Cue {
        id: "sick.not_feeling_well",
        signal: Signal::Sick,
        pattern: r"(?i)\bnot feeling (?:well|great|good|100%|so well|too well|very well|so great|too great|my best)\b",
        guards: SICK_GUARDS,
        fires: &["Not feeling well today, so I'm staying in."],
        silent: &["You're not feeling well?"],
    },
    Cue {
        id: "sick.under_the_weather",
        signal: Signal::Sick,
        pattern: r"(?i)\bunder the weather\b",
        guards: SICK_GUARDS,
        fires: &["A bit under the weather, sorry all."],
        silent: &[
            "Is he under the weather?",
            "I'm not under the weather at all.",
        ],
    },
    Cue {
        id: "sick.illness_noun",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:have|has|got|caught|with|running|come down with|came down with|coming down with|woke up with|fighting|battling|i've got)\s+(?:a |the |an |some )?(?:\w+\s+)?(?:fever|flu|stomach bug|stomach flu|migraine|covid|covid-19|cold|sore throat|food poisoning|strep|virus|norovirus|head cold|sinus infection|bug|temperature|ear infection|bronchitis|pink eye)\b",
        guards: SICK_GUARDS,
        fires: &["I've got a fever and chills."],
        silent: &["I got a flu shot today."],
    },
    Cue {
        id: "sick.came_down_with",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:come|came|coming) down with\b",
        guards: SICK_GUARDS,
        fires: &["Came down with something overnight."],
        silent: &[
            "You came down with it too?",
            "Luckily I didn't come down with anything.",
        ],
    },
    Cue {
        id: "sick.called_in",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:call(?:ing|ed)?|phon(?:e|ed|ing)|ring(?:ing)?|rang|text(?:ed|ing)?|messag(?:e|ed|ing)) (?:in|out) sick\b",
        guards: SICK_GUARDS,
        fires: &[
            "Calling in sick for tomorrow.",
            "Phoning in sick, sorry all.",
        ],
        silent: &["If he called in sick, tell me."],
    },
    Cue {
        id: "sick.tested_positive",
        signal: Signal::Sick,
        pattern: r"(?i)\btested positive\b",
        guards: SICK_GUARDS,
        fires: &["Tested positive this morning."],
        silent: &[
            "They tested positive last week.",
            "I haven't tested positive, so I'll be in.",
        ],
    },
    Cue {
        id: "sick.symptom",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:throwing up|vomiting|migraine|fever|food poisoning|stomach bug)\b",
        guards: SICK_GUARDS,
        fires: &["Up all night throwing up."],
        silent: &["My daughter has a migraine."],
    },
    Cue {
        id: "sick.positive_for",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:covid|covid-19|flu|strep)\s*(?:\+|\bpositive\b)|\bpositive for (?:covid|covid-19|the flu|flu|strep)\b",
        guards: SICK_GUARDS,
        fires: &[
            "Flu positive, staying in bed.",
            "came back positive for strep",
        ],
        silent: &[
            "Our covid positivity rate is down.",
            "She tested covid+ on Monday.",
        ],
    },
    // A positive test named by its result first ("got a positive flu swab
    // this morning", at a sentence's start or as the writer's own) or said
    // to have come back so ("my covid test came back positive"): the writer
    // is ill. Someone else's test, or a rule about tests, is not the
    // writer's illness.
    Cue {
        id: "sick.positive_test",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^[^\w\n]*|[.!?;:][^\S\n]*|\b(?:got|had|have|received|i've got|i got)\s+(?:a\s+)?|\bmy\s+)positive\s+(?:covid|covid-19|flu|strep|rapid|pcr|home|antigen)\s+(?:test|swab|result)s?\b|\b(?:covid|covid-19|flu|strep|rapid|pcr|antigen)\s+(?:test|swab)\s+(?:came back|was|is|turned up|turned out)\s+positive\b",
        guards: SICK_GUARDS,
        fires: &[
            "Got a positive flu swab at urgent care, so I'm in bed.",
            "My covid test came back positive an hour ago.",
        ],
        silent: &[
            "My son had a positive strep test yesterday.",
            "Please don't come in with a positive covid test.",
        ],
    },
    Cue {
        id: "sick.bare_sick",
        signal: Signal::Sick,
        // "sick." or "home sick," as a sentence of its own.
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:sick|out sick|home sick|sick today|sick again|feeling sick)\s*[.!,;]",
        guards: SICK_GUARDS,
        fires: &[
            "Home sick, sorry all.",
            "Ugh. Sick again. My 2-4 needs a sub.",
        ],
        silent: &["Sick of the printer jams.", "He's sick."],
    },
    // A diagnosis reported as the whole news ("Doctor says strep.", "urgent
    // care thinks it's the flu."): the illness word ends the clause, so
    // talk of shots, clinics or seasons is not one.
    Cue {
        id: "sick.diagnosed",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^|[.!?]\s+|\bmy\s+|\bthe\s+)\W*(?:doctor|doc|dr\.?|urgent care|clinic|gp|nurse)\s+(?:says|said|thinks|confirmed|confirms|diagnosed)\s+(?:it's\s+|it is\s+|it was\s+|i have\s+|i've got\s+|me with\s+)?(?:a\s+|the\s+)?(?:flu|strep|covid|covid-19|bronchitis|pneumonia|a virus|virus|stomach bug|norovirus|sinus infection|ear infection|pink eye|mono)\s*(?:[.!,;:]|$|\s+(?:and|so|-)\s)",
        guards: SICK_GUARDS,
        fires: &[
            "Urgent care confirmed strep, so I'm home through Friday.",
            "Doc thinks it's the flu. I can't come in tomorrow.",
        ],
        silent: &[
            "The doctor says flu shots are free on Tuesday.",
            "My doctor said the flu season is early this year.",
            "Her doctor says it's strep.",
        ],
    },
    Cue {
        id: "sick.doctors_orders",
        signal: Signal::Sick,
        pattern: r"(?i)\bdoctor'?s orders\b",
        guards: SICK_GUARDS,
        fires: &["Doctor's orders: stay in bed."],
        silent: &["You should follow doctor's orders."],
    },
    Cue {
        id: "sick.bracketed",
        signal: Signal::Sick,
        pattern: r"(?i)\(\s*(?:sick|ill|flu|fever|covid)\s*\)",
        guards: SICK_GUARDS,
        fires: &["Out Friday (sick)."],
        silent: &["He is out (sick) today."],
    },
    Cue {
        id: "sick.caring_for_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:sick|ill|feverish)\s+(?:kid|kiddo|kids|child|children|son|daughter|baby|toddler|little one|partner|husband|wife|spouse)\b",
        guards: SICK_GUARDS,
        fires: &["Sick kid at home, can't come in."],
        silent: &["He has a sick kid at home."],
    },
    Cue {
        id: "sick.home_with_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\bhome with (?:a |my |the |our )?(?:sick|ill|feverish)\b",
        guards: SICK_GUARDS,
        fires: &["Stuck home with a sick toddler."],
        silent: &["She's home with a sick toddler."],
    },
    Cue {
        id: "sick.child_is_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:kid|kiddo|child|son|daughter|baby|toddler)(?:'s|\s+is|\s+has|\s+woke up)\s+(?:sick|ill|with a fever|a fever|the flu|running a fever|throwing up)\b",
        guards: SICK_GUARDS,
        fires: &["My kiddo woke up with a fever."],
        silent: &["They said the baby is sick."],
    },
    Cue {
        id: "sick.bare_illness",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:the\s+)?(?:flu|fever|covid|strep|migraine|stomach bug|food poisoning|norovirus|a cold|head cold)\s*[.!,;]",
        guards: SICK_GUARDS,
        fires: &[
            "Flu. Out the rest of the week.",
            "Ugh. Migraine, can't do 2-4.",
        ],
        silent: &["Flu shots are on Tuesday.", "Covid policy is on the wiki."],
    },
    // A symptom or a bug caught, without the word "sick", is a sick notice
    // only when the writer also says they will be out.
    Cue {
        id: "sick.symptom_and_out",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^|[.!?]\s+|\bi(?:'m| am|'ve been| have been)\s+)\W*(?:still\s+|now\s+|really\s+|so\s+)?(?:coughing|sneezing|congested|wheezing|achy|aching all over|feverish|nauseous|shivering|hacking)\b",
        guards: &[
            Guard::AboutWriter,
            Guard::NotPrevention,
            Guard::NotIllnessDenied,
            Guard::SaysAbsent,
        ],
        fires: &[
            "Still sneezing and congested. Not coming in today, so my 12-2 is open.",
            "I've been wheezing all night and won't be in for my Thursday shift.",
        ],
        silent: &[
            "Still coughing a little, but I'll be in for my shift.",
            "He's been coughing all week, so he is not coming in.",
        ],
    },
    // The illness as the one acting: "the flu finally got me", "this cold
    // has me flat on my back".
    Cue {
        id: "sick.illness_got_me",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:the|a|this|that|my)\s+(?:flu|cold|head cold|bug|stomach bug|virus|crud|migraine|covid|strep|plague)\s+(?:has\s+|'s\s+)?(?:finally\s+|now\s+|officially\s+)?(?:got me|caught up with me|caught me|knocked me (?:out|flat|down)|laid me (?:out|up|low)|flattened me|floored me|took me (?:out|down)|has me (?:in bed|down|out|flat|laid up|home))\b",
        guards: SICK_GUARDS,
        fires: &[
            "The flu finally caught up with me, so I'm staying home today.",
            "This cold has me flat on my back; I won't be in for my Monday shift.",
        ],
        silent: &[
            "The bug finally got fixed, so I won't be in the way of the new widget today.",
            "The flu got my whole family last month; I'm fine now.",
        ],
    },
    Cue {
        id: "sick.caught_something",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:whatever|something|the bug|a bug|the crud|what's going around)\s+(?:that\s+)?i(?:'ve)?\s+caught\b|\bi(?:'ve)?\s+caught\s+(?:something|a bug|the bug|the crud|what(?:ever)?'s going around)\s*(?:[.,;!]|$|\s+(?:over|from|at|this|last|going|and|so)\b)",
        guards: &[
            Guard::AboutWriter,
            Guard::NotPrevention,
            Guard::NotIllnessDenied,
            Guard::SaysAbsent,
        ],
        fires: &[
            "I caught something over the weekend and won't be in for my Tuesday shift.",
            "Whatever I caught at the conference has me staying home today.",
        ],
        silent: &[
            "I caught the early bus, so I won't be in late.",
            "I caught something odd in the catalog record; my 2-4 is open for questions.",
        ],
    },
    // A terse notice that opens with the illness word and goes straight on
    // to the day or what the writer cannot do ("Sick - can't do today",
    // "ill today", with an emoji or a dash between).
    Cue {
        id: "sick.terse_notice",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^|[.!?]\s+|\s[-–—]+\s)[^\w\n]*(?:sick|ill|unwell)\b[^\w\n]{0,12}(?:no chat|today|tonight|this morning|this afternoon|can't|cant|cannot|can not|won't|wont|not coming|not in|out|home|so)\b",
        guards: SICK_GUARDS,
        fires: &[
            "Unwell 😷 won't make it in.",
            "Ill this morning, my 10-12 needs a sub.",
            "Sick -- cannot come in.",
            "dana - sick, no chat for me",
        ],
        silent: &[
            "Sick of the printer jams today.",
            "Ill-timed meeting today, sorry.",
            "She is ill today.",
            "The printer - ill-behaved, out of toner again.",
        ],
    },
    // An illness named and, in the same breath, the writer out: "fever,
    // staying home today", "flu - off all day".
    Cue {
        id: "sick.illness_then_out",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:flu|fever|covid|strep|migraine|stomach bug|food poisoning|a cold|head cold|sick|ill|unwell)\s*[,;:–—-]+\s*(?:out|off|home|staying home|not coming in|not in)\s+(?:today|tonight|tomorrow|this (?:morning|afternoon|week)|for the day|sick|all day)\b",
        guards: SICK_GUARDS,
        fires: &[
            "Woke up with a fever, staying home today.",
            "ugh - flu; off all day",
            "dana here - fever, home today.",
        ],
        silent: &[
            "Covid rules - out of date now.",
            "The flu clinic is off today.",
            "Sorry, he has the flu, out today.",
        ],
    },
    Cue {
        id: "withdrawn.no_longer_need",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bno longer (?:need|needed|require|looking|necessary|an issue)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotFallback,
            Guard::NotNegated,
            Guard::NotTagQuestion,
        ],
        fires: &["I no longer need coverage for Friday."],
        silent: &[
            "I no doubt need a coffee.",
            "So I no longer need cover for the 24th, right?",
        ],
    },
    Cue {
        id: "withdrawn.dont_need",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:don't|do not|won't|will not|doesn't|does not)\s+need\s+(?:coverage|cover|a sub|anyone|anybody|someone|somebody|it covered|the coverage|help|a swap|to swap|to trade|this covered|covering)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotFallback,
            Guard::NotNegated,
            Guard::NotTagQuestion,
        ],
        fires: &[
            "I don't need a sub after all.",
            "I don't need coverage anymore, could someone take the post down?",
        ],
        silent: &[
            "I don't need the projector.",
            "So the Monday after Thanksgiving does not need cover, correct?",
        ],
    },
    // The need is said to be gone, in so many words, with "after all" or
    // "anymore" saying it was there before ("no sub needed after all").
    Cue {
        id: "withdrawn.none_needed_after_all",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bno\s+(?:cover|coverage|sub|substitute|replacement|swap|trade|help)\s+(?:is\s+|will be\s+)?(?:needed|necessary|required)\s+(?:after all|any ?more|any longer)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotFallback,
            Guard::NotNegated,
            Guard::NotTagQuestion,
        ],
        fires: &[
            "My trip got moved, so no sub needed after all.",
            "Good news: no replacement is necessary anymore.",
        ],
        silent: &[
            "No coverage needed on holidays.",
            "So no sub needed after all for Friday, right?",
            "No help needed with the printer, it works.",
        ],
    },
    Cue {
        id: "withdrawn.never_mind",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bnever ?mind\b|\bnvm\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Never mind, all sorted!"],
        silent: &["I mind the gap."],
    },
    Cue {
        id: "withdrawn.disregard",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bdisregard\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Please disregard my last email."],
        silent: &["Regards, Tom"],
    },
    Cue {
        id: "withdrawn.cancel_request",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bcancel(?:l?ing|l?ed)?\s+(?:my|this|the|that)\s+(?:\w+\s+)?(?:request|ask|post|call|message|email)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Cancelling my earlier request."],
        silent: &["The class was cancelled."],
    },
    Cue {
        id: "withdrawn.request_cancelled",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:request|post|ask)\s+(?:is\s+)?(?:cancell?ed|withdrawn|retracted|closed)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["My request is withdrawn."],
        silent: &["Please post a request."],
    },
    Cue {
        id: "withdrawn.withdraw",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bwithdraw(?:ing|n)?\s+(?:my|this|the)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Withdrawing my request for Tuesday."],
        silent: &["I'll withdraw cash later."],
    },
    Cue {
        id: "withdrawn.can_work_after_all",
        signal: Signal::Withdrawn,
        pattern: r"(?i)(?:\b(?:can|could|will be able to|am able to|i'll|i will|i'm going to)|'ll be able to|'m able to)\s+(?:\w+\s+)?(?:work|make|do|cover|keep|staff|take)\s+(?:it|my|the)\b[^.!?\n]{0,40}\bafter all\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I can work my shift after all."],
        silent: &["I can work on that report."],
    },
    Cue {
        id: "withdrawn.feeling_better",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:i'm|i am|i feel|feeling)\s+(?:much |a lot |way |a bit |so much )?better\b[^.!?\n]{0,60}(?:\bcan\b|\bwill\b|'ll\b|\bable\b|\bbe in\b)",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I'm feeling much better and can do my shift."],
        silent: &["Feeling better soon, I hope."],
    },
    Cue {
        id: "withdrawn.after_all_can",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bafter all\b[^.!?\n]{0,40}\b(?:can|able|work|make|do|cover|keep)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["After all that, I can make it."],
        silent: &["After all, it is Friday."],
    },
    Cue {
        id: "withdrawn.scratch_that",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bscratch (?:that|this|my|the)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Scratch that, I'm fine."],
        silent: &["I got a scratch on my car."],
    },
    Cue {
        id: "withdrawn.retract",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bretract\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I retract my request."],
        silent: &["The cables retracted."],
    },
    Cue {
        id: "withdrawn.here_after_all",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bi(?:'ll| will) be (?:here|there|around|in) after all\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I'll be here after all."],
        silent: &["I'll be here until five."],
    },
    Cue {
        id: "withdrawn.ignore_email",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bignore (?:my|this|the|that) (?:previous |last |earlier |above |original )?(?:email|message|request|post|note)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Ignore my previous email, please."],
        silent: &["Ignore the noise outside."],
    },
    Cue {
        id: "withdrawn.turns_out_i_can",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bturns out i (?:can|will be able to|'ll be able to|am able to|'m able to|can make|will make)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["Turns out I can make it."],
        silent: &["Turns out it rained."],
    },
    Cue {
        id: "withdrawn.no_longer_away",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:i'm|i am) no longer (?:out|away|traveling|going|attending)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I'm no longer traveling that week."],
        silent: &["I'm no fan of traveling."],
    },
    Cue {
        id: "withdrawn.plans_changed",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:my )?(?:meeting|appointment|conference|workshop|trip|class|event|training|session|interview|flight|plans?)\b[^.!?\n]{0,40}\b(?:was |got |has been |have been |is |were )?(?:cancell?ed|moved|rescheduled|postponed|called off|fell through|changed)\b[^\n]{0,80}\b(?:so|and)\b[^\n]{0,40}\b(?:can|able|will|i'll)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["My appointment got rescheduled so I can work."],
        silent: &["My appointment is at noon."],
    },
    Cue {
        id: "withdrawn.can_make_it_now",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bi can (?:make|do|work) it (?:after all|now|again)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I can make it now, thanks!"],
        silent: &["I can make a list."],
    },
    Cue {
        id: "withdrawn.still_able",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:still|now) (?:be )?able to (?:work|make|do|cover|staff)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I'm still able to work Friday."],
        silent: &["Are you able to come?"],
    },
    Cue {
        id: "withdrawn.keep_my_shift",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bi(?:'ll| will) (?:work|do|keep|cover|take) (?:it|my (?:own )?(?:\w+ )?shift) (?:myself|after all)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I'll keep my Monday shift myself."],
        silent: &["I'll keep you posted."],
    },
    // Non-native word orders of "I don't need it anymore": "I do not need
    // anymore the replacement", "I need no more a substitute".
    Cue {
        id: "withdrawn.need_no_more",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:don't|do not|doesn't|does not|won't|will not)\s+need\s+(?:anymore|any longer|no more)\s+(?:(?:the|a|my|any|that|this)\s+)?(?:replacement|substitute|sub\b|cover\b|coverage|someone|somebody|anyone|anybody|help|swap|trade)|\b(?:don't|do not|doesn't|does not|won't|will not)\s+need\s+any\s+more\s+(?:the|a|my|that|this)\s+(?:replacement|substitute|sub\b|cover\b|coverage|swap|trade)|\b(?:don't|do not|doesn't|does not|won't|will not)\s+need\s+(?:the|a|my|that|this)\s+(?:replacement|substitute|sub|swap|trade)\s+(?:anymore|any more|any longer)\b|\bneed\s+no\s+(?:more|longer)\s+(?:(?:the|a|my|any)\s+)?(?:replacement|substitute|sub\b|cover\b|coverage|someone|somebody|anyone|help|swap)|\b(?:don't|do not|doesn't|does not)\s+need\s+more\s+(?:the|a|my|that|this)\s+(?:replacement|substitute|sub\b|cover\b|coverage|swap)|\b(?:replacement|substitute)\s+(?:is|it's)\s+(?:no|not)\s+more\s+(?:necessary|needed)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotFallback,
            Guard::NotNegated,
            Guard::NotTagQuestion,
        ],
        fires: &[
            "I don't need anymore a substitute for Monday, my trip is off.",
            "We need no more a replacement for the 12th.",
            "I do not need the swap any longer, thanks.",
            "The substitute is no more necessary, the trip is cancelled.",
            "I don't need more the sub for Friday.",
        ],
        silent: &[
            "I don't need anymore paper for the printer.",
            "We don't need any more volunteers for the book sale.",
            "So I don't need anymore a sub on Friday, right?",
            "Coverage is not needed on holidays.",
            "Chat is closed that week, so coverage is not needed anymore.",
        ],
    },
    // "Cancel that," opening a sentence: the writer takes back what they
    // said before; a meeting or order cancelled is named after it.
    Cue {
        id: "withdrawn.cancel_that",
        signal: Signal::Withdrawn,
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:ok(?:ay)?,?\s+|oh,?\s+|sorry,?\s+|please\s+)?(?:cancel|forget|ignore)\s+(?:that|this|all that)\s*(?:[,.!;:–—-]|$)",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &[
            "Okay, forget that - the trip moved, I'm here Monday.",
            "Cancel this. My appointment moved.",
            "Ignore that, I'll be in on Friday.",
        ],
        silent: &[
            "Cancel that meeting, please.",
            "Did they cancel that? The class, I mean.",
            "Ignore that printer warning, it's harmless.",
        ],
    },
    // Offers: the writer volunteers. Tried in table order (the first row
    // with a match decides which cue is named), read where the reader's
    // conditions are set aside ("if you still need someone, I can take it").
    Cue {
        id: "offer.i_can_take",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s*(?:'d|would|can|could|am able to|'m able to|would be able to|'d be able to|should be able to|might be able to|may be able to|am happy to|'m happy to|'d be happy to|would be happy to|'d be glad to|would be glad to|am glad to|'m glad to|'d love to|would love to|am willing to|'m willing to|'d be willing to|would be willing to|will|'ll|'m going to|am going to|shall)\s+(?:\w+\s+)?(?:do|take|cover|work|grab|pick up|help|fill in|sub|swap|trade|switch|step in|jump in|handle|be there|cover for|pitch in|pick (?:it|this|that|them) up|grab (?:it|this|that)|swing (?:it|this|that|your|the))\b",
        guards: OFFER_GUARDS,
        fires: &[
            "I can take your Tuesday shift.",
            "I could probably swing your Monday afternoon.",
            "I may be able to swing that one.",
            "I'm busy Wednesday but I'll grab your Friday.",
            "I'd take it, but only until three.",
            "I'll do your 3rd in exchange for my 10th.",
            "I could cover your Monday if you'd be willing to staff my Friday in exchange.",
            "I'll work your Thursday out of my office, no problem.",
            "Nobody has taken the Friday slot yet. I can pick it up.",
        ],
        silent: &[
            "Sadly I could take it only after five.",
            "I'll take you up on that, thanks!",
            "I can trade for anything in May.",
            "I'm happy to take one of your shifts in return.",
            "I can do the first half hour myself.",
            "I can't cover Friday.",
            "I won't be able to take it.",
            "I will not take it this time.",
            "I would never cover that late.",
            "I could not cover Monday.",
            "I'll not be there Tuesday.",
            "I'd cover your Friday, but I have a dentist appointment then.",
            "I would gladly do it but my class runs until four.",
            "Mark it in the sheet and I'll work out the rota from there.",
            "I could do Tuesday at 11 for the planning meeting, if that suits.",
            "The box of new headsets came to the front desk. I can pick it up on Monday.",
            "Left my keys in the staff room, could someone grab them? I'll pick them up Friday.",
            "I'll swing by the desk at noon with the keys.",
            "I can't swing it this week, sorry.",
        ],
    },
    // "I could manage 10-11" offers a span (or the shift) with a verb of
    // coping rather than of covering.
    Cue {
        id: "offer.i_could_manage",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s*(?:could|can|'d|would|should|might|may)\s+(?:probably\s+|maybe\s+|still\s+)?manage\s+(?:it\b|that\b|this one\b|your\b|from\b|until\b|till\b|the (?:first|last|second) (?:hour|half)|\d)",
        guards: OFFER_GUARDS,
        fires: &[
            "I could probably manage 11-12 on Monday if nobody else can.",
            "I can manage your Thursday.",
        ],
        silent: &[
            "I can't manage it this week, sorry.",
            "I could manage the chat settings page if you like.",
            "Not sure how I could manage that with my class schedule.",
        ],
    },
    Cue {
        id: "offer.happy_to",
        signal: Signal::Offer,
        pattern: r"(?i)\b(?:happy|glad|willing|able|delighted)\s+to\s+(?:do|take|cover|help|fill in|sub|swap|trade|pick|grab|step|jump|work)\b",
        guards: OFFER_GUARDS,
        fires: &[
            "Happy to take it!",
            "Sure, glad to help.",
            "Glad to do your Monday 10-11 if you'll cover my Friday in return.",
        ],
        silent: &[
            "Is anyone willing to take my Friday?",
            "Would anybody be able to help out on the 9th?",
            "Would you be willing to take my Monday?",
            "Nobody's replied yet. Would someone possibly be able to cover it?",
        ],
    },
    // The writer stays on past their own shift to take the next ("I'm on
    // until two anyway, so I could stick around and do two to four").
    Cue {
        id: "offer.stay_on",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s*(?:can|could|'ll|will|'d be happy to|'d be glad to|am happy to|'m happy to)\s+(?:just\s+|easily\s+|also\s+)?(?:stay|stick around|hang around|remain)\s+(?:on\s+|late\s+|longer\s+|around\s+)?(?:and\s+(?:do|cover|take|work|handle)\b|(?:until|till|til|to|through|thru|past)\s+(?:\d|noon|one|two|three|four|five|close|closing)\b)",
        guards: OFFER_GUARDS,
        fires: &[
            "My shift ends at 2 anyway, so I could stick around and take 2-3:30.",
            "I can stay on until five if that helps.",
            "I'm happy to stay on through 3:30 on Friday, Ben.",
        ],
        silent: &[
            "I can't stay on past three, sorry.",
            "Could you stay on until five?",
            "I can stay on the committee another year.",
        ],
    },
    Cue {
        id: "offer.im_free",
        signal: Signal::Offer,
        pattern: r"(?i)\bi(?:'m| am)\s+(?:\w+\s+)?(?:free|available|around|open)\b",
        guards: OFFER_GUARDS,
        fires: &[
            "I'm totally free Thursday afternoon.",
            "I am available Friday 2-4.",
            "I'm around all Monday.",
        ],
        silent: &[
            "Not sure whether I'm around that week.",
            "I'm not free Thursday.",
            "I am not available that day.",
            "I'm never around on Fridays.",
            "I am no longer available Tuesdays.",
            "I'm really not free.",
        ],
    },
    Cue {
        id: "offer.put_me_down",
        signal: Signal::Offer,
        pattern: r"(?i)\b(?:put|pencil|sign)\s+me\s+(?:down|in|up)\b",
        guards: OFFER_GUARDS,
        fires: &["Pencil me in for 3-4."],
        silent: &["Please don't sign me up for the newsletter."],
    },
    Cue {
        id: "offer.count_me_in",
        signal: Signal::Offer,
        pattern: r"(?i)\bcount me in\b",
        guards: OFFER_GUARDS,
        fires: &["Count me in for Monday."],
        silent: &["I wish you could count me in."],
    },
    Cue {
        id: "offer.ive_got_it",
        signal: Signal::Offer,
        // "this"/"that" is the shift only when nothing follows it ("I've
        // got this!"); before a noun it names what the writer has ("I've got
        // that meeting Friday").
        pattern: r"(?i)\bi(?:'ve| have)? got (?:it\b|you\b|your back\b|(?:this|that)(?: one)?(?:\s*(?:[!.,;:)]|-|$)|\s+(?:covered|for)\b))",
        guards: OFFER_GUARDS,
        fires: &[
            "I got you, Mei.",
            "I've got this!",
            "I have got that one for you.",
        ],
        silent: &[
            "Not sure I got that right.",
            "I've got that meeting on Friday.",
            "I got this email from the dean.",
            "I have got that training all day.",
            "I've not got it in me this week.",
        ],
    },
    Cue {
        id: "offer.ill_do_it",
        signal: Signal::Offer,
        pattern: r"(?i)\bi(?:'ll| will) do it\b",
        guards: OFFER_GUARDS,
        fires: &["Fine, I'll do it."],
        silent: &["Nobody knows when I'll do it."],
    },
    Cue {
        id: "offer.im_in",
        signal: Signal::Offer,
        // Assent only when it stands alone or names what it takes ("I'm
        // in!", "I'm in for Tuesday"); followed by a place or an activity it
        // says where the writer is ("I'm in a meeting", "I'm in Chicago").
        pattern: concat!(
            r"(?i)\bi(?:'m| am) in\b(?:\s*(?:[!.,;:)]|-|$)|\s+too\b|\s+(?:on|for)\s+(?:it|that|this|that one|this one|your\b|you\b|tomorrow|tonight|today|next|the \d|\d|(?:",
            weekday_abbrevs!(),
            r"|sat|sun)[a-z]*\b))"
        ),
        guards: OFFER_GUARDS,
        fires: &[
            "I'm in!",
            "I'm in for Tuesday.",
            "Sure, I am in.",
            "I'm in, happy to help.",
            "I'm in too",
            "I'm in for the 3rd.",
        ],
        silent: &[
            "Unfortunately I am in Denver then.",
            "I'm in a meeting all afternoon.",
            "I am in class until 3 that day.",
            "I'm in the office on Friday.",
            "I'm in Chicago that week.",
            "I'm in training for the new catalog.",
            "I'm in for a long week.",
        ],
    },
    Cue {
        id: "offer.bare_yes",
        signal: Signal::Offer,
        // "Yes, me." answers "can someone ...?" by naming the writer.
        pattern: r"(?i)^\W*(?:(?:yes|yep|yeah|sure|ok|okay|oh)\W+me|me|me too|yes|yep|sure|can do|(?:(?:yes|yep|yeah|sure|ok|okay)\W+)?(?:i can|i could|i'm free|i am free|can do))\W*$",
        guards: OFFER_GUARDS,
        fires: &[
            "Me!",
            "can do",
            "Sure - me!",
            "Yes, I can.",
            "Yep - I'm free!",
        ],
        silent: &[
            "Yes, the desk is open.",
            "Yes, meet me at the desk.",
            "Okay, message me.",
            "Yes, I can see the queue.",
            "Yes, I can't.",
        ],
    },
    // A reply that opens by naming the writer as the answer to "can
    // someone ...?" ("Yes, me. I'm around anyway."), with more said after.
    // "Me neither" or "Me too, sick" answer nothing.
    Cue {
        id: "offer.opens_with_me",
        signal: Signal::Offer,
        pattern: r"(?i)^\W*(?:(?:yes|yep|yeah|sure|ok|okay|oh)\W+me|me|me please|me, please|(?:yes|yep|yeah|sure)\W+i\s+(?:can|could)(?:\s+do\s+(?:it|that))?)\s*[.!]+(?:\s|$)",
        guards: OFFER_GUARDS,
        fires: &[
            "Sure, me! I have nothing on Tuesday afternoon.",
            "Yeah, I can! I'm around all afternoon anyway.",
        ],
        silent: &[
            "Me neither. The schedule is a mystery.",
            "Yes, message me when you know.",
            "I emailed Tom. Yes, me again.",
            "Yes, I can see the queue. It's empty.",
            "I asked Ben. Yes, I can. He can't.",
        ],
    },
    Cue {
        id: "offer.i_volunteer",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s+(?:volunteer|can help|could help|can do that|can do it)\b",
        guards: OFFER_GUARDS,
        fires: &["I volunteer for Friday."],
        silent: &["Not sure I can help this week."],
    },
    Cue {
        id: "offer.id_be_glad",
        signal: Signal::Offer,
        pattern: r"(?i)\b(?:i'd|i would) be (?:happy|glad|willing|able) to\b|\b(?:i'd|i would|i should|i shall|i will|i'll)\s+be\s+(?:delighted|pleased|honoured|honored)\s+to\s+(?:help|assist|cover|take|step in|fill in|stand in|oblige|do it)\b",
        guards: OFFER_GUARDS,
        fires: &[
            "I'd be glad to.",
            "I should be delighted to step in on Friday.",
        ],
        silent: &[
            "I wish I'd be able to.",
            "I would be pleased to hear how the session went.",
        ],
    },
    Cue {
        id: "offer.works_for_me",
        signal: Signal::Offer,
        pattern: r"(?i)\bwould work for me\b|\bworks for me\b",
        guards: OFFER_GUARDS,
        fires: &["Tuesday 2-3 works for me."],
        silent: &["Not sure Tuesday works for me."],
    },
    Cue {
        id: "offer.could_do_it",
        signal: Signal::Offer,
        pattern: r"(?i)(?:^|\bbut|\band|\bso)\s*(?:could|can)\s+(?:do|take|cover|grab)\s+(?:it|that|this|the shift|them)\b",
        guards: OFFER_GUARDS,
        fires: &["On the desk until 2 but could take it after."],
        silent: &["Who can take it?"],
    },
    // "I could sit on chat till 3", "I can sit in on the desk for the first
    // hour": an offer to be on the service rather than to take a shift.
    Cue {
        id: "offer.can_sit_on_chat",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s*(?:can|could|'d be able to|would be able to|am able to|'m able to)\s+(?:\w+\s+)?(?:sit|hop|jump|stay)\s+(?:on|in on|in at|at|on to|onto)\s+(?:chat|the chat|the desk|the chat desk|ask chat|libchat|the queue)\b",
        guards: OFFER_GUARDS,
        fires: &[
            "I can sit on the desk till 3 if that helps.",
            "I could probably hop on chat for the first hour.",
        ],
        silent: &[
            "I could sit on the committee next year.",
            "Sadly I can't sit on chat Friday.",
            "Can I sit in on the chat training?",
        ],
    },
    // "I can replace you on the 27th", "I could stand in for her": an
    // offer in words other than take/cover.
    Cue {
        id: "offer.i_can_replace",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s*(?:can|could|'ll|will|would|'d|am able to|'m able to|am happy to|'m happy to|'d be happy to|would be happy to|am glad to|'m glad to|shall|may|'m willing to|am willing to)\s+(?:\w+\s+)?(?:replace|relieve|substitute(?:\s+for)?|sub\s+for|stand\s+in\s+for|take\s+the\s+place\s+of)\s+(?:you|him|her|them)\b|\bi\s*(?:can|could|'ll|will|would|'d|am able to|'m able to|shall|may)\s+(?:\w+\s+)?take\s+(?:your|his|her|their)\s+place\b|\bi\s*(?:can|could|'ll|will|would|'d|am able to|'m able to|shall|may)\s+(?:\w+\s+)?make\s+(?:your|his|her|their)\s+(?:\w+\s+){0,2}?(?:shift|slot|hours)\b",
        guards: OFFER_GUARDS,
        fires: &[
            "I could substitute for you on the 9th, if it helps.",
            "Sure, I can take your place on Monday.",
            "I can make your Tuesday shift.",
        ],
        silent: &[
            "I can replace the toner in the back printer.",
            "I can't replace you on Friday, sorry.",
            "I can make your meeting.",
        ],
    },
    // "For me it is ok to do it", "is no problem for me to take it", "I
    // replace you": offers in non-native word orders.
    Cue {
        id: "offer.ok_for_me",
        signal: Signal::Offer,
        pattern: r"(?im)\b(?:is|it's)\s+(?:ok|okay|fine|possible|no problem)\s+for\s+me\s+to\s+(?:do|take|cover|replace|substitute|make|work)\b|\bfor\s+me\s+(?:it\s+)?(?:is|it's)\s+(?:ok|okay|fine|possible|no problem)\s+to\s+(?:do|take|cover|replace|substitute|make|work)\b|(?:^|[.!?,;:]\s*)i\s+(?:replace|substitute for|sub for)\s+(?:you|him|her)\b",
        guards: OFFER_GUARDS,
        fires: &[
            "For me it is fine to take the Friday.",
            "Is possible for me to cover your shift on the 9th.",
            "No problem, I replace you on Tuesday.",
        ],
        silent: &[
            "Is it ok for me to swap with Dana?",
            "It is not possible for me to cover Friday.",
            "If I replace you, who does my Tuesday?",
        ],
    },
    // "I can to take it", "I could to stay in the chat": an offer with the
    // "to" of a learner's English after the modal.
    Cue {
        id: "offer.can_to_verb",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s+(?:can|could)\s+to\s+(?:do|take|cover|stay|work|make|help|replace|substitute|sit|be)\b",
        guards: OFFER_GUARDS,
        fires: &["Is ok, I could to take your Monday."],
        silent: &[
            "I can't to take it, sorry.",
            "Who could to help me with the printer?",
        ],
    },
    // "I can stay from 3 to 4", "I could sit for 1-2pm on the 9th": an offer
    // to be there for a span of clock times.
    Cue {
        id: "offer.sit_for_span",
        signal: Signal::Offer,
        pattern: r"(?i)\bi\s*(?:can|could|'ll|will|'d be able to|would be able to|am able to|'m able to)\s+(?:\w+\s+)?(?:sit|stay|be there|be on|be online)\s+(?:for|from)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)?\s*(?:-|–|to|until|till)\s*\d",
        guards: OFFER_GUARDS,
        fires: &["Sure, I could stay from 3 to 4 on Monday."],
        silent: &[
            "I can't sit for 2 to 3 hours straight.",
            "Can I stay for 1-2 at the workshop?",
        ],
    },
    // Phone replies drop the "I": "can do the mon one", "yep could grab ur
    // tues" opening a sentence offer as "I can ..." does.
    Cue {
        id: "offer.subjectless_can",
        signal: Signal::Offer,
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:(?:yes|yep|yeah|sure|ok|okay)\W+)?(?:can|could)\s+(?:do|take|cover|grab|pick up)\s+(?:it|that|this|the|your|ur|any|[a-z]+'s)\b[^?\n]*(?:$|[.!])",
        guards: OFFER_GUARDS,
        fires: &[
            "can take the monday one if nobody has it",
            "yep could grab ur tues",
            "Sure, can cover Ben's 3rd.",
            "could take any friday shifts in march if folks need",
        ],
        silent: &[
            "Can you take the Monday one?",
            "No one can do the early one.",
            "can't do the friday one, sorry",
            "Can do the training next week? Asking for Tom.",
            "can any of you take my friday",
        ],
    },
    // A standing offer: "if anyone needs a Monday covered this month, let
    // me know" volunteers without naming a day that is wanted.
    Cue {
        id: "offer.if_anyone_needs_cover",
        signal: Signal::Offer,
        pattern: r"(?i)\bif\s+(?:anyone|anybody|someone|somebody|any of you|you)\s+(?:ever\s+|still\s+|else\s+)?needs?\s+(?:[\w/'-]+\s+){0,7}?(?:covered|a sub|a substitute|coverage|a swap|cover|a hand with (?:a |their |your )?(?:shift|slot))\b[^.!?\n]{0,60}?(?:let me know|lmk|just ask|give me a shout|ping me|i'm (?:happy|glad|around|free|available)|i (?:can|could)\s+(?:do|take|cover|help|fill|step|jump|pick|grab|swap))",
        guards: &[Guard::NotNegated, Guard::NotDeclined],
        fires: &[
            "If anybody needs a Friday covered in April, let me know.",
            "if someone needs cover over break, just ask",
        ],
        silent: &[
            "If anyone needs the chat login, let me know.",
            "If anyone needs cover on Monday, I can't help this time.",
            "Let me know if anyone needs a sub.",
        ],
    },
    // "i got angie's mon 12-2", "I've got your Thursday if nobody else
    // does": the writer claims a colleague's shift by its day or time.
    Cue {
        id: "offer.got_someones_shift",
        signal: Signal::Offer,
        pattern: concat!(
            r"(?i)\bi(?:'ve| have)?\s+got\s+(?:[a-z]+'?s|your|ur)\s+(?:\w+\s+)?(?:shift|slot|",
            weekday_abbrevs!(),
            r"|",
            weekday_names!(),
            r"|\d{1,2}(?::\d\d)?\s*(?:-|to)\s*\d)\b"
        ),
        guards: OFFER_GUARDS,
        fires: &[
            "ok i got dana's wed if she still needs it",
            "I've got your Friday 2-3:30.",
        ],
        silent: &[
            "I got Angie's email about Monday.",
            "I got your message about the shift.",
            "I haven't got your Friday figured out.",
        ],
    },
    // Confirmations: coverage is arranged. Read where the reader's
    // conditions are set aside; not in a clause that wants cover or states
    // a case.
    Cue {
        id: "covered.all_set",
        signal: Signal::Covered,
        pattern: r"(?i)\ball set\b",
        guards: COVERED_GUARDS,
        fires: &["All set for Friday, thanks everyone."],
        silent: &[
            "Let me know when you're all set.",
            "We're not all set yet for Friday.",
            "Not quite all set, still need the 4-5 hour.",
        ],
    },
    Cue {
        id: "covered.is_covered",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:is|are|has been|have been|got|now|all|been|'s|it's|shift's|you're|you are)\s+covered\b",
        guards: COVERED_GUARDS,
        fires: &[
            "My Wednesday has been covered.",
            "Ben can stay on till 5, so you're covered, Sarah.",
        ],
        silent: &[
            "Once my Wednesday is covered I'll relax.",
            "Nothing's covered yet.",
            "If you're covered for Friday, tell Courtney.",
        ],
    },
    Cue {
        id: "covered.covered_thanks",
        signal: Signal::Covered,
        pattern: r"(?i)\bcovered,?\s+(?:thanks|thank you)\b",
        guards: COVERED_GUARDS,
        fires: &["Friday: covered, thank you!"],
        silent: &["Tell me if Friday gets covered, thanks."],
    },
    Cue {
        id: "covered.found_coverage",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:found|got|have|secured|arranged|lined up)\s+(?:coverage|a sub\b|a cover\b|a replacement)\b",
        guards: COVERED_GUARDS,
        fires: &[
            "I lined up a replacement for Tuesday.",
            "Don't worry, I found coverage.",
        ],
        silent: &[
            "I need to have coverage for Tuesday.",
            "I haven't found coverage for Tuesday.",
            "We still have not secured a sub.",
            "I never arranged a replacement.",
        ],
    },
    Cue {
        id: "covered.coverage_arranged",
        signal: Signal::Covered,
        pattern: r"(?i)\bcoverage\s+(?:is\s+|has been\s+)?(?:found|arranged|secured|confirmed|set|sorted)\b",
        guards: COVERED_WHOSE_GUARDS,
        fires: &["Coverage has been sorted for the 9th."],
        silent: &[
            "Please reply once coverage is confirmed.",
            "Access Services has their own coverage sorted for the holidays.",
            "The circulation desk's coverage is arranged through January.",
        ],
    },
    Cue {
        id: "covered.were_set",
        signal: Signal::Covered,
        pattern: r"(?i)\bwe'?re (?:all )?(?:set|good|covered)\b",
        guards: COVERED_GUARDS,
        fires: &["We're good for Monday now."],
        silent: &["Tell me if we're covered for Monday."],
    },
    // "I'm set" is the requester's own "we're set": the shift is taken care
    // of; not "I'm set to present" or "I'm set up".
    Cue {
        id: "covered.im_set",
        signal: Signal::Covered,
        pattern: r"(?im)\bi'?m\s+(?:all\s+)?(?:set|sorted)(?:\s*[.!,;]|\s*$|\s+now\b|\s+for\s+(?:mon|tues?|wed|thu|fri|the\s+\d|\d))",
        guards: COVERED_GUARDS,
        fires: &["Priya stepped in, so I'm all set for Thursday."],
        silent: &[
            "I'm set to present at 2 on Thursday.",
            "Tell me when I'm set up in the new widget.",
            "I'm not set for Thursday yet.",
        ],
    },
    // The shift has its people ("Friday's 2-3:30 is now fully staffed"):
    // arranged. Staffing wanted, or a day never staffed, is none.
    Cue {
        id: "covered.shift_staffed",
        signal: Signal::Covered,
        pattern: concat!(
            r"(?i)\b(?:shift|shifts|slot|slots|it|that|this|everything|afternoon|morning|hour|",
            weekday_names!(),
            r")(?:'s|\s+is|\s+are|\s+has been|\s+have been)\s+(?:now\s+|all\s+|already\s+)*(?:fully\s+)?staffed\b"
        ),
        guards: COVERED_GUARDS,
        fires: &[
            "Good news: Friday afternoon is now fully staffed.",
            "With Mei on board, that slot's staffed.",
            "Ben has the first hour and Tom the second, so that afternoon is now staffed.",
        ],
        silent: &[
            "Chat is never fully staffed on Fridays.",
            "Let me know once the afternoon is staffed.",
            "Is Thursday staffed yet?",
            "Please sign up so that the afternoon is staffed.",
        ],
    },
    Cue {
        id: "covered.swapped_with",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:swapped|traded|switched)\s+(?:shifts\s+)?with\b",
        guards: COVERED_GUARDS,
        fires: &["I traded shifts with Ben."],
        silent: &[
            "I'm hoping to get switched with someone.",
            "I haven't swapped with anyone yet.",
            "I have not traded shifts with Ben after all.",
        ],
    },
    Cue {
        id: "covered.took_care_of_it",
        signal: Signal::Covered,
        pattern: r"(?i)\btook care of it\b",
        guards: COVERED_GUARDS,
        fires: &["Sarah took care of it."],
        silent: &[
            "Let me know if someone took care of it.",
            "Nobody took care of it.",
            "No one really took care of it.",
        ],
    },
    Cue {
        id: "covered.its_yours",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:it'?s|it is) (?:all )?yours\b",
        guards: COVERED_GUARDS,
        fires: &["It's all yours, Tom."],
        silent: &["Just confirm and it's yours."],
    },
    // The requester telling the addressed colleague they take it ("Thank
    // you Dana, you replace me thursday", "ok, you'll cover my shift
    // then"): coverage arranged, the coverer the one addressed. Asked ("can
    // you cover me?") or checked ("so you take my shift then?") is none.
    Cue {
        id: "covered.you_take_mine",
        signal: Signal::Covered,
        pattern: r"(?i)(?:^|[.!,;:]\s*|\b(?:so|then|ok|okay|great|perfect)\s+)you(?:'ll| will| are going to|'re going to)?\s+(?:replace|cover|take|do|work)\s+(?:me\b|my\s+(?:[\w/:-]+\s+){0,2}?(?:shift|slot|chat|hours|turn)\b)",
        guards: &[
            Guard::NotConditional,
            Guard::NotHypothetical,
            Guard::NotDenied,
            Guard::NotTagQuestion,
        ],
        fires: &[
            "Thank you Dana, you replace me thursday.",
            "Perfect, you'll cover my Friday shift then. Thanks!",
        ],
        silent: &[
            "Thanks, can you cover me on Thursday?",
            "So you take my shift then?",
            "If you take my shift, I'll owe you one.",
        ],
    },
    Cue {
        id: "covered.sorted_thanks",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:sorted|settled)\b[^.!?\n]{0,20}\b(?:thanks|thank)",
        guards: COVERED_GUARDS,
        fires: &["Settled now, thanks all."],
        silent: &["Once it is settled, thanks in advance."],
    },
    Cue {
        id: "covered.shift_covered",
        signal: Signal::Covered,
        pattern: concat!(
            r"(?i)\b(?:shift|shifts|it|this|that|everything|",
            weekday_names!(),
            r")\s+(?:is\s+|are\s+|now\s+|all\s+|already\s+|has been\s+|have been\s+)*covered\b"
        ),
        guards: COVERED_GUARDS,
        fires: &[
            "Thursday already covered.",
            "Angie took it, so it is covered now.",
            "Mei swapped with me, so Friday is covered and everyone can relax.",
        ],
        silent: &[
            "I need my Thursday shift covered.",
            "She needs her Monday 2/1 and Wednesday 2/10 desk shifts covered.",
            "Post a note in the thread, so the others know the shift is covered.",
            "Reply-all, so everyone can see that it is covered.",
            "Write it in the desk log so Courtney is told the shift is covered.",
        ],
    },
    Cue {
        id: "covered.opening_word",
        signal: Signal::Covered,
        pattern: r"(?i)^\W*covered\b",
        guards: COVERED_GUARDS,
        fires: &["Covered! Thanks Dana."],
        silent: &["Uncovered still, sorry."],
    },
    // The writer tells the reader to stop worrying: the shift is taken
    // ("consider yourself covered", "consider it handled"). A wish about
    // the future ("consider it done once I hear back") is none.
    Cue {
        id: "covered.consider_it_done",
        signal: Signal::Covered,
        pattern: r"(?i)\bconsider\s+(?:it|that|this|yourself|yourselves|you|the (?:shift|slot|hour|afternoon|morning)|(?:your|his|her|their)(?:\s+[\w:/-]+){1,3}?)\s+(?:done|covered|handled|sorted|taken care of|dealt with)\b",
        guards: COVERED_GUARDS,
        fires: &[
            "Consider the afternoon handled, Dana.",
            "No worries, consider yourselves sorted for the 9th.",
            "Sure thing - consider your Monday 2-3:30 handled.",
            "Consider her Friday shift covered.",
        ],
        silent: &[
            "Consider your options before the vote.",
            "Please don't consider your shift covered until Ben confirms.",
            "Don't consider it covered until I write back.",
            "Consider this a reminder about the training.",
            "I'll consider it once the schedule is out.",
        ],
    },
    // A reply closing the request because what was offered is enough
    // ("that takes care of everything", "which took care of both"): the
    // thread's offer covers it.
    Cue {
        id: "covered.takes_care_of_all",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:that|this|which)\s+(?:takes|took|has taken|'s taken)\s+care\s+of\s+(?:it|both|everything|them|all of (?:it|them)|the rest|both (?:hours|shifts|slots|days))(?:\s*[.!,;)]|\s*$)",
        guards: COVERED_GUARDS,
        fires: &[
            "Great, which took care of everything.",
            "Perfect, this takes care of both shifts!",
        ],
        silent: &[
            "This takes care of itself.",
            "Does this take care of both?",
            "That takes care of the patrons waiting in the queue.",
        ],
    },
    // Someone (the coordinator, usually) assigned a named colleague to a
    // shift ("Angie has slotted Tom onto Mei's Thursday"): coverage is
    // arranged, the colleague covering. Assigning someone to a committee
    // is no shift.
    Cue {
        id: "covered.assigned_colleague",
        signal: Signal::Covered,
        pattern: concat!(
            r"(?i)\b(?:(?-i:[A-Z][a-z]+)|she|he|they|i|we)\s+(?:has\s+|have\s+|had\s+|'s\s+|'ve\s+|just\s+|already\s+)*(?:assigned|slotted|scheduled|booked|penciled|pencilled|put)\s+(?-i:[A-Z][a-z]+)\s+(?:in\s+)?(?:to|on|onto|into|for)\s+(?:(?-i:[A-Z][a-z]+)'s\s|his\s|her\s|their\s|the (?:shift|slot)\b|(?:",
            weekday_abbrevs!(),
            r")[a-z]*\b|\d{1,2}/\d{1,2}\b)"
        ),
        guards: &[
            Guard::NotConditional,
            Guard::NotWanted,
            Guard::NotHypothetical,
            Guard::NotDenied,
            Guard::NotImperative,
        ],
        fires: &["FYI, Angie has slotted Tom onto Mei's Thursday afternoon."],
        silent: &[
            "Courtney assigned Ben to the search committee.",
            "Please put Ben on Priya's Monday.",
            "Once Courtney puts Ben on Friday we're done.",
        ],
    },
    // How it turned out ("in the end Dana wound up covering it"): coverage
    // is arranged. What is taken must be the shift, not the writer's own
    // ("I ended up working my shift" takes the request back) nor an errand.
    Cue {
        id: "covered.ended_up_taking",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?:ended up|wound up|eventually|ultimately|in the end)\s+(?:taking|covering|doing|grabbing|working|picking up|staffing|subbing for|filling in for)\s+(?:it|this|that|this one|that one|them|both|the (?:shift|slot|desk|chat|hour|afternoon|morning)|chat|(?-i:[A-Z][a-z]+)'s|his|her|their)\b",
        guards: COVERED_GUARDS,
        fires: &["In the end Dana wound up covering it, thanks Dana."],
        silent: &[
            "I ended up taking the bus in.",
            "If Tom ended up taking it, tell me.",
            "I ended up working my own shift after all.",
        ],
    },
    // A day or shift said to be seen to ("Friday's handled", "your shift
    // is spoken for"): coverage is arranged. A case ("once Monday is
    // handled") or a question is none.
    Cue {
        id: "covered.day_taken_care_of",
        signal: Signal::Covered,
        pattern: concat!(
            r"(?i)\b(?:tomorrow|today|tonight|it|that|this|that one|this one|the shift|your shift|the slot|your slot|",
            weekday_abbrevs_without_weds!(),
            r"|",
            weekday_names!(),
            r")(?:'s|\s+is|\s+has been|\s+was)\s+(?:all\s+|now\s+|already\s+)?(?:taken care of|handled|spoken for)\b"
        ),
        guards: &[
            Guard::NotConditional,
            Guard::NotWanted,
            Guard::NotHypothetical,
            Guard::NotDenied,
            Guard::NotTagQuestion,
        ],
        fires: &[
            "Good news, Thursday is spoken for.",
            "Sarah, your shift has been taken care of.",
        ],
        silent: &[
            "Once Friday is handled I can relax.",
            "Nothing's been taken care of yet for Monday.",
        ],
    },
    // A named colleague is on chat in another's place ("Heads up: Tom is
    // on the desk for Angie Friday", "Mei will be on chat for Jorge at
    // 2"): coverage is arranged, said by a third party. A question ("Is
    // Tom on chat for Angie?"), a case or a stretch of time ("for an
    // hour") is none.
    Cue {
        id: "covered.colleague_on_chat_for",
        signal: Signal::Covered,
        pattern: r"(?i)\b(?-i:[A-Z][a-z]+)\s+(?:is|'s|will\s+be|is\s+going\s+to\s+be)\s+(?:now\s+|also\s+|(?:very\s+|so\s+)?kindly\s+|generously\s+)?(?:on|sitting\s+on|staffing|minding|watching)\s+(?:chat|the chat|the desk|desk|the queue)\s+(?:[^.!?;\n]{0,30}?\s)?(?:for|in place of|instead of)\s+(?:(?-i:[A-Z][a-z]+)|me)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotWanted,
            Guard::NotHypothetical,
            Guard::NotDenied,
            Guard::NotTagQuestion,
        ],
        fires: &[
            "Heads up: Tom is on the desk for Angie Friday afternoon.",
            "Mei will be on chat tomorrow at 2 for Jorge, so he can rest.",
            "Quick note: Tom is very kindly watching the chat for me on the 9th.",
        ],
        silent: &[
            "Tom is on chat for an hour before the meeting.",
            "Is Tom on chat for Angie on Friday?",
            "If Mei is on chat for Jorge, who does the desk?",
            "Sarah will be on chat for the whole of Thanksgiving week.",
            "Ben is kindly on chat for an hour before lunch.",
        ],
    },
    // Second calls in the text: the requester asks again. The earliest in
    // the text is named; an apology for asking often, or the service being
    // open, is no second call.
    Cue {
        id: "second_call.second_call",
        signal: Signal::SecondCall,
        pattern: r"(?i)\b(?:second|2nd|third|3rd|final|last|another)\s+(?:call|request|ask|try|attempt|plea)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Final plea for my Thursday."],
        silent: &["Sorry to be asking again so soon, another request from me."],
    },
    Cue {
        id: "second_call.still_need",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bstill\s+(?:need|needs|needing|looking|hoping|seeking|searching|in need|have no|haven't (?:found|heard|had|gotten)|no (?:takers|luck|one|bites|responses?|replies))\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Still no luck with my Monday."],
        silent: &[
            "Do you still need someone for Monday?",
            "In case anybody is still looking at the thread: Dana has it.",
        ],
    },
    // "Still I'm looking for ...", "my Monday still doesn't have anyone",
    // "still nobody for Friday": the call repeated in other word orders.
    Cue {
        id: "second_call.still_inverted",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bstill\s+(?:i\s+am|i'm|we\s+are|we're)\s+(?:searching|looking|seeking|hoping|waiting)\b|\bstill\s+(?:don't|doesn't|do not|does not|didn't|did not|has not|have not|hasn't|haven't)\s+(?:have|has|got|get|found|find)\s+(?:a\s+|any\s+)?(?:person|anyone|anybody|someone|somebody|taker|takers|sub|volunteer|cover|coverage)\b|\bstill\s+(?:nobody|no one|no-one|noone)\s+(?:for|to cover|to take|yet)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &[
            "Still I'm looking for a sub for the 4th.",
            "My Monday 3/8 still doesn't have anyone.",
            "Still nobody for Friday 2-3:30?",
        ],
        silent: &[
            "Still, I am looking forward to the training.",
            "I still don't have the login for the chat system.",
            "Still nobody knows why the widget broke.",
            "We're not still looking, Dana took it.",
        ],
    },
    Cue {
        id: "second_call.trying_again",
        signal: Signal::SecondCall,
        pattern: r"(?i)\b(?:trying|asking|checking|posting|sending (?:this|it)(?:\s+(?:around|round|out))?|putting (?:this|it) out)\s+(?:again|once more|one more time|out again)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &[
            "Putting this out again for Friday.",
            "Sending it round one more time for the 9th.",
        ],
        silent: &["Sorry for posting again so soon."],
    },
    Cue {
        id: "second_call.bump",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bbump(?:ing)?\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Bump!"],
        silent: &["Hate bumping again, but the 3rd is close."],
    },
    // A reply that opens on nothing but carets ("^^", "^") points up at the
    // call quoted below it: the phone writer's bump. A caret smile after
    // words ("thanks ^^", even on a line of its own) or a caret pointing at
    // a line is none.
    Cue {
        id: "second_call.caret_bump",
        signal: Signal::SecondCall,
        pattern: r"(?m)\A\s*\^{1,3}[ \t]*[!.]*[ \t]*$",
        guards: SECOND_CALL_GUARDS,
        fires: &["^^", "^^^!", "^", "^^\n\n-D"],
        silent: &[
            "Thank you so much ^^",
            "See the note above ^ for the room.",
            "Thanks for covering!\n^^",
        ],
    },
    Cue {
        id: "second_call.no_takers_yet",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bno (?:takers|bites|luck|responses?|replies|volunteers|one)\s+(?:yet|so far)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["No bites so far on Tuesday."],
        silent: &["Apologies for asking again, no replies yet."],
    },
    Cue {
        id: "second_call.is_still_open",
        signal: Signal::SecondCall,
        pattern: r"(?i)\b(?:is|remains|are)\s+still\s+(?:open|available|uncovered|unclaimed|unfilled|up for grabs|up)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["My Friday slot remains still unclaimed."],
        silent: &["Chat is still open those days."],
    },
    Cue {
        id: "second_call.still_open",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bstill\s+(?:open|available|uncovered|unclaimed|up for grabs)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Friday 2-4 still up for grabs."],
        silent: &["The library remains still open late."],
    },
    Cue {
        id: "second_call.reposting",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bre-?(?:sending|posting|upping)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Re-posting for the morning crowd."],
        silent: &["Sorry for resending again.", "I won't be reposting this."],
    },
    Cue {
        id: "second_call.one_more_try",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bone more (?:try|time|ask)\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["One more ask for Tuesday."],
        silent: &["Sorry to be asking once more: one more time for Tuesday."],
    },
    Cue {
        id: "second_call.circling_back",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bcircling back\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Circling back on my Friday."],
        silent: &["Circling back again so soon, sorry."],
    },
    Cue {
        id: "second_call.following_up",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bfollowing up\b",
        guards: SECOND_CALL_GUARDS,
        fires: &["Following up on the 14th."],
        silent: &[
            "Sorry for following up again so soon.",
            "I'm not following up on that one, it's sorted.",
        ],
    },
    Cue {
        id: "second_call.havent_found",
        signal: Signal::SecondCall,
        pattern: r"(?i)\bhaven'?t (?:found|gotten|had|heard from) (?:anyone|anybody|a |any)",
        guards: SECOND_CALL_GUARDS,
        fires: &["I haven't heard from anybody yet."],
        silent: &["Sorry to be asking again: I haven't found anyone."],
    },
    Cue {
        id: "second_call.nobody_responded",
        signal: Signal::SecondCall,
        pattern: r"(?i)\b(?:nobody|no one|no-one) (?:has|have) (?:responded|replied|offered|volunteered|taken|claimed)",
        guards: SECOND_CALL_GUARDS,
        fires: &["No one has claimed it."],
        silent: &["Sorry for checking again so soon; nobody has replied."],
    },
    // Asking again in the writer's own words, without "second": "I ask
    // again for my Wednesday", "nobody answered yet".
    Cue {
        id: "second_call.i_ask_again",
        signal: Signal::SecondCall,
        pattern: r"(?im)(?:^|[.!?,;:]\s*|\b(?:hello|hi|hey|so|and|here)\W+)(?:i\s+(?:ask|request|write|post|send|repeat)\s+(?:(?:this|it|my request|my question)\s+)?(?:again|once more|one more time|another time|once again)\b|(?:again|once more)\s*,?\s+i\s+(?:ask|request|write)\b)",
        guards: SECOND_CALL_GUARDS,
        fires: &[
            "Hi all, I ask once more for my Monday 3/8.",
            "I repeat my request again: Friday 2-4 is open.",
            "Once more I ask: who can do Friday 2-4?",
        ],
        silent: &[
            "Should I ask again next week?",
            "Sorry that I ask again so soon.",
        ],
    },
    Cue {
        id: "second_call.nobody_answered",
        signal: Signal::SecondCall,
        pattern: r"(?i)\b(?:nobody|no one|no-one|noone)\s+(?:has\s+|have\s+)?(?:answered|responded|replied|offered|volunteered|wrote back|written back)\s+(?:yet|so far|until now|till now)\b|\b(?:until now|till now|so far|to date|as yet),?\s+(?:nobody|no one|no-one|noone)\s+(?:has\s+|have\s+)?(?:answered|responded|replied|offered|volunteered|wrote back|written back)(?:\s+(?:for|to|about|on)\s+(?:my|me|this|it|the\s+(?:shift|slot|request))\b|\s*[.!,;])",
        guards: SECOND_CALL_GUARDS,
        fires: &[
            "No one responded so far for my Tuesday.",
            "Writing once more, as so far no one has replied to my request for Monday.",
        ],
        silent: &[
            "Nobody answered the chat queue yet this morning.",
            "So far nobody has answered the chat widget's survey.",
            "Sorry for asking again; nobody replied yet.",
        ],
    },
    // Lasting changes of the regular schedule, anywhere in the text.
    Cue {
        id: "schedule_change.permanent",
        signal: Signal::ScheduleChange,
        // "for good", but not "for Good Friday"; a colon or a dash after it
        // introduces what changes.
        pattern: r"(?i)\bpermanent(?:ly)?\b|\bfor good(?:\s*[.;,!):]|\s+[-–—]|\s*$|\s+(?:now|starting|beginning|as of|from|after|and|so|but|this|next))",
        guards: &[Guard::NotNegated],
        fires: &[
            "I'm moving to Thursdays for good.",
            "Ben's Tuesdays become mine for good: he starts on Fridays in May.",
            "Priya hands her Monday late slot to Jorge for good — Courtney agreed.",
        ],
        silent: &[
            "This is not permanent.",
            "We close for Good Friday.",
            "We close for Good Friday: no shifts that day.",
        ],
    },
    Cue {
        id: "schedule_change.going_forward",
        signal: Signal::ScheduleChange,
        pattern: r"(?i)\bgoing forward\b|\bfrom now on\b|\bmoving forward\b|\bfrom here on out\b",
        guards: &[Guard::NotNegated],
        fires: &["From now on I'll be on Tuesdays."],
        silent: &["I'm looking forward to it."],
    },
    Cue {
        id: "schedule_change.rest_of_term",
        signal: Signal::ScheduleChange,
        pattern: r"(?i)\bfor\s+the\s+(?:rest|remainder|balance)\s+of\s+the\s+(?:semester|term|year|quarter|spring|fall|summer|winter|academic\s+year)\b",
        guards: &[Guard::NotNegated],
        fires: &[
            "For the rest of the term I'm on Fridays.",
            "Mei will keep the Monday slot for the remainder\nof the academic year.",
        ],
        silent: &["For the rest of the day I'm out."],
    },
    Cue {
        id: "schedule_change.new_schedule",
        signal: Signal::ScheduleChange,
        pattern: r"(?i)\b(?:my|our|his|her|their)\s+new\s+(?:regular\s+|weekly\s+|chat\s+|standing\s+)?(?:schedule|shift|shifts|shift time|time slot|slot)\b|\bthe new (?:chat\s+)?schedule\s+(?:is|will|starts|begins|takes|goes)\b",
        guards: &[Guard::NotNegated],
        fires: &["Her new weekly slot is Monday 10-12."],
        silent: &["Is there a new schedule?"],
    },
    Cue {
        id: "schedule_change.schedule_change",
        signal: Signal::ScheduleChange,
        pattern: r"(?i)\bschedule change\b|\bchange (?:to|in) (?:my|the|our) (?:regular |weekly )?schedule\b",
        guards: &[Guard::NotNegated],
        fires: &["A change to my weekly schedule: Thursdays now."],
        silent: &["No schedule change this term."],
    },
    Cue {
        id: "schedule_change.regular_shift_moves",
        signal: Signal::ScheduleChange,
        pattern: r"(?i)\b(?:my|her|his|their|our|[a-z]+'s) (?:regular|usual|weekly|standing|recurring) (?:\w+ ){0,2}(?:shift|slot|hours)\b[^.!?\n]{0,60}\b(?:mov|chang|switch|swap|becom|will be|is now|now be|end|stop)",
        guards: &[Guard::NotNegated],
        fires: &["Ben's usual Tuesday shift is now Wednesday."],
        silent: &["My regular shift is Tuesday."],
    },
    Cue {
        id: "schedule_change.starting_then",
        signal: Signal::ScheduleChange,
        pattern: r"(?i)\b(?:starting|beginning|effective|as of)\b[^.!?\n]{0,40}\b(?:i'?ll|i will|will|we'?ll|we will|my shift|is|are|i'm|we're)\b[^.!?\n]{0,40}\b(?:tak(?:e|ing) over|swap|switch|trade|mov(?:e|ing) (?:to|my)|chang)",
        guards: &[Guard::NotNegated],
        fires: &["Effective March 1, I'll take over Ben's Fridays."],
        silent: &["Starting at 2, I'll be in a meeting."],
    },
    // From a date on, someone takes a weekday's standing slot ("starting
    // Monday May 3, Dana takes the Monday 10-12 slot"): "the Monday slot",
    // not one Monday's, is the schedule's.
    Cue {
        id: "schedule_change.starting_then_takes_a_standing_slot",
        signal: Signal::ScheduleChange,
        pattern: concat!(
            r"(?i)\b(?:starting|beginning|effective|as of)\b[^.!?;]{0,40}?\b(?:takes|is taking|will take|gets|will get|moves (?:in)?to|is moving (?:in)?to|will move (?:in)?to)\s+(?:over\s+)?the\s+(?:",
            weekday_abbrevs!(),
            r")[a-z]*\s+(?:(?:morning|afternoon|noon|\d{1,2}(?::\d\d)?\s*(?:-|–|to)\s*\d{1,2}(?::\d\d)?)\s+)?(?:slot|shift|hours)\b"
        ),
        guards: &[Guard::NotNegated],
        fires: &[
            "Beginning Feb 1, Jorge takes the Thursday 2-3:30 slot.",
            "As of next term Sarah moves to the Friday morning shift.",
            "It stays as it is with one change: starting\nMonday 5/3, Mei takes the Tuesday 12-2 slot.",
        ],
        silent: &[
            "Starting at noon, Jorge takes my Thursday 2-3:30 slot.",
            "Starting today I'm out; can someone take the Friday shift?",
            "Starting today I'm out, could anyone take the Friday shift?",
        ],
    },
    // A term named with a standing shift dropped, added or moved ("fall
    // term: giving up my Monday slot", "next semester I'm picking up the
    // Wednesday shift"): the regular schedule changes from then on.
    Cue {
        id: "schedule_change.term_drops_or_adds_a_shift",
        signal: Signal::ScheduleChange,
        pattern: concat!(
            r"(?i)\b(?:spring|fall|autumn|summer|winter|next|this|new|coming)\s+(?:sem|semester|term|quarter)\b[^.!?\n]{0,40}?\b(?:drop(?:ping)?|add(?:ing)?|giving up|give up|pick(?:ing)? up|switch(?:ing)?|mov(?:e|ing)|trad(?:e|ing))\s+(?:my|the|a)\s+(?:",
            weekday_abbrevs!(),
            r")[a-z]*\s+(?:morning\s+|afternoon\s+)?(?:shift|slot)s?\b"
        ),
        guards: &[Guard::NotNegated],
        fires: &[
            "Fall term: giving up my Monday slot, Ben has agreed to take it on.",
            "Next semester I'm picking up the Wed afternoon shift.",
        ],
        silent: &[
            "This semester I'm dropping my Thursday class.",
            "Spring term starts soon; can someone take my Tues shift on 1/26?",
        ],
    },
    Cue {
        id: "schedule_change.every_week_instead",
        signal: Signal::ScheduleChange,
        pattern: concat!(
            r"(?i)\bevery (?:week|",
            weekday_names!(),
            r")\b[^.!?\n]{0,40}\binstead\b"
        ),
        guards: &[Guard::NotNegated],
        fires: &["I'll do every Thursday instead."],
        silent: &["Every Monday is busy."],
    },
    Cue {
        id: "schedule_change.new_term_schedule",
        signal: Signal::ScheduleChange,
        // A new term's schedule is a change only with a concrete one named.
        pattern: r"(?i)\btakes? effect\b|\b(?:spring|fall|summer|winter|revised|updated)\s+(?:term\s+|semester\s+)?(?:chat\s+|shift\s+)?schedule\s+(?:is|will|starts|begins|takes|goes|has)\b",
        guards: &[Guard::NamesConcreteChange],
        fires: &["The spring schedule starts Jan 20; Ben takes over Fridays."],
        silent: &["The spring schedule is on the calendar."],
    },
    Cue {
        id: "schedule_change.recurring_instead",
        signal: Signal::ScheduleChange,
        // A weekday in the plural ("Fridays", "Wednesday mornings") names a
        // standing slot: one standing slot instead of another is a lasting
        // change; "Friday instead of Monday" is one week's swap.
        pattern: concat!(
            r"(?i)\b(?:(?:",
            weekday_stems!(),
            r"|satur|sun)days|(?:",
            weekday_names!(),
            r"|saturday|sunday)\s+(?:mornings|afternoons|evenings|nights))\s+instead\s+of\s+(?:my\s+|the\s+|his\s+|her\s+|their\s+)?(?:usual\s+|regular\s+)?(?:(?:",
            weekday_stems!(),
            r"|satur|sun)days|(?:",
            weekday_names!(),
            r"|saturday|sunday)\s+(?:mornings|afternoons|evenings|nights))\b"
        ),
        guards: &[Guard::NotNegated],
        fires: &[
            "Next term I'll work Fridays instead of Mondays.",
            "From February I'm on Thursday afternoons instead of my Tuesday afternoons.",
        ],
        silent: &[
            "Just this once I'll do Friday instead of Monday.",
            "Could someone take Friday afternoon instead of Monday afternoon?",
            "We won't do Fridays instead of Mondays after all.",
        ],
    },
    // The writer takes a shift themselves, or was put on it by someone
    // else: a confirmation with the writer as coverer when the colleague is
    // known (named, addressed, or the thread's).
    Cue {
        id: "writer_covers.im_covering",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'m| am|'ll be| will be|\s+shall\s+be|'ve| have| just)\s+(?:\w+\s+)?(?:covering|taking|picking up|covered|taken|picked up|subbing|filling in|stepping in|(?:sitting|standing)\s+in\s+for\s+(?:you\b|him\b|her\b|(?-i:[A-Z][a-z]+)\b))",
        guards: &[],
        fires: &[
            "I'm covering Ben's Wednesday.",
            "I have just picked up the Friday slot.",
            "Quiet list, so I'm sitting in for Mei on Tuesday myself.",
            "To confirm, I shall be covering Priya's Monday 3/8 shift.",
        ],
        silent: &[
            "Are you taking it?",
            "I'm sitting in on the budget meeting Tuesday.",
            "I'm standing in for the dean at commencement.",
        ],
    },
    // The coverer says they are doing or working a colleague's shift
    // ("Sorted with Dana: I'm doing her Friday", "I'll be working Tom's
    // Thursday slot"): a possessive right before a day or a shift word.
    // Her hair, his taxes or a question are none.
    Cue {
        id: "writer_covers.im_doing_theirs",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'m| am|'ll be| will be)\s+(?:now\s+|actually\s+|just\s+)?(?:doing|working|staffing)\s+(?:(?-i:[A-Z][a-z]+)'s|his|her|their)\s+(?:(?:chat\s+)?(?:shift|slot)|chat|mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|\d{1,2}/\d{1,2})\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotDeclinedAfter,
        ],
        fires: &[
            "Worked it out with Dana at lunch: I'm doing her Friday morning.",
            "For the record I'll be working Tom's Thursday slot.",
        ],
        silent: &[
            "I'm doing her hair on Friday.",
            "I'm working his notes into the report.",
            "If Tom can't, I'll do his Thursday.",
            "I'm doing his taxes on Thursday.",
            "I'm not doing Ben's Friday after all.",
        ],
    },
    // The coverer says they are on (down) for a colleague's shift ("I'm on
    // for Mei's Thursday", "I'm down for your Friday"): a colleague named
    // with a possessive, or the reader's own shift. A meeting or an event
    // one is "on for" is no shift, nor is a question ("Am I on for ...?").
    Cue {
        id: "writer_covers.im_on_for",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)\bi(?:'m| am)\s+(?:now\s+|all\s+|officially\s+)?(?:on|down|in|set)\s+for\s+(?:(?-i:[A-Z][a-z]+)'s|your)\s+(?:shift|slot|chat|hours|",
            weekday_abbrevs!(),
            r"|",
            weekday_names!(),
            r"|morning|afternoon|\d{1,2}(?::\d\d)?)\b"
        ),
        guards: &[Guard::NotConditional, Guard::NotDeclinedAfter],
        fires: &[
            "Got the invite, so I'm down for Dana's Friday morning.",
            "All good, I am now on for your Tuesday 12-2.",
        ],
        silent: &[
            "I'm on for the budget meeting on Thursday.",
            "Am I on for Jorge's Friday, or is Tom?",
            "I'm down for Sarah's potluck on Friday.",
        ],
    },
    // The writer names themselves as the one a shift is covered by ("is
    // taken care of, by me"): the writer covers it.
    Cue {
        id: "writer_covers.covered_by_me",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\b(?:covered|taken|taken care of|handled|picked up|being covered|being handled)\s*(?:,|[-–—]+)?\s*(?:by|with)\s+(?:me|myself|yours truly)\b",
        guards: &[Guard::NotNegated],
        fires: &[
            "Tom's Thursday at noon is taken care of, by me.",
            "The 3:30 on Friday is handled - by yours truly.",
        ],
        silent: &[
            "Mei's Monday isn't covered by me, Tom took it.",
            "The Friday slot was covered by Dana last week, not Tom.",
        ],
    },
    Cue {
        id: "writer_covers.ive_got_names",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ve| have)?\s+got\s+[a-z]+'s\s",
        guards: &[],
        fires: &["I've got Dana's Friday."],
        silent: &["I've got a cold."],
    },
    // A phone reply claiming the colleague's shift with no "I": "got your
    // chat, feel better", "ok got ur friday".
    Cue {
        id: "writer_covers.got_your_shift",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?im)(?:^|[.!?]\s+)\W*(?:(?:ok|okay|np|sure|yep|yes|no worries)\W+)?got\s+(?:your|ur|yr)\s+(?:\w+\s+)?(?:shift|slot|chat|hours|desk|",
            weekday_abbrevs!(),
            r"|",
            weekday_names!(),
            r"|afternoon|morning)\b"
        ),
        guards: &[Guard::NotNegated],
        fires: &[
            "ok got your tuesday, feel better",
            "np got ur afternoon shift",
        ],
        silent: &[
            "got your message about chat",
            "Have you got your Friday covered?",
            "I forgot your shift was Monday.",
        ],
    },
    // A clause that opens on a bare "covering" with no subject ("I got you
    // Ben, covering Friday", "np, covering your Tuesday for you"): the
    // dropped subject is the writer. A gerund that goes on ("Covering
    // Friday would help") is not the writer's taking it.
    Cue {
        id: "writer_covers.covering_no_subject",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?im)(?:^|[.!?,;]\s*)\W*covering\s+(?:(?:your|ur|yr|the|that|this)\s+)?(?:it|that|this|shift|",
            weekday_abbrevs!(),
            r"|",
            weekday_names!(),
            r"|\d{1,2}/\d{1,2})\b[^\S\n]*(?:\d{1,2}/\d{1,2}[^\S\n]*)?(?:$|[.!,;:)]|for you\b|then\b)"
        ),
        guards: &[Guard::NotNegated],
        fires: &[
            "I got u Mei, covering tuesday",
            "np, covering your Thursday 1/14 for you",
            "Covering it. Feel better!",
        ],
        silent: &[
            "Covering Friday would be a huge help.",
            "Thanks for covering Friday!",
            "Who's covering Friday?",
            "Thanks, covering Monday was no trouble at all.",
        ],
    },
    // A reply that opens on "on it" ("on it priya.", "I'm on it, Ben!"):
    // the writer has taken the shift answered. A question ("anyone on
    // it?") or a negation is none.
    Cue {
        id: "writer_covers.on_it",
        signal: Signal::WriterCovers,
        pattern: r"(?i)(?:^|[.!?\n]\s*)\W*(?:(?:ok|okay|np|sure|yep|yes|no worries)\W+)?(?:i'm\s+|i am\s+)?on it\b(?:\s*,?\s*(?-i:[A-Za-z][a-z]+))?\s*(?:[.!,]|$)",
        guards: &[Guard::NotNegated],
        fires: &[
            "on it mei. feel better",
            "Yep, I'm on it, Jorge!",
            "on it dana, rest up",
        ],
        silent: &[
            "Is anyone on it?",
            "Not on it yet, sorry.",
            "I'm on it committee with Ben.",
            "On it goes the new sticker.",
        ],
    },
    // The taker claims the shift answered as theirs ("That one's mine,
    // Tom", "your Friday slot is mine now"): the writer covers it. A
    // question ("which one's mine?"), a condition or a thing that is the
    // writer's (a mistake, a pen) is none.
    Cue {
        id: "writer_covers.its_mine",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)\b(?:this|that|the|your|ur)\s+(?:one|shift|slot|(?:",
            weekday_stems!(),
            r")day(?:\s+(?:one|shift|slot))?)(?:'s|’s|\s+is)\s+(?:now\s+|all\s+)?mine\b(?:\s+now)?\s*(?:[.!,:;)]|$)"
        ),
        guards: &[Guard::NotNegated, Guard::NotConditional],
        fires: &[
            "That one's mine, Jorge. Enjoy the conference!",
            "ok your Friday slot is mine now",
        ],
        silent: &[
            "Which one's mine again?",
            "The mistake is mine, sorry.",
            "That one's mine to sort out with the vendor.",
        ],
    },
    // The taker's sign-off under a call ("See you on chat Tuesday 1/19,
    // Mei"): the writer will be on the shift asked for. A question, or
    // the one who asked saying it, is none.
    Cue {
        id: "writer_covers.see_you_on_chat",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)(?:^|[.!?\n]\s*)\W*(?:(?:ok|okay|great|sure thing|sure|done|perfect|deal|sounds good|no problem|np|yes|yep|got it)\W+)?see\s+(?:you|ya|u|y'all|everyone)\s+(?:on|at)\s+(?:chat|the chat|the desk|the chat desk|ask chat)\b[^.!?\n]{0,40}?\b(?:",
            weekday_abbrevs!(),
            r"|",
            weekday_names!(),
            r"|today|tomorrow|\d{1,2}/\d{1,2})\b"
        ),
        guards: &[Guard::NotNegated, Guard::NotTagQuestion],
        fires: &[
            "See you on chat Tuesday 1/19, Mei",
            "ok see u at the desk thurs!",
        ],
        silent: &[
            "Will I see you on chat Tuesday?",
            "See you at the staff meeting Tuesday.",
            "Hope to see you on chat soon.",
        ],
    },
    Cue {
        id: "writer_covers.put_myself_on",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ve| have)?\s+(?:put|signed)\s+myself\s+(?:on|down|in|up)\b",
        guards: &[],
        fires: &["I put myself down for it."],
        silent: &["Put yourself down for it."],
    },
    Cue {
        id: "writer_covers.names_shift_myself",
        signal: Signal::WriterCovers,
        pattern: concat!(
            concat!(
                r"(?i)\bi(?:'ll| will)\s+(?:just\s+)?(?:cover|take|do|work|handle|staff)\s+[a-z]+'s\s+(?:[\w/:-]+\s+){0,3}?(?:shift|slot|chat|hours|",
                weekday_abbrevs_without_weds!(),
                r"|"
            ),
            weekday_names!(),
            r"|morning|afternoon|\d{1,2}(?:[:.]\d\d)?\s*(?:-|–|to)\s*\d{1,2}(?:[:.]\d\d)?(?:\s*[ap]\.?m\.?)?)\s+myself\b"
        ),
        guards: &[],
        fires: &[
            "I'll cover Ben's Friday shift myself.",
            "I'll take Priya's 3:30-5 myself, no need to ask around.",
        ],
        silent: &["I'll cover Ben's Friday shift if I can."],
    },
    // The writer takes the addressed colleague's shift themselves ("Dana,
    // I'll cover your Friday shift myself"): a decision, not an offer to be
    // accepted. A fallback ("if nobody can, ...") is none.
    Cue {
        id: "writer_covers.your_shift_myself",
        signal: Signal::WriterCovers,
        pattern: concat!(
            concat!(
                r"(?i)\bi(?:'ll| will|'m going to| am going to)\s+(?:just\s+|go ahead and\s+)?(?:cover|take|do|work|handle|staff|run)\s+your\s+(?:[\w/:-]+\s+){0,4}?(?:shift|shifts|slot|chat|hours|",
                weekday_abbrevs_without_weds!(),
                r"|"
            ),
            weekday_names!(),
            r"|morning|afternoon)\s+myself\b"
        ),
        guards: &[Guard::NotFallback, Guard::NotDeclinedAfter],
        fires: &[
            "Priya, the list has been quiet, so I'll staff your Monday 3/1 slot myself.",
            "Ben, I will take your Thursday afternoon myself.",
        ],
        silent: &[
            "If nobody answers, I'll take your Thursday afternoon myself.",
            "I'll cover your shift if I can.",
        ],
    },
    // The coverer confirms, once accepted, that they will be there
    // ("Confirmed, I'll be there", "Confirming: I will be on chat"): the
    // writer covers. A case ("once it's confirmed") is none.
    Cue {
        id: "writer_covers.confirmed_be_there",
        signal: Signal::WriterCovers,
        pattern: r"(?i)(?:^|[.!?]\s+|\n)\s*(?:confirmed|confirming|all confirmed|that's confirmed|consider me confirmed)\s*[,.!:;–—-]*\s*(?:and\s+)?i(?:'ll| will)\s+be\s+(?:there|on chat|on the desk|on)\b",
        guards: &[Guard::NotConditional, Guard::NotDeclinedAfter],
        fires: &[
            "Confirmed - I will be on chat at noon.",
            "Thanks Mei. Confirming, I'll be there.",
        ],
        silent: &[
            "Once it's confirmed, I'll be there.",
            "Is that confirmed? I'll be there if so.",
        ],
    },
    Cue {
        id: "writer_covers.it_myself",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ll| will)\s+(?:just\s+)?(?:cover|take|do|work|handle|staff|run)\s+(?:it|that|this|that one|this one|the (?:shift|slot|desk|chat))\s+myself\b",
        guards: &[Guard::NotFallback],
        fires: &["Nobody's free, so I'll staff it myself."],
        silent: &["If no one can, I'll take it myself."],
    },
    Cue {
        id: "writer_covers.for_name_myself",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ll| will)\s+(?:just\s+)?(?:cover|take|do|work|handle|staff|run|jump on|hop on|get on|log on|sit in|be on|fill in)\b[^.!?\n]{0,30}?\bfor\s+(?-i:[A-Z][a-z]+)\b[^.!?\n]{0,40}?\bmyself\b",
        guards: &[Guard::NotFallback],
        fires: &["No luck, so I'll hop on for Priya tomorrow myself."],
        silent: &["If nobody can, I'll hop on for Priya myself."],
    },
    // Shaped by Spanish, Portuguese or Italian ("hacer el turno de"): "I
    // make the turn of Angie", "I do the shift of Tom".
    Cue {
        id: "writer_covers.the_shift_of_name",
        signal: Signal::WriterCovers,
        // Said as a statement opening its clause: not "can I do the shift
        // of Tom?" nor "if I do the shift of Tom".
        pattern: r"(?im)(?:^|[.!,;:]\s+|\b(?:so|and|then|ok|okay|yes|well)\s*,?\s+)[^\w\n]*i\s+(?:make|do|take|will make|will do|will take|'ll make|'ll do|'ll take|am making|am doing)\s+the\s+(?:turn|shift|slot|hours)\s+of\s+(?-i:[A-Z][a-z]+)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback],
        fires: &[
            "Don't worry, I do the shift of Tom on Friday, we agreed it.",
            "I make the turn of Mei the day 3 of February.",
        ],
        silent: &[
            "Can I do the shift of Tom on Friday?",
            "Would it help if I do the shift of Tom?",
        ],
    },
    Cue {
        id: "writer_covers.put_me_on",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\b((?-i:[A-Z][a-z]+)|she|he|they|she's|he's|they've|she has|he has|they have)\s+(?:just\s+|already\s+)?(?:(?:put|scheduled|assigned|signed|moved|penciled|pencilled|slotted|booked)\s+me\s+(?:on|in|down for|for|into)|(?:asked|has asked|wanted|wants|needed|needs)\s+me\s+to\s+(?:cover|fill in|take|sub|staff|work|step in|jump on|hop on))\b",
        guards: &[Guard::NotImperative, Guard::NotDeclinedAfter],
        fires: &[
            "Courtney put me on Dana's Friday slot.",
            "She asked me to fill in for Ben on Friday.",
        ],
        silent: &[
            "Please put me on the Friday slot.",
            "Courtney asked me to cover Jorge but I'm teaching.",
        ],
    },
    // Someone else (the coordinator, usually) asked or told the writer to
    // stand in: the writer relays an assignment they take ("Angie asked me
    // to sit in for Mei"). Sitting in on a meeting, or being on time, is
    // no shift; a clause that goes on to decline takes nothing.
    Cue {
        id: "writer_covers.asked_me_to_sit_in",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\b((?-i:[A-Z][a-z]+)|she|he|they)\s+(?:just\s+|already\s+)?(?:(?:asked|has asked|had asked|wanted|wants|needed|needs)\s+me\s+to\s+(?:sit in\s+for|(?:sit|be|get|stay) on\s+(?:chat|the desk|desk)|log (?:on|in)\b|(?:mind|watch|run)\s+(?:chat|the desk))|(?:told|has told|had told)\s+me\s+to\s+(?:sit in\s+for|(?:sit|be|get|stay|jump|hop) on\s+(?:chat|the desk|desk)|log (?:on|in)\b|(?:mind|watch|run)\s+(?:chat|the desk)|cover|fill in|sub\b|step in))",
        guards: &[Guard::NotImperative, Guard::NotDeclinedAfter],
        fires: &[
            "Angie asked me to sit in for Mei on Thursday, so that's settled.",
            "Courtney told me to be on chat for Ben at 2.",
        ],
        silent: &[
            "Courtney asked me to sit in on the search committee interviews.",
            "She told me to be on time for the training.",
            "Courtney asked me to sit in for Jorge, but I'm teaching then.",
        ],
    },
    // Someone has the writer down for a colleague's shift ("Courtney has me
    // down for Priya's 3:30"): an assignment the writer relays. What they
    // are down for must be a shift, a colleague or a day; "has me on the
    // training committee" is no shift.
    Cue {
        id: "writer_covers.has_me_down_for",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)\b((?-i:[A-Z][a-z]+)|she|he|they)(?:\s+(?:has|had|has got|got)|'s got|'s)\s+me\s+(?:down\s+for|down\s+on|on|in\s+for)\s+(?:(?-i:[A-Z][a-z]+)(?:'s)?\b|his\s|her\s|their\s|the (?:shift|slot)\b|chat\b|the desk\b|(?:",
            weekday_abbrevs!(),
            r")[a-z]*\b|\d{1,2}/\d{1,2}\b)"
        ),
        guards: &[Guard::NotImperative, Guard::NotDeclinedAfter],
        fires: &[
            "Angie has me down for Mei's Thursday, so no need to post again.",
            "Courtney's got me on Wednesday for Jorge.",
        ],
        silent: &[
            "Courtney has me on the training committee this spring.",
            "She had me down for lunch duty, but I swapped it.",
        ],
    },
    // The writer says where they will be, in someone's place ("I'll be on
    // chat for you at noon", "I'll sit on the desk for Mei"): a plan, not
    // an offer to be accepted ("I can be on chat for you" offers; so does
    // "I'll take your shift", which answers the call). A case ("if it's
    // still open", "once you confirm") or a decline in its clause is none.
    Cue {
        id: "writer_covers.on_chat_for_you",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ll| will|'m going to| am going to)\s+(?:just\s+|happily\s+|gladly\s+)?(?:be|sit|get|stay|hop|jump|log) on(?: to)?\s+(?:chat|the chat|the desk|desk)\s+(?:[^.!?;\n]{0,30}?\s)?for\s+(?:you\b|(?-i:[A-Z][a-z]+)\b)",
        guards: &[Guard::NotHypothetical, Guard::NotDeclinedAfter],
        fires: &[
            "I'll sit on the desk for you from 2, Mei. Rest up.",
            "No problem, I will be on chat tomorrow afternoon for Jorge.",
        ],
        silent: &[
            "I'll be on chat for an hour before the meeting.",
            "I'll be on chat for you if it's still open.",
            "If nobody else can, I'll be on chat for you.",
            "I can be on chat for you at noon.",
        ],
    },
    // The writer will be on chat themselves for a stretch they name, the
    // time or day between the verb and "myself" ("I'll be on the desk
    // Thursday afternoon myself"). A fallback ("if nobody turns up, I'll
    // ...") or a clause that goes on to decline or set a condition is none.
    Cue {
        id: "writer_covers.on_chat_myself",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ll| will|'m going to| am going to)\s+(?:just\s+)?(?:sit on|be on|get on|hop on|jump on|log (?:on|in)(?: to)?|sign (?:on|in)(?: to)?|staff|cover|take|work|do|handle|run)\s+(?:chat|the chat|the desk|desk|it|that|this|that one|this one|the (?:shift|slot))\b[^.!?;\n]{0,50}?\bmyself\b",
        guards: &[Guard::NotFallback, Guard::NotDeclinedAfter],
        fires: &[
            "The list was quiet all week, so I'll be on the desk Thursday afternoon myself.",
            "Nobody can make Monday, so I'll log on to chat at 2 myself.",
        ],
        silent: &[
            "If nobody turns up by noon, I'll sit on chat myself.",
            "I'll take it myself but only if Ben can't.",
            "Could you sit on chat yourself on Friday?",
        ],
    },
    // Nobody took it, so the writer does ("No volunteers for Jorge's
    // Thursday, so I'm taking it"): said after the call went unanswered,
    // it is a decision, not an offer. What the writer takes must be the
    // shift ("it", "chat", a colleague's), not their own ("so I'll work my
    // shift" takes a request back).
    Cue {
        id: "writer_covers.no_one_so_i_take_it",
        signal: Signal::WriterCovers,
        // The writer's clause follows "so", a comma, a dash or the next
        // sentence ("Since nobody grabbed Ben's Friday, I'll do it from
        // home", "No one's free. I'll cover Ben's shift."). "It" or "chat"
        // must end the phrase or go on with when, where or "myself": "I'll
        // take that as a no" takes no shift.
        pattern: r"(?i)\b(?:no takers|no one|no-one|nobody|no volunteers|no luck|no bites|no replies|no responses?)\b[^.!?;\n]{0,60}?(?:,?\s+so\s+|,\s*|[.;]\s+|\s+-+\s+)i(?:'ll| will|'m going to| am going to|'m| am)\s+(?:just\s+|go ahead and\s+|(?:log|sign|hop|jump|get)\s+(?:in|on)\s+and\s+)?(?:cover|take|do|work|handle|staff|run|sit on|be on|jump on|hop on|log (?:on|in)(?: to)?|covering|taking|doing|working|staffing)\s+(?:(?:it|that|this|that one|this one|chat|the chat|the desk|the (?:shift|slot))(?:\s*(?:$|[.,;!)])|\s+(?:myself|then|on|from|at|for|in|today|tomorrow|tonight|this|next|after|before|until|\d))|(?-i:[A-Z][a-z]+)'s\s)",
        guards: &[Guard::NotConditional, Guard::NotFallback],
        fires: &[
            "Nobody answered the call, so I'll cover it.",
            "No volunteers for Jorge's Thursday, so I'm taking it.",
            "No bites on Mei's 12/9, so I'll hop on and do it from my kitchen.",
            "As no one else is around Tuesday, I'll take Sarah's shift.",
            "Nobody can make the 9th. I'll staff it from 10 myself.",
        ],
        silent: &[
            "No one has written back, so I'll ask again on Monday.",
            "Nobody's free Friday, so I'll take my chances and close chat early.",
            "No takers yet, so I'll work my own shift after all.",
            "Nobody replied, so I'll take that as a no.",
            "No one needs cover Friday; I'll be on chat as usual.",
        ],
    },
    // The writer will sit at the desk themselves ("I'll sit at the desk
    // myself on Thursday from 2"): a decision after the call, not an offer.
    // A fallback ("if nobody replies, I'll ...") is none.
    Cue {
        id: "writer_covers.at_the_desk_myself",
        signal: Signal::WriterCovers,
        pattern: r"(?i)\bi(?:'ll| will|'m going to| am going to)\s+(?:just\s+)?(?:sit|be|work|stay|stand)\s+(?:at|behind)\s+(?:the\s+)?(?:chat\s+|reference\s+|service\s+)?(?:desk|station|terminal)\b[^.!?;\n]{0,50}?\bmyself\b",
        guards: &[Guard::NotFallback, Guard::NotDeclinedAfter],
        fires: &["Nobody bit on Thursday, so I'll be behind the desk myself from 2 to 3:30."],
        silent: &[
            "If nobody replies by Monday, I'll sit at the desk myself.",
            "Could you sit at the desk yourself on Friday?",
        ],
    },
    // The writer puts themselves on the shift ("I'm penciling myself in for
    // Jorge's Thursday"): what they go on must be a shift, a colleague's,
    // a day or "it"; "signing myself up for the webinar" is none.
    Cue {
        id: "writer_covers.putting_myself_on",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)\bi(?:'m| am|'ll| will)\s+(?:just\s+|going to\s+|go ahead and\s+)?(?:putting|signing|penciling|pencilling|slotting|booking|scheduling|adding|put|sign|pencil|slot|book|schedule|add)\s+myself\s+(?:on|down for|down|in for|in on|in|into|for|up for|onto)\s+(?:it\b|that\b|this\b|the (?:shift|slot|desk|chat|hour|afternoon|morning)\b|chat\b|(?-i:[A-Z][a-z]+)'s\s|(?:",
            weekday_abbrevs!(),
            r")[a-z]*\b|\d{1,2}/\d{1,2}\b)"
        ),
        guards: &[
            Guard::NotFallback,
            Guard::NotConditional,
            Guard::NotDeclinedAfter,
        ],
        fires: &[
            "The call went unanswered, so I'm penciling myself in for Jorge's Thursday.",
            "I'll slot myself onto the afternoon shift on the 9th.",
        ],
        silent: &[
            "I'm signing myself up for the webinar on Thursday.",
            "If nobody answers by Friday, I'll put myself down for it.",
        ],
    },
    // Someone asked the writer and the writer said yes ("Mei asked if I
    // could fill in for Jorge and I told her sure"): an assignment the
    // writer relays. A "no", or a favour that is no shift ("take notes"),
    // is none.
    Cue {
        id: "writer_covers.asked_and_said_yes",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)\b((?-i:[A-Z][a-z]+)|she|he|they)\s+(?:just\s+)?(?:asked|checked|wondered|texted|emailed|messaged)\s+(?:me\s+)?(?:whether|if)\s+i\s+(?:could|can|would|might|was able to|'d be able to|would be able to)\s+(?:cover|fill in|sub\b|step in|stand in|staff|(?:take|pick up|grab)\s+(?:it\b|that\b|this\b|(?-i:[A-Z][a-z]+)'s\s|his\s|her\s|their\s|the (?:shift|slot|desk|chat|hour|afternoon|morning)\b|chat\b|(?:",
            weekday_abbrevs!(),
            r")[a-z]*\b|\d{1,2}/\d{1,2}\b))[^.!?;\n]{0,80}?\b(?:and|so)\s+i\s+(?:(?:told (?:her|him|them)|said|answered|replied|wrote back)\s+(?:yes|yeah|yep|sure|ok|okay|of course|absolutely|that i (?:would|could|can|will))|agreed)\b"
        ),
        guards: &[Guard::NotDeclinedAfter],
        fires: &[
            "Mei asked if I could fill in for Jorge on Tuesday and I told her sure.",
            "Courtney checked whether I could take Ben's 12/11 slot, and I agreed.",
        ],
        silent: &[
            "Mei asked if I could fill in for Jorge on Tuesday and I said no.",
            "Dana asked whether I could take notes at the meeting and I said yes.",
        ],
    },
    // Someone drew the writer in ("Angie talked me into Ben's Monday",
    // "Courtney roped me into covering Friday"): the writer relays the
    // assignment they take. Being talked into a race or a committee is no
    // shift.
    Cue {
        id: "writer_covers.roped_me_into",
        signal: Signal::WriterCovers,
        pattern: concat!(
            r"(?i)\b((?-i:[A-Z][a-z]+)|she|he|they)\s+(?:just\s+|has\s+|had\s+|'s\s+|already\s+)?(?:roped|talked|drafted|volunteered|conscripted|recruited|tapped|sweet-talked)\s+me\s+(?:into|in for|up for|for|to)\s+(?:covering\s+|taking\s+|doing\s+|working\s+|staffing\s+|cover\s+|take\s+|do\s+|work\s+|staff\s+)?(?:(?-i:[A-Z][a-z]+)'s\s|his\s|her\s|their\s|the (?:shift|slot|desk)\b|chat\b|(?:",
            weekday_abbrevs!(),
            r")[a-z]*\b|\d{1,2}/\d{1,2}\b)"
        ),
        guards: &[Guard::NotImperative, Guard::NotDeclinedAfter],
        fires: &[
            "Angie talked me into Ben's Monday, so it's handled.",
            "Courtney drafted me for Friday 12/11 to cover Dana.",
        ],
        silent: &[
            "Dana talked me into running the 5K in May.",
            "Courtney roped me into the book group this spring.",
        ],
    },
    Cue {
        id: "weak_withdrawn.no_need",
        signal: Signal::WeakWithdrawn,
        pattern: r"(?i)\bno need\b",
        guards: &[Guard::NotFallback, Guard::NotNegated, Guard::NotTagQuestion],
        fires: &["No need now, I can make it."],
        silent: &[
            "No needles at the desk, please.",
            "So no need to cover my Friday, right?",
        ],
    },
    Cue {
        id: "weak_withdrawn.not_needed",
        signal: Signal::WeakWithdrawn,
        pattern: r"(?i)\bnot needed\b",
        guards: &[Guard::NotFallback, Guard::NotNegated, Guard::NotTagQuestion],
        fires: &["Not needed after all, sorry!"],
        silent: &[
            "A knot needed tying.",
            "My Thursday is not needed then, correct?",
        ],
    },
    Cue {
        id: "weak_withdrawn.thanks_anyway",
        signal: Signal::WeakWithdrawn,
        pattern: r"(?i)\bthanks,? anyway\b|\bthank you,? anyway\b|\bthanks (?:all|everyone|everybody),? (?:anyway|regardless)\b",
        guards: &[Guard::NotFallback, Guard::NotNegated],
        fires: &["I'm fine now, thanks anyway!"],
        silent: &["Thanks, anyone free?"],
    },
    Cue {
        id: "weak_withdrawn.false_alarm",
        signal: Signal::WeakWithdrawn,
        pattern: r"(?i)\bfalse alarm\b",
        guards: &[Guard::NotFallback, Guard::NotNegated],
        fires: &["False alarm, I'm around."],
        silent: &["The fire alarm test is at noon."],
    },
    Cue {
        id: "ended_need.not_needed_anymore",
        signal: Signal::EndedNeed,
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:(?:it's|it is|this is|that's|coverage(?: is)?|cover(?: is)?|sub(?: is)?)\s+)?(?:not needed|no longer needed|not necessary|no need)\s+(?:anymore|any more|any longer|after all)\b",
        guards: &[Guard::NotFallback, Guard::NotTagQuestion],
        fires: &["Not needed anymore, thanks all."],
        silent: &[
            "Is it not needed anymore?",
            "Not needed anymore since we're closed, right?",
        ],
    },
    Cue {
        id: "thanks_for_past.covered_before",
        signal: Signal::ThanksForPast,
        pattern: concat!(
            concat!(
                r"(?i)\b(?:thanks|thank you|thx|grateful|shout ?out|kudos)\b[^.!?\n]{0,60}\bfor\s+(?:\w+\s+){0,2}?(?:covering|jumping in|stepping in|taking|subbing|filling in|picking up|grabbing|working|swapping|helping)\b[^.!?\n]{0,80}\b(?:yesterday|last\s+(?:week|night|time|",
                weekday_abbrevs_without_weds!(),
                r"|"
            ),
            weekday_names!(),
            r")|when i was|while i was|the other day|earlier (?:today|this week)|this past|over the (?:weekend|break|holidays?))\b"
        ),
        guards: &[],
        fires: &["Kudos to Sarah for subbing for me last Friday."],
        silent: &["Thanks to Sarah for subbing for me next Friday."],
    },
    Cue {
        id: "accept.thanks_it_works",
        signal: Signal::Accept,
        pattern: concat!(
            r"(?i)\b(?:that works|works for me|works great|great|perfect|wonderful|awesome|amazing|lifesaver|life saver|saved me|you saved|saved my|appreciate|much appreciated|yes please|sounds good|it's yours|all yours|you're the best|you rock|thank you so much|thanks so much|many thanks|put you (?:on|down)|on the calendar|you're on|you're down for|you are down for|you've got it|you have got it|you got it|you(?:'ve| have)?\s+got\s+(?-i:[A-Z][a-z]+)'s\s+(?:shift|slot|(?:",
            weekday_abbrevs_without_weds!(),
            r")[a-z]*)|both yours|(?:both|they|these|those|both of them)(?:'re| are)\s+(?:all\s+)?yours|deal|done|sold|excellent|fantastic|brilliant|super|great news|all good|all sorted|totally fine|perfectly fine|that's fine|that is fine|fine by me|fine with me)\b"
        ),
        guards: &[],
        fires: &[
            "You're a lifesaver, Tom.",
            "all good, thx",
            "Many thanks, Dana, you're down for Ben's Friday now.",
            "Ben, thanks! You've got it: Monday 3/8, 2-3:30.",
            "Thank you Priya, they're both yours.",
            "Dana, both are yours!",
            "that's perfectly fine, thanks Jorge",
            "Okay Mei, you have got Dana's Wednesday then.",
        ],
        silent: &[
            "Perfection is overrated.",
            "I'm fine, thanks for asking.",
            "You've got Dana's keys, right?",
        ],
    },
    Cue {
        id: "subject.withdrawn.words",
        signal: Signal::SubjectWithdrawn,
        pattern: r"(?i)\b(?:withdrawn|cancell?ed|never ?mind|disregard|no longer needed|not needed)\b",
        guards: &[],
        fires: &["Withdrawn: Friday shift", "never mind - Tues"],
        silent: &["Withdrawal of library fines"],
    },
    // Subjects.
    Cue {
        id: "subject.covered.covered",
        signal: Signal::SubjectCovered,
        pattern: r"(?i)\bcovered\b",
        guards: &[],
        fires: &["Covered: Fri 12/4"],
        silent: &["Uncovered Fri 12/4"],
    },
    Cue {
        id: "subject.covered.filled",
        signal: Signal::SubjectCovered,
        pattern: r"(?i)\bfilled\b",
        guards: &[],
        fires: &["Filled - Monday 10-12"],
        silent: &["Unfilled Monday 10-12"],
    },
    Cue {
        id: "subject.covered.resolved",
        signal: Signal::SubjectCovered,
        pattern: r"(?i)\bresolved\b",
        guards: &[],
        fires: &["[resolved] Tuesday chat"],
        silent: &["Unresolved Tuesday chat"],
    },
    Cue {
        id: "subject.covered.confirmed",
        signal: Signal::SubjectCovered,
        pattern: r"(?i)\bconfirmed\b",
        guards: &[],
        fires: &["Confirmed: Dana for Mei"],
        silent: &["Unconfirmed: Dana for Mei"],
    },
    Cue {
        id: "subject.second_call.numbered",
        signal: Signal::SubjectSecondCall,
        pattern: r"(?i)\b(?:second|2nd|third|3rd|final|last|another)\s+(?:call|request|ask|try|attempt|plea|reminder)\b",
        guards: &[],
        fires: &["2nd request - Tues 1/5"],
        silent: &["Second floor desk"],
    },
    Cue {
        id: "subject.second_call.still_need",
        signal: Signal::SubjectSecondCall,
        pattern: r"(?i)\bstill\s+(?:need|needed|needing|looking|available|open|uncovered|seeking|unfilled|in need)\b",
        guards: &[],
        fires: &["Still looking: Fri 12/4"],
        silent: &["Stillwater trip"],
    },
    Cue {
        id: "subject.second_call.bump",
        signal: Signal::SubjectSecondCall,
        pattern: r"(?i)\bbump(?:ing)?\b",
        guards: &[],
        fires: &["bumping: Friday"],
        silent: &["Bumper stickers"],
    },
    Cue {
        id: "subject.second_call.resend",
        signal: Signal::SubjectSecondCall,
        pattern: r"(?i)\bre-?send(?:ing)?\b|\bre-?post(?:ing)?\b",
        guards: &[],
        fires: &["Resending: Friday shift", "Repost - Monday"],
        silent: &["Report for Friday"],
    },
    Cue {
        id: "subject.second_call.reminder",
        signal: Signal::SubjectSecondCall,
        // Weak: a notice's subject says "Reminder" too.
        pattern: r"(?i)\breminder\b",
        guards: &[],
        fires: &["Reminder: Friday shift"],
        silent: &["Reminders app"],
    },
    Cue {
        id: "subject.second_call.follow_up",
        signal: Signal::SubjectSecondCall,
        // Weak, like "Reminder".
        pattern: r"(?i)\bfollow[- ]?up\b",
        guards: &[],
        fires: &["Follow-up: Friday"],
        silent: &["Followers of the blog"],
    },
    Cue {
        id: "subject.second_call.still_question",
        signal: Signal::SubjectSecondCall,
        pattern: r"(?i)\bstill\?",
        guards: &[],
        fires: &["Friday still?"],
        silent: &["Still life"],
    },
    Cue {
        id: "subject.schedule_change.words",
        signal: Signal::SubjectScheduleChange,
        pattern: r"(?i)\bpermanent\b|\bschedule change\b|\bshift change\b|\bregular shift\b",
        guards: &[],
        fires: &[
            "Schedule change for spring",
            "My chat shift is moving (permanent)",
        ],
        silent: &["Scheduled maintenance"],
    },
    Cue {
        id: "subject.schedule_change.new_schedule",
        signal: Signal::SubjectScheduleChange,
        // Counts only when the text names a concrete change (the classifier
        // checks the text: the subject alone cannot say).
        pattern: r"(?i)\b(?:new|spring|fall|summer|winter|revised|updated) (?:chat )?schedule\b",
        guards: &[],
        fires: &["Spring chat schedule"],
        silent: &["New schedules posted"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cue_fires_on_its_examples_and_stays_silent_on_the_others() {
        let mut wrong = Vec::new();
        for cue in CUES {
            assert!(
                !cue.fires.is_empty() && !cue.silent.is_empty(),
                "{} needs an example each way",
                cue.id
            );
            for s in cue.fires {
                if !fires(cue, s) {
                    wrong.push(format!("{} did not fire on {s:?}", cue.id));
                }
            }
            for s in cue.silent {
                if fires(cue, s) {
                    wrong.push(format!("{} fired on {s:?}", cue.id));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// Every text the tests know: each row's examples, and every message of
    /// the corpus, raw and as the classifier's plain text.
    fn known_texts() -> Vec<String> {
        let mut texts: Vec<String> = CUES
            .iter()
            .flat_map(|c| c.fires.iter().chain(c.silent))
            .map(|s| s.to_string())
            .collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
        for e in std::fs::read_dir(&dir).expect("tests/messages") {
            let path = e.expect("an entry").path();
            if path.extension().is_some_and(|x| x == "eml") {
                let raw = std::fs::read(&path).expect("a message");
                texts.push(String::from_utf8_lossy(&raw).into_owned());
            }
        }
        let plain: Vec<String> = texts
            .iter()
            .map(|t| super::super::classify::plain(t))
            .collect();
        texts.extend(plain);
        texts
    }

    /// Each row is searched with its ASCII twin on texts without non-ASCII
    /// words and as written on the others (`super::super::pattern`): over
    /// every known text, and the same texts beside accented names, a row
    /// finds exactly what the pattern as written finds.
    #[test]
    fn every_row_finds_what_its_pattern_as_written_finds() {
        // The examples and some of the corpus (every message is compared
        // whole by tests/tools/reading_snapshot.sh; a debug build searches
        // slowly).
        let examples = CUES.iter().flat_map(|c| c.fires.iter().chain(c.silent));
        let mut texts: Vec<String> = examples.map(|s| s.to_string()).collect();
        texts.extend(known_texts().into_iter().rev().step_by(12));
        let accented: Vec<String> = texts
            .iter()
            .step_by(2)
            .map(|t| format!("Jos\u{e9}: {t} \u{2014} Ren\u{e9}e, Zo\u{eb}"))
            .collect();
        texts.extend(accented);
        let twin_read = texts
            .iter()
            .filter(|t| !super::super::pattern::has_non_ascii_word(t))
            .count();
        let mut wrong = Vec::new();
        for (cue, rx) in CUES.iter().zip(COMPILED.iter()) {
            let written = regex::Regex::new(cue.pattern).expect("valid regex");
            for text in &texts {
                let ours: Vec<_> = rx.find_iter(text).map(|m| m.range()).collect();
                let as_written: Vec<_> = written.find_iter(text).map(|m| m.range()).collect();
                if ours != as_written {
                    wrong.push(format!("{} on {text:?}", cue.id));
                }
            }
        }
        eprintln!(
            "figure: {} texts, {twin_read} of them read by the ASCII twins",
            texts.len()
        );
        assert!(twin_read > 0 && twin_read < texts.len());
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn every_match_of_every_row_holds_one_of_its_required_words() {
        // A row whose required words were read wrongly would be skipped on
        // a text it matches; every match in every known text says so here.
        let mut wrong = Vec::new();
        let texts = known_texts();
        for text in &texts {
            let view = View::new(text.clone());
            for (i, (cue, rx)) in CUES.iter().zip(COMPILED.iter()).enumerate() {
                if let Some(m) = rx.find(text) {
                    if !view.may_fire(i) {
                        wrong.push(format!(
                            "{} matched {:?} but was skipped",
                            cue.id,
                            m.as_str()
                        ));
                    }
                    let alone = View::new(m.as_str().to_string());
                    if !alone.may_fire(i) {
                        wrong.push(format!(
                            "{} matched {:?}, which holds none of its words",
                            cue.id,
                            m.as_str()
                        ));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        let always: Vec<&str> = CUES
            .iter()
            .enumerate()
            .filter(|(i, _)| View::new(String::new()).may_fire(*i))
            .map(|(_, c)| c.id)
            .collect();
        let (words, bytes) = ANCHORS.size();
        eprintln!(
            "figure: {} of {} rows have required words ({words} distinct words, automaton {} KB); always searched: {always:?}",
            CUES.len() - always.len(),
            CUES.len(),
            bytes / 1024
        );
    }

    #[test]
    fn the_classifier_reads_the_same_with_and_without_required_words() {
        let roster = crate::config::Config::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/messages/shiftcover.toml"),
        )
        .expect("the corpus config")
        .roster;
        let mut checked = 0;
        let subjects = [
            "",
            "Re: coverage",
            "Second call: Friday",
            "Covered: Fri 12/4",
            "Withdrawn: new schedule from January",
        ];
        // Each text is read under one subject in turn: every subject cue
        // meets hundreds of texts and the test stays quick.
        for (n, text) in known_texts().iter().enumerate() {
            let subject = subjects[n % subjects.len()];
            let input = super::super::classify::Input {
                text,
                subject,
                sender: Some("alopez@example.edu"),
                roster: &roster,
            };
            let quick = super::super::classify::classify(&input);
            let full = with_full_scan(|| super::super::classify::classify(&input));
            assert_eq!(quick, full, "{text:?} under {subject:?}");
            checked += 1;
        }
        assert!(checked > 1000, "only {checked} readings compared");
    }

    #[test]
    fn every_message_reads_the_same_with_and_without_required_words() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
        let config = crate::config::Config::load(&dir.join("shiftcover.toml")).expect("config");
        let ics = std::fs::read_to_string(dir.join("schedule.ics")).expect("schedule.ics");
        let schedule = crate::schedule::Schedule::from_ics(&ics, &config.roster, config.timezone)
            .expect("the schedule parses");
        let ctx = super::super::ReadContext {
            config: &config,
            schedule: &schedule,
        };
        let mut read = 0;
        for e in std::fs::read_dir(&dir).expect("tests/messages") {
            let path = e.expect("an entry").path();
            if path.extension().is_none_or(|x| x != "eml") {
                continue;
            }
            let raw = std::fs::read(&path).expect("a message");
            let quick = super::super::read_message(&raw, &ctx);
            let full = with_full_scan(|| super::super::read_message(&raw, &ctx));
            assert_eq!(quick, full, "{}", path.display());
            read += 1;
        }
        assert!(read > 500, "only {read} messages read");
    }

    #[test]
    fn cue_ids_are_unique_and_name_their_signal() {
        let mut seen = std::collections::HashSet::new();
        for cue in CUES {
            assert!(seen.insert(cue.id), "{} twice", cue.id);
            let prefix = cue.signal.prefix();
            assert!(cue.id.starts_with(prefix), "{}", cue.id);
        }
    }

    #[test]
    fn a_message_is_split_into_sentences_once() {
        let v = View::new("Hi all. Could someone cover Tue?\nThanks".into());
        let s: Vec<&str> = v.sentences().map(|(a, b)| &v.text[a..b]).collect();
        assert_eq!(
            s,
            vec!["Hi all.", " Could someone cover Tue?", "\n", "Thanks"]
        );
    }
}
