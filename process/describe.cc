#include "process/describe.h"

#include <signal.h>
#include <string.h>

#include <string>

#include "common/lesson.h"

namespace process {

lesson::Text DescribeSignal(int signal_number) {
  switch (signal_number) {
    case SIGSEGV:
      return lesson::Tr("Segmentation fault");
    case SIGABRT:
      return lesson::Tr("Aborted");
    case SIGKILL:
      return lesson::Tr("Killed");
    case SIGTERM:
      return lesson::Tr("Terminated");
    case SIGINT:
      return lesson::Tr("Interrupt");
    case SIGHUP:
      return lesson::Tr("Hangup");
    default:
      break;
  }
  const char* description = sigdescr_np(signal_number);
  return lesson::Verbatim(description != nullptr ? description : "unknown signal");
}

lesson::Text DescribeExit(const ExitStatus& status) {
  if (status.exited()) return lesson::Format("exited with code %d", status.code());
  const char* abbreviation = sigabbrev_np(status.signal());
  const std::string name = abbreviation != nullptr ? abbreviation : "?";
  if (status.core_dumped()) {
    return lesson::Format("killed by signal %d (SIG%s: %s), core dumped", status.signal(), name,
                          DescribeSignal(status.signal()).str());
  }
  return lesson::Format("killed by signal %d (SIG%s: %s)", status.signal(), name,
                        DescribeSignal(status.signal()).str());
}

lesson::Text DescribeFailure(const absl::Status& status) {
  const std::string detail(status.message());
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted:
      return lesson::Format(
          "could not start a child process: this user's process limit (RLIMIT_NPROC, see "
          "`ulimit -u`) or the system's memory or PID limit was reached. Details: %s",
          detail);
    case absl::StatusCode::kNotFound:
      return lesson::Format("the program to start was not found. Details: %s", detail);
    case absl::StatusCode::kPermissionDenied:
      return lesson::Format("not allowed to start the program. Details: %s", detail);
    default:
      return lesson::Format("a process operation failed. Details: %s", detail);
  }
}

int Fail(const absl::Status& status) {
  lesson::WriteErrorLine(DescribeFailure(status).str());
  return 1;
}

}  // namespace process
