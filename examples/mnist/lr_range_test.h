// What `mnist --find-lr` shows of a learning-rate range test (train/lr_finder.h): a table of the
// rates and losses with the suggested row marked, a closing line with the suggestion, and a plot
// of the loss against the rate (an SVG through gnuplot, its CSV and script written beside it).
#pragma once

#include <cstdint>
#include <string>

#include "train/lr_finder.h"

namespace minidl::examples {

/// The range test as a table: step, lr, loss and smoothed loss for about `rows` evenly spaced
/// steps, plus the suggested step (marked "<- suggested") and the last one.
std::string lr_range_table(const train::LrFinderResult& result, int64_t rows = 25);

/// One line: the suggested rate and where the loss diverged, or why there is no suggestion.
std::string lr_range_summary(const train::LrFinderResult& result);

/// Writes the points as CSV and a gnuplot script next to `svg_path` (same name, .csv and .gp)
/// and runs gnuplot: raw and smoothed loss against the rate on a log axis, the suggestion
/// marked. Returns true when the SVG was written.
bool plot_lr_range_test(const train::LrFinderResult& result, const std::string& svg_path);

}  // namespace minidl::examples
