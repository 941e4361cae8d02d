//! How domain values are written to and read back from columns (the same
//! on SQLite and PostgreSQL).
//! Instants are RFC 3339 UTC text with nanoseconds: fixed width, so they sort
//! and compare as text, and lossless, so a request reads back equal.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::StoreError;
use crate::engine::{RequestKind, RequestState};
use crate::model::Instant;

pub(super) fn instant_text(t: Instant) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub(super) fn opt_instant_text(t: Option<Instant>) -> Option<String> {
    t.map(instant_text)
}

fn parse_instant(column: &str, text: &str) -> Result<Instant, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("{column} {text:?} is not a time: {e}")))
}

pub(super) fn text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(column)?)
}

pub(super) fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(column)?)
}

pub(super) fn instant(row: &AnyRow, column: &str) -> Result<Instant, StoreError> {
    parse_instant(column, &text(row, column)?)
}

pub(super) fn opt_instant(row: &AnyRow, column: &str) -> Result<Option<Instant>, StoreError> {
    opt_text(row, column)?
        .map(|t| parse_instant(column, &t))
        .transpose()
}

pub(super) fn count(row: &AnyRow, column: &str) -> Result<u32, StoreError> {
    let n: i64 = row.try_get(column)?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{column} {n} is out of range")))
}

pub(super) fn json<T: DeserializeOwned>(row: &AnyRow, column: &str) -> Result<T, StoreError> {
    let t = text(row, column)?;
    serde_json::from_str(&t)
        .map_err(|e| StoreError::Corrupt(format!("{column} holds unreadable JSON: {e}")))
}

pub(super) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot write JSON: {e}")))
}

pub(super) fn request_kind(text: &str) -> Result<RequestKind, StoreError> {
    match text {
        "coverage" => Ok(RequestKind::Coverage),
        "sick" => Ok(RequestKind::Sick),
        _ => Err(StoreError::Corrupt(format!(
            "unknown request kind {text:?}"
        ))),
    }
}

pub(super) fn request_state(text: &str) -> Result<RequestState, StoreError> {
    match text {
        "open" => Ok(RequestState::Open),
        "covered" => Ok(RequestState::Covered),
        "withdrawn" => Ok(RequestState::Withdrawn),
        _ => Err(StoreError::Corrupt(format!(
            "unknown request state {text:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn instants_sort_as_text_and_read_back_equal() {
        let whole = Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap();
        let later = whole + chrono::TimeDelta::nanoseconds(1_500);
        let (a, b) = (instant_text(whole), instant_text(later));
        assert!(a < b, "{a} should sort before {b}");
        assert_eq!(parse_instant("t", &b).unwrap(), later);
    }
}
