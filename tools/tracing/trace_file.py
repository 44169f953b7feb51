"""tools/tracing/trace_file.py — read a lesson's --trace file, and say what is wrong with it.

The file is what common/trace.h writes: the JSON object form of the Trace Event Format,
{"traceEvents": [...], ...}, timestamps in microseconds of one monotonic clock. The events
read here:
  B / E   a span on a thread (begin, end);  X  a complete span (ts + dur)
  b / e   a span on an async track (a coroutine), paired by id;  n  a moment on one
  i       a moment on a thread;  s / f  a flow arrow (out, in), paired by id
  C       a counter;  M  metadata: process_name, thread_name, process_sort_index
A span's state is one of: run, lock_wait, gil, sleep, join, barrier, io, wait, task. On a
thread (B/E, X) it is the event's category ("cat"); on an async track (b/e/n) every event
has the category "coroutine" and the state in args.state, because the format pairs async
events by category and id (common/trace.h).

load() parses a file into a Trace; spans() pairs its begins and ends; problems() lists
every way the trace breaks the format's rules (an empty list: valid). The rules are the
ones Perfetto and chrome://tracing rely on: every event well-formed, B/E balanced per
thread, spans on one thread nested (B/E and X alike), async spans closed.
"""

import json
import math
from dataclasses import dataclass, field

PHASES = set("BEXbeniisfCM")
SPAN_STATES = ("run", "lock_wait", "gil", "sleep", "join", "barrier", "io", "wait", "task")
ASYNC_CATEGORY = "coroutine"


def state_of(event):
    """The state an event's span is in: args.state on an async track, else the category."""
    if event.ph in "ben":
        return event.args.get("state", "")
    return event.cat
# Timestamps are printed with three decimals: two readings this close are the same instant.
EPSILON_US = 0.0005


class TraceError(Exception):
    """The file cannot be read as a trace at all (not JSON, no traceEvents)."""


@dataclass
class Event:
    index: int            # position in traceEvents, for messages
    ph: str
    ts: float
    pid: int
    tid: int
    name: str = ""
    cat: str = ""
    id: str = ""
    dur: float = None
    args: dict = field(default_factory=dict)


@dataclass
class Span:
    """A span: on a thread (track None) or on the async track `track` (a coroutine)."""
    pid: int
    tid: int
    name: str
    state: str
    start: float
    end: float
    track: str = None
    depth: int = 0

    def overlaps(self, other):
        return self.start < other.end - EPSILON_US and other.start < self.end - EPSILON_US


@dataclass
class Trace:
    events: list                                      # every event but metadata, file order
    metadata: list                                    # the M events
    process_names: dict = field(default_factory=dict)  # pid -> name
    thread_names: dict = field(default_factory=dict)   # (pid, tid) -> name
    sort_index: dict = field(default_factory=dict)     # pid -> process_sort_index
    malformed: list = field(default_factory=list)      # one line per event that is not one
    other: dict = field(default_factory=dict)          # otherData

    def processes(self):
        """The pids, in the trace's order: process_sort_index (the traced program first,
        then its children as they appeared), else the order of first mention in the file."""
        first = {}
        for e in sorted(self.metadata + self.events, key=lambda e: e.index):
            first.setdefault(e.pid, e.index)
        return sorted(first, key=lambda p: (self.sort_index.get(p, 1 << 30), first[p]))

    def start(self):
        stamps = [e.ts for e in self.events]
        return min(stamps) if stamps else 0.0

    def end(self):
        stamps = [e.ts + (e.dur or 0) for e in self.events]
        return max(stamps) if stamps else 0.0


def _event(index, raw):
    """An Event from one JSON value, or a string saying why it is not one."""
    if not isinstance(raw, dict):
        return f"event {index} is not a JSON object"
    ph = raw.get("ph")
    if ph not in PHASES:
        return f"event {index} has no known phase (ph={json.dumps(ph)})"
    ts = raw.get("ts", 0 if ph == "M" else None)
    if isinstance(ts, bool) or not isinstance(ts, (int, float)) or not math.isfinite(ts) or ts < 0:
        return f"event {index} ({ph}) has no valid timestamp (ts={json.dumps(ts)})"
    for key in ("pid", "tid"):
        if isinstance(raw.get(key), bool) or not isinstance(raw.get(key), int):
            return f"event {index} ({ph}) has no integer {key}"
    name = raw.get("name", "")
    if ph != "E" and (not isinstance(name, str) or not name):
        return f"event {index} ({ph}) has no name"
    cat = raw.get("cat", "")
    if ph in "BXbe" and (not isinstance(cat, str) or not cat):
        return f"event {index} ({ph} '{name}') has no category (its state)"
    ident = raw.get("id", "")
    if ph in "bensf" and (not isinstance(ident, (str, int)) or ident == ""):
        return f"event {index} ({ph} '{name}') has no id"
    dur = raw.get("dur")
    if ph == "X" and (isinstance(dur, bool) or not isinstance(dur, (int, float))
                      or not math.isfinite(dur) or dur < 0):
        return f"event {index} (X '{name}') has no valid duration (dur={json.dumps(dur)})"
    args = raw.get("args", {})
    if not isinstance(args, dict):
        return f"event {index} ({ph} '{name}') has args that are not an object"
    return Event(index, ph, float(ts), raw["pid"], raw["tid"], name, cat, str(ident),
                 None if dur is None else float(dur), args)


def parse(value):
    """A Trace from the decoded JSON value; raises TraceError if it is not a trace."""
    if not isinstance(value, dict) or not isinstance(value.get("traceEvents"), list):
        raise TraceError('not a trace: a JSON object with a "traceEvents" list was expected')
    trace = Trace([], [], other=value.get("otherData") or {})
    for index, raw in enumerate(value["traceEvents"]):
        event = _event(index, raw)
        if isinstance(event, str):
            trace.malformed.append(event)
        elif event.ph == "M":
            trace.metadata.append(event)
            value_name = event.args.get("name")
            if event.name == "process_name" and isinstance(value_name, str):
                trace.process_names[event.pid] = value_name
            elif event.name == "thread_name" and isinstance(value_name, str):
                trace.thread_names[(event.pid, event.tid)] = value_name
            elif event.name == "process_sort_index":
                trace.sort_index[event.pid] = event.args.get("sort_index", 0)
        else:
            trace.events.append(event)
    return trace


def load(path):
    """Reads a trace file; raises TraceError (with the reason) if it cannot."""
    try:
        with open(path, encoding="utf-8") as f:
            value = json.load(f)
    except OSError as error:
        raise TraceError(f"cannot read {path}: {error.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise TraceError(f"{path} is not JSON: {error}") from None
    return parse(value)


def _ordered(events):
    """Events in time order, file order among equal timestamps (a stable sort, as the
    viewers do: a writer's begin and end at one instant stay in the order written)."""
    return sorted(events, key=lambda e: e.ts)


def spans(trace, problems=None):
    """Every span of the trace: thread spans (B/E pairs and X) with their nesting depth,
    and async spans (b/e pairs, track = id). Unbalanced begins and ends are left out,
    and described in `problems` (a list) when one is given."""
    problems = [] if problems is None else problems
    out = []
    stacks = {}
    for e in _ordered(trace.events):
        if e.ph == "B":
            stacks.setdefault((e.pid, e.tid), []).append(e)
        elif e.ph == "E":
            stack = stacks.get((e.pid, e.tid))
            if not stack:
                problems.append(f"event {e.index}: E on thread {e.pid}/{e.tid} at {e.ts} µs "
                                "ends no span (no B open on that thread)")
                continue
            begin = stack.pop()
            out.append(Span(e.pid, e.tid, begin.name, begin.cat, begin.ts, e.ts))
        elif e.ph == "X":
            out.append(Span(e.pid, e.tid, e.name, e.cat, e.ts, e.ts + e.dur))
    for (pid, tid), stack in sorted(stacks.items()):
        for begin in stack:
            problems.append(f"event {begin.index}: B '{begin.name}' on thread {pid}/{tid} "
                            "is never ended (no E)")
    async_stacks = {}
    for e in _ordered(trace.events):
        key = (e.pid, e.cat, e.id)
        if e.ph == "b":
            async_stacks.setdefault(key, []).append(e)
        elif e.ph == "e":
            stack = async_stacks.get(key)
            if not stack:
                problems.append(f"event {e.index}: e '{e.name}' (id {e.id}, {e.cat}) ends no "
                                "async span")
                continue
            begin = stack.pop()
            if begin.name != e.name:
                problems.append(f"event {e.index}: e '{e.name}' (id {e.id}) ends the async "
                                f"span '{begin.name}': the names differ")
            out.append(Span(e.pid, begin.tid, begin.name, state_of(begin), begin.ts, e.ts,
                            track=e.id))
    for (pid, cat, ident), stack in sorted(async_stacks.items()):
        for begin in stack:
            problems.append(f"event {begin.index}: async span '{begin.name}' (id {ident}, "
                            f"{cat}) is never closed (no e)")
    _set_depths(out, problems)
    return out


def _set_depths(all_spans, problems):
    """Depth of each span in its thread's (or track's) stack; an overlap that is not a
    nesting is a problem (Perfetto draws it wrong)."""
    by_row = {}
    for s in all_spans:
        by_row.setdefault((s.pid, s.tid, s.track), []).append(s)
    for (pid, tid, track), row in by_row.items():
        row.sort(key=lambda s: (s.start, -s.end))
        open_spans = []
        for s in row:
            while open_spans and open_spans[-1].end <= s.start + EPSILON_US:
                open_spans.pop()
            if open_spans and s.end > open_spans[-1].end + EPSILON_US:
                outer = open_spans[-1]
                where = f"track {track}" if track else f"thread {pid}/{tid}"
                problems.append(f"on {where}, '{s.name}' ({s.start:.3f}–{s.end:.3f} µs) "
                                f"overlaps '{outer.name}' ({outer.start:.3f}–{outer.end:.3f} µs) "
                                "without nesting in it")
            s.depth = len(open_spans)
            open_spans.append(s)


def problems(trace):
    """Every rule the trace breaks, one line each; [] when it is valid."""
    found = list(trace.malformed)
    if not trace.events:
        found.append("the trace has no events")
    spans(trace, found)
    for e in trace.events:
        if e.ph in "BX" and e.cat not in SPAN_STATES:
            found.append(f"event {e.index} ({e.ph} '{e.name}') has the category '{e.cat}', "
                         f"which is not a state ({', '.join(SPAN_STATES)})")
        if e.ph in "be" and e.cat != ASYNC_CATEGORY:
            found.append(f"event {e.index} ({e.ph} '{e.name}') is on an async track but has "
                         f"the category '{e.cat}', not '{ASYNC_CATEGORY}' (async events pair by "
                         "category and id)")
        if e.ph == "b" and state_of(e) not in SPAN_STATES:
            found.append(f"event {e.index} (b '{e.name}') has the state '{state_of(e)}' in its "
                         f"args, which is not a state ({', '.join(SPAN_STATES)})")
    return found
