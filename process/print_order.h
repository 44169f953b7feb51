// process/print_order.h — which process printed which line first, exactly.
//
// When a parent and its child both print, the order of their lines is decided by the
// scheduler, run by run. A lesson that wants to *say* what order this run had (not what
// order usually happens) prints those lines through a PrintOrder created before the fork:
//
//   process::PrintOrder order = process::PrintOrder::Create().value();
//   process::Process child([&order] {
//     order.Print(kChild, [] { lesson::Tutorial("开始写代码，PID是%d", getpid()); });
//   });
//   ...
//   order.Print(kMain, [] { lesson::Tutorial("我是主进程，PID是%d", getpid()); });
//   for (const process::PrintOrder::Line& line : order.Lines()) ...   // in printed order
//
// How: a page of memory mapped MAP_SHARED before the fork, so parent and child see the
// same page (unlike the rest of their memory: //process:address_space). It holds a small
// spin lock and the list of lines. Print() takes the lock, prints (one write(2), see
// common/lesson.h), appends who printed and when, and releases it: the list's order is
// exactly the order of the lines on the terminal. A process must not be killed while it
// is inside Print() (the lock would stay taken).
//
// Thread safety: Print() may be called from any thread of any process that shares the
// page (forked after Create()). Lines() reads a snapshot; call it once the others are done.
#ifndef PROCESS_PRINT_ORDER_H_
#define PROCESS_PRINT_ORDER_H_

#include <atomic>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace process {

class PrintOrder {
 public:
  static constexpr int kMaxLines = 64;

  struct Line {
    int who;      // The caller's label (e.g. 0 for main, 1 for the child).
    double at_us; // When it was printed: CLOCK_MONOTONIC microseconds (trace::NowMicros).
  };

  // Maps the shared page.
  static absl::StatusOr<PrintOrder> Create();

  PrintOrder(PrintOrder&& other) noexcept : shared_(std::exchange(other.shared_, nullptr)) {}
  PrintOrder& operator=(PrintOrder&& other) = delete;
  PrintOrder(const PrintOrder&) = delete;
  PrintOrder& operator=(const PrintOrder&) = delete;
  ~PrintOrder();  // Unmaps this process's view of the page.

  // Calls `print` (which prints one line) and records that `who` printed it, as one step
  // no other Print() can come between. Lines past kMaxLines are printed, not recorded.
  template <typename PrintOneLine>
  void Print(int who, PrintOneLine&& print) {
    Lock();
    print();
    Append(who);
    Unlock();
  }

  // The lines recorded so far, in the order they were printed.
  std::vector<Line> Lines() const;

 private:
  struct Shared;
  explicit PrintOrder(Shared* shared) : shared_(shared) {}
  void Lock();
  void Unlock();
  void Append(int who);

  Shared* shared_;
};

}  // namespace process

#endif  // PROCESS_PRINT_ORDER_H_
