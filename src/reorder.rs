//! Mail in the order it was meant: a reply read before the message it
//! answers waits for it. Pure: the daemon passes the time and what it knows.
//!
//! A mailbox may hold a confirmation before the request it confirms (Postfix
//! delivers in parallel; a slow list server reorders). Read in arrival
//! order, such a confirmation finds no request and the request then opens
//! fresh. So a message whose reading acts on a thread (an offer, a
//! confirmation, a withdrawal, the requester's second call) and whose
//! In-Reply-To and References name only Message-IDs not yet seen is held
//! for up to `mailbox.reply_wait` (2 minutes by default) from when it was
//! first read (unless it was sent over a day ago: on a first start, old
//! replies answer mail from before the program's time); it is handled right after the message it answers once that
//! one is read, or alone when the wait is over. Within one batch a reply
//! always comes after the message it answers.
//!
//! Held messages stay in the mailbox: the daemon keeps its stored sync
//! point below the lowest held UID, so a restart reads them again (and the
//! wait starts over; it is bounded all the same).

use std::collections::{BTreeMap, HashSet};

use chrono::TimeDelta;

use crate::model::{Instant, Kind, Reading};
use crate::service::Service;

/// Only replies sent this recently wait: an old reply found on a first start
/// answers a message from before the program's time, which will not come.
const RECENT: TimeDelta = TimeDelta::days(1);

/// Readings that act on a request's thread, and so need it first.
fn acts_on_a_thread(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Covered | Kind::Offer | Kind::Withdrawn | Kind::SecondCall
    )
}

/// The replies being held, by UID, with when each was first read.
#[derive(Debug, Clone)]
pub struct ReplyWait {
    wait: TimeDelta,
    held: BTreeMap<u32, Instant>,
}

impl ReplyWait {
    pub fn new(wait: TimeDelta) -> ReplyWait {
        ReplyWait {
            wait,
            held: BTreeMap::new(),
        }
    }

    /// The lowest UID held: the stored sync point must stay below it.
    pub fn lowest_held(&self) -> Option<u32> {
        self.held.keys().next().copied()
    }

    /// How many replies are held.
    pub fn len(&self) -> usize {
        self.held.len()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }

    /// When the first held reply's wait is over, if any is held.
    pub fn next_due(&self) -> Option<Instant> {
        self.held.values().min().map(|since| *since + self.wait)
    }

    /// Decides a batch read from the mailbox: which of `readings` (with
    /// their `uids`, ascending) to handle now and in what order (indices),
    /// holding back replies whose thread is unknown. `seen` says whether a
    /// Message-ID was handled before (or belongs to a known request's
    /// thread). Messages already handled pass through untouched.
    pub fn order(
        &mut self,
        uids: &[u32],
        readings: &[Reading],
        seen: impl Fn(&str) -> bool,
        now: Instant,
    ) -> Vec<usize> {
        let in_batch: HashSet<&str> = readings.iter().map(|r| r.message_id.as_str()).collect();
        let mut now_ready: Vec<usize> = Vec::new();
        for (i, (uid, reading)) in uids.iter().zip(readings).enumerate() {
            let waits = !seen(&reading.message_id)
                && acts_on_a_thread(reading.kind)
                && reading.date.is_none_or(|d| now - d < RECENT)
                && !reading.ancestors().is_empty()
                && reading
                    .ancestors()
                    .iter()
                    .all(|a| !seen(a) && !in_batch.contains(a));
            if !waits {
                self.held.remove(uid);
                now_ready.push(i);
                continue;
            }
            let since = *self.held.entry(*uid).or_insert(now);
            if now >= since + self.wait {
                // Waited long enough: handled alone.
                tracing::info!(
                    uid,
                    message_id = %reading.message_id,
                    "a reply's thread did not come within mailbox.reply_wait: handling it alone"
                );
                self.held.remove(uid);
                now_ready.push(i);
            }
        }
        // A reply after the message it answers, when both are here.
        let mut out: Vec<usize> = Vec::with_capacity(now_ready.len());
        let mut done: HashSet<&str> = HashSet::new();
        let mut left = now_ready;
        while !left.is_empty() {
            let before = left.len();
            let mut later = Vec::new();
            for i in left {
                let r = &readings[i];
                let parent_pending = r
                    .ancestors()
                    .iter()
                    .any(|a| *a != r.message_id && in_batch.contains(a) && !done.contains(a));
                if parent_pending {
                    later.push(i);
                } else {
                    done.insert(r.message_id.as_str());
                    out.push(i);
                }
            }
            if later.len() == before {
                // A loop of references (or a parent held back): keep the
                // arrival order for the rest.
                out.extend(later);
                break;
            }
            left = later;
        }
        // Held replies whose UID the batch no longer brought (expunged) are
        // forgotten when the batch covers their range.
        if let (Some(first), Some(last)) = (uids.first(), uids.last()) {
            let present: HashSet<u32> = uids.iter().copied().collect();
            self.held
                .retain(|uid, _| present.contains(uid) || *uid < *first || *uid > *last);
        }
        out
    }
}

/// Orders a batch read from the mailbox: `readings` are those of the
/// messages with `uids` (ascending); returns the readings to handle now, in
/// order; `wait` keeps the rest. A Message-ID counts as seen when it was
/// handled before or belongs to a known request's thread (the program's own
/// mail included).
pub async fn order_read(
    service: &Service,
    wait: &mut ReplyWait,
    uids: &[u32],
    readings: Vec<Reading>,
    now: Instant,
) -> anyhow::Result<Vec<Reading>> {
    let mut ids: Vec<&str> = Vec::new();
    for r in &readings {
        ids.push(&r.message_id);
        ids.extend(r.ancestors());
    }
    let handled = service.store().processed_among(&ids).await?;
    let threads: HashSet<&str> = service
        .requests()
        .iter()
        .flat_map(|r| r.thread.iter().map(String::as_str).chain([r.id.as_str()]))
        .collect();
    let seen = |id: &str| handled.contains(id) || threads.contains(id);
    let order = wait.order(uids, &readings, seen, now);
    let held = wait.len();
    if held > 0 {
        tracing::info!(
            held,
            "replies read before the message they answer wait for it (mailbox.reply_wait)"
        );
    }
    let mut slots: Vec<Option<Reading>> = readings.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> Instant {
        chrono::Utc.with_ymd_and_hms(2026, 12, 7, 15, 0, 0).unwrap() + TimeDelta::seconds(secs)
    }

    fn reading(id: &str, kind: Kind, parent: Option<&str>) -> Reading {
        Reading {
            message_id: id.into(),
            from: "mchen@example.edu".into(),
            date: None,
            subject: String::new(),
            in_reply_to: parent.map(str::to_string),
            references: parent.into_iter().map(str::to_string).collect(),
            kind,
            shifts: vec![],
            coverer: None,
            covers: vec![],
            on_behalf_of: None,
            own_mail: false,
            sender_auth: None,
            calendar_reply: None,
            backs_out: false,
            diagnostics: vec![],
            named_shifts: vec![],
            doubts: vec![],
        }
    }

    #[test]
    fn a_confirmation_read_before_its_request_waits_then_follows_it() {
        let mut w = ReplyWait::new(TimeDelta::minutes(2));
        let done = reading("<done@x>", Kind::Covered, Some("<req@x>"));
        let req = reading("<req@x>", Kind::CoverageRequest, None);
        // The confirmation alone: held.
        assert_eq!(
            w.order(&[7], std::slice::from_ref(&done), |_| false, t(0)),
            Vec::<usize>::new()
        );
        assert_eq!(w.lowest_held(), Some(7));
        assert_eq!(w.next_due(), Some(t(120)));
        // Read again with the request that came after it: request first.
        let order = w.order(&[7, 8], &[done, req], |_| false, t(3));
        assert_eq!(order, vec![1, 0]);
        assert!(w.is_empty());
    }

    #[test]
    fn a_reply_whose_thread_never_comes_is_handled_alone_after_the_wait() {
        let mut w = ReplyWait::new(TimeDelta::minutes(2));
        let offer = reading("<offer@x>", Kind::Offer, Some("<gone@x>"));
        assert!(
            w.order(&[3], std::slice::from_ref(&offer), |_| false, t(0))
                .is_empty()
        );
        assert!(
            w.order(&[3], std::slice::from_ref(&offer), |_| false, t(119))
                .is_empty()
        );
        assert_eq!(
            w.order(&[3], std::slice::from_ref(&offer), |_| false, t(120)),
            vec![0]
        );
        assert!(w.is_empty());
    }

    #[test]
    fn a_reply_to_a_known_thread_or_a_new_request_never_waits() {
        let mut w = ReplyWait::new(TimeDelta::minutes(2));
        let done = reading("<done@x>", Kind::Covered, Some("<req@x>"));
        let fresh = reading("<new@x>", Kind::CoverageRequest, Some("<unknown@x>"));
        let chatter = reading("<chat@x>", Kind::Other, Some("<unknown@x>"));
        let seen = |id: &str| id == "<req@x>";
        assert_eq!(
            w.order(&[1, 2, 3], &[done, fresh, chatter], seen, t(0)),
            vec![0, 1, 2]
        );
        assert!(w.is_empty());
    }

    #[test]
    fn an_old_reply_found_on_a_first_start_does_not_wait() {
        let mut w = ReplyWait::new(TimeDelta::minutes(2));
        let mut old = reading("<old@x>", Kind::Covered, Some("<gone@x>"));
        old.date = Some(t(0) - TimeDelta::days(30));
        assert_eq!(w.order(&[4], &[old], |_| false, t(0)), vec![0]);
        assert!(w.is_empty());
    }

    #[test]
    fn a_message_already_handled_is_never_held() {
        let mut w = ReplyWait::new(TimeDelta::minutes(2));
        let done = reading("<done@x>", Kind::Covered, Some("<gone@x>"));
        assert_eq!(w.order(&[5], &[done], |id| id == "<done@x>", t(0)), vec![0]);
        assert!(w.is_empty());
    }
}
