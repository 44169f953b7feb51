#include "efficiency/mpi_rank.h"

#include <sched.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/strings/str_format.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "efficiency/mpi_pingpong.h"
#include "efficiency/work.h"

// The C API only: the C++ bindings were deprecated in MPI-2.2 and removed in MPI-3.
#define OMPI_SKIP_MPICXX 1
#include <mpi.h>

namespace efficiency::mpi {
namespace {

// A rank's identity as it travels in MPI_Gather: plain bytes, the same layout in every
// rank (they are the same program).
struct WireIdentity {
  int rank;
  int cores;
  int jobs;
  long pid;
  long ppid;
  char host[64];
  char cpus[256];  // "0,1,..."; cut short on a machine with very many CPUs
};

std::string HostName() {
  char host[64] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "?";
  return host;
}

}  // namespace

std::string AffinityCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return "";
  std::string list;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) list += absl::StrFormat("%s%d", list.empty() ? "" : ",", cpu);
  }
  return list;
}

bool SetAffinityCpus(const std::string& list) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : ParseCpus(list)) {
    if (cpu < CPU_SETSIZE) CPU_SET(cpu, &set);
  }
  return CPU_COUNT(&set) > 0 && ::sched_setaffinity(0, sizeof set, &set) == 0;
}

namespace {

// The id of the flow arrow from `rank`'s partial sum to rank 0, run `repeat`: the same
// number in both processes, unique within the trace (mpirun's pid is per job).
uint64_t FlowId(int repeat, int rank) {
  return (static_cast<uint64_t>(::getppid()) << 32) | (static_cast<uint64_t>(repeat) << 16) |
         static_cast<uint64_t>(rank);
}

void Check(const Session& session, int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(code, text, &length);
  session.Fail(lesson::Format("%s failed: %s", call, std::string(text, length)).str());
}

// One run: barrier, this rank's jobs, MPI_Reduce. `jobs_of_rank(rank)` says which jobs a
// rank runs (all of them for rank 0 alone, or every size-th).
ComputeSample RunOnce(const Session& session, const ComputePlan& plan, int repeat, int first,
                      int stride, bool participates) {
  const int rank = session.rank();
  {
    trace::Span wait("MPI_Barrier", trace::kBarrier);
    Check(session, MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
  }
  const double start = MPI_Wtime();
  const double cpu_start = lesson::ProcessCpuSeconds();
  uint64_t partial = 0;
  if (participates) {
    trace::Span compute(absl::StrFormat("compute: jobs %d, %d, ... of %d", first,
                                        first + stride, plan.jobs));
    if (rank == plan.fail_rank && repeat == 0) {  // tests: a rank that fails
      if (!plan.fail_by_error) ::raise(SIGKILL);
      session.Fail(lesson::Format("it was told to fail (--fail_rank=%d --fail_how=error)", rank).str());
    }
    for (int job = first; job < plan.jobs; job += stride) {
      partial += Spin(IterationsOfJob(job, plan.jobs, plan.iterations), JobSeed(job));
    }
  }
  const double computed = MPI_Wtime() - start;
  uint64_t sum = 0;
  {
    trace::Span reduce("MPI_Reduce: partial sums to rank 0", trace::kWait);
    if (rank != 0 && participates) trace::FlowOut("partial sum", FlowId(repeat, rank));
    Check(session, MPI_Reduce(&partial, &sum, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD),
          "MPI_Reduce");
    if (rank == 0) {
      for (int r = 1; r < session.size() && stride > 1; ++r) {
        trace::FlowIn("partial sum", FlowId(repeat, r));
      }
    }
  }
  const double seconds = MPI_Wtime() - start;
  // Outside the timed span: the CPU every rank used, and the spread of compute times.
  double cpu = lesson::ProcessCpuSeconds() - cpu_start, cpu_total = 0;
  double fastest = 0, slowest = 0;
  const double mine = participates ? computed : 1e300;
  Check(session, MPI_Reduce(&cpu, &cpu_total, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD),
        "MPI_Reduce");
  Check(session, MPI_Reduce(&mine, &fastest, 1, MPI_DOUBLE, MPI_MIN, 0, MPI_COMM_WORLD),
        "MPI_Reduce");
  Check(session, MPI_Reduce(&computed, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD),
        "MPI_Reduce");
  if (rank == 0 && sum != ExpectedSum(plan.jobs, plan.iterations)) {
    session.Fail(lesson::Format("the ranks' sum was %d, but the jobs add up to %d", sum,
                                ExpectedSum(plan.jobs, plan.iterations))
                     .str());
  }
  return ComputeSample{.repeat = repeat,
                       .seconds = seconds,
                       .cpu_seconds = cpu_total,
                       .sum = sum,
                       .fastest = fastest,
                       .slowest = slowest};
}

}  // namespace

Session::Session() {
  // The command line was parsed already (lesson::ParseFlags): MPI needs none of it.
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // Errors come back as codes (checked by Check) instead of ending the job silently.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  trace::NameProcess(absl::StrFormat("rank %d (pid %d)", rank_, ::getpid()));
}

Session::~Session() { MPI_Finalize(); }

void Session::Fail(const std::string& reason) const {
  if (protocol_) {
    lesson::WriteLine(Encode(RankError{.rank = rank_, .reason = reason}));
  } else {
    lesson::PrintError("rank %d: %s", rank_, reason);
  }
  MPI_Abort(MPI_COMM_WORLD, 3);
  ::_exit(3);  // MPI_Abort does not return; in case it does
}

std::vector<RankInfo> Identify(const Session& session, const ComputePlan& plan) {
  WireIdentity mine{};
  mine.rank = session.rank();
  mine.cores = lesson::UsableCores();
  mine.jobs = JobsOf(session.rank(), session.size(), plan.jobs);
  mine.pid = ::getpid();
  mine.ppid = ::getppid();
  std::snprintf(mine.host, sizeof mine.host, "%s", HostName().c_str());
  std::snprintf(mine.cpus, sizeof mine.cpus, "%s", AffinityCpus().c_str());
  std::vector<WireIdentity> all(session.rank() == 0 ? session.size() : 0);
  Check(session,
        MPI_Gather(&mine, sizeof mine, MPI_BYTE, all.data(), sizeof mine, MPI_BYTE, 0,
                   MPI_COMM_WORLD),
        "MPI_Gather");
  std::vector<RankInfo> infos;
  for (const WireIdentity& w : all) {
    infos.push_back(RankInfo{.rank = w.rank,
                             .size = session.size(),
                             .pid = w.pid,
                             .ppid = w.ppid,
                             .host = w.host,
                             .cores = w.cores,
                             .cpus = w.cpus,
                             .jobs = w.jobs});
  }
  return infos;
}

std::vector<ComputeSample> Compute(const Session& session, const ComputePlan& plan,
                                   const std::function<void(const ComputeSample&)>& on_sample) {
  std::vector<ComputeSample> samples;
  for (int repeat = 0; repeat < plan.repeats; ++repeat) {
    ComputeSample s = RunOnce(session, plan, repeat, session.rank(), session.size(),
                              session.rank() < plan.jobs);
    if (session.rank() == 0) {
      if (on_sample) on_sample(s);
      samples.push_back(s);
    }
  }
  return samples;
}

std::vector<ComputeSample> ComputeOnRankZero(const Session& session, const ComputePlan& plan,
                                             const std::function<void(const ComputeSample&)>& on_sample) {
  std::vector<ComputeSample> samples;
  for (int repeat = 0; repeat < plan.repeats; ++repeat) {
    // The others wait at a quiet barrier, leaving the cores to rank 0 and to nobody else.
    if (session.rank() != 0) {
      QuietBarrier();
      continue;
    }
    const double start = MPI_Wtime();
    const double cpu_start = lesson::ProcessCpuSeconds();
    uint64_t sum = 0;
    {
      trace::Span compute(absl::StrFormat("compute: all %d jobs, alone", plan.jobs));
      for (int job = 0; job < plan.jobs; ++job) {
        sum += Spin(IterationsOfJob(job, plan.jobs, plan.iterations), JobSeed(job));
      }
    }
    const double seconds = MPI_Wtime() - start;
    if (sum != ExpectedSum(plan.jobs, plan.iterations)) {
      session.Fail(lesson::Format("rank 0 alone summed %d, but the jobs add up to %d", sum,
                                  ExpectedSum(plan.jobs, plan.iterations))
                       .str());
    }
    ComputeSample s{.repeat = repeat,
                    .seconds = seconds,
                    .cpu_seconds = lesson::ProcessCpuSeconds() - cpu_start,
                    .sum = sum,
                    .fastest = seconds,
                    .slowest = seconds};
    if (on_sample) on_sample(s);
    samples.push_back(s);
    QuietBarrier();
  }
  return samples;
}

std::vector<PingPong> PingPongs(const Session& session, const std::vector<int64_t>& sizes) {
  std::vector<PingPong> results;
  const int rank = session.rank(), peer = session.size() - 1;
  if (peer == 0) return results;  // one rank: nobody to talk to
  if (rank != 0 && rank != peer) {
    QuietBarrier();
    return results;
  }
  const int other = rank == 0 ? peer : 0;
  // Where the two ends run: the peer tells rank 0 its host name (a message, of course).
  char peer_host[64] = {};
  if (rank == peer) {
    std::snprintf(peer_host, sizeof peer_host, "%s", HostName().c_str());
    Check(session, MPI_Send(peer_host, sizeof peer_host, MPI_CHAR, 0, 1, MPI_COMM_WORLD),
          "MPI_Send");
  } else {
    Check(session,
          MPI_Recv(peer_host, sizeof peer_host, MPI_CHAR, peer, 1, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
  }
  for (int64_t bytes : sizes) {
    const int rounds = RoundsFor(bytes), warmup = WarmupRounds(rounds);
    const int count = static_cast<int>(bytes);
    std::vector<char> out(static_cast<size_t>(bytes)), in(static_cast<size_t>(bytes));
    FillMessage(out);
    for (char& c : in) c = static_cast<char>(~0);
    bool counts_ok = true;
    double start = 0;
    {
      trace::Span span(absl::StrFormat("ping-pong %s x %d", SizeName(bytes), rounds), trace::kIo);
      // Start together: an empty message each way.
      Check(session,
            MPI_Sendrecv(nullptr, 0, MPI_BYTE, other, 2, nullptr, 0, MPI_BYTE, other, 2,
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Sendrecv");
      for (int r = 0; r < warmup + rounds; ++r) {
        if (r == warmup) start = MPI_Wtime();
        MPI_Status status;
        int received = 0;
        if (rank == 0) {
          Check(session, MPI_Send(out.data(), count, MPI_BYTE, peer, 0, MPI_COMM_WORLD), "MPI_Send");
          Check(session, MPI_Recv(in.data(), count, MPI_BYTE, peer, 0, MPI_COMM_WORLD, &status),
                "MPI_Recv");
        } else {
          Check(session, MPI_Recv(in.data(), count, MPI_BYTE, 0, 0, MPI_COMM_WORLD, &status),
                "MPI_Recv");
          Check(session, MPI_Send(in.data(), count, MPI_BYTE, 0, 0, MPI_COMM_WORLD), "MPI_Send");
        }
        MPI_Get_count(&status, MPI_BYTE, &received);
        counts_ok = counts_ok && received == count;
      }
    }
    const double seconds = MPI_Wtime() - start;
    if (rank == 0) {
      results.push_back(PingPong{
          .method = "mpi",
          .bytes = bytes,
          .rounds = rounds,
          .seconds = seconds,
          .checked = counts_ok && std::memcmp(in.data(), out.data(), out.size()) == 0,
          .hosts = absl::StrFormat("%s,%s", HostName(), peer_host)});
    } else if (!counts_ok) {
      session.Fail(lesson::Format("a ping-pong message of %d bytes arrived incomplete", bytes).str());
    }
  }
  QuietBarrier();
  return results;
}

void QuietBarrier() {
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  int done = 0;
  trace::Span wait("waiting (MPI_Ibarrier, polled every 1 ms)", trace::kBarrier);
  while (MPI_Test(&request, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && !done) {
    const timespec one_ms{0, 1'000'000};
    ::nanosleep(&one_ms, nullptr);
  }
}

}  // namespace efficiency::mpi
