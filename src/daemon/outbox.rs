//! One round of the outbox: every mail that is due goes out, and when the
//! outbox next has something to try. The delivery policy itself (order,
//! retries, giving up, the echo check) is [`crate::outbox`]'s; this is the
//! daemon's one call into it.

use tracing::{error, info};

use super::transport::Outbound;
use crate::model::Instant;
use crate::outbox::{Deliverer, PROBE_CEILING};
use crate::service::Service;

/// Sends what is due; returns when the outbox next has something to try (a
/// retry, a probe of the server, an echo to look for), if anything waits.
pub async fn send_round(
    service: &mut Service,
    outbound: &mut Outbound,
    deliverer: &mut Deliverer,
    now: Instant,
) -> Option<Instant> {
    // A relay that cannot be signed in to is not tried with mail: the mail
    // keeps its attempts and waits for the sign-in to work again.
    if !outbound.may_send().await {
        return Some(now + PROBE_CEILING);
    }
    match deliverer
        .round(outbound, service.store(), service.requests(), now)
        .await
    {
        Ok(r) => {
            if r.sent > 0 || r.confirmed > 0 {
                info!(sent = r.sent, confirmed = r.confirmed, "mail sent");
            }
            r.next
        }
        Err(e) => {
            error!(error = %format!("{e:#}"), "sending the outbox failed");
            Some(now + PROBE_CEILING)
        }
    }
}
