// What `mnist` prints while it trains: on a terminal, one live line redrawn in place during an
// epoch, never wider than the terminal; on every output, one line per finished epoch.
#pragma once

#include <cstdint>
#include <string>

#include "train/metrics.h"

namespace minidl::examples {

/// Where an epoch stands, for the live line.
struct EpochProgress {
  int64_t epoch = 0;
  int64_t epochs = 0;
  int64_t batch = 0;    ///< batches done
  int64_t batches = 0;  ///< batches in the epoch
  double loss = 0.0;
  double accuracy = 0.0;  ///< fraction in [0, 1]
  double images_per_second = 0.0;
  double eta_seconds = 0.0;
};

/// The live line for a terminal `columns` wide: epoch, a bar, percent, loss, accuracy, images/s
/// and ETA; the bar shrinks, then goes, then the text is cut, so that the line stays shorter than
/// `columns` (the cursor never wraps to a second row).
std::string progress_text(const EpochProgress& progress, int columns);

/// The width of the terminal on stdout (COLUMNS, else 80, when it cannot be asked).
int terminal_columns();

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
