// The attention picture of examples/char_lm --attention-plot: how much each position of a word
// attends to the positions before it, in every block of the tiny GPT (averaged over the heads),
// as a gnuplot heat map (SVG) with its data (CSV) and script beside it.
#pragma once

#include <string>

#include "examples/char_lm/gpt_model.h"

namespace minidl::examples {

/// Draws `model`'s attention over ".word" (its last `context` symbols) into `svg_path`; writes
/// the weights to the .csv and the gnuplot script to the .gp of the same name. Returns true when
/// the SVG was written (false without gnuplot, after saying how to install it).
bool plot_attention(GptModel& model, const std::string& word, const std::string& svg_path);

}  // namespace minidl::examples
