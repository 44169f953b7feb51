#include "process/describe.h"

#include <signal.h>
#include <string.h>

#include <string>

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

}  // namespace process
