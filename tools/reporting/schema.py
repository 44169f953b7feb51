"""tools/reporting/schema.py — read what an experiment printed, or say exactly what is wrong.

Experiment JSON (efficiency/*, coroutine:scale and tools/python/*, with --json): exactly
one JSON object on stdout,
  {"experiment": "<name>",
   "results": [{"mode": "<single|threads|processes|tbb|coroutines|...>", "workers": <n>,
                "seconds": <median>, "min": <s>, "max": <s>,
                "speedup": <single median / this median>}, ...]}
Numbers may be null (the lessons write a non-finite number as null). Optional fields the
report also reads:
  top level  "work": "<what one run computes, in words, in the run's language>"
             "work_in": {"en": "<the work in English>", "zh": "<the work in Chinese>"}
                           (the report writes both READMEs from one run, so it takes the
                           work in the language it writes; without "work_in", or a
                           language missing from it, "work")
             "warnings": [{"code": "<fewer_cores|busy_machine|unoptimised_build|implausible>",
                           "message": "<a sentence, in the run's language>",
                           "modes": ["<mode>", ...]}]   (modes: the rows affected; an empty
                           list: the whole run) — why a figure may not show the phenomenon
                           (common/run_conditions.h)
  per result "peak_rss_bytes": <peak RSS of the run>,
             "bytes_per_worker": <memory one thread/coroutine/process needed>
Everything else is kept in the raw JSON and ignored here.

Google Benchmark JSON (efficiency:costs with --benchmark_format=json): the object Google
Benchmark prints; the report reads benchmarks[].name, real_time, cpu_time, time_unit.
"""

import json
import math
from dataclasses import dataclass
from gettext import gettext as _

from tools.reporting import experiments


class BadOutput(Exception):
    """The program's output is not what the report reads; the message says why."""


@dataclass
class Result:
    mode: str
    workers: int
    seconds: float = None
    min: float = None
    max: float = None
    speedup: float = None
    peak_rss_bytes: float = None
    bytes_per_worker: float = None


@dataclass
class Warning:
    code: str
    message: str
    modes: list        # the rows affected; empty: the whole run

    def affects(self, mode):
        return not self.modes or mode in self.modes


@dataclass
class Benchmark:
    name: str
    real_time: float
    cpu_time: float
    time_unit: str
    error: str = ""


@dataclass
class Measurement:
    """What one run measured: `results` (experiment JSON) or `benchmarks`."""
    experiment: str
    results: list
    benchmarks: list
    work: str
    raw: dict
    warnings: list = None   # Warning
    work_in: dict = None    # {"en": ..., "zh": ...}, the languages the run gave

    def work_text(self, language):
        """The work in `language` ("en" or "zh"), else as the run said it ("work")."""
        return (self.work_in or {}).get(language) or self.work

    def warnings_for(self, mode):
        return [w for w in self.warnings or [] if w.affects(mode)]


def parse(stdout, output_format):
    """Parses a program's stdout; returns a Measurement or raises BadOutput."""
    if output_format == experiments.BENCHMARK_JSON:
        return _benchmarks(_one_object(stdout, trailing_text_allowed=True))
    return _experiment(_one_object(stdout, trailing_text_allowed=False))


def _one_object(stdout, trailing_text_allowed):
    text = stdout.strip()
    if not text:
        raise BadOutput(_("printed nothing on stdout (expected one JSON object)"))
    if not text.startswith("{"):
        raise BadOutput(_("stdout does not start with a JSON object: %s") % _excerpt(text))
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        raise BadOutput(_("stdout is not valid JSON (%(what)s at line %(line)d column %(column)d)")
                        % {"what": error.msg, "line": error.lineno, "column": error.colno}) from None
    rest = text[end:].strip()
    if rest and not trailing_text_allowed:
        raise BadOutput(_("stdout has more after the JSON object: %s") % _excerpt(rest))
    return value


def _excerpt(text):
    line = text.splitlines()[0]
    return repr(line if len(line) <= 60 else line[:57] + "...")


def _number(value, where, allow_null=True):
    if value is None and allow_null:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadOutput(_("%(where)s is %(value)s, not a number") % {"where": where,
                                                                       "value": json.dumps(value)})
    return float(value)


def _objects(items, name):
    """(where, item) for each item of the JSON list called `name`: each must be an object."""
    for i, item in enumerate(items):
        where = f"{name}[{i}]"
        if not isinstance(item, dict):
            raise BadOutput(_("%s is not an object") % where)
        yield where, item


def _missing(where, key):
    return BadOutput(_('%(where)s has no "%(key)s"') % {"where": where, "key": key})


def _experiment(value):
    if not isinstance(value, dict):
        raise BadOutput(_("the JSON value is not an object"))
    name = value.get("experiment")
    if not isinstance(name, str) or not name:
        raise BadOutput(_('the JSON object has no "experiment" name'))
    rows = value.get("results")
    if not isinstance(rows, list) or not rows:
        raise BadOutput(_('the JSON object has no "results" list (or it is empty)'))
    results = []
    for where, row in _objects(rows, "results"):
        for key in ("mode", "workers", "seconds", "min", "max", "speedup"):
            if key not in row:
                raise _missing(where, key)
        if not isinstance(row["mode"], str) or not row["mode"]:
            raise BadOutput(_("%s.mode is not a name") % where)
        workers = row["workers"]
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
            raise BadOutput(_("%(where)s.workers is %(value)s, not a count")
                            % {"where": where, "value": json.dumps(workers)})
        results.append(Result(
            mode=row["mode"], workers=workers,
            **{key: _number(row.get(key), f"{where}.{key}")
               for key in ("seconds", "min", "max", "speedup", "peak_rss_bytes",
                           "bytes_per_worker")}))
    work = value.get("work") if isinstance(value.get("work"), str) else ""
    work_in = value.get("work_in") if isinstance(value.get("work_in"), dict) else {}
    work_in = {language: w for language, w in work_in.items() if isinstance(w, str) and w}
    return Measurement(name, results, [], work, value, _warnings(value.get("warnings", [])),
                       work_in)


def _warnings(value):
    if not isinstance(value, list):
        raise BadOutput(_('"warnings" is not a list'))
    warnings = []
    for where, entry in _objects(value, "warnings"):
        code, message, modes = entry.get("code"), entry.get("message"), entry.get("modes", [])
        if not isinstance(code, str) or not code:
            raise _missing(where, "code")
        if not isinstance(message, str) or not message:
            raise _missing(where, "message")
        if not isinstance(modes, list) or not all(isinstance(m, str) for m in modes):
            raise BadOutput(_("%s.modes is not a list of mode names") % where)
        warnings.append(Warning(code, message, modes))
    return warnings


def _benchmarks(value):
    if not isinstance(value, dict) or not isinstance(value.get("benchmarks"), list):
        raise BadOutput(_('the JSON object has no "benchmarks" list (Google Benchmark format)'))
    benchmarks = []
    for i, row in enumerate(value["benchmarks"]):
        where = f"benchmarks[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise BadOutput(_("%s has no name") % where)
        if row.get("error_occurred"):
            benchmarks.append(Benchmark(row["name"], None, None, "",
                                        str(row.get("error_message", "error"))))
            continue
        benchmarks.append(Benchmark(row["name"], _number(row.get("real_time"), f"{where}.real_time", False),
                                    _number(row.get("cpu_time"), f"{where}.cpu_time", False),
                                    str(row.get("time_unit", "ns"))))
    if not benchmarks:
        raise BadOutput(_("Google Benchmark ran no benchmark"))
    return Measurement("costs", [], benchmarks, "", value, [])
