//! Even distribution of offered shifts.
//!
//! When several people offer for a request with several shifts, the policy
//! is to spread the shifts evenly: nobody takes them all just because they
//! offered for all, and those who have covered least this term come first.

use std::collections::HashMap;

use crate::engine::Offer;
use crate::model::Span;

/// Suggests a coverer for each shift from the offers. Greedy in time order:
/// among the people who offered for a shift, the one with the fewest shifts
/// already suggested in this request, then the fewest covered this term,
/// then the earliest offer. A shift nobody offered for gets `None`.
pub fn suggest(
    shifts: &[Span],
    offers: &[Offer],
    covered_this_term: &HashMap<String, u32>,
) -> Vec<(Span, Option<String>)> {
    let mut shifts = shifts.to_vec();
    shifts.sort();
    let mut given: HashMap<&str, u32> = HashMap::new();
    let mut out = Vec::new();
    for shift in shifts {
        let mut best: Option<(&Offer, (u32, u32, crate::model::Instant))> = None;
        for offer in offers {
            let fits = offer.spans.is_empty() || offer.spans.iter().any(|s| s.overlaps(&shift));
            if !fits {
                continue;
            }
            // Someone who offered twice is one person.
            if let Some((b, _)) = best
                && b.from == offer.from
            {
                continue;
            }
            let rank = (
                *given.get(offer.from.as_str()).unwrap_or(&0),
                *covered_this_term.get(&offer.from).unwrap_or(&0),
                offer.at,
            );
            if best.map(|(_, r)| rank < r).unwrap_or(true) {
                best = Some((offer, rank));
            }
        }
        match best {
            Some((o, _)) => {
                *given.entry(o.from.as_str()).or_insert(0) += 1;
                out.push((shift, Some(o.from.clone())));
            }
            None => out.push((shift, None)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn span(day: u32, h: u32) -> Span {
        Span::new(
            Utc.with_ymd_and_hms(2026, 12, day, h, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, day, h + 2, 0, 0).unwrap(),
        )
    }

    fn offer(from: &str, spans: Vec<Span>, minute: u32) -> Offer {
        Offer {
            from: from.into(),
            spans,
            at: Utc.with_ymd_and_hms(2026, 12, 1, 9, minute, 0).unwrap(),
            message_id: format!("<{from}>"),
        }
    }

    #[test]
    fn an_eager_volunteer_does_not_get_every_shift() {
        let shifts = vec![span(7, 15), span(8, 15), span(9, 15)];
        // Dana offered first and for everything; Tom and Mei for one each.
        let offers = vec![
            offer("dana", vec![], 0),
            offer("tom", vec![span(8, 15)], 5),
            offer("mei", vec![span(9, 15)], 6),
        ];
        let got = suggest(&shifts, &offers, &HashMap::new());
        let who: Vec<_> = got.iter().map(|(_, w)| w.clone().unwrap()).collect();
        assert_eq!(who, vec!["dana", "tom", "mei"]);
    }

    #[test]
    fn the_one_who_covered_least_this_term_comes_first() {
        let shifts = vec![span(7, 15), span(8, 15)];
        let offers = vec![offer("dana", vec![], 0), offer("tom", vec![], 5)];
        let mut counts = HashMap::new();
        counts.insert("dana".to_string(), 4);
        counts.insert("tom".to_string(), 1);
        let got = suggest(&shifts, &offers, &counts);
        assert_eq!(got[0].1.as_deref(), Some("tom"));
        assert_eq!(got[1].1.as_deref(), Some("dana"));
    }

    #[test]
    fn a_shift_nobody_offered_for_stays_open() {
        let shifts = vec![span(7, 15), span(8, 15)];
        let offers = vec![offer("tom", vec![span(8, 15)], 0)];
        let got = suggest(&shifts, &offers, &HashMap::new());
        assert_eq!(got[0].1, None);
        assert_eq!(got[1].1.as_deref(), Some("tom"));
    }
}
