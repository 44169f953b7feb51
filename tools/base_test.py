"""Tests for what every tool shares: the reader's language (i18n.py, cli.py, the catalog),
display-width padding (text.py), the one runner (runner.py), gnuplot's quoting."""

import argparse
import inspect
import io
import os
import signal
import sys
import tempfile
import time
import unittest
from contextlib import redirect_stderr

from tools import argparse_messages
from tools import cli
from tools import gnuplot
from tools import i18n
from tools import runner
from tools import text


class LanguageTest(unittest.TestCase):
    def tearDown(self):
        i18n.use(i18n.ENGLISH)

    # The environment decides as gettext reads it: the first of LANGUAGE, LC_ALL,
    # LC_MESSAGES, LANG that is set and not empty; zh* is Chinese, anything else English.
    def test_from_environment(self):
        for environ, expected in (
                ({}, "en"),
                ({"LANG": "zh_CN.UTF-8"}, "zh"),
                ({"LANG": "zh_TW.UTF-8"}, "zh"),
                ({"LANG": "de_DE.UTF-8"}, "en"),
                ({"LANGUAGE": "", "LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
                ({"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"}, "en"),
                ({"LC_MESSAGES": "zh_CN", "LANG": "C"}, "zh")):
            with self.subTest(environ=environ):
                self.assertEqual(i18n.from_environment(environ), expected)

    # --lang anywhere on the command line, the last one winning.
    def test_language_flag(self):
        self.assertIsNone(i18n.language_flag(["--quick"]))
        self.assertEqual(i18n.language_flag(["--lang=zh", "--quick"]), "zh")
        self.assertEqual(i18n.language_flag(["--lang", "en"]), "en")
        self.assertEqual(i18n.language_flag(["--lang=zh", "--lang=en"]), "en")

    # The catalog is found in the runfiles and translates; it exports LANGUAGE for the
    # programs a tool starts.
    def test_translates(self):
        self.assertIsNotNone(i18n.locale_directory(), "no compiled catalog in the runfiles")
        i18n.use(i18n.CHINESE)
        self.assertEqual(os.environ["LANGUAGE"], "zh_CN")
        from gettext import gettext as translate
        self.assertEqual(translate("usage: "), "用法：")
        i18n.use(i18n.ENGLISH)
        self.assertEqual(os.environ["LANGUAGE"], "en")
        self.assertEqual(translate("usage: "), "usage: ")

    # A bad --lang: one line, exit status 2, in the environment's language.
    def test_bad_language(self):
        for language, expected in (("en", "tool: --lang=fr is not a language here; allowed: zh, en\n"),
                                   ("zh_CN", "tool: --lang=fr 不是这里支持的语言；可选：zh、en\n")):
            with self.subTest(language=language):
                saved = os.environ.get("LANGUAGE")
                os.environ["LANGUAGE"] = language
                stderr = io.StringIO()
                try:
                    with redirect_stderr(stderr), self.assertRaises(SystemExit) as exit_:
                        i18n.choose(["--lang=fr"], "tool")
                finally:
                    os.environ["LANGUAGE"] = saved or ""
                self.assertEqual(exit_.exception.code, 2)
                self.assertEqual(stderr.getvalue(), expected)

    # Every argparse message the catalog translates is still one argparse says (a newer
    # Python could reword one, and the catalog would silently stop matching it).
    def test_argparse_messages_exist(self):
        source = inspect.getsource(argparse)
        for message in argparse_messages.MESSAGES:
            self.assertIn(repr(message)[1:-1], source.replace('"', "'"), message)


class FlagsTest(unittest.TestCase):
    def parser(self):
        flags = cli.FlagParser("tool", "A tool.")
        flags.add_argument("--threads", type=cli.int_in_range(1, 8), default=2)
        flags.add_argument("--quick", action="store_true")
        return flags

    def refusal(self, argv):
        stderr = io.StringIO()
        with redirect_stderr(stderr), self.assertRaises(SystemExit) as exit_:
            self.parser().parse_args(argv)
        self.assertEqual(exit_.exception.code, 2)
        self.assertEqual(len(stderr.getvalue().splitlines()), 1, stderr.getvalue())
        return stderr.getvalue()

    # One line naming the flag; a misspelt flag gets the nearest one; no abbreviations.
    def test_refusals(self):
        self.assertEqual(self.refusal(["--threads=9"]),
                         "tool: argument --threads: 9 is out of range; allowed: 1 to 8\n")
        self.assertEqual(self.refusal(["--threads=two"]),
                         "tool: argument --threads: 'two' is not an integer; allowed: 1 to 8\n")
        self.assertEqual(self.refusal(["--thread=3"]),
                         "tool: unknown flag --thread; did you mean --threads? (see --help)\n")
        self.assertEqual(self.refusal(["--qu"]),
                         "tool: unknown flag --qu (see --help for the flags)\n")
        self.assertEqual(self.refusal(["--quic"]),
                         "tool: unknown flag --quic; did you mean --quick? (see --help)\n")
        self.assertEqual(self.refusal(["now"]),
                         "tool: unexpected argument 'now': this program takes only --flags "
                         "(see --help)\n")

    # The same refusals in Chinese, argparse's own words included.
    def test_refusals_in_chinese(self):
        i18n.use(i18n.CHINESE)
        try:
            self.assertEqual(self.refusal(["--threads=9"]),
                             "tool: 参数 --threads：9 超出范围；允许：1 到 8\n")
            self.assertEqual(self.refusal(["--thread=3"]),
                             "tool: 没有参数 --thread；你是不是想写 --threads？（见 --help）\n")
            self.assertEqual(self.refusal(["--threads"]), "tool: 参数 --threads：需要一个值\n")
        finally:
            i18n.use(i18n.ENGLISH)


class TextTest(unittest.TestCase):
    # A Chinese character is two columns; combining marks none; · × — one.
    def test_width(self):
        self.assertEqual(text.width("threads"), 7)
        self.assertEqual(text.width("线程"), 4)
        self.assertEqual(text.width("0.52 s · 1.9×"), 13)
        self.assertEqual(text.width("（本机）"), 8)
        self.assertEqual(text.width("e\u0301"), 1)

    def test_padding(self):
        self.assertEqual(text.pad_right("线程", 6), "线程  ")
        self.assertEqual(text.pad_left("线程", 6), "  线程")
        self.assertEqual(text.pad_right("threads", 3), "threads")
        self.assertEqual(text.truncate("一二三四五", 7), "一二三…")
        self.assertEqual(text.truncate("abc", 7), "abc")

    def test_has_cjk(self):
        self.assertTrue(text.has_cjk("要点："))
        self.assertTrue(text.has_cjk("a，b"))
        self.assertFalse(text.has_cjk("What to notice: 1.5× · —"))


class RunnerTest(unittest.TestCase):
    def script(self, body):
        f = tempfile.NamedTemporaryFile("w", suffix=".sh", dir=os.environ.get("TEST_TMPDIR"),
                                        delete=False)
        f.write("#!/bin/sh\n" + body)
        f.close()
        os.chmod(f.name, 0o755)
        self.addCleanup(os.remove, f.name)
        return f.name

    # Output, exit status, and how long it took.
    def test_exit_and_output(self):
        done = runner.run([self.script("echo out; echo err >&2; exit 3\n")], 10)
        self.assertEqual((done.exit_code, done.stdout, done.stderr), (3, "out\n", "err\n"))
        self.assertEqual(done.failure(), "exited with status 3: err")

    # Past the timeout the whole group is killed.
    def test_timeout(self):
        started = time.monotonic()
        done = runner.run([self.script("sleep 30 &\nsleep 30\n")], 0.5)
        self.assertTrue(done.timed_out)
        self.assertLess(time.monotonic() - started, 10)
        self.assertTrue(done.failure().startswith("timed out after"), done.failure())

    # What a program leaves running in its group is found and killed.
    def test_leftovers(self):
        marker = os.path.join(os.environ.get("TEST_TMPDIR", "/tmp"), "leftover.pid")
        done = runner.run([self.script(f"sleep 30 > /dev/null 2>&1 &\necho $! > {marker}\n")], 10)
        self.assertEqual(len(done.leftovers), 1, done.leftovers)
        self.assertEqual(done.failure(), "exited, but left processes running (they were killed)")
        with open(marker, encoding="utf-8") as f:
            pid = int(f.read())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            self.fail(f"leftover {pid} still runs")

    # Live output, in order, stderr merged; a tick about every second.
    def test_live_output_and_ticks(self):
        chunks, ticks = [], []
        done = runner.run([self.script("echo one; sleep 1.2; echo two >&2\n")], 10,
                          merge_stderr=True, on_output=chunks.append, on_tick=ticks.append)
        self.assertEqual("".join(chunks), "one\ntwo\n")
        self.assertEqual(done.stdout, "one\ntwo\n")
        self.assertGreaterEqual(len(ticks), 1)

    # A signal sent mid-run, to the group as Ctrl-C does.
    def test_interrupt(self):
        done = runner.run([self.script("sleep 30\n")], 10,
                          interrupt=runner.Interrupt(0.2, signal.SIGINT, True))
        self.assertIsNotNone(done.signalled_at)
        self.assertEqual(done.term_signal, signal.SIGINT)
        self.assertEqual(done.failure(), "killed by SIGINT")

    # A program that cannot start is a result, not an exception.
    def test_cannot_start(self):
        done = runner.run(["/nonexistent/program"], 10)
        self.assertTrue(done.failure().startswith("could not start: "), done.failure())


class GnuplotTest(unittest.TestCase):
    def test_quote(self):
        self.assertEqual(gnuplot.quote('a "b" \\ c'), '"a \\"b\\" \\\\ c"')


if __name__ == "__main__":
    unittest.main()
