// Every op recorded anywhere in the suite has a gradcheck case. Each suite's process writes the
// names of the ops it recorded into the folder MINIDL_RECORDED_OPS (see recorded_ops.h); CTest
// runs this check after all of them. Run by hand, without the variable, it checks the ops
// recorded while running every gradcheck case in this process.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "gradcheck_registry.h"
#include "recorded_ops.h"

using namespace minidl;

namespace {

// The names in every *.ops file of `folder`.
std::set<std::string> read_recorded(const std::filesystem::path& folder) {
  std::set<std::string> ops;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".ops") continue;
    std::ifstream in(entry.path());
    for (std::string op; std::getline(in, op);) ops.insert(op);
  }
  return ops;
}

}  // namespace

TEST_CASE("every op recorded anywhere in the suite has a gradcheck case") {
  std::set<std::string> ops;
  if (const char* folder = std::getenv("MINIDL_RECORDED_OPS"); folder != nullptr) {
    REQUIRE_MESSAGE(std::filesystem::is_directory(folder),
                    "no suite wrote its recorded ops into " << folder);
    ops = read_recorded(folder);
  } else {
    for (const auto& c : testing::gradcheck_cases()) c.fn(c.inputs);
    ops = testing::recorded_ops();
  }
  CHECK(ops.size() > 20);  // the suites did record (a typo in the folder would find none)
  for (const std::string& op : ops) {
    if (testing::kDeliberatelyWrongOps.contains(op)) continue;
    const bool covered =
        std::any_of(testing::gradcheck_cases().begin(), testing::gradcheck_cases().end(),
                    [&](const testing::GradcheckCase& c) { return c.op == op; });
    INFO("op recorded by the suite without a gradcheck case: " << op);
    CHECK(covered);
  }
}
