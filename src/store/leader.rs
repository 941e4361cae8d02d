//! The leadership lock of an active/standby pair on one PostgreSQL database:
//! a session-level advisory lock on a connection of its own, held for as
//! long as that connection lives. The leader's process dying, or its
//! connection being cut, frees the lock for the standby. SQLite has no such
//! lock: one instance per file, as ever.
//!
//! The lock alone does not stop a leader that lost it from writing: between
//! its last check and a commit its lock's connection can be killed and the
//! standby take over. So leadership also has a fencing token, the epoch in
//! the one-row `leader_lease` table: each new leader adds one to it, in the
//! session that holds the lock, and every write transaction of the leader
//! first runs `UPDATE leader_lease ... WHERE epoch = <its epoch>`, which must
//! touch the row. The row lock that UPDATE takes orders the two: a takeover
//! waits for a write already under way to commit, and every write after the
//! takeover finds the new epoch, writes nothing and says `LostLeadership`.
//!
//! The lease is the process's, not a desk's: migration 5 also creates a
//! `leader_lease` in every desk's schema (`desk_NAME`, the search_path of a
//! desk's store), so every statement here names `public.leader_lease`, the
//! one table the leadership (opened on the plain URL) takes over.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::any::Any;
use sqlx::{AnyConnection, Connection, Transaction};

use super::{Engine, Store, StoreError};

/// A leader's fencing token: the lease epoch it took over at, and whether a
/// write has since found that epoch gone (then every later write is refused
/// without asking the database).
#[derive(Debug)]
pub struct Fence {
    epoch: i64,
    lost: AtomicBool,
}

impl Fence {
    /// The epoch this leader holds.
    pub fn epoch(&self) -> i64 {
        self.epoch
    }

    /// Whether a write found that another instance took over.
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    fn refused(&self) -> StoreError {
        self.lost.store(true, Ordering::SeqCst);
        StoreError::LostLeadership { epoch: self.epoch }
    }
}

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

    /// This store, its writes fenced by `fence`: each write transaction
    /// first confirms the fence's epoch is still the lease's, else writes
    /// nothing and fails with [`StoreError::LostLeadership`].
    pub fn fenced(&self, fence: Arc<Fence>) -> Store {
        Store {
            fence: Some(fence),
            ..self.clone()
        }
    }

    /// The fence this store's writes carry, if any.
    pub fn fence(&self) -> Option<&Arc<Fence>> {
        self.fence.as_ref()
    }

    /// Opens a write transaction; when fenced, its first statement confirms
    /// (and row-locks) the lease at this leader's epoch.
    pub(super) async fn begin_fenced(&self) -> Result<Transaction<'static, Any>, StoreError> {
        if let Some(fence) = &self.fence
            && fence.is_lost()
        {
            return Err(fence.refused());
        }
        let mut tx = self.pool.begin_with(self.engine.begin_write()).await?;
        if let Some(fence) = &self.fence {
            // The process's one lease, whichever desk's schema this store
            // writes to (SQLite has one file per desk and no standby).
            let confirm = match self.engine {
                Engine::Postgres => {
                    "UPDATE public.leader_lease SET epoch = epoch WHERE id = 1 AND epoch = $1"
                }
                Engine::Sqlite => {
                    "UPDATE leader_lease SET epoch = epoch WHERE id = 1 AND epoch = $1"
                }
            };
            let done = sqlx::query(confirm)
                .bind(fence.epoch)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() != 1 {
                tx.rollback().await?;
                return Err(fence.refused());
            }
        }
        Ok(tx)
    }

    /// Confirms, when fenced, that this leader's epoch is still the lease's,
    /// before an effect no transaction records first (a calendar edit).
    pub async fn confirm_fence(&self) -> Result<(), StoreError> {
        if self.fence.is_some() {
            self.begin_fenced().await?.rollback().await?;
        }
        Ok(())
    }

    /// The lease's current epoch (how many takeovers this database has
    /// seen); None on SQLite, which has no leader.
    pub async fn lease_epoch(&self) -> Result<Option<i64>, StoreError> {
        if self.engine != Engine::Postgres {
            return Ok(None);
        }
        Ok(Some(
            sqlx::query_scalar("SELECT epoch FROM public.leader_lease WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        ))
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

    /// Takes the lease over at a new epoch, on the connection that holds the
    /// lock (so only a leader can): waits for any write of the previous
    /// leader still under way, then every later write of that leader is
    /// refused. The returned fence goes to the new leader's store
    /// ([`Store::fenced`]).
    pub async fn take_lease(&mut self, at: &str) -> Result<Arc<Fence>, StoreError> {
        if !self.held {
            return Err(StoreError::Corrupt(
                "the lease is taken only by the holder of the leadership lock".into(),
            ));
        }
        let epoch: i64 = sqlx::query_scalar(
            "UPDATE public.leader_lease SET epoch = epoch + 1, holder = $1, taken_at = $2 \
             WHERE id = 1 RETURNING epoch",
        )
        .bind(&self.instance)
        .bind(at)
        .fetch_one(&mut self.conn)
        .await?;
        Ok(Arc::new(Fence {
            epoch,
            lost: AtomicBool::new(false),
        }))
    }

    /// Whether the lease still names `fence`'s epoch, asked on the lock's
    /// own connection (under the same time limit as the lock check). False
    /// when another instance took over or the database does not answer.
    pub async fn lease_is(&mut self, fence: &Fence) -> bool {
        if fence.is_lost() {
            return false;
        }
        let check =
            sqlx::query_scalar::<_, i64>("SELECT epoch FROM public.leader_lease WHERE id = 1")
                .fetch_one(&mut self.conn);
        let current =
            matches!(tokio::time::timeout(CHECK_LIMIT, check).await, Ok(Ok(e)) if e == fence.epoch);
        if !current {
            fence.lost.store(true, Ordering::SeqCst);
        }
        current
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
