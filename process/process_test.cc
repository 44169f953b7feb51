#include "process/process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/status_matchers.h"
#include "common/trace.h"
#include "common/trace_reading.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/pipe.h"
#include "process/proc_info.h"

namespace process {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

// A child body that never ends by itself.
[[noreturn]] void BlockForever() {
  while (true) pause();
}

// True if `pid` is still this process's child in any state (running or zombie).
bool IsOurChild(pid_t pid) {
  for (const ProcInfo& child : ListChildren(getpid())) {
    if (child.pid == pid) return true;
  }
  return false;
}

int g_value = 1;  // Changed by children in MemoryIsCopiedNotShared.

// Runs `checks` in a child process and returns its report: "ok" when every check in it
// passed, else what failed, in words. (GoogleTest's EXPECT_* cannot be used in a forked
// child: its results die with the child. The child reports through a pipe instead.)
std::string ReportFromChild(std::function<std::string()> checks) {
  absl::StatusOr<Pipe> pipe = Pipe::Create();
  if (!pipe.ok()) return "Pipe::Create: " + pipe.status().ToString();
  Process child([&pipe, &checks] {
    pipe->CloseRead();
    return pipe->WriteAll(checks()).ok() ? 0 : 1;
  });
  if (absl::Status s = child.Start(); !s.ok()) return "Start: " + s.ToString();
  pipe->CloseWrite();
  absl::StatusOr<std::string> report = pipe->ReadAll();
  if (absl::Status s = child.Join(); !s.ok()) return "Join: " + s.ToString();
  if (!report.ok()) return "ReadAll: " + report.status().ToString();
  if (report->empty()) return "the child reported nothing and " + child.exit_status()->ToString();
  return *report;
}

// The callable's return value is the exit code, as sys.exit(n) in a Python target.
TEST(ProcessTest, StartAndJoinReportExitCode) {
  Process p([] { return 7; });
  ASSERT_OK(p.Start());
  EXPECT_GT(p.pid(), 0);
  ASSERT_OK(p.Join());
  ASSERT_TRUE(p.exit_status().has_value());
  EXPECT_TRUE(p.exit_status()->exited());
  EXPECT_EQ(p.exit_status()->code(), 7);
  EXPECT_EQ(p.exit_code(), 7);
  EXPECT_EQ(p.exit_status()->ToString(), "exited with code 7");
}

// A callable returning void exits with 0.
TEST(ProcessTest, VoidTargetExitsWithZero) {
  Process p([] {});
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 0);
}

// Arguments are copied at construction, like Process(target=f, args=(...)).
TEST(ProcessTest, PassesArgumentsCopiedAtConstruction) {
  int number = 1;
  std::string text = "22";
  Process p([](int a, const std::string& b) { return a + static_cast<int>(b.size()); }, number,
            text);
  number = 100;  // Too late: the Process has its own copy.
  text = "a much longer string";
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 3);
}

// Kill() is SIGKILL; exit_code() follows Python: minus the signal number.
TEST(ProcessTest, KillEndsTheChildWithSigkill) {
  Process p(BlockForever);
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Kill());
  ASSERT_OK(p.Join());
  EXPECT_TRUE(p.exit_status()->signaled());
  EXPECT_EQ(p.exit_status()->signal(), SIGKILL);
  EXPECT_EQ(p.exit_code(), -SIGKILL);
  EXPECT_EQ(p.exit_status()->ToString(), "killed by signal 9 (SIGKILL: Killed)");
}

// Terminate() is SIGTERM.
TEST(ProcessTest, TerminateSendsSigterm) {
  Process p(BlockForever);
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Terminate());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_status()->signal(), SIGTERM);
}

// A timed Join gives up with DeadlineExceeded and leaves the child running.
TEST(ProcessTest, JoinWithTimeoutGivesUpWhileTheChildRuns) {
  Process p(BlockForever);
  ASSERT_OK(p.Start());
  absl::Status status = p.Join(absl::Milliseconds(50));
  EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  EXPECT_TRUE(p.IsAlive());
  EXPECT_FALSE(p.exit_status().has_value());
  EXPECT_FALSE(p.exit_code().has_value());
  ASSERT_OK(p.Kill());
  EXPECT_OK(p.Join(absl::Seconds(60)));
  EXPECT_FALSE(p.IsAlive());
}

// is_alive() is false before start and after the end, as in Python.
TEST(ProcessTest, IsAliveOnlyBetweenStartAndEnd) {
  Process p([] { return 0; });
  EXPECT_FALSE(p.IsAlive());
  EXPECT_EQ(p.pid(), -1);
  ASSERT_OK(p.Start());
  while (p.IsAlive()) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_EQ(p.exit_code(), 0);  // IsAlive() reaped it.
}

// Using a Process out of order is an error, not undefined behaviour.
TEST(ProcessTest, OutOfOrderCallsAreErrors) {
  Process p([] {});
  EXPECT_TRUE(absl::IsFailedPrecondition(p.Join()));
  EXPECT_TRUE(absl::IsFailedPrecondition(p.Kill()));
  ASSERT_OK(p.Start());
  EXPECT_TRUE(absl::IsFailedPrecondition(p.Start()));
  ASSERT_OK(p.Join());
  EXPECT_OK(p.Join());  // Joining again is fine.
  EXPECT_OK(p.Kill());  // Nothing to kill any more: not sent, not an error.
}

// After Join there is no zombie: the kernel has forgotten the child.
TEST(ProcessTest, NoZombieAfterJoin) {
  Process p([] { return 0; });
  ASSERT_OK(p.Start());
  const pid_t pid = p.pid();
  EXPECT_TRUE(IsOurChild(pid));
  ASSERT_OK(p.Join());
  EXPECT_FALSE(IsOurChild(pid));
}

// A Process destroyed while its child runs kills and reaps it (like std::jthread joins).
TEST(ProcessTest, DestructorKillsAndReapsARunningChild) {
  pid_t pid;
  {
    Process p(BlockForever);
    ASSERT_OK(p.Start());
    pid = p.pid();
    ASSERT_TRUE(IsOurChild(pid));
  }
  EXPECT_FALSE(IsOurChild(pid));
}

// An ended but never joined child is reaped by the destructor too.
TEST(ProcessTest, DestructorReapsAnEndedChild) {
  pid_t pid;
  {
    Process p([] { return 0; });
    ASSERT_OK(p.Start());
    pid = p.pid();
    absl::SleepFor(absl::Milliseconds(20));  // Probably a zombie by now; either is fine.
  }
  EXPECT_FALSE(IsOurChild(pid));
}

// Processes can live in a vector; moving keeps the child with the new owner.
TEST(ProcessTest, MovableIntoContainers) {
  std::vector<Process> workers;
  for (int i = 0; i < 3; ++i) workers.emplace_back([i] { return 10 + i; });
  for (Process& w : workers) ASSERT_OK(w.Start());
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(workers[i].Join());
    EXPECT_EQ(workers[i].exit_code(), 10 + i);
  }
}

// Assigning over a running Process ends the old child first.
TEST(ProcessTest, MoveAssignmentEndsTheOldChild) {
  Process p(BlockForever);
  ASSERT_OK(p.Start());
  const pid_t old_pid = p.pid();
  p = Process([] { return 5; });
  EXPECT_FALSE(IsOurChild(old_pid));
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 5);
}

// The child gets a copy of the parent's memory: its writes stay in the child.
TEST(ProcessTest, MemoryIsCopiedNotShared) {
  g_value = 1;
  Process p([] {
    g_value = 2;
    return g_value;
  });
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 2);  // The child saw its own write...
  EXPECT_EQ(g_value, 1);        // ...the parent never did.
}

// What the child computed comes back through a pipe.
TEST(ProcessTest, PipeCarriesTheResultBack) {
  Pipe pipe = Pipe::Create().value();
  Process p([&pipe] {
    pipe.CloseRead();
    return pipe.WriteAll("sum=" + std::to_string(6 * 7)).ok() ? 0 : 1;
  });
  ASSERT_OK(p.Start());
  pipe.CloseWrite();
  absl::StatusOr<std::string> text = pipe.ReadAll();
  ASSERT_OK(text);
  EXPECT_EQ(*text, "sum=42");
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 0);
}

// An exception escaping the callable ends the child with 1; the parent is unaffected.
TEST(ProcessTest, UncaughtExceptionExitsWithOne) {
  Process p([]() -> int { throw std::runtime_error("boom"); });
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 1);
}

// If someone else reaps our child, Join says so instead of hanging or guessing.
TEST(ProcessTest, ChildReapedElsewhereIsReported) {
  Process p([] { return 0; });
  ASSERT_OK(p.Start());
  ASSERT_EQ(waitpid(p.pid(), nullptr, 0), p.pid());  // The "someone else".
  absl::Status status = p.Join();
  EXPECT_TRUE(absl::IsInternal(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("reaped elsewhere"));
  EXPECT_FALSE(p.IsAlive());
}

// Join in two threads and Kill from a third: both joins return, one status.
TEST(ProcessTest, ConcurrentJoinAndKill) {
  Process p(BlockForever);
  ASSERT_OK(p.Start());
  absl::Status first, second;
  std::thread joiner1([&] { first = p.Join(); });
  std::thread joiner2([&] { second = p.Join(absl::Seconds(60)); });
  std::thread killer([&] {
    absl::SleepFor(absl::Milliseconds(10));
    EXPECT_OK(p.Kill());
  });
  joiner1.join();
  joiner2.join();
  killer.join();
  EXPECT_OK(first);
  EXPECT_OK(second);
  EXPECT_EQ(p.exit_status()->signal(), SIGKILL);
}

// Program() starts another executable (the spawn start method).
TEST(ProcessTest, ProgramRunsAnExecutable) {
  Process p = Process::Program({"/bin/sh", "-c", "exit 3"});
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 3);
}

// A program that does not exist is NotFound at Start(), with the path in the message.
TEST(ProcessTest, MissingProgramIsNotFound) {
  Process p = Process::Program({"/no/such/program"});
  absl::Status status = p.Start();
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("/no/such/program"));
  EXPECT_FALSE(p.IsAlive());
}

// The child's CPU time comes back from wait4. The child spins until its own CPU clock
// says 200 ms, so the bound holds however loaded the machine is.
TEST(ProcessTest, ResourceUsageReportsCpuTime) {
  Process p([] {
    timespec cpu{};
    do {
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    } while (cpu.tv_sec == 0 && cpu.tv_nsec < 200'000'000);
  });
  ASSERT_OK(p.Start());
  ASSERT_OK(p.Join());
  ASSERT_TRUE(p.resource_usage().has_value());
  EXPECT_GE(p.resource_usage()->cpu(), absl::Milliseconds(190));
}

// Peak RSS: a child that touches 64 MiB peaks at least ~64 MiB above one that does
// nothing (the baseline includes what both inherit from this test process).
TEST(ProcessTest, ResourceUsageReportsPeakRss) {
  constexpr size_t kBytes = 64 << 20;
  Process idle([] {});
  Process hungry([] {
    char* block = static_cast<char*>(std::malloc(kBytes));
    if (block == nullptr) return 1;
    std::memset(block, 1, kBytes);  // Touch every page so it is really resident.
    // Tell the compiler the memory is used, or it may drop malloc+memset+free as dead.
    asm volatile("" : : "r"(block) : "memory");
    std::free(block);
    return 0;
  });
  ASSERT_OK(idle.Start());
  ASSERT_OK(idle.Join());
  ASSERT_OK(hungry.Start());
  ASSERT_OK(hungry.Join());
  ASSERT_EQ(hungry.exit_code(), 0);
  const int64_t extra =
      hungry.resource_usage()->peak_rss_bytes - idle.resource_usage()->peak_rss_bytes;
  EXPECT_GE(extra, int64_t{kBytes} * 3 / 4)
      << "idle child peak " << idle.resource_usage()->peak_rss_bytes << ", hungry child peak "
      << hungry.resource_usage()->peak_rss_bytes;
}

// Start() flushes stdio first, so text the parent had buffered is written once, not
// once by the parent and again by the child's copy of the buffer. Runs in a child of its
// own, which points its stdout at a pipe (where stdio buffers fully) and reports what
// came out of it.
TEST(ProcessTest, BufferedOutputIsNotDuplicatedByFork) {
  EXPECT_EQ(ReportFromChild([]() -> std::string {
              Pipe out = Pipe::Create().value();
              dup2(out.write_fd(), STDOUT_FILENO);
              out.CloseWrite();
              std::printf("parent-before;");  // Buffered: stdout is a pipe now.
              Process child([] { std::printf("child;"); });
              if (absl::Status s = child.Start(); !s.ok()) return "Start: " + s.ToString();
              if (absl::Status s = child.Join(); !s.ok()) return "Join: " + s.ToString();
              std::fflush(stdout);
              close(STDOUT_FILENO);
              absl::StatusOr<std::string> text = out.ReadAll();
              return text.ok() ? *text : "ReadAll: " + text.status().ToString();
            }),
            "parent-before;child;");
}

// PR_SET_PDEATHSIG: when a parent is killed outright (no destructor runs), the kernel
// kills its children. The checking child is a subreaper: it adopts the orphaned
// grandchild, so it can reap it and see how it died.
TEST(ProcessTest, ChildDiesWhenItsParentIsKilled) {
  EXPECT_EQ(ReportFromChild([]() -> std::string {
              prctl(PR_SET_CHILD_SUBREAPER, 1);
              Pipe pipe = Pipe::Create().value();
              Process middle([&pipe] {
                Process grandchild([&pipe] {
                  pipe.CloseRead();
                  pipe.CloseWrite();
                  BlockForever();
                });
                if (!grandchild.Start().ok()) return 1;
                (void)pipe.WriteAll(std::to_string(grandchild.pid()));
                pipe.CloseWrite();
                BlockForever();
              });
              if (absl::Status s = middle.Start(); !s.ok()) return "start the middle: " + s.ToString();
              pipe.CloseWrite();
              absl::StatusOr<std::string> text = pipe.ReadAll();
              if (!text.ok() || text->empty()) {
                return "the middle process sent no grandchild PID; it " +
                       (middle.Join().ok() ? middle.exit_status()->ToString() : "is lost");
              }
              const pid_t grandchild = std::stoi(*text);
              if (!middle.Kill().ok() || !middle.Join().ok()) return "could not kill the middle";
              // Adopted by this subreaper now. Up to 60 s for the kernel's SIGKILL.
              int status = 0;
              for (int i = 0; i < 60'000; ++i) {
                const pid_t r = waitpid(grandchild, &status, WNOHANG);
                if (r == grandchild) {
                  const ExitStatus how = ExitStatus::FromWaitStatus(status);
                  return how.signaled() && how.signal() == SIGKILL
                             ? "ok"
                             : "the grandchild ended, but " + how.ToString();
                }
                if (r < 0) {
                  return absl::StrFormat("the orphaned grandchild %d was not adopted: %s",
                                         grandchild, strerror(errno));
                }
                absl::SleepFor(absl::Milliseconds(1));
              }
              kill(grandchild, SIGKILL);
              waitpid(grandchild, nullptr, 0);
              return "the grandchild was still running 60 s after its parent was killed";
            }),
            "ok");
}

// DieWithParent reports whether the parent it expects is still the parent.
TEST(ProcessTest, DieWithParentChecksTheParent) {
  const pid_t me = getpid();
  EXPECT_EQ(ReportFromChild([me]() -> std::string {
              if (!DieWithParent(me)) return "DieWithParent(its real parent) returned false";
              if (DieWithParent(me + 1)) return "DieWithParent(another PID) returned true";
              return "ok";
            }),
            "ok");
}

// Python's default names, Process-1, Process-2, ... in order of creation; set_name
// chooses another.
TEST(ProcessTest, NamesFollowPython) {
  Process first([] {});
  Process second([] {});
  ASSERT_THAT(first.name(), MatchesRegex("Process-[0-9]+"));
  ASSERT_THAT(second.name(), MatchesRegex("Process-[0-9]+"));
  EXPECT_EQ(std::stoi(second.name().substr(8)), std::stoi(first.name().substr(8)) + 1);
  second.set_name("p1");
  EXPECT_EQ(second.name(), "p1");
  Process moved(std::move(second));
  EXPECT_EQ(moved.name(), "p1");
}

// A 1 MiB message is larger than a pipe's buffer (64 KiB): WriteAll and ReadAll loop over
// partial writes and reads.
TEST(PipeTest, CarriesMoreThanOneBufferFull) {
  const std::string big(1 << 20, 'x');
  Pipe pipe = Pipe::Create().value();
  Process p([&pipe, &big] {
    pipe.CloseRead();
    return pipe.WriteAll(big).ok() ? 0 : 1;
  });
  ASSERT_OK(p.Start());
  pipe.CloseWrite();
  absl::StatusOr<std::string> text = pipe.ReadAll();
  ASSERT_OK(p.Join());
  EXPECT_EQ(p.exit_code(), 0);
  ASSERT_OK(text);
  EXPECT_EQ(text->size(), big.size());
  EXPECT_EQ(*text, big);
}

// Using a closed end is an error, not a write to a recycled file descriptor.
TEST(PipeTest, ClosedEndsAreErrors) {
  Pipe pipe = Pipe::Create().value();
  pipe.CloseWrite();
  pipe.CloseRead();
  EXPECT_EQ(pipe.read_fd(), -1);
  EXPECT_TRUE(absl::IsFailedPrecondition(pipe.WriteAll("x")));
  EXPECT_TRUE(absl::IsFailedPrecondition(pipe.ReadAll().status()));
}

// /proc describes this process as the kernel sees it.
TEST(ProcInfoTest, DescribesThisProcess) {
  std::optional<ProcInfo> me = ReadProcInfo(getpid());
  ASSERT_TRUE(me.has_value());
  EXPECT_EQ(me->pid, getpid());
  EXPECT_EQ(me->ppid, getppid());
  EXPECT_EQ(me->state, 'R');  // Reading its own /proc entry: running.
  EXPECT_FALSE(me->command.empty());
  EXPECT_GT(me->rss_bytes, 0);
  EXPECT_FALSE(ReadProcInfo(-5).has_value());
}

// An ended child that nobody has reaped yet is a zombie ('Z'); Join makes it disappear.
TEST(ProcInfoTest, AnUnreapedChildIsAZombieUntilJoined) {
  Process p([] { return 0; });
  ASSERT_OK(p.Start());
  const pid_t pid = p.pid();
  char state = '?';
  for (int i = 0; i < 60'000 && state != 'Z'; ++i) {  // Up to 60 s on a crawling machine.
    std::optional<ProcInfo> info = ReadProcInfo(pid);
    state = info.has_value() ? info->state : '?';
    if (state != 'Z') absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(state, 'Z');
  ASSERT_OK(p.Join());
  EXPECT_FALSE(IsOurChild(pid));
}


// With a trace being written (--trace), the child is a process of its own named after
// the Process; Join is a "join" span on the parent's thread; Kill is an instant; and the
// reap records how the child ended, which closes the span the child was inside when it
// was killed. Runs in a child of its own, which writes the trace and reports its path.
TEST(ProcessTraceTest, ChildNamedJoinSpanAndKilledSpanClosedAtReap) {
  const std::string path = ::testing::TempDir() + "/process_test_trace.json";
  const std::string report = ReportFromChild([&path]() -> std::string {
    if (std::string why = trace::Start(path, "process_test"); !why.empty()) {
      return "trace::Start: " + why;
    }
    Pipe blocked = Pipe::Create().value();
    Process worker([&blocked] {
      trace::Span span("blocked", trace::kWait);
      (void)blocked.WriteAll("+");  // The span's start is in the trace now.
      BlockForever();
    });
    worker.set_name("worker");
    if (absl::Status s = worker.Start(); !s.ok()) return "Start: " + s.ToString();
    blocked.CloseWrite();
    char byte;
    if (read(blocked.read_fd(), &byte, 1) != 1) return "the worker never opened its span";
    if (absl::Status s = worker.Kill(); !s.ok()) return "Kill: " + s.ToString();
    if (absl::Status s = worker.Join(); !s.ok()) return "Join: " + s.ToString();
    if (std::string why = trace::Finish(); !why.empty()) return "trace::Finish: " + why;
    return absl::StrFormat("ok %d %d", getpid(), worker.pid());
  });
  ASSERT_THAT(report, StartsWith("ok ")) << report;
  int parent = 0, worker = 0;
  ASSERT_EQ(std::sscanf(report.c_str(), "ok %d %d", &parent, &worker), 2) << report;

  const trace_reading::Trace trace = trace_reading::Read(path);
  ASSERT_EQ(trace.error, "");
  const bool named = trace.process_names.count(worker) && trace.process_names.at(worker) == "worker";
  bool killed_instant = false, ended = false;
  double join_begin = -1, join_end = -1, blocked_begin = -1, blocked_end = -1, ended_at = -1;
  for (const trace_reading::Span& s : trace.spans) {
    if (s.pid == parent && s.state == "join") {
      EXPECT_THAT(s.name, HasSubstr("join worker"));
      join_begin = s.begin;
      join_end = s.end;
    }
    if (s.pid == worker && s.name == "blocked") {
      blocked_begin = s.begin;
      blocked_end = s.end;
    }
  }
  for (const trace_reading::Event& e : trace.OfPhase("i")) {
    if (e.pid != parent) continue;
    if (e.name == absl::StrFormat("SIGKILL sent to worker (PID %d)", worker)) killed_instant = true;
    if (e.category == "process") {
      ended = e.ArgNumber("child") == worker && e.Arg("how").find("SIGKILL") != std::string::npos;
      ended_at = e.ts;
    }
  }
  EXPECT_TRUE(named) << "no process_name \"worker\" for PID " << worker;
  EXPECT_TRUE(killed_instant) << "no \"SIGKILL sent to worker\" instant";
  EXPECT_TRUE(ended) << "no ProcessEnded instant for PID " << worker << " saying SIGKILL";
  EXPECT_GE(join_begin, 0) << "no join span on the parent";
  EXPECT_GE(join_end, join_begin);
  ASSERT_GE(blocked_begin, 0) << "the worker's span is missing";
  // The killed worker never ended its span: the merge closed it when it was reaped.
  EXPECT_EQ(blocked_end, ended_at);
  EXPECT_GE(blocked_end, blocked_begin);
}

}  // namespace
}  // namespace process
