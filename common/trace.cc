#include "common/trace.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace trace {
namespace {

// The environment variable that hands the trace to programs started with exec.
constexpr char kDirVariable[] = "LESSON_TRACE_DIR";
// Past this many events a process records no new span (ends of open ones still are):
// a million coroutines must not make a gigabyte of JSON.
constexpr size_t kMaxEventsPerProcess = 500'000;

// One recorded event, as a line: ph, pid, tid, ts, cat, id, quoted name, then the event's
// JSON. The fields before the JSON are what the merge needs to pair and close spans.
// (Tabs cannot occur inside them: JSON strings escape tabs.)
struct State {
  std::mutex mu;
  std::atomic<bool> enabled{false};
  bool top = false;          // This process was given --trace and writes the file.
  std::string path;          // Top only: where the merged trace goes.
  std::string dir;           // Every process's event file lives here.
  std::string program;
  pid_t pid = 0;
  int fd = -1;               // Children: their own event file, written through.
  std::string buffer;        // Top: its own events, written at the end.
  size_t events = 0;
  size_t dropped = 0;
  std::atomic<uint64_t> next_id{1};
  std::atomic<int> fork_generation{0};
};

State& state() {
  static State* s = new State;  // Never destroyed: used from atexit and from children.
  return *s;
}

std::string Quote(std::string_view text) { return lesson::JsonQuote(text); }

std::string FormatMicros(double us) { return absl::StrFormat("%.3f", us); }

pid_t ThreadIdCached() {
  // gettid() is a system call; cache it per thread, and forget the cache after a fork
  // (the child's thread has a new id).
  thread_local int generation = -1;
  thread_local pid_t tid = 0;
  const int now = state().fork_generation.load(std::memory_order_relaxed);
  if (generation != now) {
    tid = ::gettid();
    generation = now;
  }
  return tid;
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Records one event. `force` records it even past the cap (the end of a recorded span).
bool Record(char ph, std::string_view name, std::string_view cat, uint64_t id,
            const lesson::JsonObject* args, double ts, bool force, std::string_view extra = "") {
  State& s = state();
  if (!s.enabled.load(std::memory_order_acquire)) return false;
  const pid_t tid = ThreadIdCached();
  std::string json = absl::StrFormat(R"({"ph":"%c","ts":%s,"pid":%d,"tid":%d)", ph,
                                     FormatMicros(ts), s.pid, tid);
  if (!cat.empty()) absl::StrAppend(&json, R"(,"cat":)", Quote(cat));
  if (!name.empty()) absl::StrAppend(&json, R"(,"name":)", Quote(name));
  if (id != 0) absl::StrAppend(&json, R"(,"id":")", absl::StrFormat("0x%x", id), "\"");
  json.append(extra);
  if (args != nullptr && args->ToString() != "{}") {
    absl::StrAppend(&json, R"(,"args":)", args->ToString());
  }
  json += "}";
  std::string line = absl::StrFormat("%c\t%d\t%d\t%s\t%s\t%x\t%s\t%s\n", ph, s.pid, tid,
                                     FormatMicros(ts), cat.empty() ? "-" : cat, id,
                                     Quote(name), json);
  std::lock_guard lock(s.mu);
  if (!force && s.events >= kMaxEventsPerProcess) {
    ++s.dropped;
    return false;
  }
  ++s.events;
  if (s.top) {
    s.buffer += line;
  } else {
    if (s.fd < 0) {
      const std::string file = absl::StrFormat("%s/%d.events", s.dir, s.pid);
      s.fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (s.fd < 0) return false;
    }
    WriteAll(s.fd, line);  // At once: a child may be killed at any moment.
  }
  return true;
}

void Metadata(std::string_view what, std::string_view name) {
  lesson::JsonObject args;
  args.Set("name", name);
  Record('M', what, "", 0, &args, 0, true);
}

// --- fork: the child records on its own -----------------------------------------------
void BeforeFork() { state().mu.lock(); }
void AfterForkInParent() { state().mu.unlock(); }
void AfterForkInChild() {
  State& s = state();
  s.mu.unlock();
  if (!s.enabled.load(std::memory_order_relaxed)) return;
  s.fork_generation.fetch_add(1, std::memory_order_relaxed);
  s.top = false;
  s.pid = ::getpid();
  s.buffer.clear();  // The parent's events: the parent writes them.
  s.buffer.shrink_to_fit();
  s.fd = -1;
  s.events = 0;
  s.dropped = 0;
  Metadata("process_name", absl::StrFormat("%s (child %d)", s.program, s.pid));
  Metadata("thread_name", "main");
}

// --- the merge ---------------------------------------------------------------------------
struct Line {
  char ph;
  pid_t pid;
  pid_t tid;
  double ts;
  std::string cat;
  std::string id;
  std::string name;  // quoted
  std::string json;
};

// The first `fields - 1` tab-separated fields of `text`, then the rest.
std::vector<std::string_view> SplitFields(std::string_view text, size_t fields) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < fields) {
    const size_t tab = text.find('\t');
    if (tab == std::string_view::npos) break;
    out.push_back(text.substr(0, tab));
    text.remove_prefix(tab + 1);
  }
  out.push_back(text);
  return out;
}

bool ParseLine(std::string_view text, Line& line) {
  std::vector<std::string_view> f = SplitFields(text, 8);
  if (f.size() != 8 || f[0].size() != 1) return false;
  line.ph = f[0][0];
  line.pid = std::atoi(std::string(f[1]).c_str());
  line.tid = std::atoi(std::string(f[2]).c_str());
  line.ts = std::atof(std::string(f[3]).c_str());
  line.cat = std::string(f[4]);
  line.id = std::string(f[5]);
  line.name = std::string(f[6]);
  line.json = std::string(f[7]);
  return true;
}

void ParseLines(std::string_view text, std::vector<Line>& out) {
  while (!text.empty()) {
    const size_t end = text.find('\n');
    // A child killed in the middle of a write leaves a partial last line, with no '\n'.
    if (end == std::string_view::npos) break;
    std::string_view piece = text.substr(0, end);
    text.remove_prefix(end + 1);
    Line line;
    if (ParseLine(piece, line) && line.json.ends_with("}")) out.push_back(std::move(line));
  }
}

std::string ReadFile(const std::string& path) {
  std::string out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char chunk[1 << 16];
  ssize_t n;
  while ((n = ::read(fd, chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

// Every event of every process, with spans left open (a killed child, a thread still
// running at exit) closed at the moment their process ended.
std::vector<std::string> Merge(std::vector<Line> lines, double now) {
  std::map<pid_t, double> ended_at;  // From ProcessEnded, recorded by the parent.
  std::map<pid_t, double> last_seen;
  for (const Line& l : lines) {
    last_seen[l.pid] = std::max(last_seen[l.pid], l.ts);
    if (l.ph == 'i' && l.cat == "process" && l.id != "0") {
      ended_at[static_cast<pid_t>(std::strtol(l.id.c_str(), nullptr, 16))] = l.ts;
    }
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    if ((a.ph == 'M') != (b.ph == 'M')) return a.ph == 'M';
    return a.ts < b.ts;
  });
  std::map<std::pair<pid_t, pid_t>, std::vector<const Line*>> open_spans;
  std::map<std::tuple<pid_t, std::string, std::string>, std::vector<const Line*>> open_async;
  std::map<std::tuple<pid_t, pid_t, std::string>, std::string> names;  // last one wins
  std::vector<std::string> out;
  for (const Line& l : lines) {
    if (l.ph == 'M') {
      names[{l.pid, l.name == "\"thread_name\"" ? l.tid : 0, l.name}] = l.json;
      continue;
    }
    if (l.ph == 'B') open_spans[{l.pid, l.tid}].push_back(&l);
    if (l.ph == 'E') {
      auto& stack = open_spans[{l.pid, l.tid}];
      if (stack.empty()) continue;  // An end without its begin (dropped): leave it out.
      stack.pop_back();
    }
    if (l.ph == 'b') open_async[{l.pid, l.cat, l.id}].push_back(&l);
    if (l.ph == 'e') {
      auto& stack = open_async[{l.pid, l.cat, l.id}];
      if (stack.empty()) continue;
      stack.pop_back();
    }
    out.push_back(l.json);
  }
  auto end_of = [&](pid_t pid) {
    if (auto it = ended_at.find(pid); it != ended_at.end()) return it->second;
    if (pid == state().pid) return now;
    return last_seen[pid];
  };
  for (auto& [key, stack] : open_spans) {
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      out.push_back(absl::StrFormat(R"({"ph":"E","ts":%s,"pid":%d,"tid":%d,"args":{"closed":"at process end"}})",
                                    FormatMicros(end_of(key.first)), key.first, key.second));
    }
  }
  for (auto& [key, stack] : open_async) {
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      const Line& b = **it;
      out.push_back(absl::StrFormat(R"({"ph":"e","ts":%s,"pid":%d,"tid":%d,"cat":%s,"name":%s,"id":"0x%s"})",
                                    FormatMicros(end_of(b.pid)), b.pid, b.tid, Quote(b.cat),
                                    b.name, b.id));
    }
  }
  std::vector<std::string> metadata;
  std::map<pid_t, int> process_order;
  for (const Line& l : lines) process_order.emplace(l.pid, static_cast<int>(process_order.size()));
  for (const auto& [key, json] : names) metadata.push_back(json);
  for (const auto& [pid, order] : process_order) {
    metadata.push_back(absl::StrFormat(
        R"({"ph":"M","ts":0,"pid":%d,"tid":%d,"name":"process_sort_index","args":{"sort_index":%d}})",
        pid, pid, order));
  }
  metadata.insert(metadata.end(), out.begin(), out.end());
  return metadata;
}

void RemoveDirectory(const std::string& dir) {
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* entry = ::readdir(d)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") ::unlink((dir + "/" + name).c_str());
    }
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

void FinishAtExit() {
  if (state().top && state().pid == ::getpid()) (void)Finish();
}

}  // namespace

bool Enabled() { return state().enabled.load(std::memory_order_relaxed); }

double NowMicros() {
  timespec t;
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

std::string Start(const std::string& path, std::string_view program) {
  State& s = state();
  if (path.empty()) return "the path is empty";
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "it is a directory";
  // Can we create the file the trace is renamed from, beside `path`?
  const std::string probe = absl::StrFormat("%s.tmp-%d", path, ::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  const char* tmp = std::getenv("TMPDIR");
  std::string dir_template =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/lesson-trace-XXXXXX");
  if (::mkdtemp(dir_template.data()) == nullptr) {
    return absl::StrCat("cannot create a temporary directory: ", std::strerror(errno));
  }
  s.dir = dir_template;
  s.path = path;
  s.program = std::string(program);
  s.pid = ::getpid();
  s.top = true;
  ::setenv(kDirVariable, s.dir.c_str(), 1);
  ::pthread_atfork(BeforeFork, AfterForkInParent, AfterForkInChild);
  std::atexit(FinishAtExit);
  s.enabled.store(true, std::memory_order_release);
  Metadata("process_name", s.program);
  Metadata("thread_name", "main");
  return "";
}

void JoinInheritedTrace(std::string_view program) {
  const char* dir = std::getenv(kDirVariable);
  if (dir == nullptr || *dir == '\0') return;
  struct stat st;
  if (::stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) return;  // that trace has ended
  State& s = state();
  s.dir = dir;
  s.program = std::string(program);
  s.pid = ::getpid();
  s.top = false;
  ::pthread_atfork(BeforeFork, AfterForkInParent, AfterForkInChild);
  s.enabled.store(true, std::memory_order_release);
  Metadata("process_name", absl::StrFormat("%s (%d)", s.program, s.pid));
  Metadata("thread_name", "main");
}

std::string Finish() {
  State& s = state();
  if (!s.top || !s.enabled.exchange(false)) return "";
  std::vector<Line> lines;
  {
    std::lock_guard lock(s.mu);
    ParseLines(s.buffer, lines);
    s.buffer.clear();
  }
  if (DIR* d = ::opendir(s.dir.c_str())) {
    while (dirent* entry = ::readdir(d)) {
      std::string name = entry->d_name;
      if (name.ends_with(".events")) ParseLines(ReadFile(s.dir + "/" + name), lines);
    }
    ::closedir(d);
  }
  const std::vector<std::string> events = Merge(std::move(lines), NowMicros());
  std::string text = "{\"traceEvents\":[\n";
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StrAppend(&text, events[i], i + 1 < events.size() ? ",\n" : "\n");
  }
  absl::StrAppend(&text, "],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{\"program\":",
                  Quote(s.program), ",\"clock\":\"CLOCK_MONOTONIC, microseconds\"",
                  ",\"dropped_events\":", s.dropped, "}}\n");
  RemoveDirectory(s.dir);
  ::unsetenv(kDirVariable);
  const std::string tmp = absl::StrFormat("%s.tmp-%d", s.path, s.pid);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::strerror(errno);
  WriteAll(fd, text);
  const bool ok = ::fsync(fd) == 0 || errno == EINVAL;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), s.path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return why;
  }
  return "";
}

void NameProcess(std::string_view name) { Metadata("process_name", name); }
void NameThread(std::string_view name) { Metadata("thread_name", name); }

Span::Span(std::string_view name, const char* state, const lesson::JsonObject& args)
    : recorded_(Enabled() && Record('B', name, state, 0, &args, NowMicros(), false)) {}

Span::~Span() {
  if (recorded_) Record('E', "", "", 0, nullptr, NowMicros(), true);
}

void Instant(std::string_view name, const char* state, const lesson::JsonObject& args) {
  if (Enabled()) Record('i', name, state, 0, &args, NowMicros(), false, R"(,"s":"t")");
}

void Complete(std::string_view name, const char* state, double start_us, double end_us,
              const lesson::JsonObject& args) {
  if (!Enabled()) return;
  Record('X', name, state, 0, &args, start_us, false,
         absl::StrCat(R"(,"dur":)", FormatMicros(std::max(0.0, end_us - start_us))));
}

uint64_t NewId() {
  // Unique across processes: the pid in the high bits, a counter in the low ones.
  return (static_cast<uint64_t>(state().pid > 0 ? state().pid : ::getpid()) << 32) |
         state().next_id.fetch_add(1, std::memory_order_relaxed);
}

// Async events pair by category and id (the format's rule): every event of a coroutine's
// track has the one category kAsyncCategory, and its state goes in args.state.
void AsyncBegin(std::string_view name, const char* state, uint64_t id,
                const lesson::JsonObject& args) {
  if (!Enabled()) return;
  lesson::JsonObject with_state = args;
  with_state.Set("state", state);
  Record('b', name, kAsyncCategory, id, &with_state, NowMicros(), true);
}

void AsyncEnd(std::string_view name, const char* state, uint64_t id) {
  if (!Enabled()) return;
  lesson::JsonObject with_state;
  with_state.Set("state", state);
  Record('e', name, kAsyncCategory, id, &with_state, NowMicros(), true);
}

void AsyncInstant(std::string_view name, const char* state, uint64_t id) {
  if (!Enabled()) return;
  lesson::JsonObject with_state;
  with_state.Set("state", state);
  Record('n', name, kAsyncCategory, id, &with_state, NowMicros(), false);
}

void FlowOut(std::string_view name, uint64_t id) {
  if (Enabled()) Record('s', name, "flow", id, nullptr, NowMicros(), false);
}

void FlowIn(std::string_view name, uint64_t id) {
  if (Enabled()) Record('f', name, "flow", id, nullptr, NowMicros(), false, R"(,"bp":"e")");
}

void Counter(std::string_view name, double value) {
  if (!Enabled()) return;
  lesson::JsonObject args;
  args.Set("value", value);
  Record('C', name, "counter", 0, &args, NowMicros(), false);
}

void ProcessEnded(pid_t child, std::string_view how) {
  if (!Enabled()) return;
  lesson::JsonObject args;
  args.Set("child", static_cast<int64_t>(child)).Set("how", how);
  // The id field carries the child's pid for the merge (see Merge); "s":"t" as usual.
  Record('i', absl::StrFormat("child %d ended", child), "process",
         static_cast<uint64_t>(child), &args, NowMicros(), true, R"(,"s":"t")");
}

}  // namespace trace
