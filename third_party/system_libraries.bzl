"""Binds libraries installed from Debian's -dev packages as Bazel repositories.

`system_library_repository` writes one `cc_library` per label, carrying exactly the link
options that `pkg-config --libs` gives for the listed modules. Headers live in
/usr/include, which the compiler already searches, so the targets declare none.

The repositories get their canonical names (`@com_google_absl`, ...) so that a later
move to pinned archives or the module registry changes WORKSPACE only.
"""

def _pkg_config(ctx, flag, modules):
    result = ctx.execute(["pkg-config", flag] + modules)
    if result.return_code != 0:
        fail("pkg-config {} {} failed: {}\nRun tools/setup.sh to install the -dev packages.".format(
            flag,
            " ".join(modules),
            result.stderr,
        ))
    return [word for word in result.stdout.strip().replace("\n", " ").split(" ") if word]

def _system_library_repository_impl(ctx):
    ctx.file("WORKSPACE", "workspace(name = \"{}\")\n".format(ctx.name))
    builds = {}  # package -> BUILD text
    for label, modules in ctx.attr.targets.items():
        package, _, name = label.rpartition(":")
        if not name:
            fail("target '{}' must be written 'package:name'".format(label))
        linkopts = _pkg_config(ctx, "--libs", modules)
        defines = []
        for flag in _pkg_config(ctx, "--cflags", modules):
            if flag.startswith("-D"):
                defines.append(flag[2:])  # Propagates to dependents, as pkg-config means.
            elif not flag.startswith("-I/usr/include"):
                fail("{}: compile flag {} is not supported by this binding".format(label, flag))
        builds.setdefault(package, [])
        builds[package].append(
            "cc_library(\n    name = \"{}\",\n    defines = {},\n    linkopts = {},\n    visibility = [\"//visibility:public\"],\n)\n".format(
                name,
                repr(defines),
                repr(linkopts),
            ),
        )
    for package, rules in builds.items():
        path = package + "/BUILD" if package else "BUILD"
        ctx.file(path, "# Generated from pkg-config by third_party/system_libraries.bzl.\n\n" + "\n".join(rules))

system_library_repository = repository_rule(
    implementation = _system_library_repository_impl,
    attrs = {
        "targets": attr.string_list_dict(
            mandatory = True,
            doc = "'package:name' -> pkg-config modules whose --libs the target links.",
        ),
    },
    configure = True,
    environ = ["PKG_CONFIG_PATH"],
    doc = "A repository of cc_library targets bound to system libraries via pkg-config.",
)
