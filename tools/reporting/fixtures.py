"""tools/reporting/fixtures.py — outcomes built from the JSON files in tools/testdata/,
for the report's tests (testonly)."""

import os

from tools.reporting import experiments
from tools.reporting import outcome
from tools.reporting import schema

TESTDATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "testdata")


def text(name):
    with open(os.path.join(TESTDATA, name), encoding="utf-8") as f:
        return f.read()


def experiment(name):
    return next(e for e in experiments.EXPERIMENTS if e.name == name)


def ok(experiment_name, source, file_name, output_format=experiments.EXPERIMENT_JSON):
    """An Outcome that printed the fixture `file_name`."""
    label = "//fake:" + experiment_name if source == experiments.CPP else "tools/python/fake.py"
    return outcome.Outcome(experiment_name, source, label, outcome.OK, seconds=2.0,
                           measurement=schema.parse(text(file_name), output_format))


def failed(experiment_name, source, reason, status=outcome.FAILED):
    label = "//fake:" + experiment_name if source == experiments.CPP else "tools/python/fake.py"
    return outcome.Outcome(experiment_name, source, label, status, reason)
