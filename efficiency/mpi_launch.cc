#include "efficiency/mpi_launch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "process/pipe.h"
#include "process/process.h"

namespace efficiency::mpi {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Splits what has arrived into whole lines; keeps an unfinished last line in `pending`.
std::vector<std::string> TakeLines(std::string& pending, bool at_end) {
  std::vector<std::string> lines;
  size_t start = 0, newline;
  while ((newline = pending.find('\n', start)) != std::string::npos) {
    lines.push_back(pending.substr(start, newline - start));
    start = newline + 1;
  }
  pending.erase(0, start);
  if (at_end && !pending.empty()) {
    lines.push_back(pending);
    pending.clear();
  }
  return lines;
}

}  // namespace

std::string FindOnPath(std::string_view program, std::string_view path) {
  // (Debian's Abseil has its own string_view.)
  for (absl::string_view dir : absl::StrSplit(absl::string_view(path.data(), path.size()), ':')) {
    const std::string candidate =
        absl::StrCat(dir.empty() ? absl::string_view(".") : dir, "/", std::string(program));
    if (IsExecutableFile(candidate)) return candidate;
  }
  return "";
}

std::vector<std::string> MpirunArgv(const LaunchPlan& plan) {
  std::vector<std::string> argv = {plan.mpirun};
  // Open MPI binds each rank to a core of its own choosing by default, ignoring the
  // affinity mask it was started with (taskset, a container's cpuset): unbound, the ranks
  // keep this process's mask, and the cores the lesson counted are the cores they get.
  argv.insert(argv.end(), {"--bind-to", "none"});
  // More ranks than cores: Open MPI refuses unless told; told, its waiting ranks also
  // yield the core instead of spinning on it.
  if (plan.oversubscribe) argv.push_back("--oversubscribe");
  if (plan.ranks > 0) argv.insert(argv.end(), {"-np", std::to_string(plan.ranks)});
  if (!plan.hostfile.empty()) argv.insert(argv.end(), {"--hostfile", plan.hostfile});
  if (plan.spread_over_hosts) argv.insert(argv.end(), {"--map-by", "node"});
  for (const std::string& name : plan.export_variables) {
    const char* value = std::getenv(name.c_str());
    if (value != nullptr && *value != '\0') argv.insert(argv.end(), {"-x", name});
  }
  argv.insert(argv.end(), plan.program.begin(), plan.program.end());
  return argv;
}

std::string CommandLine(const std::vector<std::string>& argv) {
  std::vector<std::string> words;
  for (const std::string& arg : argv) {
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_=./,:+@%") == std::string::npos;
    words.push_back(plain ? arg : absl::StrCat("'", absl::StrReplaceAll(arg, {{"'", "'\\''"}}), "'"));
  }
  return absl::StrJoin(words, " ");
}

absl::StatusOr<LaunchResult> RunMpirun(
    const LaunchPlan& plan, const std::vector<std::pair<std::string, std::string>>& environment,
    absl::Duration timeout, const std::function<void(const Report&)>& on_line) {
  absl::StatusOr<process::Pipe> out = process::Pipe::Create();
  if (!out.ok()) return out.status();
  absl::StatusOr<process::Pipe> err = process::Pipe::Create();
  if (!err.ok()) return err.status();
  const std::vector<std::string> argv = MpirunArgv(plan);

  // A forked child that becomes mpirun: forked (not posix_spawn) so that it is asked to
  // die with the lesson (PR_SET_PDEATHSIG survives exec) and so that its standard output
  // and error can be our pipes.
  process::Process mpirun([&]() -> int {
    trace::NameProcess("mpirun");  // its row in a trace: the process that becomes mpirun
    ::dup2(out->write_fd(), STDOUT_FILENO);
    ::dup2(err->write_fd(), STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);  // mpirun would forward our input to rank 0
    for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
    return 127;
  });
  lesson::Stopwatch watch;
  if (absl::Status started = mpirun.Start(); !started.ok()) return started;
  out->CloseWrite();
  err->CloseWrite();

  LaunchResult result;
  result.mpirun_pid = mpirun.pid();
  std::string pending_out, pending_err;
  const absl::Time deadline = absl::Now() + timeout;
  bool out_open = true, err_open = true;
  auto handle_out = [&](bool at_end) {
    for (const std::string& line : TakeLines(pending_out, at_end)) {
      if (Decode(line, result.report)) {
        if (on_line) on_line(result.report);
      } else if (!line.empty()) {
        result.other.push_back(line);
      }
    }
  };
  while (out_open || err_open) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      result.timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_open ? out->read_fd() : -1, POLLIN, 0},
                     {err_open ? err->read_fd() : -1, POLLIN, 0}};
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(
                                         absl::ToInt64Milliseconds(left) + 1, 1000)));
    if (ready < 0 && errno != EINTR) return absl::ErrnoToStatus(errno, "poll on mpirun's output");
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[65536];
      const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      std::string& pending = i == 0 ? pending_out : pending_err;
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
      } else {
        pending.append(chunk, static_cast<size_t>(n));
      }
      if (i == 0) {
        handle_out(!out_open);
      } else {
        for (std::string& line : TakeLines(pending_err, !err_open)) {
          if (!line.empty() && result.other.size() < 1000) result.other.push_back(std::move(line));
        }
      }
    }
  }
  if (result.timed_out) {
    // SIGTERM: mpirun ends its ranks and exits; SIGKILL if it has not after 3 s (its
    // ranks then die with it: each asked for PR_SET_PDEATHSIG).
    (void)mpirun.Terminate();
    if (!mpirun.Join(absl::Seconds(3)).ok()) (void)mpirun.Kill();
  }
  if (absl::Status joined = mpirun.Join(); !joined.ok()) return joined;
  result.seconds = watch.Seconds();
  const process::ExitStatus status = *mpirun.exit_status();
  result.exit_code = status.exited() ? status.code() : -1;
  result.signal = status.signal();
  return result;
}

std::optional<lesson::Text> DescribeFailure(const LaunchResult& result) {
  if (result.timed_out) {
    return lesson::Format("mpirun (pid %d) did not finish in time; the lesson stopped it and its "
                          "ranks after %.0f s",
                          result.mpirun_pid, result.seconds);
  }
  // A rank's own words come first: it knew what went wrong.
  if (!result.report.errors.empty()) {
    const RankError& e = result.report.errors.front();
    return lesson::Format("rank %d failed: %s", e.rank, e.reason);
  }
  if (result.exit_code == 0) return std::nullopt;
  const std::string text = absl::StrJoin(result.other, "\n");
  std::smatch m;
  // "mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 9 (Killed)."
  if (std::regex_search(text, m, std::regex(R"(process rank (\d+) with PID \d+ on node (\S+) exited on signal (\d+)(?: \(([^)]*)\))?)"))) {
    return lesson::Format("rank %d (on %s) was killed by signal %s (%s)", std::stoi(m[1]),
                          m[2].str(), m[3].str(), m[4].str());
  }
  // "Process name: [[26269,1],1]  Exit code: 3"
  if (std::regex_search(text, m, std::regex(R"(Process name:\s*\[\[\d+,\d+\],(\d+)\][\s\S]*?Exit code:\s*(\d+))"))) {
    return lesson::Format("rank %d exited with code %s before the job was done", std::stoi(m[1]),
                          m[2].str());
  }
  if (std::regex_search(text, m, std::regex(R"(MPI_ABORT was invoked on rank (\d+)[\s\S]*?errorcode (\d+))"))) {
    return lesson::Format("rank %d called MPI_Abort (error code %s)", std::stoi(m[1]), m[2].str());
  }
  if (absl::StrContains(text, "not enough slots")) {
    return lesson::Tr("mpirun refused: the hostfile has fewer slots than --ranks asks for; add "
                      "slots=N to its lines or lower --ranks");
  }
  // Anything else: mpirun's first line of explanation.
  for (const std::string& line : result.other) {
    if (line.find_first_not_of("- ") == std::string::npos) continue;  // its rulers
    if (result.signal != 0) {
      return lesson::Format("mpirun was killed by signal %d: %s", result.signal, line);
    }
    return lesson::Format("mpirun failed (exit status %d): %s", result.exit_code, line);
  }
  if (result.signal != 0) return lesson::Format("mpirun was killed by signal %d", result.signal);
  return lesson::Format("mpirun failed (exit status %d) and said nothing", result.exit_code);
}

}  // namespace efficiency::mpi
