"""tools/cli.py — command-line flags for the tools, with the lessons' rules for bad input.

Same contract as the lessons' common/flags.h: a nonsensical command line never starts
anything. It gets exactly one line on standard error, "<program>: <problem>", in the
reader's language, and exit status 2; a misspelt flag gets "did you mean". `--help`
prints every flag and exits 0. Abbreviated flags are not accepted (`--pub` is not
`--publish`), as with the lessons.
"""

import argparse
import sys
from gettext import gettext as _

from tools import i18n

BAD_USAGE_EXIT_CODE = 2


class FlagParser(argparse.ArgumentParser):
    """argparse, except that an error is one line and exit status 2 (argparse would
    print the whole usage block first, which buries the one line the user needs), every
    tool takes --lang, and unknown flags get a suggestion."""

    def __init__(self, prog, description):
        super().__init__(prog=prog, description=description, allow_abbrev=False)
        self.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.current(),
                          help=_("language of everything printed: zh (中文) or en; default: "
                                 "from LANGUAGE, LC_ALL, LC_MESSAGES or LANG (zh* means "
                                 "Chinese)"))

    def error(self, message):
        fail_usage(self.prog, message)

    def parse_args(self, args=None, namespace=None):
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            fail_usage(self.prog, self.unknown(extra[0]))
        return parsed

    def unknown(self, argument):
        """The one line for an argument no flag takes."""
        if not argument.startswith("--"):
            return _("unexpected argument '%s': this program takes only --flags (see --help)") % argument
        name = argument[2:].split("=", 1)[0]
        known = [option[2:] for action in self._actions for option in action.option_strings
                 if option.startswith("--")]
        nearest = nearest_name(name, known)
        if nearest:
            return (_("unknown flag --%(name)s; did you mean --%(nearest)s? (see --help)")
                    % {"name": name, "nearest": nearest})
        return _("unknown flag --%s (see --help for the flags)") % name


def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def nearest_name(name, candidates):
    """The candidate within two edits of `name` (or that `name` begins), as the lessons
    choose it (common/flags.cc); "" if none."""
    best, best_distance = "", 3
    for candidate in candidates:
        distance = edit_distance(name, candidate)
        if len(name) >= 3 and candidate.startswith(name):
            distance = min(distance, 1)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def fail_usage(program, message):
    """Prints "<program>: <message>" as one line on stderr and exits with status 2."""
    sys.stderr.write(f"{program}: {message}\n")
    sys.exit(BAD_USAGE_EXIT_CODE)


def int_in_range(lo, hi):
    """An argparse `type`: an integer with lo <= value <= hi. The error names the range;
    argparse prefixes the flag ("argument --timeout: 0 is out of range; allowed: ...")."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("'%(text)s' is not an integer; allowed: %(lo)d to %(hi)d")
                % {"text": text, "lo": lo, "hi": hi}) from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(_("%(value)d is out of range; allowed: %(lo)d to %(hi)d")
                                             % {"value": value, "lo": lo, "hi": hi})
        return value

    return parse
