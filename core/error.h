// minidl::Error and MINIDL_CHECK: the one way library code reports a user's mistake.
// Messages name the op (or file) and the offending shapes/values, e.g.
//   matmul: inner dimensions differ: [64, 784] @ [128, 10]
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>
#include <string>

namespace minidl {

/// The exception every minidl API throws for bad input (shapes, values, files, options).
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace minidl

/// Throws minidl::Error with an fmt-formatted message when `cond` is false.
#define MINIDL_CHECK(cond, ...)                                   \
  do {                                                            \
    if (!(cond)) throw ::minidl::Error(fmt::format(__VA_ARGS__)); \
  } while (false)
