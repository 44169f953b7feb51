#include "efficiency/work.h"

#include "benchmark/benchmark.h"

namespace efficiency {

uint64_t Spin(uint64_t iterations, uint64_t state) {
  for (uint64_t i = 0; i < iterations; ++i) {
    state = state * kLcgMultiplier + kLcgIncrement;
    benchmark::DoNotOptimize(state);
  }
  return state;
}

uint64_t SpinClosedForm(uint64_t iterations, uint64_t state) {
  // The step is x -> a*x + c. Applying f then g (both affine) gives
  // x -> g.a*(f.a*x + f.c) + g.c, again affine; square-and-multiply over the bits of n.
  uint64_t total_a = 1, total_c = 0;                   // identity
  uint64_t step_a = kLcgMultiplier, step_c = kLcgIncrement;  // f^(2^k)
  for (uint64_t n = iterations; n != 0; n >>= 1) {
    if (n & 1) {
      total_a = step_a * total_a;
      total_c = step_a * total_c + step_c;
    }
    step_c = step_a * step_c + step_c;
    step_a = step_a * step_a;
  }
  return total_a * state + total_c;
}

uint64_t JobSeed(int job) {
  // SplitMix64 of the job number: well-spread, distinct seeds.
  uint64_t z = static_cast<uint64_t>(job) + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t ExpectedTotal(int jobs, uint64_t iterations) {
  uint64_t total = 0;
  for (int job = 0; job < jobs; ++job) total += SpinClosedForm(iterations, JobSeed(job));
  return total;
}

}  // namespace efficiency
