"""The tutorial's published figures are written twice: in the report's catalogue
(experiments.py's Published rows, shown even when a C++ run fails) and in the C++
experiments, whose conclusions compare with them and whose --json carries them
(details.tutorial_seconds_<mode>). This holds the two copies to each other."""

import json
import os
import unittest

from tools import runner
from tools.reporting import experiments

# The smallest work each experiment accepts: only its figures are read, not its timings.
TINY_RUN = {
    "//efficiency:cpu_bound": ["--iterations=1000", "--repeats=1"],
    "//efficiency:io_bound": ["--sleep=1ms", "--repeats=1"],
}


def binary(target):
    package, name = target[2:].split(":")
    return os.path.join(os.environ["TEST_SRCDIR"], os.environ["TEST_WORKSPACE"], package, name)


class PublishedFiguresTest(unittest.TestCase):
    def test_the_report_and_the_experiments_quote_the_same_figures(self):
        published = [e for e in experiments.EXPERIMENTS if e.tutorial]
        self.assertEqual(sorted(e.cpp.target for e in published), sorted(TINY_RUN))
        for experiment in published:
            with self.subTest(experiment.name):
                run = runner.run([binary(experiment.cpp.target), "--json", "--lang=en",
                                  *TINY_RUN[experiment.cpp.target]], timeout=60)
                self.assertEqual(run.exit_code, 0, run.stderr)
                details = json.loads(run.stdout)["details"]
                quoted = {key[len("tutorial_seconds_"):]: seconds
                          for key, seconds in details.items()
                          if key.startswith("tutorial_seconds_")}
                self.assertEqual(quoted, {p.mode: p.seconds for p in experiment.tutorial},
                                 f"{experiment.cpp.target} --json quotes other figures than "
                                 "tools/reporting/experiments.py")


if __name__ == "__main__":
    unittest.main()
