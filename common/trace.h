// common/trace.h — a timeline of what ran when: --trace=PATH writes a Chrome trace.
//
// Every lesson takes --trace=PATH (common/flags.h). The file is in the Trace Event Format
// (the JSON object form: {"traceEvents": [...], ...}), which Perfetto (ui.perfetto.dev:
// it runs in the browser and uploads nothing) and chrome://tracing open, and which
// `bazel run //tools:timeline -- PATH --out=PNG` draws. Off by default; when off, every
// call here returns at once.
//
// What a lesson records, on the thread that does it:
//
//   trace::NameThread("t1");                          // the row's name
//   { trace::Span s("num += i; num -= i", trace::kRun); ... }   // a span: B ... E
//   trace::Instant("lost update", trace::kRun);       // a moment
//   trace::AsyncBegin("hello #1", trace::kRun, id);   // a coroutine's own track (below)
//   trace::FlowOut("item 1", flow); ... trace::FlowIn("item 1", flow);   // an arrow
//
// The contract with //tools:timeline and with Perfetto:
// - Timestamps are microseconds of CLOCK_MONOTONIC, one clock for every process.
// - Spans on one thread nest (Span is RAII, so they do by construction).
// - Coroutines share their loop's thread, and their spans overlap without nesting, so
//   each coroutine is an async track: AsyncBegin/AsyncEnd (ph "b"/"e") with the
//   coroutine's id; spans with the same id nest inside it.
// - A span's state is one of the k* constants below: the timeline colours by it. On a
//   thread (B/E, X) the state is the event's category ("cat"). On an async track every
//   event has the category kAsyncCategory and the state in args.state, because the
//   format pairs async events by category and id: one category keeps a coroutine's
//   life, its sleeps and its waits on one track.
//
// Processes. A forked child (any fork: process::Process, a raw fork()) keeps recording:
// from the instant of the fork it writes its own events to its own file, one write(2)
// per event, so a child that is killed loses nothing it recorded (a span it was inside
// when it died is closed at the moment its parent reaped it, see ProcessEnded). A
// program started with exec (a re-run lesson, an MPI rank) finds the trace through the
// environment (LESSON_TRACE_DIR) and does the same. When the traced program exits, it
// merges every process's events into PATH: written to a temporary file and renamed, so
// PATH is either whole or absent, never half-written. A program killed before it exits
// writes no trace.
//
// Thread safety: every function may be called from any thread, and in a forked child.
#ifndef COMMON_TRACE_H_
#define COMMON_TRACE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"

namespace trace {

// States (span categories). The timeline draws each in its own colour.
inline constexpr char kRun[] = "run";              // running: computing, printing, a step
inline constexpr char kLockWait[] = "lock_wait";   // blocked waiting for a lock
inline constexpr char kGil[] = "gil";              // holding the emulated GIL ("GIL" in the name)
inline constexpr char kSleep[] = "sleep";          // sleeping (a timer, time.sleep)
inline constexpr char kJoin[] = "join";            // blocked in join / wait for a child
inline constexpr char kBarrier[] = "barrier";      // waiting at a barrier
inline constexpr char kIo[] = "io";                // waiting for I/O (a pipe, a socket)
inline constexpr char kWait[] = "wait";            // waiting for another task or message
inline constexpr char kTask[] = "task";            // a coroutine's whole life (its track)

// The category of every async (coroutine track) event; see the contract above.
inline constexpr char kAsyncCategory[] = "coroutine";

// True when this process is recording (--trace was given, or an ancestor's was).
bool Enabled();

// Starts recording to `path` (called by ParseFlags for --trace). Checks that `path` can
// be written before any work starts; returns "" or the reason it cannot (strerror).
std::string Start(const std::string& path, std::string_view program);

// Joins an ancestor's trace if the environment names one (called by ParseFlags when
// there is no --trace).
void JoinInheritedTrace(std::string_view program);

// Writes the trace now (normally done at exit). Returns "" or why it could not.
std::string Finish();

// Microseconds of CLOCK_MONOTONIC.
double NowMicros();

// Names the calling process / thread in the trace (metadata: process_name, thread_name).
void NameProcess(std::string_view name);
void NameThread(std::string_view name);

// A span on the calling thread, from construction to destruction.
class Span {
 public:
  explicit Span(std::string_view name, const char* state = kRun,
                const lesson::JsonObject& args = {});
  ~Span();
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

 private:
  bool recorded_;
};

// A moment on the calling thread ("a lost update", "SIGKILL sent").
void Instant(std::string_view name, const char* state = kRun,
             const lesson::JsonObject& args = {});

// A span recorded after the fact, on the calling thread (ph "X"): for something timed by
// its own clock readings, such as a turn holding the emulated GIL.
void Complete(std::string_view name, const char* state, double start_us, double end_us,
              const lesson::JsonObject& args = {});

// An id no other process of this trace uses: for async tracks and flows.
uint64_t NewId();

// Async (coroutine) tracks: a span on the track `id`. Spans with the same id nest.
// AsyncEnd must repeat the name and state of its AsyncBegin.
void AsyncBegin(std::string_view name, const char* state, uint64_t id,
                const lesson::JsonObject& args = {});
void AsyncEnd(std::string_view name, const char* state, uint64_t id);
// A moment on the async track `id`.
void AsyncInstant(std::string_view name, const char* state, uint64_t id);

// Flow arrows: FlowOut where the hand-over starts (inside a span on this thread), FlowIn
// where it arrives (inside a span on the receiving thread or track), with one id.
void FlowOut(std::string_view name, uint64_t id);
void FlowIn(std::string_view name, uint64_t id);

// A counter track ("items in the queue").
void Counter(std::string_view name, double value);

// The parent reaped `child`: its spans still open are closed now, in the merged trace.
void ProcessEnded(pid_t child, std::string_view how);

}  // namespace trace

#endif  // COMMON_TRACE_H_
