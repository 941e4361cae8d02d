//! Signed JWTs for the two grants that prove the client with a private key
//! instead of a shared secret: Microsoft's certificate credential (a client
//! assertion, RFC 7523 sec 2.2) and Google's service-account grant (the JWT
//! bearer grant, RFC 7523 sec 2.1). Both are RS256 (RSASSA-PKCS1-v1_5 with
//! SHA-256), signed with `ring`, which rustls already brings in.
//!
//! The signing is done here rather than with a JWT crate: it is one
//! signature over two base64url-encoded JSON objects, and `ring` is already
//! in the build.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SecureRandom as _;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

/// An RSA private key ready to sign. Its `Debug` shows nothing of the key.
pub struct SigningKey {
    pair: RsaKeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// The blocks of a PEM text with the given label, decoded.
pub fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let body_start = start + begin.len();
        let Some(stop) = rest[body_start..].find(&end) else {
            break;
        };
        let body: String = rest[body_start..body_start + stop]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Ok(der) = STANDARD.decode(body) {
            out.push(der);
        }
        rest = &rest[body_start + stop + end.len()..];
    }
    out
}

impl SigningKey {
    /// Reads a PEM private key: PKCS#8 ("PRIVATE KEY", what Google's key
    /// files and `openssl genpkey` write) or PKCS#1 ("RSA PRIVATE KEY").
    /// The error never quotes the key.
    pub fn from_pem(text: &str) -> Result<SigningKey, String> {
        if let Some(der) = pem_blocks(text, "PRIVATE KEY").first() {
            return RsaKeyPair::from_pkcs8(der)
                .map(|pair| SigningKey { pair })
                .map_err(|e| {
                    format!("the PKCS#8 private key is not an RSA key ring accepts: {e}")
                });
        }
        if let Some(der) = pem_blocks(text, "RSA PRIVATE KEY").first() {
            return RsaKeyPair::from_der(der)
                .map(|pair| SigningKey { pair })
                .map_err(|e| format!("the RSA private key is not usable: {e}"));
        }
        if text.contains("ENCRYPTED PRIVATE KEY") {
            return Err("the private key is encrypted; store it without a passphrase (openssl pkey -in key.pem -out plain.pem)".into());
        }
        Err("no PEM private key (-----BEGIN PRIVATE KEY-----) found".into())
    }

    /// `header.claims.signature`, each part base64url without padding.
    pub fn sign(
        &self,
        header: &serde_json::Value,
        claims: &serde_json::Value,
    ) -> Result<String, String> {
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let rng = ring::rand::SystemRandom::new();
        let mut signature = vec![0u8; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &rng,
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "signing the assertion failed".to_string())?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }

    /// The public key as ring holds it (tests verify signatures with it).
    pub fn public_key_der(&self) -> Vec<u8> {
        self.pair.public().as_ref().to_vec()
    }
}

/// A random JWT ID, so the token endpoint can refuse a replayed assertion.
pub fn random_jti() -> String {
    let mut bytes = [0u8; 16];
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    // Shaped like a GUID, as Microsoft's examples are.
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The certificate's thumbprints for the assertion's header: `x5t#S256`
/// (base64url SHA-256 of the DER certificate, what Microsoft asks for now)
/// and `x5t` (SHA-1, what older tenants still read).
pub fn thumbprints(cert_der: &[u8]) -> (String, String) {
    let s256 = ring::digest::digest(&ring::digest::SHA256, cert_der);
    let s1 = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, cert_der);
    (
        URL_SAFE_NO_PAD.encode(s256.as_ref()),
        URL_SAFE_NO_PAD.encode(s1.as_ref()),
    )
}

/// Microsoft's client assertion (the "certificate credentials" format): the
/// app proves itself with a JWT it signs, audience the token endpoint,
/// issuer and subject its client ID, valid for ten minutes.
pub fn client_assertion(
    key: &SigningKey,
    cert_der: &[u8],
    client_id: &str,
    token_url: &str,
    now_unix: i64,
) -> Result<String, String> {
    let (s256, s1) = thumbprints(cert_der);
    let header = serde_json::json!({
        "alg": "RS256",
        "typ": "JWT",
        "x5t#S256": s256,
        "x5t": s1,
    });
    let claims = serde_json::json!({
        "aud": token_url,
        "iss": client_id,
        "sub": client_id,
        "jti": random_jti(),
        "nbf": now_unix,
        "iat": now_unix,
        "exp": now_unix + 600,
    });
    key.sign(&header, &claims)
}

/// Google's service-account assertion: issued by the service account for
/// the scopes, acting for `subject` when domain-wide delegation is used.
pub fn service_account_assertion(
    key: &SigningKey,
    key_id: Option<&str>,
    client_email: &str,
    subject: Option<&str>,
    scopes: &[String],
    token_url: &str,
    now_unix: i64,
) -> Result<String, String> {
    let mut header = serde_json::json!({ "alg": "RS256", "typ": "JWT" });
    if let Some(kid) = key_id {
        header["kid"] = serde_json::Value::String(kid.to_string());
    }
    let mut claims = serde_json::json!({
        "iss": client_email,
        "scope": scopes.join(" "),
        "aud": token_url,
        "iat": now_unix,
        "exp": now_unix + 3600,
    });
    if let Some(sub) = subject {
        claims["sub"] = serde_json::Value::String(sub.to_string());
    }
    key.sign(&header, &claims)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A 2048-bit RSA test key made with `openssl genpkey` for these tests
    /// only; it signs nothing anywhere else.
    pub(crate) const TEST_KEY: &str = include_str!("testdata/test-key.pem");
    pub(crate) const TEST_CERT: &str = include_str!("testdata/test-cert.pem");

    fn part(jwt: &str, i: usize) -> serde_json::Value {
        let p = jwt.split('.').nth(i).expect("part");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).expect("base64url")).expect("json")
    }

    #[test]
    fn a_client_assertion_carries_microsofts_claims_and_verifies() {
        let key = SigningKey::from_pem(TEST_KEY).expect("key");
        let cert = pem_blocks(TEST_CERT, "CERTIFICATE").remove(0);
        let url = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
        let jwt = client_assertion(&key, &cert, "app-id", url, 1_800_000_000).expect("signed");
        let header = part(&jwt, 0);
        assert_eq!(header["alg"], "RS256");
        let (s256, s1) = thumbprints(&cert);
        assert_eq!(header["x5t#S256"], s256.as_str());
        assert_eq!(header["x5t"], s1.as_str());
        assert_eq!(
            s256.len(),
            43,
            "SHA-256 is 32 bytes, 43 base64url characters"
        );
        let claims = part(&jwt, 1);
        assert_eq!(claims["aud"], url);
        assert_eq!(claims["iss"], "app-id");
        assert_eq!(claims["sub"], "app-id");
        assert_eq!(claims["exp"], 1_800_000_600i64);
        assert_eq!(claims["jti"].as_str().map(str::len), Some(36));
        // The signature verifies with the key's public half.
        let (input, sig) = jwt.rsplit_once('.').expect("three parts");
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            key.public_key_der(),
        );
        public
            .verify(input.as_bytes(), &URL_SAFE_NO_PAD.decode(sig).expect("sig"))
            .expect("the signature verifies");
    }

    #[test]
    fn a_service_account_assertion_names_the_subject_and_scopes() {
        let key = SigningKey::from_pem(TEST_KEY).expect("key");
        let jwt = service_account_assertion(
            &key,
            Some("kid-1"),
            "shiftcover@project.iam.gserviceaccount.com",
            Some("ask-chat@example.edu"),
            &["https://mail.google.com/".into(), "x".into()],
            "https://oauth2.googleapis.com/token",
            1_800_000_000,
        )
        .expect("signed");
        assert_eq!(part(&jwt, 0)["kid"], "kid-1");
        let claims = part(&jwt, 1);
        assert_eq!(claims["sub"], "ask-chat@example.edu");
        assert_eq!(claims["scope"], "https://mail.google.com/ x");
        assert_eq!(claims["iss"], "shiftcover@project.iam.gserviceaccount.com");
        assert_eq!(claims["exp"], 1_800_003_600i64);
    }

    #[test]
    fn a_key_that_is_not_one_is_refused_without_quoting_it() {
        let e = SigningKey::from_pem("hello").unwrap_err();
        assert!(e.contains("no PEM private key"), "{e}");
    }
}
