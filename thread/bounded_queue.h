// thread/bounded_queue.h — the queue of the tutorial's "传统生产者-消费者模型": one
// thread puts messages in, another takes them out, and a lock with condition variables
// makes each side wait (the producer while the queue is full, the consumer while it is
// empty). Two implementations with the same interface, to compare:
//
//   StdBoundedQueue<T>   std::mutex + two std::condition_variable (notify by hand)
//   AbslBoundedQueue<T>  absl::Mutex + absl::Condition (the mutex re-checks the
//                        conditions itself whenever it is released: no notify, no
//                        while-loop around the wait)
//
//   threading::StdBoundedQueue<int> queue(16);
//   producer: queue.Push(1); ...; queue.Close();   // Close(): "no more items"
//   consumer: while (std::optional<int> item = queue.Pop()) Use(*item);
//
// Contract (both):
// - First in, first out. At most `capacity` items are held; Push blocks while full.
// - Close() says no more items will come: blocked and later Pushes return false (the
//   item is dropped); Pop returns the items left, then std::nullopt.
// - Pop blocks while the queue is empty and open: a consumer whose producer forgets to
//   Close() waits forever (the tutorial's "一不小心就会死锁"). PopFor bounds that wait.
// - Push happens-before the Pop that returns the item. All methods are thread-safe.
//
// Note: this machine's libabsl is not built with ThreadSanitizer, so TSan cannot see
// absl::Mutex synchronise; AbslBoundedQueue is therefore tested outside TSan (see BUILD).
#ifndef THREAD_BOUNDED_QUEUE_H_
#define THREAD_BOUNDED_QUEUE_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace threading {

// How often each side had to wait: the cost of a queue that is too small or too big.
struct QueueWaits {
  long producer_waits = 0;  // Push found the queue full.
  long consumer_waits = 0;  // Pop found the queue empty.
};

template <typename T>
class StdBoundedQueue {
 public:
  explicit StdBoundedQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // Blocks while full; false if the queue is (or becomes) closed.
  bool Push(T item) {
    std::unique_lock lock(mu_);
    if (!closed_ && items_.size() >= capacity_) ++waits_.producer_waits;
    // The loop inside wait() re-checks after every wake-up: wake-ups can be spurious,
    // and another thread may have filled the slot first.
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    lock.unlock();
    not_empty_.notify_one();  // Forgetting this line is a classic hang.
    return true;
  }

  // Blocks while empty and open; std::nullopt once closed and drained.
  std::optional<T> Pop() {
    std::unique_lock lock(mu_);
    if (!closed_ && items_.empty()) ++waits_.consumer_waits;
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    return TakeLocked(lock);
  }

  // Like Pop, but waits at most `timeout`: std::nullopt also when it times out (then
  // closed() is still false).
  std::optional<T> PopFor(std::chrono::steady_clock::duration timeout) {
    std::unique_lock lock(mu_);
    if (!closed_ && items_.empty()) ++waits_.consumer_waits;
    not_empty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); });
    return TakeLocked(lock);
  }

  void Close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }

  QueueWaits waits() const {
    std::lock_guard lock(mu_);
    return waits_;
  }

 private:
  std::optional<T> TakeLocked(std::unique_lock<std::mutex>& lock) {
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    not_full_.notify_one();
    return item;
  }

  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_;  // Signalled after Push and on Close.
  std::condition_variable not_full_;   // Signalled after Pop and on Close.
  std::deque<T> items_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  QueueWaits waits_ ABSL_GUARDED_BY(mu_);
};

template <typename T>
class AbslBoundedQueue {
 public:
  explicit AbslBoundedQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  bool Push(T item) {
    absl::MutexLock lock(&mu_);
    if (!closed_ && items_.size() >= capacity_) ++waits_.producer_waits;
    // Await re-evaluates the condition each time mu_ is released by anyone: there is no
    // condition variable to notify, so no notify to forget.
    mu_.Await(absl::Condition(this, &AbslBoundedQueue::ClosedOrNotFull));
    if (closed_) return false;
    items_.push_back(std::move(item));
    return true;
  }

  std::optional<T> Pop() {
    absl::MutexLock lock(&mu_);
    if (!closed_ && items_.empty()) ++waits_.consumer_waits;
    mu_.Await(absl::Condition(this, &AbslBoundedQueue::ClosedOrNotEmpty));
    return TakeLocked();
  }

  std::optional<T> PopFor(std::chrono::steady_clock::duration timeout) {
    absl::MutexLock lock(&mu_);
    if (!closed_ && items_.empty()) ++waits_.consumer_waits;
    mu_.AwaitWithTimeout(absl::Condition(this, &AbslBoundedQueue::ClosedOrNotEmpty),
                         absl::FromChrono(timeout));
    return TakeLocked();
  }

  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

  bool closed() const {
    absl::MutexLock lock(&mu_);
    return closed_;
  }

  QueueWaits waits() const {
    absl::MutexLock lock(&mu_);
    return waits_;
  }

 private:
  bool ClosedOrNotFull() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return closed_ || items_.size() < capacity_;
  }
  bool ClosedOrNotEmpty() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return closed_ || !items_.empty();
  }
  std::optional<T> TakeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<T> items_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  QueueWaits waits_ ABSL_GUARDED_BY(mu_);
};

}  // namespace threading

#endif  // THREAD_BOUNDED_QUEUE_H_
