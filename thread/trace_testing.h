// thread/trace_testing.h — (testonly) run a thread lesson with --trace and read what it
// recorded: the spans of each thread (B/E pairs, nested), its instants and flows.
//
//   lesson_trace::Trace t = lesson_trace::RunTraced("thread/barrier", {"--threads=5"});
//   for (const lesson_trace::Span& s : t.InState("barrier")) ...
//   EXPECT_EQ(lesson_trace::CountInstants(t, "Timer fired", "t1"), 1);
//
// Reading the file is common/trace_reading.h's; this adds running the lesson, and fails
// the test when the lesson did not run cleanly, the trace is unreadable or a span is left
// open.
#ifndef THREAD_TRACE_TESTING_H_
#define THREAD_TRACE_TESTING_H_

#include <string>
#include <string_view>
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

// Runs the lesson at `lesson_path` ("thread/barrier") with `flags` and --trace into the
// test's temporary directory.
inline Trace RunTraced(const std::string& lesson_path, std::vector<std::string> flags) {
  const std::string name = lesson_path.substr(lesson_path.rfind('/') + 1);
  const std::string path = ::testing::TempDir() + "/" + name + "_trace.json";
  flags.push_back("--trace=" + path);
  lesson::ProgramResult r = lesson::testing::RunLesson(lesson_path, flags);
  EXPECT_THAT(r, lesson::testing::RanCleanly());
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

// How many instants named `name` the trace holds: on the thread named `thread`, or on any
// thread when `thread` is empty.
inline int CountInstants(const Trace& trace, std::string_view name, std::string_view thread = "") {
  int count = 0;
  for (const Event& e : trace.instants) {
    if (e.name == name && (thread.empty() || e.thread == thread)) ++count;
  }
  return count;
}

}  // namespace lesson_trace

#endif  // THREAD_TRACE_TESTING_H_
