#include "coroutine/child_measurement.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "absl/strings/str_format.h"
#include "common/resources.h"

namespace coro_lessons {

ChildMeasurement MeasureInChild(const std::function<std::string()>& measure) {
  ChildMeasurement result;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.failure = "pipe2 failed";
    return result;
  }
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    const int fork_errno = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    result.failure = absl::StrFormat(
        "fork failed: %s%s", strerror(fork_errno),
        fork_errno == EAGAIN ? " (the user's process limit RLIMIT_NPROC, see `ulimit -u`, "
                               "is reached)"
                             : "");
    return result;
  }
  if (pid == 0) {  // the child: measure, report, leave without running any cleanup
    // If the parent dies (Ctrl-C, kill), so does the measurement: nothing is left behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);  // it died before prctl took effect
    ::close(pipe_fds[0]);
    int status = 0;
    std::string report;
    try {
      report = measure();
    } catch (const std::exception& e) {
      report = e.what();
      status = 1;
    }
    const char* data = report.data();
    size_t left = report.size();
    while (left > 0) {
      ssize_t n = ::write(pipe_fds[1], data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      data += n;
      left -= static_cast<size_t>(n);
    }
    ::_exit(status);
  }
  ::close(pipe_fds[1]);
  char buffer[4096];
  while (true) {
    ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.report.append(buffer, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.peak_rss_bytes = lesson::PeakRssOfChild(usage);
  result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!result.ok) {
    result.failure = WIFSIGNALED(status)
                         ? absl::StrFormat("killed by signal %d", WTERMSIG(status))
                         : absl::StrFormat("exit status %d: %s", WEXITSTATUS(status),
                                           result.report);
  }
  return result;
}

}  // namespace coro_lessons
