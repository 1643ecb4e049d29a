// What `mnist` prints while it trains: on a terminal, one live line redrawn in place during an
// epoch; on every output, one line per finished epoch.
#pragma once

#include <cstdint>

#include "train/metrics.h"

namespace minidl::examples {

/// The live progress line and the per-epoch summary lines.
class ProgressLine {
 public:
  /// `live`: draw the in-place line (only on a terminal).
  explicit ProgressLine(bool live) : live_(live) {}
  /// Redraws the live line every 20 batches and at the last batch (nothing when not live).
  void update(int64_t epoch, int64_t epochs, int64_t batch, int64_t batches,
              const train::Tally& tally, double elapsed_seconds) const;
  /// Clears the live line and prints the epoch's summary.
  void finish_epoch(int64_t epoch, int64_t epochs, const train::Tally& train,
                    const train::Tally& test, double lr, double seconds) const;

 private:
  bool live_;
};

}  // namespace minidl::examples
