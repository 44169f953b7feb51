"""tools/cli.py — command-line flags for the tools, with the lessons' rules for bad input.

Same contract as the lessons' common/flags.h: a nonsensical command line never starts
anything. It gets exactly one line on standard error, "<program>: <problem>", and exit
status 2. `--help` prints every flag and exits 0.
"""

import argparse
import sys

BAD_USAGE_EXIT_CODE = 2


class FlagParser(argparse.ArgumentParser):
    """argparse, except that an error is one line and exit status 2 (argparse would
    print the whole usage block first, which buries the one line the user needs)."""

    def error(self, message):
        fail_usage(self.prog, message)


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
                f"'{text}' is not an integer; allowed: {lo} to {hi}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range; allowed: {lo} to {hi}")
        return value

    return parse
