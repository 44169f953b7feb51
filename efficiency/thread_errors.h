// efficiency/thread_errors.h — a thread that could not be created, said clearly.
//
// On Linux a thread is a task like a process: the user's process limit (RLIMIT_NPROC,
// `ulimit -u`) counts threads too, and the system has its own limit (kernel.threads-max).
// When one is reached, std::thread's constructor throws std::system_error (EAGAIN) and
// oneTBB throws std::runtime_error("pthread_create has failed: Resource temporarily
// unavailable"). Left uncaught, either ends the program with an abort. The experiments
// catch them where the thread is created and turn them into an error value that names the
// limit, the way process::Process::Start() words a fork() that hit it:
//
//   try {
//     threads.emplace_back(work);
//   } catch (const std::system_error& error) {
//     return efficiency::ThreadStartError("could not create thread 2 of 2", error);
//   }
#ifndef EFFICIENCY_THREAD_ERRORS_H_
#define EFFICIENCY_THREAD_ERRORS_H_

#include <exception>
#include <string_view>

#include "absl/status/status.h"

namespace efficiency {

// ThreadStartError(what, error)
//
// ResourceExhausted "<what>: <error.what()>: this user has reached its process limit
// (RLIMIT_NPROC, soft limit N; `ulimit -u`, which counts threads) or the system's thread
// limit (kernel.threads-max)" when `error` says a thread could not be created for lack of
// resources (std::system_error with EAGAIN, or oneTBB's pthread_create failure);
// Internal "<what>: <error.what()>" for any other exception.
absl::Status ThreadStartError(std::string_view what, const std::exception& error);

}  // namespace efficiency

#endif  // EFFICIENCY_THREAD_ERRORS_H_
