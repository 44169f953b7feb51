// efficiency/mpi.cc — 综合优势, and beyond one machine: the CPU-bound job over MPI ranks
//
// The tutorial ends its efficiency chapter on "多进程+协程": processes for the cores. The
// next step is more cores than one machine has, and the tool for a CPU-bound C++ job
// across machines is MPI: N copies of one program (the ranks), started by `mpirun` on
// one machine or several, each computing its share and cooperating only by messages.
//
// Part one runs the tutorial's run1 + run2 work (work.h's loop, as //efficiency:cpu_bound
// runs it) cut into jobs: first on 1 rank, then on N ranks (default: a rank per usable
// core, at least 2). Rank r runs jobs r, r+N, r+2N, ...; MPI_Reduce adds the ranks'
// results at rank 0, and every run must give the same sum as 1 rank. Time is MPI_Wtime
// at rank 0, from a barrier every rank has passed to the end of the reduce.
// Part two measures what the tutorial's "进程之间数据通信不方便" costs: a ping-pong of N
// bytes between two ranks (MPI_Send / MPI_Recv), through a pipe between two processes,
// and between two threads.
//
// How it runs: this program starts mpirun itself, once per mode, with itself as the
// ranks (--role=rank), the way //process:start_methods re-runs itself. Started by a
// learner's own mpirun (`mpirun -np 4 bazel-bin/efficiency/mpi`), it runs the whole
// lesson inside that job instead; with --hostfile the ranks go to the listed machines.
//
// How C++ differs from the tutorial's Python: nothing here needs Python's processes to
// dodge the GIL (C++ threads are parallel, see cpu_bound); MPI is how one program uses
// many machines' cores. mpi4py gives Python the same MPI calls.
//
//   bazel run -c opt //efficiency:mpi
//   bazel run -c opt //efficiency:mpi -- --ranks=2 --iterations=1e9 --json
//   mpirun -np 2 bazel-bin/efficiency/mpi            # your own mpirun
//   bazel run -c opt //efficiency:mpi -- --hostfile=$PWD/hosts   # across machines
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/i18n.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/table.h"
#include "common/trace.h"
#include "efficiency/experiment.h"
#include "efficiency/mpi_conclusions.h"
#include "efficiency/mpi_launch.h"
#include "efficiency/mpi_pingpong.h"
#include "efficiency/mpi_protocol.h"
#include "efficiency/mpi_rank.h"
#include "efficiency/run_budget.h"
#include "process/interrupt_guard.h"
#include "process/process.h"

namespace {

int DefaultRanks() { return std::max(2, lesson::UsableCores()); }

}  // namespace

ABSL_FLAG(int, ranks, DefaultRanks(),
          "ranks (processes) for the N-rank mode; default: the usable cores, at least 2");
ABSL_FLAG(int64_t, iterations, 300'000'000,
          "loop iterations in all (the tutorial's run1 + run2, as 2 x 150,000,000 in cpu_bound)");
ABSL_FLAG(int, jobs, 24, "jobs the iterations are cut into (24: equal shares for 1-4, 6, 8 ranks)");
ABSL_FLAG(int, repeats, 3, "timed runs of each mode; the table shows the median and the spread");
ABSL_FLAG(std::string, sizes, "8,1K,64K,1M",
          "ping-pong message sizes in bytes, comma-separated (K and M allowed)");
ABSL_FLAG(std::string, hostfile, "",
          "an Open MPI hostfile: run the ranks on the machines it lists (passed to mpirun)");
// Set by the lesson on the ranks it starts; not for users.
ABSL_FLAG(std::string, role, "lesson", "lesson, or rank: started by mpirun for the lesson (internal)");
ABSL_FLAG(std::string, part, "compute", "a rank's part: compute or pingpong (internal)");
ABSL_FLAG(int, fail_rank, -1, "tests: this rank fails in its first run (internal)");
ABSL_FLAG(std::string, fail_how, "crash",
          "tests: how --fail_rank fails: crash (SIGKILL) or error (says why) (internal)");

namespace {

namespace mpi = efficiency::mpi;

constexpr int64_t kMaxMessageBytes = int64_t{64} << 20;

std::string SelfPath() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  return n < 0 ? "/proc/self/exe" : std::string(path, static_cast<size_t>(n));
}

// True when a launcher (a learner's own mpirun, or srun) started this program as a rank.
bool StartedByMpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

struct Settings {
  mpi::ComputePlan plan;
  std::vector<int64_t> sizes;
  int ranks = 2;
  bool ranks_given = false;
  std::string hostfile;
};

// True if the command line sets --ranks (Abseil keeps that to itself).
bool RanksGiven(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.starts_with("--")) arg.remove_prefix(2);
    else if (arg.starts_with("-")) arg.remove_prefix(1);
    else continue;
    if (arg == "ranks" || arg.starts_with("ranks=")) return true;
  }
  return false;
}

Settings ReadFlags(bool ranks_given) {
  lesson::RequireOneOf(FLAGS_role, {"lesson", "rank"});
  lesson::RequireOneOf(FLAGS_part, {"compute", "pingpong"});
  lesson::RequireInRange(FLAGS_ranks, 1, 256);
  lesson::RequireInRange(FLAGS_iterations, int64_t{1}, int64_t{20'000'000'000});
  lesson::RequireInRange(FLAGS_jobs, 1, 1024);
  lesson::RequireInRange(FLAGS_repeats, 1, 20);
  lesson::RequireInRange(FLAGS_fail_rank, -1, 255);
  lesson::RequireOneOf(FLAGS_fail_how, {"crash", "error"});
  Settings s;
  s.plan = {.jobs = absl::GetFlag(FLAGS_jobs),
            .iterations = static_cast<uint64_t>(absl::GetFlag(FLAGS_iterations)),
            .repeats = absl::GetFlag(FLAGS_repeats),
            .fail_rank = absl::GetFlag(FLAGS_fail_rank),
            .fail_by_error = absl::GetFlag(FLAGS_fail_how) == "error"};
  s.ranks = absl::GetFlag(FLAGS_ranks);
  s.ranks_given = ranks_given;
  s.hostfile = absl::GetFlag(FLAGS_hostfile);

  const std::string sizes = absl::GetFlag(FLAGS_sizes);
  const std::optional<std::vector<int64_t>> parsed = mpi::ParseSizes(sizes);
  bool sizes_ok = parsed.has_value() && parsed->size() <= 8;
  for (int64_t bytes : parsed.value_or(std::vector<int64_t>{})) {
    sizes_ok = sizes_ok && bytes >= 1 && bytes <= kMaxMessageBytes;
  }
  if (!sizes_ok) {
    lesson::RejectFlag("sizes", sizes,
                       lesson::Tr("must be 1 to 8 message sizes from 1 byte to 64M, separated by "
                                  "commas (K and M allowed), e.g. 8,1K,64K,1M"));
  }
  s.sizes = *parsed;

  if (!s.hostfile.empty()) {
    std::ifstream file(s.hostfile);
    if (!file) {
      lesson::RejectFlag("hostfile", s.hostfile,
                         lesson::Format("cannot be read: %s", std::strerror(errno)));
    }
  } else if (absl::GetFlag(FLAGS_role) == "lesson" && s.ranks > 4 * lesson::UsableCores()) {
    // More than a few ranks per core measures only the scheduler (and costs memory).
    lesson::RejectFlag("ranks", std::to_string(s.ranks),
                       lesson::Format("is more than 4 ranks per usable core (%d here); allowed: "
                                      "1 to %d, or more with a --hostfile of other machines",
                                      lesson::UsableCores(), 4 * lesson::UsableCores()));
  }

  // The whole run, estimated: both modes' runs, the ping-pongs (a pipe round trip is the
  // slowest: ~20 us plus two copies), and starting mpirun three times.
  const double serial = static_cast<double>(s.plan.iterations) * efficiency::kSpinIterationSeconds;
  const int parallel = std::max(1, std::min({s.ranks, s.plan.jobs, lesson::UsableCores()}));
  double pingpong = 0;
  for (int64_t bytes : s.sizes) {
    const int rounds = mpi::RoundsFor(bytes) + mpi::WarmupRounds(mpi::RoundsFor(bytes));
    pingpong += 3 * rounds * 2 * (20e-6 + 2 * static_cast<double>(bytes) / 1e9);
  }
  efficiency::RequireShortRun(s.plan.repeats * serial * (1 + 1.0 / parallel) + pingpong + 3 * 2.0,
                              FLAGS_iterations, FLAGS_repeats, FLAGS_sizes);
  return s;
}

// --- the rank: started by the lesson's own mpirun --------------------------------------

int RankMain(const Settings& s) {
  // The rank must not outlive mpirun (if the lesson and mpirun are killed, say).
  if (!process::DieWithParent(::getppid())) return 1;
  mpi::Session session;  // MPI_Init ... MPI_Finalize
  if (absl::GetFlag(FLAGS_part) == "compute") {
    for (const mpi::RankInfo& info : mpi::Identify(session, s.plan)) {
      lesson::WriteLine(mpi::Encode(info));
    }
    mpi::Compute(session, s.plan,
                 [](const mpi::ComputeSample& sample) { lesson::WriteLine(mpi::Encode(sample)); });
  } else {
    for (const mpi::PingPong& p : mpi::PingPongs(session, s.sizes)) {
      lesson::WriteLine(mpi::Encode(p));
    }
  }
  return 0;
}

// --- what the lesson prints, whoever started the ranks ----------------------------------

lesson::Text Work(const Settings& s) {
  return lesson::Format(
      "the tutorial's run1 + run2: %d iterations of work.h's loop in all, cut into %d jobs; rank "
      "r of N runs jobs r, r+N, r+2N, ... and MPI_Reduce adds the ranks' results at rank 0",
      s.plan.iterations, s.plan.jobs);
}

void PrintRanks(const efficiency::Experiment& experiment, const std::vector<mpi::RankInfo>& ranks) {
  if (experiment.json()) return;
  lesson::Table table({{lesson::Tr("rank"), lesson::Table::kRight},
                       {lesson::Tr("host"), lesson::Table::kLeft},
                       {lesson::Tr("pid"), lesson::Table::kRight},
                       {lesson::Tr("parent pid"), lesson::Table::kRight},
                       {lesson::Tr("jobs"), lesson::Table::kRight},
                       {lesson::Tr("usable cores"), lesson::Table::kRight},
                       {lesson::Tr("CPUs"), lesson::Table::kLeft}});
  for (const mpi::RankInfo& r : ranks) {
    table.AddRow({absl::StrFormat("%d", r.rank), r.host, absl::StrFormat("%d", r.pid),
                  absl::StrFormat("%d", r.ppid), absl::StrFormat("%d", r.jobs),
                  absl::StrFormat("%d", r.cores), r.cpus});
  }
  for (const std::string& line : table.Lines()) lesson::WriteLine("  " + line);
}

std::function<void(const mpi::ComputeSample&)> Progress(const efficiency::Experiment& experiment,
                                                        const std::string& mode, int repeats) {
  if (experiment.json()) return nullptr;
  return [mode, repeats](const mpi::ComputeSample& s) {
    lesson::Print("  run %d/%d  %s %9.4f s  (cores busy %.2f, sum %d)", s.repeat + 1, repeats,
                  lesson::PadRight(mode, 8), s.seconds,
                  s.seconds > 0 ? s.cpu_seconds / s.seconds : 0.0, s.sum);
  };
}

void ExplainPingPong(const efficiency::Experiment& experiment) {
  experiment.Step("Part two: what a message costs (进程之间数据通信不方便)");
  experiment.Print(
      "A ping-pong: one side sends N bytes, the other sends them straight back; half a round "
      "trip is the one-way time. Three ways: MPI_Send/MPI_Recv between 2 ranks, a pipe between "
      "2 processes (//process:address_space's way), and 2 threads of one process.");
}

// The pipe and thread ping-pongs, run here; exit 1 with why if one cannot run.
void LocalPingPongs(const std::vector<int64_t>& sizes, mpi::Figures& f) {
  for (int64_t bytes : sizes) {
    for (auto* run : {&mpi::PipePingPong, &mpi::ThreadPingPong}) {
      absl::StatusOr<mpi::PingPong> p = (*run)(bytes, mpi::RoundsFor(bytes));
      if (!p.ok()) efficiency::Experiment::ExitWithError(p.status());
      f.pingpongs.push_back(*p);
    }
  }
}

// The ping-pong tables, then the shared tail: the table of the two modes, warnings, what
// to notice (or the JSON object).
void Finish(efficiency::Experiment& experiment, const mpi::Figures& f, bool as_root) {
  if (!experiment.json()) {
    for (const std::string& line : mpi::PingPongTables(f)) {
      lesson::WriteLine(line.empty() ? line : "  " + line);
    }
  }
  experiment.results().Add(mpi::Rows(f));
  const efficiency::Conclusion conclusion =
      mpi::MpiConclusions(experiment.results(), f, experiment.conditions());
  experiment.results().details() = mpi::Details(f);
  experiment.results().details().Set("run_as_root", as_root);
  experiment.Finish(conclusion);
}

// --- a learner's own mpirun: the whole lesson inside that job ---------------------------

// The CPUs that the job's ranks on this machine may use between them ("0,1"): mpirun
// binds each rank to a core of its own by default, so rank 0 alone sees one.
std::string JobCpusHere(const std::vector<mpi::RankInfo>& ranks) {
  std::set<int> cpus;
  for (const mpi::RankInfo& r : ranks) {
    if (r.host != ranks.front().host) continue;
    for (int cpu : mpi::ParseCpus(r.cpus)) cpus.insert(cpu);
  }
  std::string list;
  for (int cpu : cpus) list += absl::StrFormat("%s%d", list.empty() ? "" : ",", cpu);
  return list;
}

int ByHandMain(const Settings& s) {
  // Before MPI starts its threads: InEachLanguage switches languages through the
  // environment.
  const lesson::Bilingual work = lesson::InEachLanguage([&] { return Work(s); });
  std::optional<mpi::Session> session(std::in_place);
  session->set_protocol(false);  // errors as "rank R: reason" lines, for a person
  const bool root = session->rank() == 0;
  mpi::Figures f;
  f.jobs = s.plan.jobs;
  f.iterations = s.plan.iterations;
  f.rank_infos = mpi::Identify(*session, s.plan);
  // Rank 0 looks at the machine first (0.25 s), while the others wait without spinning:
  // as the job sees it, with the CPUs of all its ranks here, not the one core mpirun may
  // have bound rank 0 to.
  std::optional<efficiency::Experiment> experiment;
  const std::string own_cpus = mpi::AffinityCpus();
  const std::string job_cpus = root ? JobCpusHere(f.rank_infos) : "";
  if (root) {
    mpi::SetAffinityCpus(job_cpus);
    experiment.emplace("mpi", work);
    mpi::SetAffinityCpus(own_cpus);
  }
  mpi::QuietBarrier();
  if (root) {
    f.mpirun_pid = f.rank_infos.front().ppid;
    f.hostfile = f.Hosts().size() > 1;
    experiment->Title("综合优势 — 多进程，跨机器：MPI", "Beyond one machine: the job over MPI ranks");
    experiment->Step("Your mpirun started %d ranks of this program", session->size());
    experiment->Show(lesson::Format("Work: %s.", Work(s).str()));
    PrintRanks(*experiment, f.rank_infos);
    experiment->Step("1 rank: rank 0 runs every job while the others wait");
  }
  f.single = mpi::ComputeOnRankZero(*session, s.plan,
                                    root ? Progress(*experiment, "single", s.plan.repeats) : nullptr);
  if (root) experiment->Step("%d ranks: each runs its share", session->size());
  f.ranks = mpi::Compute(*session, s.plan,
                         root ? Progress(*experiment, "ranks", s.plan.repeats) : nullptr);
  if (root) ExplainPingPong(*experiment);
  f.pingpongs = mpi::PingPongs(*session, s.sizes);
  session.reset();  // MPI_Finalize: from here rank 0 may fork (the pipe's echo process)
  if (!root) return 0;
  // The pipe and thread ping-pongs need two cores: rank 0 takes back those of the job.
  if (job_cpus != own_cpus && mpi::SetAffinityCpus(job_cpus)) {
    experiment->Print("(mpirun had bound rank 0 to CPU %s; for the pipe and the threads it now "
                      "uses the CPUs of the job's ranks on this machine: %s)",
                      own_cpus, job_cpus);
  }
  f.pingpong_cores = lesson::UsableCores();
  LocalPingPongs(s.sizes, f);
  Finish(*experiment, f, ::geteuid() == 0);
  return 0;
}

// --- the lesson: starts mpirun for each mode ---------------------------------------------

class Launcher {
 public:
  Launcher(const Settings& s, std::string mpirun, const efficiency::Experiment& experiment)
      : s_(s), mpirun_(std::move(mpirun)), experiment_(experiment) {
    // Open MPI refuses to run as root unless both variables are set: see RootNote().
    if (::geteuid() == 0) {
      environment_ = {{"OMPI_ALLOW_RUN_AS_ROOT", "1"}, {"OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"}};
    }
  }

  bool as_root() const { return !environment_.empty(); }

  // Runs mpirun with `ranks` ranks (0: the hostfile's slots) in `part`; prints the command
  // line and, through `on_line`, progress. Exits 1 with one line if a rank fails.
  mpi::LaunchResult Run(const std::string& part, int ranks,
                        const std::function<void(const mpi::Report&)>& on_line) {
    mpi::LaunchPlan plan;
    plan.mpirun = mpirun_;
    plan.ranks = ranks;
    plan.hostfile = s_.hostfile;
    plan.oversubscribe = s_.hostfile.empty() && ranks > lesson::UsableCores();
    plan.spread_over_hosts = !s_.hostfile.empty() && part == "pingpong";
    // The ranks speak the lesson's language and join its trace: local ranks inherit the
    // environment anyway; -x carries it to other machines.
    plan.export_variables = {"LANGUAGE", "LESSON_TRACE_DIR"};
    plan.program = {SelfPath(), "--role=rank", "--part=" + part,
                    lesson::Chinese() ? "--lang=zh" : "--lang=en"};
    if (part == "compute") {
      plan.program.push_back(absl::StrFormat("--iterations=%d", s_.plan.iterations));
      plan.program.push_back(absl::StrFormat("--jobs=%d", s_.plan.jobs));
      plan.program.push_back(absl::StrFormat("--repeats=%d", s_.plan.repeats));
      if (s_.plan.fail_rank >= 0) {
        plan.program.push_back(absl::StrFormat("--fail_rank=%d", s_.plan.fail_rank));
        plan.program.push_back("--fail_how=" + absl::GetFlag(FLAGS_fail_how));
      }
    } else {
      plan.program.push_back("--sizes=" + absl::GetFlag(FLAGS_sizes));
    }
    experiment_.Show(lesson::Verbatim("  $ " + mpi::CommandLine(mpi::MpirunArgv(plan))));
    // Generous: five times the estimate of this launch, and half a minute for mpirun.
    const double estimate = s_.plan.repeats * static_cast<double>(s_.plan.iterations) *
                            efficiency::kSpinIterationSeconds;
    trace::Span span(absl::StrFormat("mpirun: %s", part), trace::kJoin);
    absl::StatusOr<mpi::LaunchResult> result =
        mpi::RunMpirun(plan, environment_, absl::Seconds(30 + 5 * estimate), on_line);
    if (!result.ok()) efficiency::Experiment::ExitWithError(result.status());
    if (std::optional<lesson::Text> failure = mpi::DescribeFailure(*result)) {
      lesson::WriteErrorLine(*failure);
      std::exit(1);
    }
    return *std::move(result);
  }

 private:
  const Settings& s_;
  std::string mpirun_;
  const efficiency::Experiment& experiment_;
  std::vector<std::pair<std::string, std::string>> environment_;
};

double TimedSeconds(const std::vector<mpi::ComputeSample>& samples) {
  double total = 0;
  for (const mpi::ComputeSample& s : samples) total += s.seconds;
  return total;
}

int LessonMain(const Settings& s) {
  const char* path = std::getenv("PATH");
  const std::string mpirun = mpi::FindOnPath("mpirun", path == nullptr ? "" : path);
  if (mpirun.empty()) {
    lesson::PrintError("mpirun was not found on PATH: install Open MPI's launcher, the Debian "
                       "package openmpi-bin (sudo apt-get install openmpi-bin, or tools/setup.sh)");
    return 1;
  }
  process::InterruptGuard guard;  // Ctrl-C reaches mpirun, which ends its ranks
  efficiency::Experiment experiment("mpi", lesson::InEachLanguage([&] { return Work(s); }));
  Launcher launcher(s, mpirun, experiment);
  experiment.Title("综合优势 — 多进程，跨机器：MPI", "Beyond one machine: the job over MPI ranks");
  if (launcher.as_root()) {
    experiment.Step("Running as root");
    experiment.Print(
        "Open MPI refuses to start as root unless told to: a mistake in a program that mpirun "
        "starts on every machine of a job (a wrong path, a stray delete) would then have the "
        "power to damage each of them.");
    experiment.Print(
        "This lesson's ranks only compute and send messages, so for its own mpirun only it "
        "sets OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; your environment "
        "is unchanged. Run as an ordinary user, it sets nothing.");
  }
  experiment.Step("The work");
  experiment.Show(lesson::Format("Work: %s.", Work(s).str()));
  experiment.Print(
      "Each mode is a run of mpirun: it starts the ranks (this same program, --role=rank), "
      "they run %d times, and rank 0 reports. Timed at rank 0 with MPI_Wtime, from a barrier "
      "to the end of MPI_Reduce: starting the processes is not in the time.",
      s.plan.repeats);

  mpi::Figures f;
  f.jobs = s.plan.jobs;
  f.iterations = s.plan.iterations;
  f.lesson_pid = ::getpid();
  f.hostfile = !s.hostfile.empty();

  // Mode 1: one rank does every job.
  experiment.Step("1 rank");
  auto single_progress = Progress(experiment, "single", s.plan.repeats);
  size_t single_shown = 0;
  mpi::LaunchResult one = launcher.Run("compute", 1, [&](const mpi::Report& r) {
    while (single_progress && single_shown < r.samples.size()) {
      single_progress(r.samples[single_shown++]);
    }
  });
  f.single = one.report.samples;
  experiment.Print("From start to end, mpirun and its rank took %.2f s, the timed runs %.2f s "
                   "of it: the rest is starting and ending processes.",
                   one.seconds, TimedSeconds(f.single));

  // Mode 2: N ranks, each its share.
  const int ranks = !s.hostfile.empty() && !s.ranks_given ? 0 : s.ranks;
  if (ranks == 1) {
    experiment.Step("1 rank again (--ranks=1)");
  } else if (ranks > 1) {
    experiment.Step("%d ranks", ranks);
  } else {
    experiment.Step("A rank for every slot of the hostfile");
  }
  auto many_progress = Progress(experiment, "ranks", s.plan.repeats);
  size_t shown = 0;
  mpi::LaunchResult many = launcher.Run("compute", ranks, [&](const mpi::Report& r) {
    if (r.samples.size() == 1 && shown == 0) {  // the ranks introduced themselves first
      experiment.Print("This lesson is pid %d; mpirun's ranks:", static_cast<int>(::getpid()));
      PrintRanks(experiment, r.ranks);
    }
    while (many_progress && shown < r.samples.size()) many_progress(r.samples[shown++]);
  });
  f.ranks = many.report.samples;
  f.rank_infos = many.report.ranks;
  f.mpirun_pid = many.mpirun_pid;
  experiment.Print("From start to end, mpirun and its %d ranks took %.2f s, the timed runs "
                   "%.2f s of it.",
                   f.RankCount(), many.seconds, TimedSeconds(f.ranks));

  // Part two: the ping-pongs.
  ExplainPingPong(experiment);
  mpi::LaunchResult pingpong = launcher.Run("pingpong", 2, nullptr);
  f.pingpongs = pingpong.report.pingpongs;
  f.pingpong_cores = lesson::UsableCores();
  LocalPingPongs(s.sizes, f);
  Finish(experiment, f, launcher.as_root());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "The CPU-bound job over MPI ranks (1 rank vs N), and what a message costs "
                     "between ranks, processes and threads.");
  const Settings settings = ReadFlags(RanksGiven(argc, argv));
  if (absl::GetFlag(FLAGS_role) == "rank") return RankMain(settings);
  if (StartedByMpirun()) return ByHandMain(settings);
  return LessonMain(settings);
}
