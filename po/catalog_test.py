"""po/catalog_test.py — the Chinese catalog is in step with the sources.

Fails, naming each message, when a message in the sources is missing from its part's
catalog, untranslated or fuzzy; when a catalog keeps a message the sources no longer
have; when two parts translate the same message differently; when msgfmt --check
refuses a catalog; or when a translation uses a term the glossary says to avoid.
Fix with `python3 po/update.py <part>`, then translate the empty entries.
"""

import os
import re
import subprocess
import tempfile
import unittest

import catalog
import po_file

ROOT = os.path.join(os.environ.get("TEST_SRCDIR", ""), os.environ.get("TEST_WORKSPACE", ""))
if not os.path.isdir(os.path.join(ROOT, "po")):
    ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def po_path(part):
    return os.path.join(ROOT, "po", "zh_CN", part + ".po")


def glossary_avoid():
    """(avoided term, preferred term) pairs from the glossary's "avoid" column."""
    pairs = []
    with open(os.path.join(ROOT, "po", "GLOSSARY.md"), encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 4 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
                continue
            preferred = cells[1]
            for avoided in re.split(r"[、,，]\s*", cells[3]):
                avoided = avoided.strip().strip("`")
                if avoided and avoided != "—":
                    pairs.append((avoided, preferred))
    return pairs


class CatalogTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def extracted(self, part):
        pot = os.path.join(self.tmp.name, part + ".pot")
        if not catalog.extract(ROOT, part, pot):
            return {}
        return {e.msgid: e for e in po_file.read(pot)}

    def test_every_message_is_translated(self):
        problems = []
        for part in sorted(catalog.PARTS):
            wanted = self.extracted(part)
            if not wanted:
                continue
            if not os.path.exists(po_path(part)):
                problems.append("%s: no po/zh_CN/%s.po for %d messages" % (part, part, len(wanted)))
                continue
            have = {e.msgid: e for e in po_file.read(po_path(part))}
            for msgid, entry in sorted(wanted.items()):
                where = " ".join(entry.references[:2])
                if msgid not in have:
                    problems.append("%s: missing (%s): %r" % (part, where, msgid))
                elif not have[msgid].msgstr:
                    problems.append("%s: untranslated (%s): %r" % (part, where, msgid))
                elif have[msgid].fuzzy:
                    problems.append("%s: fuzzy (%s): %r" % (part, where, msgid))
            for msgid in sorted(set(have) - set(wanted)):
                problems.append("%s: stale, no longer in the sources: %r" % (part, msgid))
        self.assertEqual(problems, [], "\n" + "\n".join(problems) +
                         "\nRun `python3 po/update.py <part>` and translate the empty entries.")

    def test_msgfmt_accepts_every_catalog(self):
        for part in sorted(catalog.PARTS):
            if not os.path.exists(po_path(part)):
                continue
            result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null",
                                     po_path(part)], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertNotRegex(result.stderr, "fuzzy|untranslated", part)

    def test_one_translation_per_message(self):
        seen = {}
        problems = []
        for part in sorted(catalog.PARTS):
            if not os.path.exists(po_path(part)):
                continue
            for e in po_file.read(po_path(part)):
                if e.msgid in seen and seen[e.msgid][1] != e.msgstr and e.msgstr:
                    problems.append("%r: %s says %r, %s says %r" % (
                        e.msgid, seen[e.msgid][0], seen[e.msgid][1], part, e.msgstr))
                seen.setdefault(e.msgid, (part, e.msgstr))
        self.assertEqual(problems, [], "\n".join(problems))

    def test_glossary_terms(self):
        problems = []
        pairs = glossary_avoid()
        for part in sorted(catalog.PARTS):
            if not os.path.exists(po_path(part)):
                continue
            for e in po_file.read(po_path(part)):
                for avoided, preferred in pairs:
                    if avoided in e.msgstr and preferred not in e.msgstr:
                        problems.append("%s: %r uses %r; the glossary says %r" % (
                            part, e.msgstr, avoided, preferred))
        self.assertEqual(problems, [], "\n".join(problems))


if __name__ == "__main__":
    unittest.main()
