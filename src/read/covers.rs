//! A confirmation that names several coverers for several shifts ("Ben is
//! covering Monday 5/3 and Sarah has Wednesday 5/5"): who takes which.
//!
//! The text is cut into clauses at sentence ends and at "and", "while",
//! "plus" and semicolons; each clause's coverer is the first person it names
//! who is not the one being covered (a possessive, "Sarah's Thursday", names
//! whose shift it is), or the writer for a clause that starts with "I". A
//! clause naming no coverer belongs to the one before it ("Ben is covering
//! Monday and Wednesday"). Only when two or more people come out, each with
//! shifts of their own, is the answer kept; otherwise the message's single
//! `coverer` stands.

use std::sync::LazyLock;

use super::pattern::Regex;

use super::resolve::{Mode, find_shifts};
use super::{Analysis, ReadContext};
use crate::model::{Cover, Span};

static CLAUSE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)[.!?;\n]+|\s+(?:and|while|plus|&)\s+|,\s+(?:and\s+)?(?:then\s+)?"));
static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z][A-Za-z.'’\-]*"));
static WRITER_TAKES: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:and\s+)?i(?:'ll|’ll| will| am|'m|’m| can| have|'ve|’ve| got| take)\b")
});

/// Who takes which shifts, when the text names several coverers; else empty.
pub fn several(a: &Analysis, ctx: &ReadContext) -> Vec<Cover> {
    let Some(today) = a.today else {
        return Vec::new();
    };
    let text = super::classify::plain(&a.text);
    let owner = a
        .reading
        .on_behalf_of
        .clone()
        .or_else(|| a.person.clone())
        .unwrap_or_else(|| a.reading.from.clone());
    let roster = &ctx.config.roster;
    let mut covers: Vec<Cover> = Vec::new();
    let mut current: Option<String> = None;
    for clause in CLAUSE_BREAK.split(&text) {
        if clause.trim().is_empty() {
            continue;
        }
        let named = if WRITER_TAKES.is_match(clause) {
            Some(a.reading.from.clone())
        } else {
            WORD.find_iter(clause).find_map(|w| {
                let word = w.as_str();
                // "Sarah's Thursday" names whose shift it is.
                if word.ends_with("'s") || word.ends_with("’s") {
                    return None;
                }
                let member = roster.by_name(word.trim_end_matches(['.', '\'']))?;
                // A name needs its capital: "will" is not Will.
                if !word.starts_with(|c: char| c.is_uppercase()) || member.email == owner {
                    return None;
                }
                Some(member.email.clone())
            })
        };
        if named.is_some() {
            current = named;
        }
        let Some(coverer) = current.clone() else {
            continue;
        };
        let found = find_shifts(
            clause,
            today,
            Some(&owner),
            ctx.schedule,
            ctx.config,
            Mode::Shifts,
        );
        if found.spans.is_empty() {
            continue;
        }
        match covers.iter_mut().find(|c| c.coverer == coverer) {
            Some(c) => add(&mut c.shifts, &found.spans),
            None => covers.push(Cover {
                coverer,
                shifts: found.spans,
            }),
        }
    }
    if covers.len() < 2 {
        return Vec::new();
    }
    covers
}

fn add(into: &mut Vec<Span>, spans: &[Span]) {
    for s in spans {
        if !into.contains(s) {
            into.push(*s);
        }
    }
    into.sort();
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("valid regex")
}
