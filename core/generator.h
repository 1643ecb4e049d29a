// Generator: the seeded random source every random factory, initializer and shuffle takes, and
// the default Generator used wherever none is passed, seeded by manual_seed (as in libtorch).
// Uniform and normal draws are computed here (not by <random> distributions, whose output
// differs between standard libraries), so a seed gives the same numbers everywhere.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace minidl {

/// A seeded pseudo-random generator (64-bit Mersenne Twister) with portable float draws.
class Generator {
 public:
  /// Seeds the generator; the same seed always gives the same sequence.
  explicit Generator(uint64_t seed = 0) : engine_(seed) {}

  /// A uniform float in [low, high).
  float uniform(float low = 0.0F, float high = 1.0F);
  /// A normal float with the given mean and standard deviation (Box-Muller).
  float normal(float mean = 0.0F, float std = 1.0F);
  /// A uniform integer in [0, bound).
  uint64_t below(uint64_t bound);
  /// A raw 64-bit draw.
  uint64_t next() { return engine_(); }

  /// The full state as text, for checkpoints; `set_state` restores it exactly.
  std::string state() const;
  /// Restores a state produced by `state()`; throws minidl::Error when it is malformed.
  void set_state(const std::string& text);

 private:
  double unit_double();  // uniform in [0, 1) with 53 random bits
  std::mt19937_64 engine_;
};

/// The seed of the default generator until manual_seed is called.
inline constexpr uint64_t kDefaultSeed = 0;

/// The default Generator of the calling thread: used by random factories, layer initialization
/// and Dropout whenever no Generator is passed. Each thread has its own, created on first use
/// from the seed of the latest manual_seed, so threads never race on it and a thread's numbers
/// do not depend on what other threads draw.
Generator& default_generator();

/// Seeds the calling thread's default Generator, and the default Generators of threads that
/// first draw after this call, with `seed`: one call makes a run reproducible bit for bit.
void manual_seed(uint64_t seed);

}  // namespace minidl
