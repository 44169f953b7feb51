#!/usr/bin/env bash
# tools/setup.sh — install what this workspace needs, from Debian packages only.
#
# Safe to run twice: packages already present are skipped, and `apt-get update` runs only
# when a package is missing and the package lists cannot offer it. Needs root (or sudo).
#
#   tools/setup.sh            install what is missing, then print what is installed
#   tools/setup.sh --check    only report what is missing; exit 1 if anything is
set -euo pipefail

# Package -> why the workspace needs it.
packages=(
  bazel-bootstrap   # Bazel 4.2.3, works offline with the stand-ins in third_party/
  g++               # C++20 compiler (g++ 12): coroutines, jthread, barrier, latch
  pkg-config        # third_party/ binds system libraries with pkg-config's link flags
  libabsl-dev       # Abseil: flags, synchronization, strings, time
  libtbb-dev        # oneTBB: parallel_for, task_group (efficiency chapter)
  libgtest-dev      # GoogleTest
  libgmock-dev      # GoogleMock
  libbenchmark-dev  # Google Benchmark (efficiency:costs)
  gnuplot-nox       # the report's charts (tools:report)
  python3           # the report's CPython comparison programs
  procps            # ps, used by tests that check no child process is left behind
  gettext           # msgfmt, xgettext: the Chinese catalog (po/) is compiled by the build
  fonts-noto-cjk    # Chinese glyphs in the report's charts and timelines (gnuplot, cairo)
  nlohmann-json3-dev  # JSON for C++: tests read what experiments and traces write
  openmpi-bin       # mpirun: //efficiency:mpi runs the CPU-bound job over MPI ranks
  libopenmpi-dev    # the MPI library and its pkg-config entry (ompi-cxx, ompi-c)
)

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

names=()
for p in "${packages[@]}"; do names+=("${p%% *}"); done

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
available() { apt-cache show --no-all-versions "$1" >/dev/null 2>&1; }

missing=()
for p in "${names[@]}"; do installed "$p" || missing+=("$p"); done

if [[ "${1:-}" == "--check" ]]; then
  if ((${#missing[@]})); then say "missing: ${missing[*]}"; exit 1; fi
  say "all ${#names[@]} packages are installed"; exit 0
fi

if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "not root and no sudo: run as root to install ${missing[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  need_update=0
  for p in "${missing[@]}"; do available "$p" || need_update=1; done
  if ((need_update)); then
    say "package lists do not offer everything: running apt-get update"
    $sudo apt-get update -q || fail "apt-get update failed (is the Debian mirror reachable?)"
  fi
  for p in "${missing[@]}"; do available "$p" || fail "Debian offers no package '$p' on this machine"; done
  say "installing: ${missing[*]}"
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install failed for: ${missing[*]}"
else
  say "all ${#names[@]} packages already installed; nothing to do"
fi

for p in "${names[@]}"; do installed "$p" || fail "'$p' is still not installed"; done
say "bazel: $(bazel --version 2>/dev/null || echo 'not on PATH')"
say "g++: $(g++ -dumpfullversion)"
for lib in absl_flags tbb gtest benchmark; do
  say "$lib: $(pkg-config --modversion "$lib" 2>/dev/null || echo 'no pkg-config entry')"
done
say "ready: try 'bazel test //...'"
