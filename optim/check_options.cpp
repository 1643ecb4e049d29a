// Option checks shared by every optimizer and schedule constructor (see check_options.h).
#include "optim/check_options.h"

#include <cmath>

#include "core/error.h"

namespace minidl::optim::detail {

void check_lr(std::string_view owner, std::string_view option, double value) {
  MINIDL_CHECK(std::isfinite(value) && value >= 0.0, "{}: {} must be a finite number >= 0, got {}",
               owner, option, value);
}

void check_non_negative(std::string_view owner, std::string_view option, double value) {
  MINIDL_CHECK(std::isfinite(value) && value >= 0.0, "{}: {} must be >= 0, got {}", owner, option,
               value);
}

void check_positive(std::string_view owner, std::string_view option, double value) {
  MINIDL_CHECK(std::isfinite(value) && value > 0.0, "{}: {} must be > 0, got {}", owner, option,
               value);
}

void check_unit_interval(std::string_view owner, std::string_view option, double value) {
  MINIDL_CHECK(value >= 0.0 && value < 1.0, "{}: {} must be in [0, 1), got {}", owner, option,
               value);
}

void check_count(std::string_view owner, std::string_view option, int64_t value, int64_t minimum) {
  MINIDL_CHECK(value >= minimum, "{}: {} must be >= {}, got {}", owner, option, minimum, value);
}

int64_t checked_product(std::string_view owner, std::string_view what, int64_t a, int64_t b) {
  int64_t product = 0;
  MINIDL_CHECK(!__builtin_mul_overflow(a, b, &product),
               "{}: {}: {} · {} does not fit in a 64-bit integer", owner, what, a, b);
  return product;
}

}  // namespace minidl::optim::detail
