// The ops recorded by autograd in this test process, collected through autograd::set_record_hook
// by the shared test main (test_main.cpp). When the environment variable MINIDL_RECORDED_OPS
// names a folder, the main also writes them there at exit, one file per process, so that
// test_gradcheck_coverage can check that every op recorded anywhere in the suite has a gradcheck
// case (CTest runs it after every other suite).
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace minidl::testing {

/// The name of every op recorded in this process so far.
std::set<std::string> recorded_ops();

/// Collects the names of the ops recorded on this thread while it lives.
class RecordCapture {
 public:
  RecordCapture();
  ~RecordCapture();
  RecordCapture(const RecordCapture&) = delete;
  RecordCapture& operator=(const RecordCapture&) = delete;
  /// The ops recorded since construction.
  const std::set<std::string>& ops() const { return ops_; }

 private:
  friend void remember_recorded(std::string_view op);
  std::set<std::string> ops_;
  RecordCapture* outer_;
};

/// The record hook the test main installs: adds `op` to recorded_ops() and to this thread's
/// active RecordCapture, if any.
void remember_recorded(std::string_view op);

}  // namespace minidl::testing
