// The vectorised exp, tanh and sigmoid (core/kernels/fast_math.h, vector_math.h): every variant
// this CPU runs stays within 4 ulp of libm over a sweep of the whole float range, gives libm's
// infinities, NaN, signed zeros, overflow and underflow, handles lengths that are not a multiple
// of its vector width, and works in place; erfc (GELU's) stays within a relative 5e-7.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/kernels/fast_math.h"
#include "core/kernels/vector_math.h"

using namespace minidl;
using kernels::UnaryMath;

namespace {

// Distance in units in the last place between two floats (0 when both are NaN or equal).
int64_t ulps_between(float a, float b) {
  if (std::isnan(a) && std::isnan(b)) return 0;
  if (a == b) return 0;
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<int64_t>::max();
  // map the bit patterns onto a line that is monotonic in the value
  const auto ordered = [](float v) {
    int32_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return bits < 0 ? int64_t{INT32_MIN} - bits : int64_t{bits};
  };
  const int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}

// libm's value of `fn` (sigmoid and GELU in double).
double reference(UnaryMath fn, float value) {
  const auto x = static_cast<double>(value);
  // the normal distribution function, of x / sqrt 2 rounded to float as the kernels round it
  // (for x = -11.7 that rounding alone moves erfc by 1e-5, relatively)
  const double phi = 0.5 * std::erfc(static_cast<double>(-0.70710678118654752F * value));
  switch (fn) {
    case UnaryMath::Exp:
      return std::exp(value);
    case UnaryMath::Tanh:
      return std::tanh(value);
    case UnaryMath::Sigmoid:
      return static_cast<float>(1.0 / (1.0 + std::exp(-x)));
    case UnaryMath::Gelu:
      return x * phi;
    case UnaryMath::GeluDerivative:
      return phi + x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * 3.14159265358979323846);
  }
  return 0.0;
}

// Every 997th float of the whole range (NaNs included), then the special values.
std::vector<float> sweep() {
  std::vector<float> values;
  for (uint64_t bits = 0; bits <= 0xFFFFFFFFULL; bits += 997) {
    const auto pattern = static_cast<uint32_t>(bits);
    float v = 0.0F;
    std::memcpy(&v, &pattern, sizeof v);
    values.push_back(v);
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (const float v :
       {0.0F, -0.0F, inf, -inf, std::numeric_limits<float>::quiet_NaN(), 88.72F, 88.73F, -87.3F,
        -103.9F, -104.0F, -200.0F, 1e-30F, -1e-30F, 0.3465F, 0.3466F, 9.0F, -9.0F, 1e-8F}) {
    values.push_back(v);
  }
  return values;
}

}  // namespace

TEST_CASE("every unary_math variant is within 4 ulp of libm over the whole float range") {
  const std::vector<float> x = sweep();
  for (const kernels::UnaryMathVariant& variant : kernels::unary_math_variants()) {
    for (const UnaryMath fn : {UnaryMath::Exp, UnaryMath::Tanh, UnaryMath::Sigmoid}) {
      const std::string name = variant.name;
      CAPTURE(name);
      CAPTURE(static_cast<int>(fn));
      std::vector<float> y(x.size());
      variant.kernel(fn, x.data(), y.data(), static_cast<int64_t>(x.size()));
      int64_t worst = 0;
      float worst_at = 0.0F;
      for (size_t i = 0; i < x.size(); ++i) {
        const int64_t ulps = ulps_between(y[i], static_cast<float>(reference(fn, x[i])));
        if (ulps > worst) {
          worst = ulps;
          worst_at = x[i];
        }
      }
      CAPTURE(worst_at);
      CHECK(worst <= 4);
    }
  }
}

TEST_CASE("unary_math keeps libm's special values: infinities, NaN, signed zero, over/underflow") {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {
      inf, -inf, std::numeric_limits<float>::quiet_NaN(), -0.0F, 89.0F, -110.0F, 30.0F, -30.0F};
  for (const kernels::UnaryMathVariant& variant : kernels::unary_math_variants()) {
    const std::string name = variant.name;
    CAPTURE(name);
    std::vector<float> y(x.size());
    variant.kernel(UnaryMath::Exp, x.data(), y.data(), static_cast<int64_t>(x.size()));
    CHECK(y[0] == inf);
    CHECK(y[1] == 0.0F);
    CHECK(std::isnan(y[2]));
    CHECK(y[3] == 1.0F);
    CHECK(y[4] == inf);  // e^89 overflows float
    CHECK(y[5] == 0.0F);
    variant.kernel(UnaryMath::Tanh, x.data(), y.data(), static_cast<int64_t>(x.size()));
    CHECK(y[0] == 1.0F);
    CHECK(y[1] == -1.0F);
    CHECK(std::isnan(y[2]));
    CHECK((y[3] == 0.0F && std::signbit(y[3])));
    CHECK(y[6] == 1.0F);
    CHECK(y[7] == -1.0F);
    variant.kernel(UnaryMath::Sigmoid, x.data(), y.data(), static_cast<int64_t>(x.size()));
    CHECK(y[0] == 1.0F);
    CHECK(y[1] == 0.0F);
    CHECK(std::isnan(y[2]));
    CHECK(y[3] == 0.5F);
    CHECK(y[5] == 0.0F);
  }
}

TEST_CASE("unary_math handles every length up to a few vector widths, in place too") {
  for (const kernels::UnaryMathVariant& variant : kernels::unary_math_variants()) {
    const std::string name = variant.name;
    CAPTURE(name);
    for (int64_t n = 0; n <= 37; ++n) {
      std::vector<float> x(static_cast<size_t>(n) + 1, 7.0F);  // one guard element past the end
      for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = 0.25F * static_cast<float>(i - 9);
      std::vector<float> y = x;
      variant.kernel(UnaryMath::Tanh, x.data(), y.data(), n);
      variant.kernel(UnaryMath::Tanh, x.data(), x.data(), n);  // in place
      for (int64_t i = 0; i < n; ++i) {
        const auto k = static_cast<size_t>(i);
        CHECK(ulps_between(y[k], std::tanh(0.25F * static_cast<float>(i - 9))) <= 4);
        CHECK(x[k] == y[k]);
      }
      CHECK(y[static_cast<size_t>(n)] == 7.0F);  // nothing written past n
    }
  }
}

TEST_CASE("fast_erfc is within a relative 5e-7 of erfc wherever that is a normal float") {
  double worst = 0.0;
  float worst_at = 0.0F;
  for (float x = -10.0F; x < 9.2F; x += 1.0F / 4096.0F) {
    const double truth = std::erfc(static_cast<double>(x));
    const double error = std::fabs(static_cast<double>(kernels::fast_erfc(x)) - truth) / truth;
    if (error > worst) {
      worst = error;
      worst_at = x;
    }
  }
  CAPTURE(worst_at);
  CHECK(worst <= 5e-7);
  const float inf = std::numeric_limits<float>::infinity();
  CHECK(kernels::fast_erfc(inf) == 0.0F);
  CHECK(kernels::fast_erfc(-inf) == 2.0F);
  CHECK(kernels::fast_erfc(0.0F) == doctest::Approx(1.0F).epsilon(1e-7));
  CHECK(std::isnan(kernels::fast_erfc(std::numeric_limits<float>::quiet_NaN())));
}

TEST_CASE("GELU and its derivative through every unary_math variant match the erfc formula") {
  for (const kernels::UnaryMathVariant& variant : kernels::unary_math_variants()) {
    const std::string name = variant.name;
    CAPTURE(name);
    std::vector<float> x;
    for (float v = -20.0F; v <= 20.0F; v += 1.0F / 512.0F) x.push_back(v);
    std::vector<float> y(x.size());
    std::vector<float> dy(x.size());
    const auto n = static_cast<int64_t>(x.size());
    variant.kernel(UnaryMath::Gelu, x.data(), y.data(), n);
    variant.kernel(UnaryMath::GeluDerivative, x.data(), dy.data(), n);
    double worst_value = 0.0;
    double worst_slope = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
      const double value = reference(UnaryMath::Gelu, x[i]);
      const double slope = reference(UnaryMath::GeluDerivative, x[i]);
      // relative where erfc stays a normal float; the slope crosses 0, so against 1 + |x|
      if (std::fabs(value) > 1e-30) {
        worst_value = std::max(worst_value, std::fabs(y[i] - value) / std::fabs(value));
      }
      worst_slope = std::max(worst_slope, std::fabs(dy[i] - slope) / (1.0 + std::fabs(x[i])));
    }
    CHECK(worst_value <= 1e-6);
    CHECK(worst_slope <= 1e-6);
  }
}
