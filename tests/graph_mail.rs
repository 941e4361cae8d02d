//! Sending through Microsoft Graph's sendMail, against the stand-in: the
//! MIME form keeps every header the contract asks for (X-Shiftcover-Kind,
//! Auto-Submitted, In-Reply-To/References); the JSON form keeps what Graph
//! allows (x- headers only) and carries the invitation as an attachment.

#[path = "support/graph_standin.rs"]
mod graph_standin;

use std::path::Path;
use std::sync::Arc;

use graph_standin::{Standin, root_or_skip};
use serde_json::{Value, json};
use shiftcover::auth::StaticBearer;
use shiftcover::config::Config;
use shiftcover::live::graph_mail::{GraphMail, MailFormat};

/// Plays the "covered" scenario's inbox through the service and sends its
/// mail (an ack and an invitation) through Graph in `format`; returns what
/// the stand-in recorded for this test's mailbox.
async fn play(format: MailFormat, name: &str) -> Option<Vec<Value>> {
    let root = root_or_skip()?;
    let standin = Standin::new(root);
    let client = format!("mail-{name}-{}", std::process::id());
    standin.client(&client, "pw", &["Mail.Send"]).await;
    let token = standin.token(&client, "pw").await;
    let sender = format!("coverage-{name}-{}@example.edu", std::process::id());
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/covered");
    let tmp = tempfile::tempdir().unwrap();
    for f in ["shiftcover.toml", "schedule.ics"] {
        std::fs::copy(src.join(f), tmp.path().join(f)).unwrap();
    }
    let config = Config::load(&tmp.path().join("shiftcover.toml")).unwrap();
    let mut svc = shiftcover::service::Service::open(config).await.unwrap();
    let mut graph = GraphMail::new(
        &standin.graph_url(),
        &sender,
        Arc::new(StaticBearer(token)),
        format,
    )
    .unwrap();
    let messages = shiftcover::live::maildir::read_all(&src.join("inbox")).unwrap();
    svc.start_clock(messages[0].date).await.unwrap();
    for m in &messages {
        svc.handle_message(&m.raw, m.date).await.unwrap();
        svc.deliver(&mut graph, m.date).await.unwrap();
    }
    Some(
        standin
            .sent()
            .await
            .into_iter()
            .filter(|s| s["from"] == sender.as_str())
            .collect(),
    )
}

fn header<'a>(sent: &'a Value, name: &str) -> Option<&'a str> {
    sent["headers"].as_array()?.iter().find(|h| {
        h["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })?["value"]
        .as_str()
}

#[tokio::test]
async fn the_mime_form_keeps_every_header_the_contract_asks_for() {
    let Some(sent) = play(MailFormat::Mime, "mime").await else {
        return;
    };
    let kinds: Vec<&str> = sent
        .iter()
        .filter_map(|s| header(s, "X-Shiftcover-Kind"))
        .collect();
    assert_eq!(kinds, vec!["ack", "invitation"], "{sent:?}");
    for s in &sent {
        assert_eq!(header(s, "Auto-Submitted"), Some("auto-generated"));
        assert!(header(s, "In-Reply-To").is_some_and(|v| v.starts_with('<')));
        assert!(header(s, "References").is_some());
    }
    let invitation = &sent[1];
    assert_eq!(invitation["to"], json!(["dwhitfield@example.edu"]));
    assert!(
        invitation["mime"]
            .as_str()
            .unwrap()
            .contains("text/calendar; method=REQUEST")
    );
}

#[tokio::test]
async fn the_json_form_keeps_what_graph_allows_and_attaches_the_invitation() {
    let Some(sent) = play(MailFormat::Json, "json").await else {
        return;
    };
    let kinds: Vec<&str> = sent
        .iter()
        .filter_map(|s| header(s, "X-Shiftcover-Kind"))
        .collect();
    assert_eq!(kinds, vec!["ack", "invitation"], "{sent:?}");
    assert!(
        sent.iter()
            .all(|s| header(s, "X-Auto-Response-Suppress") == Some("All"))
    );
    assert_eq!(sent[0]["to"], json!(["ccrummett@example.edu"]));
    assert!(
        sent[0]["body"]["content"]
            .as_str()
            .unwrap()
            .contains("Courtney")
    );
    let attachments = sent[1]["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0]["name"], "invite.ics");
    assert!(
        attachments[0]["content"]
            .as_str()
            .unwrap()
            .contains("SUMMARY:Dana for Courtney")
    );
}

/// Graph refuses any internetMessageHeader that is not an x- header, and a
/// token without Mail.Send: the program says so in Microsoft's words.
#[tokio::test]
async fn graph_refuses_non_x_headers_and_a_missing_mail_send() {
    let Some(root) = root_or_skip() else { return };
    let standin = Standin::new(root);
    let client = format!("mail-refused-{}", std::process::id());
    standin
        .client(&client, "pw", &["Calendars.ReadWrite"])
        .await;
    let token = standin.token(&client, "pw").await;
    let url = format!(
        "{}/users/coverage@example.edu/sendMail",
        standin.graph_url()
    );
    let body = json!({"message": {"subject": "x", "body": {"contentType": "text", "content": "y"},
        "toRecipients": [{"emailAddress": {"address": "a@example.edu"}}],
        "internetMessageHeaders": [{"name": "Auto-Submitted", "value": "auto-generated"}]}});
    let r = standin
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    // The permission is checked first, as Graph does.
    assert_eq!(r.status().as_u16(), 403);

    standin.client(&client, "pw", &["Mail.Send"]).await;
    let token = standin.token(&client, "pw").await;
    let r = standin
        .http
        .post(&url)
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(v["error"]["code"], "InvalidInternetMessageHeader");

    let reader = format!("mail-reader-{}", std::process::id());
    standin
        .client(&reader, "pw", &["Calendars.ReadWrite"])
        .await;
    let token = standin.token(&reader, "pw").await;
    let graph = GraphMail::new(
        &standin.graph_url(),
        "coverage@example.edu",
        Arc::new(StaticBearer(token)),
        MailFormat::Mime,
    )
    .unwrap();
    let mail = shiftcover::compose::OutgoingMail {
        key: "k".into(),
        kind: "ack".into(),
        to: vec!["a@example.edu".into()],
        from: "coverage@example.edu".into(),
        message_id: "<k@example.edu>".into(),
        date: chrono::Utc::now(),
        request_id: None,
        raw: b"From: coverage@example.edu\r\nTo: a@example.edu\r\nSubject: x\r\n\r\ny\r\n".to_vec(),
    };
    let err = graph.send_mail(&mail).await.expect_err("no Mail.Send");
    assert!(!err.transient);
    assert!(
        err.message
            .contains("403: ErrorAccessDenied: Access is denied. Check credentials and try again.")
            && err.message.contains("Mail.Send"),
        "{}",
        err.message
    );
}
