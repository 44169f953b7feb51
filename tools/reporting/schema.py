"""tools/reporting/schema.py — read what an experiment printed, or say exactly what is wrong.

Experiment JSON (efficiency/*, coroutine:scale and tools/python/*, with --json): exactly
one JSON object on stdout,
  {"experiment": "<name>",
   "results": [{"mode": "<single|threads|processes|tbb|coroutines|...>", "workers": <n>,
                "seconds": <median>, "min": <s>, "max": <s>,
                "speedup": <single median / this median>}, ...]}
Numbers may be null (the lessons write a non-finite number as null). Optional fields the
report also reads:
  top level  "work": "<what one run computes, in words>"
  per result "peak_rss_bytes": <peak RSS of the run>,
             "bytes_per_worker": <memory one thread/coroutine/process needed>
Everything else is kept in the raw JSON and ignored here.

Google Benchmark JSON (efficiency:costs with --benchmark_format=json): the object Google
Benchmark prints; the report reads benchmarks[].name, real_time, cpu_time, time_unit.
"""

import json
import math
from dataclasses import dataclass

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


def parse(stdout, output_format):
    """Parses a program's stdout; returns a Measurement or raises BadOutput."""
    if output_format == experiments.BENCHMARK_JSON:
        return _benchmarks(_one_object(stdout, trailing_text_allowed=True))
    return _experiment(_one_object(stdout, trailing_text_allowed=False))


def _one_object(stdout, trailing_text_allowed):
    text = stdout.strip()
    if not text:
        raise BadOutput("printed nothing on stdout (expected one JSON object)")
    if not text.startswith("{"):
        raise BadOutput(f"stdout does not start with a JSON object: {_excerpt(text)}")
    try:
        value, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        raise BadOutput(f"stdout is not valid JSON ({error.msg} at line {error.lineno} "
                        f"column {error.colno})") from None
    rest = text[end:].strip()
    if rest and not trailing_text_allowed:
        raise BadOutput(f"stdout has more after the JSON object: {_excerpt(rest)}")
    return value


def _excerpt(text):
    line = text.splitlines()[0]
    return repr(line if len(line) <= 60 else line[:57] + "...")


def _number(value, where, allow_null=True):
    if value is None and allow_null:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadOutput(f"{where} is {json.dumps(value)}, not a number")
    return float(value)


def _experiment(value):
    if not isinstance(value, dict):
        raise BadOutput("the JSON value is not an object")
    name = value.get("experiment")
    if not isinstance(name, str) or not name:
        raise BadOutput('the JSON object has no "experiment" name')
    rows = value.get("results")
    if not isinstance(rows, list) or not rows:
        raise BadOutput('the JSON object has no "results" list (or it is empty)')
    results = []
    for i, row in enumerate(rows):
        where = f"results[{i}]"
        if not isinstance(row, dict):
            raise BadOutput(f"{where} is not an object")
        for key in ("mode", "workers", "seconds", "min", "max", "speedup"):
            if key not in row:
                raise BadOutput(f'{where} has no "{key}"')
        if not isinstance(row["mode"], str) or not row["mode"]:
            raise BadOutput(f'{where}.mode is not a name')
        workers = row["workers"]
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
            raise BadOutput(f"{where}.workers is {json.dumps(workers)}, not a count")
        results.append(Result(
            mode=row["mode"], workers=workers,
            **{key: _number(row.get(key), f"{where}.{key}")
               for key in ("seconds", "min", "max", "speedup", "peak_rss_bytes",
                           "bytes_per_worker")}))
    work = value.get("work") if isinstance(value.get("work"), str) else ""
    return Measurement(name, results, [], work, value)


def _benchmarks(value):
    if not isinstance(value, dict) or not isinstance(value.get("benchmarks"), list):
        raise BadOutput('the JSON object has no "benchmarks" list (Google Benchmark format)')
    benchmarks = []
    for i, row in enumerate(value["benchmarks"]):
        where = f"benchmarks[{i}]"
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise BadOutput(f"{where} has no name")
        if row.get("error_occurred"):
            benchmarks.append(Benchmark(row["name"], None, None, "",
                                        str(row.get("error_message", "error"))))
            continue
        benchmarks.append(Benchmark(row["name"], _number(row.get("real_time"), f"{where}.real_time", False),
                                    _number(row.get("cpu_time"), f"{where}.cpu_time", False),
                                    str(row.get("time_unit", "ns"))))
    if not benchmarks:
        raise BadOutput("Google Benchmark ran no benchmark")
    return Measurement("costs", [], benchmarks, "", value)
