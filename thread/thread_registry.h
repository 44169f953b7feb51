// thread/thread_registry.h — named, counted threads: Python's threading.Thread,
// active_count(), enumerate() and current_thread() for C++.
//
// std::thread has no name and the standard library cannot count or list live threads.
// Python's threading module can, and the tutorial uses it in every thread section. This
// registry gives lessons the same vocabulary:
//
//   threading::Thread worker("worker", [] { ... });   // starts now, like t.start()
//   threading::ActiveCount();     // 2: the main thread and "worker"
//   threading::Enumerate();       // [MainThread, worker]
//   threading::CurrentThread();   // inside the worker: {"worker", its kernel tid}
//   worker.Join();                // like t.join(); the destructor also joins
//
// Contract:
// - The registry counts the main thread plus every threading::Thread whose function has
//   not yet returned, exactly as Python counts the main thread plus every Thread that
//   is_alive(). A thread is counted from the moment its constructor returns (the
//   constructor waits until the new thread has registered, as Python's start() waits
//   for `_started`) until its function returns, which happens-before Join() returns.
// - A thread the registry did not start (a std::thread, std::jthread, a library's
//   thread) is unknown to it until that thread calls CurrentThread(). From then on it is
//   a "dummy" thread, as Python calls a thread its threading module did not start: it is
//   named Dummy-<n>, where n comes from the same counter as Thread-<n> (Python 3.11:
//   Thread-1, then Dummy-2, then Thread-3), and it is counted and listed until it ends.
//   One difference from Python, which cannot see such a thread end and so keeps
//   counting it forever: here a thread-exit hook forgets it when the thread ends.
// - Each thread also gets its name (first 15 bytes, the kernel's limit) as its kernel
//   thread name, so `top -H` and /proc/<pid>/task/<tid>/comm show it, and as its row's
//   name in a --trace timeline (common/trace.h).
// - Unnamed threads are "Thread-<n>". (Python 3.10 and later add the target's name,
//   "Thread-1 (run)"; a C++ callable has no name to add.)
// - fork(): the child process has one thread, the one that called fork(). The registry
//   forgets every other thread in the child, so ActiveCount() stays true there.
// - All functions are thread-safe. A Thread object itself is like std::thread: use one
//   object from one thread at a time.
#ifndef THREAD_THREAD_REGISTRY_H_
#define THREAD_THREAD_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace threading {

// What the registry knows about one live thread.
struct ThreadInfo {
  std::string name;      // "MainThread", the name given to Thread, or "Thread-<n>".
  long tid = 0;          // The kernel's thread id (gettid), as `ps -L` shows it.
  bool is_main = false;  // The process's first thread (its tid equals the pid).
};

// ActiveCount()
//
// The number of live threads: the main thread, every threading::Thread whose function is
// still running, and every live dummy thread (see CurrentThread). Python:
// threading.active_count().
int ActiveCount();

// Enumerate()
//
// The live threads: the main thread first, then the others in the order the registry
// met them. Python: threading.enumerate().
std::vector<ThreadInfo> Enumerate();

// CurrentThread()
//
// The calling thread: its registered name, "MainThread" for the main thread, or, for a
// thread the registry did not start, "Dummy-<n>" (the same name on every call from that
// thread; it is counted from this first call until the thread ends). Python:
// threading.current_thread().
ThreadInfo CurrentThread();

namespace internal {
// Registers a thread about to start; returns its key. Empty `name` => "Thread-<n>".
uint64_t Register(std::string& name);
// Runs on the new thread first: records its tid, names it, marks it started.
void Started(uint64_t key);
// Runs on the new thread last, when its function has returned: forgets it.
void Finished(uint64_t key);
// Blocks until Started(key) has run; returns the thread's tid.
long AwaitStarted(uint64_t key);
}  // namespace internal

// Thread
//
// A std::thread with a name that the registry counts while its function runs.
// Arguments are copied (decayed) into the new thread, exactly as std::thread does: use
// std::ref to pass a reference, std::move to hand over ownership.
class Thread {
 public:
  // Thread(name, function, args...)
  //
  // Starts a thread running function(args...) and returns once the thread is
  // registered (ActiveCount() already includes it). An empty name means "Thread-<n>".
  template <typename Function, typename... Args>
  explicit Thread(std::string name, Function&& function, Args&&... args) {
    const uint64_t key = internal::Register(name);
    name_ = std::move(name);
    thread_ = std::thread(
        [key, fn = std::forward<Function>(function),
         ... arguments = std::forward<Args>(args)]() mutable {
          internal::Started(key);
          struct Deregister {  // Also when fn throws (std::terminate follows anyway).
            uint64_t key;
            ~Deregister() { internal::Finished(key); }
          } deregister{key};
          std::invoke(std::move(fn), std::move(arguments)...);
        });
    tid_ = internal::AwaitStarted(key);
  }

  Thread(Thread&&) = default;
  Thread& operator=(Thread&& other) {
    Join();
    thread_ = std::move(other.thread_);
    name_ = std::move(other.name_);
    tid_ = other.tid_;
    return *this;
  }

  // Joins if still joinable: like std::jthread, and like Python, whose interpreter
  // waits for every non-daemon thread before it exits.
  ~Thread() { Join(); }

  // Thread::Join()
  //
  // Blocks until the thread's function has returned. Does nothing if already joined.
  void Join() {
    if (thread_.joinable()) thread_.join();
  }

  bool joinable() const { return thread_.joinable(); }
  const std::string& name() const { return name_; }
  long tid() const { return tid_; }

 private:
  std::thread thread_;
  std::string name_;
  long tid_ = 0;
};

}  // namespace threading

#endif  // THREAD_THREAD_REGISTRY_H_
