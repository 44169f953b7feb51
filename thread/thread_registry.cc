#include "thread/thread_registry.h"

#include <pthread.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "common/trace.h"

namespace threading {
namespace {

// The registry's one lock is a std::mutex rather than an absl::Mutex on purpose: this
// machine's libabsl is not built with ThreadSanitizer, so TSan could not see absl::Mutex
// synchronise, and every lesson that uses the registry is checked under TSan.
class Registry {
 public:
  static Registry& Get() {
    static Registry* registry = new Registry;  // Never destroyed: threads may outlive main.
    return *registry;
  }

  uint64_t Register(std::string& name) {
    std::lock_guard lock(mu_);
    const uint64_t key = ++last_key_;
    if (name.empty()) name = absl::StrCat("Thread-", ++name_counter_);
    entries_[key].name = name;
    return key;
  }

  void Started(uint64_t key) {
    current_key = key;
    std::string name;
    {
      std::lock_guard lock(mu_);
      name = entries_[key].name;
    }
    // Named before the constructor returns, so /proc shows the name from then on. The
    // kernel keeps at most 15 bytes; a longer name is cut, never refused.
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    trace::NameThread(name);
    {
      std::lock_guard lock(mu_);
      Entry& entry = entries_[key];
      entry.tid = static_cast<long>(gettid());
      entry.started = true;
    }
    started_.notify_all();
  }

  void Finished(uint64_t key) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    if (it->second.awaited) {
      entries_.erase(it);
    } else {
      it->second.finished = true;  // The constructor has not collected its tid yet.
    }
  }

  long AwaitStarted(uint64_t key) {
    std::unique_lock lock(mu_);
    started_.wait(lock, [&] { return entries_[key].started; });
    Entry& entry = entries_[key];
    const long tid = entry.tid;
    entry.awaited = true;
    if (entry.finished) entries_.erase(key);
    return tid;
  }

  int ActiveCount() {
    std::lock_guard lock(mu_);
    int count = 1;  // The main thread.
    for (const auto& [key, entry] : entries_) count += entry.Live() ? 1 : 0;
    return count;
  }

  std::vector<ThreadInfo> Enumerate() {
    std::vector<ThreadInfo> threads = {MainThread()};
    std::lock_guard lock(mu_);
    for (const auto& [key, entry] : entries_) {
      if (entry.Live()) threads.push_back({entry.name, entry.tid, entry.tid == getpid()});
    }
    return threads;
  }

  ThreadInfo Current() {
    const long tid = static_cast<long>(gettid());
    if (current_key != 0) {
      std::lock_guard lock(mu_);
      auto it = entries_.find(current_key);
      if (it != entries_.end()) return {it->second.name, tid, tid == getpid()};
    }
    if (tid == getpid()) return MainThread();
    return RegisterDummy(tid);
  }

 private:
  struct Entry {
    std::string name;
    long tid = 0;
    bool started = false;   // Started() has run on the thread.
    bool finished = false;  // Its function has returned.
    bool awaited = false;   // Its constructor has returned.
    bool Live() const { return started && !finished; }
  };

  Registry() {
    // Keep the lock consistent across fork(): take it before, release it after in both
    // processes. The child has only the forking thread, so every entry is stale there.
    pthread_atfork([] { Get().mu_.lock(); },  //
                   [] { Get().mu_.unlock(); },
                   [] {
                     Registry& registry = Get();
                     registry.entries_.clear();
                     current_key = 0;  // The forking thread is the child's main thread.
                     registry.mu_.unlock();
                   });
  }

  // A thread the registry did not start asks who it is: from now on it is Dummy-<n>,
  // counted until it ends. Python 3.11 does the same (threading._DummyThread, named
  // from the counter Thread-<n> uses) but never forgets it, since it cannot see the
  // thread end; a thread_local's destructor lets C++ see it.
  ThreadInfo RegisterDummy(long tid) {
    struct ForgetAtThreadExit {
      uint64_t key = 0;
      ~ForgetAtThreadExit() {
        if (key != 0) Get().Finished(key);
      }
    };
    thread_local ForgetAtThreadExit forget;
    std::string name;
    {
      std::lock_guard lock(mu_);
      const uint64_t key = ++last_key_;
      name = absl::StrCat("Dummy-", ++name_counter_);
      Entry& entry = entries_[key];
      entry.name = name;
      entry.tid = tid;
      entry.started = true;
      entry.awaited = true;  // Nobody constructs it: Finished() may erase it at once.
      current_key = key;
      forget.key = key;
    }
    return {name, tid, false};
  }

  static ThreadInfo MainThread() { return {"MainThread", static_cast<long>(getpid()), true}; }

  static thread_local uint64_t current_key;  // The calling thread's key; 0 if none.

  std::mutex mu_;
  std::condition_variable started_;
  uint64_t last_key_ ABSL_GUARDED_BY(mu_) = 0;
  // Python's one counter for the default names Thread-<n> and Dummy-<n>.
  int name_counter_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);  // In the order met.
};

thread_local uint64_t Registry::current_key = 0;

}  // namespace

int ActiveCount() { return Registry::Get().ActiveCount(); }
std::vector<ThreadInfo> Enumerate() { return Registry::Get().Enumerate(); }
ThreadInfo CurrentThread() { return Registry::Get().Current(); }

namespace internal {
uint64_t Register(std::string& name) { return Registry::Get().Register(name); }
void Started(uint64_t key) { Registry::Get().Started(key); }
void Finished(uint64_t key) { Registry::Get().Finished(key); }
long AwaitStarted(uint64_t key) { return Registry::Get().AwaitStarted(key); }
}  // namespace internal

}  // namespace threading
