#include "common/run_program.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lesson {
namespace {

// Processes whose process group is `group`, found by reading /proc.
int CountProcessesInGroup(pid_t group) {
  int count = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* entry = readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    std::ifstream stat_file(std::string("/proc/") + entry->d_name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), {});
    // Fields after "(comm)": state ppid pgrp ...; comm may contain spaces, so skip past ')'.
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    char state = 0;
    long ppid = 0, pgrp = 0;
    if (rest >> state >> ppid >> pgrp && pgrp == group && state != 'Z') ++count;
  }
  closedir(proc);
  return count;
}

// Appends what is readable on `fd` to `out`; returns false at end of file.
bool Drain(int fd, std::string& out) {
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    return false;  // 0 = end of file; other errors end the stream too.
  }
}

}  // namespace

ProgramResult RunProgram(const std::vector<std::string>& argv, const RunOptions& options) {
  ProgramResult result;
  int out_pipe[2], err_pipe[2];
  if (argv.empty() || pipe2(out_pipe, O_CLOEXEC) != 0) return result;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execv(args[0], args.data());
    const char message[] = "RunProgram: exec failed\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return result;
  }
  setpgid(pid, pid);  // Also done by the child: whichever runs first wins the race.
  fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
  fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);

  bool out_open = true, err_open = true, reaped = false, signalled = options.signal == 0;
  int status = 0;
  while (!reaped || out_open || err_open) {
    const absl::Duration elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start);
    if (!signalled && elapsed >= options.signal_after) {
      kill(options.signal_whole_group ? -pid : pid, options.signal);
      signalled = true;
    }
    if (!result.timed_out && elapsed >= options.timeout) {
      kill(-pid, SIGKILL);
      result.timed_out = true;
    }
    if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;
      // The program is gone; whatever is left in its group was orphaned by it.
      result.leftover_processes = CountProcessesInGroup(pid);
      if (result.leftover_processes > 0) kill(-pid, SIGKILL);
    }
    pollfd fds[2] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                     {err_open ? err_pipe[0] : -1, POLLIN, 0}};
    poll(fds, 2, 10);
    if (out_open && fds[0].revents != 0) out_open = Drain(out_pipe[0], result.stdout_text);
    if (err_open && fds[1].revents != 0) err_open = Drain(err_pipe[0], result.stderr_text);
    // A killed group may leave a pipe open in a process that is still dying: stop
    // waiting for its end of file once the program itself has been reaped and killed.
    if (reaped && result.timed_out) break;
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  result.elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

std::string RunfilePath(std::string_view workspace_relative_path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  std::string path = srcdir ? srcdir : ".";
  path += "/";
  path += workspace ? workspace : "concurrency_lessons";
  path += "/";
  path += workspace_relative_path;
  return path;
}

}  // namespace lesson
