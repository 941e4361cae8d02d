#!/usr/bin/env python3
"""Scores `shiftcover parse` output against tests/messages/expected.jsonl.

Usage:
  cargo run -q -- parse --config tests/messages/shiftcover.toml tests/messages/q-*.eml > /tmp/q.jsonl
  python3 tests/tools/score_corpus.py q- /tmp/q.jsonl [--expected PATH] [--verbose]

The parse output may also come on stdin (pass "-"). Files are matched by base
name, so it does not matter how the .eml paths were given to `parse`.

It prints the three figures the held-out sets are measured by:
- kind right: over every expected message with the prefix;
- shifts exact: over the messages whose expected shifts are not empty, the
  reading's spans equal the expected ones as instants (order ignored);
- coverer right: over the messages expected to be `covered`, the reading's
  coverer is the expected roster address.
Where the expectation carries `on_behalf_of` and the reading has the field too,
that is scored as well. Each miss is listed with what was read and what was
expected, so a run doubles as the misread list.
"""
import argparse
import json
import os
import sys
from datetime import datetime, timezone


def instant(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc)


def spans(v):
    return sorted((instant(s["start"]), instant(s["end"])) for s in (v or []))


def show(v):
    if not v:
        return "[]"
    out = []
    for s in v:
        a = datetime.fromisoformat(s["start"].replace("Z", "+00:00"))
        b = datetime.fromisoformat(s["end"].replace("Z", "+00:00"))
        out.append(f"{a:%a %m/%d %H:%M}-{b:%H:%M}{a:%z}")
    return "[" + ", ".join(out) + "]"


def load_jsonl(stream):
    rows = []
    for n, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            sys.exit(f"line {n}: not JSON ({e}): {line[:120]}")
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("prefix", help="file name prefix to score, e.g. q-")
    ap.add_argument("parsed", help="parse output (JSON lines), or - for stdin")
    ap.add_argument("--expected", default=os.path.join(here, "..", "messages", "expected.jsonl"))
    ap.add_argument("--verbose", action="store_true", help="also list the messages read right")
    a = ap.parse_args()

    with open(a.expected) as f:
        expected = [e for e in load_jsonl(f) if os.path.basename(e["file"]).startswith(a.prefix)]
    src = sys.stdin if a.parsed == "-" else open(a.parsed)
    readings = {os.path.basename(r["file"]): r for r in load_jsonl(src)}

    kind_ok = kind_n = 0
    shifts_ok = shifts_n = 0
    cov_ok = cov_n = 0
    obo_ok = obo_n = 0
    from_bad = []
    missing = []
    for e in sorted(expected, key=lambda e: e["file"]):
        name = os.path.basename(e["file"])
        r = readings.get(name)
        if r is None:
            missing.append(name)
            kind_n += 1
            shifts_n += bool(e["shifts"])
            cov_n += e["kind"] == "covered"
            continue
        notes = []
        kind_n += 1
        if r.get("kind") == e["kind"]:
            kind_ok += 1
        else:
            notes.append(f"kind {r.get('kind')} (expected {e['kind']})")
        if e["shifts"]:
            shifts_n += 1
            if spans(r.get("shifts")) == spans(e["shifts"]):
                shifts_ok += 1
            else:
                notes.append(f"shifts {show(r.get('shifts'))} (expected {show(e['shifts'])})")
        elif r.get("shifts"):
            # Not counted in the figure (its denominator is the messages
            # that have shifts), but worth seeing.
            notes.append(f"extra shifts {show(r.get('shifts'))} (expected [])")
        if e["kind"] == "covered":
            cov_n += 1
            if r.get("coverer") == e["coverer"]:
                cov_ok += 1
            else:
                notes.append(f"coverer {r.get('coverer')} (expected {e['coverer']})")
        if "on_behalf_of" in e and "on_behalf_of" in r:
            obo_n += 1
            if r["on_behalf_of"] == e["on_behalf_of"]:
                obo_ok += 1
            else:
                notes.append(f"on_behalf_of {r['on_behalf_of']} (expected {e['on_behalf_of']})")
        if r.get("from") != e["from"]:
            from_bad.append(name)
            notes.append(f"from {r.get('from')} (expected {e['from']})")
        if r.get("unsure"):
            notes.append("unsure")
        if notes:
            print(f"MISS {name}: " + "; ".join(notes))
        elif a.verbose:
            print(f"ok   {name}: {e['kind']} {show(e['shifts'])} {e['coverer'] or ''}")

    for name in missing:
        print(f"MISS {name}: no reading in the parse output")
    print(f"kind right:    {kind_ok}/{kind_n}")
    print(f"shifts exact:  {shifts_ok}/{shifts_n}")
    print(f"coverer right: {cov_ok}/{cov_n}")
    if obo_n:
        print(f"on_behalf_of:  {obo_ok}/{obo_n}")
    if from_bad:
        print(f"from wrong:    {len(from_bad)}")


if __name__ == "__main__":
    main()
