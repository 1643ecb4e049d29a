// The bad-input table of data (see bad_input_table.h): loader options, datasets, samplers whose
// indices break their contract, and IDX files.
#include <cstdint>
#include <limits>

#include "bad_input_table.h"
#include "minidl.h"

using namespace minidl;
using minidl::testing::BadInput;
using minidl::testing::tiny_dataset;

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// A sampler that claims `size` indices per epoch and returns `indices`.
class FixedSampler : public data::Sampler {
 public:
  FixedSampler(int64_t size, std::vector<int64_t> indices)
      : size_(size), indices_(std::move(indices)) {}
  int64_t size() const override { return size_; }
  std::vector<int64_t> indices(int64_t /*epoch*/) const override { return indices_; }

 private:
  int64_t size_;
  std::vector<int64_t> indices_;
};

// The first batch of a 4-example loader whose sampler claims `size` and returns `indices`.
void first_batch(int64_t size, std::vector<int64_t> indices) {
  data::DataLoader loader(
      tiny_dataset(4),
      {.batch_size = 2, .sampler = std::make_shared<FixedSampler>(size, std::move(indices))});
  for (const data::Example& batch : loader) {
    (void)batch;
    break;
  }
}

std::vector<BadInput> loader_rows() {
  return {
      {"DataLoader: batch size 0", [] { data::DataLoader(tiny_dataset(4), {.batch_size = 0}); },
       "DataLoader: batch_size must be positive, got 0"},
      {"DataLoader: negative batch size",
       [] { data::DataLoader(tiny_dataset(4), {.batch_size = -3}); },
       "DataLoader: batch_size must be positive, got -3"},
      {"DataLoader: empty dataset", [] { data::DataLoader(tiny_dataset(0), {.batch_size = 2}); },
       "DataLoader: the dataset is empty"},
      {"DataLoader: no dataset", [] { data::DataLoader(nullptr, {.batch_size = 2}); },
       "DataLoader: no dataset"},
      {"TensorDataset: inputs and targets of different lengths",
       [] {
         data::TensorDataset(zeros({4, 3}), zeros({5}));
       },
       "TensorDataset: 4 inputs (shape [4, 3]) but 5 targets (shape [5])"},
      {"Dataset: index out of range", [] { (void)tiny_dataset(4)->get(4); },
       "TensorDataset: index 4 out of range for a dataset of 4 examples"},
      {"MNIST: a folder without the files",
       [] { data::MNIST("/nonexistent-minidl-dir", data::Split::Test); },
       "file not found (run scripts/fetch_mnist.sh"},
      {"MNIST: IDX bytes with the wrong magic",
       [] { data::parse_idx(std::string("\x00\x00\x09\x01\x00\x00\x00\x00", 8), "x.idx", 1); },
       "x.idx: wrong magic number"},
      {"MNIST: IDX file shorter than its header says",
       [] { data::parse_idx(std::string("\x00\x00\x08\x01\x00\x00\x00\x05\x01", 9), "y.idx", 1); },
       "y.idx: truncated file"},
  };
}

std::vector<BadInput> sampler_rows() {
  return {
      {"Sampler: fewer indices than its size claims",
       [] {
         first_batch(4, {0, 1, 2});
       },
       "DataLoader: the sampler returned 3 indices for epoch 0, but its size() is 4"},
      {"Sampler: more indices than its size claims",
       [] {
         first_batch(2, {0, 1, 2, 3, 0});
       },
       "DataLoader: the sampler returned 5 indices for epoch 0, but its size() is 2"},
      {"Sampler: an index past the dataset",
       [] {
         first_batch(2, {0, 7});
       },
       "DataLoader: the sampler's index 7 (position 1 of epoch 0) is out of range for a dataset "
       "of 4 examples"},
      {"Sampler: a negative index, in a later batch",
       [] {
         first_batch(4, {0, 1, 2, -1});
       },
       "DataLoader: the sampler's index -1 (position 3 of epoch 0) is out of range"},
      {"Sampler: DataLoader::batch checks as well",
       [] {
         data::DataLoader(tiny_dataset(4),
                          {.sampler = std::make_shared<FixedSampler>(1, std::vector<int64_t>{9})})
             .batch(0, 0);
       },
       "DataLoader: the sampler's index 9"},
      {"DistributedSampler: dataset size plus world overflows",
       [] { data::DistributedSampler({.dataset_size = kMax, .world = kMax}); },
       "DistributedSampler: dataset_size 9223372036854775807 plus world 9223372036854775807 "
       "overflows int64"},
      {"random_split: sizes whose sum overflows",
       [] {
         data::random_split(tiny_dataset(4), {kMax, 1, 3}, 0);
       },
       "random_split: 9223372036854775807 + 1 overflows int64"},
      {"make_spirals: per_class * classes overflows",
       [] {
         Generator generator(1);
         data::make_spirals(int64_t{1} << 40, int64_t{1} << 40, 0.0F, generator);
       },
       "make_spirals: 1099511627776 * 1099511627776 overflows int64"},
      {"make_moons: more samples than the memory holds",
       [] {
         Generator generator(1);
         data::make_moons(int64_t{1} << 60, 0.0F, generator);
       },
       "make_moons: shape"},
  };
}

}  // namespace

TEST_CASE("data refuses bad batch sizes, empty or mismatched datasets and broken IDX files") {
  minidl::testing::check_rows(loader_rows());
}

TEST_CASE("a sampler's indices are checked (count and range) before any example is read") {
  minidl::testing::check_rows(sampler_rows());
}

TEST_CASE("Words refuses a missing file, a list with no word and symbols outside its vocabulary") {
  minidl::testing::check_rows({
      {"Words: a missing file", [] { data::Words(minidl::testing::scratch_path("no-such-words")); },
       "no-such-words"},
      {"Words: no lowercase word", [] { data::Words(std::vector<std::string>{}); },
       "Words: no lowercase a-z word in the list"},
      {"Words: a word with an uppercase letter",
       [] {
         data::Words(std::vector<std::string>{"ok", "Bad"});
       },
       "Words: word 1 (\"Bad\") is not a non-empty lowercase a-z word"},
      {"Words::encode: a digit", [] { data::Words::encode('7'); },
       "Words::encode: '7' (code 55) is not '.' or a-z"},
      {"Words::decode: index 27", [] { data::Words::decode(int64_t{27}); },
       "Words::decode: index 27 is outside [0, 27)"},
      {"Words::decode: a fractional index", [] { data::Words::decode(from_vector({0.5F})); },
       "Words::decode: 0.5 is not a whole number in [0, 27)"},
      {"Words::context_examples: context 0", [] { data::Words::context_examples({"a"}, 0); },
       "Words::context_examples: context must be positive, got 0"},
      {"Words::sequences: no words", [] { data::Words::sequences({}); },
       "Words::sequences: no words"},
  });
}
