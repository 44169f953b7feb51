"""tools/tracing/rows.py — a trace as the rows of a Gantt chart.

One row per process, thread and coroutine, in the order a reader follows them: processes
in the trace's order (the traced program first, then its children as they appeared);
within one, its main thread (labelled with the process: name and pid), then its other
threads by when they started, each followed by the coroutines that ran on it.

Two rules keep a lesson's default run readable at a glance:
- Threads of one process with the same name whose lives do not overlap share a row
  ("t1 (10 threads)"): a lesson that runs its two threads ten times shows two rows, not
  twenty. Coroutine tracks of one thread with the same name do the same.
- Past MAX_CHILD_ROWS threads in a process (or coroutines on a thread), the rest share one
  row ("… 95 more"), still drawn, so the picture stays honest about what ran.
"""

import bisect
from dataclasses import dataclass, field
from gettext import gettext as _

from tools.tracing import trace_file

MAX_CHILD_ROWS = 12
# States in which a coroutine is not running (a flow that arrives on its thread then is
# not its).
WAITING = {"sleep", "lock_wait", "join", "barrier", "io", "wait", "gil", "task"}


@dataclass
class Row:
    label: str
    pid: int
    kind: str                      # "process" (its main thread), "thread" or "coroutine"
    members: int = 1               # threads or coroutines sharing the row
    spans: list = field(default_factory=list)
    instants: list = field(default_factory=list)   # (ts, name)
    # What the row stands for: (pid, tid) for threads, (pid, track) for coroutines.
    keys: set = field(default_factory=set)
    first: float = 0.0
    last: float = 0.0


@dataclass
class Flow:
    name: str
    from_row: int
    from_ts: float
    to_row: int
    to_ts: float


@dataclass
class Timeline:
    rows: list
    flows: list
    start: float                   # µs, the trace's first event
    end: float
    process_starts: list           # indices of rows where a new process begins
    states: list                   # the states the spans use, in legend order


def _life(events, spans):
    stamps = [e.ts for e in events] + [s.start for s in spans] + [s.end for s in spans]
    return (min(stamps), max(stamps)) if stamps else (0.0, 0.0)


def _group_by_name(items):
    """items: [(name, first, last, key)] in start order -> [[name, first, last, [keys]]]
    where items with the same name and no overlap in time share a group."""
    groups = []
    for name, first, last, key in items:
        match = next((g for g in groups if g[0] == name and g[2] <= first), None)
        if match:
            match[2] = max(match[2], last)
            match[3].append(key)
        else:
            groups.append([name, first, last, [key]])
    return groups


def _fold(groups, labelled, rest_label):
    """[(label, first, last, keys)]: each group labelled by labelled(name, count), at most
    MAX_CHILD_ROWS of them; the rest share one row labelled rest_label(count)."""
    rows = [(labelled(g[0], len(g[3])), g[1], g[2], g[3]) for g in groups]
    if len(rows) <= MAX_CHILD_ROWS:
        return rows
    kept, rest = rows[:MAX_CHILD_ROWS - 1], rows[MAX_CHILD_ROWS - 1:]
    keys = [k for row in rest for k in row[3]]
    return kept + [(rest_label(len(keys)), min(r[1] for r in rest), max(r[2] for r in rest), keys)]


def _thread_label(name, count):
    if count > 1:
        return _("%(name)s (%(count)d threads)") % {"name": name, "count": count}
    return name


def _coroutine_label(name, count):
    if count > 1:
        return _("%(name)s (%(count)d coroutines)") % {"name": name, "count": count}
    return _("%s (coroutine)") % name


def build(trace):
    """The Timeline of a Trace (trace_file.Trace)."""
    all_spans = trace_file.spans(trace, [])
    events = trace.events
    rows, process_starts = [], []
    row_of = {}  # (pid, tid) or (pid, "track", id) -> row index
    for pid in trace.processes():
        mine = [e for e in events if e.pid == pid]
        thread_spans = [s for s in all_spans if s.pid == pid and s.track is None]
        tracks = [s for s in all_spans if s.pid == pid and s.track is not None]
        tids = {e.tid for e in mine if e.ph not in "bne"} | {s.tid for s in thread_spans}
        tids |= {tid for (p, tid) in trace.thread_names if p == pid}
        tids |= {s.tid for s in tracks}
        if not mine:
            continue
        lives = {tid: _life([e for e in mine if e.tid == tid and e.ph not in "bne"],
                            [s for s in thread_spans if s.tid == tid]) for tid in tids}
        others = sorted((t for t in tids if t != pid), key=lambda t: (lives[t][0], t))
        process_starts.append(len(rows))
        name = trace.process_names.get(pid, "")
        main_label = (_("%(name)s [pid %(pid)d]") % {"name": name, "pid": pid} if name
                      else _("process %d") % pid)
        thread_items = [(trace.thread_names.get((pid, t), _("thread %d") % t), *lives[t], t)
                        for t in others]
        groups = _fold(_group_by_name(thread_items), _thread_label,
                       lambda n: _("… %d more threads") % n)
        ordered = [(main_label, "process", lives.get(pid, (0.0, 0.0)), [pid])]
        ordered += [(g[0], "thread", (g[1], g[2]), g[3]) for g in groups]
        for label, kind, (first, last), tid_list in ordered:
            thread_row = len(rows)
            rows.append(Row(label, pid, kind, len(tid_list), first=first, last=last,
                            keys={(pid, t) for t in tid_list}))
            for t in tid_list:
                row_of[(pid, t)] = thread_row
            # The coroutines that began on these threads, after them.
            on_thread = {}
            for s in tracks:
                if s.tid in tid_list:
                    on_thread.setdefault(s.track, []).append(s)
            items = []
            for track, track_spans in on_thread.items():
                outer = min(track_spans, key=lambda s: (s.depth, s.start))
                items.append((outer.name, min(s.start for s in track_spans),
                              max(s.end for s in track_spans), track))
            items.sort(key=lambda item: (item[1], item[3]))
            for g in _fold(_group_by_name(items), _coroutine_label,
                           lambda n: _("… %d more coroutines") % n):
                row_index = len(rows)
                rows.append(Row(g[0], pid, "coroutine", len(g[3]), first=g[1], last=g[2],
                                keys={(pid, "track", k) for k in g[3]}))
                for k in g[3]:
                    row_of[(pid, "track", k)] = row_index
    for s in all_spans:
        key = (s.pid, s.tid) if s.track is None else (s.pid, "track", s.track)
        if key in row_of:
            rows[row_of[key]].spans.append(s)
    for e in events:
        key = (e.pid, "track", e.id) if e.ph == "n" else (e.pid, e.tid)
        if e.ph in "in" and key in row_of:
            rows[row_of[key]].instants.append((e.ts, e.name))
    flows = _flows(events, all_spans, row_of)
    states = [state for state in trace_file.SPAN_STATES
              if any(s.state == state for row in rows for s in row.spans)]
    states += sorted({s.state for row in rows for s in row.spans} - set(states))
    return Timeline(rows, flows, trace.start(), trace.end(), process_starts, states)


def _running_tracks(all_spans, row_of):
    """{(pid, tid): ([starts], [spans])}: the coroutine spans in a running state on each
    thread, by start (one thread runs one coroutine at a time, so they do not overlap)."""
    by_thread = {}
    for s in sorted(all_spans, key=lambda s: s.start):
        if s.track is not None and s.state not in WAITING and (s.pid, "track", s.track) in row_of:
            starts, spans = by_thread.setdefault((s.pid, s.tid), ([], []))
            starts.append(s.start)
            spans.append(s)
    return by_thread


def _flow_row(event, running, row_of):
    """The row a flow end belongs to: the coroutine running on its thread at that moment,
    if one is, else the thread."""
    starts, spans = running.get((event.pid, event.tid), ([], []))
    i = bisect.bisect_right(starts, event.ts) - 1
    if i >= 0 and spans[i].end >= event.ts:
        return row_of[(event.pid, "track", spans[i].track)]
    return row_of.get((event.pid, event.tid))


def _flows(events, all_spans, row_of):
    running = _running_tracks(all_spans, row_of)
    outs = {}
    flows = []
    for e in sorted(events, key=lambda e: e.ts):
        if e.ph == "s":
            outs[e.id] = e
        elif e.ph == "f" and e.id in outs:
            start = outs.pop(e.id)
            a, b = _flow_row(start, running, row_of), _flow_row(e, running, row_of)
            if a is not None and b is not None:
                flows.append(Flow(start.name, a, start.ts, b, e.ts))
    return flows
