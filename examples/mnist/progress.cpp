// The progress line of examples/mnist (see progress.h).
#include "examples/mnist/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace minidl::examples {

void ProgressLine::update(int64_t epoch, int64_t epochs, int64_t batch, int64_t batches,
                          const train::Tally& tally, double elapsed_seconds) const {
  if (!live_ || (batch % 20 != 0 && batch != batches)) return;
  constexpr int kWidth = 30;
  const double done = static_cast<double>(batch) / static_cast<double>(batches);
  const auto filled = static_cast<int>(done * kWidth);
  const double rate = static_cast<double>(tally.seen) / std::max(elapsed_seconds, 1e-9);
  const double eta = done > 0.0 ? elapsed_seconds * (1.0 - done) / done : 0.0;
  fmt::print(
      "\repoch {}/{} [{}{}] {:3.0f}%  loss {:.4f}  acc {:5.2f}%  {:6.0f} img/s  ETA {:4.0f}s ",
      epoch, epochs, std::string(static_cast<size_t>(filled), '#'),
      std::string(static_cast<size_t>(kWidth - filled), '.'), done * 100.0, tally.loss(),
      tally.accuracy() * 100.0, rate, eta);
  std::fflush(stdout);
}

void ProgressLine::finish_epoch(int64_t epoch, int64_t epochs, const train::Tally& train,
                                const train::Tally& test, double lr, double seconds) const {
  if (live_) fmt::print("\r{}\r", std::string(110, ' '));
  fmt::print(
      "epoch {}/{}  train loss {:.4f}  train acc {:.2f}%  test loss {:.4f}  test acc {:.2f}%  "
      "lr {:.3g}  {:.1f}s ({:.0f} img/s)\n",
      epoch, epochs, train.loss(), train.accuracy() * 100.0, test.loss(), test.accuracy() * 100.0,
      lr, seconds, static_cast<double>(train.seen) / seconds);
}

}  // namespace minidl::examples
