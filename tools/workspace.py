"""tools/workspace.py — find the workspace and build lesson binaries the way a user would.

The report and the tour run real binaries, built with optimisation (`bazel build -c opt`),
straight from Bazel's output tree rather than through `bazel run`, so that one slow or
failing program cannot hold Bazel's lock or hide the others.

Building with `--symlink_prefix=/` leaves the workspace's convenience symlinks
(bazel-bin, ...) alone: other people working in the same checkout keep theirs pointing at
their own configuration.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from gettext import gettext as _

from tools import runner

# The flags every build here uses; the report records them.
BUILD_FLAGS = ("-c", "opt", "--symlink_prefix=/")
# Longer than any build here takes, even from a clean cache on a slow machine.
BUILD_TIMEOUT_S = 3600


def find_workspace():
    """The workspace root: $BUILD_WORKSPACE_DIRECTORY under `bazel run`, otherwise the
    nearest directory above the current one that holds a WORKSPACE file; None if neither."""
    root = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
    if root:
        return root
    here = os.path.abspath(os.getcwd())
    while True:
        if os.path.isfile(os.path.join(here, "WORKSPACE")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def user_directory():
    """Where the user typed the command (`bazel run` changes the current directory to the
    runfiles tree and leaves the original in $BUILD_WORKING_DIRECTORY)."""
    return os.environ.get("BUILD_WORKING_DIRECTORY") or os.getcwd()


def package_of(label):
    """'//efficiency:cpu_bound' -> 'efficiency'."""
    return label[2:].split(":", 1)[0]


def name_of(label):
    """'//efficiency:cpu_bound' -> 'cpu_bound'."""
    return label.split(":", 1)[1]


def build_flags_from_bazelrc(workspace):
    """The `build` options the workspace's .bazelrc adds to every build (no --config), as
    one string for the report's record of how the binaries were built."""
    options = []
    try:
        with open(os.path.join(workspace, ".bazelrc"), encoding="utf-8") as rc:
            for line in rc:
                words = line.split("#", 1)[0].split()
                if len(words) >= 2 and words[0] == "build":
                    options.extend(words[1:])
    except OSError:
        pass
    return " ".join(options)


@dataclass
class Built:
    """The outcome of building one target: `path` of the binary, or `error` (one line)."""
    label: str
    path: str = ""
    error: str = ""


class Bazel:
    """Builds targets of one workspace with BUILD_FLAGS. A target that fails to build
    never stops the others, and each gets its own one-line reason. Bazel's full output
    goes to log files in `log_directory`; `on_tick(elapsed)` is called about once a
    second while Bazel works (building can take minutes, or wait for Bazel's lock)."""

    def __init__(self, workspace, log_directory, on_tick=None):
        self.workspace = workspace
        self.log_directory = log_directory
        self.on_tick = on_tick
        self.executable = shutil.which("bazel")
        self._bin = None

    def _run(self, args, log_name):
        done = runner.run([self.executable, *args], BUILD_TIMEOUT_S, cwd=self.workspace,
                          merge_stderr=True, on_tick=self.on_tick)
        output = done.stdout or done.failure()
        with open(os.path.join(self.log_directory, log_name), "w", encoding="utf-8") as log:
            log.write(output)
        return (done.exit_code if done.exit_code is not None else 1), output

    def bin_directory(self):
        """bazel-bin of the optimised configuration (not the workspace's symlink, which
        points at whatever configuration was built last)."""
        if self._bin is None:
            result = subprocess.run([self.executable, "info", *BUILD_FLAGS, "bazel-bin"],
                                    cwd=self.workspace, stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True, check=False)
            self._bin = result.stdout.strip() if result.returncode == 0 else ""
        return self._bin

    def build(self, label):
        """Builds one target; returns a Built. Never raises for a build problem."""
        if self.executable is None:
            return Built(label, error=_("bazel is not on PATH (tools/setup.sh installs it)"))
        log_name = f"build-{package_of(label).replace('/', '_')}-{name_of(label)}.log"
        status, output = self._run(["build", *BUILD_FLAGS, label], log_name)
        if status != 0:
            log_path = os.path.join(self.log_directory, log_name)
            return Built(label, error=_("failed to build: %(error)s (full log: %(log)s)")
                         % {"error": first_error(output), "log": log_path})
        return self._built(label)

    def build_all(self, labels):
        """Builds every label; returns {label: Built}. One `bazel build --keep_going` for
        all of them; only when that fails, one build per target, to say which failed and
        why (the ones already built are then cache hits)."""
        if self.executable is not None and labels:
            status, _output = self._run(["build", *BUILD_FLAGS, "--keep_going", *labels],
                                        "build-all.log")
            if status == 0:
                return {label: self._built(label) for label in labels}
        return {label: self.build(label) for label in labels}

    def _built(self, label):
        path = os.path.join(self.bin_directory(), package_of(label), name_of(label))
        if not os.access(path, os.X_OK):
            return Built(label, error=_("built, but no executable at %s") % path)
        return Built(label, path=path)


def first_error(output):
    """The first "ERROR:" line of Bazel's output, shortened; or a generic phrase."""
    for line in output.splitlines():
        if line.startswith("ERROR:"):
            line = line[len("ERROR:"):].strip()
            return line if len(line) <= 200 else line[:197] + "..."
    return _("bazel build exited non-zero")


def runfiles_directory(binary, workspace_name="concurrency_lessons"):
    """The directory `bazel run` would start the binary in (its runfiles tree), if any."""
    candidate = os.path.join(binary + ".runfiles", workspace_name)
    return candidate if os.path.isdir(candidate) else None
