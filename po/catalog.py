"""po/catalog.py — where each part of the catalog comes from, and how messages are found.

The English text of every message lives in the source, as the argument of a call that
xgettext recognises (KEYWORDS below). The Chinese lives in po/zh_CN/<part>.po, one file
per part of the tree, so that the translation of a chapter can change without touching
the others. The build merges them into one gettext domain (po/BUILD).

Used by po/update.py (a developer refreshing the catalogs) and po/catalog_test.py (the
test that no message is missing, untranslated or fuzzy).
"""

import fnmatch
import glob
import os
import subprocess

DOMAIN = "concurrency_lessons"

# C++: every function that takes an English msgid as a string literal, and which
# argument it is. All are printf-style formats (common/format_string.h), so msgfmt
# --check compares the conversions of each translation with its msgid.
CXX_KEYWORDS = {
    "Print": 1,
    "Step": 1,
    "PrintError": 1,
    "Tr": 1,
    "Format": 1,
    "ParseFlags": 3,  # the usage line of --help
    "ABSL_FLAG": 4,  # a flag's help text
}

# Python (tools/): the standard gettext call.
PYTHON_KEYWORDS = {"_": 1}

# The coroutine lessons beyond the tutorial's programs, and the two that follow the
# library most closely (run: what coro::Run does; scale: what a frame costs), are kept
# in a part of their own, so that the library and these lessons change together.
COROUTINE_NEXT = ["coroutine/scale.cc", "coroutine/run.cc", "coroutine/cancel.cc",
                  "coroutine/task_group.cc", "coroutine/queue.cc",
                  "coroutine/child_measurement.cc", "coroutine/child_measurement.h"]

# part -> (language, source patterns relative to the workspace root, patterns of files
# another part translates).
# Tests are left out: they print nothing to a reader.
PARTS = {
    "common": ("C++", ["common/*.cc", "common/*.h"], []),
    "process": ("C++", ["process/*.cc", "process/*.h"], []),
    "thread": ("C++", ["thread/*.cc", "thread/*.h"], []),
    "coroutine": ("C++", ["coroutine/*.cc", "coroutine/*.h"], COROUTINE_NEXT),
    "coroutine_next": ("C++", COROUTINE_NEXT, []),
    "coro": ("C++", ["coroutine/coro/*.cc", "coroutine/coro/*.h"], []),
    "efficiency": ("C++", ["efficiency/*.cc", "efficiency/*.h"], ["efficiency/mpi*"]),
    "mpi": ("C++", ["efficiency/mpi*.cc", "efficiency/mpi*.h"], []),
    "tools": ("Python", ["tools/*.py", "tools/*/*.py", "tools/lessons.bzl"], []),
}


def is_test_source(path):
    name = os.path.basename(path)
    return "_test" in name or "testing" in name or name.startswith("test_")


def sources(root, part):
    """The source files of `part` under `root`, sorted."""
    _, patterns, excluded = PARTS[part]
    found = set()
    for pattern in patterns:
        for path in glob.glob(os.path.join(root, pattern)):
            relative = os.path.relpath(path, root)
            if any(fnmatch.fnmatch(relative, pattern) for pattern in excluded):
                continue
            if not is_test_source(path):
                found.add(path)
    return sorted(found)


def xgettext_command(language, output):
    keywords = CXX_KEYWORDS if language == "C++" else PYTHON_KEYWORDS
    command = [
        "xgettext",
        "--language=" + language,
        "--from-code=UTF-8",
        "--no-wrap",
        "--add-comments=TRANSLATORS:",
        "--package-name=" + DOMAIN,
        "--output=" + output,
    ]
    for name, argument in keywords.items():
        command.append("--keyword=%s:%d" % (name, argument))
        flag = "c-format" if language == "C++" else "python-format"
        command.append("--flag=%s:%d:%s" % (name, argument, flag))
    return command


def extract(root, part, output):
    """Writes the messages `part`'s sources contain to the template `output` (a .pot).
    Returns False if the sources contain no message at all."""
    language = PARTS[part][0]
    files = [os.path.relpath(p, root) for p in sources(root, part)]
    if not files:
        return False
    subprocess.run(xgettext_command(language, os.path.abspath(output)) + files, cwd=root,
                   check=True)
    return os.path.exists(output)
