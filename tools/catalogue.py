"""tools/catalogue.py — read tools/lessons.txt, the tour's list of chapters and lessons.

The file's format is described at its top. Reading is strict: a malformed line is an
error that names the line, so a typo cannot silently drop a lesson from the tour.
"""

import os
from dataclasses import dataclass, field

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lessons.txt")
READY = "ready"
PLANNED = "planned"


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class Lesson:
    status: str
    target: str      # "//thread:lock"
    chinese: str     # the tutorial's section name
    english: str
    shows: str       # one line: what the lesson shows

    @property
    def ready(self):
        return self.status == READY

    @property
    def package(self):
        return self.target[2:].split(":", 1)[0]

    @property
    def name(self):
        return self.target.split(":", 1)[1]


@dataclass
class Chapter:
    package: str     # "thread"
    chinese: str     # "线程"
    english: str     # "Threads"
    lessons: list = field(default_factory=list)


@dataclass
class Catalogue:
    chapters: list                                   # in the tutorial's order
    not_lessons: dict = field(default_factory=dict)  # target -> reason

    def lessons(self):
        return [lesson for chapter in self.chapters for lesson in chapter.lessons]

    def chapter(self, name):
        """The chapter called `name` (package or Chinese name), or None."""
        return next((c for c in self.chapters if name in (c.package, c.chinese)), None)


FIELDS = {"chapter": 3, "lesson": 5, "not_lesson": 2}


def parse(text, source="lessons.txt"):
    """Parses the catalogue's text; raises CatalogueError naming the bad line."""
    catalogue = Catalogue([])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kind, *values = [part.strip() for part in line.split(" | ")]
        where = f"{source}:{number}"
        if kind not in FIELDS:
            raise CatalogueError(f"{where}: unknown kind '{kind}' (chapter, lesson or not_lesson)")
        if len(values) != FIELDS[kind] or not all(values):
            raise CatalogueError(f"{where}: a {kind} line has {FIELDS[kind]} non-empty fields "
                                 f"after '{kind}', separated by ' | '; found {len(values)}")
        if kind == "chapter":
            catalogue.chapters.append(Chapter(*values))
        elif kind == "lesson":
            lesson = Lesson(*values)
            if not lesson.target.startswith("//") or ":" not in lesson.target:
                raise CatalogueError(f"{where}: '{lesson.target}' is not a target like //thread:lock")
            if lesson.status not in (READY, PLANNED):
                raise CatalogueError(f"{where}: status '{lesson.status}' is not ready or planned")
            if not catalogue.chapters or lesson.package != catalogue.chapters[-1].package:
                raise CatalogueError(f"{where}: {lesson.target} is not in the chapter above it")
            if lesson.target in {l.target for l in catalogue.lessons()}:
                raise CatalogueError(f"{where}: {lesson.target} is listed twice")
            catalogue.chapters[-1].lessons.append(lesson)
        else:
            target, reason = values
            catalogue.not_lessons[target] = reason
    return catalogue


def load(path=PATH):
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), os.path.basename(path))
