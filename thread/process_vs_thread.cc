// thread/process_vs_thread.cc — 进程和线程 (processes and threads)
//
// Ports 进程和线程: "进程是资源分配的最小单位 / 线程是CPU调度的最小单位" — a process is the
// unit the OS gives resources to, a thread the unit it schedules; a process has at least
// one thread, and its threads share its memory ("the process is the classroom, the
// threads are the students in it"). The lesson shows both halves from /proc, the
// kernel's own account:
//   resources: both threads see one memory map (/proc/self/task/<tid>/maps is the same
//   text for each), one variable at one address, and one table of open files (a file the
//   second thread opens is usable by main at once);
//   scheduling: each thread is a task of its own in /proc/self/task, with its own
//   scheduler statistics (/proc/self/task/<tid>/schedstat: time on a CPU, time waiting
//   for one, times scheduled). While the second thread computes, main sleeps in join:
//   the kernel charges the CPU to the thread, not to the process as a whole.
// Then a forked child process writes the same variable at the same address, and the
// parent never sees it: the child got a copy (compare //process:address_space).
//
// How C++ differs: nothing hides the sharing. A thread may read and write any memory of
// its process; the only rule is that two threads must not touch the same data at the
// same time without synchronisation (here join(), a latch and waitpid() order them).
//
//   bazel run //thread:process_vs_thread -- --value=42 --spin=200ms
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <latch>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/table.h"
#include "common/trace.h"

ABSL_FLAG(int, value, 42, "what the second thread and the child process write");
ABSL_FLAG(absl::Duration, spin, absl::Milliseconds(100),
          "how long the second thread computes while main waits");

namespace {

// The blackboard of the classroom: one variable, in the process's memory.
int blackboard = 0;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Reads `path` into `buffer` (already allocated: this allocates nothing); returns the
// bytes read. A file longer than the buffer is cut.
size_t ReadInto(const std::string& path, std::vector<char>& buffer) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  size_t used = 0;
  ssize_t n;
  while (used < buffer.size() && (n = read(fd, buffer.data() + used, buffer.size() - used)) > 0) {
    used += static_cast<size_t>(n);
  }
  close(fd);
  return used;
}

std::string TaskFile(long tid, const char* name) {
  return absl::StrFormat("/proc/self/task/%d/%s", tid, name);
}

// What the kernel's scheduler has recorded for one thread (/proc/<pid>/task/<tid>/
// schedstat: nanoseconds on a CPU, nanoseconds runnable but waiting, times run).
struct SchedStat {
  double on_cpu_ms = 0;
  double waited_ms = 0;
  long times_run = 0;
  bool read = false;
};

SchedStat ReadSchedStat(long tid) {
  SchedStat s;
  std::istringstream in(ReadFile(TaskFile(tid, "schedstat")));
  long long on_cpu_ns = 0, waited_ns = 0;
  if (in >> on_cpu_ns >> waited_ns >> s.times_run) {
    s.on_cpu_ms = on_cpu_ns / 1e6;
    s.waited_ms = waited_ns / 1e6;
    s.read = true;
  }
  return s;
}

SchedStat Minus(const SchedStat& after, const SchedStat& before) {
  return {after.on_cpu_ms - before.on_cpu_ms, after.waited_ms - before.waited_ms,
          after.times_run - before.times_run, after.read && before.read};
}

// The CPU a thread last ran on: field 39 of /proc/<pid>/task/<tid>/stat. The name in
// field 2 is in parentheses and may hold spaces, so count from the closing one.
int LastCpu(long tid) {
  const std::string stat = ReadFile(TaskFile(tid, "stat"));
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));  // Field 3 onwards.
  std::string field;
  for (int n = 3; fields >> field; ++n) {
    if (n == 39) return std::stoi(field);
  }
  return -1;
}

// Keeps a CPU busy for `cpu` of this thread's CPU time.
void Compute(std::chrono::nanoseconds cpu) {
  const double until = lesson::ThreadCpuSeconds() + std::chrono::duration<double>(cpu).count();
  volatile unsigned long x = 1;
  while (lesson::ThreadCpuSeconds() < until) {
    for (int i = 0; i < 10000; ++i) x = x * 6364136223846793005UL + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "A process owns the resources, a thread is what the CPU runs: from /proc.");
  lesson::RequireInRange(FLAGS_value, 1, 1'000'000'000);
  lesson::RequireInRange(FLAGS_spin, absl::Milliseconds(10), absl::Seconds(2));
  const int value = absl::GetFlag(FLAGS_value);
  const auto spin = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_spin));
  const long main_tid = lesson::ThreadId();
  const int pid = static_cast<int>(getpid());

  lesson::Title("进程和线程", "Processes and threads");

  lesson::Step("1. One process, two threads: the same pid, a thread id each");
  lesson::Print("main thread:   pid %d, thread id %d", pid, main_tid);

  // The second thread runs its parts in order, and waits at two points so that main
  // can look at it in /proc while it is alive.
  long second_tid = 0;
  int opened_fd = -1;
  std::latch opened(1), may_compute(1), computed(1), may_exit(1);
  std::thread second([&] {
    trace::NameThread("second thread");
    second_tid = lesson::ThreadId();
    lesson::Print("second thread: pid %d, thread id %d", static_cast<int>(getpid()),
                  second_tid);
    blackboard = value;                         // The same variable main reads.
    opened_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);  // Into the process's fd table.
    opened.count_down();
    may_compute.wait();
    {
      trace::Span span("computing (main sleeps meanwhile)");
      Compute(spin);
    }
    computed.count_down();
    may_exit.wait();  // Stay alive until main has read this thread's /proc entries.
  });
  opened.wait();  // The latch orders the thread's writes before main's reads.

  lesson::Step("2. 进程是资源分配的最小单位: memory and open files belong to the process");
  lesson::Print("the second thread wrote blackboard = %d at %p; main reads %d at %p",
                value, &blackboard, blackboard, &blackboard);
  // The two files are read one after the other, so they can differ only if memory was
  // mapped in between. Reading must not map any itself: both go into buffers allocated
  // before either read (a growing string would make the heap grow between the reads).
  std::string main_maps, second_maps;
  for (int attempt = 0; attempt < 5 && (main_maps.empty() || main_maps != second_maps);
       ++attempt) {
    std::vector<char> first(4 << 20), second_buffer(4 << 20);
    const size_t n1 = ReadInto(TaskFile(main_tid, "maps"), first);
    const size_t n2 = ReadInto(TaskFile(second_tid, "maps"), second_buffer);
    main_maps.assign(first.data(), n1);
    second_maps.assign(second_buffer.data(), n2);
  }
  const int mappings = static_cast<int>(std::count(main_maps.begin(), main_maps.end(), '\n'));
  const bool same_maps = !main_maps.empty() && main_maps == second_maps;
  lesson::Print("/proc/self/task/<tid>/maps: %d mappings for main, %d for the second thread: %s",
                mappings,
                static_cast<int>(std::count(second_maps.begin(), second_maps.end(), '\n')),
                same_maps ? lesson::Tr("the same text, one address space").str()
                          : lesson::Tr("they differ").str());
  // A file the second thread opened is in main's table too: main writes through it.
  const bool fd_shared = opened_fd >= 0 && write(opened_fd, "x", 1) == 1;
  char target[256] = {};
  const ssize_t length =
      readlink(absl::StrFormat("/proc/self/task/%d/fd/%d", main_tid, opened_fd).c_str(), target,
               sizeof target - 1);
  lesson::Print("the second thread opened /dev/null as fd %d; main's fd %d is %s, and main "
                "wrote to it: %s",
                opened_fd, opened_fd, length > 0 ? std::string(target, length) : "?",
                fd_shared ? lesson::Tr("it works").str() : lesson::Tr("it failed").str());

  lesson::Step("3. 线程是CPU调度的最小单位: each thread is a task the kernel schedules");
  std::vector<long> task_ids;
  std::error_code no_proc;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", no_proc)) {
    task_ids.push_back(std::stol(entry.path().filename().string()));
  }
  std::sort(task_ids.begin(), task_ids.end());
  std::string tasks;
  for (long tid : task_ids) tasks += absl::StrFormat("%s%d", tasks.empty() ? "" : ", ", tid);
  lesson::Print("/proc/self/task lists %s: one entry per thread, each with its own "
                "schedstat, stat and status",
                tasks);
  const SchedStat main_before = ReadSchedStat(main_tid), second_before = ReadSchedStat(second_tid);
  lesson::Stopwatch watch;
  may_compute.count_down();
  {
    trace::Span wait("waiting for the second thread", trace::kJoin);
    computed.wait();
  }
  const double window_ms = watch.Seconds() * 1e3;
  const SchedStat main_used = Minus(ReadSchedStat(main_tid), main_before);
  const SchedStat second_used = Minus(ReadSchedStat(second_tid), second_before);
  lesson::Print("the second thread computed for %s while main waited; in those %.0f ms the "
                "scheduler recorded:",
                absl::FormatDuration(absl::GetFlag(FLAGS_spin)), window_ms);
  lesson::Table table({{lesson::Tr("thread"), lesson::Table::kLeft},
                       {lesson::Tr("on a CPU ms"), lesson::Table::kRight},
                       {lesson::Tr("waiting for a CPU ms"), lesson::Table::kRight},
                       {lesson::Tr("times run"), lesson::Table::kRight},
                       {lesson::Tr("last CPU"), lesson::Table::kRight}});
  auto row = [&](const lesson::Text& who, long tid, const SchedStat& s) {
    table.AddRow({absl::StrFormat("%s (%d)", who.str(), tid), absl::StrFormat("%.1f", s.on_cpu_ms),
                  absl::StrFormat("%.1f", s.waited_ms), absl::StrFormat("%d", s.times_run),
                  absl::StrFormat("%d", LastCpu(tid))});
  };
  row(lesson::Tr("main thread"), main_tid, main_used);
  row(lesson::Tr("second thread"), second_tid, second_used);
  if (main_used.read && second_used.read) table.Print();
  may_exit.count_down();
  {
    trace::Span join("join()", trace::kJoin);
    second.join();
  }
  if (opened_fd >= 0) close(opened_fd);

  lesson::Step("4. Contrast: a child process writes the same variable");
  const int before = blackboard;
  pid_t child = fork();
  if (child == 0) {
    trace::NameProcess("child process");
    blackboard = value + 1;  // Same address, but the child's own copy of the page.
    lesson::Print("child process: pid %d, blackboard at %p = %d (written)",
                  static_cast<int>(getpid()), &blackboard, blackboard);
    _exit(0);
  }
  if (child < 0) {
    lesson::Print("fork failed (%s); the contrast is skipped", strerror(errno));
  } else {
    int status = 0;
    waitpid(child, &status, 0);
    trace::ProcessEnded(child, "exited");
    lesson::Print("parent after waitpid: blackboard at %p = %d  <- still %d: the child's "
                  "write is not seen",
                  &blackboard, blackboard, before);
  }

  std::vector<lesson::Text> points;
  points.push_back(lesson::Tr("Both threads printed the same pid: threads are parts of one "
                              "process, which has at least one thread (main)."));
  if (same_maps && fd_shared) {
    points.push_back(lesson::Format(
        "Resources belong to the process: both threads had the same memory map (%d mappings), "
        "so the same variable at the same address, and one table of open files (main wrote "
        "through fd %d, which the second thread had opened). That is 进程是资源分配的最小单位.",
        mappings, opened_fd));
  } else if (main_maps.empty() || !fd_shared) {
    points.push_back(lesson::Tr(
        "This run could not compare the threads' memory maps and open files through /proc "
        "(is /proc mounted?); the shared variable still shows that they share memory."));
  } else {
    points.push_back(lesson::Format(
        "Resources belong to the process: one table of open files (main wrote through fd %d, "
        "which the second thread had opened) and one memory, the same variable at the same "
        "address. The two maps, read one after the other, differed: memory was mapped in "
        "between (a sanitizer's allocator does that all the time), so they cannot be "
        "compared as text in this build.",
        opened_fd));
  }
  if (main_used.read && second_used.read) {
    points.push_back(lesson::Format(
        "Scheduling is per thread: in the same %.0f ms the kernel ran the second thread for "
        "%.1f ms of CPU and main for %.1f ms, each counted in its own "
        "/proc/self/task/<tid>/schedstat. The CPU is given to threads, not to processes: "
        "线程是CPU调度的最小单位.",
        window_ms, second_used.on_cpu_ms, main_used.on_cpu_ms));
  } else {
    points.push_back(lesson::Tr(
        "This kernel does not provide /proc/<pid>/task/<tid>/schedstat, so the per-thread "
        "scheduler figures are not shown; `top -H` or `ps -L` show each thread's CPU too."));
  }
  if (child > 0) {
    points.push_back(lesson::Tr(
        "The child process printed the same address, yet the parent kept its value: after "
        "fork each process has its own copy of memory (//process:address_space)."));
  }
  points.push_back(lesson::Tr("Shared memory is why threads are cheap to talk to, and why "
                              "they can race (//thread:lock)."));
  lesson::Notice(points);
  return 0;
}
