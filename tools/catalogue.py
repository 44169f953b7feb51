"""tools/catalogue.py — the chapters and lessons, in the tutorial's order.

The list itself is tools/lessons.bzl (Bazel reads it for the tests' data); the build
writes it as tools/lessons.json, which this module reads from the runfiles. Nothing here
knows a lesson by name.
"""

import json
import os
from dataclasses import dataclass, field

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lessons.json")


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class Lesson:
    target: str           # "//thread:lock"
    section: str          # the tutorial's section title (Chinese)
    title: str            # its English name
    shows: str            # what it shows, one line: an English msgid
    beyond: bool = False  # beyond the tutorial's sections

    @property
    def package(self):
        return self.target[2:].split(":", 1)[0]

    @property
    def name(self):
        return self.target.split(":", 1)[1]


@dataclass
class Chapter:
    package: str          # "thread"
    chinese: str          # "线程"
    english: str          # "Threads"
    lessons: list = field(default_factory=list)


@dataclass
class Catalogue:
    chapters: list                                   # in the tutorial's order
    not_lessons: dict = field(default_factory=dict)  # target -> why it is not a lesson

    def lessons(self):
        return [lesson for chapter in self.chapters for lesson in chapter.lessons]

    def chapter(self, name):
        """The chapter called `name` (package or Chinese name), or None."""
        return next((c for c in self.chapters if name in (c.package, c.chinese)), None)

    def lesson(self, target):
        return next((l for l in self.lessons() if l.target == target), None)


def from_json(value):
    """The Catalogue of lessons.json's object."""
    chapters = [Chapter(c["package"], c["chinese"], c["english"],
                        [Lesson(l["target"], l["section"], l["title"], l["shows"], l["beyond"])
                         for l in c["lessons"]])
                for c in value["chapters"]]
    return Catalogue(chapters, {n["target"]: n["why"] for n in value["not_lessons"]})


def load(path=PATH):
    try:
        with open(path, encoding="utf-8") as f:
            return from_json(json.load(f))
    except FileNotFoundError:
        raise CatalogueError(f"{path} is missing: the build writes it from tools/lessons.bzl "
                             "(run the tools with `bazel run`)") from None
