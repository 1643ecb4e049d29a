// data::Words: filtering a word list, the every-10th-word validation split, the 27-symbol
// vocabulary, and the context-window and padded-sequence examples. Uses a temp file, never the
// system word list.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "minidl.h"

using namespace minidl;

namespace {

// A word list in a temp file of its own, removed at the end of the test.
class WordFile {
 public:
  explicit WordFile(const std::string& text)
      : path_((std::filesystem::temp_directory_path() /
               ("minidl-words-" + std::to_string(::getpid()) + ".txt"))
                  .string()) {
    std::ofstream(path_) << text;
  }
  ~WordFile() { std::filesystem::remove(path_); }
  WordFile(const WordFile&) = delete;
  WordFile& operator=(const WordFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> numbered_words(int count) {  // "ba", "bb", ... distinct lowercase words
  std::vector<std::string> words;
  for (int i = 0; i < count; ++i) {
    words.push_back(std::string(1, static_cast<char>('b' + i / 26)) +
                    static_cast<char>('a' + i % 26));
  }
  return words;
}

}  // namespace

TEST_CASE("Words keeps only non-empty lowercase a-z lines, in file order") {
  WordFile file("apple\nAaron\nbob's\n\ncat\r\ncafé\nx y\nzebra\nDOG\nz");
  data::Words words(file.path());
  // kept: apple, cat, zebra, z; the first (index 0) is validation
  CHECK(words.validation() == std::vector<std::string>{"apple"});
  CHECK(words.train() == std::vector<std::string>{"cat", "zebra", "z"});
  CHECK(words.max_length() == 5);
}

TEST_CASE("Words puts every 10th word counting from the first into validation") {
  const std::vector<std::string> all = numbered_words(25);
  data::Words words(all);
  CHECK(words.validation() == std::vector<std::string>{all[0], all[10], all[20]});
  REQUIRE(words.train().size() == 22);
  CHECK(words.train().front() == all[1]);
  CHECK(words.train()[8] == all[9]);
  CHECK(words.train()[9] == all[11]);
}

TEST_CASE("Words encodes '.' as 0 and a-z as 1-26, and decodes back") {
  CHECK(data::Words::encode('.') == 0);
  CHECK(data::Words::encode('a') == 1);
  CHECK(data::Words::encode('z') == 26);
  CHECK(data::Words::encode(".emma.") == std::vector<int64_t>{0, 5, 13, 13, 1, 0});
  CHECK(data::Words::decode(0) == '.');
  CHECK(data::Words::decode(26) == 'z');
  CHECK(data::Words::decode(from_vector({5, 13, 13, 1, 0})) == "emma.");
}

TEST_CASE("Words context examples slide a '.'-padded window over each word and its end") {
  data::TensorDataset examples = data::Words::context_examples({"ab", "c"}, 3);
  CHECK(examples.inputs().shape() == Shape{5, 3});
  CHECK(examples.inputs().to_vector() ==
        std::vector<float>{0, 0, 0, 0, 0, 1, 0, 1, 2, 0, 0, 0, 0, 0, 3});
  CHECK(examples.targets().to_vector() == std::vector<float>{1, 2, 0, 3, 0});
}

TEST_CASE("Words sequences pad whole words and mask the padding") {
  data::WordSequences batch = data::Words::sequences({"ab", "c"});
  CHECK(batch.inputs.shape() == Shape{2, 3});
  CHECK(batch.inputs.to_vector() == std::vector<float>{0, 1, 2, 0, 3, 0});
  CHECK(batch.targets.to_vector() == std::vector<float>{1, 2, 0, 3, 0, 0});
  CHECK(batch.mask.to_vector() == std::vector<float>{1, 1, 1, 1, 1, 0});
}
