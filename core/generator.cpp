// Portable uniform/normal draws on top of std::mt19937_64 (whose raw output is standardized).
#include "core/generator.h"

#include <atomic>
#include <cmath>
#include <numbers>
#include <sstream>

#include "core/error.h"

namespace minidl {

namespace {

std::atomic<uint64_t> latest_seed{kDefaultSeed};  // what new threads' default generators start from

}  // namespace

Generator& default_generator() {
  thread_local Generator generator(latest_seed.load());
  return generator;
}

void manual_seed(uint64_t seed) {
  latest_seed.store(seed);
  default_generator() = Generator(seed);
}

double Generator::unit_double() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

float Generator::uniform(float low, float high) {
  auto value = static_cast<float>(low + (static_cast<double>(high) - low) * unit_double());
  return value < high ? value : low;  // rounding to float must not reach `high`
}

float Generator::normal(float mean, float std) {
  double u1 = 1.0 - unit_double();  // (0, 1]: log stays finite
  double u2 = unit_double();
  double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return static_cast<float>(mean + std * z);
}

uint64_t Generator::below(uint64_t bound) {
  MINIDL_CHECK(bound > 0, "Generator::below: bound must be positive");
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;  // reject the biased tail
  uint64_t draw = engine_();
  while (draw >= limit) draw = engine_();
  return draw % bound;
}

std::string Generator::state() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void Generator::set_state(const std::string& text) {
  std::istringstream in(text);
  std::mt19937_64 restored;
  in >> restored;
  MINIDL_CHECK(!in.fail(), "Generator::set_state: malformed generator state ({} bytes)",
               text.size());
  engine_ = restored;
}

}  // namespace minidl
