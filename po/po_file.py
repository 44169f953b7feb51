"""po/po_file.py — read the entries of a .po or .pot file (the parts this project uses)."""

import ast


class Entry:
    def __init__(self):
        self.msgid = None
        self.msgstr = ""
        self.flags = set()
        self.references = []
        self.obsolete = False

    @property
    def fuzzy(self):
        return "fuzzy" in self.flags


def _unquote(text):
    # A PO string is a C string literal; Python's literal syntax reads the same escapes.
    return ast.literal_eval(text.strip())


def parse(text):
    """The entries of `text`, header (msgid "") excluded."""
    entries = []
    entry = Entry()
    field = None

    def finish():
        nonlocal entry
        if entry.msgid is not None and entry.msgid != "":
            entries.append(entry)
        entry = Entry()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if entry.msgid is not None:
                finish()
            field = None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#:"):
            entry.references += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgid "):
            if entry.msgid is not None:
                finish()
            entry.msgid = _unquote(line[6:])
            field = "msgid"
        elif line.startswith("msgstr "):
            entry.msgstr = _unquote(line[7:])
            field = "msgstr"
        elif line.startswith('"') and field:
            setattr(entry, field, getattr(entry, field) + _unquote(line))
    finish()
    return [e for e in entries if not e.obsolete]


def read(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read())
