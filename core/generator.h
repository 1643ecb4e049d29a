// Generator: the seeded random source every random factory, initializer and shuffle takes.
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

}  // namespace minidl
