//! The test PostgreSQL that tests/servers/start.sh runs: each test gets a
//! database of its own, so tests run in parallel and never see each other's
//! rows. Absent PostgreSQL skips the test with a message, or fails it when
//! SHIFTCOVER_REQUIRE_SERVERS=1 (CI), as the mail server tests do.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AnyConnection, Connection, Executor};

/// The URL start.sh wrote (the environment's SHIFTCOVER_POSTGRES_URL first),
/// or None with the reason printed.
pub fn server_url() -> Option<String> {
    let skip = |why: String| -> Option<String> {
        if std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() == Ok("1") {
            panic!("{why}");
        }
        eprintln!("skipping: {why} (start it with tests/servers/start.sh)");
        None
    };
    if let Ok(url) = std::env::var("SHIFTCOVER_POSTGRES_URL")
        && !url.is_empty()
    {
        return Some(url);
    }
    let dir = PathBuf::from(
        std::env::var("SHIFTCOVER_SERVERS_DIR")
            .unwrap_or_else(|_| "/tmp/shiftcover-servers".into()),
    );
    let Ok(text) = std::fs::read_to_string(dir.join("env")) else {
        return skip(format!(
            "no test PostgreSQL: {} is missing",
            dir.join("env").display()
        ));
    };
    let url = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == "SHIFTCOVER_POSTGRES_URL")
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    if url.is_empty() {
        return skip(format!(
            "no test PostgreSQL: {} names none",
            dir.join("env").display()
        ));
    }
    Some(url)
}

/// A new, empty database on the test server; its URL. None (the test
/// skips) when the server is not there.
pub async fn fresh_database() -> Option<String> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let server = server_url()?;
    sqlx::any::install_default_drivers();
    let mut admin = match AnyConnection::connect(&server).await {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() == Ok("1") {
                panic!("the test PostgreSQL at {server} does not answer: {e}");
            }
            eprintln!("skipping: the test PostgreSQL at {server} does not answer: {e}");
            return None;
        }
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    );
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    admin.close().await.ok();
    // The server URL ends in its own database's name: swap it.
    let base = server
        .rsplit_once('/')
        .map(|(base, _)| base)
        .expect("a postgres:// URL");
    Some(format!("{base}/{name}"))
}

/// Drops a database [`fresh_database`] made, ending any session still on it,
/// so test runs do not fill the disk. Best effort: a failure is printed.
pub async fn drop_database(url: &str) {
    let (Some(server), Some((_, name))) = (server_url(), url.rsplit_once('/')) else {
        return;
    };
    sqlx::any::install_default_drivers();
    let dropped = async {
        let mut admin = AnyConnection::connect(&server).await?;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await?;
        admin.close().await
    };
    if let Err(e) = dropped.await {
        eprintln!("could not drop the test database {name}: {e}");
    }
}

/// As [`drop_database`], from anywhere (a Drop, a test that is not async):
/// on a thread of its own, so it never nests in a running runtime.
pub fn drop_database_blocking(url: &str) {
    let url = url.to_string();
    let _ = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(drop_database(&url))
    })
    .join();
}

/// As [`fresh_database`], for a test that is not async.
pub fn fresh_database_blocking() -> Option<String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(fresh_database())
}
