#!/usr/bin/env bash
# Proves that common/format_string.h refuses, at compile time, a format that does not fit
# its arguments (g++ runs the consteval check): each snippet below must fail to compile,
# and the good one must compile. A check that cannot fail would let a wrong format reach
# the reader as an empty line.
set -u
header_dir=$(cd "$(dirname "$0")/.." && pwd)
[[ -f "$header_dir/common/format_string.h" ]] || header_dir="$TEST_SRCDIR/$TEST_WORKSPACE"
cxx=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

compile() {  # compile <call>: 0 if a program making that call compiles
  cat >"$tmp/t.cc" <<CC
#include <string>
#include "common/format_string.h"
template <typename... Args> void P(lesson::FormatString<Args...>, const Args&...) {}
int main() { std::string s; long n = 1; double d = 1; (void)s; (void)n; (void)d; $1; }
CC
  "$cxx" -std=c++20 -fsyntax-only -I"$header_dir" "$tmp/t.cc" 2>"$tmp/err"
}

failures=0
expect() {  # expect compiles|fails <call>
  if compile "$2"; then got=compiles; else got=fails; fi
  if [[ $got != "$1" ]]; then
    echo "FAIL: '$2' $got, expected it $1"; sed -n 1,5p "$tmp/err"; failures=$((failures + 1))
  else
    echo "ok:   '$2' $got"
  fi
}

expect compiles 'P("%d threads, %s, %.2f s, 100%%", n, s, d)'
expect compiles 'P("%2$s %1$d", n, s)'
expect compiles 'P("%-22s|%*d", s, 5, n)'
expect fails    'P("%d threads", s)'          # a string for %d
expect fails    'P("%s", n)'                  # a number for %s
expect fails    'P("%d %d", n)'               # too few arguments
expect fails    'P("%d", n, n)'               # an argument never used
expect fails    'P("%f", n)'                  # an integer for %f
expect fails    'P("50%", n)'                 # a lone % at the end
exit $((failures > 0))
