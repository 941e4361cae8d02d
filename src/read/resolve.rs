//! From dates and times in a text to shift spans, using the schedule.
//! OWNER: dates helper.

use chrono::NaiveDate;

use crate::config::Config;
use crate::model::Span;
use crate::schedule::Schedule;

/// How strictly to read spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Requests, sick notices, second calls, covered: explicit times win;
    /// a day without times resolves to `person`'s scheduled shifts that day.
    Shifts,
    /// Offers: only spans stated with clock times and a day ("I can do 3:30-5
    /// on Mon 12/7"); nothing from the schedule.
    ExplicitOnly,
}

/// What a text says about shifts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// Sorted by start, no duplicates.
    pub spans: Vec<Span>,
    /// True when the text names any date or day at all (even one that
    /// resolved to no shift); the subject is read only when the body names none.
    pub names_date: bool,
    pub diagnostics: Vec<String>,
}

/// Finds the shifts a text is about. `today` is the message's local date (its
/// Date header in the configured zone); `person` is whose schedule a day
/// without times resolves to.
pub fn find_shifts(
    _text: &str,
    _today: NaiveDate,
    _person: Option<&str>,
    _schedule: &Schedule,
    _config: &Config,
    _mode: Mode,
) -> Found {
    todo!()
}
