// coroutine/hand_over.h — the trace of a generator lesson: who has control, and each
// hand-over as an arrow (//coroutine:generator, //coroutine:producer_consumer).
//
// A generator and its caller take turns on one thread, and a resume is a call: the
// generator's body runs *inside* the caller's Next() or Send(). So on the thread's row of
// the trace their spans nest (the caller's "send(1)" contains the consumer's "Consuming
// 1"), and the arrows go down at each send/next and back up at each co_yield. Besides, the
// generator gets a row of its own (an async track) showing its whole life and the
// stretches it spent suspended at a co_yield.
//
//   coroutine::HandOver hand_over;                // one per caller/generator pair
//   { trace::Span s("send(1)", trace::kWait); hand_over.Give("send(1)"); c.Send(1);
//     hand_over.Take("co_yield"); }
//   // in the body, at the start of each turn: hand_over.Take("send(1)"), and before
//   // co_yield: hand_over.Give("co_yield r").
//
// Every call is a no-op when tracing is off. Single-threaded, like the generators.
#ifndef COROUTINE_HAND_OVER_H_
#define COROUTINE_HAND_OVER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/trace.h"

namespace coroutine {

// The arrows of one caller/generator pair: Give() where control leaves (inside a span on
// this thread), Take() where it arrives (inside the receiving side's span).
class HandOver {
 public:
  void Give(std::string_view what) {
    if (!trace::Enabled()) return;
    pending_ = trace::NewId();
    trace::FlowOut(what, pending_);
  }
  void Take(std::string_view what) {
    if (pending_ == 0) return;
    trace::FlowIn(what, pending_);
    pending_ = 0;
  }

 private:
  uint64_t pending_ = 0;
};

// A generator's own row in the trace: from its first resume to the destruction of its
// frame, each turn it ran and each stretch it spent suspended at a co_yield. Make it a
// local of the body: its destructor runs when the frame is destroyed, also when the caller
// drops the generator while it is suspended.
class GeneratorTrack {
 public:
  explicit GeneratorTrack(std::string name) : name_(std::move(name)), id_(trace::NewId()) {
    trace::AsyncBegin(name_, trace::kTask, id_);
    trace::AsyncBegin(kTurn, trace::kRun, id_);
  }
  ~GeneratorTrack() {
    trace::AsyncEnd(suspended_ ? kSuspended : kTurn, suspended_ ? trace::kWait : trace::kRun,
                    id_);
    trace::AsyncEnd(name_, trace::kTask, id_);
  }
  GeneratorTrack(const GeneratorTrack&) = delete;
  GeneratorTrack& operator=(const GeneratorTrack&) = delete;

  // Call right before co_yield, and right after it returns.
  void Suspended() {
    if (suspended_) return;
    suspended_ = true;
    trace::AsyncEnd(kTurn, trace::kRun, id_);
    trace::AsyncBegin(kSuspended, trace::kWait, id_);
  }
  void Resumed() {
    if (!suspended_) return;
    suspended_ = false;
    trace::AsyncEnd(kSuspended, trace::kWait, id_);
    trace::AsyncBegin(kTurn, trace::kRun, id_);
  }

 private:
  static constexpr char kTurn[] = "its turn";
  static constexpr char kSuspended[] = "suspended at co_yield";
  std::string name_;
  uint64_t id_;
  bool suspended_ = false;
};

}  // namespace coroutine

#endif  // COROUTINE_HAND_OVER_H_
