//! Several desks, one systemd: the process's one STATUS= line, made from
//! what every desk last said, and its one watchdog, fed only while every
//! desk's loop shows signs of life. With one desk neither is used: the
//! loop speaks to systemd itself, exactly as before desks existed.
//!
//! The decisions ([`desks_status_text`], [`silent_desks`]) are pure; the
//! [`Board`] keeps each desk's news and pulse count, and sends.
//!
//! The watchdog rule: every tick (a quarter of the watchdog period), the
//! process sends WATCHDOG=1 only if every desk's loop has shown a sign of
//! life since the previous tick. A sign of life is a finished round of the
//! loop (connected, or retrying an unreachable mailbox), a catch-up batch,
//! or a pause while a failed desk waits to be started again; a desk's
//! loop waits at most a quarter of the period between them. A desk stuck
//! inside one step (a server that accepts and never answers, a query that
//! never returns) shows none, the watchdog goes unfed, and after the
//! period systemd restarts the whole process, as it would one desk.

use std::sync::{Arc, Mutex};

use super::notify::{Activity, Figures, deadline_words, notify, one_line, with_role};
use crate::clock;
use crate::model::Instant;

/// What one desk shows in the process's STATUS= line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskShown {
    /// Opening its part of the database and its calendar.
    Starting,
    /// Its loop runs; `other` names another server (SMTP) it cannot sign
    /// in to.
    Running {
        activity: Activity,
        figures: Figures,
        other: Option<String>,
    },
    /// It failed, and is started again after a pause.
    Down { error: String },
}

impl DeskShown {
    /// Whether this is trouble, whose beginning the line gives.
    fn troubled(&self) -> bool {
        match self {
            DeskShown::Starting => false,
            DeskShown::Down { .. } => true,
            DeskShown::Running { activity, .. } => matches!(
                activity,
                Activity::Unreachable { .. } | Activity::SignInRefused { .. }
            ),
        }
    }
}

/// One desk's part of the line.
#[derive(Debug, Clone)]
pub struct DeskNews {
    pub name: String,
    pub shown: DeskShown,
    /// When its present trouble began; None while it works.
    pub trouble_since: Option<Instant>,
    pub tz: chrono_tz::Tz,
}

/// The longest an error may run in a desk's part: the whole error is in
/// the log and `shiftcover status`.
const ERROR_WORDS: usize = 60;

/// The STATUS= line for several desks, one part per desk in the config's
/// order, e.g. "2 desks: chat: watching, 3 open, next deadline Tue 09:00;
/// research: mailbox unreachable since 14:02 (connection refused), 0 open".
pub fn desks_status_text(desks: &[DeskNews], now: Instant) -> String {
    let parts: Vec<String> = desks.iter().map(|d| desk_part(d, now)).collect();
    format!("{} desks: {}", desks.len(), parts.join("; "))
}

fn desk_part(d: &DeskNews, now: Instant) -> String {
    let since = match d.trouble_since {
        Some(t) => format!(" since {}", when(t, now, d.tz)),
        None => String::new(),
    };
    let short = |e: &str| shortened(&one_line(e));
    let mut words = vec![match &d.shown {
        DeskShown::Starting => "starting".to_string(),
        DeskShown::Down { error } => {
            format!("down{since} ({}), starting again", short(error))
        }
        DeskShown::Running { activity, .. } => match activity {
            Activity::Connecting => "connecting".to_string(),
            Activity::CatchingUp { read } => format!("catching up ({read} read)"),
            Activity::Watching => "watching".to_string(),
            Activity::Unreachable { error, .. } => {
                format!("mailbox unreachable{since} ({})", short(error))
            }
            Activity::SignInRefused { error, .. } => format!(
                "cannot sign in to the mailbox{since}, needs a person ({})",
                short(error)
            ),
        },
    }];
    if let DeskShown::Running { figures, other, .. } = &d.shown {
        words.push(format!("{} open", figures.open_requests));
        if let Some(t) = figures.next_deadline {
            words.push(deadline_words(t, now, d.tz));
        }
        if figures.outbox_waiting > 0 {
            words.push(format!("{} mail waiting", figures.outbox_waiting));
        }
        if figures.outbox_failed > 0 {
            words.push(format!("{} mail not sent", figures.outbox_failed));
        }
        if let Some(other) = other {
            words.push(short(other));
        }
    }
    format!("{}: {}", d.name, words.join(", "))
}

/// `text` cut at a word before [`ERROR_WORDS`] characters, marked "...".
fn shortened(text: &str) -> String {
    if text.chars().count() <= ERROR_WORDS {
        return text.to_string();
    }
    let head: String = text.chars().take(ERROR_WORDS).collect();
    let cut = head.rfind(' ').unwrap_or(head.len());
    format!("{}...", head[..cut].trim_end())
}

/// A moment in the desk's zone: the time alone today, else with its day.
fn when(t: Instant, now: Instant, tz: chrono_tz::Tz) -> String {
    let local = t.with_timezone(&tz);
    if local.date_naive() == now.with_timezone(&tz).date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%a %b %-d %H:%M").to_string()
    }
}

/// The desks (by index) that showed no sign of life since the last tick:
/// `pulses` counts each desk's signs so far, `at_last_tick` what they were
/// then. The watchdog is fed when none is silent.
pub fn silent_desks(pulses: &[u64], at_last_tick: &[u64]) -> Vec<usize> {
    pulses
        .iter()
        .zip(at_last_tick)
        .enumerate()
        .filter(|(_, (now, then))| now <= then)
        .map(|(i, _)| i)
        .collect()
}

struct Slot {
    news: DeskNews,
    pulses: u64,
    at_last_tick: u64,
}

/// The process's desks as systemd hears of them.
pub struct Board {
    slots: Mutex<Vec<Slot>>,
    /// The silent desks at the last tick, so a silence is logged once.
    silent: Mutex<Vec<usize>>,
}

impl Board {
    /// A board for the desks `(name, zone)`, in the config's order; each
    /// starts as starting.
    pub fn new(desks: &[(String, chrono_tz::Tz)]) -> Arc<Board> {
        Arc::new(Board {
            slots: Mutex::new(
                desks
                    .iter()
                    .map(|(name, tz)| Slot {
                        news: DeskNews {
                            name: name.clone(),
                            shown: DeskShown::Starting,
                            trouble_since: None,
                            tz: *tz,
                        },
                        pulses: 0,
                        at_last_tick: 0,
                    })
                    .collect(),
            ),
            silent: Mutex::new(Vec::new()),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Vec<Slot>) -> T) -> T {
        f(&mut self.slots.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Desk `i`'s loop made progress.
    pub fn pulse(&self, i: usize) {
        self.with(|slots| {
            if let Some(s) = slots.get_mut(i) {
                s.pulses += 1;
            }
        });
    }

    /// Desk `i` has news: the line is made again for every desk and sent.
    pub fn tell(&self, i: usize, shown: DeskShown) {
        let now = clock::now();
        let text = self.with(|slots| {
            if let Some(s) = slots.get_mut(i) {
                s.news.trouble_since = match (shown.troubled(), s.news.trouble_since) {
                    (false, _) => None,
                    (true, Some(t)) if s.news.shown.troubled() => Some(t),
                    (true, _) => Some(now),
                };
                s.news.shown = shown;
            }
            let news: Vec<DeskNews> = slots.iter().map(|s| s.news.clone()).collect();
            desks_status_text(&news, now)
        });
        notify(&format!("STATUS={}", with_role(text)));
    }

    /// One tick of the watchdog: WATCHDOG=1 when every desk showed a sign
    /// of life since the last tick; a desk newly silent is named in the
    /// log (it is why systemd will restart the process). Returns whether
    /// the watchdog was fed.
    pub fn tick(&self) -> bool {
        let (silent, names) = self.with(|slots| {
            let pulses: Vec<u64> = slots.iter().map(|s| s.pulses).collect();
            let then: Vec<u64> = slots.iter().map(|s| s.at_last_tick).collect();
            let silent = silent_desks(&pulses, &then);
            for s in slots.iter_mut() {
                s.at_last_tick = s.pulses;
            }
            let names: Vec<String> = silent
                .iter()
                .filter_map(|i| slots.get(*i).map(|s| s.news.name.clone()))
                .collect();
            (silent, names)
        });
        let mut before = self.silent.lock().unwrap_or_else(|p| p.into_inner());
        if !silent.is_empty() && *before != silent {
            tracing::warn!(
                desks = %names.join(", "),
                "no sign of life from these desks' loops since the last watchdog tick; the watchdog is not fed (systemd restarts the process if it lasts)"
            );
        }
        *before = silent;
        if before.is_empty() {
            notify("WATCHDOG=1");
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;
    use chrono_tz::America::New_York;
    use std::time::Duration;

    fn ny(d: u32, h: u32, m: u32) -> Instant {
        New_York
            .with_ymd_and_hms(2026, 12, d, h, m, 0)
            .single()
            .map(|t| t.to_utc())
            .unwrap_or_default()
    }

    fn news(name: &str, shown: DeskShown, since: Option<Instant>) -> DeskNews {
        DeskNews {
            name: name.into(),
            shown,
            trouble_since: since,
            tz: New_York,
        }
    }

    #[test]
    fn the_line_speaks_of_every_desk_and_when_each_ones_trouble_began() {
        let chat = news(
            "chat",
            DeskShown::Running {
                activity: Activity::Watching,
                figures: Figures {
                    open_requests: 3,
                    next_deadline: Some(ny(8, 9, 0)),
                    ..Figures::default()
                },
                other: None,
            },
            None,
        );
        let research = news(
            "research",
            DeskShown::Running {
                activity: Activity::Unreachable {
                    error: "connect to 127.0.0.1:993:\nConnection refused (os error 111)".into(),
                    retry_in: Duration::from_secs(3),
                },
                figures: Figures {
                    outbox_waiting: 2,
                    ..Figures::default()
                },
                other: Some("cannot sign in to SMTP: sign-in refused: invalid_grant".into()),
            },
            Some(ny(3, 14, 2)),
        );
        let branch = news(
            "branch",
            DeskShown::Down {
                error: "opening the desk (database and calendar): reading the calendar at http://127.0.0.1:5232/ answered 404".into(),
            },
            Some(ny(2, 8, 30)),
        );
        let text = desks_status_text(&[chat, research, branch], ny(3, 15, 0));
        assert_eq!(
            text,
            "3 desks: chat: watching, 3 open, next deadline Tue 09:00; \
             research: mailbox unreachable since 14:02 (connect to 127.0.0.1:993: Connection refused (os error 111)), \
             0 open, 2 mail waiting, cannot sign in to SMTP: sign-in refused: invalid_grant; \
             branch: down since Wed Dec 2 08:30 (opening the desk (database and calendar): reading the...), starting again"
        );
        assert!(!text.contains('\n'), "STATUS= is one line");
    }

    #[test]
    fn the_watchdog_is_fed_only_when_every_desk_showed_life_since_the_last_tick() {
        assert!(silent_desks(&[3, 7], &[2, 5]).is_empty());
        // The second desk's loop is stuck: no sign since the last tick.
        assert_eq!(silent_desks(&[4, 7], &[3, 7]), [1]);
        assert_eq!(silent_desks(&[0, 0, 1], &[0, 0, 0]), [0, 1]);
    }

    #[test]
    fn the_board_keeps_when_trouble_began_until_it_ends() {
        let board = Board::new(&[("chat".into(), New_York), ("research".into(), New_York)]);
        let unreachable = || DeskShown::Running {
            activity: Activity::Unreachable {
                error: "refused".into(),
                retry_in: Duration::from_secs(3),
            },
            figures: Figures::default(),
            other: None,
        };
        board.tell(1, unreachable());
        let first = board.with(|s| s[1].news.trouble_since);
        assert!(first.is_some());
        board.tell(1, unreachable());
        assert_eq!(
            board.with(|s| s[1].news.trouble_since),
            first,
            "the same trouble"
        );
        board.tell(
            1,
            DeskShown::Running {
                activity: Activity::Watching,
                figures: Figures::default(),
                other: None,
            },
        );
        assert_eq!(board.with(|s| s[1].news.trouble_since), None);
        assert_eq!(board.with(|s| s[0].news.shown.clone()), DeskShown::Starting);
        // Ticks: both pulse, then only chat does.
        board.pulse(0);
        board.pulse(1);
        assert!(board.tick());
        board.pulse(0);
        assert!(!board.tick(), "research showed no life");
        board.pulse(1);
        assert!(!board.tick(), "chat showed none this time");
        board.pulse(0);
        board.pulse(1);
        assert!(board.tick());
    }
}
