//! The reader's compiled patterns, kept small: a drop-in for
//! [`regex::Regex`] that holds an ASCII twin of each pattern and compiles
//! the pattern as written only for a text that needs it.
//!
//! Most of the memory a Unicode pattern takes is its Perl classes: `\w`
//! alone is some 770 ranges of code points, which become a large UTF-8
//! automaton in the forward and again in the reverse NFA, and each thread's
//! match caches are sized by those automata; a Unicode `\b` also makes the
//! engine build a one-pass DFA for many patterns and stop its fast DFA at the
//! first non-ASCII byte. The twin is the same pattern with `\w`, `\W`, `\d`,
//! `\D` written as their ASCII classes and `\b`, `\B` as ASCII word
//! boundaries; everything else (`\s`, case-insensitivity, literals, other
//! classes) is left as written. The reader's patterns and caches take about
//! half the memory this way.
//!
//! Why the twin reads exactly as the pattern on most texts: the rewritten
//! classes differ from the Unicode ones only on non-ASCII word characters
//! (letters such as "é", marks, non-ASCII digits, which are all word
//! characters), and a word boundary depends only on whether the characters
//! beside it are word characters. So on a text whose every non-ASCII
//! character is not a word character (ASCII mail, and mail with curly
//! quotes, dashes, ellipses, emoji, non-breaking spaces), both match the same
//! spans with the same groups. A text that holds a non-ASCII word character
//! ("Renée", "José", "Zoë") is searched with the pattern as written,
//! compiled the first time one is met. The search is chosen by the whole
//! text given to the call, which is all the engine looks at.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_syntax::ast::{self, Ast, ClassPerlKind, ClassSetItem, Visitor};

/// A pattern compiled as an ASCII twin, and as written when a text needs it.
#[derive(Debug)]
pub struct Regex {
    /// The pattern as written, compiled on first need (or at once when it
    /// has no twin).
    written: OnceLock<regex::Regex>,
    /// The ASCII twin, when the pattern has anything to rewrite.
    twin: Option<regex::Regex>,
    pattern: String,
}

impl Regex {
    /// Compiles `pattern`; errors are those of the pattern as written.
    pub fn new(pattern: &str) -> Result<Regex, regex::Error> {
        let written = OnceLock::new();
        let twin = match ascii_twin(pattern) {
            Some(t) if t != pattern => Some(compile(&t)?),
            _ => None,
        };
        match &twin {
            // The twin compiled, so the pattern as written parses too; a
            // debug build (the tests) also compiles it, so a pattern over
            // the engine's size limits fails where it is made.
            Some(_) if cfg!(debug_assertions) => drop(compile(pattern)?),
            Some(_) => {}
            None => {
                let _ = written.set(compile(pattern)?);
            }
        }
        Ok(Regex {
            written,
            twin,
            pattern: pattern.to_string(),
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The compiled form that reads `haystack` exactly as written would.
    fn for_text(&self, haystack: &str) -> &regex::Regex {
        match &self.twin {
            Some(twin) if !has_non_ascii_word(haystack) => twin,
            _ => self.written(),
        }
    }

    fn written(&self) -> &regex::Regex {
        self.written
            .get_or_init(|| compile(&self.pattern).expect("checked when made"))
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.for_text(haystack).is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        self.for_text(haystack).find(haystack)
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> regex::Matches<'r, 'h> {
        self.for_text(haystack).find_iter(haystack)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<regex::Captures<'h>> {
        self.for_text(haystack).captures(haystack)
    }

    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> regex::CaptureMatches<'r, 'h> {
        self.for_text(haystack).captures_iter(haystack)
    }

    pub fn replace<'h, R: regex::Replacer>(&self, haystack: &'h str, rep: R) -> Cow<'h, str> {
        self.for_text(haystack).replace(haystack, rep)
    }

    pub fn replace_all<'h, R: regex::Replacer>(&self, haystack: &'h str, rep: R) -> Cow<'h, str> {
        self.for_text(haystack).replace_all(haystack, rep)
    }

    pub fn split<'r, 'h>(&'r self, haystack: &'h str) -> regex::Split<'r, 'h> {
        self.for_text(haystack).split(haystack)
    }
}

/// Each pattern's lazy DFA cache may grow to this many bytes before it is
/// cleared and its states built again (the `regex` crate's default: 2 MiB).
/// At 2 MiB some caches filled over the corpus read in turn, and 2% of
/// reading's instructions went to building states again; at 8 MiB none do,
/// and the peak memory did not move (see README, Performance).
const DFA_CACHE: usize = 8 << 20;

fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

/// True when `text` holds a non-ASCII word character, on which the twin
/// could read differently.
pub fn has_non_ascii_word(text: &str) -> bool {
    !text.is_ascii()
        && text
            .chars()
            .any(|c| !c.is_ascii() && regex_syntax::is_word_character(c))
}

/// The pattern with its Unicode word and digit classes and word boundaries
/// written in ASCII, or None when it holds something the rewrite does not
/// know (then the pattern is always used as written).
pub fn ascii_twin(pattern: &str) -> Option<String> {
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    let edits = ast::visit(&ast, Rewrites::default()).ok()?;
    let mut out = pattern.to_string();
    // From the end, so earlier offsets stay valid.
    for (span, with) in edits.into_iter().rev() {
        out.replace_range(span.start.offset..span.end.offset, with);
    }
    Some(out)
}

/// The spans to rewrite, in pattern order.
#[derive(Default)]
struct Rewrites(Vec<(ast::Span, &'static str)>);

/// A construct the rewrite leaves the pattern alone for.
struct Unknown;

fn perl(class: &ast::ClassPerl) -> Option<&'static str> {
    match (&class.kind, class.negated) {
        (ClassPerlKind::Word, false) => Some("[0-9A-Za-z_]"),
        (ClassPerlKind::Word, true) => Some("[^0-9A-Za-z_]"),
        (ClassPerlKind::Digit, false) => Some("[0-9]"),
        (ClassPerlKind::Digit, true) => Some("[^0-9]"),
        // Unicode spaces are a few code points and cost little.
        (ClassPerlKind::Space, _) => None,
    }
}

impl Visitor for Rewrites {
    type Output = Vec<(ast::Span, &'static str)>;
    type Err = Unknown;

    fn finish(self) -> Result<Self::Output, Unknown> {
        let mut edits = self.0;
        edits.sort_by_key(|(s, _)| s.start.offset);
        Ok(edits)
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), Unknown> {
        match ast {
            Ast::ClassPerl(c) => {
                if let Some(with) = perl(c) {
                    self.0.push((c.span, with));
                }
            }
            Ast::Assertion(a) => match a.kind {
                ast::AssertionKind::WordBoundary => self.0.push((a.span, r"(?-u:\b)")),
                ast::AssertionKind::NotWordBoundary => self.0.push((a.span, r"(?-u:\B)")),
                ast::AssertionKind::StartLine
                | ast::AssertionKind::EndLine
                | ast::AssertionKind::StartText
                | ast::AssertionKind::EndText => {}
                // \b{start}, \<, ... are Unicode word tests of their own.
                _ => return Err(Unknown),
            },
            _ => {}
        }
        Ok(())
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), Unknown> {
        if let ClassSetItem::Perl(c) = item
            && let Some(with) = perl(c)
        {
            // A class nested in a bracket is a union member there.
            self.0.push((c.span, with));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twin_writes_word_digit_and_boundary_classes_in_ascii() {
        assert_eq!(
            ascii_twin(r"(?i)\bnot\s+(?:\w+\s+){0,2}$").unwrap(),
            r"(?i)(?-u:\b)not\s+(?:[0-9A-Za-z_]+\s+){0,2}$"
        );
        assert_eq!(
            ascii_twin(r"[\w/:-]+\W\d\D\B").unwrap(),
            r"[[0-9A-Za-z_]/:-]+[^0-9A-Za-z_][0-9][^0-9](?-u:\B)"
        );
        // Escaped backslashes and classes that are not Perl's stay.
        assert_eq!(ascii_twin(r"\\w[\s,]\S").unwrap(), r"\\w[\s,]\S");
    }

    #[test]
    fn non_ascii_word_characters_are_told_from_punctuation() {
        for plain in [
            "Can someone cover?",
            "I\u{2019}m out \u{2014} sorry\u{2026} \u{201c}quoted\u{201d} \u{1f44d}",
            "12\u{a0}pm \u{20ac}5",
        ] {
            assert!(!has_non_ascii_word(plain), "{plain}");
        }
        for word in [
            "Ren\u{e9}e",
            "Jos\u{e9}",
            "Zo\u{eb}",
            "Stra\u{df}e",
            "\u{660}3",
            "e\u{301}",
        ] {
            assert!(has_non_ascii_word(word), "{word}");
        }
    }

    /// The twin and the pattern as written find the same matches and
    /// groups, on texts with and without non-ASCII words, for patterns that
    /// use each rewritten construct beside non-ASCII letters.
    #[test]
    fn every_search_reads_as_the_pattern_as_written() {
        let patterns = [
            r"(?i)\b(?:covered by|thanks)\s+(\w+)\b",
            r"(?i)(?:n't|\bnot|\bnever)\s+(?:\w+\s+){0,2}$",
            r"(?i)^\W*covered\b",
            r"(?i)\bmy\b[^.!?\n]{0,30}\b(?:is|are)\s+open\b",
            r"\b(\d{1,2})/(\d{1,2})\b",
            r"(?i)\bsick\b",
            r"[\w.'-]+\B",
        ];
        let texts = [
            "Covered by Ren\u{e9}e, thanks Jos\u{e9}!",
            "Zo\u{eb} is not feeling well; I'm not out sick",
            "\u{2026}covered\u{2019} now",
            "\u{e9}covered? no: covered!",
            "My Friday 12/4 caf\u{e9} shift is open",
            "My Friday 12/4 shift is open \u{2014} thanks",
            "Renée\u{a0}sick \u{661}\u{662}/4 and 3/\u{664}5",
            "plain ASCII text: covered by Dana, 3/14",
            "na\u{ef}ve sickness; sick\u{e9} sick",
        ];
        for p in patterns {
            let ours = Regex::new(p).unwrap();
            let written = regex::Regex::new(p).unwrap();
            for t in texts {
                let a: Vec<_> = ours.find_iter(t).map(|m| m.range()).collect();
                let b: Vec<_> = written.find_iter(t).map(|m| m.range()).collect();
                assert_eq!(a, b, "{p} on {t:?}");
                let a: Vec<Vec<_>> = ours
                    .captures_iter(t)
                    .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                    .collect();
                let b: Vec<Vec<_>> = written
                    .captures_iter(t)
                    .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
                    .collect();
                assert_eq!(a, b, "{p} on {t:?}");
                assert_eq!(ours.is_match(t), written.is_match(t), "{p} on {t:?}");
            }
        }
    }

    /// The reason the twin must not read a text with a non-ASCII word: the
    /// ASCII classes and boundaries would read it differently.
    #[test]
    fn a_text_with_a_non_ascii_word_is_read_as_written() {
        let p = r"(?i)\bcovered by\s+(\w+)\b";
        let twin = regex::Regex::new(&ascii_twin(p).unwrap()).unwrap();
        let text = "covered by Ren\u{e9}e";
        assert_ne!(
            twin.captures(text).map(|c| c[1].to_string()),
            Some("Ren\u{e9}e".to_string())
        );
        let ours = Regex::new(p).unwrap();
        assert_eq!(&ours.captures(text).unwrap()[1], "Ren\u{e9}e");
        assert!(ours.written.get().is_some());
    }

    #[test]
    fn a_bad_pattern_is_an_error_where_it_is_made() {
        assert!(Regex::new(r"(?i)\b(unclosed").is_err());
        assert!(Regex::new(r"\w{99999999}").is_err());
    }
}
