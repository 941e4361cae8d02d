//! The WebDAV and CalDAV XML the client sends and reads: request bodies, and
//! a multistatus answer read into plain records.

use quick_xml::escape::escape;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::model::Span;

pub const DAV: &str = "DAV:";
pub const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
/// Apple's CalendarServer extensions (`getctag`).
pub const CALENDARSERVER: &str = "http://calendarserver.org/ns/";

/// One XML element with its namespace resolved; `text` is the character data
/// directly inside it (entities and CDATA decoded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub ns: String,
    pub name: String,
    /// Attributes by local name, in order.
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    pub fn is(&self, ns: &str, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, ns: &str, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    /// The trimmed text of the `DAV:href` inside this element, if any.
    pub fn href(&self) -> Option<String> {
        self.child(DAV, "href")
            .map(|h| h.text.trim().to_string())
            .filter(|h| !h.is_empty())
    }
}

/// Reads an XML document into its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = NsReader::from_str(text);
    // `<a/>` then reads as `<a></a>`, so every element is closed by an End.
    reader.config_mut().expand_empty_elements = true;
    let mut open: Vec<Element> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("the XML is broken near byte {position}: {e}"))?;
        match event {
            Event::Start(start) => {
                let mut attributes = Vec::new();
                for a in start.attributes().flatten() {
                    let value = a
                        .unescape_value()
                        .map_err(|e| format!("an XML attribute is broken: {e}"))?;
                    let name = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    attributes.push((name, value.into_owned()));
                }
                open.push(Element {
                    ns: namespace(&ns),
                    name: String::from_utf8_lossy(start.local_name().as_ref()).into_owned(),
                    attributes,
                    ..Element::default()
                });
            }
            Event::End(_) => {
                let done = open.pop().ok_or("an end tag without a start tag")?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => {
                if let Some(top) = open.last_mut() {
                    let s = t
                        .unescape()
                        .map_err(|e| format!("the XML text is broken: {e}"))?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(c) => {
                if let Some(top) = open.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&c.into_inner()));
                }
            }
            Event::Eof => {
                return Err(if open.is_empty() {
                    "the answer holds no XML element".into()
                } else {
                    "the XML ends inside an element".into()
                });
            }
            _ => {}
        }
    }
}

fn namespace(ns: &ResolveResult) -> String {
    match ns {
        ResolveResult::Bound(n) => String::from_utf8_lossy(n.as_ref()).into_owned(),
        _ => String::new(),
    }
}

/// One `DAV:response` of a multistatus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// As the server wrote it (maybe percent-encoded, maybe absolute).
    pub href: String,
    /// The response's own status, when it has one instead of properties.
    pub status: Option<u16>,
    /// The properties found (those under a 2xx propstat).
    pub props: Vec<Element>,
}

impl Response {
    pub fn prop(&self, ns: &str, name: &str) -> Option<&Element> {
        self.props.iter().find(|p| p.is(ns, name))
    }

    /// The trimmed text of a property, when present and not empty.
    pub fn text(&self, ns: &str, name: &str) -> Option<String> {
        self.prop(ns, name)
            .map(|p| p.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// True when `DAV:resourcetype` holds the given type.
    pub fn has_type(&self, ns: &str, name: &str) -> bool {
        self.prop(DAV, "resourcetype")
            .is_some_and(|r| r.child(ns, name).is_some())
    }
}

/// Reads a `DAV:multistatus` answer.
pub fn multistatus(text: &str) -> Result<Vec<Response>, String> {
    let root = parse(text)?;
    if !root.is(DAV, "multistatus") {
        return Err(format!(
            "expected a DAV:multistatus, got <{}> in {:?}",
            root.name, root.ns
        ));
    }
    let mut out = Vec::new();
    for r in root.children.iter().filter(|c| c.is(DAV, "response")) {
        let Some(href) = r.href() else { continue };
        let mut response = Response {
            href,
            status: r.child(DAV, "status").and_then(|s| status_code(&s.text)),
            props: Vec::new(),
        };
        for ps in r.children.iter().filter(|c| c.is(DAV, "propstat")) {
            let ok = ps
                .child(DAV, "status")
                .and_then(|s| status_code(&s.text))
                .is_some_and(|c| (200..300).contains(&c));
            if let (true, Some(prop)) = (ok, ps.child(DAV, "prop")) {
                response.props.extend(prop.children.iter().cloned());
            }
        }
        out.push(response);
    }
    Ok(out)
}

/// The code of a status line such as `HTTP/1.1 200 OK`.
fn status_code(line: &str) -> Option<u16> {
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A PROPFIND asking for the given properties, each `(namespace, name)`.
pub fn propfind(props: &[(&str, &str)]) -> String {
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <D:propfind xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" \
         xmlns:CS=\"http://calendarserver.org/ns/\"><D:prop>",
    );
    for (ns, name) in props {
        let prefix = match *ns {
            CALDAV => "C",
            CALENDARSERVER => "CS",
            _ => "D",
        };
        body.push_str(&format!("<{prefix}:{name}/>"));
    }
    body.push_str("</D:prop></D:propfind>");
    body
}

/// A calendar-query for every VEVENT object, or only those with an occurrence
/// in `window` (a recurring match returns the whole series).
pub fn calendar_query(window: Option<Span>) -> String {
    let range = match window {
        Some(w) => format!(
            "<C:time-range start=\"{}\" end=\"{}\"/>",
            w.start.format("%Y%m%dT%H%M%SZ"),
            w.end.format("%Y%m%dT%H%M%SZ")
        ),
        None => String::new(),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
         <D:prop><D:getetag/><C:calendar-data/></D:prop>\
         <C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\">{range}\
         </C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    )
}

/// A MKCALENDAR body naming the new calendar and limiting it to events.
pub fn mkcalendar(display_name: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
         <D:set><D:prop><D:displayname>{}</D:displayname>\
         <C:supported-calendar-component-set><C:comp name=\"VEVENT\"/></C:supported-calendar-component-set>\
         </D:prop></D:set></C:mkcalendar>",
        escape(display_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn reads_a_calendar_query_answer_with_escaped_and_cdata_data() {
        let text = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <response>
    <href>/coverage/cal/a%40b.ics</href>
    <propstat>
      <prop><getetag>"e1"</getetag><C:calendar-data>BEGIN:VCALENDAR&#13;
SUMMARY:Ben &amp; Mei&#13;
END:VCALENDAR</C:calendar-data></prop>
      <status>HTTP/1.1 200 OK</status>
    </propstat>
    <propstat><prop><displayname/></prop><status>HTTP/1.1 404 Not Found</status></propstat>
  </response>
  <response>
    <href>/coverage/cal/b.ics</href>
    <propstat>
      <prop><getetag>"e2"</getetag><C:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR]]></C:calendar-data></prop>
      <status>HTTP/1.1 200 OK</status>
    </propstat>
  </response>
  <response><href>/coverage/cal/gone.ics</href><status>HTTP/1.1 404 Not Found</status></response>
</multistatus>"#;
        let rs = multistatus(text).expect("multistatus");
        assert_eq!(rs.len(), 3);
        assert_eq!(rs[0].href, "/coverage/cal/a%40b.ics");
        assert_eq!(rs[0].text(DAV, "getetag").as_deref(), Some("\"e1\""));
        assert_eq!(
            rs[0].prop(CALDAV, "calendar-data").map(|p| p.text.as_str()),
            Some("BEGIN:VCALENDAR\r\nSUMMARY:Ben & Mei\r\nEND:VCALENDAR")
        );
        // A property under a 404 propstat is absent, not empty.
        assert!(rs[0].prop(DAV, "displayname").is_none());
        assert_eq!(
            rs[1].prop(CALDAV, "calendar-data").map(|p| p.text.as_str()),
            Some("BEGIN:VCALENDAR\nEND:VCALENDAR")
        );
        assert_eq!(rs[2].status, Some(404));
        assert!(rs[2].props.is_empty());
    }

    #[test]
    fn reads_discovery_properties_with_any_prefix() {
        let text = r#"<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav">
<d:response><d:href>/dav/calendars/askchat/lib-ask-chat/</d:href>
<d:propstat><d:prop>
<d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>
<d:displayname>LIB: Ask Chat</d:displayname>
<d:current-user-principal><d:href> /dav/principals/askchat/ </d:href></d:current-user-principal>
</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"#;
        let rs = multistatus(text).expect("multistatus");
        assert!(rs[0].has_type(CALDAV, "calendar"));
        assert!(rs[0].has_type(DAV, "collection"));
        assert_eq!(
            rs[0].text(DAV, "displayname").as_deref(),
            Some("LIB: Ask Chat")
        );
        assert_eq!(
            rs[0]
                .prop(DAV, "current-user-principal")
                .and_then(|p| p.href())
                .as_deref(),
            Some("/dav/principals/askchat/")
        );
    }

    #[test]
    fn refuses_what_is_not_a_multistatus() {
        assert!(multistatus("<html><body>Login</body></html>").is_err());
        assert!(multistatus("not xml at all <").is_err());
        assert!(multistatus("<d:multistatus xmlns:d=\"DAV:\">").is_err());
    }

    #[test]
    fn query_names_the_window_in_utc() {
        let w = Span::new(
            Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 1, 1, 5, 0, 0).unwrap(),
        );
        let q = calendar_query(Some(w));
        assert!(q.contains("start=\"20261201T050000Z\" end=\"20270101T050000Z\""));
        assert!(parse(&q).is_ok());
        assert!(!calendar_query(None).contains("time-range"));
        assert!(mkcalendar("A & B").contains("A &amp; B"));
    }
}
