//! The attribution lines of a reply's quote ("On Dec 7, 2026, at 9:01 PM,
//! Mei wrote:", "Sent: Sunday, December 13, 2026 7:25 PM", "From: Lopez,
//! Angie"), found by a plain scan of the text's lines instead of a pattern.
//!
//! Each function reads exactly what its pattern (named in its comment, and
//! kept in the tests as the reference the scan is checked against) read:
//! a line start, then any run of white space, `>` and `*` (which may cross
//! blank lines), then the keyword, case-insensitively as the `regex` crate
//! folds case (so `ſ`, the long s, is an `s`). Those patterns had the
//! largest automata of the reader (a one-pass DFA of some 900 KB for
//! [`dated_lines`]'s) and ran over every reply's whole body; the scan
//! touches each line's first bytes.

/// Whether `c` may stand before an attribution's keyword: `[\s>*]`.
fn is_lead(c: char) -> bool {
    c.is_whitespace() || c == '>' || c == '*'
}

/// The first place at or after `from` where a line's words begin, as
/// `(?m)^[\s>*]*` leaves it: a line start at or after `from`, then the
/// longest run of [`is_lead`] characters. None when the text ends first.
fn next_words(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut start = from;
    if start > bytes.len() {
        return None;
    }
    if start > 0 && bytes[start - 1] != b'\n' {
        start += bytes[start..].iter().position(|&b| b == b'\n')? + 1;
    }
    text[start..]
        .char_indices()
        .find(|&(_, c)| !is_lead(c))
        .map(|(i, _)| start + i)
}

/// Whether `text` starts with the ASCII lower-case `word`, compared as the
/// `regex` crate's `(?i)` compares: ASCII case, and `ſ` for `s`. Returns
/// the length in bytes of what matched.
fn starts_with_folded(text: &str, word: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    for w in word.chars() {
        let (_, c) = chars.next()?;
        let same = c.to_ascii_lowercase() == w || (w == 's' && c == '\u{17f}');
        if !same {
            return None;
        }
    }
    Some(chars.next().map_or(text.len(), |(i, _)| i))
}

/// After a keyword "on": the one white-space character `\s` reads, and
/// where what follows it begins.
fn after_on(text: &str, at: usize) -> Option<usize> {
    let n = starts_with_folded(&text[at..], "on")?;
    let c = text[at + n..].chars().next()?;
    c.is_whitespace().then(|| at + n + c.len_utf8())
}

/// Up to `max` characters from `at`, stopping at a line end: the end of
/// `[^\n]{0,max}` taken greedily.
fn line_run_end(text: &str, at: usize, max: usize) -> usize {
    let mut end = at;
    for (n, (i, c)) in text[at..].char_indices().enumerate() {
        if c == '\n' || n == max {
            break;
        }
        end = at + i + c.len_utf8();
    }
    end
}

/// The end of the white space from `at` (`\s*`, which crosses lines).
fn space_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|&(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i)
}

/// What follows the keyword of each attribution line that may carry a
/// date, in order: the first capture group of every match of
/// `(?im)^[\s>*]*(?:on\s|sent:|date:)([^\n]{0,100})`.
pub fn dated_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    std::iter::from_fn(move || {
        loop {
            let at = next_words(text, from)?;
            let rest = &text[at..];
            let start = after_on(text, at).or_else(|| {
                starts_with_folded(rest, "sent:")
                    .or_else(|| starts_with_folded(rest, "date:"))
                    .map(|n| at + n)
            });
            match start {
                Some(start) => {
                    let end = line_run_end(text, start, 100);
                    from = end;
                    return Some(&text[start..end]);
                }
                None => from = at + 1,
            }
        }
    })
}

/// The first line naming the author of what a reply quotes, as the
/// pattern `(?im)^[\s>*]*(?:on\s([^\n]{0,160}?)\s*wrote:|from:\s*([^\n]{0,120}))`
/// finds it: `Wrote` with what stands between "On" and "wrote:" (the
/// shortest, within the line), or `From` with up to 120 characters of the
/// line after "From:" and any white space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author<'a> {
    Wrote(&'a str),
    From(&'a str),
}

/// See [`Author`].
pub fn author_line(text: &str) -> Option<Author<'_>> {
    let mut from = 0;
    loop {
        let at = next_words(text, from)?;
        if let Some(start) = after_on(text, at) {
            // The shortest stretch of the line, at most 160 characters,
            // after which white space and "wrote:" follow.
            let mut end = start;
            let mut taken = 0;
            loop {
                let after = space_end(text, end);
                if starts_with_folded(&text[after..], "wrote:").is_some() {
                    return Some(Author::Wrote(&text[start..end]));
                }
                match text[end..].chars().next() {
                    Some(c) if c != '\n' && taken < 160 => {
                        end += c.len_utf8();
                        taken += 1;
                    }
                    _ => break,
                }
            }
        } else if let Some(n) = starts_with_folded(&text[at..], "from:") {
            let start = space_end(text, at + n);
            return Some(Author::From(&text[start..line_run_end(text, start, 120)]));
        }
        from = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Texts that try the edges: blank lines and `>` runs before the
    /// keyword, a keyword's white space being a line end, the long s,
    /// non-ASCII letters and spaces, lines longer than the bounds, "wrote:"
    /// on the next line, keywords inside a line, an empty text.
    fn texts() -> Vec<String> {
        let long = "x".repeat(130);
        let longer = "é".repeat(170);
        vec![
            String::new(),
            "On".into(),
            "On\n".into(),
            "On\n\nOn Mon, Dec 7, 2026 Mei wrote:\n> hi".into(),
            "Thanks!\n\nOn Dec 7, 2026, at 9:01 PM, Mei <mei@example.edu> wrote:\n> Can someone cover?".into(),
            "hi\n> > On 2/10/2027 10:10 AM, Angie Lopez wrote:\n>> text".into(),
            "hi\n  \n \t> * On 2/10/2027 10:10 AM, Angie\nLopez wrote:\n".into(),
            "ON MONDAY I can't.\nOn Tuesday, Dec 8 2026, Mei wrote:\n".into(),
            "I'm on the desk. On Monday, Mei wrote:\n".into(),
            "Sent: Sunday, December 13, 2026 7:25 PM\nFrom: Lopez, Angie\n".into(),
            "SENT:Sunday\nDATE: 13 Dec 2026\n".into(),
            "ſent: Monday\nſent\u{2003}x\nOn\u{2003}Monday, Dec 7, 2026\n".into(),
            "Date:\n\nfrom:\n\n   Mei Chen <mei@example.edu>\n".into(),
            format!("On {long} wrote:\nOn short wrote:\n"),
            format!("On {longer}\nDate: {longer}\n"),
            format!("from: {longer}\n"),
            "On Mon Mei wrote: and\nOn Tue Kim  WROTE:\n".into(),
            "On Mon Mei wrote wrote:\n".into(),
            "On Mon\u{a0}Mei\u{2028}wrote:\n".into(),
            "*From:* Angie Lopez\n*Sent:* Monday, December 7, 2026\n".into(),
            "> \n>\n> on\tthe 7th, kim wrote:\n".into(),
            "on\n".into(),
            "\n\n\n".into(),
            "On Mon, Renée wrote:\nDate: 7 déc. 2026\n".into(),
            "Onwards\nSentence: no\nDated: no\nfromage: no\nFrom : no\n".into(),
            "On Dec 7\r\nMei wrote:\r\n".into(),
        ]
    }

    #[test]
    fn dated_lines_are_the_patterns_captures() {
        let pattern =
            Regex::new(r"(?im)^[\s>*]*(?:on\s|sent:|date:)([^\n]{0,100})").expect("valid regex");
        for text in texts() {
            let want: Vec<&str> = pattern
                .captures_iter(&text)
                .map(|c| c.get(1).unwrap().as_str())
                .collect();
            let got: Vec<&str> = dated_lines(&text).collect();
            assert_eq!(got, want, "in {text:?}");
        }
    }

    #[test]
    fn the_author_line_is_the_patterns_first_capture() {
        let pattern =
            Regex::new(r"(?im)^[\s>*]*(?:on\s([^\n]{0,160}?)\s*wrote:|from:\s*([^\n]{0,120}))")
                .expect("valid regex");
        for text in texts() {
            let want = pattern.captures(&text).map(|c| match c.get(1) {
                Some(g) => Author::Wrote(g.as_str()),
                None => Author::From(c.get(2).unwrap().as_str()),
            });
            assert_eq!(author_line(&text), want, "in {text:?}");
        }
    }

    #[test]
    fn each_text_of_the_corpus_gives_the_patterns_lines() {
        let dated =
            Regex::new(r"(?im)^[\s>*]*(?:on\s|sent:|date:)([^\n]{0,100})").expect("valid regex");
        let author =
            Regex::new(r"(?im)^[\s>*]*(?:on\s([^\n]{0,160}?)\s*wrote:|from:\s*([^\n]{0,120}))")
                .expect("valid regex");
        let mut read = 0;
        for (path, d) in super::super::decode::corpus_decoded() {
            let want: Vec<&str> = dated
                .captures_iter(&d.body)
                .map(|c| c.get(1).unwrap().as_str())
                .collect();
            assert_eq!(dated_lines(&d.body).collect::<Vec<_>>(), want, "{path:?}");
            let want = author.captures(&d.body).map(|c| match c.get(1) {
                Some(g) => Author::Wrote(g.as_str()),
                None => Author::From(c.get(2).unwrap().as_str()),
            });
            assert_eq!(author_line(&d.body), want, "{path:?}");
            read += 1;
        }
        assert!(read > 100, "only {read} messages read");
    }
}
