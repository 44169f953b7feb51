"""po/readme_pairs_test.py — every README.md has a Chinese twin that says the same things.

For each README.md listed below there must be a README.zh-CN.md beside it that:
  * links to the other language in its first lines;
  * has the same sections (## headings) in the same order — the headings are in
    different languages, so they are matched by position;
  * shows, section by section, the same commands (every line of a ``` code block that
    starts with a command a reader types: bazel, tools/, python3, taskset, mpirun, ...),
    apart from --lang: the Chinese twin shows its runs in Chinese.
A README that changes alone fails here, naming the section and the command.
"""

import os
import re
import unittest

ROOT = os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", ""))
if not os.path.exists(os.path.join(ROOT, "README.md")):
    ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DIRECTORIES = [".", "process", "thread", "coroutine", "efficiency", "tools"]
COMMAND = re.compile(r"^\s*(\$ )?(bazel|tools/|python3|taskset|mpirun|LANG=|env |"
                     r"GLIBC_TUNABLES=|OMPI_)\S*")


def sections(path):
    """[(heading, [commands])] in order; the text before the first ## is section 0."""
    result = [("", [])]
    fenced = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("```"):
                fenced = not fenced
                continue
            if not fenced and line.startswith("## "):
                result.append((line[3:].strip(), []))
            elif fenced and COMMAND.match(line):
                # Comments after the command are prose, and prose is translated.
                command = line.split("  #")[0].split(" # ")[0].strip().removeprefix("$ ")
                # The twin shows its runs in its own language: --lang is not a difference.
                command = re.sub(r" --lang=(zh|en)\b", "", command).replace(" -- --lang=zh", "")
                command = re.sub(r" --$", "", command)
                result[-1][1].append(command)
    return result


def first_lines(path, n=5):
    with open(path, encoding="utf-8") as f:
        return "".join(f.readline() for _ in range(n))


class ReadmePairsTest(unittest.TestCase):
    def test_every_readme_has_a_chinese_twin_in_step(self):
        problems = []
        for directory in DIRECTORIES:
            english = os.path.join(ROOT, directory, "README.md")
            chinese = os.path.join(ROOT, directory, "README.zh-CN.md")
            name = os.path.normpath(os.path.join(directory, "README.md"))
            if not os.path.exists(chinese):
                problems.append("%s has no README.zh-CN.md beside it" % name)
                continue
            if "README.zh-CN.md" not in first_lines(english):
                problems.append("%s does not link to README.zh-CN.md in its first lines" % name)
            if "README.md" not in first_lines(chinese):
                problems.append("%s's twin does not link to README.md in its first lines" % name)
            en, zh = sections(english), sections(chinese)
            if len(en) != len(zh):
                problems.append("%s: %d sections, its twin %d (%s vs %s)" % (
                    name, len(en) - 1, len(zh) - 1, [h for h, _ in en[1:]], [h for h, _ in zh[1:]]))
                continue
            for (heading, commands), (zh_heading, zh_commands) in zip(en, zh):
                if commands != zh_commands:
                    missing = [c for c in commands if c not in zh_commands]
                    extra = [c for c in zh_commands if c not in commands]
                    problems.append("%s, section %r / %r: commands differ; only in English: %s; "
                                    "only in Chinese: %s%s" % (
                                        name, heading or "(top)", zh_heading or "(top)", missing,
                                        extra, "" if missing or extra else " (order differs)"))
        self.assertEqual(problems, [], "\n" + "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
