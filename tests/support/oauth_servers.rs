//! Helpers for tests against the OAuth2 half of the test servers
//! (tests/servers/oauth2.sh): the token server and its admin endpoint, the
//! Dovecot that accepts only OAuth2 (read here through its Maildirs, since
//! it refuses passwords), the Postfix whose submission port needs a token,
//! the CalDAV proxies, a daemon config signing in with OAuth2, a token
//! server of a test's own to stop and start, and the search for leaked
//! secrets. Builds on mail_servers.rs (the test includes both).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::mail_servers::{DOMAIN, PROGRAM, Policy, Received, STAFF, Servers, write_config};

/// The OAuth2 servers, as start.sh described them in its env file.
#[derive(Debug, Clone)]
pub struct OAuthServers {
    /// The staff side: `post` sends to the OAuth2 Postfix's loopback MX
    /// port (staff mail needs no token); the IMAP port is the OAuth2
    /// Dovecot's.
    pub mail: Servers,
    env: HashMap<String, String>,
    pub token_port: u16,
    pub imap_port: u16,
    pub submission_port: u16,
}

fn port_answers(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(1),
    )
    .is_ok()
}

/// The servers, or None (with the reason printed) when they are not
/// running. With SHIFTCOVER_REQUIRE_SERVERS=1 (CI) a missing server fails
/// the test instead.
pub fn oauth_servers() -> Option<OAuthServers> {
    let dir = PathBuf::from(
        std::env::var("SHIFTCOVER_SERVERS_DIR")
            .unwrap_or_else(|_| "/tmp/shiftcover-servers".into()),
    );
    let skip = |why: String| -> Option<OAuthServers> {
        if std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() == Ok("1") {
            panic!("{why}");
        }
        eprintln!("skipping: {why} (start them with tests/servers/start.sh)");
        None
    };
    let Ok(text) = std::fs::read_to_string(dir.join("env")) else {
        return skip(format!(
            "no test servers: {} is missing",
            dir.join("env").display()
        ));
    };
    let env: HashMap<String, String> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect();
    let port = |k: &str| env.get(k).and_then(|v| v.parse::<u16>().ok());
    let (Some(token_port), Some(imap_port), Some(mx_port), Some(submission_port)) = (
        port("SHIFTCOVER_OAUTH2_PORT"),
        port("SHIFTCOVER_OAUTH_IMAP_PORT"),
        port("SHIFTCOVER_OAUTH_MX_PORT"),
        port("SHIFTCOVER_SUBMISSION_PORT"),
    ) else {
        return skip(
            "the servers' env file names no OAuth2 servers (start.sh predates them?)".into(),
        );
    };
    for (name, p) in [
        ("token", token_port),
        ("OAuth2 IMAP", imap_port),
        ("OAuth2 MX", mx_port),
        ("submission", submission_port),
    ] {
        if !port_answers(p) {
            return skip(format!(
                "the test {name} server does not answer on 127.0.0.1:{p}"
            ));
        }
    }
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers");
    Some(OAuthServers {
        mail: Servers {
            dir,
            imap_port,
            smtp_port: mx_port,
            password: String::new(),
            scripts,
        },
        env,
        token_port,
        imap_port,
        submission_port,
    })
}

/// Exclusive use of the OAuth2 servers' mailboxes: the in-process lock of
/// mail_servers, and a file lock in the state folder, since two test runs
/// (two engineers, or a test binary and a person's) would each start a
/// daemon on the one program mailbox and each answer every request.
pub struct ServersLock {
    _file: std::fs::File,
    _guard: tokio::sync::MutexGuard<'static, ()>,
}

impl OAuthServers {
    pub async fn lock(&self) -> ServersLock {
        use std::os::unix::io::AsRawFd as _;
        let guard = crate::mail_servers::lock().await;
        let path = self.mail.dir.join("oauth2-tests.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
        // Blocks until the other run's test is done.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(rc, 0, "flock {}", path.display());
        ServersLock {
            _file: file,
            _guard: guard,
        }
    }
}

/// An HTTP client for the token server's admin endpoint and Radicale.
/// reqwest is built without a default TLS provider: ring, as the crate uses.
pub fn http() -> reqwest::Client {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A secret no other test or run has: tests register clients of their own
/// so that revoking or shortening one touches no other test.
pub fn fresh_secret(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{tag}-secret-{nanos:x}-{}", std::process::id())
}

impl OAuthServers {
    /// A value from start.sh's env file.
    pub fn get(&self, key: &str) -> String {
        self.env
            .get(key)
            .cloned()
            .unwrap_or_else(|| panic!("{key} is not in the servers' env file"))
    }

    pub fn token_url(&self) -> String {
        self.get("SHIFTCOVER_OAUTH2_TOKEN_URL")
    }

    /// Registers or changes a client at the token server (its admin
    /// endpoint): `fields` as the token server's config takes them (secret,
    /// lifetime, revoked, email, certificate, refresh_tokens).
    pub async fn admin_client(&self, client_id: &str, fields: serde_json::Value) {
        let mut body = fields;
        body["client_id"] = serde_json::Value::String(client_id.to_string());
        let resp = http()
            .post(format!(
                "{}/clients",
                self.get("SHIFTCOVER_OAUTH2_ADMIN_URL")
            ))
            .json(&body)
            .send()
            .await
            .expect("reach the token server's admin endpoint");
        assert!(resp.status().is_success(), "admin: {}", resp.status());
    }

    /// A client signing in with a secret for the program's mailbox, tokens
    /// lasting `lifetime` seconds.
    pub async fn register_secret_client(&self, client_id: &str, secret: &str, lifetime: u64) {
        self.admin_client(
            client_id,
            serde_json::json!({
                "secret": secret,
                "email": format!("{PROGRAM}@{DOMAIN}"),
                "lifetime": lifetime,
                "revoked": false,
            }),
        )
        .await;
    }

    /// Every token the token server has issued to `client_id` (any client
    /// when None), from its issued.log.
    pub fn issued(&self, client_id: Option<&str>) -> Vec<String> {
        let text =
            std::fs::read_to_string(self.get("SHIFTCOVER_OAUTH2_ISSUED_LOG")).unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                (f.len() >= 6 && client_id.is_none_or(|c| f[1] == c)).then(|| f[5].to_string())
            })
            .collect()
    }

    /// The token server's log (refusals are logged there too).
    pub fn token_server_log(&self) -> String {
        std::fs::read_to_string(
            Path::new(&self.get("SHIFTCOVER_OAUTH2_DIR")).join("token-server.log"),
        )
        .unwrap_or_default()
    }

    fn maildir(&self, user: &str) -> PathBuf {
        Path::new(&self.get("SHIFTCOVER_OAUTH_MAIL_DIR"))
            .join(format!("{user}@{DOMAIN}"))
            .join("Maildir")
    }

    /// Every message in the user's INBOX, read from the OAuth2 Dovecot's
    /// Maildir (that Dovecot takes no password, and the test's own sign-in
    /// is not what is tested), in delivery order.
    pub fn inbox(&self, user: &str) -> Vec<Received> {
        let base = self.maildir(user);
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .filter_map(|d| std::fs::read_dir(base.join(d)).ok())
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        // Maildir names start with the delivery time.
        files.sort_by_key(|p| p.file_name().map(|n| n.to_os_string()));
        files
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                std::fs::read(p)
                    .ok()
                    .map(|raw| Received::new(i as u32 + 1, raw))
            })
            .collect()
    }

    /// Polls the user's INBOX until `want` holds or `limit` passes; returns
    /// the last look either way.
    pub async fn wait_for(
        &self,
        user: &str,
        limit: Duration,
        want: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let until = Instant::now() + limit;
        loop {
            let got = self.inbox(user);
            if want(&got) || Instant::now() >= until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Empties the program's and every staff member's INBOX, through
    /// Dovecot's own tool so its indexes stay right.
    pub fn clear_all(&self) {
        let conf = self.get("SHIFTCOVER_DOVECOT_OAUTH2_CONF");
        for user in std::iter::once(PROGRAM).chain(STAFF) {
            let out = Command::new("doveadm")
                .args(["-c", &conf, "expunge", "-u"])
                .arg(format!("{user}@{DOMAIN}"))
                .args(["mailbox", "INBOX", "all"])
                .stdin(Stdio::null())
                .output()
                .expect("run doveadm");
            // A mailbox never delivered to has nothing to expunge.
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || err.contains("doesn't exist"),
                "doveadm expunge for {user}: {err}"
            );
        }
    }

    /// A token server of the test's own on `port`, on the same keys and
    /// clients as the shared one (Dovecot trusts its tokens), so the test
    /// can stop and start it without disturbing the others.
    /// Its log goes to token-server.log in `dir` (the test's folder).
    pub fn own_token_server(&self, port: u16, dir: &Path) -> TokenServer {
        let mut t = TokenServer {
            child: None,
            port,
            script: PathBuf::from(self.get("SHIFTCOVER_OAUTH2_TOKEN_SERVER_SCRIPT")),
            node_path: self.get("SHIFTCOVER_OAUTH2_NODE_PATH"),
            dir: PathBuf::from(self.get("SHIFTCOVER_OAUTH2_DIR")),
            log: dir.join("token-server.log"),
        };
        t.start();
        t
    }
}

/// A token server process the test owns.
pub struct TokenServer {
    child: Option<Child>,
    pub port: u16,
    script: PathBuf,
    node_path: String,
    dir: PathBuf,
    pub log: PathBuf,
}

impl TokenServer {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/token", self.port)
    }

    /// Starts it and waits until it answers.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "the token server is already running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("token server log");
        let child = Command::new("node")
            .arg(&self.script)
            .arg(&self.dir)
            .arg(self.port.to_string())
            .env("NODE_PATH", &self.node_path)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .expect("start node token-server.js");
        self.child = Some(child);
        let until = Instant::now() + Duration::from_secs(60);
        while !port_answers(self.port) {
            assert!(
                Instant::now() < until,
                "the test's token server does not answer on {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops it: the port refuses connections until `start`.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for TokenServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// How the daemon gets its tokens in a test.
#[derive(Debug, Clone)]
pub enum Grant {
    /// Client credentials with a client secret written to a file in the
    /// test's folder.
    Secret { client_id: String, secret: String },
    /// Client credentials with a certificate (a signed client assertion).
    Certificate {
        client_id: String,
        certificate_file: String,
        private_key_file: String,
    },
    /// A refresh token from a one-time consent (a public client: no
    /// secret).
    RefreshToken {
        client_id: String,
        refresh_token_file: String,
    },
}

/// The daemon's sign-in in a test.
#[derive(Debug, Clone)]
pub struct OAuthSetup {
    pub grant: Grant,
    pub token_url: String,
    /// "xoauth2" or "oauthbearer", for IMAP and SMTP alike.
    pub sasl: &'static str,
    /// Some: /metrics on this loopback port.
    pub metrics_port: Option<u16>,
}

/// The `[oauth2]` keys of a grant (secret files are written into `dir`).
fn grant_keys(dir: &Path, grant: &Grant, file_name: &str) -> String {
    match grant {
        Grant::Secret { client_id, secret } => {
            std::fs::write(dir.join(file_name), format!("{secret}\n")).unwrap();
            format!("client_id = \"{client_id}\"\nclient_secret_file = \"{file_name}\"\n")
        }
        Grant::Certificate {
            client_id,
            certificate_file,
            private_key_file,
        } => format!(
            "client_id = \"{client_id}\"\ncertificate_file = \"{certificate_file}\"\nprivate_key_file = \"{private_key_file}\"\n"
        ),
        Grant::RefreshToken {
            client_id,
            refresh_token_file,
        } => {
            format!("client_id = \"{client_id}\"\nrefresh_token_file = \"{refresh_token_file}\"\n")
        }
    }
}

/// Writes a config for the daemon on the OAuth2 servers into `dir`: the
/// roster and schedule of mail_servers::write_config, the mailbox on the
/// OAuth2 Dovecot and the outbox on the submission port, both signing in
/// with a token from `setup` (the microsoft365 preset, its token URL
/// pointed at loopback). Returns the config's path.
pub fn write_oauth_config(
    dir: &Path,
    s: &OAuthServers,
    policy: &Policy,
    setup: &OAuthSetup,
) -> PathBuf {
    let path = write_config(dir, &s.mail, policy);
    std::fs::remove_file(dir.join("imap-password")).ok();
    let text = std::fs::read_to_string(&path).unwrap();
    let head = text
        .split("[mailbox]")
        .next()
        .unwrap_or_default()
        .to_string();
    let mut toml = head;
    toml +=
        "[oauth2]\nprovider = \"microsoft365\"\ntenant = \"shiftcover-tests.onmicrosoft.com\"\n";
    toml += &format!("token_url = \"{}\"\n", setup.token_url);
    toml += &grant_keys(dir, &setup.grant, "oauth-client-secret");
    toml += "\n";
    toml += &format!(
        "[mailbox]\nbackend = \"imap\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nauth = \"oauth2\"\nsasl = \"{}\"\nusername = \"{PROGRAM}@{DOMAIN}\"\nfolder = \"INBOX\"\n\n",
        s.imap_port, setup.sasl
    );
    toml += &format!(
        "[outbox]\nbackend = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nauth = \"oauth2\"\nsasl = \"{}\"\nusername = \"{PROGRAM}@{DOMAIN}\"\n\n",
        s.submission_port, setup.sasl
    );
    toml += "[database]\nurl = \"sqlite://state.db\"\n";
    if let Some(p) = setup.metrics_port {
        toml += &format!("\n[metrics]\nlisten = \"127.0.0.1:{p}\"\n");
    }
    std::fs::write(&path, toml).unwrap();
    path
}

/// A client of the test's own at the shared token server, signing in with
/// a fresh secret, its tokens lasting `lifetime` seconds: revoking it or
/// its short tokens touch no other test. Returns its id and secret.
pub async fn own_client(s: &OAuthServers, tag: &str, lifetime: u64) -> (String, String) {
    let id = format!("t-{tag}-{}", std::process::id());
    let secret = fresh_secret(tag);
    s.register_secret_client(&id, &secret, lifetime).await;
    (id, secret)
}

/// A test's own client and a config in a fresh folder that signs in as it.
pub struct OwnClientConfig {
    pub client_id: String,
    pub secret: String,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

/// The usual start of an OAuth2 test: a client of its own ([`own_client`])
/// and, in a fresh folder, a config whose mailbox and outbox sign in as it
/// with its secret over XOAUTH2 at the shared token server
/// ([`write_oauth_config`], slow deadlines).
pub async fn config_with_own_client(s: &OAuthServers, tag: &str, lifetime: u64) -> OwnClientConfig {
    let (client_id, secret) = own_client(s, tag, lifetime).await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_oauth_config(
        dir.path(),
        s,
        &Policy::slow(),
        &OAuthSetup {
            grant: Grant::Secret {
                client_id: client_id.clone(),
                secret: secret.clone(),
            },
            token_url: s.token_url(),
            sasl: "xoauth2",
            metrics_port: None,
        },
    );
    OwnClientConfig {
        client_id,
        secret,
        dir,
        config,
    }
}

/// Replaces the config's `[calendar]` (the schedule file) with `section`.
pub fn set_calendar(config: &Path, section: &str) {
    let toml = std::fs::read_to_string(config).unwrap().replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"\n",
        section,
    );
    assert!(
        toml.contains(section),
        "the config had no schedule-file calendar to replace"
    );
    std::fs::write(config, toml).unwrap();
}

/// GET over plain HTTP/1.1 (the metrics endpoint), the whole answer.
pub fn http_get(port: u16, path: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// Runs `shiftcover <command> --config <config>`: (success, stdout and
/// stderr together).
pub fn run_command(command: &str, config: &Path) -> (bool, String) {
    let out = Command::new(crate::mail_servers::binary())
        .args([command, "--config"])
        .arg(config)
        .env("RUST_LOG", "debug")
        .env("SHIFTCOVER_LOG", "debug")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run shiftcover {command}: {e}"));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text += &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// What `shiftcover <command> --config <config>` prints on stdout, at the
/// default log level (what an administrator reads).
pub fn command_stdout(command: &str, config: &Path) -> String {
    let out = Command::new(crate::mail_servers::binary())
        .args([command, "--config"])
        .arg(config)
        .env_remove("RUST_LOG")
        .env_remove("SHIFTCOVER_LOG")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run shiftcover {command}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pieces of a token worth looking for: the whole token, and its
/// signature (a log line that cut the token short would still hold part of
/// it; the signature is what makes it a credential).
fn token_pieces(token: &str) -> Vec<String> {
    let mut out = vec![token.to_string()];
    if let Some(sig) = token.rsplit('.').next().filter(|s| s.len() >= 16) {
        out.push(sig.to_string());
    }
    out
}

/// Asserts that none of `secrets` nor any of `tokens` (or a token's
/// signature) occurs in any of `places` (name, bytes). Prints what was
/// searched.
pub fn assert_no_leaks(places: &[(String, Vec<u8>)], secrets: &[String], tokens: &[String]) {
    let mut needles: Vec<(String, String)> = secrets
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| ("a secret".to_string(), s.trim().to_string()))
        .collect();
    for t in tokens {
        for piece in token_pieces(t) {
            needles.push(("an issued token".to_string(), piece));
        }
    }
    assert!(
        !tokens.is_empty(),
        "no token was issued: the leak search would prove nothing"
    );
    for (name, bytes) in places {
        for (what, needle) in &needles {
            let found = bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
            assert!(!found, "{what} appears in {name}");
        }
    }
    let total: usize = places.iter().map(|(_, b)| b.len()).sum();
    eprintln!(
        "figure: searched {} places ({total} bytes) for {} secrets and {} tokens: none found",
        places.len(),
        secrets.len(),
        tokens.len()
    );
}

/// The SQLite databases and their journal files in `dir`, as (name,
/// bytes): `state.db`, and with several desks each desk's own
/// `state.desk-NAME.db` (`store::desk_sqlite_url`).
pub fn database_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let is_database = |name: &str| {
        let base = ["-wal", "-shm", "-journal"]
            .iter()
            .find_map(|j| name.strip_suffix(j))
            .unwrap_or(name);
        base == "state.db"
            || base
                .strip_prefix("state.desk-")
                .is_some_and(|desk| desk.ends_with(".db"))
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| is_database(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
        .into_iter()
        .filter_map(|f| {
            std::fs::read(dir.join(&f))
                .ok()
                .map(|b| (format!("the database file {f}"), b))
        })
        .collect()
}

/// A notify socket as systemd holds one: collects the STATUS= lines the
/// daemon sends (what `systemctl status` shows), on a thread of its own.
pub struct StatusListener {
    pub path: PathBuf,
    heard: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl StatusListener {
    pub fn bind(dir: &Path) -> StatusListener {
        let path = dir.join("notify.sock");
        let sock = std::os::unix::net::UnixDatagram::bind(&path).expect("bind the notify socket");
        sock.set_read_timeout(Some(Duration::from_millis(100))).ok();
        let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (h, st) = (heard.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 8192];
            while !st.load(std::sync::atomic::Ordering::SeqCst) {
                if let Ok(n) = sock.recv(&mut buf) {
                    let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                    let mut heard = h.lock().unwrap_or_else(|p| p.into_inner());
                    heard.extend(text.lines().map(str::to_string));
                }
            }
        });
        StatusListener { path, heard, stop }
    }

    /// The environment that points the daemon at this socket.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("NOTIFY_SOCKET".into(), self.path.display().to_string())]
    }

    /// Every STATUS= text heard so far.
    pub fn statuses(&self) -> Vec<String> {
        self.heard
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter_map(|l| l.strip_prefix("STATUS=").map(str::to_string))
            .collect()
    }

    /// Everything heard so far, for the leak search.
    pub fn all(&self) -> String {
        self.heard
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .join("\n")
    }
}

impl Drop for StatusListener {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A calendar of the test's own on the Radicale behind the proxies, made
/// and filled with `schedule_ics` through the back door (Radicale's
/// X-Remote-User, which only the proxies otherwise send). Returns its path
/// ("/coverage/<name>/").
pub async fn make_backend_calendar(s: &OAuthServers, name: &str, schedule_ics: &str) -> String {
    let backend = s.get("SHIFTCOVER_CALDAV_BACKEND_URL");
    let path = format!("/{PROGRAM}/{name}/");
    let http = http();
    let mk = http
        .request(
            reqwest::Method::from_bytes(b"MKCALENDAR").unwrap(),
            format!("{}{}", backend.trim_end_matches('/'), path),
        )
        .header("X-Remote-User", PROGRAM)
        .send()
        .await
        .expect("MKCALENDAR");
    assert!(mk.status().is_success(), "MKCALENDAR: {}", mk.status());
    let parsed = shiftcover::ical::parse(schedule_ics).expect("the schedule parses");
    let zones: Vec<shiftcover::ical::Component> = parsed.children("VTIMEZONE").cloned().collect();
    for ev in parsed.children("VEVENT") {
        // One object per event, as CalDAV stores them.
        let mut obj = shiftcover::ical::Component::new("VCALENDAR");
        obj.properties = parsed.properties.clone();
        obj.components = zones.clone();
        obj.components.push(ev.clone());
        let uid = ev.uid().replace('@', "%40");
        let put = http
            .put(format!(
                "{}{}{uid}.ics",
                backend.trim_end_matches('/'),
                path
            ))
            .header("X-Remote-User", PROGRAM)
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(obj.to_ics())
            .send()
            .await
            .expect("upload");
        assert!(put.status().is_success(), "upload {uid}: {}", put.status());
    }
    path
}

/// The whole calendar at `path` as Radicale holds it (one iCalendar text).
pub async fn backend_calendar_text(s: &OAuthServers, path: &str) -> String {
    let backend = s.get("SHIFTCOVER_CALDAV_BACKEND_URL");
    http()
        .get(format!("{}{}", backend.trim_end_matches('/'), path))
        .header("X-Remote-User", PROGRAM)
        .send()
        .await
        .expect("GET the calendar")
        .text()
        .await
        .unwrap_or_default()
}
