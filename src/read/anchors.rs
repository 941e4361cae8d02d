//! The words a pattern cannot match without: read from each pattern's
//! syntax tree, so a text that holds none of a cue's required words is not
//! searched for that cue at all.
//!
//! Reading a message runs some 140 cue patterns over several views of its
//! text, and most cues cannot fire on most messages ("could someone ...
//! cover" needs "could", "can", "would", ...). One pass of one automaton over
//! the text tells which required words occur; only the cues whose words do
//! are then searched. Nothing is written by hand: the words come from the
//! pattern, so a row added to the cue table gets its own without any rule
//! for its author. A pattern whose words cannot be told (every match might
//! be made of any letters) is simply always searched.
//!
//! Soundness, which the tests check over every example and message: a
//! required set S of a pattern is a set of strings such that every match
//! contains one of them, compared with ASCII letters folded to lower case.
//! The few non-ASCII letters that case-insensitive patterns equate with an
//! ASCII one (the long s, the Kelvin sign) are folded to that letter too,
//! and a text holding one of them is searched for every cue.

use std::collections::BTreeSet;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// At most this many strings in one set of exact spellings; past it a run
/// of letters is cut and a shorter run kept.
const MAX_SET: usize = 64;
/// A class of at most this many characters is read as one letter (the case
/// variants of a letter, a space or a hyphen); a larger one as any letter.
const MAX_CLASS: usize = 8;
/// A pattern whose required set would hold more strings is always searched.
const MAX_REQUIRED: usize = 512;
/// A pattern's sets beside its best one are used only when each of their
/// words has at least this many bytes, or is one punctuation mark ("?").
const MIN_EXTRA_WORD: usize = 2;

type Set = BTreeSet<Vec<u8>>;

/// What one part of a pattern matches, as far as words go.
struct Words {
    /// Every string the part matches, folded, when few.
    exact: Option<Set>,
    /// Strings one of which every match of the part contains, folded.
    required: Option<Set>,
    /// Sets of strings, every one of which holds a string every match of
    /// the part contains: the required words of the part's parts, all of
    /// them ("could|can" and "someone|anyone" and "cover").
    all: Vec<Set>,
}

/// A character folded as the texts are: ASCII to lower case; a non-ASCII
/// letter whose other case is ASCII (the long s is 'S' in upper case, the
/// Kelvin sign 'k' in lower) to that ASCII letter, noted in `twins`.
fn fold_char(c: char, twins: &mut BTreeSet<char>) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let single_ascii = |mut it: std::iter::Peekable<&mut dyn Iterator<Item = char>>| {
        let first = it.next()?;
        (it.peek().is_none() && first.is_ascii()).then(|| first.to_ascii_lowercase())
    };
    let lower: &mut dyn Iterator<Item = char> = &mut c.to_lowercase();
    let upper: &mut dyn Iterator<Item = char> = &mut c.to_uppercase();
    match single_ascii(lower.peekable()).or_else(|| single_ascii(upper.peekable())) {
        Some(a) => {
            twins.insert(c);
            a
        }
        None => c,
    }
}

fn fold_bytes(b: &[u8]) -> Vec<u8> {
    b.to_ascii_lowercase()
}

/// Every string of `a` followed by every string of `b`, or None when more
/// than [`MAX_SET`].
fn cross(a: &Set, b: &Set) -> Option<Set> {
    if a.len().saturating_mul(b.len()) > MAX_SET {
        return None;
    }
    let mut out = Set::new();
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.insert(s);
        }
    }
    Some(out)
}

/// A set of exact spellings as a required set: only when none is empty.
fn usable(exact: &Option<Set>) -> Option<Set> {
    exact
        .as_ref()
        .filter(|s| s.iter().all(|w| !w.is_empty()))
        .cloned()
}

/// How telling a required set is: longer words first, then fewer of them.
fn worth(s: &Set) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = s.iter().map(Vec::len).min().unwrap_or(usize::MAX);
    (shortest.min(6), std::cmp::Reverse(s.len()))
}

fn better(a: Option<Set>, b: Option<Set>) -> Option<Set> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if worth(&b) > worth(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn class_letters(chars: impl Iterator<Item = char>, twins: &mut BTreeSet<char>) -> Option<Set> {
    let mut out = Set::new();
    for (n, c) in chars.enumerate() {
        if n >= MAX_CLASS {
            return None;
        }
        let mut buf = [0u8; 4];
        out.insert(
            fold_char(c, twins)
                .encode_utf8(&mut buf)
                .as_bytes()
                .to_vec(),
        );
    }
    Some(out)
}

fn walk(h: &Hir, twins: &mut BTreeSet<char>) -> Words {
    let empty = || Some(Set::from([Vec::new()]));
    // Each part's own sets, gathered where the parts are all needed.
    let mut all: Vec<Set> = Vec::new();
    let (exact, required) = match h.kind() {
        HirKind::Empty | HirKind::Look(_) => (empty(), None),
        HirKind::Literal(lit) => (Some(Set::from([fold_bytes(&lit.0)])), None),
        HirKind::Class(Class::Unicode(c)) => {
            let size: u64 = c
                .ranges()
                .iter()
                .map(|r| u64::from(r.end()) - u64::from(r.start()) + 1)
                .sum();
            let exact = if size as usize > MAX_CLASS {
                None
            } else {
                let chars = c.ranges().iter().flat_map(|r| r.start()..=r.end());
                class_letters(chars, twins)
            };
            (exact, None)
        }
        HirKind::Class(Class::Bytes(c)) => {
            let size: usize = c
                .ranges()
                .iter()
                .map(|r| usize::from(r.end()) - usize::from(r.start()) + 1)
                .sum();
            let exact = (size <= MAX_CLASS).then(|| {
                c.ranges()
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|b| vec![b.to_ascii_lowercase()])
                    .collect()
            });
            (exact, None)
        }
        HirKind::Capture(c) => {
            let w = walk(&c.sub, twins);
            all = w.all;
            (w.exact, w.required)
        }
        HirKind::Repetition(r) => {
            let w = walk(&r.sub, twins);
            let exact = match (r.min, r.max) {
                (1, Some(1)) => w.exact,
                (0, Some(1)) => w.exact.map(|mut e| {
                    e.insert(Vec::new());
                    e
                }),
                _ => None,
            };
            let required = if r.min >= 1 { w.required } else { None };
            if r.min >= 1 {
                all = w.all;
            }
            (exact, required)
        }
        HirKind::Concat(parts) => {
            let mut required = None;
            let mut run = empty().expect("a set");
            let mut whole = true;
            for part in parts {
                let w = walk(part, twins);
                required = better(required, w.required);
                all.extend(w.all);
                match w.exact {
                    Some(e) => match cross(&run, &e) {
                        Some(longer) => run = longer,
                        None => {
                            whole = false;
                            all.extend(usable(&Some(run.clone())));
                            required = better(required, usable(&Some(run)));
                            run = e;
                        }
                    },
                    None => {
                        whole = false;
                        all.extend(usable(&Some(run.clone())));
                        required = better(required, usable(&Some(run)));
                        run = empty().expect("a set");
                    }
                }
            }
            all.extend(usable(&Some(run.clone())));
            required = better(required, usable(&Some(run.clone())));
            (whole.then_some(run), required)
        }
        HirKind::Alternation(branches) => {
            let ws: Vec<Words> = branches.iter().map(|b| walk(b, twins)).collect();
            let exact = ws
                .iter()
                .map(|w| w.exact.as_ref())
                .collect::<Option<Vec<&Set>>>()
                .map(|sets| sets.into_iter().flatten().cloned().collect::<Set>())
                .filter(|s| s.len() <= MAX_SET);
            let required = ws
                .iter()
                .map(|w| w.required.as_ref())
                .collect::<Option<Vec<&Set>>>()
                .map(|sets| sets.into_iter().flatten().cloned().collect::<Set>());
            (exact, required)
        }
    };
    let required = better(required, usable(&exact)).filter(|s| s.len() <= MAX_REQUIRED);
    all.extend(required.clone());
    all.retain(|s| s.len() <= MAX_REQUIRED);
    all.sort();
    all.dedup();
    Words {
        exact,
        required,
        all,
    }
}

/// The strings (folded) one of which every match of `pattern` contains, or
/// None when the pattern's words cannot be told. Also notes the non-ASCII
/// letters folded to ASCII ones.
#[cfg(test)]
fn required_words(pattern: &str, twins: &mut BTreeSet<char>) -> Option<Set> {
    walk_pattern(pattern, twins).required
}

fn walk_pattern(pattern: &str, twins: &mut BTreeSet<char>) -> Words {
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .expect("a cue pattern parses");
    walk(&hir, twins)
}

/// Whether a word is worth finding beside a pattern's best set: a single
/// letter or space is in nearly every text, a question mark is not.
fn telling(word: &[u8]) -> bool {
    word.len() >= MIN_EXTRA_WORD || matches!(word, [b] if b.is_ascii_punctuation())
}

/// Every set of strings (folded) of which every match of `pattern`
/// contains one: the best one ([`required_words`]) and those of the
/// pattern's other needed parts whose words are telling (a set holding
/// "i" or "a" is found in nearly every text). Empty when the
/// pattern's words cannot be told.
fn required_sets(pattern: &str, twins: &mut BTreeSet<char>) -> Vec<Set> {
    let w = walk_pattern(pattern, twins);
    let Some(best) = w.required else {
        return Vec::new();
    };
    let mut sets = vec![best.clone()];
    sets.extend(
        w.all
            .into_iter()
            .filter(|s| *s != best && s.iter().all(|w| telling(w))),
    );
    sets
}

/// Which patterns a text may match, one bit each, decided once for the
/// text; None when it holds a folded twin letter and every pattern is to be
/// searched. A reading asks about each row several times (every signal's
/// search, every view that is the same text), so the answer is a bit test.
#[derive(Debug, Clone)]
pub struct Found(Option<Vec<u64>>);

/// The required words of many patterns, found in a text in one pass.
#[derive(Debug)]
pub struct Anchors {
    /// Every distinct required word, lower case.
    words: AhoCorasick,
    /// How many patterns there are.
    patterns_len: usize,
    /// Per pattern, how many distinct required sets it needs (the text
    /// must hold a word of each); 0 for a pattern always searched.
    needs: Vec<u8>,
    /// The bits of the patterns always searched (their words cannot be
    /// told), one per pattern.
    always: Vec<u64>,
    /// Per word, the ids of the distinct required sets that hold it, all
    /// in one vector (the lists follow one another in word order, so a
    /// text's few words touch a few lines of memory, not an allocation
    /// each).
    sets_of_word: Lists,
    /// Per distinct required set, the patterns that need it, the same way.
    patterns_of_set: Lists,
    /// Non-ASCII letters folded to ASCII ones in some required word.
    twins: Vec<char>,
}

/// Lists of small ids kept end to end in one vector: list `i` is
/// `items[starts[i]..starts[i + 1]]`.
#[derive(Debug)]
struct Lists {
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    fn new(lists: &[Vec<u32>]) -> Lists {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::new();
        starts.push(0);
        for l in lists {
            items.extend_from_slice(l);
            starts.push(u32::try_from(items.len()).expect("few ids"));
        }
        Lists { starts, items }
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn get(&self, i: usize) -> &[u32] {
        &self.items[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

impl Anchors {
    /// The anchors of these patterns, in their order.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Anchors {
        let mut twins = BTreeSet::new();
        let sets: Vec<Vec<Set>> = patterns
            .into_iter()
            .map(|p| required_sets(p, &mut twins))
            .collect();
        let all: Vec<&Vec<u8>> = sets
            .iter()
            .flatten()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let id = |w: &Vec<u8>| all.binary_search(&w).expect("a word of the list");
        // Patterns share sets ("someone|anyone"): each distinct set is
        // decided once per text.
        let distinct: Vec<&Set> = sets
            .iter()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let set_id = |s: &Set| distinct.binary_search(&s).expect("a set of the list");
        let mut patterns_of_set = vec![Vec::new(); distinct.len()];
        let mut needs = Vec::with_capacity(sets.len());
        let mut always = vec![0u64; sets.len().div_ceil(64)];
        for (i, s) in sets.iter().enumerate() {
            let mut ids: Vec<usize> = s.iter().map(set_id).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                always[i / 64] |= 1 << (i % 64);
            }
            for &n in &ids {
                patterns_of_set[n].push(u32::try_from(i).expect("few patterns"));
            }
            needs.push(u8::try_from(ids.len()).expect("few sets a pattern"));
        }
        let mut sets_of_word = vec![Vec::new(); all.len()];
        for (n, set) in distinct.iter().enumerate() {
            for w in set.iter() {
                sets_of_word[id(w)].push(u32::try_from(n).expect("few sets"));
            }
        }
        let words = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A DFA of these words took some 2.5 MB and read no faster; of
            // 1,578 words 4 MB, half the instructions, and no faster by the
            // clock (see README, Performance).
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(all.iter().map(|w| w.as_slice()))
            .expect("the required words build an automaton");
        Anchors {
            words,
            patterns_len: sets.len(),
            needs,
            always,
            sets_of_word: Lists::new(&sets_of_word),
            patterns_of_set: Lists::new(&patterns_of_set),
            twins: twins.into_iter().collect(),
        }
    }

    /// Which patterns may match in `text`: the required words are found in
    /// one pass, and each pattern is decided then, once. Each set a found
    /// word newly holds counts once for the patterns that need it; a
    /// pattern may match when its count reaches its number of sets, so the
    /// work follows the few words a text holds, not the whole table.
    pub fn found_in(&self, text: &str) -> Found {
        if !text.is_ascii() && text.contains(self.twins.as_slice()) {
            return Found(None);
        }
        // One scratch vector: a byte per distinct set (held or not), then
        // a byte per pattern (how many of its sets are held).
        let sets_len = self.patterns_of_set.len();
        let mut scratch = vec![0u8; sets_len + self.patterns_len];
        let (held, counts) = scratch.split_at_mut(sets_len);
        let mut may = self.always.clone();
        for m in self.words.find_overlapping_iter(text) {
            for &s in self.sets_of_word.get(m.pattern().as_usize()) {
                let s = s as usize;
                if std::mem::replace(&mut held[s], 1) == 1 {
                    continue;
                }
                for &i in self.patterns_of_set.get(s) {
                    let i = i as usize;
                    counts[i] += 1;
                    if counts[i] == self.needs[i] {
                        may[i / 64] |= 1 << (i % 64);
                    }
                }
            }
        }
        Found(Some(may))
    }

    /// Whether pattern `i` may match in the text `found` was made from:
    /// false only when the text holds none of the words of one of its
    /// required sets.
    pub fn may_match(&self, found: &Found, i: usize) -> bool {
        match &found.0 {
            Some(may) => may[i / 64] >> (i % 64) & 1 == 1,
            None => true,
        }
    }

    /// How many distinct required words there are, and the heap bytes of
    /// the automaton that finds them.
    pub fn size(&self) -> (usize, usize) {
        (self.words.patterns_len(), self.words.memory_usage())
    }

    /// Per pattern, whether it may match somewhere in `text`.
    #[cfg(test)]
    pub fn may_match_each(&self, text: &str) -> Vec<bool> {
        let found = self.found_in(text);
        (0..self.patterns_len)
            .map(|i| self.may_match(&found, i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(p: &str) -> Option<Vec<String>> {
        let mut twins = BTreeSet::new();
        required_words(p, &mut twins).map(|s| {
            s.into_iter()
                .map(|w| String::from_utf8(w).unwrap())
                .collect()
        })
    }

    #[test]
    fn the_required_words_come_from_the_pattern() {
        assert_eq!(
            words(r"(?i)\b(?:could|can)\s+(?:someone|anyone)\b[^.]{0,40}?\bcover"),
            Some(vec!["anyone".into(), "someone".into()])
        );
        assert_eq!(
            words(r"(?i)\bfeel(?:ing)? sick\b"),
            Some(vec!["feel sick".into(), "feeling sick".into()])
        );
        // An optional word is not required; a pattern of any letters has none.
        assert_eq!(words(r"(?i)(?:please\s+)?\w+"), None);
        assert_eq!(words(r"(?i)sick|\w+"), None);
        // Words needed in every branch are required from each.
        assert_eq!(
            words(r"(?i)sick|\w+ill"),
            Some(vec!["ill".into(), "sick".into()])
        );
    }

    fn sets(p: &str) -> Vec<Vec<String>> {
        let mut twins = BTreeSet::new();
        required_sets(p, &mut twins)
            .into_iter()
            .map(|s| {
                s.into_iter()
                    .map(|w| String::from_utf8(w).unwrap())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_needed_part_of_a_pattern_gives_its_own_set_of_words() {
        let p = r"(?i)\b(?:could|can)\s+(?:someone|anyone)\b[^.]{0,40}?\bcover";
        assert_eq!(
            sets(p),
            vec![
                vec!["anyone".to_string(), "someone".into()],
                // The parser writes "could|can" as "c(?:ould|an)".
                vec!["an".into(), "ould".into()],
                vec!["can".into(), "could".into()],
                vec!["cover".into()],
            ]
        );
        // A single letter tells too little beside the best set, a question
        // mark does; an optional part is no set at all.
        assert_eq!(
            sets(r"(?i)\bi\s+(?:really\s+)?need\s+me\s*\?"),
            vec![
                vec!["need".to_string()],
                vec!["?".into()],
                vec!["me".into()]
            ]
        );
        // The text must hold a word of every set.
        let a = Anchors::new([p]);
        assert_eq!(a.may_match_each("can anyone help?"), vec![false]);
        assert_eq!(a.may_match_each("someone to cover?"), vec![false]);
        assert_eq!(a.may_match_each("Can anyone cover?"), vec![true]);
    }

    #[test]
    fn a_text_without_the_words_is_not_searched_and_twins_search_everything() {
        let a = Anchors::new([r"(?i)\bsick\b", r"(?i)\bcover(?:ed)?\b", r"\w+"]);
        assert_eq!(a.may_match_each("I am SICK today"), vec![true, false, true]);
        assert_eq!(
            a.may_match_each("Dana has it covered"),
            vec![false, true, true]
        );
        // The long s is an s to a case-insensitive pattern.
        assert_eq!(a.may_match_each("I am \u{17F}ick"), vec![true, true, true]);
        assert!(
            regex::Regex::new(r"(?i)\bsick\b")
                .unwrap()
                .is_match("I am \u{17F}ick")
        );
    }
}
