// process/interrupt_guard.h — Ctrl-C must not orphan the children.
//
// Why the lessons open with `process::InterruptGuard guard;`. A learner runs a lesson,
// gets bored of a blocked child (//process:kill's p1 blocks on purpose) and presses
// Ctrl-C, or stops it with `kill <pid>`. Without a guard, what happens next depends on
// who got the signal: Ctrl-C in a terminal sends SIGINT to the whole foreground process
// group, but `kill <pid>`, `timeout` or a test runner signal the lesson alone. The lesson
// dies at once; children that did not get the signal are orphans: re-parented to init,
// still running, perhaps still printing after the shell prompt is back. (PR_SET_PDEATHSIG, which
// Process sets, makes the kernel kill them when the parent dies, but only afterwards and
// asynchronously, and not for a child started with set_die_with_parent(false).) The
// guard makes the ending deterministic: when the lesson's prompt returns, every child it
// started is gone and reaped. One line at the top of main, before the first Process is
// started:
//
//   int main(int argc, char** argv) {
//     lesson::ParseFlags(argc, argv, "...");
//     process::InterruptGuard guard;   // Ctrl-C stops the children too, then the lesson.
//     ...
//   }
//
// While a guard exists, SIGINT, SIGTERM and SIGHUP to this process:
//   1. forward the same signal to every child started by a Process and not yet reaped
//      (a child that is itself guarded then stops *its* children the same way);
//   2. wait up to `grace` for them to end, reaping each one;
//   3. SIGKILL the ones still running (they ignored or handled the signal) and reap them;
//   4. restore the default action and re-raise the signal, so the process dies of it
//      (a shell sees status 128+signal, as for an unguarded program).
// Everything in the handler is async-signal-safe (kill, waitpid, nanosleep,
// clock_gettime, sigaction, raise, sigprocmask on a lock-free table of child PIDs).
// It does not write the trace (--trace): a lesson interrupted this way leaves none.
//
// Children do not inherit the guard: a forked child gets back the dispositions that were
// in force before the guard was installed; exec() resets handlers by itself.
//
// Limits: one guard at a time (constructing a second while one exists is a programming
// error and aborts). A child started by another thread while the handler runs may be
// missed by step 1-3; PR_SET_PDEATHSIG still kills it when this process dies. A process
// forked without process::Process (a raw fork()) is not in the table: the guard does not
// know it.
#ifndef PROCESS_INTERRUPT_GUARD_H_
#define PROCESS_INTERRUPT_GUARD_H_

#include <signal.h>

#include "absl/time/time.h"

namespace process {

class InterruptGuard {
 public:
  // Installs the handlers for SIGINT, SIGTERM and SIGHUP. A signal whose disposition is
  // SIG_IGN is left ignored (e.g. SIGHUP under nohup).
  explicit InterruptGuard(absl::Duration grace = absl::Milliseconds(500));

  // Restores the dispositions that were in force before.
  ~InterruptGuard();

  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

}  // namespace process

#endif  // PROCESS_INTERRUPT_GUARD_H_
