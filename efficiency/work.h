// efficiency/work.h — the unit of CPU work every efficiency experiment runs.
//
// The tutorial's CPU-bound job is `for _ in range(10**9): pass`. Written as an empty C++
// loop, an optimising compiler deletes it (it has no effect), and the "experiment" would
// time nothing. So one iteration here does a small, real, dependent step:
//
//   state = state * 6364136223846793005 + 1442695040888963407;   // one LCG step
//   benchmark::DoNotOptimize(state);                               // keep it alive
//
// One iteration = one 64-bit multiply and one add, a dependent chain (each step needs the
// previous one, so it cannot be vectorised or overlapped). benchmark::DoNotOptimize is an
// empty asm statement that "uses and may change" `state`: the compiler must compute every
// step, yet it costs no instruction. With g++ -O2 the loop is exactly
//
//   imul %rsi,%rax ; add %rcx,%rax ; add $0x1,%rdx ; cmp %rdx,%rdi ; jne   (objdump -d)
//
// about 4 cycles, ~1.1 ns per iteration on this machine (cpu_bound prints the figure).
// The tutorial's CPython loop took 23 ns per iteration (46.8 s for 2 x 10^9) on its own
// machine. Because every step depends on the previous one, the result proves the whole
// loop ran: SpinClosedForm() computes the same number in O(log n) steps without looping,
// and the tests and experiments compare the two.
#ifndef EFFICIENCY_WORK_H_
#define EFFICIENCY_WORK_H_

#include <cstdint>

namespace efficiency {

// The step's constants (Knuth's MMIX linear congruential generator).
inline constexpr uint64_t kLcgMultiplier = 6364136223846793005ull;
inline constexpr uint64_t kLcgIncrement = 1442695040888963407ull;

// Spin(iterations, state)
//
// Applies the step `iterations` times to `state` and returns the final state. The
// compiler cannot remove or shortcut the loop (see above). Defined out of line in
// work.cc so every caller runs the same machine code.
uint64_t Spin(uint64_t iterations, uint64_t state);

// SpinClosedForm(iterations, state)
//
// The same result as Spin(), computed by composing the affine step with itself by
// repeated squaring: O(log iterations). For checking that the work really ran.
uint64_t SpinClosedForm(uint64_t iterations, uint64_t state);

// JobSeed(job)
//
// The starting state of job number `job` (0, 1, ...): distinct per job, so a mode that
// ran one job twice and skipped another produces a different total.
uint64_t JobSeed(int job);

// ExpectedTotal(jobs, iterations)
//
// What every mode must return for `jobs` jobs of Spin(iterations, JobSeed(j)): the
// wrapping sum of their final states.
uint64_t ExpectedTotal(int jobs, uint64_t iterations);

}  // namespace efficiency

#endif  // EFFICIENCY_WORK_H_
