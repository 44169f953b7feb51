// coroutine/coro/async_queue.h — Queue<T>: a FIFO between coroutines on one loop (asyncio.Queue).
//
//   coro::Queue<int> queue(/*maxsize=*/2);
//   co_await queue.Put(1);       // producer: waits while the queue is full
//   int item = co_await queue.Get();   // consumer: waits while it is empty
//   queue.TaskDone();            // the consumer is done with that item
//   co_await queue.Join();       // waits until every item put has been marked done
//
// Contract (asyncio.Queue of Python 3.11, step for step):
// - maxsize 0 means unbounded. Put() suspends while the queue is full, Get() while it is
//   empty; both are cancellation points, and a cancelled Put puts nothing.
// - Waiting getters (and putters) are served in the order they arrived, but a woken
//   getter takes the item only when it runs: an item put meanwhile may be taken by a
//   task that did not wait (GetNowait). The woken getter then waits again, at the back.
// - PutNowait / GetNowait never wait: they throw QueueFull / QueueEmpty.
// - TaskDone() once per item taken; Join() returns when every item put has been marked
//   done (at once if there were none). TaskDone() more often than items: std::logic_error
//   (asyncio: ValueError).
// - Single-threaded, like the loop. For threads, see //thread:producer_consumer.
#ifndef COROUTINE_CORO_ASYNC_QUEUE_H_
#define COROUTINE_CORO_ASYNC_QUEUE_H_

#include <cstddef>
#include <deque>
#include <stdexcept>
#include <utility>

#include "coroutine/coro/task.h"
#include "coroutine/coro/wait_list.h"

namespace coro {

class QueueFull : public std::runtime_error {
 public:
  QueueFull() : std::runtime_error("coro::Queue is full") {}
};
class QueueEmpty : public std::runtime_error {
 public:
  QueueEmpty() : std::runtime_error("coro::Queue is empty") {}
};

template <typename T>
class Queue {
 public:
  explicit Queue(std::size_t maxsize = 0) : maxsize_(maxsize) {}
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  std::size_t maxsize() const { return maxsize_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  bool full() const { return maxsize_ > 0 && items_.size() >= maxsize_; }

  // Puts `item` at the back, waiting while the queue is full.
  Task<void> Put(T item) {
    co_await WaitInLine(putters_, &Queue::full, "queue put (full)");
    PutNowait(std::move(item));
  }

  // Takes the front item, waiting while the queue is empty.
  Task<T> Get() {
    co_await WaitInLine(getters_, &Queue::empty, "queue get (empty)");
    co_return GetNowait();
  }

  void PutNowait(T item) {
    if (full()) throw QueueFull();
    items_.push_back(std::move(item));
    ++unfinished_;
    getters_.WakeNext();
  }

  T GetNowait() {
    if (empty()) throw QueueEmpty();
    T item = std::move(items_.front());
    items_.pop_front();
    putters_.WakeNext();
    return item;
  }

  void TaskDone() {
    if (unfinished_ == 0) {
      throw std::logic_error("coro::Queue::TaskDone called more times than there were items");
    }
    if (--unfinished_ == 0) joiners_.WakeAll();
  }

  // Waits until every item put so far has been marked done with TaskDone().
  Task<void> Join() {
    if (unfinished_ == 0) co_return;
    internal::WaitList::Entry joiner(joiners_, "queue join");
    co_await joiner;
  }

  // Items put and not yet marked done.
  std::size_t unfinished() const { return unfinished_; }

 private:
  // Waits in `line` (the putters or the getters) for as long as the queue is `blocked`
  // (full, or empty), as asyncio's put() and get() do. A waiter cancelled after it was
  // woken, when its turn had come, passes the turn on to the next in line.
  Task<void> WaitInLine(internal::WaitList& line, bool (Queue::*blocked)() const,
                        const char* what) {
    while ((this->*blocked)()) {
      internal::WaitList::Entry waiter(line, what);
      try {
        co_await waiter;
      } catch (const CancelledError&) {
        waiter.Leave();
        if (!(this->*blocked)() && !waiter.cancelled()) line.WakeNext();  // our turn: pass it on
        throw;
      }
    }
  }

  std::size_t maxsize_;
  std::deque<T> items_;
  std::size_t unfinished_ = 0;
  internal::WaitList getters_, putters_, joiners_;
};

}  // namespace coro

#endif  // COROUTINE_CORO_ASYNC_QUEUE_H_
