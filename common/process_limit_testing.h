// common/process_limit_testing.h — (testonly) a process that may create no thread or process.
//
// Tests that prove "a thread or fork() that fails says so clearly" need the failure to be
// real. RLIMIT_NPROC counts every task (process or thread) of a user, and a limit of 0
// makes the next fork(), posix_spawn() or pthread_create() fail with EAGAIN. It does not
// bind root, so a process running as root first becomes the unprivileged user "nobody".
//
// Call it only in a death-test child (EXPECT_EXIT): it changes the whole process for good.
//
//   [[noreturn]] void StartWithNoTasksAllowed() {
//     lesson::testing::ForbidNewTasks();
//     _exit(process.Start().ok() ? 1 : 0);
//   }
//   EXPECT_EXIT(StartWithNoTasksAllowed(), testing::ExitedWithCode(0), "RLIMIT_NPROC");
//
// A test using it needs the "no-sandbox" tag: Bazel's sandbox maps only uid 0 into its user
// namespace, so becoming "nobody" there is impossible.
#ifndef COMMON_PROCESS_LIMIT_TESTING_H_
#define COMMON_PROCESS_LIMIT_TESTING_H_

namespace lesson::testing {

// Becomes "nobody" (uid and gid 65534, no supplementary groups) if running as root, then
// sets RLIMIT_NPROC to 0. If either step fails, prints why on standard error and exits
// with status 3 (identity) or 4 (limit), which the death test reports as a failure.
void ForbidNewTasks();

}  // namespace lesson::testing

#endif  // COMMON_PROCESS_LIMIT_TESTING_H_
