"""Tests for tools/reporting/machine.py."""

import unittest
from unittest import mock

from tools.reporting import machine


class MachineTest(unittest.TestCase):
    # The record names everything a reader needs to judge the numbers. The version
    # commands are stubbed: no Bazel (nor compiler) runs in this test.
    def test_describe(self):
        with mock.patch.object(machine, "_first_line", lambda argv: f"{argv[0]} 1.0"):
            record = dict(machine.describe("bazel build -c opt", "python3"))
        self.assertEqual(list(record), ["date", "cores", "CPU", "memory", "kernel", "compiler",
                                        "Bazel", "CPython", "load average at start"])
        self.assertEqual(record["Bazel"], "bazel 1.0; flags: bazel build -c opt")
        self.assertEqual(record["CPython"], "python3 1.0 (python3)")

    # A machine already busy gets a warning; an idle one does not.
    def test_busy_warning(self):
        self.assertEqual(machine.busy_warning(load=0.5, cores=2), "")
        self.assertIn("load average 3.20 on 2 cores", machine.busy_warning(load=3.2, cores=2))


if __name__ == "__main__":
    unittest.main()
