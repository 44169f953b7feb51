#!/usr/bin/env python3
"""po/update.py — bring the catalogs in step with the sources.

    python3 po/update.py            # every part
    python3 po/update.py thread     # one part

For each part, extracts the messages of its sources (po/catalog.py) and merges them into
po/zh_CN/<part>.po: new messages appear with an empty translation, messages no longer
in the source are dropped, existing translations are kept. No fuzzy matching: a changed
English sentence gets a fresh, empty entry rather than a guess. Then translate the empty
entries (msgstr "") and run `bazel test //po:catalog_test`.
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import catalog  # noqa: E402

HEADER = """# Chinese (simplified) translation of the concurrency lessons, part: {part}.
# Terms follow po/GLOSSARY.md.
msgid ""
msgstr ""
"Project-Id-Version: concurrency_lessons\\n"
"PO-Revision-Date: 2026-12-02 00:00+0000\\n"
"Last-Translator: concurrency_lessons\\n"
"Language-Team: Chinese (simplified)\\n"
"Language: zh_CN\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""


def update(root, part):
    po = os.path.join(root, "po", "zh_CN", part + ".po")
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, part + ".pot")
        if not catalog.extract(root, part, pot):
            print("%s: no messages" % part)
            return
        if not os.path.exists(po):
            with open(po, "w", encoding="utf-8") as f:
                f.write(HEADER.format(part=part))
        subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", "--no-fuzzy-matching",
                        "--no-wrap", "--sort-by-file", po, pot], check=True)
        # Drop messages the source no longer has (msgmerge keeps them as #~ comments).
        subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "--sort-by-file",
                        "--output-file=" + po, po], check=True)
    stats = subprocess.run(["msgfmt", "--statistics", "--check", "-o", "/dev/null", po],
                           capture_output=True, text=True)
    print("%s: %s" % (part, (stats.stderr or stats.stdout).strip()))


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = argv[1:] or sorted(catalog.PARTS)
    for part in parts:
        if part not in catalog.PARTS:
            sys.exit("unknown part %r; parts: %s" % (part, ", ".join(sorted(catalog.PARTS))))
        update(root, part)


if __name__ == "__main__":
    main(sys.argv)
