"""common/lesson.bzl — how a chapter's BUILD declares a lesson, its test, and a unit test.

Every lesson is one file, <name>.cc, written with the same kit: its flags (flags.h), its
messages and its "What to notice" (lesson.h), its timeline (trace.h), its clock
(stopwatch.h) and Abseil's flags, formatting and time. The kit is named here once; a
lesson's BUILD entry names only what is its own:

    lesson_binary(name = "lock", deps = [":thread_registry"])
    lesson_test(name = "lock_test", lesson = ":lock", deps = [":trace_testing"])

A lesson's test runs the built lesson as a user would (common/lesson_testing.h), so the
lesson is its data, not a dependency. A unit test of a library is a plain GoogleTest:

    unit_test(name = "thread_registry_test", deps = [":thread_registry"])

Each of them is the ordinary cc_binary or cc_test, with <name>.cc as its source unless
`srcs` says otherwise; any other attribute (size, tags, shard_count, data, args...) is
passed through.
"""

LESSON_KIT = [
    "//common:flags",
    "//common:lesson",
    "//common:stopwatch",
    "//common:trace",
    "@com_google_absl//absl/flags:flag",
    "@com_google_absl//absl/strings:str_format",
    "@com_google_absl//absl/time",
]

GOOGLETEST = [
    "@com_google_googletest//:gmock",
    "@com_google_googletest//:gtest_main",
]

def _with(deps, extra):
    """`deps` followed by those of `extra` it does not name already."""
    return deps + [d for d in extra if d not in deps]

def lesson_binary(name, deps = [], srcs = None, **kwargs):
    """A lesson: <name>.cc, built with the lesson kit and `deps`."""
    native.cc_binary(
        name = name,
        srcs = srcs or [name + ".cc"],
        deps = _with(deps, LESSON_KIT),
        **kwargs
    )

def lesson_test(name, lesson, deps = [], srcs = None, data = [], size = "small", **kwargs):
    """A lesson's behaviour test: runs `lesson` (in its data) through common/lesson_testing.h."""
    native.cc_test(
        name = name,
        size = size,
        srcs = srcs or [name + ".cc"],
        data = [lesson] + data,
        deps = _with(deps, ["//common:lesson_testing"] + GOOGLETEST),
        **kwargs
    )

def unit_test(name, deps = [], srcs = None, size = "small", **kwargs):
    """A GoogleTest (with GoogleMock) of <name>.cc against `deps`."""
    native.cc_test(
        name = name,
        size = size,
        srcs = srcs or [name + ".cc"],
        deps = _with(deps, GOOGLETEST),
        **kwargs
    )
