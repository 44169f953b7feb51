"""tools/reporting/outcome.py — what happened to one run of one experiment."""

from dataclasses import dataclass, field

OK = "ok"
FAILED = "failed"
NOT_RUN = "not run"      # the report was interrupted before it got there


@dataclass
class Outcome:
    experiment: str          # Experiment.name
    source: str              # experiments.CPP or experiments.CPYTHON
    label: str               # "//efficiency:cpu_bound" or "tools/python/cpu_bound.py"
    status: str
    reason: str = ""         # one line, when status != OK
    argv: list = field(default_factory=list)
    measurement: object = None   # schema.Measurement when status == OK
    seconds: float = 0.0     # how long the run took, wall clock
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self):
        return self.status == OK
