//! iCalendar (RFC 5545) read and written without loss.
//!
//! The `ics` crate only writes, and this file is read, edited and written
//! back, so the program keeps its own small content-line parser: every
//! component, property and parameter it does not understand is kept as it
//! was and written back out unchanged.
//!
//! OWNER: ical helper. Interface used by others: [`Component`], [`Property`],
//! [`parse`], [`Component::to_ics`], and [`expand`] for recurrence.

mod expand;
pub mod recur;
pub mod value;
pub mod zone;

pub use expand::{Prepared, SkippedEvent, expand};

/// One content line: `NAME;PARAM=V:VALUE`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Property {
    /// Uppercased.
    pub name: String,
    /// In order; names uppercased; values unquoted.
    pub params: Vec<(String, String)>,
    /// Raw value, unescaped only where the caller asks ([`unescape_text`]).
    pub value: String,
}

/// A component (`BEGIN:X` ... `END:X`) with its properties and children.
/// Serde: the daemon hands its calendar to its reading process
/// ([`crate::reader_process`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Component {
    /// Uppercased ("VCALENDAR", "VEVENT", ...).
    pub name: String,
    pub properties: Vec<Property>,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcalError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for IcalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
impl std::error::Error for IcalError {}

fn error(line: usize, message: impl Into<String>) -> IcalError {
    IcalError {
        line,
        message: message.into(),
    }
}

/// Joins folded lines (a line starting with a space or tab continues the one
/// before). Each logical line keeps the number of its first physical line.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = line.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.1.push_str(rest);
            continue;
        }
        out.push((i + 1, line.to_string()));
    }
    out
}

/// Splits one logical line into a property. Quoted parameter values may hold
/// `:` and `;`, so the split honours quotes.
fn parse_line(line_no: usize, line: &str) -> Result<Property, IcalError> {
    let mut name_end = None;
    let mut value_start = None;
    let mut in_quotes = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes && name_end.is_none() => name_end = Some(i),
            ':' if !in_quotes => {
                value_start = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(colon) = value_start else {
        return Err(error(
            line_no,
            format!("no ':' in content line {:?}", clip(line)),
        ));
    };
    let name_end = name_end.unwrap_or(colon).min(colon);
    let name = line[..name_end].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(error(
            line_no,
            format!("bad property name {:?}", clip(name)),
        ));
    }
    let params = if name_end < colon {
        parse_params(line_no, &line[name_end + 1..colon])?
    } else {
        Vec::new()
    };
    Ok(Property {
        name: name.to_ascii_uppercase(),
        params,
        value: line[colon + 1..].to_string(),
    })
}

fn parse_params(line_no: usize, text: &str) -> Result<Vec<(String, String)>, IcalError> {
    let mut params = Vec::new();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    pieces.push(&text[start..]);
    for piece in pieces {
        let Some((name, raw)) = piece.split_once('=') else {
            return Err(error(
                line_no,
                format!("parameter {:?} has no '='", clip(piece)),
            ));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(error(line_no, "parameter without a name"));
        }
        params.push((name.to_ascii_uppercase(), unquote_param(raw)));
    }
    Ok(params)
}

/// A single quoted value loses its quotes; a list of quoted values
/// (`"a","b"`) stays as written so it can be written back the same.
fn unquote_param(raw: &str) -> String {
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        let inner = &raw[1..raw.len() - 1];
        if !inner.contains('"') {
            return inner.to_string();
        }
    }
    raw.to_string()
}

fn clip(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Parses an iCalendar stream (unfolding lines) into its top component.
pub fn parse(text: &str) -> Result<Component, IcalError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut stack: Vec<(usize, Component)> = Vec::new();
    let mut top: Option<Component> = None;
    for (line_no, line) in unfold(text) {
        if line.trim().is_empty() {
            continue;
        }
        if top.is_some() {
            return Err(error(line_no, "content after the end of the calendar"));
        }
        let prop = parse_line(line_no, &line)?;
        match prop.name.as_str() {
            "BEGIN" => {
                let name = prop.value.trim().to_ascii_uppercase();
                if name.is_empty() {
                    return Err(error(line_no, "BEGIN without a component name"));
                }
                if stack.len() >= 64 {
                    return Err(error(line_no, "components nested too deeply"));
                }
                stack.push((
                    line_no,
                    Component {
                        name,
                        properties: Vec::new(),
                        components: Vec::new(),
                    },
                ));
            }
            "END" => {
                let name = prop.value.trim().to_ascii_uppercase();
                let Some((_, done)) = stack.pop() else {
                    return Err(error(line_no, format!("END:{name} without a BEGIN")));
                };
                if done.name != name {
                    return Err(error(
                        line_no,
                        format!("END:{name} closes BEGIN:{}", done.name),
                    ));
                }
                match stack.last_mut() {
                    Some((_, parent)) => parent.components.push(done),
                    None => top = Some(done),
                }
            }
            _ => match stack.last_mut() {
                Some((_, c)) => c.properties.push(prop),
                None => return Err(error(line_no, "content line before BEGIN")),
            },
        }
    }
    if let Some((line_no, open)) = stack.last() {
        return Err(error(
            *line_no,
            format!("BEGIN:{} is never closed", open.name),
        ));
    }
    top.ok_or_else(|| error(1, "no BEGIN:VCALENDAR (the file is empty)"))
}

impl Property {
    pub fn new(name: &str, value: impl Into<String>) -> Property {
        Property {
            name: name.to_ascii_uppercase(),
            params: Vec::new(),
            value: value.into(),
        }
    }

    /// Adds a parameter (builder style).
    pub fn with_param(mut self, name: &str, value: impl Into<String>) -> Property {
        self.params.push((name.to_ascii_uppercase(), value.into()));
        self
    }

    /// The first value of a parameter, by case-insensitive name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn write(&self, out: &mut String) {
        let mut line = String::with_capacity(self.name.len() + self.value.len() + 16);
        line.push_str(&self.name);
        for (n, v) in &self.params {
            line.push(';');
            line.push_str(n);
            line.push('=');
            if v.contains('"') {
                line.push_str(v);
            } else if v.contains([':', ';', ',']) {
                line.push('"');
                line.push_str(v);
                line.push('"');
            } else {
                line.push_str(v);
            }
        }
        line.push(':');
        line.push_str(&self.value);
        fold_into(&line, out);
    }
}

/// Writes one logical line folded at 75 octets, never inside a character.
fn fold_into(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

impl Component {
    pub fn new(name: &str) -> Component {
        Component {
            name: name.to_ascii_uppercase(),
            properties: Vec::new(),
            components: Vec::new(),
        }
    }

    /// Writes the component with CRLF line ends, folded at 75 octets.
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        fold_into(&format!("BEGIN:{}", self.name), out);
        for p in &self.properties {
            p.write(out);
        }
        for c in &self.components {
            c.write(out);
        }
        fold_into(&format!("END:{}", self.name), out);
    }

    /// The first property of that name.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    pub fn property_mut(&mut self, name: &str) -> Option<&mut Property> {
        self.properties
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// Every property of that name, in order.
    pub fn properties_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
    }

    /// The raw value of the first property of that name.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.property(name).map(|p| p.value.as_str())
    }

    /// Replaces the first property of that name (keeping its place), or
    /// appends it.
    pub fn set(&mut self, prop: Property) {
        match self.property_mut(&prop.name) {
            Some(p) => *p = prop,
            None => self.properties.push(prop),
        }
    }

    /// Removes every property of that name; returns how many went.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.properties.len();
        self.properties
            .retain(|p| !p.name.eq_ignore_ascii_case(name));
        before - self.properties.len()
    }

    /// Child components of that name.
    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Component> + 'a {
        self.components
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    /// The UID, trimmed, or "" when there is none.
    pub fn uid(&self) -> &str {
        self.value("UID").map(str::trim).unwrap_or("")
    }
}

/// Escapes TEXT values (`\\`, `;`, `,`, newlines).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Unescapes TEXT values.
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// One expanded occurrence of a VEVENT (recurring or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub uid: String,
    pub span: crate::model::Span,
    /// The RECURRENCE-ID this occurrence answers to (its original start), for
    /// recurring events; None for a single event.
    pub recurrence_id: Option<crate::model::Instant>,
    /// Index of the VEVENT in the calendar's `components` that produced it
    /// (the master, or the override when one replaced the occurrence).
    pub component_index: usize,
    pub cancelled: bool,
}
