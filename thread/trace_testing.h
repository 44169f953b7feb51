// thread/trace_testing.h — (testonly) run a thread lesson with --trace and read what it
// recorded: the spans of each thread (B/E pairs, nested), its instants and flows.
//
//   lesson_trace::Trace t = lesson_trace::RunTraced("barrier", {"--threads=5"});
//   for (const lesson_trace::Span& s : t.spans) if (s.state == "barrier") ...
//
// The trace's format is common/trace.h's: Chrome Trace Event Format, timestamps in µs.
#ifndef THREAD_TRACE_TESTING_H_
#define THREAD_TRACE_TESTING_H_

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/lesson_testing.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace lesson_trace {

struct Span {
  long pid = 0, tid = 0;
  std::string thread;  // The thread's name (thread_name metadata), or "".
  std::string name, state;
  double begin = 0, end = 0;
};

struct Event {
  long pid = 0, tid = 0;
  std::string thread, name, state, phase;
  double ts = 0;
  unsigned long long id = 0;
};

struct Trace {
  std::vector<Span> spans;     // B/E pairs and X events
  std::vector<Event> instants;  // ph "i"
  std::vector<Event> flows;     // ph "s" (out) and "f" (in)
  std::string stdout_text;
};

// Reads a trace file written by common/trace.h.
inline Trace Read(const std::string& path) {
  Trace trace;
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("traceEvents")) {
    ADD_FAILURE() << "not a trace: " << path;
    return trace;
  }
  std::map<std::pair<long, long>, std::string> names;
  for (const auto& e : doc["traceEvents"]) {
    if (e.value("ph", "") == "M" && e.value("name", "") == "thread_name") {
      names[{e.value("pid", 0L), e.value("tid", 0L)}] = e["args"].value("name", "");
    }
  }
  std::map<std::pair<long, long>, std::vector<Span>> open;
  for (const auto& e : doc["traceEvents"]) {
    const std::string ph = e.value("ph", "");
    const long pid = e.value("pid", 0L), tid = e.value("tid", 0L);
    const std::string thread = names[{pid, tid}];
    const double ts = e.value("ts", 0.0);
    if (ph == "B") {
      open[{pid, tid}].push_back({pid, tid, thread, e.value("name", ""), e.value("cat", ""), ts, ts});
    } else if (ph == "E") {
      auto& stack = open[{pid, tid}];
      if (stack.empty()) {
        ADD_FAILURE() << "an E without its B on thread " << tid;
        continue;
      }
      Span span = stack.back();
      stack.pop_back();
      span.end = ts;
      trace.spans.push_back(span);
    } else if (ph == "X") {
      trace.spans.push_back({pid, tid, thread, e.value("name", ""), e.value("cat", ""), ts,
                             ts + e.value("dur", 0.0)});
    } else if (ph == "i" || ph == "s" || ph == "f") {
      Event event{pid, tid, thread, e.value("name", ""), e.value("cat", ""), ph, ts, 0};
      if (e.contains("id")) {
        event.id = e["id"].is_string() ? std::stoull(e["id"].get<std::string>(), nullptr, 0)
                                       : e["id"].get<unsigned long long>();
      }
      (ph == "i" ? trace.instants : trace.flows).push_back(event);
    }
  }
  for (const auto& [thread, stack] : open) {
    EXPECT_TRUE(stack.empty()) << "a span left open on thread " << thread.second;
  }
  return trace;
}

// Runs //thread:<lesson> with `flags` and --trace into the test's temporary directory.
inline Trace RunTraced(const std::string& lesson, std::vector<std::string> flags) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + lesson + "_trace.json";
  flags.push_back("--trace=" + path);
  lesson::ProgramResult r = lesson::testing::RunLesson("thread/" + lesson, flags);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  Trace trace = Read(path);
  trace.stdout_text = r.stdout_text;
  return trace;
}

// Spans in `state` (a trace:: k* constant's value, e.g. "barrier").
inline std::vector<Span> InState(const Trace& trace, const std::string& state) {
  std::vector<Span> found;
  for (const Span& s : trace.spans) {
    if (s.state == state) found.push_back(s);
  }
  return found;
}

inline bool Overlap(const Span& a, const Span& b) { return a.begin < b.end && b.begin < a.end; }

}  // namespace lesson_trace

#endif  // THREAD_TRACE_TESTING_H_
