"""tools/argparse_messages.py — argparse's own messages, for the catalog.

argparse passes its messages to gettext (in the default domain, which tools/i18n.py sets
to this project's), so a flag the tools refuse is refused in the reader's language. They
are listed here only so that xgettext puts them into po/zh_CN/tools.po; nothing calls this.
They are the ones a tool's command line can meet (Python 3.11's argparse);
tools/cli_test.py checks that argparse still has each of them.
"""


def _(message):
    return message


MESSAGES = [
    _("usage: "),
    _("options"),
    _("positional arguments"),
    _("show this help message and exit"),
    _("argument %(argument_name)s: %(message)s"),
    _("ignored explicit argument %r"),
    _("expected one argument"),
    _("invalid %(type)s value: %(value)r"),
    _("invalid choice: %(value)r (choose from %(choices)s)"),
    _("the following arguments are required: %s"),
]
