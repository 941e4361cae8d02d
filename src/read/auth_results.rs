//! The `Authentication-Results` header (RFC 8601): what the site's own
//! receiving server found when it checked a message's sender (SPF, DKIM,
//! DMARC). Pure: it reads the raw header block and decides nothing beyond
//! "vouched for or not"; the service decides what an unvouched message from
//! a staff address may do.
//!
//! Anyone can write such a header into a message, so only those whose
//! authserv-id is the site's own (from the config) count, and of those only
//! the topmost: the receiving server adds its header above everything that
//! came with the message, and RFC 8601 section 5 has it remove or rename
//! copies of its own id that arrive from outside.

use crate::model::SenderAuth;

/// How much of a message is searched for its header block. Headers longer
/// than this are not the site's server's work.
const HEADER_SCAN_LIMIT: usize = 256 * 1024;

/// One `Authentication-Results` header, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResults {
    /// The server that wrote it, lowercased.
    pub authserv_id: String,
    pub results: Vec<MethodResult>,
}

/// One `method=result` with its properties, all lowercased
/// (`dkim=pass header.d=example.edu`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodResult {
    pub method: String,
    pub result: String,
    /// `ptype.property` → value (`header.d`, `smtp.mailfrom`, ...).
    pub properties: Vec<(String, String)>,
}

impl MethodResult {
    fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The header block of a raw message, unfolded into (name, value) pairs in
/// order, top first. A plain scan that needs no MIME parsing, so it is
/// cheap whatever follows the headers.
pub(crate) fn header_fields(raw: &[u8]) -> Vec<(String, String)> {
    let head = &raw[..raw.len().min(HEADER_SCAN_LIMIT)];
    let text = String::from_utf8_lossy(head);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.is_empty() && !name.contains(' ') => {
                fields.push((name.to_ascii_lowercase(), value.trim().to_string()));
            }
            // A line that is neither a field nor a continuation ends the
            // header block, as it would for a mail reader.
            _ => break,
        }
    }
    fields
}

/// Every `Authentication-Results` header of a raw message, top first; those
/// that do not parse are left out.
pub fn all(raw: &[u8]) -> Vec<AuthResults> {
    header_fields(raw)
        .into_iter()
        .filter(|(name, _)| name == "authentication-results")
        .filter_map(|(_, value)| parse(&value))
        .collect()
}

/// The value with its comments (parenthesised, possibly nested) taken out;
/// quoted strings are kept whole, parentheses inside them included.
fn without_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next();
                if depth == 0 {
                    out.push(c);
                    if let Some(n) = next {
                        out.push(n);
                    }
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                out.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                // A comment separates like a space.
                if depth == 0 {
                    out.push(' ');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}

/// Splits on `;` outside quoted strings.
fn split_resinfo(value: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
        } else if c == ';' && !quoted {
            parts.push(String::new());
            continue;
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// `key=value` pairs of a resinfo, spaces around `=` allowed.
fn pairs(text: &str) -> Vec<(String, String)> {
    // "spf = pass" and "spf=pass" alike: glue the `=` to its neighbours.
    let mut glued = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && c != '=' && !glued.ends_with('=') && !glued.is_empty() {
            glued.push(' ');
        }
        pending_space = false;
        glued.push(c);
    }
    glued
        .split(' ')
        .filter_map(|token| token.split_once('='))
        .map(|(k, v)| {
            (
                k.trim().to_ascii_lowercase(),
                unquote(v).to_ascii_lowercase(),
            )
        })
        .collect()
}

/// Parses one header value: `authserv-id [version]; method=result props...; ...`.
pub fn parse(value: &str) -> Option<AuthResults> {
    let clean = without_comments(value);
    let mut parts = split_resinfo(&clean).into_iter();
    let head = parts.next()?;
    let id = unquote(head.split_whitespace().next()?).to_ascii_lowercase();
    if id.is_empty() {
        return None;
    }
    let mut results = Vec::new();
    for part in parts {
        let mut kv = pairs(&part).into_iter();
        let Some((method, result)) = kv.next() else {
            // "none", or something unreadable: no result.
            continue;
        };
        let method = method.split('/').next().unwrap_or("").trim().to_string();
        if method.is_empty() || method.contains('.') {
            continue;
        }
        let properties = kv.filter(|(k, _)| k != "reason").collect();
        results.push(MethodResult {
            method,
            result,
            properties,
        });
    }
    Some(AuthResults {
        authserv_id: id,
        results,
    })
}

/// The domain of an address or bare domain, lowercased (`@example.edu`,
/// `user@example.edu` and `example.edu` give `example.edu`).
fn domain_of(s: &str) -> &str {
    s.rsplit('@').next().unwrap_or(s).trim_end_matches('.')
}

/// Relaxed alignment (RFC 7489 section 3.1), without a public-suffix
/// list: one domain is the other or a subdomain of it, and they share at
/// least two labels.
fn aligned(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    let sub = |x: &str, y: &str| x == y || x.ends_with(&format!(".{y}"));
    (sub(&a, &b) && b.contains('.')) || (sub(&b, &a) && a.contains('.'))
}

/// Whether the site's server (`authserv_id`) vouched for the sender `from`
/// (an address) of `raw`. Only the topmost header with that id counts.
///
/// DMARC decides when it has a result: `pass` passes, `fail` fails, and
/// `none`, `temperror` or `permerror` (no policy, or none that could be
/// read) fall back to SPF and DKIM, of which one passing, aligned with the
/// From domain where the header names a domain, is enough.
pub fn sender_auth(raw: &[u8], authserv_id: &str, from: &str) -> SenderAuth {
    let id = authserv_id.to_ascii_lowercase();
    let Some(ours) = all(raw).into_iter().find(|h| h.authserv_id == id) else {
        return SenderAuth::Failed(format!("no Authentication-Results from {id}"));
    };
    let said = |method: &str| -> Vec<&MethodResult> {
        ours.results.iter().filter(|r| r.method == method).collect()
    };
    let dmarc = said("dmarc");
    if let Some(pass) = dmarc.iter().find(|r| r.result == "pass") {
        return SenderAuth::Passed(format!("dmarc={}", pass.result));
    }
    if let Some(fail) = dmarc.iter().find(|r| r.result == "fail") {
        return SenderAuth::Failed(format!("dmarc={}", fail.result));
    }
    let from_domain = domain_of(from);
    let spf = said("spf");
    let dkim = said("dkim");
    let spf_pass = spf.iter().any(|r| {
        r.result == "pass"
            && r.property("smtp.mailfrom")
                .or_else(|| r.property("smtp.helo"))
                .is_none_or(|d| aligned(domain_of(d), from_domain))
    });
    let dkim_pass = dkim.iter().any(|r| {
        r.result == "pass"
            && r.property("header.d")
                .or_else(|| r.property("header.i"))
                .is_none_or(|d| aligned(domain_of(d), from_domain))
    });
    let words = |name: &str, rs: &[&MethodResult]| match rs.first() {
        None => format!("no {name}"),
        Some(_) => rs
            .iter()
            .map(|r| format!("{name}={}", r.result))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let summary = format!("{}, {}", words("spf", &spf), words("dkim", &dkim));
    let summary = match dmarc.first() {
        Some(d) => format!("dmarc={}, {summary}", d.result),
        None => summary,
    };
    if spf_pass || dkim_pass {
        SenderAuth::Passed(summary)
    } else if spf.iter().chain(&dkim).any(|r| r.result == "pass") {
        SenderAuth::Failed(format!("{summary} (for another domain than {from_domain})"))
    } else {
        SenderAuth::Failed(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(headers: &str) -> Vec<u8> {
        format!(
            "{headers}From: Angie Lopez <alopez@example.edu>\r\nSubject: Out sick\r\n\r\nAuthentication-Results: mx.example.edu; dmarc=pass\r\n"
        )
        .into_bytes()
    }

    const ANGIE: &str = "alopez@example.edu";

    #[test]
    fn a_header_parses_with_comments_versions_spaces_and_properties() {
        let h = parse(
            "mx.example.edu 1 (our MX); spf = pass (sender SPF authorized) smtp.mailfrom=alopez@example.edu;\r\n dkim/1=fail reason=\"bad; signature\" header.d=Example.EDU header.s=sel; dmarc=pass (p=reject) header.from=example.edu",
        )
        .expect("parses");
        assert_eq!(h.authserv_id, "mx.example.edu");
        let methods: Vec<(&str, &str)> = h
            .results
            .iter()
            .map(|r| (r.method.as_str(), r.result.as_str()))
            .collect();
        assert_eq!(
            methods,
            [("spf", "pass"), ("dkim", "fail"), ("dmarc", "pass")]
        );
        assert_eq!(h.results[1].property("header.d"), Some("example.edu"));
        assert_eq!(
            h.results[0].property("smtp.mailfrom"),
            Some("alopez@example.edu")
        );
    }

    #[test]
    fn none_and_a_quoted_id_parse_to_no_results() {
        let h = parse("\"mx.example.edu\"; none").expect("parses");
        assert_eq!(h.authserv_id, "mx.example.edu");
        assert!(h.results.is_empty());
        assert_eq!(parse(""), None);
        assert_eq!(parse("   ; spf=pass"), None);
    }

    #[test]
    fn dmarc_decides_when_it_has_a_result() {
        let pass =
            message("Authentication-Results: mx.example.edu; spf=fail; dkim=none; dmarc=pass\r\n");
        assert!(matches!(
            sender_auth(&pass, "mx.example.edu", ANGIE),
            SenderAuth::Passed(_)
        ));
        let fail = message(
            "Authentication-Results: mx.example.edu; spf=pass smtp.mailfrom=example.edu; dmarc=fail\r\n",
        );
        assert_eq!(
            sender_auth(&fail, "mx.example.edu", ANGIE),
            SenderAuth::Failed("dmarc=fail".into())
        );
    }

    #[test]
    fn without_dmarc_spf_or_dkim_passing_for_the_from_domain_is_enough() {
        let spf = message(
            "Authentication-Results: mx.example.edu; spf=pass smtp.mailfrom=ask-chat-bounces@lists.example.edu; dkim=none\r\n",
        );
        assert!(matches!(
            sender_auth(&spf, "mx.example.edu", ANGIE),
            SenderAuth::Passed(_)
        ));
        let dkim = message(
            "Authentication-Results: mx.example.edu; spf=softfail; dkim=pass header.d=example.edu; dmarc=none\r\n",
        );
        assert!(matches!(
            sender_auth(&dkim, "mx.example.edu", ANGIE),
            SenderAuth::Passed(_)
        ));
        let neither = message("Authentication-Results: mx.example.edu; spf=fail; dkim=none\r\n");
        assert_eq!(
            sender_auth(&neither, "mx.example.edu", ANGIE),
            SenderAuth::Failed("spf=fail, dkim=none".into())
        );
        let missing = message("Authentication-Results: mx.example.edu; none\r\n");
        assert_eq!(
            sender_auth(&missing, "mx.example.edu", ANGIE),
            SenderAuth::Failed("no spf, no dkim".into())
        );
    }

    #[test]
    fn a_signature_of_another_domain_does_not_vouch_for_staff() {
        let other = message(
            "Authentication-Results: mx.example.edu; spf=pass smtp.mailfrom=evil.example; dkim=pass header.d=evil.example\r\n",
        );
        match sender_auth(&other, "mx.example.edu", ANGIE) {
            SenderAuth::Failed(why) => assert!(why.contains("another domain"), "{why}"),
            passed => panic!("{passed:?}"),
        }
    }

    #[test]
    fn only_the_topmost_header_of_the_sites_own_server_counts() {
        // The outsider wrote a passing header in the site's name below the
        // server's own, and another server's passing header above it.
        let forged = message(
            "Authentication-Results: mx.elsewhere.example; dmarc=pass\r\n\
             Received: from mx1.example.edu by imap.example.edu\r\n\
             Authentication-Results: MX.example.edu;\r\n\tspf=fail smtp.mailfrom=example.edu;\r\n\tdmarc=fail (p=none)\r\n\
             Received: from evil.example by mx1.example.edu\r\n\
             Authentication-Results: mx.example.edu; dmarc=pass\r\n",
        );
        assert_eq!(
            sender_auth(&forged, "mx.example.edu", ANGIE),
            SenderAuth::Failed("dmarc=fail".into())
        );
        // Only a foreign server's header: nothing from the site's own.
        let foreign = message("Authentication-Results: mx.elsewhere.example; dmarc=pass\r\n");
        assert_eq!(
            sender_auth(&foreign, "mx.example.edu", ANGIE),
            SenderAuth::Failed("no Authentication-Results from mx.example.edu".into())
        );
    }

    #[test]
    fn the_body_is_not_the_header() {
        // message() puts a passing "header" in the body, after the blank line.
        let none = message("");
        assert!(matches!(
            sender_auth(&none, "mx.example.edu", ANGIE),
            SenderAuth::Failed(_)
        ));
    }
}
