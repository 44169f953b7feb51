// process/child_registry.h — (internal) the PIDs of live children, for a signal handler.
//
// Process records each child it starts here until it reaps it, so that InterruptGuard's
// signal handler can find the children without taking a lock or allocating. The table is
// a fixed array of lock-free atomics; every function is async-signal-safe.
//
// Slot values: 0 free, kReserved while a Start() is between reserving and forking, a
// PID (> 0) while the child is live and not yet reaped.
#ifndef PROCESS_CHILD_REGISTRY_H_
#define PROCESS_CHILD_REGISTRY_H_

#include <sys/types.h>

#include <atomic>

namespace process::internal {

inline constexpr int kMaxLiveChildren = 4096;
inline constexpr pid_t kReserved = -1;

// The table itself (for the handler to scan).
std::atomic<pid_t>* ChildSlots();

// Claims a free slot; returns its index, or -1 if all kMaxLiveChildren are in use.
int ReserveChildSlot();

// Records the PID of the child started for a reserved slot.
void FillChildSlot(int slot, pid_t pid);

// Frees the slot (the child is about to be reaped, or was never started).
void ReleaseChildSlot(int slot);

// Called first thing in a forked child: forget the parent's children (they are not this
// process's) and undo an InterruptGuard the parent had installed.
void ResetInForkedChild();

}  // namespace process::internal

#endif  // PROCESS_CHILD_REGISTRY_H_
