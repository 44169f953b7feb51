"""tools/i18n.py — the reader's language for the Python tools, with the standard gettext.

The same rules and the same catalog as the lessons (common/i18n.h):
  1. --lang=zh or --lang=en on the command line;
  2. else the environment, as gettext reads it: the first of LANGUAGE, LC_ALL,
     LC_MESSAGES, LANG that is set and not empty; "zh..." means Chinese, anything else
     English.
Messages are English msgids marked with `_()` (`from gettext import gettext as _`),
translated by po/zh_CN/tools.po, which the build merges into the one domain
"concurrency_lessons" (po/locale/zh_CN/LC_MESSAGES/concurrency_lessons.mo in the
runfiles of every target that depends on //po:catalog). No Chinese locale needs to be
installed: Python's gettext reads LANGUAGE itself.

use() makes the domain the default one, so argparse's own messages ("unrecognized
arguments: %s", ...), which argparse passes to gettext, are translated too (cli.py lists
them for xgettext). It exports LANGUAGE, so the programs a tool starts speak the same
language (the lessons read it; the tools also pass --lang explicitly).
"""

import gettext
import os
import sys

DOMAIN = "concurrency_lessons"
ENGLISH = "en"
CHINESE = "zh"
LANGUAGES = (CHINESE, ENGLISH)
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current = None


def from_environment(environ=None):
    """The language the environment asks for (rule 2)."""
    environ = os.environ if environ is None else environ
    for variable in ENVIRONMENT:
        value = environ.get(variable, "")
        if value:
            return CHINESE if value.startswith("zh") else ENGLISH
    return ENGLISH


def locale_directory():
    """Where the compiled catalog is: the runfiles' po/locale, or the workspace's
    bazel-bin/po/locale when a tool runs as a plain file; None if nowhere."""
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.path.join(os.path.dirname(here), "po", "locale"),
                  os.path.join(os.path.dirname(here), "bazel-bin", "po", "locale")]
    for variable in ("RUNFILES_DIR", "TEST_SRCDIR"):
        if os.environ.get(variable):
            candidates.append(os.path.join(os.environ[variable], "concurrency_lessons", "po",
                                           "locale"))
    for directory in candidates:
        if os.path.isfile(os.path.join(directory, "zh_CN", "LC_MESSAGES", DOMAIN + ".mo")):
            return directory
    return None


def use(language):
    """Speaks `language` from now on (this process and the programs it starts)."""
    global _current
    os.environ["LANGUAGE"] = "zh_CN" if language == CHINESE else "en"
    directory = locale_directory()
    if directory:
        gettext.bindtextdomain(DOMAIN, directory)
    gettext.textdomain(DOMAIN)
    _current = language


def current():
    """The language in use (from the environment until use() is called)."""
    return _current or from_environment()


def chinese():
    return current() == CHINESE


def language_flag(argv):
    """The value of --lang in argv (the last one wins, as with every flag), or None."""
    value = None
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            value = arg[len("--lang="):]
        elif arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
    return value


def choose(argv, program):
    """Applies --lang from argv (or the environment) before anything else is read, so
    that every message about the command line is already in the reader's language. A
    value other than zh or en: one line on stderr, exit status 2."""
    use(from_environment())
    value = language_flag(argv)
    if value is None:
        return current()
    if value not in LANGUAGES:
        _ = gettext.gettext
        why = _("is not a language here; allowed: zh, en")
        sys.stderr.write(f"{program}: --lang={value} {why}\n")
        sys.exit(2)
    use(value)
    return value
