//! The leadership lock of an active/standby pair on one PostgreSQL database:
//! a session-level advisory lock on a connection of its own, held for as
//! long as that connection lives. The leader's process dying, or its
//! connection being cut, frees the lock for the standby. SQLite has no such
//! lock: one instance per file, as ever.

use std::time::Duration;

use sqlx::{AnyConnection, Connection};

use super::{Engine, Store, StoreError};

/// The advisory lock key the leader holds ("shiftld" in ASCII). Advisory
/// locks belong to one database, so each service's database has its own.
const LEADER_LOCK: i64 = 0x0073_6869_6674_6c64;

/// How long a check of the lock's connection may take before the leader
/// counts the lock as lost (a cut network hangs rather than fails).
const CHECK_LIMIT: Duration = Duration::from_secs(5);

/// A connection that holds, or tries for, the leadership lock.
#[derive(Debug)]
pub struct LeaderLock {
    conn: AnyConnection,
    instance: String,
    held: bool,
}

impl Store {
    /// A connection of its own for the leadership lock, named after
    /// `instance` (host and pid) so `status` can list who is waiting; None on
    /// SQLite, where there is no standby.
    pub async fn leader_lock(&self, instance: &str) -> Result<Option<LeaderLock>, StoreError> {
        if self.engine != Engine::Postgres {
            return Ok(None);
        }
        let mut conn = AnyConnection::connect(&self.url).await?;
        set_name(&mut conn, &format!("shiftcover standby {instance}")).await?;
        Ok(Some(LeaderLock {
            conn,
            instance: instance.to_string(),
            held: false,
        }))
    }

    /// The shiftcover instances connected to this database and their roles
    /// ("leader host pid 123", "standby host pid 456"), leader first. Empty
    /// on SQLite.
    pub async fn instances(&self) -> Result<Vec<String>, StoreError> {
        if self.engine != Engine::Postgres {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_scalar(
            "SELECT substr(application_name, 12) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name LIKE 'shiftcover %' \
             ORDER BY application_name, backend_start",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

impl LeaderLock {
    /// Takes the lock if no one holds it; says whether this connection now
    /// holds it. Never waits for another holder.
    pub async fn try_lead(&mut self) -> Result<bool, StoreError> {
        if self.held {
            return Ok(true);
        }
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_LOCK)
            .fetch_one(&mut self.conn)
            .await?;
        if got {
            self.held = true;
            let name = format!("shiftcover leader {}", self.instance);
            set_name(&mut self.conn, &name).await?;
        }
        Ok(got)
    }

    /// Whether the lock is still held: its session answers (a session-level
    /// lock lasts as long as the session) and the server still lists it as
    /// granted to that session. An error or a silent server means lost.
    pub async fn still_held(&mut self) -> bool {
        if !self.held {
            return false;
        }
        let check = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND pid = pg_backend_pid() \
             AND classid::bigint = ($1 >> 32) AND objid::bigint = ($1 & 4294967295)",
        )
        .bind(LEADER_LOCK)
        .fetch_one(&mut self.conn);
        let held = matches!(tokio::time::timeout(CHECK_LIMIT, check).await, Ok(Ok(n)) if n > 0);
        if !held {
            self.held = false;
        }
        held
    }
}

async fn set_name(conn: &mut AnyConnection, name: &str) -> Result<(), StoreError> {
    sqlx::query("SELECT set_config('application_name', $1, false)")
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}
