// data::Words: a word list for character-level language models in the style of "makemore".
// Reads one word per line, keeps the lowercase a-z words, splits them deterministically into
// training and validation words (every 10th word, counting from the first, is validation), and
// turns words into examples over a 27-symbol vocabulary: '.' (index 0) marks the start and end
// of a word, 'a'..'z' are 1..26. Indices are float tensors holding whole numbers, as everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"

namespace minidl::data {

/// Debian's word list (package wamerican), the default of Words.
inline constexpr const char* kDefaultWordsPath = "/usr/share/dict/american-english";

/// Whole words as padded sequences, one row per word, L = longest word + 1 columns:
/// inputs ". w1 w2 ... wn" and targets "w1 w2 ... wn ." (next character at each position);
/// positions past the word hold 0 in inputs and targets and 0 in mask (1 elsewhere).
struct WordSequences {
  Tensor inputs;   ///< [N, L] symbol indices
  Tensor targets;  ///< [N, L] the next symbol at each position
  Tensor mask;     ///< [N, L] 1 at positions of the word (and its end), 0 at padding
};

/// A word list split into training and validation words, with the 27-symbol vocabulary.
class Words {
 public:
  /// Number of symbols: '.' and 'a'..'z'.
  static constexpr int64_t kVocabSize = 27;
  /// The symbol that marks the start and end of a word (index 0).
  static constexpr char kBoundary = '.';

  /// Reads `path` (one word per line; '\r' before a newline is dropped) and keeps the lines that
  /// are non-empty and all lowercase a-z; throws when the file cannot be read or keeps no word.
  explicit Words(const std::string& path = kDefaultWordsPath);
  /// Splits `words` (each must be non-empty lowercase a-z) as the file constructor does.
  explicit Words(const std::vector<std::string>& words);

  /// The training words (all but every 10th), in file order.
  const std::vector<std::string>& train() const { return train_; }
  /// The validation words (the 1st, 11th, 21st, ... kept word), in file order.
  const std::vector<std::string>& validation() const { return validation_; }
  /// The length of the longest word, train and validation.
  int64_t max_length() const { return max_length_; }

  /// The index of symbol `c`: '.' -> 0, 'a'..'z' -> 1..26; throws for any other character.
  static int64_t encode(char c);
  /// The indices of every character of `text`.
  static std::vector<int64_t> encode(std::string_view text);
  /// The symbol of index 0..26.
  static char decode(int64_t index);
  /// The symbols of whole-number `indices` (any shape, read in row-major order).
  static std::string decode(const Tensor& indices);

  /// (context window -> next character) examples, as in Bengio et al. (2003): for each word and
  /// each of its characters and its end, the `context` symbols before it, '.'-padded at the
  /// start. Inputs [M, context], targets [M] (a 0-d tensor per example).
  static TensorDataset context_examples(const std::vector<std::string>& words, int64_t context);
  /// Whole-word padded sequences of `words` with L = longest of them + 1 (see WordSequences).
  static WordSequences sequences(const std::vector<std::string>& words);

 private:
  std::vector<std::string> train_;
  std::vector<std::string> validation_;
  int64_t max_length_ = 0;
};

}  // namespace minidl::data
