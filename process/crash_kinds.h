// process/crash_kinds.h — a process crashing for real, on purpose (for lessons and tests).
//
// Both functions first set the core-file size limit to 0, so the crash leaves no core
// file in the working directory, and restore the signal's default action, so that the
// kernel, not a handler, decides what happens: the process is killed by the signal.
// (Sanitizers install SIGSEGV handlers that would turn the crash into a report and
// exit(1); the default action is restored with the raw rt_sigaction system call, which
// their interceptors do not see.)
#ifndef PROCESS_CRASH_KINDS_H_
#define PROCESS_CRASH_KINDS_H_

namespace process {

// Dies of SIGSEGV by storing to a page mapped with no access rights (PROT_NONE).
//
// Why not `*(int*)nullptr = 1`? A null-pointer write is undefined behaviour: the
// compiler may assume it never happens and delete it, or replace it with a trap
// instruction (GCC's -fisolate-erroneous-paths-dereference emits ud2 => SIGILL), and
// UBSan reports it before it happens. A store to a PROT_NONE page is an ordinary store as
// far as the compiler knows; the MMU refuses it and the kernel sends SIGSEGV. That is
// the very mechanism of a null-pointer crash: page 0 is never mapped either.
[[noreturn]] void SegfaultNow();

// Dies of SIGABRT via std::abort(), what a failed assert() or std::terminate() does.
[[noreturn]] void AbortNow();

}  // namespace process

#endif  // PROCESS_CRASH_KINDS_H_
