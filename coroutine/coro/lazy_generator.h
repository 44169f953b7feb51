// coroutine/coro/lazy_generator.h — Generator<T, Sent>: a lazy sequence written with co_yield.
//
// Python builds its coroutines on generators (the tutorial's 协程属性 section); this is the
// C++20 version of the same machine. A function whose body contains `co_yield` and that
// returns Generator<T> does not run when called: it returns a generator whose body runs,
// one step at a time, each time the caller asks for the next value.
//
//   Generator<int> CountTo(int n) {
//     for (int i = 1; i <= n; ++i) co_yield i;
//   }
//   for (int i : CountTo(3)) ...                  // 1, 2, 3 (range-for)
//
// Sending values back in (Python's `n = yield r` and `c.send(n)`): with a second template
// argument, `co_yield r` evaluates to the value the caller sends next.
//
//   Generator<std::string, int> Consumer() {
//     std::string r;
//     while (true) {
//       int n = co_yield r;          // hand r to the caller, wait for the next n
//       if (n == 0) co_return;
//       r = "200 OK";
//     }
//   }
//   auto c = Consumer();
//   c.Next();                        // Python's c.send(None): run to the first co_yield
//   std::optional<std::string> r = c.Send(1);
//
// Contract:
// - Lazy: nothing in the body runs before the first Next(), Send() or begin().
// - Each Next()/Send() runs the body up to the next co_yield and returns its operand, or
//   std::nullopt once the body has returned (Python's StopIteration).
// - An exception thrown by the body propagates out of the Next()/Send()/begin()/++ that
//   resumed it; the generator is then finished.
// - The coroutine frame (and every local in the body) is destroyed with the Generator, or
//   earlier by Close() (Python's close(): in C++ the locals' destructors do the cleanup
//   that Python's GeneratorExit and `finally` do).
// - A generator body cannot co_await: it is a plain, synchronous coroutine.
// - Not thread-safe: one thread uses a generator at a time (it is a value, like a vector).
//
// C++23 has std::generator; g++ 12 does not, and it has no send() anyway.
#ifndef COROUTINE_CORO_LAZY_GENERATOR_H_
#define COROUTINE_CORO_LAZY_GENERATOR_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <iterator>
#include <optional>
#include <type_traits>
#include <utility>

namespace coro {

template <typename T, typename Sent = void>
class [[nodiscard]] Generator {
 public:
  class promise_type;
  using Handle = std::coroutine_handle<promise_type>;

  // An input iterator over the yielded values; `end()` is std::default_sentinel.
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::remove_cvref_t<T>;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;
    explicit Iterator(Handle handle) : handle_(handle) {}

    T& operator*() const { return *handle_.promise().value_; }
    T* operator->() const { return &*handle_.promise().value_; }
    Iterator& operator++() {
      handle_.promise().ResumeBody();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const Iterator& it, std::default_sentinel_t) {
      return it.handle_ == nullptr || it.handle_.done();
    }

   private:
    Handle handle_ = nullptr;
  };

  class promise_type {
   public:
    Generator get_return_object() noexcept { return Generator(Handle::from_promise(*this)); }
    std::suspend_always initial_suspend() noexcept { return {}; }  // lazy
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { exception_ = std::current_exception(); }

    // `co_yield value`: store it, suspend; the expression's value is what was sent.
    auto yield_value(T value) {
      value_.emplace(std::move(value));
      struct YieldAwaiter {
        promise_type& promise;
        bool await_ready() noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) noexcept {}
        auto await_resume() {
          if constexpr (!std::is_void_v<Sent>) return std::move(*promise.sent_);
        }
      };
      return YieldAwaiter{*this};
    }

    // A generator is synchronous: `co_await` inside one is a compile error.
    template <typename U>
    std::suspend_never await_transform(U&&) = delete;

   private:
    friend class Generator;
    friend class Iterator;

    void ResumeBody() {
      value_.reset();
      Handle::from_promise(*this).resume();
      if (exception_) std::rethrow_exception(std::exchange(exception_, nullptr));
    }

    std::optional<T> value_;
    std::exception_ptr exception_;
    // The value for the pending co_yield expression to return (unused when Sent is void).
    std::conditional_t<std::is_void_v<Sent>, char, std::optional<Sent>> sent_;
  };

  Generator(Generator&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Generator& operator=(Generator&& other) noexcept {
    if (this != &other) {
      Close();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~Generator() { Close(); }

  // Generator::Next()
  //
  // Runs the body to its next co_yield and returns the yielded value, or std::nullopt if
  // the body returned (or was closed). Python's next(g), and send(None) for a generator
  // that receives values: the pending co_yield then evaluates to a value-initialised Sent
  // (0 for int, like Python's None being falsy).
  std::optional<T> Next() {
    if constexpr (!std::is_void_v<Sent>) return Send(Sent{});
    else return Advance();
  }

  // Generator::Send()
  //
  // Python's g.send(value): resumes the body with `value` as the result of the co_yield
  // it is suspended at, runs it to the next co_yield and returns that value (std::nullopt
  // once the body has returned). The first resumption runs the body from its start, where
  // no co_yield is waiting, so the sent value is discarded, as Python requires None then.
  template <typename S = Sent>
    requires(!std::is_void_v<S>)
  std::optional<T> Send(S value) {
    if (handle_ == nullptr || handle_.done()) return std::nullopt;
    handle_.promise().sent_.emplace(std::move(value));
    return Advance();
  }

  // Generator::Close()
  //
  // Destroys the coroutine frame now, running the destructors of the body's live locals.
  // Afterwards Next() returns std::nullopt. Safe to call twice.
  void Close() noexcept {
    if (handle_ != nullptr) std::exchange(handle_, nullptr).destroy();
  }

  // True once the body has returned, thrown, or been closed.
  bool done() const { return handle_ == nullptr || handle_.done(); }

  // Range-for: begin() runs the body to its first co_yield.
  Iterator begin() {
    if (handle_ == nullptr) return Iterator();
    handle_.promise().ResumeBody();
    return Iterator(handle_);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  explicit Generator(Handle handle) : handle_(handle) {}

  std::optional<T> Advance() {
    if (handle_ == nullptr || handle_.done()) return std::nullopt;
    handle_.promise().ResumeBody();
    if (handle_.done()) return std::nullopt;
    return std::move(handle_.promise().value_);
  }

  Handle handle_;
};

}  // namespace coro

#endif  // COROUTINE_CORO_LAZY_GENERATOR_H_
