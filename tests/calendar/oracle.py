#!/usr/bin/env python3
"""A brute-force reference for business time, written from the spec's definitions
(../shared/spec/business-time.md), independent of Chamado's engine:

  open(t)      the local wall-clock time of t lies in an interval of its weekday, its local
               date is not a holiday, and it lies in no break (or the calendar is always open)
  elapsed(a,b) the open minutes in [a, b), counted minute by minute
  add(s, d)    the latest t >= s whose open time in [s, t) is d: walk minute by minute

Minute steps are exact when every boundary and input falls on a whole UTC minute (true of
modern zones; the random cases are aligned to 15 minutes). Expectations of unaligned cases in
cases.jsonl were set by hand. Local inputs: fold=0, i.e. a skipped time moves forward by the
gap and an ambiguous one takes the earlier offset.

Usage:
  oracle.py fill IN OUT     add "expect" to each case of IN (JSON lines)
  oracle.py random N SEED   print N random cases with "expect"
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone, date
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MIN = timedelta(minutes=1)


def clock(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def local_dt(s):
    d, t = s.split("T")
    base = datetime.fromisoformat(d)
    parts = t.split(":")
    minutes = int(parts[0]) * 60 + int(parts[1])
    secs = int(parts[2]) if len(parts) > 2 else 0
    return base + timedelta(minutes=minutes, seconds=secs)


class Cal:
    def __init__(self, c):
        self.zone = ZoneInfo(c["tz"])
        self.always = c.get("always_open", False)
        self.hours = {DAYS.index(k): [(clock(a), clock(b)) for a, b in v] for k, v in c.get("hours", {}).items()}
        self.holidays = {date.fromisoformat(h) for h in c.get("holidays", [])}
        self.breaks = [(local_dt(a), local_dt(b)) for a, b in c.get("breaks", [])]
        if "day_length" in c:
            dl = c["day_length"]
            self.day_length = int(dl[:-1]) * (60 if dl.endswith("h") else 1)
        else:
            totals = [sum(b - a for a, b in self.hours.get(d, [])) for d in range(7)] if not self.always else [1440] * 7
            counts = {}
            for t in totals:
                if t:
                    counts[t] = counts.get(t, 0) + 1
            self.day_length = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]

    def is_open(self, t):
        loc = t.astimezone(self.zone).replace(tzinfo=None)
        if loc.date() in self.holidays:
            return False
        if any(a <= loc < b for a, b in self.breaks):
            return False
        if self.always:
            return True
        m = loc.hour * 60 + loc.minute
        return any(a <= m < b for a, b in self.hours.get(loc.weekday(), []))

    def parse(self, s):
        if s.endswith("Z") or "+" in s[10:] or "-" in s[10:]:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone.utc)
        return local_dt(s).replace(tzinfo=self.zone, fold=0).astimezone(timezone.utc)

    def fmt(self, t):
        return t.astimezone(self.zone).isoformat()

    def elapsed(self, a, b):
        n, t = 0, a
        while t < b:
            n += self.is_open(t)
            t += MIN
        return n

    def add(self, s, minutes):
        t, acc = s, 0
        for _ in range(60 * 24 * 400):
            o = self.is_open(t)
            if o and minutes - acc < 1:  # what is left fits in this open minute
                return t + (minutes - acc) * MIN
            acc += o
            t += MIN
        raise ValueError("no opening")


def duration_minutes(text, day_length):
    total, num = 0, ""
    for ch in text:
        if ch.isdigit():
            num += ch
        else:
            n = int(num)
            num = ""
            total += {"m": n, "h": 60 * n, "d": n * day_length}[ch]
    return total


def expect(case):
    c = Cal(case["calendar"])
    op = case["op"]
    if op == "is_open":
        return {"open": c.is_open(c.parse(case["at"]))}
    if op == "elapsed":
        return {"minutes": c.elapsed(c.parse(case["start"]), c.parse(case["end"]))}
    d = case.get("duration_minutes")
    if d is None:
        d = duration_minutes(case["duration"], c.day_length)
    return {"due": c.fmt(c.add(c.parse(case["start"]), d))}


CALENDARS = [
    {"tz": "America/Sao_Paulo", "hours": {d: [["09:00", "12:00"], ["13:00", "17:00"]] for d in DAYS[:5]}, "holidays": ["2026-12-25", "2027-01-01"]},
    {"tz": "Europe/Berlin", "hours": {d: [["08:00", "18:00"]] for d in DAYS[:5]}, "holidays": ["2026-04-03", "2026-04-06"]},
    {"tz": "America/New_York", "hours": {**{d: [["09:00", "17:30"]] for d in DAYS[:5]}, "sat": [["10:00", "14:00"]]}},
    {"tz": "Europe/Berlin", "always_open": True},
    {"tz": "America/New_York", "always_open": True, "holidays": ["2026-07-04"]},
    {"tz": "Asia/Kolkata", "hours": {d: [["00:00", "06:00"], ["20:00", "24:00"]] for d in DAYS}},
]


def random_case(rng, i):
    cal = rng.choice(CALENDARS)
    year = rng.choice([2026, 2027])
    start = datetime(year, 1, 1) + timedelta(minutes=rng.randrange(0, 365 * 24 * 60 // 15) * 15)
    s = start.strftime("%Y-%m-%dT%H:%M:%S")
    op = rng.choice(["add", "add", "elapsed", "is_open"])
    case = {"id": f"r{i}", "calendar": cal, "op": op}
    if op == "add":
        case["start"] = s
        case["duration"] = rng.choice(["0m", "1m", "30m", "90m", "4h", "8h", "1d", "2d", "24h", "3d", "45m"])
    elif op == "elapsed":
        case["start"] = s
        case["end"] = (start + timedelta(minutes=rng.randrange(-60, 60 * 24 * 9))).strftime("%Y-%m-%dT%H:%M:%S")
    else:
        case["at"] = s
    return case


def main():
    if sys.argv[1] == "fill":
        out = []
        for line in open(sys.argv[2]):
            line = line.strip()
            if not line:
                continue
            case = json.loads(line)
            if "expect" not in case:
                case["expect"] = expect(case)
            out.append(json.dumps(case, ensure_ascii=False))
        open(sys.argv[3], "w").write("\n".join(out) + "\n")
    elif sys.argv[1] == "random":
        rng = random.Random(int(sys.argv[3]))
        for i in range(int(sys.argv[2])):
            case = random_case(rng, i)
            case["expect"] = expect(case)
            print(json.dumps(case))


if __name__ == "__main__":
    main()
