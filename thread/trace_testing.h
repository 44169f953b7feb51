// thread/trace_testing.h — (testonly) run a thread lesson with --trace and read what it
// recorded: the spans of each thread (B/E pairs, nested), its instants and flows.
//
//   lesson_trace::Trace t = lesson_trace::RunTraced("barrier", {"--threads=5"});
//   for (const lesson_trace::Span& s : t.spans) if (s.state == "barrier") ...
//
// Reading the file is common/trace_reading.h's; this adds running the lesson, and fails
// the test when the trace is unreadable or a span is left open.
#ifndef THREAD_TRACE_TESTING_H_
#define THREAD_TRACE_TESTING_H_

#include <cstdlib>
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/trace_reading.h"
#include "gtest/gtest.h"

namespace lesson_trace {

using Span = trace_reading::Span;
using Event = trace_reading::Event;
using trace_reading::Overlap;

struct Trace : trace_reading::Trace {
  std::vector<Event> instants;  // ph "i"
  std::vector<Event> flows;     // ph "s" (out) and "f" (in)
  std::string stdout_text;      // What the lesson printed.
};

// Runs //thread:<lesson> with `flags` and --trace into the test's temporary directory.
inline Trace RunTraced(const std::string& lesson, std::vector<std::string> flags) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + lesson + "_trace.json";
  flags.push_back("--trace=" + path);
  lesson::ProgramResult r = lesson::testing::RunLesson("thread/" + lesson, flags);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  Trace trace;
  static_cast<trace_reading::Trace&>(trace) = trace_reading::Read(path);
  EXPECT_EQ(trace.error, "");
  for (const std::string& problem : trace.problems) ADD_FAILURE() << problem;
  for (const Event& e : trace.events) {
    if (e.phase == "i") trace.instants.push_back(e);
    if (e.phase == "s" || e.phase == "f") trace.flows.push_back(e);
  }
  trace.stdout_text = r.stdout_text;
  return trace;
}

// Spans in `state` (a trace:: k* constant's value, e.g. "barrier").
inline std::vector<Span> InState(const Trace& trace, const std::string& state) {
  return trace.InState(state);
}

}  // namespace lesson_trace

#endif  // THREAD_TRACE_TESTING_H_
