// process/describe.h — how a child ended, in the reader's language.
//
// ExitStatus::ToString() is for logs and tests, always English ("killed by signal 9
// (SIGKILL: Killed)"). A lesson tells the reader, in English or Chinese, with the same
// English wording so that the two never drift apart:
//
//   lesson::Print("p1 %s", process::DescribeExit(*p1.exit_status()).str());
//   //   English: "p1 killed by signal 9 (SIGKILL: Killed)"
//   //   Chinese: "p1 被信号 9（SIGKILL：已杀死）杀死"
#ifndef PROCESS_DESCRIBE_H_
#define PROCESS_DESCRIBE_H_

#include "absl/status/status.h"
#include "common/message.h"
#include "process/process.h"

namespace process {

// "exited with code 0", "killed by signal 11 (SIGSEGV: Segmentation fault)", translated.
lesson::Text DescribeExit(const ExitStatus& status);

// The signal's description ("Segmentation fault"), translated for the signals the lessons
// show (SIGSEGV, SIGABRT, SIGKILL, SIGTERM, SIGINT, SIGHUP); glibc's English otherwise.
lesson::Text DescribeSignal(int signal_number);

// A failure of the Process library (a Status from Start, Join, Pipe...) for the reader:
// what it means, translated, then the library's own message (English, with the system's
// error names) as the detail. ResourceExhausted (fork refused) names RLIMIT_NPROC.
lesson::Text DescribeFailure(const absl::Status& status);

// How a lesson gives up when the Process library failed: writes DescribeFailure(status)
// as its one line on standard error and returns 1, the lesson's exit status.
//
//   if (absl::Status s = p1.Start(); !s.ok()) return process::Fail(s);
int Fail(const absl::Status& status);

}  // namespace process

#endif  // PROCESS_DESCRIBE_H_
