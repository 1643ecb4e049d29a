// data::Words (see words.h).
#include "data/words.h"

#include <algorithm>

#include "core/error.h"
#include "core/factories.h"
#include "core/serialize.h"
#include "core/shape.h"

namespace minidl::data {

namespace {

bool lowercase_word(std::string_view line) {
  return !line.empty() &&
         std::all_of(line.begin(), line.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// The kept words of a file's text, in order.
std::vector<std::string> read_words(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (lowercase_word(line)) words.emplace_back(line);
    start = end + 1;
  }
  return words;
}

}  // namespace

Words::Words(const std::string& path) : Words(read_words(io::read_file(path))) {}

Words::Words(const std::vector<std::string>& words) {
  MINIDL_CHECK(!words.empty(), "Words: no lowercase a-z word in the list");
  for (size_t i = 0; i < words.size(); ++i) {
    MINIDL_CHECK(lowercase_word(words[i]),
                 "Words: word {} (\"{}\") is not a non-empty lowercase a-z word", i, words[i]);
    (i % 10 == 0 ? validation_ : train_).push_back(words[i]);
    max_length_ = std::max(max_length_, static_cast<int64_t>(words[i].size()));
  }
}

int64_t Words::encode(char c) {
  if (c == kBoundary) return 0;
  MINIDL_CHECK(c >= 'a' && c <= 'z', "Words::encode: '{}' (code {}) is not '.' or a-z", c,
               static_cast<int>(static_cast<unsigned char>(c)));
  return c - 'a' + 1;
}

std::vector<int64_t> Words::encode(std::string_view text) {
  std::vector<int64_t> indices;
  indices.reserve(text.size());
  for (char c : text) indices.push_back(encode(c));
  return indices;
}

char Words::decode(int64_t index) {
  MINIDL_CHECK(index >= 0 && index < kVocabSize, "Words::decode: index {} is outside [0, {})",
               index, kVocabSize);
  return index == 0 ? kBoundary : static_cast<char>('a' + index - 1);
}

std::string Words::decode(const Tensor& indices) {
  std::string text;
  for (float value : indices.to_vector()) {
    const FloatIndex checked = float_index(value, kVocabSize);
    MINIDL_CHECK(checked.in_range, "Words::decode: {} is not a whole number in [0, {})", value,
                 kVocabSize);
    text.push_back(decode(checked.index));
  }
  return text;
}

TensorDataset Words::context_examples(const std::vector<std::string>& words, int64_t context) {
  MINIDL_CHECK(context > 0, "Words::context_examples: context must be positive, got {}", context);
  MINIDL_CHECK(!words.empty(), "Words::context_examples: no words");
  std::vector<float> inputs;   // [M, context]
  std::vector<float> targets;  // [M]
  for (const std::string& word : words) {
    std::vector<float> window(static_cast<size_t>(context), 0.0F);  // starts as ". . ."
    for (int64_t next : encode(word + kBoundary)) {
      inputs.insert(inputs.end(), window.begin(), window.end());
      targets.push_back(static_cast<float>(next));
      window.erase(window.begin());
      window.push_back(static_cast<float>(next));
    }
  }
  const auto count = static_cast<int64_t>(targets.size());
  return {from_vector(inputs, {count, context}), from_vector(targets, {count})};
}

WordSequences Words::sequences(const std::vector<std::string>& words) {
  MINIDL_CHECK(!words.empty(), "Words::sequences: no words");
  size_t longest = 0;
  for (const std::string& word : words) longest = std::max(longest, word.size());
  const auto rows = static_cast<int64_t>(words.size());
  const auto length = static_cast<int64_t>(longest) + 1;  // L
  WordSequences out{zeros({rows, length}), zeros({rows, length}), zeros({rows, length})};
  float* inputs = out.inputs.data();
  float* targets = out.targets.data();
  float* mask = out.mask.data();
  for (int64_t r = 0; r < rows; ++r) {
    const std::vector<int64_t> symbols = encode(words[static_cast<size_t>(r)] + kBoundary);
    for (size_t t = 0; t < symbols.size(); ++t) {
      const int64_t at = r * length + static_cast<int64_t>(t);
      if (t + 1 < symbols.size()) inputs[at + 1] = static_cast<float>(symbols[t]);
      targets[at] = static_cast<float>(symbols[t]);
      mask[at] = 1.0F;
    }
  }
  return out;
}

}  // namespace minidl::data
