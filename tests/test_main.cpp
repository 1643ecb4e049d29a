// The doctest runner shared by every suite. It also collects the name of every op the suite
// records (see recorded_ops.h).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string_view>

#include "core/autograd/node.h"
#include "recorded_ops.h"

namespace minidl::testing {

namespace {

std::mutex recorded_mutex;
std::set<std::string> recorded;
thread_local RecordCapture* active_capture = nullptr;

// Writes the recorded names to <folder>/<pid>.ops, one per line.
void write_recorded(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  std::ofstream out(folder / (std::to_string(getpid()) + ".ops"));
  for (const std::string& op : recorded_ops()) out << op << '\n';
}

}  // namespace

void remember_recorded(std::string_view op) {
  if (active_capture != nullptr) active_capture->ops_.emplace(op);
  std::lock_guard<std::mutex> lock(recorded_mutex);
  recorded.emplace(op);
}

RecordCapture::RecordCapture() : outer_(active_capture) { active_capture = this; }

RecordCapture::~RecordCapture() { active_capture = outer_; }

std::set<std::string> recorded_ops() {
  std::lock_guard<std::mutex> lock(recorded_mutex);
  return recorded;
}

}  // namespace minidl::testing

int main(int argc, char** argv) {
  minidl::autograd::set_record_hook(minidl::testing::remember_recorded);
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (const char* folder = std::getenv("MINIDL_RECORDED_OPS"); folder != nullptr) {
    minidl::testing::write_recorded(folder);
  }
  minidl::autograd::set_record_hook(nullptr);
  return result;
}
