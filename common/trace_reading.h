// common/trace_reading.h — (testonly) read back a trace that common/trace.h wrote, as
// plain structs, so that a test asks its question of spans and instants, not of JSON.
//
//   trace_reading::Trace t = trace_reading::Read(path);
//   ASSERT_EQ(t.error, "");
//   for (const trace_reading::Span& s : t.spans) if (s.state == "join") ...
//   const long p1 = t.PidOf("p1");
//
// The file is Chrome's Trace Event Format (timestamps in µs). Metadata events ("M") are
// not events here: they fill process_names and thread_names, and every event and span
// carries its thread's name. The JSON parser lives in trace_reading.cc, so a test that
// reads traces does not compile it again.
#ifndef COMMON_TRACE_READING_H_
#define COMMON_TRACE_READING_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace trace_reading {

// One entry of "traceEvents" other than metadata.
struct Event {
  std::string phase;   // "B", "E", "X", "i", "b", "e", "n", "s", "f"
  std::string name;
  std::string category;  // "cat" as written.
  std::string state;   // trace.h's k* state ("join", "sleep"): the category on a thread,
                       // args.state on a coroutine's async track (trace.h says why).
  long pid = 0, tid = 0;
  std::string thread;  // The thread's name (thread_name metadata), or "".
  double ts = 0;       // µs
  double dur = 0;      // µs, X events only
  std::string id;      // Async and flow events' id, as written ("0x1f"), or "".
  std::map<std::string, std::string> args;  // Strings as written, numbers as decimal text.

  // args[key], or "" when absent.
  std::string Arg(const std::string& key) const;
  // args[key] read as a whole number, or 0 when absent or not a number.
  long ArgNumber(const std::string& key) const;
};

// A B/E pair on one thread (matched innermost first), or an X event.
struct Span {
  long pid = 0, tid = 0;
  std::string thread;
  std::string name, state;
  double begin = 0, end = 0;  // µs
};

struct Trace {
  std::string error;                  // Why the file could not be read, or "".
  std::vector<Event> events;          // In file order, metadata excluded.
  std::vector<Span> spans;            // In the order they ended.
  std::vector<std::string> problems;  // An E without its B, a span left open.
  std::map<long, std::string> process_names;                  // pid -> name
  std::map<std::pair<long, long>, std::string> thread_names;  // (pid, tid) -> name

  // The pids of the processes named `name`, in pid order.
  std::vector<long> PidsNamed(const std::string& name) const;
  // The pid of the one process named `name`, or 0 when none is.
  long PidOf(const std::string& name) const;
  // The events of phase `phase` (e.g. "i" for instants), in file order.
  std::vector<Event> OfPhase(const std::string& phase) const;
  // The spans in state `state`.
  std::vector<Span> InState(const std::string& state) const;
};

// Reads the trace at `path`. On a missing or malformed file, error says so and the rest
// is empty.
Trace Read(const std::string& path);

// Whether two spans share some instant.
bool Overlap(const Span& a, const Span& b);

}  // namespace trace_reading

#endif  // COMMON_TRACE_READING_H_
