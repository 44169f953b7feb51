#include "process/crash_kinds.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace process {
namespace {

// The kernel's struct for rt_sigaction (not glibc's struct sigaction).
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

void PrepareToDieOf(int signal_number) {
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  KernelSigaction default_action{SIG_DFL, 0, nullptr, 0};
  syscall(SYS_rt_sigaction, signal_number, &default_action, nullptr, sizeof(uint64_t));
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, signal_number);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
}

}  // namespace

void SegfaultNow() {
  PrepareToDieOf(SIGSEGV);
  void* page = mmap(nullptr, static_cast<size_t>(sysconf(_SC_PAGESIZE)), PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  // If even mmap failed, address 0 is just as unmapped: the crash happens either way.
  volatile int* target = static_cast<volatile int*>(page == MAP_FAILED ? nullptr : page);
  *target = 1;   // The MMU refuses the store: SIGSEGV.
  std::abort();  // Not reached.
}

void AbortNow() {
  PrepareToDieOf(SIGABRT);
  std::abort();
}

}  // namespace process
