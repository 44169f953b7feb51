"""tools/output_language.py — is a lesson's output in the language it was asked for?

every_lesson_test runs each lesson with --lang=zh and with --lang=en and hands the output
here, with the compiled catalog (the .mo every lesson reads):

  chinese_problems(lines)   with --lang=zh: the "what to notice" section (要点：) is there
                            and every point is Chinese; no line is an English msgid of the
                            catalog (a message that was not translated, or printed around
                            the catalog).
  english_problems(lines)   with --lang=en: no Chinese outside the title banner and the
                            tutorial's own lines.

Telling the tutorial's lines apart. Both languages print them exactly as the tutorial
has them, so in English output the only Chinese allowed besides the title is theirs.
They never come from the catalog: a lesson prints them with lesson::Tutorial, not
through a msgid. So a Chinese line of English output is a leak exactly when it is a
translation: when it matches a msgstr of the catalog (a whole line of one; the
conversions %d, %s, ... of a msgstr match anything). Every other Chinese line is the
tutorial's (or the English msgid itself contains the Chinese, as "zh (中文)" does, which
is then no msgstr either). The converse check in Chinese output: a line that matches an
English msgid whose translation differs was printed without going through the catalog.
A msgid counts only if it has enough words of its own (two or more), so that "%s" or
"ok" cannot match a number or a name.
"""

import gettext
import re

from tools import text

# A printf conversion (C: %d, %-8s, %2$s, %.1f; Python: %(name)s) or a literal %%.
CONVERSION = re.compile(r"%(?:\([^)]*\))?[-+ #0-9.*$']*(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfgGcsaApr%]")
# Prefixes the lessons put before a message: list bullets, a step's rule, indentation.
PREFIX = re.compile(r"^(?:\s*(?:[-*•]|---|\d+\.)\s+)+|^\s+")
NOTICE_EN = "What to notice:"
NOTICE_ZH = "要点："
WORD = re.compile(r"[A-Za-z]{2,}")


def _literal_words(pattern_text):
    return WORD.findall(CONVERSION.sub(" ", pattern_text))


class Pattern:
    """One line of a catalog message, as a regular expression for a whole output line."""

    def __init__(self, line, message):
        self.line, self.message = line, message
        pieces = CONVERSION.split(line)
        self.regex = re.compile(".*?".join(re.escape(p) for p in pieces) + r"\Z", re.DOTALL)
        # The longest literal piece: a line can only match if it contains it.
        self.anchor = max(pieces, key=len).strip()

    def matches(self, line):
        return self.anchor in line and self.regex.match(line) is not None


class Catalog:
    """The msgids and msgstrs of a compiled catalog, as line patterns."""

    def __init__(self, translations):
        self.english, self.chinese = [], []
        for msgid, msgstr in translations.items():
            if not isinstance(msgid, str) or not msgid or msgid == msgstr:
                continue
            for line in msgid.split("\n"):
                line = PREFIX.sub("", line).strip()
                if len(_literal_words(line)) >= 2:
                    self.english.append(Pattern(line, msgid))
            for line in msgstr.split("\n"):
                line = PREFIX.sub("", line).strip()
                cjk = sum(1 for c in CONVERSION.sub("", line) if text.has_cjk(c))
                if cjk >= 2:
                    self.chinese.append(Pattern(line, msgstr))

    @classmethod
    def load(cls, mo_path):
        with open(mo_path, "rb") as f:
            return cls(gettext.GNUTranslations(f)._catalog)  # noqa: SLF001 — the msgid table

    def english_msgid(self, line):
        """The English msgid `line` is, or None."""
        stripped = PREFIX.sub("", line).strip()
        return next((p.message for p in self.english if p.matches(stripped)), None)

    def translation(self, line):
        """The msgstr `line` is (a line of), or None."""
        stripped = PREFIX.sub("", line).strip()
        return next((p.message for p in self.chinese if p.matches(stripped)), None)


def title_lines(lines):
    """Indices of the title banner's lines: between the first two rules of '='."""
    rules = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"="}]
    if len(rules) < 2:
        return set()
    return set(range(rules[0], rules[1] + 1))


def notice_points(lines, heading):
    """The lines of the "what to notice" section: after `heading`, to the next blank line."""
    try:
        start = [line.strip() for line in lines].index(heading)
    except ValueError:
        return None
    points = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        points.append(line)
    return points


def chinese_problems(lines, catalog, error_lines=()):
    """What is not Chinese in the output of a --lang=zh run (see the module's docstring):
    `lines` of standard output (where the "what to notice" section is), `error_lines` of
    standard error."""
    problems = []
    points = notice_points(lines, NOTICE_ZH)
    if points is None:
        problems.append(f"no '{NOTICE_ZH}' section (the \"what to notice\" heading in Chinese)")
    elif not points:
        problems.append(f"the '{NOTICE_ZH}' section has no points")
    else:
        for point in points:
            if not text.has_cjk(point):
                problems.append(f"a point of '{NOTICE_ZH}' is not Chinese: {point.strip()!r}")
    for line in [*lines, *error_lines]:
        msgid = catalog.english_msgid(line) if line.strip() else None
        if msgid is not None:
            problems.append(f"English in Chinese output: {line.strip()!r} is the msgid "
                            f"{msgid!r}, which the catalog translates")
    return problems


def english_problems(lines, catalog, error_lines=()):
    """What is Chinese in the output of a --lang=en run, outside the title banner and the
    tutorial's own lines (see the module's docstring): `lines` of standard output,
    `error_lines` of standard error."""
    problems = []
    title = title_lines(lines)
    if NOTICE_EN not in [line.strip() for line in lines]:
        problems.append(f"no '{NOTICE_EN}' section")
    for i, line in enumerate([*lines, *error_lines]):
        if i in title or not text.has_cjk(line):
            continue
        msgstr = catalog.translation(line)
        if msgstr is not None:
            problems.append(f"Chinese in English output: {line.strip()!r} is a translation in "
                            f"the catalog ({msgstr[:60]!r}...)")
    return problems
