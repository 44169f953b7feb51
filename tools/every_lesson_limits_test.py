"""tools/every_lesson_limits_test.py — every lesson under a process limit it cannot meet.

Each lesson runs as an unprivileged user of its own with RLIMIT_NPROC (the per-user
process and thread limit, `ulimit -u`) set so that the lesson itself can run but cannot
create one more process or thread. A lesson that needs none must still succeed; one that
needs some must fail with a clear error naming the limit — never crash (abort, core dump),
never hang, never leave anything behind.

The limit counts every process of the user, so each lesson gets a user id no other
process has (FIRST_UID plus the lesson's place in the catalogue; the group is `nobody`'s):
the lessons of a chapter then run side by side, and the chapters' tests too, without one
lesson's processes using up another's limit. Most lessons mostly sleep.

Needs root (to change user; root itself is exempt from RLIMIT_NPROC) and no Bazel sandbox
(whose user namespace maps no other user); it is skipped, saying why, otherwise.
"""

import os
import pwd
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tools import catalogue  # noqa: E402
from tools import lesson_runner  # noqa: E402

BOUND_S = 30.0
# User ids for the lessons: FIRST_UID + the lesson's index in the catalogue. Above the
# range Debian gives to accounts (adduser stops at 59999), below `nobody` (65534).
FIRST_UID = 61000
RUNS_AT_ONCE = 4


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
            raise unittest.SkipTest("needs root to run lessons as other users")
        try:
            cls.nobody = pwd.getpwnam("nobody")
        except KeyError:
            raise unittest.SkipTest("this machine has no user `nobody`")
        cls.lessons = lesson_runner.my_shard(lesson_runner.lessons())
        # The binaries are copied where any user can read them (not under /root).
        cls.folder = tempfile.mkdtemp(prefix="lesson_limits_", dir="/tmp")
        os.chmod(cls.folder, 0o755)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_no_crash_no_hang_clear_error(self):
        every_lesson = [lesson.target for lesson in catalogue.load().lessons()]
        requests, users = [], []
        for lesson in self.lessons:
            copy = os.path.join(self.folder, lesson.name)
            shutil.copy(lesson_runner.binary(lesson), copy)
            os.chmod(copy, 0o755)
            uid = FIRST_UID + every_lesson.index(lesson.target)
            # The lesson itself, and not one more (0 unless this uid is somehow in use).
            user = {"uid": uid, "gid": self.nobody.pw_gid, "nproc": processes_of(uid) + 1}
            requests.append(([copy, "--lang=en"], BOUND_S, None, user))
            users.append(uid)
        results = lesson_runner.run_many(requests, RUNS_AT_ONCE)
        for lesson, uid, result in zip(self.lessons, users, results):
            with self.subTest(lesson.target):
                where = f"{lesson.target} as uid {uid} under a low RLIMIT_NPROC\n{result.tail()}"
                self.assertEqual(result.start_error, "", where)
                self.assertFalse(result.timed_out, f"hung: {where}")
                self.assertEqual(result.leftovers, [], f"left processes: {where}")
                self.assertIsNone(result.term_signal, f"crashed: {where}")
                if result.exit_code != 0:
                    self.assertIn("RLIMIT_NPROC", result.stderr, f"unclear error: {where}")


if __name__ == "__main__":
    lesson_runner.main()
