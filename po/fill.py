#!/usr/bin/env python3
"""po/fill.py — write translations into a catalog from a file of msgid/msgstr pairs.

    python3 po/fill.py po/zh_CN/thread.po translations.txt

`translations.txt` holds pairs of lines, the English msgid then its Chinese msgstr,
exactly as the text reads (no quoting; write a newline inside a message as \\n), pairs
separated by a blank line. Entries whose msgid is not in the catalog are reported and
skipped; existing translations are replaced. The catalog must have been written with
--no-wrap (po/update.py does), so that each msgid and msgstr is one line.
"""

import sys


def quote(text):
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return '"' + out.replace("\n", "\\n") + '"'


def read_pairs(path):
    with open(path, encoding="utf-8") as f:
        blocks = [b for b in f.read().split("\n\n") if b.strip()]
    pairs = {}
    for block in blocks:
        lines = block.strip("\n").split("\n")
        if len(lines) != 2:
            sys.exit("%s: each pair is two lines; got %r" % (path, block[:80]))
        english, chinese = (l.replace("\\n", "\n") for l in lines)
        pairs[english] = chinese
    return pairs


def main(po_path, pairs_path):
    pairs = read_pairs(pairs_path)
    with open(po_path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    wanted = {quote(k): (k, v) for k, v in pairs.items()}
    used = set()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        if line.startswith("msgid ") and line[6:] in wanted and i + 1 < len(lines) \
                and lines[i + 1].startswith("msgstr "):
            english, chinese = wanted[line[6:]]
            out.append("msgstr " + quote(chinese))
            used.add(english)
            # Drop a fuzzy flag above this entry, if any: it is translated now.
            for k in range(len(out) - 2, max(-1, len(out) - 6), -1):
                if out[k].startswith("#,") and "fuzzy" in out[k]:
                    flags = [x.strip() for x in out[k][2:].split(",") if x.strip() != "fuzzy"]
                    out[k] = ("#, " + ", ".join(flags)) if flags else None
            out = [x for x in out if x is not None]
            i += 2
            continue
        i += 1
    with open(po_path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    for english in sorted(set(pairs) - used):
        print("not in %s: %r" % (po_path, english))
    print("%s: %d translations written" % (po_path, len(used)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
