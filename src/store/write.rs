//! Writing batches. A catch-up commits thousands of batches in one
//! transaction, so rows go in as multi-row INSERTs, and a request changed by
//! many batches is written once, in its last version (each version is whole,
//! so the last one is what writing them in turn would leave).

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};

use super::codec::{instant_text, opt_instant_text, to_json};
use super::{Batch, ProcessedMessage, StoreError};
use crate::calendar::EditOp;
use crate::compose::OutgoingMail;
use crate::engine::{Audit, Request};
use crate::model::Instant;

/// Bound values per multi-row INSERT: enough that a catch-up's batch of
/// 500 messages writes each table in one statement, one round trip (no
/// row binds more than 13 values), rather than one per 200 rows (on
/// PostgreSQL each round trip is a wake-up of the server's process, which
/// a loaded machine makes wait its turn); far under SQLite's limit
/// (32,766) and PostgreSQL's (65,535), and no larger, as a statement of
/// 30,000 values made a 10,000-message commit slower on PostgreSQL.
const VALUES_PER_INSERT: usize = 6_000;
/// Values per `IN (...)` list.
const IDS_PER_QUERY: usize = 500;

/// Writes the batches whose message is new; says which were written.
pub(super) async fn write_batches(
    conn: &mut AnyConnection,
    batches: &[Batch],
) -> Result<Vec<bool>, StoreError> {
    let ids: Vec<&str> = batches
        .iter()
        .filter_map(|b| b.message.as_ref().map(|m| m.message_id.as_str()))
        .collect();
    let mut handled = already_processed(conn, &ids).await?;
    // A message seen earlier in this same call counts as handled too.
    let written: Vec<bool> = batches
        .iter()
        .map(|b| match &b.message {
            None => true,
            Some(m) => handled.insert(m.message_id.clone()),
        })
        .collect();
    let chosen: Vec<&Batch> = batches
        .iter()
        .zip(&written)
        .filter(|(_, w)| **w)
        .map(|(b, _)| b)
        .collect();

    write_processed(conn, &chosen).await?;
    write_requests(conn, &chosen).await?;
    write_mail(conn, &chosen).await?;
    write_edits(conn, &chosen).await?;
    write_audit(conn, &chosen).await?;
    write_meta(conn, &chosen).await?;
    write_excerpt(conn, &chosen).await?;
    Ok(written)
}

pub(super) async fn already_processed(
    conn: &mut AnyConnection,
    ids: &[&str],
) -> Result<HashSet<String>, StoreError> {
    let mut handled = HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut query = Numbered::new(
            conn,
            "SELECT message_id FROM processed_messages WHERE message_id IN (",
        );
        query.list(chunk);
        query.push(")");
        let (sql, args) = query.finish()?;
        let found: Vec<String> = sqlx::query_scalar_with(&sql, args)
            .fetch_all(&mut *conn)
            .await?;
        handled.extend(found);
    }
    Ok(handled)
}

/// A statement built piece by piece, with the placeholders its engine reads
/// fastest: `$1, $2, ...` for PostgreSQL (sqlx's QueryBuilder writes `?` for
/// the Any driver, which PostgreSQL rejects), plain `?` for SQLite, where
/// looking up each of a thousand named `$N` parameters by number walks the
/// whole list (a catch-up took five times as long).
struct Numbered<'a> {
    sql: String,
    args: AnyArguments<'a>,
    /// Plain `?` placeholders (SQLite).
    anonymous: bool,
    /// The first value that could not be bound, reported by `finish`.
    error: Option<String>,
}

impl<'a> Numbered<'a> {
    fn new(conn: &AnyConnection, head: &str) -> Self {
        Numbered {
            sql: head.to_string(),
            args: AnyArguments::default(),
            anonymous: conn.backend_name().eq_ignore_ascii_case("sqlite"),
            error: None,
        }
    }

    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + Encode<'a, Any> + Type<Any>,
    {
        match self.args.add(value) {
            Ok(()) if self.anonymous => self.sql.push('?'),
            Ok(()) => {
                let n = self.args.len();
                self.sql.push('$');
                self.sql.push_str(&n.to_string());
            }
            Err(e) => {
                self.error.get_or_insert_with(|| e.to_string());
            }
        }
        self
    }

    /// `$1, $2, ...` for each value, comma-separated.
    fn list(&mut self, values: &[&'a str]) {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.push_bind(*value);
        }
    }

    fn finish(self) -> Result<(String, AnyArguments<'a>), StoreError> {
        match self.error {
            Some(e) => Err(StoreError::Corrupt(format!("cannot bind a value: {e}"))),
            None => Ok((self.sql, self.args)),
        }
    }
}

/// One row's values in a multi-row INSERT, comma-separated.
struct RowValues<'s, 'a> {
    query: &'s mut Numbered<'a>,
    first: bool,
}

impl<'a> RowValues<'_, 'a> {
    fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + Encode<'a, Any> + Type<Any>,
    {
        if !self.first {
            self.query.push(", ");
        }
        self.first = false;
        self.query.push_bind(value);
        self
    }
}

/// Runs `head VALUES (...), (...) tail` over the rows, a chunk at a time.
async fn insert_rows<'a, T, F>(
    conn: &mut AnyConnection,
    head: &'static str,
    tail: &'static str,
    rows: &'a [T],
    mut push: F,
) -> Result<(), StoreError>
where
    F: FnMut(RowValues<'_, 'a>, &'a T),
{
    let mut rows = rows.iter().peekable();
    while rows.peek().is_some() {
        let mut query = Numbered::new(conn, head);
        query.push("VALUES ");
        // As many rows as fit, the widest row so far taken as the next's
        // width (a table's rows all bind the same number of values).
        let mut widest = 0;
        let mut first = true;
        while let Some(row) = rows.next_if(|_| query.args.len() + widest <= VALUES_PER_INSERT) {
            let before = query.args.len();
            query.push(if first { "(" } else { ", (" });
            first = false;
            push(
                RowValues {
                    query: &mut query,
                    first: true,
                },
                row,
            );
            query.push(")");
            widest = widest.max(query.args.len() - before);
        }
        query.push(tail);
        let (sql, args) = query.finish()?;
        sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Deletes a table's rows that belong to the given requests.
async fn delete_for_requests(
    conn: &mut AnyConnection,
    table: &'static str,
    ids: &[&str],
) -> Result<(), StoreError> {
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut query = Numbered::new(conn, "DELETE FROM ");
        query.push(table).push(" WHERE request_id IN (");
        query.list(chunk);
        query.push(")");
        let (sql, args) = query.finish()?;
        sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    }
    Ok(())
}

struct ProcessedRow<'a> {
    message: &'a ProcessedMessage,
    handled_at: String,
}

async fn write_processed(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    let rows: Vec<ProcessedRow> = batches
        .iter()
        .filter_map(|b| b.message.as_ref())
        .map(|message| ProcessedRow {
            message,
            handled_at: instant_text(message.handled_at),
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO processed_messages (message_id, from_addr, kind, reading, handled_at) ",
        "",
        &rows,
        |mut b, r| {
            b.push_bind(r.message.message_id.as_str())
                .push_bind(r.message.from.as_str())
                .push_bind(r.message.kind.as_str())
                .push_bind(r.message.reading_json.as_str())
                .push_bind(r.handled_at.as_str());
        },
    )
    .await
}

struct RequestRow<'a> {
    request: &'a Request,
    requested_at: String,
    second_call_at: Option<String>,
    second_call_sent_at: Option<String>,
    escalated_at: Option<String>,
    closed_at: Option<String>,
    suggested_for: String,
}

struct ShiftRow<'a> {
    request_id: &'a str,
    idx: i64,
    start: String,
    end: String,
    covered_by: Option<&'a str>,
    covered_at: Option<String>,
}

struct OfferRow<'a> {
    request_id: &'a str,
    idx: i64,
    from: &'a str,
    spans: String,
    at: String,
    message_id: &'a str,
}

struct EventRow<'a> {
    request_id: &'a str,
    idx: i64,
    event: &'a crate::engine::CoverEvent,
    start: String,
    end: String,
    answered_at: Option<String>,
}

struct ThreadRow<'a> {
    request_id: &'a str,
    idx: i64,
    message_id: &'a str,
}

async fn write_requests(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    // The last version of each request, in order of first appearance.
    let mut latest: Vec<&Request> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for request in batches.iter().flat_map(|b| &b.requests) {
        match position.get(request.id.as_str()) {
            Some(&i) => latest[i] = request,
            None => {
                position.insert(&request.id, latest.len());
                latest.push(request);
            }
        }
    }
    if latest.is_empty() {
        return Ok(());
    }

    let mut rows = Vec::with_capacity(latest.len());
    let (mut shifts, mut offers, mut thread) = (Vec::new(), Vec::new(), Vec::new());
    let mut events = Vec::new();
    for request in &latest {
        rows.push(RequestRow {
            request,
            requested_at: instant_text(request.requested_at),
            second_call_at: opt_instant_text(request.second_call_at),
            second_call_sent_at: opt_instant_text(request.second_call_sent_at),
            escalated_at: opt_instant_text(request.escalated_at),
            closed_at: opt_instant_text(request.closed_at),
            suggested_for: to_json(&request.suggested_for)?,
        });
        let id = request.id.as_str();
        for (idx, shift) in (0i64..).zip(&request.shifts) {
            shifts.push(ShiftRow {
                request_id: id,
                idx,
                start: instant_text(shift.span.start),
                end: instant_text(shift.span.end),
                covered_by: shift.covered_by.as_deref(),
                covered_at: opt_instant_text(shift.covered_at),
            });
        }
        for (idx, offer) in (0i64..).zip(&request.offers) {
            offers.push(OfferRow {
                request_id: id,
                idx,
                from: &offer.from,
                spans: to_json(&offer.spans)?,
                at: instant_text(offer.at),
                message_id: &offer.message_id,
            });
        }
        for (idx, message_id) in (0i64..).zip(&request.thread) {
            thread.push(ThreadRow {
                request_id: id,
                idx,
                message_id,
            });
        }
        for (idx, event) in (0i64..).zip(&request.cover_events) {
            events.push(EventRow {
                request_id: id,
                idx,
                event,
                start: instant_text(event.span.start),
                end: instant_text(event.span.end),
                answered_at: opt_instant_text(event.answered_at),
            });
        }
    }

    insert_rows(
        conn,
        "INSERT INTO requests (id, kind, requester, owner, subject, requested_at, state, \
         second_call_at, second_call_sent_at, own_second_call, escalated_at, closed_at, \
         suggested_for) ",
        " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, requester = excluded.requester, \
         owner = excluded.owner, subject = excluded.subject, \
         requested_at = excluded.requested_at, state = excluded.state, \
         second_call_at = excluded.second_call_at, \
         second_call_sent_at = excluded.second_call_sent_at, \
         own_second_call = excluded.own_second_call, escalated_at = excluded.escalated_at, \
         closed_at = excluded.closed_at, suggested_for = excluded.suggested_for",
        &rows,
        |mut b, r| {
            b.push_bind(r.request.id.as_str())
                .push_bind(r.request.kind.as_str())
                .push_bind(r.request.requester.as_str())
                .push_bind(r.request.owner.as_str())
                .push_bind(r.request.subject.as_str())
                .push_bind(r.requested_at.as_str())
                .push_bind(r.request.state.as_str())
                .push_bind(r.second_call_at.as_deref())
                .push_bind(r.second_call_sent_at.as_deref())
                .push_bind(i64::from(r.request.own_second_call))
                .push_bind(r.escalated_at.as_deref())
                .push_bind(r.closed_at.as_deref())
                .push_bind(r.suggested_for.as_str());
        },
    )
    .await?;

    // The new version replaces the old shifts, offers and thread whole.
    let ids: Vec<&str> = latest.iter().map(|r| r.id.as_str()).collect();
    for table in ["request_shifts", "offers", "request_thread", "cover_events"] {
        delete_for_requests(conn, table, &ids).await?;
    }
    insert_rows(
        conn,
        "INSERT INTO request_shifts (request_id, idx, start_at, end_at, covered_by, covered_at) ",
        "",
        &shifts,
        |mut b, s| {
            b.push_bind(s.request_id)
                .push_bind(s.idx)
                .push_bind(s.start.as_str())
                .push_bind(s.end.as_str())
                .push_bind(s.covered_by)
                .push_bind(s.covered_at.as_deref());
        },
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO offers (request_id, idx, from_addr, spans, offered_at, message_id) ",
        "",
        &offers,
        |mut b, o| {
            b.push_bind(o.request_id)
                .push_bind(o.idx)
                .push_bind(o.from)
                .push_bind(o.spans.as_str())
                .push_bind(o.at.as_str())
                .push_bind(o.message_id);
        },
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO request_thread (request_id, idx, message_id) ",
        "",
        &thread,
        |mut b, t| {
            b.push_bind(t.request_id)
                .push_bind(t.idx)
                .push_bind(t.message_id);
        },
    )
    .await?;
    insert_rows(
        conn,
        "INSERT INTO cover_events (uid, request_id, idx, coverer, start_at, end_at, sequence, \
         live, answer, answered_at) ",
        "",
        &events,
        |mut b, e| {
            b.push_bind(e.event.uid.as_str())
                .push_bind(e.request_id)
                .push_bind(e.idx)
                .push_bind(e.event.coverer.as_str())
                .push_bind(e.start.as_str())
                .push_bind(e.end.as_str())
                .push_bind(i64::from(e.event.sequence))
                .push_bind(i64::from(e.event.live))
                .push_bind(e.event.answer.map(|a| a.as_str()))
                .push_bind(e.answered_at.as_deref());
        },
    )
    .await
}

struct MailRow<'a> {
    mail: &'a OutgoingMail,
    to: String,
    date: String,
    created_at: String,
}

async fn write_mail(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    let mut rows = Vec::new();
    for batch in batches {
        let time = batch.time();
        for mail in &batch.mail {
            rows.push(MailRow {
                mail,
                to: to_json(&mail.to)?,
                date: instant_text(mail.date),
                created_at: instant_text(time.unwrap_or(mail.date)),
            });
        }
    }
    // A key already recorded keeps its first version and is never resent.
    insert_rows(
        conn,
        "INSERT INTO outbox (key, kind, to_addrs, from_addr, message_id, date, request_id, raw, \
         created_at) ",
        " ON CONFLICT (key) DO NOTHING",
        &rows,
        |mut b, r| {
            b.push_bind(r.mail.key.as_str())
                .push_bind(r.mail.kind.as_str())
                .push_bind(r.to.as_str())
                .push_bind(r.mail.from.as_str())
                .push_bind(r.mail.message_id.as_str())
                .push_bind(r.date.as_str())
                .push_bind(r.mail.request_id.as_deref())
                .push_bind(r.mail.raw.as_slice())
                .push_bind(r.created_at.as_str());
        },
    )
    .await
}

struct EditRow<'a> {
    key: &'a str,
    op: String,
    created_at: String,
}

/// When a batch carries no time at all (the engine always audits its
/// decisions, so this should not happen), the edit's own shift start stands in.
fn edit_time(batch_time: Option<Instant>, op: &EditOp) -> Instant {
    batch_time.unwrap_or(op.edit().span.start)
}

async fn write_edits(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    let mut rows = Vec::new();
    for batch in batches {
        let time = batch.time();
        for (key, op) in &batch.edits {
            rows.push(EditRow {
                key,
                op: to_json(op)?,
                created_at: instant_text(edit_time(time, op)),
            });
        }
    }
    insert_rows(
        conn,
        "INSERT INTO calendar_edits (key, op, created_at) ",
        " ON CONFLICT (key) DO NOTHING",
        &rows,
        |mut b, r| {
            b.push_bind(r.key)
                .push_bind(r.op.as_str())
                .push_bind(r.created_at.as_str());
        },
    )
    .await
}

struct AuditRow<'a> {
    audit: &'a Audit,
    at: String,
}

async fn write_audit(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    let rows: Vec<AuditRow> = batches
        .iter()
        .flat_map(|b| &b.audit)
        .map(|audit| AuditRow {
            audit,
            at: instant_text(audit.at),
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO audit (at, request_id, message_id, decision, reason) ",
        "",
        &rows,
        |mut b, r| {
            b.push_bind(r.at.as_str())
                .push_bind(r.audit.request_id.as_deref())
                .push_bind(r.audit.message_id.as_deref())
                .push_bind(r.audit.decision.as_str())
                .push_bind(r.audit.reason.as_str());
        },
    )
    .await
}

async fn write_meta(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    // The last value of each key, as writing the batches in turn would leave.
    let mut latest: Vec<(&str, &str)> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (key, value) in batches.iter().flat_map(|b| &b.meta) {
        match position.get(key.as_str()) {
            Some(&i) => latest[i].1 = value,
            None => {
                position.insert(key, latest.len());
                latest.push((key, value));
            }
        }
    }
    insert_rows(
        conn,
        "INSERT INTO meta (key, value) ",
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &latest,
        |mut b, (key, value)| {
            b.push_bind(*key).push_bind(*value);
        },
    )
    .await
}

async fn write_excerpt(conn: &mut AnyConnection, batches: &[&Batch]) -> Result<(), StoreError> {
    // The last change of each day, as writing the batches in turn would
    // leave: a day replaced is deleted and written again, a day forgotten
    // only deleted.
    let mut latest: Vec<(String, Option<String>)> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for (day, occurrences) in batches.iter().flat_map(|b| &b.excerpt) {
        let day = day.format("%Y-%m-%d").to_string();
        let value = occurrences.as_ref().map(to_json).transpose()?;
        match position.get(&day) {
            Some(&i) => latest[i].1 = value,
            None => {
                position.insert(day.clone(), latest.len());
                latest.push((day, value));
            }
        }
    }
    if latest.is_empty() {
        return Ok(());
    }
    let days: Vec<&str> = latest.iter().map(|(d, _)| d.as_str()).collect();
    for chunk in days.chunks(IDS_PER_QUERY) {
        let mut query = Numbered::new(conn, "DELETE FROM schedule_excerpt WHERE day IN (");
        query.list(chunk);
        query.push(")");
        let (sql, args) = query.finish()?;
        sqlx::query_with(&sql, args).execute(&mut *conn).await?;
    }
    let rows: Vec<(&str, &str)> = latest
        .iter()
        .filter_map(|(d, v)| v.as_deref().map(|v| (d.as_str(), v)))
        .collect();
    insert_rows(
        conn,
        "INSERT INTO schedule_excerpt (day, occurrences) ",
        "",
        &rows,
        |mut b, (day, occurrences)| {
            b.push_bind(*day).push_bind(*occurrences);
        },
    )
    .await
}
