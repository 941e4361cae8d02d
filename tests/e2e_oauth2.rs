//! End-to-end with OAuth2 only, as Microsoft 365 and Google Workspace
//! require it: the daemon binary (`shiftcover run`, `check`, `status`) on
//! the OAuth2 half of the test servers (tests/servers/oauth2.sh), where no
//! server takes a password: a token server issuing short-lived RS256
//! tokens, a Dovecot whose only passdb is `oauth2`, a Postfix submission
//! port that signs in through that Dovecot, and Radicale behind a
//! bearer-token proxy (nginx) and an HTTP Digest proxy (Apache).
//!
//! Staff mail goes in through that Postfix's loopback MX port (staff sign-in
//! is not under test); what staff receive is read from the Dovecot's
//! Maildirs. Each test registers a client of its own at the token server so
//! that revoking a secret or shortening a lifetime touches no other test.
//!
//! Without the servers the tests print why and pass; with
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI) they fail.

#[path = "support/mail_servers.rs"]
mod mail_servers;
#[path = "support/oauth_servers.rs"]
mod oauth_servers;

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Weekday;
use mail_servers::*;
use oauth_servers::*;

/// Generous hang guard for anything that should happen within seconds.
const LIMIT: Duration = Duration::from_secs(90);

fn setup(grant: Grant, token_url: String, sasl: &'static str) -> OAuthSetup {
    OAuthSetup {
        grant,
        token_url,
        sasl,
        metrics_port: None,
    }
}

/// A request for `who`'s shift on the next `day` two weeks out, as staff
/// write one.
fn request(who: &'static str, name: &'static str, day: Weekday, day_word: &str) -> ListMail {
    let date = upcoming(day, 14);
    ListMail::new(
        who,
        name,
        &format!("Chat coverage {day_word} {}?", md(date)),
        &format!(
            "Hi all,\n\nCould someone cover my {day_word} {} chat shift?\n\nThanks,\n{}",
            md(date),
            name.split(' ').next().unwrap_or(name)
        ),
    )
}

/// The program's acks answering `req` in `who`'s inbox.
fn acks_of(msgs: &[Received], req: &ListMail) -> usize {
    of_kind(msgs, "ack")
        .iter()
        .filter(|m| m.answers(&req.message_id))
        .count()
}

/// The acks answering `req` in every inbox (the requester's, the
/// program's, every staff member's): more than one is mail sent twice.
/// Acks of `req` in every staff inbox, and at most one echo of each in the
/// program's own mailbox (every sent mail's copy there is what makes SMTP
/// mail exactly-once: README, "Faults and recovery"); a second echo would
/// be a second send.
fn acks_everywhere(s: &OAuthServers, req: &ListMail) -> usize {
    let echoes = acks_of(&s.inbox(PROGRAM), req);
    assert!(echoes <= 1, "{echoes} echoes of one ack: it was sent twice");
    STAFF.iter().map(|u| acks_of(&s.inbox(u), req)).sum()
}

/// Posts `req` and waits for its ack in the requester's inbox; returns how
/// long it took (a figure, not asserted). On failure the daemon's log ends
/// the message.
async fn post_and_wait_for_ack(s: &OAuthServers, req: &ListMail, daemon: &Daemon) -> Duration {
    let t0 = Instant::now();
    s.mail.post(req).await;
    let got = s
        .wait_for(req.from_user, LIMIT, |m| acks_of(m, req) >= 1)
        .await;
    assert_eq!(
        acks_of(&got, req),
        1,
        "no ack for {:?} in {}'s inbox; the daemon's log ends:\n{}",
        req.subject,
        req.from_user,
        log_tail(daemon)
    );
    t0.elapsed()
}

/// The last lines of the daemon's log, for failure messages.
fn log_tail(daemon: &Daemon) -> String {
    let text = daemon.log_text();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(60)..].join("\n")
}

/// Counts lines of the OAuth2 Dovecot's log saying a login with `method`.
fn dovecot_logins(s: &OAuthServers, method: &str) -> usize {
    let log = Path::new(&s.get("SHIFTCOVER_SERVERS_DIR")).join("dovecot-oauth2/dovecot.log");
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| {
            l.contains("Login: user=<coverage@example.edu>")
                && l.contains(&format!("method={method}"))
        })
        .count()
}

/// Counts mail the OAuth2 Postfix took on its submission port signed in
/// with `method`.
fn submissions(s: &OAuthServers, method: &str) -> usize {
    let log = Path::new(&s.get("SHIFTCOVER_SERVERS_DIR")).join("postfix-oauth2/maillog");
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("submission") && l.contains(&format!("sasl_method={method}")))
        .count()
}

/// Every place a secret could leak to: the daemon's debug log, `status`,
/// `check`, /metrics, STATUS= lines, the database files (each desk's too).
fn leak_places(
    dir: &Path,
    daemon: &Daemon,
    config: &Path,
    metrics_port: Option<u16>,
    extra: Vec<(String, String)>,
) -> Vec<(String, Vec<u8>)> {
    let mut places = vec![(
        "the daemon's debug log".to_string(),
        daemon.log_text().into_bytes(),
    )];
    let (_, status) = run_command("status", config);
    places.push(("`shiftcover status`".into(), status.into_bytes()));
    let (_, check) = run_command("check", config);
    places.push(("`shiftcover check`".into(), check.into_bytes()));
    if let Some(p) = metrics_port {
        places.push(("/metrics".into(), http_get(p, "/metrics").into_bytes()));
    }
    for (name, text) in extra {
        places.push((name, text.into_bytes()));
    }
    places.extend(database_files(dir));
    places
}

// ---------------------------------------------------------------------------
// The servers themselves: nothing signs in with a password.

/// One line from a text protocol server.
fn read_line(r: &mut BufReader<TcpStream>) -> String {
    let mut l = String::new();
    r.read_line(&mut l).expect("read a line");
    l
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_oauth2_servers_take_no_password() {
    let Some(s) = oauth_servers() else { return };

    // IMAP: LOGIN is disabled and only the bearer mechanisms are offered.
    let tcp = TcpStream::connect(("127.0.0.1", s.imap_port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut r = BufReader::new(tcp.try_clone().unwrap());
    let greeting = read_line(&mut r);
    assert!(greeting.contains("LOGINDISABLED"), "{greeting}");
    assert!(
        greeting.contains("AUTH=XOAUTH2") && greeting.contains("AUTH=OAUTHBEARER"),
        "{greeting}"
    );
    assert!(!greeting.contains("AUTH=PLAIN"), "{greeting}");
    (&tcp)
        .write_all(b"a LOGIN coverage@example.edu secret\r\n")
        .unwrap();
    let answer = read_line(&mut r);
    assert!(
        answer.starts_with("a NO") || answer.starts_with("a BAD"),
        "{answer}"
    );

    // Submission: AUTH offers only the bearer mechanisms; mail without
    // signing in is refused.
    let tcp = TcpStream::connect(("127.0.0.1", s.submission_port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut r = BufReader::new(tcp.try_clone().unwrap());
    read_line(&mut r);
    (&tcp).write_all(b"EHLO test\r\n").unwrap();
    let mut ehlo = String::new();
    loop {
        let l = read_line(&mut r);
        ehlo += &l;
        if l.starts_with("250 ") || l.is_empty() {
            break;
        }
    }
    assert!(
        ehlo.contains("AUTH XOAUTH2 OAUTHBEARER") || ehlo.contains("AUTH OAUTHBEARER XOAUTH2"),
        "{ehlo}"
    );
    (&tcp)
        .write_all(b"MAIL FROM:<coverage@example.edu>\r\nRCPT TO:<ask-chat@example.edu>\r\n")
        .unwrap();
    read_line(&mut r);
    let rcpt = read_line(&mut r);
    assert!(
        rcpt.starts_with("554") || rcpt.starts_with("5"),
        "unauthenticated RCPT: {rcpt}"
    );

    // CalDAV: the bearer proxy turns Basic away with a Bearer challenge, the
    // Digest proxy turns Basic away with a Digest challenge.
    let http = http();
    let bearer = http
        .get(s.get("SHIFTCOVER_CALDAV_BEARER_CALENDAR_URL"))
        .basic_auth("coverage", Some("secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 401);
    let challenge = bearer
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap_or("").to_string());
    assert!(
        challenge
            .as_deref()
            .is_some_and(|c| c.starts_with("Bearer")),
        "{challenge:?}"
    );
    let password =
        std::fs::read_to_string(s.get("SHIFTCOVER_CALDAV_DIGEST_PASSWORD_FILE")).unwrap();
    let digest = http
        .get(s.get("SHIFTCOVER_CALDAV_DIGEST_CALENDAR_URL"))
        .basic_auth("coverage", Some(password.trim()))
        .send()
        .await
        .unwrap();
    assert_eq!(digest.status(), 401);
    let challenge = digest
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap_or("").to_string());
    assert!(
        challenge
            .as_deref()
            .is_some_and(|c| c.starts_with("Digest")),
        "{challenge:?}"
    );

    // The token server refuses a wrong secret in Entra ID's words.
    let refused = http
        .post(s.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", s.get("SHIFTCOVER_OAUTH2_CLIENT_ID").as_str()),
            ("client_secret", "not-the-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap_or("")
            .starts_with("AADSTS7000215: Invalid client secret provided."),
        "{body}"
    );
}

// ---------------------------------------------------------------------------
// The daemon.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_gets_its_one_ack_over_xoauth2_and_no_secret_or_token_leaks() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let (client_id, secret) = own_client(&s, "ack", 3600).await;
    let dir = tempfile::tempdir().unwrap();
    let metrics_port = free_port();
    let mut setup = setup(
        Grant::Secret {
            client_id: client_id.clone(),
            secret: secret.clone(),
        },
        s.token_url(),
        "xoauth2",
    );
    setup.metrics_port = Some(metrics_port);
    let config = write_oauth_config(dir.path(), &s, &Policy::slow(), &setup);

    // `check` obtains a token and signs in to the mailbox and the outbox.
    let (ok, said) = run_command("check", &config);
    assert!(ok, "check failed:\n{said}");
    assert!(!said.contains("FAIL"), "{said}");

    let (imap_before, smtp_before) = (dovecot_logins(&s, "XOAUTH2"), submissions(&s, "XOAUTH2"));
    let listener = StatusListener::bind(dir.path());
    let daemon = Daemon::start_with(&config, "debug", listener.env());
    let req = request("mchen", "Mei Chen", Weekday::Tue, "Tuesday");
    let took = post_and_wait_for_ack(&s, &req, &daemon).await;
    eprintln!("figure: request to ack over OAuth2 (XOAUTH2): {took:?}");

    // Signed in with XOAUTH2 at both servers.
    assert!(
        dovecot_logins(&s, "XOAUTH2") > imap_before,
        "no XOAUTH2 login at Dovecot"
    );
    let until = Instant::now() + LIMIT;
    while submissions(&s, "XOAUTH2") <= smtp_before && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        submissions(&s, "XOAUTH2") > smtp_before,
        "no XOAUTH2 submission at Postfix"
    );

    // One ack, not two, in anyone's inbox.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(acks_everywhere(&s, &req), 1);

    let places = leak_places(
        dir.path(),
        &daemon,
        &config,
        Some(metrics_port),
        vec![("STATUS= lines".into(), listener.all())],
    );
    let tokens = s.issued(Some(&client_id));
    assert_no_leaks(&places, &[secret], &tokens);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauthbearer_with_a_certificate_signs_in_to_imap_and_smtp() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let dir = tempfile::tempdir().unwrap();
    let client_id = s.get("SHIFTCOVER_OAUTH2_CERT_CLIENT_ID");
    let setup = setup(
        Grant::Certificate {
            client_id: client_id.clone(),
            certificate_file: s.get("SHIFTCOVER_OAUTH2_CERTIFICATE_FILE"),
            private_key_file: s.get("SHIFTCOVER_OAUTH2_PRIVATE_KEY_FILE"),
        },
        s.token_url(),
        "oauthbearer",
    );
    let config = write_oauth_config(dir.path(), &s, &Policy::slow(), &setup);
    let issued_before = s.issued(Some(&client_id)).len();
    let (ok, said) = run_command("check", &config);
    assert!(ok, "check failed:\n{said}");

    let (imap_before, smtp_before) = (
        dovecot_logins(&s, "OAUTHBEARER"),
        submissions(&s, "OAUTHBEARER"),
    );
    let daemon = Daemon::start_logging(&config, "debug");
    let req = request("alopez", "Angie Lopez", Weekday::Mon, "Monday");
    let took = post_and_wait_for_ack(&s, &req, &daemon).await;
    eprintln!("figure: request to ack over OAuth2 (OAUTHBEARER, certificate): {took:?}");
    assert!(
        dovecot_logins(&s, "OAUTHBEARER") > imap_before,
        "no OAUTHBEARER login at Dovecot"
    );
    let until = Instant::now() + LIMIT;
    while submissions(&s, "OAUTHBEARER") <= smtp_before && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        submissions(&s, "OAUTHBEARER") > smtp_before,
        "no OAUTHBEARER submission at Postfix"
    );
    assert!(
        s.issued(Some(&client_id)).len() > issued_before,
        "no token was issued to the certificate client"
    );

    // The private key never shows.
    let key_body = key_material(
        &std::fs::read_to_string(s.get("SHIFTCOVER_OAUTH2_PRIVATE_KEY_FILE")).unwrap(),
    );
    let places = leak_places(dir.path(), &daemon, &config, None, vec![]);
    let tokens = s.issued(Some(&client_id));
    assert_no_leaks(&places, &key_body, &tokens[issued_before..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expiring_mid_run_is_renewed_with_no_mail_missed_or_sent_twice() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    // Tokens last four seconds: every step below outlives one.
    let lifetime = 4;
    let OwnClientConfig {
        client_id,
        secret,
        dir,
        config,
    } = config_with_own_client(&s, "renew", lifetime).await;
    let logins_before = dovecot_logins(&s, "XOAUTH2");
    let daemon = Daemon::start_logging(&config, "debug");
    let requests = [
        request("mchen", "Mei Chen", Weekday::Tue, "Tuesday"),
        request("alopez", "Angie Lopez", Weekday::Mon, "Monday"),
        request("skim", "Sarah Kim", Weekday::Wed, "Wednesday"),
    ];
    for (i, req) in requests.iter().enumerate() {
        if i > 0 {
            // Idle past the token's life: the IDLE session's token and the
            // cached one have both lapsed when the next request comes.
            tokio::time::sleep(Duration::from_secs(lifetime * 2 + 1)).await;
        }
        let took = post_and_wait_for_ack(&s, req, &daemon).await;
        eprintln!("figure: ack {} after an expired token: {took:?}", i + 1);
    }
    // Nothing sent twice, nothing missed: each request has exactly one ack
    // in all the inboxes together.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for req in &requests {
        assert_eq!(acks_everywhere(&s, req), 1, "{}", req.subject);
    }
    let tokens = s.issued(Some(&client_id));
    eprintln!(
        "figure: {} tokens of {lifetime} s issued over the run",
        tokens.len()
    );
    assert!(tokens.len() >= 2, "the token was never renewed");
    // The mailbox was signed in to again as its session's token lapsed (at
    // Exchange a session outliving its token is dropped).
    let logins = dovecot_logins(&s, "XOAUTH2") - logins_before;
    eprintln!("figure: {logins} IMAP sign-ins over the run");
    assert!(logins >= 2, "the IMAP session was never signed in to again");
    let places = leak_places(dir.path(), &daemon, &config, None, vec![]);
    // leak_places ran `check`, which took a token too.
    let tokens = s.issued(Some(&client_id));
    assert_no_leaks(&places, &[secret], &tokens);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_token_server_down_the_daemon_says_so_then_recovers_when_it_is_back() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let lifetime = 4;
    let (client_id, secret) = own_client(&s, "down", lifetime).await;
    // A token server of this test's own, to stop and start.
    let dir = tempfile::tempdir().unwrap();
    let mut tokens_server = s.own_token_server(free_port(), dir.path());
    let metrics_port = free_port();
    let mut st = setup(
        Grant::Secret {
            client_id: client_id.clone(),
            secret: secret.clone(),
        },
        tokens_server.url(),
        "xoauth2",
    );
    st.metrics_port = Some(metrics_port);
    let config = write_oauth_config(dir.path(), &s, &Policy::slow(), &st);
    let listener = StatusListener::bind(dir.path());
    let daemon = Daemon::start_with(&config, "debug", listener.env());
    let first = request("mchen", "Mei Chen", Weekday::Tue, "Tuesday");
    post_and_wait_for_ack(&s, &first, &daemon).await;

    // Down: the cached token lapses, the next request's ack cannot be sent.
    tokens_server.stop();
    let down_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(lifetime + 1)).await;
    let second = request("alopez", "Angie Lopez", Weekday::Mon, "Monday");
    s.mail.post(&second).await;

    // Meanwhile STATUS= (what `systemctl status` shows) and /metrics say
    // that signing in fails...
    let failing_metric = |m: &str| {
        m.lines()
            .any(|l| l.starts_with("shiftcover_auth_ok{") && l.ends_with(" 0"))
    };
    let told = |l: &String| l.contains("cannot sign in") || l.contains("unreachable");
    let until = Instant::now() + LIMIT;
    let metrics_said = loop {
        let metrics = http_get(metrics_port, "/metrics");
        if listener.statuses().iter().any(told) && failing_metric(&metrics) {
            break metrics;
        }
        assert!(
            Instant::now() < until,
            "STATUS= or /metrics does not say the sign-in is failing;\nSTATUS=: {:?}\n/metrics:\n{metrics}",
            listener.statuses()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    eprintln!(
        "STATUS= while down: {:?}",
        listener.statuses().into_iter().rev().find(told)
    );
    let auth_metrics: Vec<&str> = metrics_said
        .lines()
        .filter(|l| l.starts_with("shiftcover_auth"))
        .collect();
    eprintln!("/metrics while down: {auth_metrics:?}");
    // ...and so does `shiftcover status`, which an administrator runs.
    let status = command_stdout("status", &config);
    eprintln!("`shiftcover status` while the token server is down:\n{status}");
    // (Asserted at the end, after the recovery.)
    let status_while_down = status;
    assert_eq!(
        acks_of(&s.inbox("alopez"), &second),
        0,
        "an ack was sent with no token server"
    );
    // A transient fault: not said as needing a person.
    assert!(
        !listener
            .statuses()
            .iter()
            .any(|l| l.contains("needs a person")),
        "a token server that is down was called a refused sign-in: {:?}",
        listener.statuses()
    );

    // Back: the waiting ack goes out once, and new mail flows.
    tokio::time::sleep(Duration::from_secs(3)).await;
    tokens_server.start();
    eprintln!("figure: token server down for {:?}", down_at.elapsed());
    let got = s
        .wait_for("alopez", LIMIT, |m| acks_of(m, &second) >= 1)
        .await;
    assert_eq!(acks_of(&got, &second), 1);
    let third = request("skim", "Sarah Kim", Weekday::Wed, "Wednesday");
    post_and_wait_for_ack(&s, &third, &daemon).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for req in [&first, &second, &third] {
        assert_eq!(acks_everywhere(&s, req), 1, "{}", req.subject);
    }
    let places = leak_places(
        dir.path(),
        &daemon,
        &config,
        Some(metrics_port),
        vec![
            ("STATUS= lines".into(), listener.all()),
            (
                "`shiftcover status` while down".into(),
                status_while_down.clone(),
            ),
        ],
    );
    let tokens = s.issued(Some(&client_id));
    assert_no_leaks(&places, &[secret], &tokens);

    let lower = status_while_down.to_lowercase();
    assert!(
        lower.contains("sign in") || lower.contains("sign-in") || lower.contains("token"),
        "`shiftcover status` did not say that signing in failed while the token server was down:\n{status_while_down}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_secret_is_said_once_plainly_and_check_fails_in_the_providers_words() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let lifetime = 4;
    let OwnClientConfig {
        client_id,
        secret,
        dir,
        config,
    } = config_with_own_client(&s, "revoke", lifetime).await;
    let listener = StatusListener::bind(dir.path());
    let mut daemon = Daemon::start_with(&config, "debug", listener.env());
    let first = request("mchen", "Mei Chen", Weekday::Tue, "Tuesday");
    post_and_wait_for_ack(&s, &first, &daemon).await;

    // The administrator revokes the secret (Entra ID: the secret expired or
    // was deleted). The cached token lapses; the next request cannot be
    // answered.
    s.admin_client(&client_id, serde_json::json!({ "revoked": true }))
        .await;
    let refusals_before = s
        .token_server_log()
        .matches(&format!("refused {client_id}:"))
        .count();
    tokio::time::sleep(Duration::from_secs(lifetime + 1)).await;
    let second = request("alopez", "Angie Lopez", Weekday::Mon, "Monday");
    s.mail.post(&second).await;
    daemon.wait_for_log("AADSTS7000222", 1, LIMIT);
    // Watch a while: a tight loop would say it again and again.
    let watch = Duration::from_secs(20);
    tokio::time::sleep(watch).await;
    let log = daemon.log_text();
    let plain: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("AADSTS7000222") && (l.contains("ERROR") || l.contains("WARN")))
        .collect();
    let attempts = s
        .token_server_log()
        .matches(&format!("refused {client_id}:"))
        .count()
        - refusals_before;
    eprintln!("figure: {attempts} token requests refused in the {watch:?} after the revocation");
    eprintln!("the daemon said:\n{}", plain.join("\n"));
    // Said once; the mailbox and the outbox are two sign-ins, and each may
    // say it once, but no more.
    assert!(
        (1..=2).contains(&plain.len()),
        "the refused secret should be said once as an error or warning, not {} times:\n{}",
        plain.len(),
        plain.join("\n")
    );
    assert!(
        attempts <= 10,
        "{attempts} token requests in {watch:?}: the refusal is retried in a tight loop"
    );
    assert_eq!(acks_of(&s.inbox("alopez"), &second), 0);

    // STATUS= and `shiftcover status` say a person is needed, in the
    // provider's words.
    let needs_person = |l: &String| l.contains("needs a person") && l.contains("AADSTS7000222");
    assert!(
        listener.statuses().iter().any(needs_person),
        "STATUS= never said a person is needed: {:?}",
        listener.statuses()
    );
    let status = command_stdout("status", &config);
    eprintln!("`shiftcover status` after the revocation:\n{status}");
    assert!(
        status.lines().any(|l| l.contains("Sign-in")
            && l.contains("needs a person")
            && l.contains("AADSTS7000222")),
        "`shiftcover status` does not say a person is needed:\n{status}"
    );

    // `check` says FAIL, in the provider's words.
    let (ok, said) = run_command("check", &config);
    assert!(!ok, "check passed with a revoked secret:\n{said}");
    let fail = said
        .lines()
        .find(|l| l.starts_with("FAIL"))
        .unwrap_or_else(|| panic!("no FAIL line:\n{said}"));
    assert!(
        fail.contains("AADSTS7000222")
            && fail.contains("client secret keys")
            && fail.contains("expired"),
        "the FAIL line does not give the provider's words: {fail}"
    );
    eprintln!("check said: {fail}");

    // A new secret, a reload: the waiting ack goes out, once.
    let renewed = fresh_secret("renewed");
    s.register_secret_client(&client_id, &renewed, lifetime)
        .await;
    std::fs::write(
        dir.path().join("oauth-client-secret"),
        format!("{renewed}\n"),
    )
    .unwrap();
    let pid = daemon.pid().expect("the daemon runs");
    let _ = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status();
    let got = s
        .wait_for("alopez", LIMIT, |m| acks_of(m, &second) >= 1)
        .await;
    assert_eq!(
        acks_of(&got, &second),
        1,
        "the ack did not go out after the secret was renewed"
    );
    let places = leak_places(
        dir.path(),
        &daemon,
        &config,
        None,
        vec![
            ("check's FAIL".into(), said),
            ("`shiftcover status` after the revocation".into(), status),
            ("STATUS= lines".into(), listener.all()),
        ],
    );
    let tokens = s.issued(Some(&client_id));
    assert_no_leaks(&places, &[secret, renewed], &tokens);
}

/// The one-desk config at `one` (on the OAuth2 servers) written as three
/// desks: chat (as it was), research (its own list and folder; its mailbox
/// signs in with a refresh token the provider no longer honours, as after
/// it expired or was revoked) and branch (its own list and folder; its
/// calendar is CalDAV behind the bearer proxy, signed in with such a
/// refresh token too).
fn as_three_desks(one: &Path, dir: &Path, s: &OAuthServers) -> std::path::PathBuf {
    let mut chat: toml::Table = toml::from_str(&std::fs::read_to_string(one).unwrap()).unwrap();
    let mut top = toml::Table::new();
    for key in ["timezone", "date_order", "oauth2", "database"] {
        top.insert(key.into(), chat.remove(key).unwrap());
    }
    std::fs::write(dir.join("stale-refresh-token"), "expired-long-ago\n").unwrap();
    let stale = |provider: &str| {
        let mut t = toml::Table::new();
        t.insert("provider".into(), provider.into());
        if provider == "microsoft365" {
            t.insert("tenant".into(), "shiftcover-tests.onmicrosoft.com".into());
        }
        t.insert("token_url".into(), s.token_url().into());
        t.insert(
            "client_id".into(),
            s.get("SHIFTCOVER_OAUTH2_REFRESH_CLIENT_ID").into(),
        );
        t.insert("refresh_token_file".into(), "stale-refresh-token".into());
        toml::Value::Table(t)
    };
    let table = |t: &mut toml::Table, key: &str| -> toml::Table {
        t.get(key).and_then(|v| v.as_table()).cloned().unwrap()
    };
    chat.insert("name".into(), "chat".into());
    let mut research = chat.clone();
    research.insert("name".into(), "research".into());
    let mut list = table(&mut research, "list");
    list.insert("address".into(), "research-help@example.edu".into());
    list.insert(
        "sender".into(),
        "Research Help Coverage <coverage@example.edu>".into(),
    );
    research.insert("list".into(), list.clone().into());
    let mut mailbox = table(&mut research, "mailbox");
    mailbox.insert("folder".into(), "Research".into());
    mailbox.insert("oauth2".into(), stale("microsoft365"));
    research.insert("mailbox".into(), mailbox.clone().into());
    std::fs::copy(dir.join("schedule.ics"), dir.join("research.ics")).unwrap();
    let mut calendar = table(&mut research, "calendar");
    calendar.insert("path".into(), "research.ics".into());
    research.insert("calendar".into(), calendar.into());

    let mut branch = chat.clone();
    branch.insert("name".into(), "branch".into());
    list.insert("address".into(), "branch-desk@example.edu".into());
    branch.insert("list".into(), list.into());
    let mut mailbox = table(&mut branch, "mailbox");
    mailbox.insert("folder".into(), "Branch".into());
    branch.insert("mailbox".into(), mailbox.into());
    let mut calendar = toml::Table::new();
    calendar.insert("backend".into(), "caldav".into());
    calendar.insert(
        "url".into(),
        format!(
            "{}/{PROGRAM}/branch-{}/",
            s.get("SHIFTCOVER_CALDAV_BEARER_URL").trim_end_matches('/'),
            std::process::id()
        )
        .into(),
    );
    calendar.insert("auth".into(), "oauth2".into());
    calendar.insert("oauth2".into(), stale("google"));
    branch.insert("calendar".into(), calendar.into());

    top.insert(
        "desk".into(),
        toml::Value::Array(vec![chat.into(), research.into(), branch.into()]),
    );
    let path = dir.join("desks.toml");
    std::fs::write(&path, toml::to_string(&top).unwrap()).unwrap();
    path
}

/// With several desks, `shiftcover status` shows each desk's own sign-in
/// trouble, in plain words with when it began: research's mailbox and
/// branch's calendar sign in with a refresh token the provider refuses
/// (its own words: invalid_grant), chat's sign-ins work. Each desk's part
/// names its own failing server and no other's; chat's names none.
/// `systemctl status` shows the three desks on one line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_several_desks_status_shows_each_desks_own_sign_in_trouble_and_since_when() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let OwnClientConfig {
        client_id,
        secret,
        dir,
        config: one,
    } = config_with_own_client(&s, "desks", 3600).await;
    let config = as_three_desks(&one, dir.path(), &s);
    let listener = StatusListener::bind(dir.path());
    let mut daemon = Daemon::launch_with(&config, listener.env());
    daemon.wait_for_log("watching for mail", 1, LIMIT);
    daemon.wait_for_log("this desk stopped; the other desks carry on", 1, LIMIT);

    // `status` reads what the daemon recorded in each desk's part.
    let limit = Instant::now() + LIMIT;
    let parts = loop {
        let status = command_stdout("status", &config);
        let part = |name: &str| -> String {
            status
                .split("== Desk ")
                .find(|p| p.starts_with(&format!("{name} ")))
                .unwrap_or_default()
                .to_string()
        };
        let (chat, research, branch) = (part("chat"), part("research"), part("branch"));
        if research.contains("Sign-in:") && branch.contains("Sign-in:") {
            break (status, chat, research, branch);
        }
        assert!(
            Instant::now() < limit,
            "`status` never showed both desks' sign-in trouble:\n{status}\nlog:\n{}",
            log_tail(&daemon)
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let (status, chat, research, branch) = parts;
    eprintln!("`shiftcover status`:\n{status}");
    let trouble = |part: &str, server: &str| -> String {
        part.lines()
            .find(|l| l.starts_with(&format!("Sign-in: {server}: cannot sign in since ")))
            .unwrap_or_else(|| panic!("no {server} sign-in line:\n{part}"))
            .to_string()
    };
    let imap = trouble(&research, "IMAP");
    assert!(
        imap.contains("needs a person") && imap.contains("invalid_grant"),
        "{imap}"
    );
    let caldav = trouble(&branch, "CALDAV");
    assert!(
        caldav.contains("needs a person") && caldav.contains("invalid_grant"),
        "{caldav}"
    );
    assert!(!research.contains("CALDAV") && !branch.contains("IMAP: cannot"));
    assert!(!chat.contains("Sign-in"), "chat signs in fine:\n{chat}");
    assert!(
        listener
            .statuses()
            .iter()
            .any(|l| l.contains("3 desks: chat: ")
                && l.contains("; research: cannot sign in to the mailbox since ")
                && l.contains("; branch: down since ")),
        "no STATUS= line names the three desks as they are: {:?}",
        listener.statuses()
    );
    // A hang guard, not a bound: what is asserted is a clean stop on SIGTERM.
    assert!(
        daemon.terminate(Duration::from_secs(300)),
        "the daemon stops cleanly on SIGTERM"
    );
    let places = leak_places(
        dir.path(),
        &daemon,
        &config,
        None,
        vec![
            ("`shiftcover status`".into(), status),
            ("STATUS= lines".into(), listener.all()),
        ],
    );
    for desk in ["chat", "research", "branch"] {
        let file = format!("the database file state.desk-{desk}.db");
        assert!(
            places.iter().any(|(name, _)| *name == file),
            "{desk}'s own database is searched too: {:?}",
            places.iter().map(|p| &p.0).collect::<Vec<_>>()
        );
    }
    assert_no_leaks(&places, &[secret], &s.issued(Some(&client_id)));
}

/// Who asks for cover and who takes it, in a cover test.
struct Cover {
    owner: &'static str,
    owner_name: &'static str,
    day: Weekday,
    day_word: &'static str,
    coverer: &'static str,
    coverer_first: &'static str,
}

/// Mei's Tuesday, taken by Sarah.
const MEI_BY_SARAH: Cover = Cover {
    owner: "mchen",
    owner_name: "Mei Chen",
    day: Weekday::Tue,
    day_word: "Tuesday",
    coverer: "skim",
    coverer_first: "Sarah",
};

/// Angie's Monday, taken by Priya.
const ANGIE_BY_PRIYA: Cover = Cover {
    owner: "alopez",
    owner_name: "Angie Lopez",
    day: Weekday::Mon,
    day_word: "Monday",
    coverer: "praman",
    coverer_first: "Priya",
};

/// Mei's request and her confirmation that Sarah covers; waits until the
/// cover shows on the calendar at `path` behind the proxies. Returns the
/// calendar's text.
async fn cover_lands(s: &OAuthServers, path: &str, daemon: &Daemon) -> String {
    cover_of(s, path, daemon, &MEI_BY_SARAH).await
}

/// A request and its confirmation as `c` says; waits until the cover
/// shows on the calendar at `path`. Returns the calendar's text.
async fn cover_of(s: &OAuthServers, path: &str, daemon: &Daemon, c: &Cover) -> String {
    let date = upcoming(c.day, 14);
    let owner_first = c.owner_name.split(' ').next().unwrap_or(c.owner_name);
    let req = request(c.owner, c.owner_name, c.day, c.day_word);
    post_and_wait_for_ack(s, &req, daemon).await;
    let done = ListMail::new(
        c.owner,
        c.owner_name,
        &format!("Re: {}", req.subject),
        &format!(
            "Hi all,\n\nAll set: {}'s taking my {} {} shift. Thank you, {}!\n\n{owner_first}",
            c.coverer_first,
            c.day_word,
            md(date),
            c.coverer_first
        ),
    )
    .reply_to(&req);
    s.mail.post(&done).await;
    let inbox = s
        .wait_for(c.coverer, LIMIT, |m| !of_kind(m, "invitation").is_empty())
        .await;
    assert_eq!(
        of_kind(&inbox, "invitation").len(),
        1,
        "no invitation for {}",
        c.coverer_first
    );
    let label = format!("SUMMARY:{} for {owner_first}", c.coverer_first);
    let until = Instant::now() + LIMIT;
    loop {
        let text = backend_calendar_text(s, path).await;
        if text.contains(&label) {
            return text;
        }
        assert!(
            Instant::now() < until,
            "the cover ({label}) never reached the calendar:\n{text}\nthe daemon's log ends:\n{}",
            log_tail(daemon)
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Asserts that the proxy whose access log is `log_key` passed the
/// daemon's writes to the calendar at `path` (the edit went through the
/// proxy, signed in).
fn edits_went_through(s: &OAuthServers, log_key: &str, path: &str) {
    let log = std::fs::read_to_string(s.get(log_key)).unwrap_or_default();
    let writes: Vec<&str> = log
        .lines()
        .filter(|l| {
            (l.contains("\"PUT ") || l.contains("\"DELETE "))
                && l.contains(path)
                && (l.contains("\" 20") || l.contains("\" 204"))
        })
        .collect();
    eprintln!("figure: {} calendar writes through the proxy", writes.len());
    assert!(
        !writes.is_empty(),
        "no write to {path} in the proxy's log {}",
        s.get(log_key)
    );
}

/// The lines of a PEM or key file that are key material.
fn key_material(pem: &str) -> Vec<String> {
    pem.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && l.len() > 40)
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cover_lands_on_caldav_behind_a_bearer_token_from_a_google_service_account() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let OwnClientConfig {
        client_id,
        secret,
        dir,
        config,
    } = config_with_own_client(&s, "caldav-bearer", 3600).await;
    let schedule = std::fs::read_to_string(dir.path().join("schedule.ics")).unwrap();
    let name = format!("bearer-{}-{}", std::process::id(), free_port());
    let path = make_backend_calendar(&s, &name, &schedule).await;
    let bearer_root = s.get("SHIFTCOVER_CALDAV_BEARER_URL");
    // The calendar's own credential: a Google service account acting for
    // the program's account (the JWT bearer grant, domain-wide
    // delegation), the Google preset's calendar scope, the token endpoint
    // on loopback.
    let key_file = s.get("SHIFTCOVER_OAUTH2_SERVICE_ACCOUNT_KEY_FILE");
    set_calendar(
        &config,
        &format!(
            "[calendar]\nbackend = \"caldav\"\nurl = \"{}{}\"\nauth = \"oauth2\"\n\n[calendar.oauth2]\nprovider = \"google\"\nservice_account_key_file = \"{key_file}\"\nsubject = \"{}\"\ntoken_url = \"{}\"\n",
            bearer_root.trim_end_matches('/'),
            path,
            s.get("SHIFTCOVER_OAUTH2_SUBJECT"),
            s.token_url()
        ),
    );
    std::fs::remove_file(dir.path().join("schedule.ics")).unwrap();
    let account = s.get("SHIFTCOVER_OAUTH2_SERVICE_ACCOUNT");
    let account_before = s.issued(Some(&account)).len();
    let (ok, said) = run_command("check", &config);
    assert!(ok, "check failed:\n{said}");
    let daemon = Daemon::start_logging(&config, "debug");
    cover_lands(&s, &path, &daemon).await;
    edits_went_through(&s, "SHIFTCOVER_CALDAV_BEARER_ACCESS_LOG", &path);
    let account_tokens = s.issued(Some(&account));
    assert!(
        account_tokens.len() > account_before,
        "no token was issued to the service account"
    );
    let mut secrets = vec![secret];
    let key: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&key_file).unwrap()).unwrap();
    secrets.extend(key_material(
        key["private_key"].as_str().unwrap_or_default(),
    ));
    let places = leak_places(dir.path(), &daemon, &config, None, vec![]);
    let mut tokens = s.issued(Some(&client_id));
    tokens.extend(s.issued(Some(&account))[account_before..].iter().cloned());
    assert_no_leaks(&places, &secrets, &tokens);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cover_lands_on_caldav_behind_http_digest_with_mail_on_a_refresh_token() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    let client_id = s.get("SHIFTCOVER_OAUTH2_REFRESH_CLIENT_ID");
    let refresh_token_file = s.get("SHIFTCOVER_OAUTH2_REFRESH_TOKEN_FILE");
    let issued_before = s.issued(Some(&client_id)).len();
    let dir = tempfile::tempdir().unwrap();
    let config = write_oauth_config(
        dir.path(),
        &s,
        &Policy::slow(),
        &setup(
            Grant::RefreshToken {
                client_id: client_id.clone(),
                refresh_token_file: refresh_token_file.clone(),
            },
            s.token_url(),
            "xoauth2",
        ),
    );
    let schedule = std::fs::read_to_string(dir.path().join("schedule.ics")).unwrap();
    let name = format!("digest-{}-{}", std::process::id(), free_port());
    let path = make_backend_calendar(&s, &name, &schedule).await;
    let password_file = s.get("SHIFTCOVER_CALDAV_DIGEST_PASSWORD_FILE");
    set_calendar(
        &config,
        &format!(
            "[calendar]\nbackend = \"caldav\"\nurl = \"{}{}\"\nauth = \"digest\"\nusername = \"{}\"\npassword_file = \"{password_file}\"\n",
            s.get("SHIFTCOVER_CALDAV_DIGEST_URL").trim_end_matches('/'),
            path,
            s.get("SHIFTCOVER_CALDAV_DIGEST_USER"),
        ),
    );
    std::fs::remove_file(dir.path().join("schedule.ics")).unwrap();
    let (ok, said) = run_command("check", &config);
    assert!(ok, "check failed:\n{said}");
    let daemon = Daemon::start_logging(&config, "debug");
    cover_lands(&s, &path, &daemon).await;
    edits_went_through(&s, "SHIFTCOVER_CALDAV_DIGEST_ACCESS_LOG", &path);
    let tokens = s.issued(Some(&client_id));
    assert!(
        tokens.len() > issued_before,
        "no token was issued for the refresh token"
    );
    let secrets = vec![
        std::fs::read_to_string(&password_file).unwrap(),
        std::fs::read_to_string(&refresh_token_file).unwrap(),
    ];
    let places = leak_places(dir.path(), &daemon, &config, None, vec![]);
    let tokens = s.issued(Some(&client_id));
    assert_no_leaks(&places, &secrets, &tokens[issued_before..]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_token_that_lapses_between_edits_is_renewed() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    // Mail on a long-lived client; the calendar on its own client whose
    // tokens last three seconds.
    let (mail_id, mail_secret) = own_client(&s, "cal-renew-mail", 3600).await;
    let lifetime = 3;
    let (cal_id, cal_secret) = own_client(&s, "cal-renew", lifetime).await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_oauth_config(
        dir.path(),
        &s,
        &Policy::slow(),
        &setup(
            Grant::Secret {
                client_id: mail_id.clone(),
                secret: mail_secret.clone(),
            },
            s.token_url(),
            "oauthbearer",
        ),
    );
    std::fs::write(
        dir.path().join("calendar-secret"),
        format!("{cal_secret}\n"),
    )
    .unwrap();
    let schedule = std::fs::read_to_string(dir.path().join("schedule.ics")).unwrap();
    let name = format!("renew-{}-{}", std::process::id(), free_port());
    let path = make_backend_calendar(&s, &name, &schedule).await;
    set_calendar(
        &config,
        &format!(
            "[calendar]\nbackend = \"caldav\"\nurl = \"{}{}\"\nauth = \"oauth2\"\n\n[calendar.oauth2]\nprovider = \"custom\"\nclient_id = \"{cal_id}\"\nclient_secret_file = \"calendar-secret\"\ntoken_url = \"{}\"\nscopes = [\"https://caldav.example.edu/.default\"]\n",
            s.get("SHIFTCOVER_CALDAV_BEARER_URL").trim_end_matches('/'),
            path,
            s.token_url()
        ),
    );
    std::fs::remove_file(dir.path().join("schedule.ics")).unwrap();
    let daemon = Daemon::start_logging(&config, "debug");
    cover_of(&s, &path, &daemon, &MEI_BY_SARAH).await;
    let after_first = s.issued(Some(&cal_id)).len();
    // The calendar's token lapses before the second edit.
    tokio::time::sleep(Duration::from_secs(lifetime * 2 + 1)).await;
    let text = cover_of(&s, &path, &daemon, &ANGIE_BY_PRIYA).await;
    assert!(
        text.contains("SUMMARY:Sarah for Mei"),
        "the first cover is gone:\n{text}"
    );
    let cal_tokens = s.issued(Some(&cal_id));
    eprintln!(
        "figure: calendar tokens issued: {} before the second edit, {} after",
        after_first,
        cal_tokens.len()
    );
    assert!(
        cal_tokens.len() > after_first,
        "the calendar's token was not renewed for the second edit"
    );
    edits_went_through(&s, "SHIFTCOVER_CALDAV_BEARER_ACCESS_LOG", &path);
    let places = leak_places(dir.path(), &daemon, &config, None, vec![]);
    let mut tokens = s.issued(Some(&cal_id));
    tokens.extend(s.issued(Some(&mail_id)));
    assert_no_leaks(&places, &[mail_secret, cal_secret], &tokens);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_fails_on_a_wrong_secret_in_the_providers_words_and_passes_on_the_right_one() {
    let Some(s) = oauth_servers() else { return };
    let (client_id, secret) = own_client(&s, "check", 3600).await;
    let dir = tempfile::tempdir().unwrap();
    let wrong = fresh_secret("wrong");
    let config = write_oauth_config(
        dir.path(),
        &s,
        &Policy::slow(),
        &setup(
            Grant::Secret {
                client_id: client_id.clone(),
                secret: wrong.clone(),
            },
            s.token_url(),
            "xoauth2",
        ),
    );
    let (ok, said) = run_command("check", &config);
    assert!(!ok, "check passed with a wrong secret:\n{said}");
    let fails: Vec<&str> = said.lines().filter(|l| l.starts_with("FAIL")).collect();
    eprintln!("check said:\n{}", fails.join("\n"));
    assert!(
        fails
            .iter()
            .any(|l| l.contains("AADSTS7000215") && l.contains("Invalid client secret provided")),
        "no FAIL line gives Entra ID's words:\n{said}"
    );
    // The right secret: every server signs in.
    std::fs::write(
        dir.path().join("oauth-client-secret"),
        format!("{secret}\n"),
    )
    .unwrap();
    let (ok, said) = run_command("check", &config);
    assert!(ok, "check failed with the right secret:\n{said}");
    let shown = command_stdout("check", &config);
    eprintln!("check said:\n{shown}");
    let places = vec![("`shiftcover check`".to_string(), said.into_bytes())];
    assert_no_leaks(&places, &[secret, wrong], &s.issued(Some(&client_id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_mailbox_refuses_is_said_plainly_and_not_retried_in_a_loop() {
    let Some(s) = oauth_servers() else { return };
    let _g = s.lock().await;
    s.clear_all();
    // The app has a token, but for another mailbox: as when the service
    // principal was not given access to the shared mailbox at Exchange,
    // the token endpoint says yes and the IMAP server says no.
    let client_id = format!("t-wrong-mailbox-{}", std::process::id());
    let secret = fresh_secret("wrong-mailbox");
    s.admin_client(
        &client_id,
        serde_json::json!({
            "secret": secret,
            "email": format!("alopez@{DOMAIN}"),
            "lifetime": 3600,
            "revoked": false,
        }),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_oauth_config(
        dir.path(),
        &s,
        &Policy::slow(),
        &setup(
            Grant::Secret {
                client_id: client_id.clone(),
                secret: secret.clone(),
            },
            s.token_url(),
            "xoauth2",
        ),
    );
    let (ok, said) = run_command("check", &config);
    assert!(
        !ok,
        "check passed with a token for another mailbox:\n{said}"
    );
    let fail = said
        .lines()
        .find(|l| l.starts_with("FAIL IMAP"))
        .unwrap_or_else(|| panic!("no FAIL line for IMAP:\n{said}"));
    eprintln!("check said: {fail}");

    // The daemon cannot sign in; it says so and does not hammer the
    // server or the token endpoint.
    let refused_before = dovecot_refusals(&s);
    let issued_before = s.issued(Some(&client_id)).len();
    let log = dir.path().join("daemon.log");
    let mut child = std::process::Command::new(binary())
        .args(["run", "--config"])
        .arg(&config)
        .env("RUST_LOG", "debug")
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::options().append(true).open(&log).unwrap())
        .spawn()
        .expect("start the daemon");
    let watch = Duration::from_secs(20);
    tokio::time::sleep(watch).await;
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let refusals = dovecot_refusals(&s) - refused_before;
    let tokens = s.issued(Some(&client_id)).len() - issued_before;
    let said: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .collect();
    eprintln!(
        "figure: in {watch:?}: {refusals} IMAP connections refused, {tokens} tokens fetched, {} error or warning lines",
        said.len()
    );
    let info: Vec<&str> = text.lines().filter(|l| !l.contains("DEBUG")).collect();
    eprintln!("the daemon said (above debug):\n{}", info.join("\n"));
    assert!(
        !said.is_empty(),
        "the daemon said nothing about the refused sign-in:\n{text}"
    );
    assert!(
        refusals <= 10 && tokens <= 10,
        "{refusals} refused sign-ins and {tokens} tokens in {watch:?}: retried in a tight loop"
    );
    // One plain error that a person must act; the warnings before it are
    // the first token and the fresh one being refused.
    let errors = said.iter().filter(|l| l.contains("ERROR")).count();
    assert_eq!(
        errors,
        1,
        "the refusal should be said once as an error:\n{}",
        said.join("\n")
    );
    assert!(
        said.len() <= 3,
        "the refusal is said again and again:\n{}",
        said.join("\n")
    );
    let places = vec![
        ("the daemon's debug log".to_string(), text.into_bytes()),
        ("`shiftcover check`".to_string(), fail.as_bytes().to_vec()),
    ];
    assert_no_leaks(&places, &[secret], &s.issued(Some(&client_id)));
}

/// Refused sign-ins at the OAuth2 Dovecot for the program's mailbox.
fn dovecot_refusals(s: &OAuthServers) -> usize {
    let log = Path::new(&s.get("SHIFTCOVER_SERVERS_DIR")).join("dovecot-oauth2/dovecot.log");
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("auth failed") && l.contains("user=<coverage@example.edu>"))
        .count()
}
