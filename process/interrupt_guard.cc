#include "process/interrupt_guard.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>

#include "process/child_registry.h"

namespace process {
namespace internal {
namespace {

std::atomic<pid_t> g_slots[kMaxLiveChildren];

}  // namespace

std::atomic<pid_t>* ChildSlots() { return g_slots; }

int ReserveChildSlot() {
  for (int i = 0; i < kMaxLiveChildren; ++i) {
    pid_t expected = 0;
    if (g_slots[i].compare_exchange_strong(expected, kReserved)) return i;
  }
  return -1;
}

void FillChildSlot(int slot, pid_t pid) { g_slots[slot].store(pid); }

void ReleaseChildSlot(int slot) { g_slots[slot].store(0); }

}  // namespace internal

namespace {

constexpr int kGuardedSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr int kSignalCount = sizeof kGuardedSignals / sizeof kGuardedSignals[0];

// The guard's state is process-wide, like signal dispositions themselves.
std::atomic<bool> g_guard_active{false};
std::atomic<int64_t> g_grace_nanoseconds{0};
struct sigaction g_previous[kSignalCount];
bool g_installed[kSignalCount];  // false where the signal was left ignored

int64_t MonotonicNanoseconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// Reaps `slot`'s child if it has ended; true when the slot no longer holds a live child.
bool ReapIfEnded(std::atomic<pid_t>& slot) {
  const pid_t pid = slot.load();
  if (pid <= 0) return true;
  pid_t r = waitpid(pid, nullptr, WNOHANG);
  if (r == 0) return false;  // Still running.
  // Reaped now, or ECHILD: another thread reaped it in the meantime. Either way it is gone.
  slot.store(0);
  return true;
}

void StopChildrenAndDie(int signal_number) {
  const int saved_errno = errno;
  std::atomic<pid_t>* slots = internal::ChildSlots();

  // 1. Pass the signal on: a child may have its own guard and children of its own.
  for (int i = 0; i < internal::kMaxLiveChildren; ++i) {
    const pid_t pid = slots[i].load();
    if (pid > 0) kill(pid, signal_number);
  }

  // 2. Give them the grace period, reaping as they end.
  const int64_t deadline = MonotonicNanoseconds() + g_grace_nanoseconds.load();
  while (true) {
    bool all_gone = true;
    for (int i = 0; i < internal::kMaxLiveChildren; ++i) {
      if (!ReapIfEnded(slots[i])) all_gone = false;
    }
    if (all_gone || MonotonicNanoseconds() >= deadline) break;
    const timespec one_millisecond{0, 1'000'000};
    nanosleep(&one_millisecond, nullptr);
  }

  // 3. Whoever is left ignored or handled the signal: SIGKILL cannot be.
  for (int i = 0; i < internal::kMaxLiveChildren; ++i) {
    const pid_t pid = slots[i].load();
    if (pid <= 0) continue;
    kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    slots[i].store(0);
  }

  // 4. Die of the same signal, as an unguarded program would have.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  sigaction(signal_number, &default_action, nullptr);
  raise(signal_number);  // Pending: the signal is blocked while its handler runs...
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, signal_number);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);  // ...and delivered here: the end.
  errno = saved_errno;
  _exit(128 + signal_number);  // Not reached unless the signal was somehow not fatal.
}

}  // namespace

namespace internal {

void ResetInForkedChild() {
  for (int i = 0; i < kMaxLiveChildren; ++i) g_slots[i].store(0);
  if (!g_guard_active.load()) return;
  for (int i = 0; i < kSignalCount; ++i) {
    if (g_installed[i]) sigaction(kGuardedSignals[i], &g_previous[i], nullptr);
  }
  g_guard_active.store(false);  // The child may install a guard of its own.
}

}  // namespace internal

InterruptGuard::InterruptGuard(absl::Duration grace) {
  if (g_guard_active.exchange(true)) {
    static constexpr char kMessage[] = "process::InterruptGuard: only one may exist at a time\n";
    (void)!write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    std::abort();
  }
  g_grace_nanoseconds.store(absl::ToInt64Nanoseconds(grace));
  struct sigaction action {};
  action.sa_handler = StopChildrenAndDie;
  sigemptyset(&action.sa_mask);
  // While one of them is being handled, the others wait: the cleanup runs once.
  for (int signal_number : kGuardedSignals) sigaddset(&action.sa_mask, signal_number);
  for (int i = 0; i < kSignalCount; ++i) {
    sigaction(kGuardedSignals[i], nullptr, &g_previous[i]);
    g_installed[i] = g_previous[i].sa_handler != SIG_IGN;
    if (g_installed[i]) sigaction(kGuardedSignals[i], &action, nullptr);
  }
}

InterruptGuard::~InterruptGuard() {
  for (int i = 0; i < kSignalCount; ++i) {
    if (g_installed[i]) sigaction(kGuardedSignals[i], &g_previous[i], nullptr);
  }
  g_guard_active.store(false);
}

}  // namespace process
