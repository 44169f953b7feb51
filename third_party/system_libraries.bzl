"""Binds libraries installed from Debian's -dev packages as Bazel repositories.

`system_library_repository` writes one `cc_library` per label, carrying exactly the link
options that `pkg-config --libs` gives for the listed modules. Headers live in
/usr/include, which the compiler already searches, so most targets declare none. A module
whose headers live elsewhere (Open MPI's `ompi-c`: -I/usr/lib/x86_64-linux-gnu/openmpi/include)
gets each such directory linked into the repository (`_includes/<n>`) and declared as the
target's `hdrs` and `includes`: Bazel 4 takes no absolute include path, and this way the
headers are inputs of the build like any other.

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
    includes_seen = []  # every include directory linked so far (each gets its own link)
    for label, modules in ctx.attr.targets.items():
        package, _, name = label.rpartition(":")
        if not name:
            fail("target '{}' must be written 'package:name'".format(label))
        linkopts = _pkg_config(ctx, "--libs", modules)
        defines = []
        includes = []  # Directories relative to the package, linked into the repository.
        for flag in _pkg_config(ctx, "--cflags", modules):
            if flag.startswith("-D"):
                defines.append(flag[2:])  # Propagates to dependents, as pkg-config means.
            elif flag.startswith("-I/") and not flag.startswith("-I/usr/include"):
                link = "_includes/{}".format(len(includes_seen))
                includes_seen.append(flag[2:])
                ctx.symlink(flag[2:], (package + "/" if package else "") + link)
                includes.append(link)
            elif not flag.startswith("-I/usr/include"):
                fail("{}: compile flag {} is not supported by this binding".format(label, flag))
        builds.setdefault(package, [])
        headers = ""
        if includes:
            headers = "    hdrs = glob({}),\n    includes = {},\n".format(
                repr([d + "/**" for d in includes]),
                repr(includes),
            )
        builds[package].append(
            "cc_library(\n    name = \"{}\",\n{}    defines = {},\n    linkopts = {},\n    visibility = [\"//visibility:public\"],\n)\n".format(
                name,
                headers,
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
