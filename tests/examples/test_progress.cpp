// The live progress line of examples/mnist fits the terminal it is drawn on.
#include <doctest/doctest.h>

#include "examples/mnist/progress.h"

using namespace minidl::examples;

namespace {

const EpochProgress kMidEpoch{.epoch = 3,
                              .epochs = 15,
                              .batch = 400,
                              .batches = 938,
                              .loss = 0.123456,
                              .accuracy = 0.97125,
                              .images_per_second = 31234.5,
                              .eta_seconds = 17.4};

}  // namespace

TEST_CASE("the live line stays shorter than the terminal at every width") {
  for (int columns : {20, 40, 60, 79, 80, 100, 120, 200}) {
    INFO("columns " << columns);
    CHECK(static_cast<int>(progress_text(kMidEpoch, columns).size()) < columns);
  }
}

TEST_CASE("on an 80-column terminal the line shows the bar, loss, accuracy, images/s and ETA") {
  const std::string line = progress_text(kMidEpoch, 80);
  CHECK(line.find("epoch 3/15 [") == 0);
  CHECK(line.find('#') != std::string::npos);
  CHECK(line.find(" 43%") != std::string::npos);
  CHECK(line.find("loss 0.1235") != std::string::npos);
  CHECK(line.find("acc 97.12%") != std::string::npos);
  CHECK(line.find("31234 img/s") != std::string::npos);
  CHECK(line.find("ETA 17s") != std::string::npos);
}

TEST_CASE("a narrow terminal drops the bar before any number") {
  const std::string line = progress_text(kMidEpoch, 70);
  CHECK(line.find('[') == std::string::npos);
  CHECK(line.find("ETA 17s") != std::string::npos);
}
