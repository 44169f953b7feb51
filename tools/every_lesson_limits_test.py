"""tools/every_lesson_limits_test.py — every lesson under a process limit it cannot meet.

Each lesson runs as the unprivileged user `nobody` with RLIMIT_NPROC (the per-user
process and thread limit, `ulimit -u`) set so that the lesson itself can run but cannot
create one more process or thread. A lesson that needs none must still succeed; one that
needs some must fail with a clear error naming the limit — never crash (abort, core dump),
never hang, never leave anything behind.

Needs root (to become `nobody`; root itself is exempt from RLIMIT_NPROC) and no Bazel
sandbox (whose user namespace has no `nobody`); it is skipped, saying why, otherwise.
"""

import os
import pwd
import resource
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import lesson_runner  # noqa: E402

BOUND_S = 30.0


def processes_of(uid):
    count = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as f:
                for line in f:
                    if line.startswith("Uid:"):
                        count += int(line.split()[1]) == uid
                        break
        except OSError:
            pass
    return count


class EveryLessonLimitsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root to run lessons as `nobody`")
        try:
            cls.nobody = pwd.getpwnam("nobody")
        except KeyError:
            raise unittest.SkipTest("this machine has no user `nobody`")
        lesson_runner.become_subreaper()
        cls.lessons = lesson_runner.my_shard(lesson_runner.lessons())
        # The binaries are copied where `nobody` can read them (not under /root).
        cls.folder = tempfile.mkdtemp(prefix="lesson_limits_", dir="/tmp")
        os.chmod(cls.folder, 0o755)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def as_nobody_with_no_spare_process(self):
        uid, gid = self.nobody.pw_uid, self.nobody.pw_gid
        limit = processes_of(uid) + 1  # The lesson itself, and not one more.

        def drop():
            os.setgroups([])
            os.setgid(gid)
            resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))
            os.setuid(uid)
        return drop

    def test_no_crash_no_hang_clear_error(self):
        for lesson in self.lessons:
            with self.subTest(lesson.target):
                copy = os.path.join(self.folder, lesson.name)
                shutil.copy(lesson_runner.binary(lesson), copy)
                os.chmod(copy, 0o755)
                result = lesson_runner.run([copy, "--lang=en"], timeout=BOUND_S,
                                           preexec=self.as_nobody_with_no_spare_process())
                os.remove(copy)
                where = f"{lesson.target} under a low RLIMIT_NPROC\n{result.tail()}"
                self.assertFalse(result.timed_out, f"hung: {where}")
                self.assertEqual(result.leftovers, [], f"left processes: {where}")
                self.assertIsNone(result.term_signal, f"crashed: {where}")
                if result.exit_code != 0:
                    self.assertIn("RLIMIT_NPROC", result.stderr, f"unclear error: {where}")


if __name__ == "__main__":
    lesson_runner.main()
