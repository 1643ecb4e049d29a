// Option checks shared by every optimizer and schedule constructor. Each throws minidl::Error with
// a message naming the algorithm, the option and the offending value, e.g.
//   Adam: beta2 must be in [0, 1), got 1.5
#pragma once

#include <cstdint>
#include <string_view>

namespace minidl::optim::detail {

/// A learning rate: finite and >= 0 (NaN and infinity are refused).
void check_lr(std::string_view owner, std::string_view option, double value);
/// Finite and >= 0 (eps, weight decay, lr decay, ...).
void check_non_negative(std::string_view owner, std::string_view option, double value);
/// Finite and > 0 (factors that divide or multiply every step).
void check_positive(std::string_view owner, std::string_view option, double value);
/// In [0, 1) (momentum, betas, decay rates).
void check_unit_interval(std::string_view owner, std::string_view option, double value);
/// An integer count >= `minimum`.
void check_count(std::string_view owner, std::string_view option, int64_t value, int64_t minimum);
/// a · b for counts derived from options; throws naming `owner` and `what` when the product does
/// not fit in int64 (instead of wrapping around).
int64_t checked_product(std::string_view owner, std::string_view what, int64_t a, int64_t b);

}  // namespace minidl::optim::detail
