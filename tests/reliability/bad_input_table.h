// The shape of every bad-input table (test_bad_inputs_*.cpp, one per module): wrong input to a
// public API must end in a minidl::Error whose message says what was wrong — never a crash, a
// hang, a silent NaN or another exception type (std::bad_alloc, std::filesystem_error). Each
// row is {what is wrong, the call, a piece of the message it must give}. The suite also runs
// under ASan + UBSan, which turns an out-of-bounds read or an overflow on the way into a failure.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/factories.h"
#include "data/dataset.h"

namespace minidl::testing {

/// One row: a call that must throw minidl::Error with `expected` in its message.
struct BadInput {
  const char* description;
  std::function<void()> action;
  const char* expected;  // a piece of the error message
};

/// Runs every row and checks that it throws minidl::Error containing its expected text.
inline void check_rows(const std::vector<BadInput>& rows) {
  for (const BadInput& row : rows) {
    const std::string description = row.description;
    CAPTURE(description);
    std::string message;
    std::string other_exception;
    try {
      row.action();
    } catch (const Error& error) {
      message = error.what();
    } catch (const std::exception& error) {
      other_exception = error.what();
    } catch (...) {
      other_exception = "(not a std::exception)";
    }
    CAPTURE(message);
    CHECK(other_exception.empty());
    CHECK_FALSE(message.empty());  // it threw minidl::Error
    CHECK(message.find(row.expected) != std::string::npos);
  }
}

/// A path in the temp folder that no other test process uses: "minidl-bad-<pid>-<name>".
inline std::string scratch_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("minidl-bad-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

/// A dataset of `n` examples of three zeros, labelled 0.
inline std::shared_ptr<data::TensorDataset> tiny_dataset(int64_t n) {
  return std::make_shared<data::TensorDataset>(zeros({n, 3}), zeros({n}));
}

}  // namespace minidl::testing
