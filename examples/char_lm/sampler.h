// Drawing new words from a trained examples::CharModel: starting from '.', the next symbol is
// drawn from the softmax of the model's logits (multinomial sampling) until '.' comes.
#pragma once

#include <string>
#include <vector>

#include "core/generator.h"
#include "examples/char_lm/char_model.h"

namespace minidl::examples {

/// An index drawn with probability proportional to `weights` (non-negative, not all zero).
int64_t draw_index(const std::vector<float>& weights, Generator& generator);

/// One word drawn from `model` (at most `max_length` characters).
std::string sample_word(CharModel& model, Generator& generator, int64_t max_length = 30);

}  // namespace minidl::examples
