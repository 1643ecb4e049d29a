// The progress line of examples/mnist (see progress.h).
#include "examples/mnist/progress.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace minidl::examples {

namespace {

constexpr int kMaxBar = 30;  // the bar's width when there is room

}  // namespace

std::string progress_text(const EpochProgress& p, int columns) {
  const double done =
      p.batches > 0 ? static_cast<double>(p.batch) / static_cast<double>(p.batches) : 0.0;
  const std::string head = fmt::format("epoch {}/{}", p.epoch, p.epochs);
  const std::string tail =
      fmt::format("{:3.0f}%  loss {:.4f}  acc {:5.2f}%  {:.0f} img/s  ETA {:.0f}s", done * 100.0,
                  p.loss, p.accuracy * 100.0, p.images_per_second, p.eta_seconds);
  const int limit = std::max(columns - 1, 1);  // the last column would wrap the cursor
  const int room = limit - static_cast<int>(head.size() + tail.size()) - 4;  // " [" "] "
  std::string line = head + " " + tail;
  if (room >= 5) {
    const int width = std::min(room, kMaxBar);
    const auto filled = static_cast<int>(done * width);
    line = fmt::format("{} [{}{}] {}", head, std::string(static_cast<size_t>(filled), '#'),
                       std::string(static_cast<size_t>(width - filled), '.'), tail);
  }
  if (static_cast<int>(line.size()) > limit) line.resize(static_cast<size_t>(limit));
  return line;
}

int terminal_columns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    const int parsed = std::atoi(columns);
    if (parsed > 0) return parsed;
  }
  return 80;
}

void ProgressLine::update(int64_t epoch, int64_t epochs, int64_t batch, int64_t batches,
                          const train::Tally& tally, double elapsed_seconds) const {
  if (!live_ || (batch % 20 != 0 && batch != batches)) return;
  const double done = static_cast<double>(batch) / static_cast<double>(batches);
  const EpochProgress progress{
      .epoch = epoch,
      .epochs = epochs,
      .batch = batch,
      .batches = batches,
      .loss = tally.loss(),
      .accuracy = tally.accuracy(),
      .images_per_second = static_cast<double>(tally.seen) / std::max(elapsed_seconds, 1e-9),
      .eta_seconds = done > 0.0 ? elapsed_seconds * (1.0 - done) / done : 0.0};
  // "\r" back to the start of the row, the line, then "erase to the end of the row"
  fmt::print("\r{}\033[K", progress_text(progress, terminal_columns()));
  std::fflush(stdout);
}

void ProgressLine::finish_epoch(int64_t epoch, int64_t epochs, const train::Tally& train,
                                const train::Tally& test, double lr, double seconds) const {
  if (live_) fmt::print("\r\033[K");
  fmt::print(
      "epoch {}/{}  train loss {:.4f}  train acc {:.2f}%  test loss {:.4f}  test acc {:.2f}%  "
      "lr {:.3g}  {:.1f}s ({:.0f} img/s)\n",
      epoch, epochs, train.loss(), train.accuracy() * 100.0, test.loss(), test.accuracy() * 100.0,
      lr, seconds, static_cast<double>(train.seen) / seconds);
}

}  // namespace minidl::examples
