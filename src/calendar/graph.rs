//! The Microsoft Graph backend: the shift calendar in an Exchange Online
//! mailbox (a resource or shared mailbox's calendar, "LIB: Ask Chat").
//!
//! Exchange Online has no CalDAV, so the calendar is read and edited through
//! Graph v1.0 with an app-only token (`Arc<dyn BearerSource>`), behind the
//! same interface as the ICS file and CalDAV ([`GraphCalendar::schedule`],
//! [`GraphCalendar::apply`]).
//!
//! Reading: Exchange expands the series itself. The schedule is the
//! `calendarView` of a window (singles, occurrences and exceptions, each with
//! an id of its own), kept fresh with `calendarView/delta` so an edit the
//! coordinator makes in Outlook is seen at the next refresh. Each item
//! becomes one plain VEVENT, so ownership (attendee, else subject) is decided
//! by the same [`crate::schedule`] code as on the other backends.
//!
//! Editing, as a person does it in Outlook: the owner's one occurrence is
//! deleted (never the series), and an event "Angie for Courtney" is created
//! with the coverer as attendee, so Exchange sends the invitation. Every write
//! carries `If-Match` with the item's `@odata.etag`; a 412 reads the item again
//! and applies the edit again. Events this program creates carry a
//! single-value extended property holding the edit's key (and a
//! `transactionId`), so an edit retried after a crash finds its own earlier
//! work instead of creating a second event. 429 and 503 wait for
//! `Retry-After`; pages are followed through `@odata.nextLink`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use futures::future::BoxFuture;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::{CalendarError, CoverEdit, EditOp};
use crate::auth::{AuthError, BearerSource};
use crate::config::Roster;
use crate::ical::{Component, Property, escape_text};
use crate::model::{Instant, Span};
use crate::schedule::{Schedule, is_owners_shift};

/// The single-value extended property on every event this program creates;
/// its value is the edit's key (`cover-...@domain`, `rest:...`, `restore:...`).
pub const MARKER: &str = "String {66f5a359-4659-4830-9070-00040ec6ac6e} Name ShiftcoverEdit";

const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Tries of one request while Graph answers 429/503/504.
const BUSY_ATTEMPTS: usize = 6;
/// The longest Retry-After honoured in one wait; a longer one becomes a
/// transient error, and the edit is retried on the service's own schedule.
const LONGEST_WAIT: Duration = Duration::from_secs(120);
/// Tries of one write while someone else keeps changing the item (412).
const WRITE_ATTEMPTS: usize = 5;
/// Items per page asked for (Graph may send fewer).
const PAGE_SIZE: u32 = 100;

/// A test seam: runs with an item's id after it was read and before it is
/// written, so a test can play the coordinator editing it in Outlook.
pub type BeforeWrite = Arc<dyn Fn(String) -> BoxFuture<'static, ()> + Send + Sync>;

/// A bearer token kept fresh in a file by another program (or a test):
/// read again at each use, so a renewed token is picked up.
pub struct FileBearer(pub PathBuf);

impl BearerSource for FileBearer {
    fn bearer(&self) -> BoxFuture<'_, Result<String, AuthError>> {
        Box::pin(async move {
            let text = tokio::fs::read_to_string(&self.0).await.map_err(|e| {
                AuthError::Permanent(format!("cannot read {}: {e}", self.0.display()))
            })?;
            let token = text.trim().to_string();
            if token.is_empty() {
                return Err(AuthError::Permanent(format!(
                    "{} is empty",
                    self.0.display()
                )));
            }
            Ok(token)
        })
    }

    fn rejected(&self) {}
}

/// A coverer's "Decline" seen on a cover event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined {
    pub coverer: String,
    pub span: Span,
    /// The cover event's subject, for the log.
    pub subject: String,
}

/// What the last delta round left: the window, the link of the next round
/// and every item of the view by id.
#[derive(Default)]
struct View {
    window: Option<Span>,
    delta_link: Option<String>,
    items: BTreeMap<String, Value>,
}

/// An answer read whole.
struct Answer {
    status: StatusCode,
    body: Value,
}

/// One calendar in one mailbox, found and signed in to.
pub struct GraphCalendar {
    http: reqwest::Client,
    base: String,
    mailbox: String,
    calendar_id: String,
    calendar_name: String,
    bearer: Arc<dyn BearerSource>,
    zone: Tz,
    view: tokio::sync::Mutex<View>,
    before_write: Option<BeforeWrite>,
}

impl std::fmt::Debug for GraphCalendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphCalendar")
            .field("mailbox", &self.mailbox)
            .field("calendar", &self.calendar_name)
            .finish_non_exhaustive()
    }
}

/// Graph's own words for a refusal: `{"error":{"code","message"}}`.
fn graph_error(body: &Value) -> (String, String) {
    let e = &body["error"];
    (
        e["code"].as_str().unwrap_or("").to_string(),
        e["message"].as_str().unwrap_or("").to_string(),
    )
}

fn quote_odata(s: &str) -> String {
    s.replace('\'', "''")
}

fn pct(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn iso(t: Instant) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A `dateTimeTimeZone` as Graph writes it, read back as an instant. The
/// zone is the one asked for with `Prefer: outlook.timezone` (or UTC).
pub fn parse_graph_time(v: &Value, fallback: Tz) -> Option<Instant> {
    let text = v["dateTime"].as_str()?;
    let base = text.split('.').next()?;
    let naive = NaiveDateTime::parse_from_str(base, "%Y-%m-%dT%H:%M:%S").ok()?;
    let tz: Tz = match v["timeZone"].as_str() {
        Some("UTC") | Some("tzone://Microsoft/Utc") | None => chrono_tz::UTC,
        Some(name) => name.parse().unwrap_or(fallback),
    };
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn graph_time(t: Instant) -> Value {
    json!({"dateTime": t.format("%Y-%m-%dT%H:%M:%S").to_string(), "timeZone": "UTC"})
}

/// The span of a calendarView item.
fn span_of(item: &Value, zone: Tz) -> Option<Span> {
    let start = parse_graph_time(&item["start"], zone)?;
    let end = parse_graph_time(&item["end"], zone)?;
    Some(Span::new(start, end))
}

/// One calendarView item as a plain VEVENT (declined attendees left out:
/// someone who said no works nothing).
fn vevent(item: &Value, zone: Tz) -> Option<Component> {
    let span = span_of(item, zone)?;
    let mut ev = Component::new("VEVENT");
    let p = &mut ev.properties;
    p.push(Property::new("UID", item["id"].as_str()?.to_string()));
    p.push(Property::new(
        "DTSTART",
        span.start.format("%Y%m%dT%H%M%SZ").to_string(),
    ));
    p.push(Property::new(
        "DTEND",
        span.end.format("%Y%m%dT%H%M%SZ").to_string(),
    ));
    p.push(Property::new(
        "SUMMARY",
        escape_text(item["subject"].as_str().unwrap_or("")),
    ));
    if let Some(org) = item["organizer"]["emailAddress"]["address"].as_str() {
        p.push(Property::new("ORGANIZER", format!("mailto:{org}")));
    }
    for a in item["attendees"].as_array().into_iter().flatten() {
        let Some(addr) = a["emailAddress"]["address"].as_str() else {
            continue;
        };
        if a["status"]["response"].as_str() == Some("declined") {
            continue;
        }
        p.push(Property::new("ATTENDEE", format!("mailto:{addr}")));
    }
    Some(ev)
}

fn is_instance(item: &Value) -> bool {
    item["type"].as_str() != Some("seriesMaster") && item["isCancelled"].as_bool() != Some(true)
}

impl GraphCalendar {
    /// Signs in and finds the calendar of `mailbox` whose name (or id) is
    /// `calendar`. `graph_url` is `https://graph.microsoft.com/v1.0` or a
    /// stand-in's.
    pub async fn connect(
        graph_url: &str,
        mailbox: &str,
        calendar: &str,
        bearer: Arc<dyn BearerSource>,
        zone: Tz,
    ) -> Result<GraphCalendar, CalendarError> {
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("shiftcover/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CalendarError::permanent(format!("cannot set up HTTP: {e}")))?;
        let mut cal = GraphCalendar {
            http,
            base: graph_url.trim_end_matches('/').to_string(),
            mailbox: mailbox.trim().to_string(),
            calendar_id: String::new(),
            calendar_name: calendar.to_string(),
            bearer,
            zone,
            view: tokio::sync::Mutex::new(View::default()),
            before_write: None,
        };
        let url = format!("{}/users/{}/calendars", cal.base, pct(&cal.mailbox));
        let all = cal.get_all(&url, "finding the calendar").await?;
        let found = all.iter().find(|c| {
            c["id"].as_str() == Some(calendar)
                || c["name"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(calendar.trim()))
        });
        let Some(found) = found else {
            let names: Vec<&str> = all.iter().filter_map(|c| c["name"].as_str()).collect();
            return Err(CalendarError::permanent(format!(
                "the mailbox {} has no calendar named {calendar:?} (it has: {})",
                cal.mailbox,
                names.join(", ")
            )));
        };
        cal.calendar_id = found["id"].as_str().unwrap_or_default().to_string();
        cal.calendar_name = found["name"].as_str().unwrap_or(calendar).to_string();
        Ok(cal)
    }

    /// Sets the test seam that runs between reading and writing an item.
    pub fn set_before_write(&mut self, hook: Option<BeforeWrite>) {
        self.before_write = hook;
    }

    pub fn calendar_id(&self) -> &str {
        &self.calendar_id
    }

    fn cal_url(&self) -> String {
        format!(
            "{}/users/{}/calendars/{}",
            self.base,
            pct(&self.mailbox),
            pct(&self.calendar_id)
        )
    }

    fn event_url(&self, id: &str) -> String {
        format!(
            "{}/users/{}/events/{}",
            self.base,
            pct(&self.mailbox),
            pct(id)
        )
    }

    // --- HTTP ----------------------------------------------------------------

    /// One request: the bearer token, the service's zone, a fresh token once
    /// after a 401, and waits for Retry-After on 429/503/504.
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
        step: &str,
    ) -> Result<Answer, CalendarError> {
        let mut renewed = false;
        let mut busy = 0;
        loop {
            let token = self.bearer.bearer().await.map_err(|e| {
                let m = format!("{step}: no token for Microsoft Graph: {e}");
                if e.is_transient() {
                    CalendarError::transient(m)
                } else {
                    CalendarError::permanent(m)
                }
            })?;
            let mut req = self
                .http
                .request(method.clone(), url)
                .bearer_auth(&token)
                .header(
                    "Prefer",
                    format!(
                        "outlook.timezone=\"{}\", odata.maxpagesize={PAGE_SIZE}",
                        self.zone.name()
                    ),
                );
            if let Some(tag) = if_match {
                req = req.header("If-Match", tag);
            }
            if let Some(b) = body {
                req = req
                    .header("Content-Type", "application/json")
                    .body(b.to_string());
            }
            let resp = req.send().await.map_err(|e| {
                let m = format!("{step}: cannot reach Microsoft Graph at {url}: {e}");
                if e.is_builder() {
                    CalendarError::permanent(m)
                } else {
                    CalendarError::transient(m)
                }
            })?;
            let status = resp.status();
            let retry_after = resp
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let text = resp.text().await.unwrap_or_default();
            let body: Value = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            };
            match status.as_u16() {
                401 if !renewed => {
                    // The token may have expired between fetch and use.
                    self.bearer.rejected();
                    renewed = true;
                    continue;
                }
                429 | 503 | 504 if busy + 1 < BUSY_ATTEMPTS => {
                    busy += 1;
                    let wait = Duration::from_secs(retry_after.unwrap_or(1 << busy.min(5)));
                    if wait > LONGEST_WAIT {
                        return Err(self.refused(step, status, &body));
                    }
                    tracing::info!(
                        status = status.as_u16(),
                        wait_s = wait.as_secs(),
                        step,
                        "Microsoft Graph is busy; waiting as Retry-After asks"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                _ => return Ok(Answer { status, body }),
            }
        }
    }

    /// A refusal in Graph's words, with what to do about the usual ones.
    fn refused(&self, step: &str, status: StatusCode, body: &Value) -> CalendarError {
        let (code, message) = graph_error(body);
        let hint = match (status.as_u16(), code.as_str()) {
            (401, _) => {
                " (the token was refused: check the app registration's tenant, client id and secret or certificate)".to_string()
            }
            (403, "ErrorAccessDenied") => format!(
                " (the app lacks the application permission Calendars.ReadWrite with admin consent, or an application access policy / RBAC management scope does not include {})",
                self.mailbox
            ),
            (404, _) => format!(" (check calendar.mailbox {:?})", self.mailbox),
            _ => String::new(),
        };
        let text = format!(
            "{step}: Microsoft Graph answered {} {}: {code}: {message}{hint}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            CalendarError::transient(text)
        } else {
            CalendarError::permanent(text)
        }
    }

    /// Every item of a collection, following `@odata.nextLink`.
    async fn get_all(&self, url: &str, step: &str) -> Result<Vec<Value>, CalendarError> {
        let mut out = Vec::new();
        let mut next = Some(url.to_string());
        while let Some(u) = next {
            let a = self.send(Method::GET, &u, None, None, step).await?;
            if !a.status.is_success() {
                return Err(self.refused(step, a.status, &a.body));
            }
            out.extend(a.body["value"].as_array().cloned().unwrap_or_default());
            next = a.body["@odata.nextLink"].as_str().map(str::to_string);
        }
        Ok(out)
    }

    /// The calendarView of a window, every page.
    pub async fn view(&self, window: Span) -> Result<Vec<Value>, CalendarError> {
        let url = format!(
            "{}/calendarView?startDateTime={}&endDateTime={}&$top={PAGE_SIZE}",
            self.cal_url(),
            iso(window.start),
            iso(window.end)
        );
        Ok(self
            .get_all(&url, "reading the calendar (calendarView)")
            .await?
            .into_iter()
            .filter(is_instance)
            .collect())
    }

    /// Events (singles and series masters) carrying our marker with `value`.
    async fn marked(&self, value: &str) -> Result<Vec<Value>, CalendarError> {
        let filter = format!(
            "singleValueExtendedProperties/Any(ep: ep/id eq '{}' and ep/value eq '{}')",
            quote_odata(MARKER),
            quote_odata(value)
        );
        let url = format!(
            "{}/events?$filter={}&$expand={}",
            self.cal_url(),
            pct(&filter),
            pct(&format!(
                "singleValueExtendedProperties($filter=id eq '{}')",
                quote_odata(MARKER)
            ))
        );
        self.get_all(&url, "looking for an event this program made")
            .await
    }

    // --- reading -------------------------------------------------------------

    /// The window the schedule covers: from the earliest event to the end of
    /// the last series (a series with no end: a year past today or past its
    /// start), at most three years.
    async fn window(&self) -> Result<Span, CalendarError> {
        let url = format!("{}/events?$top={PAGE_SIZE}", self.cal_url());
        let events = self.get_all(&url, "reading the calendar's events").await?;
        let now = crate::clock::now();
        let mut lo: Option<Instant> = None;
        let mut hi: Option<Instant> = None;
        for e in &events {
            let Some(span) = span_of(e, self.zone) else {
                continue;
            };
            lo = Some(lo.map_or(span.start, |l: Instant| l.min(span.start)));
            let mut end = span.end;
            let range = &e["recurrence"]["range"];
            match range["type"].as_str() {
                Some("endDate") => {
                    if let Some(d) = range["endDate"]
                        .as_str()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                        && let Some(t) = self
                            .zone
                            .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                            .earliest()
                    {
                        end = end.max(t.with_timezone(&chrono::Utc) + TimeDelta::days(2));
                    }
                }
                Some(_) => end = end.max(now.max(span.start) + TimeDelta::days(400)),
                None => {}
            }
            hi = Some(hi.map_or(end, |h: Instant| h.max(end)));
        }
        let (lo, hi) = match (lo, hi) {
            (Some(l), Some(h)) => (l - TimeDelta::days(1), h + TimeDelta::days(1)),
            _ => (now - TimeDelta::days(30), now + TimeDelta::days(400)),
        };
        Ok(Span::new(lo.max(hi - TimeDelta::days(3 * 366)), hi))
    }

    /// Brings the kept view up to date with one delta round; returns the
    /// items that changed (new or updated) in it, and whether the view
    /// changed at all (a first round, a new, updated or removed item).
    async fn sync(&self) -> Result<(Vec<Value>, bool), CalendarError> {
        let mut view = self.view.lock().await;
        let step = "reading the calendar's changes (calendarView/delta)";
        let (mut next, fresh) = match &view.delta_link {
            Some(link) => (link.clone(), false),
            None => {
                let window = match view.window {
                    Some(w) => w,
                    None => self.window().await?,
                };
                view.window = Some(window);
                (
                    format!(
                        "{}/calendarView/delta?startDateTime={}&endDateTime={}",
                        self.cal_url(),
                        iso(window.start),
                        iso(window.end)
                    ),
                    true,
                )
            }
        };
        let mut changed = Vec::new();
        let mut removed = false;
        let mut items = if fresh {
            BTreeMap::new()
        } else {
            view.items.clone()
        };
        loop {
            let a = self.send(Method::GET, &next, None, None, step).await?;
            if a.status.as_u16() == 410 && !fresh {
                // The sync state expired: start a full round again.
                view.delta_link = None;
                drop(view);
                return Box::pin(self.sync()).await;
            }
            if !a.status.is_success() {
                return Err(self.refused(step, a.status, &a.body));
            }
            for item in a.body["value"].as_array().into_iter().flatten() {
                let Some(id) = item["id"].as_str() else {
                    continue;
                };
                if item.get("@removed").is_some() || !is_instance(item) {
                    removed |= items.remove(id).is_some();
                } else {
                    items.insert(id.to_string(), item.clone());
                    changed.push(item.clone());
                }
            }
            if let Some(n) = a.body["@odata.nextLink"].as_str() {
                next = n.to_string();
                continue;
            }
            view.delta_link = a.body["@odata.deltaLink"].as_str().map(str::to_string);
            break;
        }
        view.items = items;
        let any = fresh || removed || !changed.is_empty();
        Ok((changed, any))
    }

    /// The schedule as the calendar holds it now (one delta round).
    pub async fn schedule(&self, roster: &Roster, zone: Tz) -> Result<Schedule, CalendarError> {
        self.sync().await?;
        Ok(self.current(roster, zone).await)
    }

    /// The schedule from the kept view, without asking Graph.
    async fn current(&self, roster: &Roster, zone: Tz) -> Schedule {
        let view = self.view.lock().await;
        let mut cal = Component::new("VCALENDAR");
        cal.properties.push(Property::new("VERSION", "2.0"));
        cal.properties
            .push(Property::new("PRODID", "-//shiftcover//Graph//EN"));
        cal.components
            .extend(view.items.values().filter_map(|i| vevent(i, self.zone)));
        Schedule::new(cal, roster, zone)
    }

    /// One delta round: the schedule now, and every cover event whose
    /// coverer has declined among the items that changed.
    pub async fn refresh(
        &self,
        roster: &Roster,
        zone: Tz,
    ) -> Result<(Schedule, Vec<Declined>), CalendarError> {
        let (schedule, declined, _) = self.refresh_changes(roster, zone).await?;
        Ok((schedule, declined))
    }

    /// [`Self::refresh`], also saying whether the delta round found any
    /// change, so the schedule is taken up only when it did.
    pub async fn refresh_changes(
        &self,
        roster: &Roster,
        zone: Tz,
    ) -> Result<(Schedule, Vec<Declined>, bool), CalendarError> {
        let (changed, any) = self.sync().await?;
        let mut declined = Vec::new();
        for item in &changed {
            let refusers: Vec<String> = item["attendees"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|a| a["status"]["response"].as_str() == Some("declined"))
                .filter_map(|a| a["emailAddress"]["address"].as_str())
                .map(|a| a.to_ascii_lowercase())
                .collect();
            if refusers.is_empty() {
                continue;
            }
            // Only a cover event this program made counts: delta carries no
            // extended properties, so the event is read once with it.
            let Some(id) = item["id"].as_str() else {
                continue;
            };
            let url = format!(
                "{}?$expand={}",
                self.event_url(id),
                pct(&format!(
                    "singleValueExtendedProperties($filter=id eq '{}')",
                    quote_odata(MARKER)
                ))
            );
            let a = self
                .send(Method::GET, &url, None, None, "reading a declined event")
                .await?;
            if !a.status.is_success() {
                continue;
            }
            let ours = a.body["singleValueExtendedProperties"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| {
                    p["value"]
                        .as_str()
                        .is_some_and(|v| !v.starts_with("rest:") && !v.starts_with("restore:"))
                });
            let Some(span) = span_of(item, self.zone) else {
                continue;
            };
            if ours {
                for coverer in refusers {
                    declined.push(Declined {
                        coverer,
                        span,
                        subject: item["subject"].as_str().unwrap_or("").to_string(),
                    });
                }
            }
        }
        Ok((self.current(roster, zone).await, declined, any))
    }

    // --- editing -------------------------------------------------------------

    /// Applies one coverage edit. Idempotent: an edit already (wholly or
    /// partly) applied is completed, never duplicated. Returns whether
    /// anything changed.
    pub async fn apply(
        &self,
        op: &EditOp,
        roster: &Roster,
        _zone: Tz,
        _now: Instant,
    ) -> Result<bool, CalendarError> {
        match op {
            EditOp::Cover(e) => self.cover(e, roster).await,
            EditOp::Uncover(e) => self.uncover(e, roster).await,
        }
    }

    async fn create(&self, body: Value, step: &str) -> Result<Value, CalendarError> {
        let url = format!("{}/events", self.cal_url());
        let a = self
            .send(Method::POST, &url, Some(&body), None, step)
            .await?;
        if !a.status.is_success() {
            return Err(self.refused(step, a.status, &a.body));
        }
        Ok(a.body)
    }

    /// The event (or, if missing, a new one) marked with `key`.
    async fn ensure_marked(
        &self,
        key: &str,
        body: Value,
        step: &str,
    ) -> Result<(String, bool), CalendarError> {
        if let Some(found) = self.marked(key).await?.first() {
            return Ok((found["id"].as_str().unwrap_or_default().to_string(), false));
        }
        let mut body = body;
        body["singleValueExtendedProperties"] = json!([{ "id": MARKER, "value": key }]);
        // Graph's own guard against a POST repeated after a lost answer.
        body["transactionId"] = json!(format!("shiftcover-{}", crate::compose::short_hash(key)));
        let made = self.create(body, step).await?;
        Ok((made["id"].as_str().unwrap_or_default().to_string(), true))
    }

    async fn cover(&self, edit: &CoverEdit, roster: &Roster) -> Result<bool, CalendarError> {
        // The cover event first: a crash between the two steps then leaves
        // the shift shown twice rather than not at all.
        let body = json!({
            "subject": edit.label,
            "body": {"contentType": "text", "content": format!(
                "{} covers {}'s shift. Added by shiftcover.", edit.coverer_name, edit.owner_name)},
            "start": graph_time(edit.span.start),
            "end": graph_time(edit.span.end),
            "attendees": [{
                "emailAddress": {"address": edit.coverer_email, "name": edit.coverer_name},
                "type": "required"
            }],
            "showAs": "busy",
            "isReminderOn": false,
            "responseRequested": true,
            "allowNewTimeProposals": false,
        });
        let (cover_id, mut changed) = self
            .ensure_marked(&edit.uid, body, "creating the cover event")
            .await?;
        changed |= self.release(edit, roster, &cover_id).await?;
        Ok(changed)
    }

    /// Removes the owner's time in `edit.span` the way Outlook does: the
    /// occurrence deleted (the series keeps it as cancelled), or cut down
    /// when only part of it is covered.
    async fn release(
        &self,
        edit: &CoverEdit,
        roster: &Roster,
        cover_id: &str,
    ) -> Result<bool, CalendarError> {
        let near = Span::new(
            edit.span.start - TimeDelta::days(1),
            edit.span.end + TimeDelta::days(1),
        );
        let mut changed = false;
        for item in self.view(near).await? {
            let id = item["id"].as_str().unwrap_or_default().to_string();
            if id == cover_id {
                continue;
            }
            let owned = vevent(&item, self.zone)
                .is_some_and(|v| is_owners_shift(&v, roster, &edit.owner_email, &edit.owner_name));
            let Some(span) = span_of(&item, self.zone) else {
                continue;
            };
            if !owned || !span.overlaps(&edit.span) {
                continue;
            }
            changed |= self.cut(&id, edit, roster).await?;
        }
        Ok(changed)
    }

    /// Deletes or shortens one item of the owner's so that it leaves
    /// `edit.span` free; reads it again and retries after a 412.
    async fn cut(
        &self,
        id: &str,
        edit: &CoverEdit,
        roster: &Roster,
    ) -> Result<bool, CalendarError> {
        for _ in 0..WRITE_ATTEMPTS {
            let a = self
                .send(
                    Method::GET,
                    &self.event_url(id),
                    None,
                    None,
                    "reading a shift",
                )
                .await?;
            if a.status.as_u16() == 404 {
                return Ok(false);
            }
            if !a.status.is_success() {
                return Err(self.refused("reading a shift", a.status, &a.body));
            }
            let item = a.body;
            let Some(span) = span_of(&item, self.zone) else {
                return Ok(false);
            };
            let still_owned = vevent(&item, self.zone)
                .is_some_and(|v| is_owners_shift(&v, roster, &edit.owner_email, &edit.owner_name));
            if !still_owned || !span.overlaps(&edit.span) {
                return Ok(false);
            }
            let etag = item["@odata.etag"].as_str().unwrap_or("*").to_string();
            if let Some(hook) = &self.before_write {
                hook(id.to_string()).await;
            }
            let before =
                (span.start < edit.span.start).then(|| Span::new(span.start, edit.span.start));
            let after = (edit.span.end < span.end).then(|| Span::new(edit.span.end, span.end));
            let a = match before.or(after) {
                None => {
                    self.send(
                        Method::DELETE,
                        &self.event_url(id),
                        None,
                        Some(&etag),
                        "removing the covered occurrence",
                    )
                    .await?
                }
                Some(keep) => {
                    let body =
                        json!({"start": graph_time(keep.start), "end": graph_time(keep.end)});
                    self.send(
                        Method::PATCH,
                        &self.event_url(id),
                        Some(&body),
                        Some(&etag),
                        "shortening the partly covered shift",
                    )
                    .await?
                }
            };
            match a.status.as_u16() {
                412 => {
                    tracing::info!(
                        id,
                        "the shift changed under the edit (412); reading it again"
                    );
                    continue;
                }
                404 => return Ok(false),
                s if (200..300).contains(&s) => {}
                _ => return Err(self.refused("editing a shift", a.status, &a.body)),
            }
            if let (Some(_), Some(rest)) = (before, after) {
                // The owner keeps the time after the covered part too.
                let mut attendees = Vec::new();
                for x in item["attendees"].as_array().into_iter().flatten() {
                    attendees.push(json!({
                        "emailAddress": {"address": x["emailAddress"]["address"], "name": x["emailAddress"]["name"]},
                        "type": x["type"].as_str().unwrap_or("required"),
                    }));
                }
                let body = json!({
                    "subject": item["subject"],
                    "start": graph_time(rest.start),
                    "end": graph_time(rest.end),
                    "attendees": attendees,
                    "isReminderOn": false,
                });
                self.ensure_marked(
                    &format!("rest:{}", edit.uid),
                    body,
                    "keeping the rest of the shift",
                )
                .await?;
            }
            return Ok(true);
        }
        Err(CalendarError::transient(format!(
            "the shift {id} changed under every one of {WRITE_ATTEMPTS} tries (someone keeps editing it); will try again later"
        )))
    }

    /// Deletes an event of ours, with If-Match, again after a 412.
    async fn delete_marked(&self, key: &str, step: &str) -> Result<bool, CalendarError> {
        let mut changed = false;
        for found in self.marked(key).await? {
            let id = found["id"].as_str().unwrap_or_default().to_string();
            let mut etag = found["@odata.etag"].as_str().unwrap_or("*").to_string();
            let mut done = false;
            for _ in 0..WRITE_ATTEMPTS {
                if let Some(hook) = &self.before_write {
                    hook(id.clone()).await;
                }
                let a = self
                    .send(
                        Method::DELETE,
                        &self.event_url(&id),
                        None,
                        Some(&etag),
                        step,
                    )
                    .await?;
                match a.status.as_u16() {
                    412 => {
                        let g = self
                            .send(Method::GET, &self.event_url(&id), None, None, step)
                            .await?;
                        if g.status.as_u16() == 404 {
                            done = true;
                            break;
                        }
                        etag = g.body["@odata.etag"].as_str().unwrap_or("*").to_string();
                    }
                    404 => {
                        done = true;
                        break;
                    }
                    s if (200..300).contains(&s) => {
                        changed = true;
                        done = true;
                        break;
                    }
                    _ => return Err(self.refused(step, a.status, &a.body)),
                }
            }
            if !done {
                return Err(CalendarError::transient(format!(
                    "{step}: the event kept changing under {WRITE_ATTEMPTS} tries"
                )));
            }
        }
        Ok(changed)
    }

    /// Undoes a cover. Graph cannot bring a deleted occurrence back into its
    /// series, so the owner's time returns as a single event of its own.
    async fn uncover(&self, edit: &CoverEdit, roster: &Roster) -> Result<bool, CalendarError> {
        // The parts of a cut shift the owner kept (the shortened occurrence,
        // and the rest after a covered middle) stay: they are the owner's.
        let mut changed = self
            .delete_marked(&edit.uid, "removing the cover event")
            .await?;
        let restore_key = format!("restore:{}", edit.uid);
        if self.marked(&restore_key).await?.is_empty() {
            // The owner's time is back already when someone put it back by hand.
            let held = self.view(edit.span).await?.iter().any(|item| {
                vevent(item, self.zone).is_some_and(|v| {
                    is_owners_shift(&v, roster, &edit.owner_email, &edit.owner_name)
                }) && span_of(item, self.zone)
                    .is_some_and(|s| s.start <= edit.span.start && s.end >= edit.span.end)
            });
            if !held {
                let body = json!({
                    "subject": edit.owner_name,
                    "body": {"contentType": "text", "content": format!(
                        "{}'s shift, given back after a coverage was withdrawn. Added by shiftcover.",
                        edit.owner_name)},
                    "start": graph_time(edit.span.start),
                    "end": graph_time(edit.span.end),
                    "showAs": "busy",
                    "isReminderOn": false,
                });
                self.ensure_marked(&restore_key, body, "giving the owner the shift back")
                    .await?;
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Says in plain words what works: signed in, the calendar found, a week
    /// read, and whether the app may write.
    pub async fn check(&self, now: Instant) -> Result<String, CalendarError> {
        let week = Span::new(now, now + TimeDelta::days(7));
        let items = self.view(week).await?;
        // Writing is proven by a request that changes nothing: a PATCH of no
        // properties would still need the permission, but deleting nothing is
        // cheaper to reason about: look for an event id that cannot exist.
        let probe = self
            .send(
                Method::PATCH,
                &self.event_url("shiftcover-permission-probe"),
                Some(&json!({})),
                Some("*"),
                "checking write access",
            )
            .await?;
        let (code, _) = graph_error(&probe.body);
        if probe.status.as_u16() == 403 {
            return Err(self.refused("checking write access", probe.status, &probe.body));
        }
        let writable = code != "ErrorAccessDenied";
        Ok(format!(
            "Microsoft Graph: signed in; calendar {:?} of {} found; {} shift(s) in the next 7 days; {}",
            self.calendar_name,
            self.mailbox,
            items.len(),
            if writable {
                "write access granted (Calendars.ReadWrite)"
            } else {
                "write access not confirmed"
            }
        ))
    }
}

/// `shiftcover check` for the Graph calendar: whether it works, and what was
/// found or refused, in Microsoft's words.
pub async fn check_config(config: &crate::config::Config) -> (bool, String) {
    let crate::config::CalendarBackend::Graph {
        mailbox,
        calendar,
        graph_url,
        ..
    } = &config.calendar
    else {
        return (false, "the calendar backend is not graph".into());
    };
    let bearer = match super::graph_bearer(&config.calendar) {
        Ok(b) => b,
        Err(e) => return (false, e.message),
    };
    let result =
        match GraphCalendar::connect(graph_url, mailbox, calendar, bearer, config.timezone).await {
            Ok(cal) => cal.check(crate::clock::now()).await,
            Err(e) => Err(e),
        };
    match result {
        Ok(text) => (true, text),
        Err(e) => (false, e.message),
    }
}
