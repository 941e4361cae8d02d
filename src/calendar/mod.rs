//! The shift calendar: pure edits ([`edit`]) and the backends that read and
//! write it ([`ics_file`], [`caldav`], [`graph`]).

pub mod caldav;
pub mod edit;
pub mod graph;
pub mod ics_file;

use serde::{Deserialize, Serialize};

use crate::model::{Instant, Span};

/// A confirmed coverage, as the calendar must show it: the owner's occurrence
/// released for `span` and an event labelled `label` (e.g. "Angie for
/// Courtney") with the coverer as ATTENDEE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverEdit {
    /// Stable key of this coverage; also the cover event's UID (with
    /// `@domain`), so that applying an edit twice finds its own earlier work.
    pub uid: String,
    pub owner_email: String,
    pub owner_name: String,
    pub coverer_email: String,
    pub coverer_name: String,
    pub span: Span,
    pub label: String,
    /// The organizer written on the cover event (the program's sender).
    pub organizer_email: String,
    pub organizer_name: String,
}

/// One change to the calendar, recorded in the store before it is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditOp {
    /// Release the owner's occurrence and add the cover event.
    Cover(CoverEdit),
    /// Undo a cover: remove the cover event and give the occurrence back.
    Uncover(CoverEdit),
}

impl EditOp {
    pub fn edit(&self) -> &CoverEdit {
        match self {
            EditOp::Cover(e) | EditOp::Uncover(e) => e,
        }
    }
}

/// A calendar backend failed. `transient` errors (a server down, a timeout,
/// a conflict that outlived its retries) are tried again later; others need a
/// person (a file that does not parse, a 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CalendarError {
    pub message: String,
    pub transient: bool,
}

impl CalendarError {
    pub fn transient(message: impl Into<String>) -> Self {
        CalendarError {
            message: message.into(),
            transient: true,
        }
    }
    pub fn permanent(message: impl Into<String>) -> Self {
        CalendarError {
            message: message.into(),
            transient: false,
        }
    }
}

/// The CalDAV sign-in the config asks for, its secret read from its file.
pub fn caldav_auth(
    username: &Option<String>,
    password_file: &Option<std::path::PathBuf>,
    auth: &crate::config::CaldavAuth,
) -> Result<caldav::HttpAuth, CalendarError> {
    caldav_auth_with(
        username,
        password_file,
        auth,
        &crate::auth::Sources::default(),
    )
}

/// [`caldav_auth`] with its token source taken from `sources` (so `check`
/// uses the token it already obtained).
pub fn caldav_auth_with(
    username: &Option<String>,
    password_file: &Option<std::path::PathBuf>,
    auth: &crate::config::CaldavAuth,
    sources: &crate::auth::Sources,
) -> Result<caldav::HttpAuth, CalendarError> {
    let password = match password_file {
        Some(p) => Some(
            crate::auth::read_secret("calendar password", p)
                .map_err(|e| CalendarError::permanent(format!("calendar.password_file: {e}")))?
                .expose()
                .to_string(),
        ),
        None => None,
    };
    Ok(match auth {
        crate::config::CaldavAuth::Basic => caldav::HttpAuth::basic(username.clone(), password),
        crate::config::CaldavAuth::Digest => caldav::HttpAuth::digest(
            username.clone().unwrap_or_default(),
            password.unwrap_or_default(),
        ),
        crate::config::CaldavAuth::Bearer(oauth2) => caldav::HttpAuth::Bearer(sources.get(oauth2)),
    })
}

/// The configured calendar backend.
pub enum Calendar {
    Ics(ics_file::IcsFile),
    Caldav(Box<caldav::CaldavCalendar>),
    Graph(Box<graph::GraphCalendar>),
}

impl Calendar {
    /// Opens the backend the config names.
    pub async fn open(config: &crate::config::Config) -> Result<Calendar, CalendarError> {
        match &config.calendar {
            crate::config::CalendarBackend::Ics { path } => {
                Ok(Calendar::Ics(ics_file::IcsFile::new(path.clone())))
            }
            crate::config::CalendarBackend::Caldav {
                url,
                username,
                password_file,
                auth,
                name,
            } => {
                let cal = caldav::CaldavCalendar::connect_named(
                    url,
                    name.as_deref(),
                    caldav_auth(username, password_file, auth)?,
                )
                .await?;
                Ok(Calendar::Caldav(Box::new(cal)))
            }
            crate::config::CalendarBackend::Graph {
                mailbox,
                calendar,
                graph_url,
                ..
            } => {
                let bearer = graph_bearer(&config.calendar)?;
                let cal = graph::GraphCalendar::connect(
                    graph_url,
                    mailbox,
                    calendar,
                    bearer,
                    config.timezone,
                )
                .await?;
                Ok(Calendar::Graph(Box::new(cal)))
            }
        }
    }

    /// Looks at the calendar again, cheaply, for changes made by people (the
    /// coordinator moving a shift) and for coverers who declined: the new
    /// schedule when the calendar changed since it was last read, else
    /// None. The ICS file is judged by its modification time, size and
    /// content hash; CalDAV by getctag, sync-token or its ETags; Graph by a
    /// `calendarView/delta` round (which alone also sees declines). The
    /// schedule is read as [`Calendar::schedule_around`] reads it.
    pub async fn refresh(
        &self,
        config: &crate::config::Config,
        around: Option<Instant>,
    ) -> Result<(Option<crate::schedule::Schedule>, Vec<graph::Declined>), CalendarError> {
        let changed = match self {
            Calendar::Graph(g) => {
                let (schedule, declined, changed) =
                    g.refresh_changes(&config.roster, config.timezone).await?;
                return Ok((changed.then_some(schedule), declined));
            }
            Calendar::Ics(f) => f.changed(),
            Calendar::Caldav(c) => c.changed().await?,
        };
        if !changed {
            return Ok((None, Vec::new()));
        }
        Ok((
            Some(self.schedule_around(config, around).await?),
            Vec::new(),
        ))
    }

    /// Reads the whole schedule (for `parse`, `simulate`, `status`, whose
    /// messages may be about any date).
    pub async fn schedule(
        &self,
        config: &crate::config::Config,
    ) -> Result<crate::schedule::Schedule, CalendarError> {
        self.schedule_around(config, None).await
    }

    /// Reads the schedule the daemon needs at `around`: on CalDAV only the
    /// objects with an occurrence in [`schedule_window`] (a time-range
    /// REPORT; recurring series come whole however early they began), the
    /// whole calendar when `around` is None. The ICS file is read whole;
    /// Graph keeps its own window.
    pub async fn schedule_around(
        &self,
        config: &crate::config::Config,
        around: Option<Instant>,
    ) -> Result<crate::schedule::Schedule, CalendarError> {
        let (roster, zone) = (&config.roster, config.timezone);
        let schedule = match (self, around) {
            (Calendar::Ics(f), _) => f.schedule(roster, zone),
            (Calendar::Caldav(c), Some(now)) => {
                c.schedule_in(schedule_window(now), roster, zone).await
            }
            (Calendar::Caldav(c), None) => c.schedule(roster, zone).await,
            (Calendar::Graph(g), _) => g.schedule(roster, zone).await,
        }?;
        // An event the schedule cannot expand is left out, not guessed at;
        // the log says which and why, so whoever keeps the calendar can fix it.
        for skipped in schedule.skipped() {
            tracing::warn!("calendar: {skipped}");
        }
        Ok(schedule)
    }

    /// Applies one edit; `Ok(false)` when it was already there.
    pub async fn apply(
        &self,
        op: &EditOp,
        config: &crate::config::Config,
        now: crate::model::Instant,
    ) -> Result<bool, CalendarError> {
        match self {
            Calendar::Ics(f) => f.apply(op, &config.roster, config.timezone, now),
            Calendar::Caldav(c) => c.apply(op, &config.roster, config.timezone, now).await,
            Calendar::Graph(g) => g.apply(op, &config.roster, config.timezone, now).await,
        }
    }
}

/// How far back the daemon's schedule reaches: a message read after
/// downtime may be about a shift weeks ago.
pub const LOOK_BACK: chrono::TimeDelta = chrono::TimeDelta::days(62);
/// How far ahead it reaches: requests are made weeks, rarely months, ahead.
pub const LOOK_AHEAD: chrono::TimeDelta = chrono::TimeDelta::days(400);

/// The span of the schedule the daemon keeps at `now`.
pub fn schedule_window(now: Instant) -> Span {
    Span::new(now - LOOK_BACK, now + LOOK_AHEAD)
}

/// The token source of the Graph calendar: the OAuth2 credential, or a token
/// kept fresh by another program in `bearer_token_file`.
pub fn graph_bearer(
    backend: &crate::config::CalendarBackend,
) -> Result<std::sync::Arc<dyn crate::auth::BearerSource>, CalendarError> {
    match backend {
        crate::config::CalendarBackend::Graph {
            oauth2: Some(o), ..
        } => Ok(crate::auth::Sources::default().get(o)),
        crate::config::CalendarBackend::Graph {
            bearer_token_file: Some(path),
            ..
        } => Ok(std::sync::Arc::new(graph::FileBearer(path.clone()))),
        _ => Err(CalendarError::permanent(
            "the Graph calendar has no sign-in: write calendar.auth = \"oauth2\" or bearer_token_file",
        )),
    }
}
