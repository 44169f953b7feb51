"""po/defs.bzl — the one rule each package uses to hand its sources to the catalog test."""

def translatable_sources(name = "translatable"):
    """The sources whose messages po/zh_CN/<part>.po translates (//po:catalog_test):
    every .cc and .h of the package but tests and test helpers."""
    native.filegroup(
        name = name,
        srcs = native.glob(
            ["*.cc", "*.h"],
            exclude = ["*_test.cc", "*testing*"],
        ),
        visibility = ["//po:__pkg__"],
    )
