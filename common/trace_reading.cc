#include "common/trace_reading.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "nlohmann/json.hpp"

namespace trace_reading {
namespace {

using Json = nlohmann::json;

std::string Text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  return value.dump();
}

std::string StringField(const Json& e, const char* key) {
  auto it = e.find(key);
  return it == e.end() ? "" : Text(*it);
}

}  // namespace

std::string Event::Arg(const std::string& key) const {
  auto it = args.find(key);
  return it == args.end() ? "" : it->second;
}

long Event::ArgNumber(const std::string& key) const {
  const std::string text = Arg(key);
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0' ? value : 0;
}

std::vector<long> Trace::PidsNamed(const std::string& name) const {
  std::vector<long> pids;
  for (const auto& [pid, process] : process_names) {
    if (process == name) pids.push_back(pid);
  }
  return pids;
}

long Trace::PidOf(const std::string& name) const {
  const std::vector<long> pids = PidsNamed(name);
  return pids.empty() ? 0 : pids.front();
}

std::vector<Event> Trace::OfPhase(const std::string& phase) const {
  std::vector<Event> found;
  std::copy_if(events.begin(), events.end(), std::back_inserter(found),
               [&](const Event& e) { return e.phase == phase; });
  return found;
}

std::vector<Span> Trace::InState(const std::string& state) const {
  std::vector<Span> found;
  std::copy_if(spans.begin(), spans.end(), std::back_inserter(found),
               [&](const Span& s) { return s.state == state; });
  return found;
}

Trace Read(const std::string& path) {
  Trace trace;
  std::ifstream in(path);
  if (!in) {
    trace.error = "no trace at " + path;
    return trace;
  }
  const Json doc = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("traceEvents") ||
      !doc["traceEvents"].is_array()) {
    trace.error = "not a trace (no traceEvents list): " + path;
    return trace;
  }
  // Names first: a thread's name may come after its first event.
  for (const Json& e : doc["traceEvents"]) {
    if (e.value("ph", "") != "M") continue;
    const std::string name = e.contains("args") ? e["args"].value("name", "") : "";
    if (e.value("name", "") == "process_name") trace.process_names[e.value("pid", 0L)] = name;
    if (e.value("name", "") == "thread_name") {
      trace.thread_names[{e.value("pid", 0L), e.value("tid", 0L)}] = name;
    }
  }
  std::map<std::pair<long, long>, std::vector<Span>> open;  // Per thread, innermost last.
  for (const Json& e : doc["traceEvents"]) {
    Event event;
    event.phase = e.value("ph", "");
    if (event.phase == "M") continue;
    event.name = e.value("name", "");
    event.category = e.value("cat", "");
    event.pid = e.value("pid", 0L);
    event.tid = e.value("tid", 0L);
    event.ts = e.value("ts", 0.0);
    event.dur = e.value("dur", 0.0);
    event.id = StringField(e, "id");
    const auto thread = trace.thread_names.find({event.pid, event.tid});
    if (thread != trace.thread_names.end()) event.thread = thread->second;
    if (e.contains("args") && e["args"].is_object()) {
      for (const auto& [key, value] : e["args"].items()) event.args[key] = Text(value);
    }
    const bool async = event.phase == "b" || event.phase == "e" || event.phase == "n";
    event.state = async && event.args.count("state") ? event.args["state"] : event.category;
    const Span span{event.pid, event.tid, event.thread, event.name, event.state, event.ts,
                    event.ts + event.dur};
    if (event.phase == "B") {
      open[{event.pid, event.tid}].push_back(span);
    } else if (event.phase == "E") {
      std::vector<Span>& stack = open[{event.pid, event.tid}];
      if (stack.empty()) {
        trace.problems.push_back("an E without its B on thread " + std::to_string(event.tid) +
                                 " of PID " + std::to_string(event.pid));
      } else {
        stack.back().end = event.ts;
        trace.spans.push_back(stack.back());
        stack.pop_back();
      }
    } else if (event.phase == "X") {
      trace.spans.push_back(span);
    }
    trace.events.push_back(std::move(event));
  }
  for (const auto& [thread, stack] : open) {
    for (const Span& s : stack) {
      trace.problems.push_back("span \"" + s.name + "\" left open on thread " +
                               std::to_string(thread.second) + " of PID " +
                               std::to_string(thread.first));
    }
  }
  return trace;
}

bool Overlap(const Span& a, const Span& b) { return a.begin < b.end && b.begin < a.end; }

}  // namespace trace_reading
