//! HTTP Digest access authentication (RFC 7616) for CalDAV servers that ask
//! for it (Baikal's default): MD5 and SHA-256, with and without `-sess`,
//! `qop=auth`. The challenge is parsed from `WWW-Authenticate`; each request
//! gets a fresh client nonce and the next nonce count.

use std::fmt::Write as _;

use md5::Digest as _;

/// A server's Digest challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub algorithm: Algorithm,
    /// Whether the server offers `qop=auth` (else the RFC 2069 form).
    pub qop_auth: bool,
    /// The server says the nonce expired, not that the password is wrong.
    pub stale: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, text: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => md5::Md5::digest(text.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => {
                ring::digest::digest(&ring::digest::SHA256, text.as_bytes())
                    .as_ref()
                    .to_vec()
            }
        };
        let mut hex = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            let _ = write!(hex, "{b:02x}");
        }
        hex
    }

    fn sess(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }

    /// SHA-256 is preferred when a server offers both.
    fn rank(self) -> u8 {
        match self {
            Algorithm::Sha256 | Algorithm::Sha256Sess => 2,
            Algorithm::Md5 | Algorithm::Md5Sess => 1,
        }
    }
}

/// Splits `a=1, b="x, y"` into pairs, quotes removed.
fn params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ',' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => break,
                        c => value.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
            }
        }
        out.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    out
}

/// Reads one `WWW-Authenticate` value; None when it is not a Digest
/// challenge this client can answer.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(char::is_whitespace)?;
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let mut realm = None;
    let mut nonce = None;
    let mut opaque = None;
    let mut algorithm = Algorithm::Md5;
    let mut qop_auth = false;
    let mut stale = false;
    for (name, value) in params(rest) {
        match name.as_str() {
            "realm" => realm = Some(value),
            "nonce" => nonce = Some(value),
            "opaque" => opaque = Some(value),
            "stale" => stale = value.eq_ignore_ascii_case("true"),
            "qop" => {
                qop_auth = value
                    .split(',')
                    .any(|q| q.trim().eq_ignore_ascii_case("auth"))
            }
            "algorithm" => {
                algorithm = match value.to_ascii_uppercase().as_str() {
                    "MD5" => Algorithm::Md5,
                    "MD5-SESS" => Algorithm::Md5Sess,
                    "SHA-256" => Algorithm::Sha256,
                    "SHA-256-SESS" => Algorithm::Sha256Sess,
                    _ => return None,
                }
            }
            _ => {}
        }
    }
    Some(Challenge {
        realm: realm?,
        nonce: nonce?,
        opaque,
        algorithm,
        qop_auth,
        stale,
    })
}

/// The best Digest challenge among a response's `WWW-Authenticate` values.
pub fn best_challenge<'a>(headers: impl Iterator<Item = &'a str>) -> Option<Challenge> {
    headers
        .filter_map(parse_challenge)
        .max_by_key(|c| c.algorithm.rank())
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The `Authorization` value answering `challenge` for one request.
/// `nc` counts the requests made with this nonce (from 1); `cnonce` is a
/// fresh random string.
pub fn authorization(
    challenge: &Challenge,
    username: &str,
    password: &str,
    method: &str,
    uri: &str,
    nc: u32,
    cnonce: &str,
) -> String {
    let alg = challenge.algorithm;
    let mut ha1 = alg.hash(&format!("{username}:{}:{password}", challenge.realm));
    if alg.sess() {
        ha1 = alg.hash(&format!("{ha1}:{}:{cnonce}", challenge.nonce));
    }
    let ha2 = alg.hash(&format!("{method}:{uri}"));
    let nc_text = format!("{nc:08x}");
    let response = if challenge.qop_auth {
        alg.hash(&format!(
            "{ha1}:{}:{nc_text}:{cnonce}:auth:{ha2}",
            challenge.nonce
        ))
    } else {
        alg.hash(&format!("{ha1}:{}:{ha2}", challenge.nonce))
    };
    let mut out = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{response}\"",
        quote(username),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        alg.name(),
    );
    if challenge.qop_auth {
        let _ = write!(out, ", qop=auth, nc={nc_text}, cnonce=\"{cnonce}\"");
    }
    if let Some(o) = &challenge.opaque {
        let _ = write!(out, ", opaque=\"{}\"", quote(o));
    }
    out
}

/// A fresh client nonce.
pub fn cnonce() -> String {
    let id = super::jwt::random_jti();
    id.replace('-', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7616_section_3_9_1_examples_give_its_responses() {
        // RFC 7616 sec 3.9.1: the same request answered with MD5 and SHA-256.
        let header_sha = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
        let header_md5 = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
        let best = best_challenge([header_md5, header_sha].into_iter()).expect("challenge");
        assert_eq!(best.algorithm, Algorithm::Sha256, "SHA-256 is preferred");
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let sha = authorization(
            &best,
            "Mufasa",
            "Circle of Life",
            "GET",
            "/dir/index.html",
            1,
            cnonce,
        );
        assert!(
            sha.contains(
                "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""
            ),
            "{sha}"
        );
        let md5 = parse_challenge(header_md5).expect("md5");
        let text = authorization(
            &md5,
            "Mufasa",
            "Circle of Life",
            "GET",
            "/dir/index.html",
            1,
            cnonce,
        );
        assert!(
            text.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""),
            "{text}"
        );
        assert!(text.contains("nc=00000001"), "{text}");
        assert!(text.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
    }

    #[test]
    fn basic_and_unknown_algorithms_are_not_digest_challenges() {
        assert_eq!(parse_challenge("Basic realm=\"x\""), None);
        assert_eq!(
            parse_challenge("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256"),
            None
        );
        let stale = parse_challenge("Digest realm=\"x\", nonce=\"n\", stale=TRUE").expect("ok");
        assert!(stale.stale);
        assert!(!stale.qop_auth);
    }
}
