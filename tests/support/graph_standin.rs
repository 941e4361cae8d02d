//! The test side of the Microsoft Graph stand-in
//! (tests/servers/graph_standin/graph_standin.py, started by
//! tests/servers/start.sh): where it runs, its test-only /_admin endpoints,
//! and a client-credentials sign-in at its token endpoint. Test code only:
//! the service gets its token from the OAuth2 token source.
#![allow(dead_code)]

use std::path::Path;

use serde_json::{Value, json};

/// The stand-in's root (`http://127.0.0.1:PORT`), from start.sh's env
/// file, when something answers there.
pub fn root() -> Option<String> {
    let dir = std::env::var("SHIFTCOVER_SERVERS_DIR").unwrap_or("/tmp/shiftcover-servers".into());
    let env = std::fs::read_to_string(Path::new(&dir).join("env")).ok()?;
    let root = env
        .lines()
        .find_map(|l| l.strip_prefix("SHIFTCOVER_GRAPH_ROOT="))?
        .trim_matches('"')
        .to_string();
    let port: u16 = root.rsplit(':').next()?.parse().ok()?;
    std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    Some(root)
}

/// The root, or None after saying why the test is skipped; with
/// SHIFTCOVER_REQUIRE_SERVERS=1 (CI) a missing stand-in fails the test.
pub fn root_or_skip() -> Option<String> {
    match root() {
        Some(r) => Some(r),
        None => {
            assert!(
                std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() != Ok("1"),
                "the Graph stand-in is not running (tests/servers/start.sh graph)"
            );
            println!("SKIPPED: the Graph stand-in is not running");
            None
        }
    }
}

pub const ROLES_ALL: &[&str] = &["Calendars.ReadWrite", "Mail.Send"];

/// A handle on the stand-in for one test: its own client and mailbox names,
/// so tests running at once do not meet.
#[derive(Clone)]
pub struct Standin {
    pub root: String,
    pub http: reqwest::Client,
}

impl Standin {
    pub fn new(root: String) -> Standin {
        // reqwest is built without a default TLS provider.
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        Standin {
            root,
            http: reqwest::Client::new(),
        }
    }

    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.root)
    }

    pub fn token_url(&self) -> String {
        format!("{}/contoso.onmicrosoft.com/oauth2/v2.0/token", self.root)
    }

    /// POSTs JSON; the status and the JSON answer (Null when empty).
    pub async fn post_json(&self, url: &str, body: &Value) -> Result<(u16, Value), reqwest::Error> {
        let r = self
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await?;
        let status = r.status().as_u16();
        let text = r.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    pub async fn admin(&self, path: &str, body: Value) -> Value {
        let (status, v) = self
            .post_json(&format!("{}/_admin/{path}", self.root), &body)
            .await
            .expect("stand-in admin");
        assert!((200..300).contains(&status), "admin {path}: {status} {v}");
        v
    }

    pub async fn admin_get(&self, path: &str) -> Value {
        let text = self
            .http
            .get(format!("{}/_admin/{path}", self.root))
            .send()
            .await
            .expect("stand-in admin")
            .text()
            .await
            .expect("text");
        serde_json::from_str(&text).expect("json")
    }

    /// Registers an app with a client secret and application roles.
    pub async fn client(&self, id: &str, secret: &str, roles: &[&str]) {
        self.admin(
            "clients",
            json!({"client_id": id, "client_secret": secret, "roles": roles}),
        )
        .await;
    }

    /// The client-credentials grant with a secret: the access token.
    pub async fn token(&self, id: &str, secret: &str) -> String {
        let r = self
            .http
            .post(self.token_url())
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
                ("scope", "https://graph.microsoft.com/.default"),
            ])
            .send()
            .await
            .expect("token endpoint");
        let v: Value = serde_json::from_str(&r.text().await.expect("token answer")).expect("json");
        v["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {v}"))
            .to_string()
    }

    /// Makes a calendar named `name` in `mailbox` holding `ics`'s events.
    pub async fn calendar(&self, mailbox: &str, name: &str, ics: &str) -> String {
        let v = self
            .admin(
                "calendars",
                json!({"mailbox": mailbox, "name": name, "ics": ics, "timezone": "America/New_York"}),
            )
            .await;
        v["id"].as_str().expect("calendar id").to_string()
    }

    /// Every event and series of a calendar, as Graph shows them.
    pub async fn events(&self, calendar: &str) -> Vec<Value> {
        self.admin_get(&format!("events?calendar={calendar}")).await["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The meeting requests and cancellations Exchange would have sent.
    pub async fn meeting_messages(&self) -> Vec<Value> {
        self.admin_get("meeting-messages").await["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn log(&self) -> Vec<Value> {
        self.admin_get("log").await["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub async fn sent(&self) -> Vec<Value> {
        self.admin_get("sent").await["value"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// Replaces the scenario config's ICS calendar with the Graph one.
pub fn graph_config(config: &str, graph_url: &str, mailbox: &str, calendar: &str) -> String {
    let out = config.replace(
        "backend = \"ics\"\npath = \"schedule.ics\"",
        &format!(
            "backend = \"graph\"\nmailbox = \"{mailbox}\"\ncalendar = \"{calendar}\"\ngraph_url = \"{graph_url}\"\nbearer_token_file = \"graph-token\""
        ),
    );
    assert!(
        out.contains("backend = \"graph\""),
        "config not switched to Graph"
    );
    out
}
