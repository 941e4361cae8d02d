#!/usr/bin/env python3
"""A stand-in for Microsoft Graph v1.0 (calendars, events, sendMail) and for
the Microsoft identity platform's v2.0 token endpoint, for shiftcover's tests.

No Exchange server can run on a test machine, so the Graph calendar backend is
tested against this process. It is written from Microsoft's public reference,
not from shiftcover's code, and it expands recurrences with python-dateutil,
independently of shiftcover's own iCalendar expansion. Pages it follows:

  event resource type ......... https://learn.microsoft.com/en-us/graph/api/resources/event?view=graph-rest-1.0
  dateTimeTimeZone ............ https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone?view=graph-rest-1.0
  list calendars .............. https://learn.microsoft.com/en-us/graph/api/user-list-calendars?view=graph-rest-1.0
  list calendarView ........... https://learn.microsoft.com/en-us/graph/api/calendar-list-calendarview?view=graph-rest-1.0
  list events ................. https://learn.microsoft.com/en-us/graph/api/calendar-list-events?view=graph-rest-1.0
  create event ................ https://learn.microsoft.com/en-us/graph/api/calendar-post-events?view=graph-rest-1.0
  event: delta ................ https://learn.microsoft.com/en-us/graph/api/event-delta?view=graph-rest-1.0
  delta query for events ...... https://learn.microsoft.com/en-us/graph/delta-query-events
  get / update / delete event . https://learn.microsoft.com/en-us/graph/api/event-get?view=graph-rest-1.0
                                https://learn.microsoft.com/en-us/graph/api/event-update?view=graph-rest-1.0
                                https://learn.microsoft.com/en-us/graph/api/event-delete?view=graph-rest-1.0
  list instances .............. https://learn.microsoft.com/en-us/graph/api/event-list-instances?view=graph-rest-1.0
  extended properties ......... https://learn.microsoft.com/en-us/graph/api/resources/extended-properties-overview?view=graph-rest-1.0
                                https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-post-singlevalueextendedproperties?view=graph-rest-1.0
                                https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get?view=graph-rest-1.0
  user: sendMail .............. https://learn.microsoft.com/en-us/graph/api/user-sendmail?view=graph-rest-1.0
  internetMessageHeader ....... https://learn.microsoft.com/en-us/graph/api/resources/internetmessageheader?view=graph-rest-1.0
  error responses ............. https://learn.microsoft.com/en-us/graph/errors
  throttling (429, Retry-After) https://learn.microsoft.com/en-us/graph/throttling
  paging (@odata.nextLink) .... https://learn.microsoft.com/en-us/graph/paging
  Prefer: outlook.timezone .... https://learn.microsoft.com/en-us/graph/api/user-list-calendarview?view=graph-rest-1.0#request-headers
  limiting app mailbox access . https://learn.microsoft.com/en-us/graph/auth-limit-mailbox-access
  client credentials grant .... https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
  certificate credentials ..... https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials

What it reproduces: ids of their own for occurrences; seriesMaster, occurrence,
exception and singleInstance types; calendarView expansion; Prefer:
outlook.timezone; @odata.etag and 412 ErrorIrresolvableConflict on a stale
If-Match; deleting an occurrence cancels it (cancelledOccurrences on the
master, gone from calendarView); small pages with @odata.nextLink; delta
rounds with @odata.nextLink / @odata.deltaLink and @removed rows;
single-value extended properties (create, $filter, $expand); transactionId;
attendee responses; meeting requests and cancellations Exchange would send
(recorded, not mailed); sendMail with internetMessageHeaders (x- names only);
429/503 with Retry-After on a schedule; app-only tokens with roles and an
application access policy limiting which mailboxes a client may open.

Where it is stricter than Exchange (on purpose, so the client is proven to do
the safe thing): PATCH and DELETE of an event require If-Match (Exchange
accepts them without one); startDateTime/endDateTime must carry an offset.

Test-only endpoints live under /_admin (see the ADMIN section below).
"""

import argparse
import base64
import copy
import email
import email.policy
import hashlib
import hmac
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as du_rrule

UTC = timezone.utc
GRAPH_AUDIENCE = "https://graph.microsoft.com"
EXT_GUID = "{66f5a359-4659-4830-9070-00040ec6ac6e}"

# A few Windows zone names Exchange uses, for Prefer: outlook.timezone and
# dateTimeTimeZone.timeZone; IANA names are accepted as well.
WINDOWS_ZONES = {
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "GMT Standard Time": "Europe/London",
    "W. Europe Standard Time": "Europe/Berlin",
    "UTC": "UTC",
}

EVENT_WRITABLE = {
    "subject", "body", "start", "end", "attendees", "location", "locations",
    "isReminderOn", "reminderMinutesBeforeStart", "showAs", "categories",
    "importance", "sensitivity", "isAllDay", "responseRequested",
    "allowNewTimeProposals", "transactionId", "singleValueExtendedProperties",
    "recurrence", "isOnlineMeeting", "hideAttendees", "@odata.type",
}
MESSAGE_WRITABLE = {
    "subject", "body", "toRecipients", "ccRecipients", "bccRecipients",
    "replyTo", "internetMessageHeaders", "attachments", "importance", "from",
    "sender", "@odata.type",
}
DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$")
EXT_ID_RE = re.compile(r"^String (\{[0-9a-fA-F-]{36}\} Name \S.*|0x[0-9a-fA-F]{4})$")


class GraphError(Exception):
    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def zone(name):
    name = (name or "UTC").strip().strip('"')
    iana = WINDOWS_ZONES.get(name, name)
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def graph_time(dt, tzname):
    """A dateTimeTimeZone in the zone asked for (seven fractional digits, as Graph writes)."""
    z = zone(tzname) or UTC
    local = dt.astimezone(z)
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": tzname}


def iso_utc(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_dttz(value, what):
    """A dateTimeTimeZone from a request body, strictly."""
    if not isinstance(value, dict) or set(value) - {"dateTime", "timeZone", "@odata.type"}:
        raise GraphError(400, "RequestBodyRead",
                         f"Cannot read the value of '{what}': a dateTimeTimeZone has only dateTime and timeZone.")
    text = value.get("dateTime")
    if not isinstance(text, str) or not DATETIME_RE.match(text):
        raise GraphError(400, "UnableToDeserializePostBody",
                         f"Cannot convert the literal '{text}' to the expected type 'Edm.String' for "
                         f"{what}.dateTime: use yyyy-MM-ddTHH:mm:ss with no offset.")
    z = zone(value.get("timeZone"))
    if z is None:
        raise GraphError(400, "TimeZoneNotSupportedException",
                         f"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{value.get('timeZone')}'.")
    base = text.split(".")[0]
    if len(base) == 16:
        base += ":00"
    naive = datetime.strptime(base, "%Y-%m-%dT%H:%M:%S")
    return naive.replace(tzinfo=z).astimezone(UTC), value.get("timeZone") or "UTC"


def parse_query_time(text, name):
    if not text:
        raise GraphError(400, "ErrorInvalidParameter",
                         "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.")
    t = text.strip().replace(" ", "+")
    if t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(t)
    except ValueError:
        raise GraphError(400, "ErrorInvalidParameter", f"The value '{text}' of parameter '{name}' is invalid.")
    if dt.tzinfo is None:
        raise GraphError(400, "ErrorInvalidParameter",
                         f"The value '{text}' of parameter '{name}' has no offset; this stand-in requires one.")
    return dt.astimezone(UTC)


# --- ICS loading (the test's schedule.ics becomes Graph events) -------------

def ics_lines(text):
    out = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw.startswith((" ", "\t")) and out:
            out[-1] += raw[1:]
        elif raw:
            out.append(raw)
    return out


def ics_prop(line):
    head, _, value = line.partition(":")
    # A quoted parameter value may hold a colon.
    while head.count('"') % 2 == 1 and value:
        more, _, value = value.partition(":")
        head += ":" + more
    parts = head.split(";")
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.upper()] = v.strip('"')
    return parts[0].upper(), params, value


def ics_time(params, value, default_zone):
    if params.get("VALUE") == "DATE" or re.fullmatch(r"\d{8}", value):
        d = datetime.strptime(value, "%Y%m%d")
        return d.replace(tzinfo=default_zone).astimezone(UTC), True
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC), False
    z = zone(params.get("TZID")) if params.get("TZID") else default_zone
    return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=z or default_zone).astimezone(UTC), False


def ics_unescape(v):
    return v.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def parse_duration(text):
    m = re.fullmatch(r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text)
    if not m:
        return timedelta(0)
    sign = -1 if m.group(1) == "-" else 1
    w, d, h, mi, s = (int(x or 0) for x in m.groups()[1:])
    return sign * timedelta(weeks=w, days=d, hours=h, minutes=mi, seconds=s)


def load_ics(text, default_tz):
    """The VEVENTs of an iCalendar text as (masters/singles, overrides) dicts."""
    dz = zone(default_tz) or UTC
    events, cur = [], None
    depth = []
    for line in ics_lines(text):
        name, params, value = ics_prop(line)
        if name == "BEGIN":
            depth.append(value.upper())
            if value.upper() == "VEVENT":
                cur = {"attendees": [], "exdates": [], "tzid": None}
            continue
        if name == "END":
            if depth and depth[-1] == "VEVENT" and cur is not None:
                events.append(cur)
                cur = None
            if depth:
                depth.pop()
            continue
        if cur is None or not depth or depth[-1] != "VEVENT":
            continue
        if name == "UID":
            cur["uid"] = value
        elif name == "SUMMARY":
            cur["subject"] = ics_unescape(value)
        elif name == "DESCRIPTION":
            cur["body"] = ics_unescape(value)
        elif name == "DTSTART":
            cur["start"], cur["all_day"] = ics_time(params, value, dz)
            cur["tzid"] = params.get("TZID") or ("UTC" if value.endswith("Z") else default_tz)
        elif name == "DTEND":
            cur["end"], _ = ics_time(params, value, dz)
        elif name == "DURATION":
            cur["duration"] = parse_duration(value)
        elif name == "RRULE":
            cur["rrule"] = value
        elif name == "EXDATE":
            for v in value.split(","):
                cur["exdates"].append(ics_time(params, v, zone(params.get("TZID")) or dz)[0])
        elif name == "RECURRENCE-ID":
            cur["recurrence_id"] = ics_time(params, value, zone(params.get("TZID")) or dz)[0]
        elif name == "STATUS":
            cur["status"] = value.upper()
        elif name in ("ATTENDEE", "ORGANIZER"):
            addr = value[7:] if value.lower().startswith("mailto:") else value
            who = {"address": addr.strip(), "name": params.get("CN", addr.strip())}
            if name == "ORGANIZER":
                cur["organizer"] = who
            else:
                part = params.get("PARTSTAT", "NEEDS-ACTION").upper()
                who["response"] = {"ACCEPTED": "accepted", "DECLINED": "declined",
                                   "TENTATIVE": "tentativelyAccepted"}.get(part, "none")
                cur["attendees"].append(who)
    for e in events:
        if "end" not in e:
            e["end"] = e["start"] + e.get("duration", timedelta(0))
    return events


def rrule_to_pattern(rule, start_local):
    """The Graph recurrence of an RRULE (the common shapes; others stay as RRULE internally)."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ", "WEEKLY")
    interval = int(parts.get("INTERVAL", "1"))
    codes = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
    days = [DAY_NAMES[codes[d[-2:]]] for d in parts.get("BYDAY", "").split(",") if d[-2:] in codes]
    ptype = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "absoluteMonthly", "YEARLY": "absoluteYearly"}.get(freq, "weekly")
    pattern = {"type": ptype, "interval": interval, "month": 0, "dayOfMonth": 0,
               "daysOfWeek": days or ([DAY_NAMES[start_local.weekday()]] if ptype == "weekly" else []),
               "firstDayOfWeek": "sunday", "index": "first"}
    if ptype == "absoluteMonthly":
        pattern["dayOfMonth"] = start_local.day
    rng = {"type": "noEnd", "startDate": start_local.strftime("%Y-%m-%d"), "endDate": "0001-01-01",
           "recurrenceTimeZone": str(start_local.tzinfo), "numberOfOccurrences": 0}
    if "UNTIL" in parts:
        u = parts["UNTIL"]
        until = (datetime.strptime(u, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) if u.endswith("Z")
                 else datetime.strptime(u[:8], "%Y%m%d").replace(tzinfo=start_local.tzinfo))
        rng["type"] = "endDate"
        rng["endDate"] = until.astimezone(start_local.tzinfo).strftime("%Y-%m-%d")
    elif "COUNT" in parts:
        rng["type"] = "numbered"
        rng["numberOfOccurrences"] = int(parts["COUNT"])
    return {"pattern": pattern, "range": rng}


def pattern_to_rrule(rec, start_local):
    """An RRULE for a Graph recurrence a client sent (daily/weekly/absoluteMonthly)."""
    if not isinstance(rec, dict) or set(rec) - {"pattern", "range"}:
        raise GraphError(400, "RequestBodyRead", "A patternedRecurrence has only pattern and range.")
    p, r = rec.get("pattern") or {}, rec.get("range") or {}
    codes = {n: c for n, c in zip(DAY_NAMES, ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])}
    freq = {"daily": "DAILY", "weekly": "WEEKLY", "absoluteMonthly": "MONTHLY", "absoluteYearly": "YEARLY"}.get(p.get("type"))
    if freq is None:
        raise GraphError(400, "ErrorInvalidRecurrence", f"Recurrence pattern type '{p.get('type')}' is not supported here.")
    rule = f"FREQ={freq};INTERVAL={int(p.get('interval', 1))}"
    if freq == "WEEKLY":
        days = [codes[d] for d in p.get("daysOfWeek", []) if d in codes]
        if not days:
            raise GraphError(400, "ErrorInvalidRecurrence", "A weekly pattern needs daysOfWeek.")
        rule += ";BYDAY=" + ",".join(days)
    if r.get("type") == "endDate":
        end = datetime.strptime(r["endDate"], "%Y-%m-%d").replace(tzinfo=start_local.tzinfo) + timedelta(days=1)
        rule += ";UNTIL=" + (end - timedelta(seconds=1)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    elif r.get("type") == "numbered":
        rule += f";COUNT={int(r.get('numberOfOccurrences', 1))}"
    return rule


# --- the store ---------------------------------------------------------------

class Store:
    def __init__(self):
        self.lock = threading.RLock()
        self.secret = uuid.uuid4().bytes
        self.reset()

    def reset(self):
        self.calendars = {}   # id -> {id, name, mailbox}
        self.events = {}      # id -> internal event (singleInstance or seriesMaster)
        self.clients = {}     # client_id -> {secret, jwk, roles, mailboxes}
        self.faults = []      # [{status, retry_after, match}]
        self.log = []
        self.sent = []
        self.meeting_messages = []
        self.delta_tokens = {}
        self.rounds = {}
        self.counter = 0
        self.token_lifetime = 3600
        self.max_page = 10
        self.mailbox_page = {}
        self.require_if_match = True
        self.expired_before = {}  # client id -> tokens issued before this are expired
        self.used_assertions = set()

    # ids and change keys
    def new_id(self, prefix="AAMk"):
        self.counter += 1
        return prefix + b64url(uuid.uuid4().bytes + self.counter.to_bytes(4, "big"))

    def new_ck(self):
        self.counter += 1
        return b64url(hashlib.sha256(f"{self.counter}{uuid.uuid4()}".encode()).digest()[:12])

    def calendar_of(self, mailbox, cid):
        cal = self.calendars.get(cid)
        if cal is None or cal["mailbox"] != mailbox.lower():
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return cal

    def default_calendar(self, mailbox):
        mailbox = mailbox.lower()
        for c in self.calendars.values():
            if c["mailbox"] == mailbox and c.get("default"):
                return c
        cal = {"id": self.new_id("AAMkCal"), "name": "Calendar", "mailbox": mailbox, "default": True}
        self.calendars[cal["id"]] = cal
        return cal

    def add_calendar(self, mailbox, name):
        self.default_calendar(mailbox)
        cal = {"id": self.new_id("AAMkCal"), "name": name, "mailbox": mailbox.lower(), "default": False}
        self.calendars[cal["id"]] = cal
        return cal

    # events
    def new_event(self, cal, fields):
        ev = {
            "id": self.new_id(), "calendar": cal["id"], "mailbox": cal["mailbox"],
            "ck": self.new_ck(), "created": datetime.now(UTC), "modified": datetime.now(UTC),
            "subject": "", "body": {"contentType": "text", "content": ""}, "tz": "UTC",
            "attendees": [], "organizer": {"address": cal["mailbox"], "name": cal["mailbox"]},
            "rrule": None, "cancelled": set(), "overrides": {}, "props": {},
            "transactionId": None, "showAs": "busy", "isReminderOn": True,
            "reminderMinutesBeforeStart": 15, "categories": [], "location": {"displayName": ""},
            "importance": "normal", "sensitivity": "normal", "isAllDay": False,
            "responseRequested": True, "allowNewTimeProposals": True, "isCancelled": False,
            "iCalUId": "040000008200E00074C5B7101A82E008" + uuid.uuid4().hex.upper(),
        }
        ev.update(fields)
        self.events[ev["id"]] = ev
        return ev

    def load_ics(self, cal, text, default_tz):
        parsed = load_ics(text, default_tz)
        by_uid = {}
        for e in parsed:
            if "recurrence_id" in e:
                continue
            fields = {
                "subject": e.get("subject", ""), "start": e["start"], "end": e["end"],
                "tz": e.get("tzid") or default_tz,
                "body": {"contentType": "text", "content": e.get("body", "")},
                "attendees": [attendee_internal(a) for a in e["attendees"]],
                "isCancelled": e.get("status") == "CANCELLED", "iCalUId": e.get("uid", ""),
            }
            if e.get("organizer"):
                fields["organizer"] = e["organizer"]
            if e.get("rrule"):
                fields["rrule"] = e["rrule"]
                fields["cancelled"] = set(e["exdates"])
            ev = self.new_event(cal, fields)
            by_uid[e.get("uid")] = ev
        for e in parsed:
            if "recurrence_id" not in e:
                continue
            master = by_uid.get(e.get("uid"))
            if master is None or not master["rrule"]:
                continue
            if e.get("status") == "CANCELLED":
                master["cancelled"].add(e["recurrence_id"])
                continue
            master["overrides"][e["recurrence_id"]] = {
                "subject": e.get("subject", master["subject"]), "start": e["start"], "end": e["end"],
                "attendees": [attendee_internal(a) for a in e["attendees"]] or copy.deepcopy(master["attendees"]),
                "ck": self.new_ck(), "modified": datetime.now(UTC),
            }
        return len(by_uid)

    # expansion
    def series_starts(self, ev, lo, hi):
        """Original starts of a series' occurrences that may overlap [lo, hi)."""
        z = zone(ev["tz"]) or UTC
        start_local = ev["start"].astimezone(z)
        rule = du_rrule.rrulestr(ev["rrule"], dtstart=start_local)
        dur = ev["end"] - ev["start"]
        out = []
        for s in rule.between((lo - dur - timedelta(days=1)).astimezone(z), hi.astimezone(z), inc=True):
            out.append(s.astimezone(UTC))
        return out

    def instances(self, cal_id, lo, hi, master_id=None):
        """The calendarView of [lo, hi): singles, occurrences and exceptions (internal form)."""
        out = []
        for ev in list(self.events.values()):
            if ev["calendar"] != cal_id or ev["isCancelled"]:
                continue
            if master_id and ev["id"] != master_id:
                continue
            if not ev["rrule"]:
                if not master_id and ev["start"] < hi and ev["end"] > lo:
                    out.append(("single", ev, None))
                continue
            dur = ev["end"] - ev["start"]
            starts = set(self.series_starts(ev, lo, hi))
            starts |= set(ev["overrides"])
            for s in sorted(starts):
                if s in ev["cancelled"]:
                    continue
                o = ev["overrides"].get(s)
                st, en = (o["start"], o["end"]) if o else (s, s + dur)
                if st < hi and en > lo:
                    out.append(("exception" if o else "occurrence", ev, s))
        out.sort(key=lambda x: (self.span_of(*x)[0], x[1]["subject"]))
        return out

    def span_of(self, kind, ev, s):
        if kind == "single":
            return ev["start"], ev["end"]
        o = ev["overrides"].get(s)
        if o:
            return o["start"], o["end"]
        return s, s + (ev["end"] - ev["start"])

    def occ_id(self, ev, s):
        return "AAMkOcc" + b64url(f"{ev['id']}|{iso_utc(s)}".encode())

    def resolve(self, mailbox, eid):
        """An id as (kind, master-or-single, original start)."""
        if eid.startswith("AAMkOcc"):
            try:
                mid, _, s = b64url_decode(eid[7:]).decode().partition("|")
                start = datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            except (ValueError, UnicodeDecodeError):
                raise GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.")
            ev = self.events.get(mid)
            if ev is None or ev["mailbox"] != mailbox.lower() or not ev["rrule"]:
                raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            if start in ev["cancelled"]:
                raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            if start not in ev["overrides"] and start not in self.series_starts(ev, start, start + timedelta(seconds=1)):
                raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            return ("exception" if start in ev["overrides"] else "occurrence"), ev, start
        ev = self.events.get(eid)
        if ev is None or ev["mailbox"] != mailbox.lower():
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        return ("master" if ev["rrule"] else "single"), ev, None

    def ck_of(self, kind, ev, s):
        if kind in ("single", "master"):
            return ev["ck"]
        o = ev["overrides"].get(s)
        if o:
            return o["ck"]
        return b64url(hashlib.sha256(f"{ev['ck']}|{s}".encode()).digest()[:12])

    # rendering
    def render(self, kind, ev, s, tzname, expand_props=None):
        tzname = tzname or "UTC"
        if kind in ("single", "master"):
            st, en, subject, attendees = ev["start"], ev["end"], ev["subject"], ev["attendees"]
            eid, modified = ev["id"], ev["modified"]
        else:
            o = ev["overrides"].get(s)
            st, en = self.span_of(kind, ev, s)
            subject = o["subject"] if o else ev["subject"]
            attendees = o["attendees"] if o else ev["attendees"]
            eid, modified = self.occ_id(ev, s), (o["modified"] if o else ev["modified"])
        ck = self.ck_of(kind, ev, s)
        gtype = {"single": "singleInstance", "master": "seriesMaster"}.get(kind, kind)
        out = {
            "@odata.etag": f'W/"{ck}"', "id": eid,
            "createdDateTime": iso_utc(ev["created"]), "lastModifiedDateTime": iso_utc(modified),
            "changeKey": ck, "categories": ev["categories"], "originalStartTimeZone": ev["tz"],
            "originalEndTimeZone": ev["tz"], "iCalUId": ev["iCalUId"],
            "reminderMinutesBeforeStart": ev["reminderMinutesBeforeStart"], "isReminderOn": ev["isReminderOn"],
            "hasAttachments": False, "subject": subject,
            "bodyPreview": ev["body"].get("content", "")[:255], "importance": ev["importance"],
            "sensitivity": ev["sensitivity"], "isAllDay": ev["isAllDay"], "isCancelled": ev["isCancelled"],
            "isOrganizer": True, "responseRequested": ev["responseRequested"],
            "seriesMasterId": ev["id"] if kind in ("occurrence", "exception") else None,
            "showAs": ev["showAs"], "type": gtype,
            "webLink": f"https://outlook.office365.com/owa/?itemid={urllib.parse.quote(eid)}&exvsurl=1&path=/calendar/item",
            "onlineMeetingUrl": None, "isOnlineMeeting": False, "onlineMeeting": None,
            "allowNewTimeProposals": ev["allowNewTimeProposals"],
            "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
            "body": ev["body"], "start": graph_time(st, tzname), "end": graph_time(en, tzname),
            "location": ev["location"], "locations": [],
            "recurrence": None, "attendees": [attendee_json(a) for a in attendees],
            "organizer": {"emailAddress": {"name": ev["organizer"]["name"], "address": ev["organizer"]["address"]}},
        }
        if ev["transactionId"]:
            out["transactionId"] = ev["transactionId"]
        if kind == "master":
            z = zone(ev["tz"]) or UTC
            out["recurrence"] = rrule_to_pattern(ev["rrule"], ev["start"].astimezone(z))
            out["cancelledOccurrences"] = [
                f"OID.{ev['id']}.{c.astimezone(z).strftime('%Y-%m-%d')}" for c in sorted(ev["cancelled"])]
        if kind in ("occurrence", "exception"):
            z = zone(ev["tz"]) or UTC
            out["originalStart"] = iso_utc(s)
            out["occurrenceId"] = f"OID.{ev['id']}.{s.astimezone(z).strftime('%Y-%m-%d')}"
        if expand_props is not None:
            out["singleValueExtendedProperties"] = [
                {"id": pid, "value": v} for pid, v in ev["props"].items()
                if expand_props == "*" or pid.lower() == expand_props.lower()]
        return out


def attendee_internal(a):
    return {"address": a["address"], "name": a.get("name") or a["address"],
            "type": a.get("type", "required"), "response": a.get("response", "none"),
            "time": "0001-01-01T00:00:00Z"}


def attendee_json(a):
    return {"type": a["type"], "status": {"response": a["response"], "time": a["time"]},
            "emailAddress": {"name": a["name"], "address": a["address"]}}


STORE = Store()


# --- tokens --------------------------------------------------------------

def issue_token(client_id, client, audience, tenant):
    now = int(time.time())
    header = b64url(json.dumps({"typ": "JWT", "alg": "HS256", "kid": "standin"}).encode())
    payload = b64url(json.dumps({
        "aud": audience, "iss": f"https://sts.windows.net/{tenant}/", "iat": now, "nbf": now,
        "exp": now + STORE.token_lifetime, "appid": client_id, "idtyp": "app",
        "roles": client["roles"], "tid": tenant, "oid": str(uuid.uuid5(uuid.NAMESPACE_URL, client_id)),
        "jti": uuid.uuid4().hex, "issued": time.time(),
    }).encode())
    sig = b64url(hmac.new(STORE.secret, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{sig}"


def check_token(headers):
    auth = headers.get("Authorization", "")
    if not auth.startswith("Bearer ") or not auth[7:].strip():
        raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
    token = auth[7:].strip()
    parts = token.split(".")
    if len(parts) != 3:
        raise GraphError(401, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).")
    want = b64url(hmac.new(STORE.secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(want, parts[2]):
        raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid signature.")
    claims = json.loads(b64url_decode(parts[1]))
    if claims.get("aud") not in (GRAPH_AUDIENCE, "00000003-0000-0000-c000-000000000000"):
        raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
    if claims["exp"] <= time.time() or claims.get("issued", 0) < STORE.expired_before.get(claims.get("appid"), 0):
        raise GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
    return claims


def rsa_verify(jwk, signing_input, signature):
    """RS256 (PKCS #1 v1.5 with SHA-256) with an RSA public key given as a JWK."""
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    k = (n.bit_length() + 7) // 8
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (k - len(digest_info) - 3) + b"\x00" + digest_info
    return hmac.compare_digest(em, expected)


def token_endpoint(tenant, form, token_url):
    def fail(status, error, code, text):
        return status, {"error": error, "error_description": f"{code}: {text}",
                        "error_codes": [int(code[6:])], "timestamp": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ"),
                        "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4())}
    grant = form.get("grant_type")
    if grant != "client_credentials":
        return fail(400, "unsupported_grant_type", "AADSTS70003",
                    f"The app requested an unsupported grant type '{grant}'.")
    client_id = form.get("client_id", "")
    scope = form.get("scope", "")
    assertion = form.get("client_assertion")
    if assertion and not client_id:
        try:
            client_id = json.loads(b64url_decode(assertion.split(".")[1])).get("sub", "")
        except Exception:
            client_id = ""
    client = STORE.clients.get(client_id)
    if client is None:
        return fail(400, "unauthorized_client", "AADSTS700016",
                    f"Application with identifier '{client_id}' was not found in the directory '{tenant}'.")
    if not scope.endswith("/.default"):
        return fail(400, "invalid_scope", "AADSTS1002012",
                    f"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
    if assertion:
        if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return fail(400, "invalid_request", "AADSTS50027", "Invalid JWT token: client_assertion_type is wrong.")
        try:
            h64, p64, s64 = assertion.split(".")
            header, claims = json.loads(b64url_decode(h64)), json.loads(b64url_decode(p64))
            sig = b64url_decode(s64)
        except Exception:
            return fail(400, "invalid_request", "AADSTS50027", "Invalid JWT token. Token format not valid.")
        jwk = client.get("jwk")
        if not jwk:
            return fail(401, "invalid_client", "AADSTS700027", "Client assertion contains an invalid signature: no certificate is registered.")
        thumb = header.get("x5t#S256") or header.get("x5t")
        if header.get("alg") not in ("RS256", "PS256") or thumb not in (jwk.get("x5t"), jwk.get("x5t#S256")):
            return fail(401, "invalid_client", "AADSTS700027",
                        f"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{thumb}']")
        if header.get("alg") != "RS256" or not rsa_verify(jwk, f"{h64}.{p64}".encode(), sig):
            return fail(401, "invalid_client", "AADSTS700027", "Client assertion contains an invalid signature.")
        now = time.time()
        if claims.get("iss") != client_id or claims.get("sub") != client_id:
            return fail(401, "invalid_client", "AADSTS700023", "Client assertion issuer and subject must be the client id.")
        if claims.get("aud") not in (token_url,):
            return fail(401, "invalid_client", "AADSTS700024",
                        f"Client assertion audience claim does not match Realm issuer. Review the documentation at https://aka.ms/certCreds . Expected {token_url}.")
        if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] < now:
            return fail(401, "invalid_client", "AADSTS700024", "Client assertion is not within its valid time range.")
        jti = claims.get("jti")
        if not jti or jti in STORE.used_assertions:
            return fail(401, "invalid_client", "AADSTS700025", "Client assertion jti was used before.")
        STORE.used_assertions.add(jti)
    else:
        secret = form.get("client_secret")
        if not client.get("secret") or secret != client["secret"]:
            return fail(401, "invalid_client", "AADSTS7000215",
                        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + client_id + "'.")
    audience = scope[: -len("/.default")]
    token = issue_token(client_id, client, audience, tenant)
    return 200, {"token_type": "Bearer", "expires_in": STORE.token_lifetime,
                 "ext_expires_in": STORE.token_lifetime, "access_token": token}


# --- request body validation ------------------------------------------------

def unknown(keys, allowed, typename):
    for k in keys:
        if k not in allowed:
            raise GraphError(400, "RequestBodyRead",
                             f"The property '{k}' does not exist on type '{typename}'. Make sure to only use "
                             "property names that are defined by the type or mark the type as open type.")


def parse_attendees(value):
    if not isinstance(value, list):
        raise GraphError(400, "RequestBodyRead", "attendees must be a collection.")
    out = []
    for a in value:
        if not isinstance(a, dict):
            raise GraphError(400, "RequestBodyRead", "An attendee must be an object.")
        unknown(a, {"emailAddress", "type", "status", "@odata.type"}, "microsoft.graph.attendee")
        ea = a.get("emailAddress") or {}
        unknown(ea, {"address", "name", "@odata.type"}, "microsoft.graph.emailAddress")
        addr = ea.get("address", "")
        if "@" not in addr:
            raise GraphError(400, "ErrorInvalidRecipients", f"At least one recipient isn't valid: '{addr}'.")
        t = a.get("type", "required")
        if t not in ("required", "optional", "resource"):
            raise GraphError(400, "RequestBodyRead", f"The value '{t}' is not valid for attendeeType.")
        out.append(attendee_internal({"address": addr, "name": ea.get("name"), "type": t}))
    return out


def apply_fields(store, body, ev_fields, creating):
    """Validates an event body and writes it into `ev_fields` (internal form)."""
    if not isinstance(body, dict):
        raise GraphError(400, "RequestBodyRead", "The request body must be a JSON object.")
    unknown(body, EVENT_WRITABLE, "microsoft.graph.event")
    if not creating and "transactionId" in body:
        raise GraphError(400, "ErrorInvalidPropertyUpdateSentToServer", "transactionId cannot be changed once set.")
    if "subject" in body:
        if not isinstance(body["subject"], str):
            raise GraphError(400, "RequestBodyRead", "subject must be a string.")
        ev_fields["subject"] = body["subject"]
    if "body" in body:
        b = body["body"]
        unknown(b, {"contentType", "content", "@odata.type"}, "microsoft.graph.itemBody")
        if b.get("contentType", "text").lower() not in ("text", "html"):
            raise GraphError(400, "RequestBodyRead", "contentType must be text or html.")
        ev_fields["body"] = {"contentType": b.get("contentType", "text").lower(), "content": b.get("content", "")}
    if "start" in body:
        ev_fields["start"], ev_fields["tz"] = parse_dttz(body["start"], "start")
    if "end" in body:
        ev_fields["end"], _ = parse_dttz(body["end"], "end")
    if "attendees" in body:
        ev_fields["attendees"] = parse_attendees(body["attendees"])
    if "location" in body:
        unknown(body["location"], {"displayName", "locationType", "locationUri", "@odata.type"}, "microsoft.graph.location")
        ev_fields["location"] = {"displayName": body["location"].get("displayName", "")}
    for key, kinds in (("isReminderOn", bool), ("responseRequested", bool), ("allowNewTimeProposals", bool),
                       ("isAllDay", bool), ("reminderMinutesBeforeStart", int), ("categories", list)):
        if key in body:
            if not isinstance(body[key], kinds):
                raise GraphError(400, "RequestBodyRead", f"{key} has the wrong type.")
            ev_fields[key] = body[key]
    if "showAs" in body:
        if body["showAs"] not in ("free", "tentative", "busy", "oof", "workingElsewhere", "unknown"):
            raise GraphError(400, "RequestBodyRead", f"The value '{body['showAs']}' is not valid for freeBusyStatus.")
        ev_fields["showAs"] = body["showAs"]
    if "transactionId" in body:
        if not isinstance(body["transactionId"], str) or not body["transactionId"]:
            raise GraphError(400, "RequestBodyRead", "transactionId must be a string.")
        ev_fields["transactionId"] = body["transactionId"]
    if "singleValueExtendedProperties" in body:
        props = {}
        for p in body["singleValueExtendedProperties"]:
            unknown(p, {"id", "value", "@odata.type"}, "microsoft.graph.singleValueLegacyExtendedProperty")
            if not isinstance(p.get("id"), str) or not EXT_ID_RE.match(p["id"]):
                raise GraphError(400, "ErrorInvalidProperty", f"The extended property id '{p.get('id')}' is not valid.")
            props[p["id"]] = str(p.get("value", ""))
        ev_fields["props"] = props
    if "recurrence" in body and body["recurrence"] is not None:
        ev_fields["_recurrence"] = body["recurrence"]


def parse_filter(text):
    """The $filter forms the stand-in understands, as (kind, values)."""
    text = text.strip()
    m = re.fullmatch(r"singleValueExtendedProperties/any\((\w+):\s*\1/id eq '([^']*)' and \1/value eq '((?:[^']|'')*)'\)",
                     text, re.I)
    if m:
        return "ext", (m.group(2), m.group(3).replace("''", "'"))
    m = re.fullmatch(r"(subject|name) eq '((?:[^']|'')*)'", text, re.I)
    if m:
        return m.group(1).lower(), m.group(2).replace("''", "'")
    raise GraphError(400, "BadRequest", f"Invalid filter clause: the stand-in does not support '{text}'.")


def parse_expand(text):
    if not text:
        return None
    m = re.fullmatch(r"singleValueExtendedProperties(?:\(\$filter=id eq '([^']*)'\))?", text.strip(), re.I)
    if not m:
        raise GraphError(400, "BadRequest", f"Parsing OData Select and Expand failed: could not find a property named '{text}'.")
    return m.group(1) or "*"


# --- the HTTP handler ------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GraphStandin/1.0"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("graph-standin: " + (fmt % args) + "\n")

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send_json(self, status, obj, headers=None):
        data = b"" if obj is None else json.dumps(obj).encode()
        self.send_response(status)
        if obj is not None:
            self.send_header("Content-Type", "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("request-id", str(uuid.uuid4()))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def dispatch(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = {k.lower() if not k.startswith("$") else k: v
                 for k, v in urllib.parse.parse_qsl(url.query, keep_blank_values=True)}
        path = urllib.parse.unquote(url.path)
        raw = self.read_body()
        status = 500
        try:
            with STORE.lock:
                if path.startswith("/_admin/"):
                    status, obj, headers = self.admin(method, path[len("/_admin/"):], raw, query)
                elif re.fullmatch(r"/[^/]+/oauth2/v2\.0/token", path) and method == "POST":
                    form = dict(urllib.parse.parse_qsl(raw.decode()))
                    basic = self.headers.get("Authorization", "")
                    if basic.startswith("Basic "):
                        # client_secret_basic: the id and secret, each form-encoded (RFC 6749 section 2.3.1).
                        try:
                            cid, _, sec = base64.b64decode(basic[6:]).decode().partition(":")
                        except ValueError:
                            cid, sec = "", ""
                        form.setdefault("client_id", urllib.parse.unquote_plus(cid))
                        form.setdefault("client_secret", urllib.parse.unquote_plus(sec))
                    token_url = f"http://{self.headers.get('Host')}{path}"
                    status, obj = token_endpoint(path.split("/")[1], form, token_url)
                    headers = {"Cache-Control": "no-store"}
                elif path.startswith("/v1.0/"):
                    status, obj, headers = self.graph(method, path[len("/v1.0"):], raw, query)
                else:
                    raise GraphError(400, "BadRequest", f"Invalid version: {path}")
        except GraphError as e:
            status, obj, headers = e.status, {"error": {
                "code": e.code, "message": e.message,
                "innerError": {"date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                               "request-id": str(uuid.uuid4()), "client-request-id": str(uuid.uuid4())}}}, e.headers
        except Exception as e:  # a bug in the stand-in: say so, as a 500
            status, obj, headers = 500, {"error": {"code": "generalException", "message": f"stand-in bug: {e!r}"}}, {}
            import traceback
            traceback.print_exc()
        with STORE.lock:
            if not path.startswith("/_admin/"):
                STORE.log.append({"method": method, "path": path, "query": url.query, "status": status,
                                  "if_match": self.headers.get("If-Match"), "prefer": self.headers.get("Prefer"),
                                  "at": time.time()})
        self.send_json(status, obj, headers)

    # --- Graph ---------------------------------------------------------------

    def graph(self, method, path, raw, query):
        claims = check_token(self.headers)
        label = f"{method} {path}"
        for i, f in enumerate(STORE.faults):
            if re.search(f.get("match", ""), label):
                STORE.faults.pop(i)
                code, text = ({429: ("TooManyRequests", "Application is over its MailboxConcurrency limit."),
                               503: ("ServiceUnavailable", "The service is temporarily unavailable.")}
                              .get(f["status"], ("generalException", "fault")))
                raise GraphError(f["status"], code, text, {"Retry-After": str(f.get("retry_after", 1))})
        m = re.fullmatch(r"/users/([^/]+)(/.*)?", path)
        if not m:
            raise GraphError(400, "BadRequest", f"Resource not found for the segment '{path}'.")
        mailbox, rest = m.group(1).lower(), m.group(2) or ""
        self.max_page = STORE.mailbox_page.get(mailbox, STORE.max_page)
        mailboxes = STORE.clients.get(claims["appid"], {}).get("mailboxes")
        if mailboxes is not None and mailbox not in [x.lower() for x in mailboxes]:
            raise GraphError(403, "ErrorAccessDenied",
                             "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.")
        roles = set(claims.get("roles", []))
        if rest == "/sendMail":
            if "Mail.Send" not in roles:
                raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
            return self.send_mail(mailbox, raw)
        need = {"Calendars.ReadWrite"} if method != "GET" else {"Calendars.ReadWrite", "Calendars.Read"}
        if not roles & need:
            raise GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
        tzname = None
        prefer = self.headers.get("Prefer", "")
        pm = re.search(r'outlook\.timezone\s*=\s*"([^"]+)"', prefer)
        if pm:
            if zone(pm.group(1)) is None:
                raise GraphError(400, "TimeZoneNotSupportedException",
                                 f"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{pm.group(1)}'.")
            tzname = pm.group(1)
        hdrs = {"Preference-Applied": f'outlook.timezone="{tzname}"'} if tzname else {}
        maxpage = re.search(r"odata\.maxpagesize\s*=\s*(\d+)", prefer)
        base = f"http://{self.headers.get('Host')}/v1.0/users/{urllib.parse.quote(mailbox)}"

        if rest == "/calendars" and method == "GET":
            cals = [c for c in STORE.calendars.values() if c["mailbox"] == mailbox]
            if not cals:
                STORE.default_calendar(mailbox)
                cals = [c for c in STORE.calendars.values() if c["mailbox"] == mailbox]
            if "$filter" in query:
                kind, value = parse_filter(query["$filter"])
                if kind != "name":
                    raise GraphError(400, "BadRequest", "Invalid filter clause.")
                cals = [c for c in cals if c["name"] == value]
            return 200, self.page(cals and [calendar_json(c, mailbox) for c in cals] or [], query, base + "/calendars", None), hdrs
        m = re.fullmatch(r"/calendars/([^/]+)(/.*)?", rest)
        if m:
            cal = STORE.calendar_of(mailbox, m.group(1))
            sub = m.group(2) or ""
            prefix = f"{base}/calendars/{urllib.parse.quote(cal['id'])}"
            if sub == "" and method == "GET":
                return 200, calendar_json(cal, mailbox), hdrs
        else:
            cal = STORE.default_calendar(mailbox)
            sub = rest
            prefix = base
        if sub == "/calendarView" and method == "GET":
            lo = parse_query_time(query.get("startdatetime"), "startDateTime")
            hi = parse_query_time(query.get("enddatetime"), "endDateTime")
            items = [STORE.render(k, ev, s, tzname) for k, ev, s in STORE.instances(cal["id"], lo, hi)]
            return 200, self.page(items, query, prefix + "/calendarView", maxpage), hdrs
        if sub == "/calendarView/delta" and method == "GET":
            return 200, self.delta(cal, query, prefix + "/calendarView/delta", tzname, maxpage), hdrs
        if sub == "/events" and method == "GET":
            expand = parse_expand(query.get("$expand"))
            evs = [e for e in STORE.events.values() if e["calendar"] == cal["id"]]
            if "$filter" in query:
                kind, value = parse_filter(query["$filter"])
                if kind == "ext":
                    pid, val = value
                    evs = [e for e in evs if any(k.lower() == pid.lower() and v == val for k, v in e["props"].items())]
                elif kind == "subject":
                    evs = [e for e in evs if e["subject"] == value]
                else:
                    raise GraphError(400, "BadRequest", "Invalid filter clause.")
            evs.sort(key=lambda e: (e["created"], e["id"]))
            items = [STORE.render("master" if e["rrule"] else "single", e, None, tzname, expand) for e in evs]
            return 200, self.page(items, query, prefix + "/events", maxpage), hdrs
        if sub == "/events" and method == "POST":
            return self.create_event(cal, raw, tzname, hdrs)
        m = re.fullmatch(r"/events/([^/]+)(/instances)?", sub)
        if m:
            kind, ev, s = STORE.resolve(mailbox, m.group(1))
            if ev["calendar"] != cal["id"] and prefix != base:
                raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            if m.group(2):
                if kind != "master" or method != "GET":
                    raise GraphError(400, "ErrorInvalidRequest", "instances is available on a series master only.")
                lo = parse_query_time(query.get("startdatetime"), "startDateTime")
                hi = parse_query_time(query.get("enddatetime"), "endDateTime")
                items = [STORE.render(k, e, t, tzname) for k, e, t in STORE.instances(ev["calendar"], lo, hi, ev["id"])]
                return 200, self.page(items, query, f"{base}/events/{m.group(1)}/instances", maxpage), hdrs
            if method == "GET":
                return 200, STORE.render(kind, ev, s, tzname, parse_expand(query.get("$expand"))), hdrs
            self.check_if_match(kind, ev, s)
            if method == "DELETE":
                self.delete_event(kind, ev, s)
                return 204, None, {}
            if method == "PATCH":
                return 200, self.update_event(kind, ev, s, raw, tzname), hdrs
        raise GraphError(400, "BadRequest", f"Resource not found for the segment '{sub}'.")

    def page(self, items, query, url, maxpage):
        size = self.max_page
        if "$top" in query:
            try:
                size = min(size, max(1, int(query["$top"])))
            except ValueError:
                raise GraphError(400, "BadRequest", f"Invalid $top value '{query['$top']}'.")
        if maxpage:
            size = min(size, int(maxpage.group(1)))
        skip = int(query.get("$skip", "0") or 0)
        out = {"value": items[skip: skip + size]}
        if skip + size < len(items):
            q = {k: v for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
                 if k != "$skip"}
            q["$skip"] = str(skip + size)
            out["@odata.nextLink"] = url + "?" + urllib.parse.urlencode(q, quote_via=urllib.parse.quote)
        return out

    def delta(self, cal, query, url, tzname, maxpage):
        if "$skiptoken" in query:
            # A page is served once: the round's rows go when it is read.
            rnd = STORE.rounds.pop(query["$skiptoken"], None)
            if rnd is None:
                raise GraphError(410, "SyncStateNotFound", "The sync state generation is not found or has expired.")
        else:
            if "$deltatoken" in query:
                prev = STORE.delta_tokens.get(query["$deltatoken"])
                if prev is None or prev["calendar"] != cal["id"]:
                    raise GraphError(410, "SyncStateNotFound", "The sync state generation is not found or has expired.")
                lo, hi = prev["lo"], prev["hi"]
            else:
                prev = None
                lo = parse_query_time(query.get("startdatetime"), "startDateTime")
                hi = parse_query_time(query.get("enddatetime"), "endDateTime")
            current = {}
            rows = []
            for k, ev, s in STORE.instances(cal["id"], lo, hi):
                item = STORE.render(k, ev, s, tzname)
                current[item["id"]] = item["changeKey"]
                if prev is None or prev["seen"].get(item["id"]) != item["changeKey"]:
                    rows.append(item)
            if prev is not None:
                for gone in prev["seen"]:
                    if gone not in current:
                        rows.append({"@odata.type": "#microsoft.graph.event", "id": gone,
                                     "@removed": {"reason": "deleted"}})
            token = b64url(uuid.uuid4().bytes)
            STORE.delta_tokens[token] = {"calendar": cal["id"], "lo": lo, "hi": hi, "seen": current}
            rnd = {"rows": rows, "pos": 0, "deltatoken": token}
        size = self.max_page if not maxpage else min(self.max_page, int(maxpage.group(1)))
        chunk = rnd["rows"][rnd["pos"]: rnd["pos"] + size]
        rnd["pos"] += len(chunk)
        out = {"value": chunk}
        if rnd["pos"] < len(rnd["rows"]):
            skip = b64url(uuid.uuid4().bytes)
            STORE.rounds[skip] = rnd
            out["@odata.nextLink"] = f"{url}?$skiptoken={skip}"
        else:
            out["@odata.deltaLink"] = f"{url}?$deltatoken={rnd['deltatoken']}"
        return out

    def check_if_match(self, kind, ev, s):
        given = self.headers.get("If-Match")
        if given is None:
            if STORE.require_if_match:
                raise GraphError(428, "PreconditionRequired",
                                 "This stand-in requires If-Match with the event's @odata.etag on every update and delete.")
            return
        if given.strip() == "*":
            return
        current = f'W/"{STORE.ck_of(kind, ev, s)}"'
        if given.strip() != current:
            raise GraphError(412, "ErrorIrresolvableConflict",
                             "The send or update operation could not be performed because the change key passed in "
                             "the request does not match the current change key for the item.")

    def create_event(self, cal, raw, tzname, hdrs):
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
        fields = {}
        apply_fields(STORE, body, fields, True)
        if "start" not in fields or "end" not in fields:
            raise GraphError(400, "ErrorPropertyValidationFailure", "An event needs both start and end.")
        if fields["end"] < fields["start"]:
            raise GraphError(400, "ErrorInvalidRequest", "The end of the event is before its start.")
        tid = fields.get("transactionId")
        if tid:
            for e in STORE.events.values():
                if e["mailbox"] == cal["mailbox"] and e["transactionId"] == tid:
                    return 201, STORE.render("master" if e["rrule"] else "single", e, None, tzname, "*"), hdrs
        rec = fields.pop("_recurrence", None)
        if rec is not None:
            z = zone(fields.get("tz")) or UTC
            fields["rrule"] = pattern_to_rrule(rec, fields["start"].astimezone(z))
        ev = STORE.new_event(cal, fields)
        for a in ev["attendees"]:
            STORE.meeting_messages.append({"method": "REQUEST", "mailbox": ev["mailbox"], "to": a["address"], "subject": ev["subject"],
                                           "event_id": ev["id"], "start": iso_utc(ev["start"]),
                                           "end": iso_utc(ev["end"]), "at": time.time()})
        return 201, STORE.render("master" if ev["rrule"] else "single", ev, None, tzname, "*"), hdrs

    def delete_event(self, kind, ev, s):
        if kind in ("single", "master"):
            del STORE.events[ev["id"]]
            for a in ev["attendees"]:
                STORE.meeting_messages.append({"method": "CANCEL", "mailbox": ev["mailbox"], "to": a["address"], "subject": ev["subject"],
                                               "event_id": ev["id"], "start": iso_utc(ev["start"]),
                                               "end": iso_utc(ev["end"]), "at": time.time()})
            return
        st, en = STORE.span_of(kind, ev, s)
        o = ev["overrides"].pop(s, None)
        ev["cancelled"].add(s)
        ev["modified"] = datetime.now(UTC)
        for a in (o["attendees"] if o else ev["attendees"]):
            STORE.meeting_messages.append({"method": "CANCEL", "mailbox": ev["mailbox"], "to": a["address"], "subject": ev["subject"],
                                           "event_id": STORE.occ_id(ev, s), "start": iso_utc(st),
                                           "end": iso_utc(en), "at": time.time()})

    def update_event(self, kind, ev, s, raw, tzname):
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise GraphError(400, "BadRequest", "Unable to read JSON request payload.")
        fields = {}
        apply_fields(STORE, body, fields, False)
        if kind in ("occurrence", "exception"):
            if set(fields) - {"subject", "start", "end", "attendees", "tz", "body", "showAs"}:
                raise GraphError(400, "ErrorInvalidRequest", "Only the time, subject and attendees of one occurrence can be changed here.")
            o = ev["overrides"].get(s) or {"subject": ev["subject"], "start": s,
                                           "end": s + (ev["end"] - ev["start"]),
                                           "attendees": copy.deepcopy(ev["attendees"])}
            for k in ("subject", "start", "end", "attendees"):
                if k in fields:
                    o[k] = fields[k]
            o["ck"] = STORE.new_ck()
            o["modified"] = datetime.now(UTC)
            ev["overrides"][s] = o
            return STORE.render("exception", ev, s, tzname)
        rec = fields.pop("_recurrence", None)
        fields.pop("transactionId", None)
        ev.update(fields)
        if rec is not None and kind == "master":
            z = zone(ev["tz"]) or UTC
            ev["rrule"] = pattern_to_rrule(rec, ev["start"].astimezone(z))
        ev["ck"] = STORE.new_ck()
        ev["modified"] = datetime.now(UTC)
        return STORE.render(kind, ev, s, tzname)

    def send_mail(self, mailbox, raw):
        ctype = (self.headers.get("Content-Type") or "").lower()
        if ctype.startswith("text/plain"):
            # The MIME form: the whole message, base64.
            try:
                mime = base64.b64decode(raw, validate=True)
            except ValueError:
                raise GraphError(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.")
            msg = email.message_from_bytes(mime, policy=email.policy.default)
            STORE.sent.append({"from": mailbox, "mime": mime.decode("utf-8", "replace"),
                               "subject": str(msg.get("Subject", "")),
                               "to": [a.addr_spec for h in msg.get_all("To", []) for a in h.addresses],
                               "headers": [{"name": k, "value": str(v)} for k, v in msg.items()],
                               "at": time.time()})
            return 202, None, {}
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            raise GraphError(400, "BadRequest", "Unable to read JSON request payload.")
        unknown(body, {"message", "saveToSentItems"}, "microsoft.graph.sendMail")
        msg = body.get("message")
        if not isinstance(msg, dict):
            raise GraphError(400, "ErrorInvalidParameter", "The message parameter is required.")
        unknown(msg, MESSAGE_WRITABLE, "microsoft.graph.message")

        def recipients(key):
            out = []
            for r in msg.get(key, []):
                unknown(r, {"emailAddress", "@odata.type"}, "microsoft.graph.recipient")
                ea = r.get("emailAddress") or {}
                unknown(ea, {"address", "name", "@odata.type"}, "microsoft.graph.emailAddress")
                if "@" not in ea.get("address", ""):
                    raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid.")
                out.append(ea)
            return out
        to, cc, bcc, reply_to = (recipients(k) for k in ("toRecipients", "ccRecipients", "bccRecipients", "replyTo"))
        if not (to or cc or bcc):
            raise GraphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid., Recipient '' is not resolved.")
        headers = msg.get("internetMessageHeaders", [])
        for h in headers:
            unknown(h, {"name", "value", "@odata.type"}, "microsoft.graph.internetMessageHeader")
            if not str(h.get("name", "")).lower().startswith("x-"):
                raise GraphError(400, "InvalidInternetMessageHeader",
                                 f"The internet message header name '{h.get('name')}' should start with 'x-' or 'X-'.")
        attachments = []
        for a in msg.get("attachments", []):
            unknown(a, {"@odata.type", "name", "contentType", "contentBytes", "isInline", "contentId"},
                    "microsoft.graph.fileAttachment")
            if a.get("@odata.type") != "#microsoft.graph.fileAttachment":
                raise GraphError(400, "ErrorInvalidRequest", "Only file attachments are accepted here.")
            attachments.append({"name": a.get("name"), "contentType": a.get("contentType"),
                                "content": base64.b64decode(a.get("contentBytes", "")).decode("utf-8", "replace")})
        b = msg.get("body") or {}
        unknown(b, {"contentType", "content", "@odata.type"}, "microsoft.graph.itemBody")
        STORE.sent.append({"from": mailbox, "subject": msg.get("subject", ""), "to": [r["address"] for r in to],
                           "cc": [r["address"] for r in cc], "replyTo": [r["address"] for r in reply_to],
                           "headers": headers, "body": b, "attachments": attachments,
                           "saveToSentItems": body.get("saveToSentItems", True), "at": time.time()})
        return 202, None, {}

    # --- ADMIN (tests only) ----------------------------------------------------
    #
    # POST /_admin/reset                          forget everything
    # POST /_admin/clients {client_id, client_secret?, jwk?, roles, mailboxes?}
    #      jwk: the certificate's RSA key {n, e, x5t, x5t#S256} for client assertions;
    #      roles: application permissions ("Calendars.ReadWrite", "Mail.Send");
    #      mailboxes: an application access policy (only these may be opened)
    # POST /_admin/settings {token_lifetime?, max_page? (mailbox?), require_if_match?,
    #                        expire_tokens?: client id whose tokens so far expire now}
    # POST /_admin/calendars {mailbox, name, ics?, timezone?} -> {id}
    # POST /_admin/faults {faults: [{status, retry_after, match}]}  answered in order
    # POST /_admin/edit {mailbox, id? | subject+start, action: patch|delete, changes?}
    #                                              the coordinator's own edit in Outlook
    # POST /_admin/respond {mailbox, id? | subject, attendee, response}
    #                                              an attendee answers an invitation
    # GET  /_admin/events?calendar=ID             every event and series, raw
    # GET  /_admin/view?calendar=ID&start=&end=   the calendarView in UTC, unpaged
    # GET  /_admin/log | /_admin/sent | /_admin/meeting-messages

    def admin(self, method, path, raw, query):
        body = json.loads(raw) if raw else {}
        if path == "reset" and method == "POST":
            STORE.reset()
            return 200, {"ok": True}, {}
        if path == "clients" and method == "POST":
            STORE.clients[body["client_id"]] = {"secret": body.get("client_secret"), "jwk": body.get("jwk"),
                                                "roles": body.get("roles", []), "mailboxes": body.get("mailboxes")}
            return 200, {"ok": True}, {}
        if path == "settings" and method == "POST":
            if "token_lifetime" in body:
                STORE.token_lifetime = int(body["token_lifetime"])
            if "max_page" in body and body.get("mailbox"):
                STORE.mailbox_page[body["mailbox"].lower()] = int(body["max_page"])
            elif "max_page" in body:
                STORE.max_page = int(body["max_page"])
            if "require_if_match" in body:
                STORE.require_if_match = bool(body["require_if_match"])
            if body.get("expire_tokens"):
                STORE.expired_before[body["expire_tokens"]] = time.time()
            return 200, {"ok": True}, {}
        if path == "calendars" and method == "POST":
            cal = STORE.add_calendar(body["mailbox"], body["name"])
            n = STORE.load_ics(cal, body["ics"], body.get("timezone", "UTC")) if body.get("ics") else 0
            return 200, {"id": cal["id"], "events": n}, {}
        if path == "faults" and method == "POST":
            STORE.faults.extend(body.get("faults", []))
            return 200, {"pending": len(STORE.faults)}, {}
        if path == "edit" and method == "POST":
            kind, ev, s = self.admin_find(body)
            if body.get("action") == "delete":
                self.delete_event(kind, ev, s)
                return 200, {"ok": True}, {}
            raw_changes = json.dumps(body.get("changes", {})).encode()
            return 200, self.update_event(kind, ev, s, raw_changes, None), {}
        if path == "respond" and method == "POST":
            kind, ev, s = self.admin_find(body)
            who = body["attendee"].lower()
            target = ev["overrides"][s]["attendees"] if s in ev["overrides"] else ev["attendees"]
            hit = [a for a in target if a["address"].lower() == who]
            if not hit:
                raise GraphError(404, "ErrorItemNotFound", f"{who} is not an attendee")
            for a in hit:
                a["response"] = body.get("response", "declined")
                a["time"] = iso_utc(datetime.now(UTC))
            if s in ev["overrides"]:
                ev["overrides"][s]["ck"] = STORE.new_ck()
            else:
                ev["ck"] = STORE.new_ck()
            ev["modified"] = datetime.now(UTC)
            return 200, {"ok": True}, {}
        if path == "events" and method == "GET":
            out = []
            for e in STORE.events.values():
                if query.get("calendar") and e["calendar"] != query["calendar"]:
                    continue
                out.append(STORE.render("master" if e["rrule"] else "single", e, None, None, "*"))
            return 200, {"value": out}, {}
        if path == "view" and method == "GET":
            lo = parse_query_time(query.get("start"), "start")
            hi = parse_query_time(query.get("end"), "end")
            items = [STORE.render(k, ev, s, None, "*") for k, ev, s in STORE.instances(query["calendar"], lo, hi)]
            return 200, {"value": items}, {}
        if path == "log" and method == "GET":
            return 200, {"value": STORE.log}, {}
        if path == "sent" and method == "GET":
            return 200, {"value": STORE.sent}, {}
        if path == "meeting-messages" and method == "GET":
            return 200, {"value": STORE.meeting_messages}, {}
        raise GraphError(404, "NotFound", f"no admin endpoint {method} {path}")

    def admin_find(self, body):
        mailbox = body["mailbox"].lower()
        if body.get("id"):
            return STORE.resolve(mailbox, body["id"])
        start = parse_query_time(body["start"], "start") if body.get("start") else None
        for c in STORE.calendars.values():
            if c["mailbox"] != mailbox:
                continue
            lo = start or datetime(1970, 1, 1, tzinfo=UTC)
            hi = (start + timedelta(seconds=1)) if start else datetime(2100, 1, 1, tzinfo=UTC)
            for k, ev, s in STORE.instances(c["id"], lo, hi):
                subj = ev["overrides"][s]["subject"] if s in ev["overrides"] else ev["subject"]
                if body.get("subject") not in (None, subj):
                    continue
                if start and STORE.span_of(k, ev, s)[0] != start:
                    continue
                return k, ev, s
        raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")


def calendar_json(c, mailbox):
    return {"id": c["id"], "name": c["name"], "color": "auto", "hexColor": "", "isDefaultCalendar": c.get("default", False),
            "changeKey": b64url(hashlib.sha256(c["id"].encode()).digest()[:12]), "canShare": True,
            "canViewPrivateItems": True, "canEdit": True, "allowedOnlineMeetingProviders": ["teamsForBusiness"],
            "defaultOnlineMeetingProvider": "teamsForBusiness", "isTallyingResponses": True, "isRemovable": not c.get("default"),
            "owner": {"name": mailbox, "address": mailbox}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=3300)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.verbose = args.verbose
    server.daemon_threads = True
    print(f"graph-standin: listening on http://{args.host}:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
