//! The cue table: every phrase the classifier reacts to, as one row each.
//!
//! A cue has an id (named in `parse --explain`), the signal it gives (an
//! ask, the writer cannot work, the writer is sick, a take-back), its
//! pattern, the guards it needs, and example sentences on which it must
//! fire and on which it must stay silent. One test,
//! `every_cue_fires_on_its_examples_and_stays_silent_on_the_others`, checks
//! every row's examples, so adding a row is adding its evidence.
//!
//! To add a cue: append a row to [`CUES`] under its signal, give it a new id
//! (`signal.what_it_says`), its guards, and at least one sentence each way
//! (the silent one a near miss: the same words meaning something else).
//! Within a signal the earliest match in the text wins; rows are tried in
//! table order only to break ties.
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
//!
//! Not every cue of the classifier is a row yet: offers, confirmations,
//! second calls and schedule changes are still lists in `classify.rs`,
//! to be moved here the same way.

use std::sync::LazyLock;

use regex::Regex;

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
        }
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
        let settled =
            super::classify::without_conditionals(&super::classify::without_fallbacks(text));
        Scan {
            full: View::new(text.to_string()),
            open: View::new(open),
            settled: View::new(settled),
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

/// A negation right before a match ("no longer need", "not sick").
pub(super) static JUST_NEGATED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:n't|\bnot|\bno longer|\bnever|\bno)\s+(?:\w+\s+)?$"));

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
/// someone could cover her shift").
static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:asked|asks|wondered|wondering|wanted to know|was asking|were asking|inquired)\s+(?:me\s+|us\s+|them\s+)?(?:if|whether)\s+$",
    )
});

/// Words before a sick cue that make it about someone else, or the past.
static NOT_THE_WRITER_NOW: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(?:\byou|\byou're|\byou are|\bhe|\bshe|\bthey|\bhe's|\bshe's|\bthey're|\bhope|\bfeel better|\bsorry to hear|\bmy (?:kid|son|daughter|child|children|kids|partner|husband|wife|spouse|mom|mother|dad|father|baby|toddler|family)\b[^.!?]*|\bwas|\bwere|\blast (?:week|time)|\bwhile i)\W*(?:\w+\W+){0,3}$",
    )
});

/// What follows an illness word when it names prevention, not illness.
static PREVENTION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:shots?|vaccines?|vaccinations?|jabs?|clinics?|season|boosters?)\b")
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
        Guard::AboutWriter => !NOT_THE_WRITER_NOW.is_match(&text[view.clause_start(start)..start]),
        Guard::NotPrevention => !PREVENTION_AFTER.is_match(&text[end..]),
    })
}

/// Every row, compiled once.
static COMPILED: LazyLock<Vec<Regex>> =
    LazyLock::new(|| CUES.iter().map(|c| re(c.pattern)).collect());

/// The earliest cue of a signal that fires in the text, guards met; ties go
/// to the shorter match, then the table's order.
pub fn earliest(signal: Signal, scan: &Scan) -> Option<Fired> {
    let mut best: Option<Fired> = None;
    for (cue, rx) in CUES.iter().zip(COMPILED.iter()) {
        if cue.signal != signal {
            continue;
        }
        let view = scan.view_for(cue);
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
    for (cue, rx) in CUES.iter().zip(COMPILED.iter()) {
        if cue.signal != signal {
            continue;
        }
        let view = scan.view_for(cue);
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
    CUES.iter()
        .zip(COMPILED.iter())
        .filter(|(c, _)| c.signal == signal)
        .find_map(|(cue, rx)| {
            let view = scan.view_for(cue);
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

/// True when this one cue fires on a text, as the classifier would read it.
pub fn fires(cue: &Cue, text: &str) -> bool {
    let scan = Scan::of(&super::classify::plain(text));
    let rx = re(cue.pattern);
    let view = scan.view_for(cue);
    rx.find_iter(&view.text)
        .any(|m| guarded(cue, view, m.start(), m.end()))
}

/// The table. Rows of a signal stay together.
pub static CUES: &[Cue] = &[
    Cue {
        id: "ask.could_someone",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:could|can|would|will|is|are|might|does|do)\s+(?:someone|somebody|anyone|anybody|any\s?one|one of you|any of you|some kind soul|a kind soul|someone else|anyone else|any volunteers?|a volunteer|people|y'all|you all|folks)\b[^.?!\n]{0,40}?\b(?:cover|take\s+(?:my|the|it|this|that|over|part|half|an?\s|\d|on)|pick\s+up|pick\s+(?:it|this|that|them)\s+up|grab|swap|trade|switch|sub\b|substitute|fill\s+in|work\s+(?:my|the|this|that|part|half|an?\s|\d|for me|in my|it)|help\s+(?:out|me out|cover|with (?:my|the|a|this) (?:shift|chat))|step\s+in|jump\s+in|staff|relieve|jump\s+on|hop\s+on|log\s+(?:on|in)|sign\s+(?:on|in)|do\s+(?:my|the|this|that|part|half|an?\s|\d|it\b))",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
        ],
        fires: &["Could someone cover my Tuesday shift?"],
        silent: &["Could someone explain the new widget?"],
    },
    Cue {
        id: "ask.anyone_free",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:anyone|anybody|someone|somebody|any\s?one|any volunteers?)\s+(?:\w+\s+){0,2}?(?:able|available|free|willing|want|wanna|wants|interested|around|up for|game|can|could)\b[^.?!\n]{0,40}?(?:\bcover|\btake\s+(?:my|the|it|this|that|over|part|half|an?\s+(?:shift|hour)|\d|on)|\bswap|\btrade|\bswitch|\bsub\b|\bfill\s+in|\bpick\s+up\s+(?:my|the|it|this|that|a\s+shift|\d)|\bgrab\s+(?:my|the|it|this|that|a\s+shift|\d)|\bwork\s+(?:my|the|it|this|that|for|\d)|\bshift|(?:\d|day\b|tomorrow|tonight|then\b)[^.?!\n]{0,20}\?)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
        ],
        fires: &["Anyone free to cover Monday 10-12?"],
        silent: &[
            "Anyone free for lunch?",
            "A patron asked if anyone could cover her shift at the writing center.",
        ],
    },
    Cue {
        id: "ask.need_coverage",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:need|needs|needing|looking for|look for|seeking|searching for|hoping (?:to find|for|someone)|hope to find|requesting|in need of|could use|would love|'d love|find)\s+(?:(?:some|chat|desk|shift|a\s+bit\s+of|a\s+little|urgent|last-minute|last minute)\s+){0,2}(?:coverage|cover\b|a cover|someone|somebody|anyone|a sub\b|a substitute|a swap|a trade|a volunteer|volunteers|help covering|help with (?:my|a|the) (?:\w+ )?shift|a replacement|backup|a hand|to find (?:someone|coverage|a sub)|to swap|to trade|to switch|(?:my|this|the|a)\s+(?:[\w/:-]+\s+){0,3}?(?:shift|slot|hours?|chat)s?(?:\s+(?:that|this|next)\s+(?:week|day|month))?\s+covered)",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
        ],
        fires: &[
            "I need coverage for Friday.",
            "I'll need my Wednesday and Friday shifts that week covered.",
            "I'm at a retreat and need my 10-12 chat covered.",
        ],
        silent: &[
            "I no longer need coverage.",
            "Please keep your Monday shifts that week or find coverage.",
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
        ],
        fires: &["Coverage needed for Thursday."],
        silent: &["Coverage map attached."],
    },
    Cue {
        id: "ask.needs_covered",
        signal: Signal::Ask,
        pattern: r"(?i)\bneed(?:s|ed)?\s+(?:to be\s+|it\s+|this\s+|them\s+)?covered\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
        ],
        fires: &["My Monday shift needs to be covered."],
        silent: &["We covered the basics."],
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
        ],
        fires: &["Any takers?"],
        silent: &["Tea makers are in the lounge."],
    },
    Cue {
        id: "ask.appreciate_if",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:appreciate (?:it )?|be (?:so |very |really |super )?(?:grateful|thankful|great|wonderful|amazing|a huge help|a big help) |help (?:me )?(?:out )?(?:a lot )?)if (?:someone|somebody|anyone|anybody|one of you|any of you|you)\s+(?:could|can|would|is able to|are able to|were able to|was able to)\s+(?:\w+\s+)?(?:cover|take|step in|jump in|fill in|sub\b|swap|trade|pick|grab|work|do)\b",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
        ],
        fires: &["I'd appreciate it if someone could step in."],
        silent: &["I appreciate everyone's hard work."],
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
        ],
        fires: &["Who can take my Wednesday shift?"],
        silent: &["Who was on chat yesterday?"],
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
        ],
        fires: &["Does anyone want to swap for my Friday?"],
        silent: &["I want to swap my phone."],
    },
    Cue {
        id: "ask.swap_question",
        signal: Signal::Ask,
        pattern: r"(?i)\b(?:swap|trade|switch)\b[^.!?\n]{0,60}\?",
        guards: &[
            Guard::NotConditional,
            Guard::NotNegated,
            Guard::NotAboutPatron,
            Guard::NotWriterFinding,
            Guard::NotReported,
        ],
        fires: &["Trade my Monday for your Tuesday?"],
        silent: &["We discussed a trade agreement."],
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
        ],
        fires: &["Could you cover my Monday 10-12?"],
        silent: &["Could you send the link?"],
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
        ],
        fires: &["My Friday shift is available, anyone interested?"],
        silent: &["The shift ended early."],
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
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["I'm home sick with a cold, sorry all."],
        silent: &["Angie was out sick last week."],
    },
    Cue {
        id: "sick.sick_when",
        signal: Signal::Sick,
        pattern: r"(?i)\bsick\s+(?:today|tomorrow|tonight|this (?:morning|afternoon|week)|again|day|leave|as a dog)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Sick today, sorry."],
        silent: &["Are you sick today?"],
    },
    Cue {
        id: "sick.feeling_bad",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:i'm|i am|i've been|i have been|i feel|i'm feeling|i am feeling|feeling|i got|i've gotten|i woke up|woke up|i was up all night|been up all night)\s+(?:really |very |pretty |quite |so |a bit |too |a little |kind of |kinda |super |still |now |just )*(?:sick|ill|unwell|awful|terrible|lousy|crummy|rough|horrible|feverish|nauseous|dizzy|miserable)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["I'm feeling pretty awful this morning."],
        silent: &["She said she was feeling awful."],
    },
    Cue {
        id: "sick.not_feeling_well",
        signal: Signal::Sick,
        pattern: r"(?i)\bnot feeling (?:well|great|good|100%|so well|too well|very well|so great|too great|my best)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Not feeling well today, so I'm staying in."],
        silent: &["You're not feeling well?"],
    },
    Cue {
        id: "sick.under_the_weather",
        signal: Signal::Sick,
        pattern: r"(?i)\bunder the weather\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["A bit under the weather, sorry all."],
        silent: &["Is he under the weather?"],
    },
    Cue {
        id: "sick.illness_noun",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:have|has|got|caught|with|running|come down with|came down with|coming down with|woke up with|fighting|battling|i've got)\s+(?:a |the |an |some )?(?:\w+\s+)?(?:fever|flu|stomach bug|stomach flu|migraine|covid|covid-19|cold|sore throat|food poisoning|strep|virus|norovirus|head cold|sinus infection|bug|temperature|ear infection|bronchitis|pink eye)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["I've got a fever and chills."],
        silent: &["I got a flu shot today."],
    },
    Cue {
        id: "sick.came_down_with",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:come|came|coming) down with\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Came down with something overnight."],
        silent: &["You came down with it too?"],
    },
    Cue {
        id: "sick.called_in",
        signal: Signal::Sick,
        pattern: r"(?i)\bcall(?:ing|ed)? (?:in|out) sick\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Calling in sick for tomorrow."],
        silent: &["If he called in sick, tell me."],
    },
    Cue {
        id: "sick.tested_positive",
        signal: Signal::Sick,
        pattern: r"(?i)\btested positive\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Tested positive this morning."],
        silent: &["They tested positive last week."],
    },
    Cue {
        id: "sick.symptom",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:throwing up|vomiting|migraine|fever|food poisoning|stomach bug)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Up all night throwing up."],
        silent: &["My daughter has a migraine."],
    },
    Cue {
        id: "sick.doctors_orders",
        signal: Signal::Sick,
        pattern: r"(?i)\bdoctor'?s orders\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Doctor's orders: stay in bed."],
        silent: &["You should follow doctor's orders."],
    },
    Cue {
        id: "sick.bracketed",
        signal: Signal::Sick,
        pattern: r"(?i)\(\s*(?:sick|ill|flu|fever|covid)\s*\)",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Out Friday (sick)."],
        silent: &["He is out (sick) today."],
    },
    Cue {
        id: "sick.caring_for_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:sick|ill|feverish)\s+(?:kid|kiddo|kids|child|children|son|daughter|baby|toddler|little one|partner|husband|wife|spouse)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Sick kid at home, can't come in."],
        silent: &["He has a sick kid at home."],
    },
    Cue {
        id: "sick.home_with_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\bhome with (?:a |my |the |our )?(?:sick|ill|feverish)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["Stuck home with a sick toddler."],
        silent: &["She's home with a sick toddler."],
    },
    Cue {
        id: "sick.child_is_sick",
        signal: Signal::Sick,
        pattern: r"(?i)\b(?:kid|kiddo|child|son|daughter|baby|toddler)(?:'s|\s+is|\s+has|\s+woke up)\s+(?:sick|ill|with a fever|a fever|the flu|running a fever|throwing up)\b",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &["My kiddo woke up with a fever."],
        silent: &["They said the baby is sick."],
    },
    Cue {
        id: "sick.bare_illness",
        signal: Signal::Sick,
        pattern: r"(?im)(?:^|[.!?]\s+)\W*(?:the\s+)?(?:flu|fever|covid|strep|migraine|stomach bug|food poisoning|norovirus|a cold|head cold)\s*[.!,;]",
        guards: &[Guard::AboutWriter, Guard::NotPrevention],
        fires: &[
            "Flu. Out the rest of the week.",
            "Ugh. Migraine, can't do 2-4.",
        ],
        silent: &["Flu shots are on Tuesday.", "Covid policy is on the wiki."],
    },
    Cue {
        id: "withdrawn.no_longer_need",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\bno longer (?:need|needed|require|looking|necessary|an issue)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I no longer need coverage for Friday."],
        silent: &["I no doubt need a coffee."],
    },
    Cue {
        id: "withdrawn.dont_need",
        signal: Signal::Withdrawn,
        pattern: r"(?i)\b(?:don't|do not|won't|will not|doesn't|does not)\s+need\s+(?:coverage|cover|a sub|anyone|anybody|someone|somebody|it covered|the coverage|help|a swap|to swap|to trade|this covered|covering)\b",
        guards: &[Guard::NotConditional, Guard::NotFallback, Guard::NotNegated],
        fires: &["I don't need a sub after all."],
        silent: &["I don't need the projector."],
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

    #[test]
    fn cue_ids_are_unique_and_name_their_signal() {
        let mut seen = std::collections::HashSet::new();
        for cue in CUES {
            assert!(seen.insert(cue.id), "{} twice", cue.id);
            let prefix = match cue.signal {
                Signal::Ask => "ask.",
                Signal::CannotWork => "need.",
                Signal::Sick => "sick.",
                Signal::Withdrawn => "withdrawn.",
            };
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
