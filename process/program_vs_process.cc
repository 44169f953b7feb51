// process/program_vs_process.cc — 程序和进程 (program and process)
//
// Ports 程序和进程: a program is a static file on disk; a process is one run of it, with
// a beginning and an end, holding CPU time and memory. The lesson shows the program (its
// file and size), then runs that same file several times, one run after another. Each
// run is a new process: a new PID, its own copy of a global variable, its own CPU time
// and peak memory, as the kernel accounts them (wait4's rusage). The closing points
// compare what each run was asked to use with what the kernel says it used
// (process/conclusions.h): a process costs more than its own work.
//
// How C++ differs: nothing here is Python-specific; the runs are started with
// posix_spawn (process::Process::Program), the way a shell starts a program.
//
// Corrects the tutorial: "不同时间运行相同程序，产生的进程是不同的，因为进程占用的内存段、
// 内存大小、运行时间都发生了变化" gives the wrong reason. Two runs are different processes
// because each run is a new process the kernel creates (a new PID); their memory and
// times could be identical and they would still be two processes. And "磁盘不属于运行资源"
// is loose: part of a process's memory *is* the program file, paged in from disk (the
// code pages in its RSS).
//
//   bazel run //process:program_vs_process
//   bazel run //process:program_vs_process -- --runs=5 --megabytes=32 --cpu=200ms
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/resources.h"
#include "common/stopwatch.h"
#include "common/table.h"
#include "common/trace.h"
#include "process/conclusions.h"
#include "process/describe.h"
#include "process/interrupt_guard.h"
#include "process/process.h"

ABSL_FLAG(int, runs, 3, "how many times the program is run (one process per run)");
ABSL_FLAG(int, megabytes, 16, "run i allocates and touches i * megabytes MiB");
ABSL_FLAG(absl::Duration, cpu, absl::Milliseconds(100),
          "run i computes for i * cpu of CPU time (e.g. 100ms)");
// Set by the lesson itself when it runs the program again; not for users.
ABSL_FLAG(std::string, role, "main", "main, or run: one run started by main (internal)");
ABSL_FLAG(int, run, 1, "which run this is (internal, with --role=run)");
ABSL_FLAG(int, parent_pid, 0, "PID of the main process (internal, with --role=run)");

namespace {

int g_value = 0;  // Every process has its own: set to the run number below.

// Computes until this thread has used `cpu` of CPU time. The loop's condition reads the
// CPU clock, so the compiler cannot remove it and the time is really spent.
void ComputeFor(absl::Duration cpu) {
  const double until = lesson::ThreadCpuSeconds() + absl::ToDoubleSeconds(cpu);
  while (lesson::ThreadCpuSeconds() < until) {
  }
}

// One run of the program: the body of every process after the first.
int Run(int run, int megabytes, absl::Duration cpu) {
  trace::NameProcess(absl::StrFormat("run %d", run));
  g_value = run;
  const size_t bytes = static_cast<size_t>(run) * megabytes << 20;
  std::vector<char> memory;
  {
    trace::Span touching(absl::StrFormat("touch %d MiB", run * megabytes));
    memory.resize(bytes);
    std::memset(memory.data(), run, bytes);  // Every page resident, not just reserved.
  }
  {
    trace::Span computing(absl::StrFormat("compute for %s of CPU time",
                                          absl::FormatDuration(run * cpu)));
    ComputeFor(run * cpu);
  }
  lesson::Print("  run %d: PID %d, g_value = %d at %p, RSS now %.1f MiB", run, getpid(), g_value,
                static_cast<void*>(&g_value), lesson::CurrentRssBytes() / 1048576.0);
  return bytes == 0 || memory[bytes / 2] == run ? 0 : 1;
}

// Whether each exec loads the program at a new random address (ASLR): on unless the
// machine turned it off (kernel.randomize_va_space = 0) or this process was started
// without it (setarch -R), which its exec'd children inherit.
bool AddressesAreRandomised() {
  if (personality(0xffffffff) & ADDR_NO_RANDOMIZE) return false;
  std::FILE* file = std::fopen("/proc/sys/kernel/randomize_va_space", "r");
  if (file == nullptr) return true;
  int level = 2;
  if (std::fscanf(file, "%d", &level) != 1) level = 2;
  std::fclose(file);
  return level != 0;
}

std::string SelfPath() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n < 0) return "/proc/self/exe";
  return std::string(path, static_cast<size_t>(n));
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "One program, several processes.");
  lesson::RequireOneOf(FLAGS_role, {"main", "run"});
  lesson::RequireInRange(FLAGS_runs, 1, 6);
  lesson::RequireInRange(FLAGS_megabytes, 0, 128);
  lesson::RequireInRange(FLAGS_cpu, absl::ZeroDuration(), absl::Seconds(1));
  lesson::RequireInRange(FLAGS_run, 1, 6);
  lesson::RequireInRange(FLAGS_parent_pid, 0, INT_MAX);
  const int megabytes = absl::GetFlag(FLAGS_megabytes);
  const absl::Duration cpu = absl::GetFlag(FLAGS_cpu);

  if (absl::GetFlag(FLAGS_role) == "run") {
    // A run must not outlive the main process that waits for it.
    if (!process::DieWithParent(absl::GetFlag(FLAGS_parent_pid))) return 1;
    return Run(absl::GetFlag(FLAGS_run), megabytes, cpu);
  }

  process::InterruptGuard guard;  // Ctrl-C ends the run in progress too (interrupt_guard.h).
  const int runs = absl::GetFlag(FLAGS_runs);
  lesson::Title("程序和进程", "Program and process");

  lesson::Step("The program: a file on disk");
  const std::string self = SelfPath();
  struct stat file_info {};
  stat(self.c_str(), &file_info);
  lesson::WriteLine("  " + self);
  lesson::Print("  %.1f MiB on disk. As a file it uses no CPU and no memory.",
                file_info.st_size / 1048576.0);

  lesson::Step("Processes: run that file %d times, one after another", runs);
  lesson::Print("  main: PID %d, g_value = %d at %p", getpid(), g_value,
                static_cast<void*>(&g_value));
  struct Row {
    int run;
    pid_t pid;
    process::ResourceUsage usage;
    lesson::Text ended;
  };
  std::vector<Row> rows;
  for (int run = 1; run <= runs; ++run) {
    process::Process p = process::Process::Program(
        {self, "--role=run", absl::StrFormat("--run=%d", run),
         absl::StrFormat("--megabytes=%d", megabytes),
         absl::StrFormat("--cpu=%s", absl::FormatDuration(cpu)),
         absl::StrFormat("--parent_pid=%d", getpid())});
    p.set_name(absl::StrFormat("run %d", run));
    absl::Status status = p.Start();
    if (status.ok()) status = p.Join();
    if (!status.ok()) return process::Fail(status);
    rows.push_back({run, p.pid(), *p.resource_usage(), process::DescribeExit(*p.exit_status())});
  }

  lesson::Step("What the kernel accounted to each process (wait4)");
  lesson::Table table({{lesson::Tr("run"), lesson::Table::kRight},
                       {lesson::Tr("PID"), lesson::Table::kRight},
                       {lesson::Tr("CPU asked"), lesson::Table::kRight},
                       {lesson::Tr("CPU used"), lesson::Table::kRight},
                       {lesson::Tr("in kernel"), lesson::Table::kRight},
                       {lesson::Tr("page faults"), lesson::Table::kRight},
                       {lesson::Tr("memory touched"), lesson::Table::kRight},
                       {lesson::Tr("peak RSS"), lesson::Table::kRight},
                       {lesson::Tr("ended"), lesson::Table::kLeft}});
  std::vector<process::RunCost> costs;
  for (const Row& row : rows) {
    const process::RunCost cost{
        .run = row.run,
        .pid = row.pid,
        .asked_ms = absl::ToDoubleMilliseconds(row.run * cpu),
        .used_ms = absl::ToDoubleMilliseconds(row.usage.cpu()),
        .system_ms = absl::ToDoubleMilliseconds(row.usage.system_cpu),
        .page_faults = row.usage.minor_page_faults + row.usage.major_page_faults,
        .touched_mib = static_cast<double>(row.run) * megabytes,
        .peak_rss_mib = row.usage.peak_rss_bytes / 1048576.0};
    costs.push_back(cost);
    table.AddRow({absl::StrFormat("%d", row.run), absl::StrFormat("%d", row.pid),
                  absl::StrFormat("%.0f ms", cost.asked_ms),
                  absl::StrFormat("%.0f ms", cost.used_ms),
                  absl::StrFormat("%.0f ms", cost.system_ms),
                  absl::StrFormat("%d", cost.page_faults),
                  absl::StrFormat("%.0f MiB", cost.touched_mib),
                  absl::StrFormat("%.1f MiB", cost.peak_rss_mib), row.ended.str()});
  }
  for (const std::string& line : table.Lines()) lesson::WriteLine("  " + line);

  lesson::Notice(process::ProgramVsProcessPoints(costs, AddressesAreRandomised()));
  return 0;
}
