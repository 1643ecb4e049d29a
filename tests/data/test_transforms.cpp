// Data augmentation: bilinear resampling and affine maps by value, elastic distortion's field,
// the random transforms' seeding, and a DataLoader that augments: deterministic for a seed
// whatever the batch size, a new draw every epoch, the labels untouched.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "minidl.h"

using namespace minidl;
using namespace minidl::data;

namespace {

// A [1, H, W] image whose pixel (x, y) holds value(x, y).
template <class Value>
Tensor image_of(int64_t height, int64_t width, Value value) {
  Tensor image = Tensor::empty({1, height, width});
  for (int64_t y = 0; y < height; ++y)
    for (int64_t x = 0; x < width; ++x) image.data()[y * width + x] = value(x, y);
  return image;
}

// The source coordinates that leave an image H x W unchanged, moved by (dx, dy).
std::pair<std::vector<float>, std::vector<float>> grid(int64_t height, int64_t width, float dx,
                                                       float dy) {
  std::vector<float> xs, ys;
  for (int64_t y = 0; y < height; ++y) {
    for (int64_t x = 0; x < width; ++x) {
      xs.push_back(static_cast<float>(x) + dx);
      ys.push_back(static_cast<float>(y) + dy);
    }
  }
  return {xs, ys};
}

void check_values(const Tensor& actual, const std::vector<float>& expected) {
  const std::vector<float> values = actual.to_vector();
  REQUIRE(values.size() == expected.size());
  for (size_t i = 0; i < values.size(); ++i) {
    INFO("pixel ", i);
    CHECK(values[i] == doctest::Approx(expected[i]).epsilon(1e-5));
  }
}

// 12 random 1x6x6 images labelled 0..11.
std::shared_ptr<TensorDataset> small_images() {
  Generator generator(5);
  return std::make_shared<TensorDataset>(randn({12, 1, 6, 6}, generator), arange(12.0F));
}

// Every example served in one epoch, by dataset index: its input values.
std::map<int64_t, std::vector<float>> served(DataLoader& loader) {
  std::map<int64_t, std::vector<float>> examples;
  for (const Example& batch : loader) {
    const std::vector<float> targets = batch.target.to_vector();
    for (size_t n = 0; n < targets.size(); ++n) {
      examples[static_cast<int64_t>(targets[n])] =
          batch.input.narrow(0, static_cast<int64_t>(n), 1).contiguous().to_vector();
    }
  }
  return examples;
}

const std::shared_ptr<const Transform> kAugment =
    std::make_shared<Compose>(std::vector<std::shared_ptr<const Transform>>{
        std::make_shared<RandomAffine>(RandomAffineOptions{
            .max_shift = 1.0, .max_rotation = 15.0, .min_scale = 0.9, .max_scale = 1.1}),
        std::make_shared<ElasticDistortion>(ElasticDistortionOptions{.alpha = 3.0, .sigma = 1.0})});

}  // namespace

TEST_CASE("resample at the pixel centres copies the image") {
  const Tensor image = image_of(3, 4, [](int64_t x, int64_t y) { return float(10 * y + x); });
  const auto [xs, ys] = grid(3, 4, 0.0F, 0.0F);
  check_values(resample(image, xs, ys), image.to_vector());
}

TEST_CASE("resample interpolates bilinearly and clamps outside points to the edge") {
  const Tensor image = image_of(2, 2, [](int64_t x, int64_t y) { return float(10 * y + x); });
  // (0.5, 0.5) averages all four; (0.25, 0) is a quarter of the way from 0 to 1; (-3, 1) and
  // (5, 7) lie outside and take the nearest edge pixel.
  const std::vector<float> xs = {0.5F, 0.25F, -3.0F, 5.0F};
  const std::vector<float> ys = {0.5F, 0.0F, 1.0F, 7.0F};
  check_values(resample(image, xs, ys), {5.5F, 0.25F, 10.0F, 11.0F});
  CHECK_THROWS_WITH(resample(image, std::vector<float>{0.0F}, ys),
                    "resample: 1 x and 4 y source coordinates for an image of 2x2 pixels");
  CHECK_THROWS_WITH(resample(zeros({2, 2}), xs, ys),
                    "resample: expected one image [C, H, W], got shape [2, 2]");
}

TEST_CASE("affine_warp shifts, rotates and scales the content about the centre") {
  const Tensor image = image_of(3, 3, [](int64_t x, int64_t y) { return float(10 * y + x); });
  // Shift right by one: each pixel takes its left neighbour's value; column 0 keeps the edge.
  check_values(affine_warp(image, {.shift_x = 1.0}), {0, 0, 1, 10, 10, 11, 20, 20, 21});
  // A quarter turn clockwise on screen: the top row becomes the right column.
  check_values(affine_warp(image, {.rotation_degrees = 90.0}), {20, 10, 0, 21, 11, 1, 22, 12, 2});
  // Twice as large: the centre stays, its neighbours sample halfway towards it.
  check_values(affine_warp(image, {.scale = 2.0}),
               {5.5F, 6.0F, 6.5F, 10.5F, 11.0F, 11.5F, 15.5F, 16.0F, 16.5F});
  CHECK_THROWS_WITH(affine_warp(image, {.scale = 0.0}),
                    "affine_warp: scale must be positive, got 0");
}

TEST_CASE("RandomAffine with empty ranges is the identity, and its draws follow the generator") {
  const Tensor image = image_of(5, 5, [](int64_t x, int64_t y) { return float(x * x + 3 * y); });
  Generator generator(1);
  check_values(RandomAffine({})(image, generator), image.to_vector());

  const RandomAffine random(
      {.max_shift = 2.0, .max_rotation = 30.0, .min_scale = 0.8, .max_scale = 1.2});
  Generator first(4), again(4), other(5);
  const std::vector<float> moved = random(image, first).to_vector();
  CHECK(moved == random(image, again).to_vector());
  CHECK(moved != random(image, other).to_vector());
  // The same parameters drawn by hand, in the documented order, give the same image.
  Generator by_hand(4);
  AffineMap params;
  params.rotation_degrees = by_hand.uniform(-30.0F, 30.0F);
  params.scale = by_hand.uniform(0.8F, 1.2F);
  params.shift_x = by_hand.uniform(-2.0F, 2.0F);
  params.shift_y = by_hand.uniform(-2.0F, 2.0F);
  check_values(affine_warp(image, params), moved);
}

TEST_CASE("elastic distortion moves pixels by a smooth field of at most alpha pixels") {
  // On a horizontal ramp the value is x, so output − input is the x-displacement wherever the
  // source point stays inside the image.
  constexpr int64_t kSize = 28;
  const Tensor ramp = image_of(kSize, kSize, [](int64_t x, int64_t) { return float(x); });
  Generator generator(2);
  const std::vector<float> moved =
      ElasticDistortion({.alpha = 8.0, .sigma = 4.0})(ramp, generator).to_vector();
  double largest = 0.0, largest_step = 0.0;
  for (int64_t y = 0; y < kSize; ++y) {
    for (int64_t x = 10; x < 17; ++x) {  // central columns: the source stays inside
      const double shift = moved[static_cast<size_t>(y * kSize + x)] - static_cast<double>(x);
      const double next =
          moved[static_cast<size_t>(y * kSize + x + 1)] - static_cast<double>(x + 1);
      largest = std::max(largest, std::abs(shift));
      largest_step = std::max(largest_step, std::abs(next - shift));
    }
  }
  CHECK(largest > 0.05);      // it moves
  CHECK(largest <= 8.0);      // by at most alpha
  CHECK(largest_step < 0.5);  // and smoothly: neighbours move nearly alike
  Generator unmoved(2);
  check_values(ElasticDistortion({.alpha = 0.0})(ramp, unmoved), ramp.to_vector());
}

TEST_CASE("Compose applies its transforms in order with one generator") {
  const Tensor image = image_of(6, 6, [](int64_t x, int64_t y) { return float(x + 7 * y); });
  const auto affine = std::make_shared<RandomAffine>(RandomAffineOptions{.max_rotation = 20.0});
  const auto elastic = std::make_shared<ElasticDistortion>(ElasticDistortionOptions{.alpha = 2.0});
  Generator together(8), in_turn(8);
  const Tensor composed = Compose({affine, elastic})(image, together);
  const Tensor first = (*affine)(image, in_turn);
  check_values(composed, (*elastic)(first, in_turn).to_vector());
  Generator unused(0);
  check_values(Compose({})(image, unused), image.to_vector());
}

TEST_CASE("image transforms refuse bad options and inputs that are not images") {
  CHECK_THROWS_WITH(RandomAffine({.max_shift = -1.0}),
                    "RandomAffine: max_shift must be >= 0, got -1");
  CHECK_THROWS_WITH(RandomAffine({.max_rotation = 200.0}),
                    "RandomAffine: max_rotation must be in [0, 180] degrees, got 200");
  CHECK_THROWS_WITH(RandomAffine({.min_scale = 1.2, .max_scale = 1.1}),
                    "RandomAffine: max_scale must be >= min_scale 1.2, got 1.1");
  CHECK_THROWS_WITH(ElasticDistortion({.alpha = -2.0}),
                    "ElasticDistortion: alpha must be >= 0, got -2");
  CHECK_THROWS_WITH(ElasticDistortion({.sigma = 0.0}),
                    "ElasticDistortion: sigma must be in (0, 1000] pixels, got 0");
  Generator generator(0);
  CHECK_THROWS_WITH(ElasticDistortion({})(zeros({784}), generator),
                    "ElasticDistortion: expected one image [C, H, W], got shape [784]");
}

TEST_CASE("an augmenting DataLoader keeps the labels and is deterministic for its seed") {
  auto dataset = small_images();
  DataLoader plain(dataset, {.batch_size = 4, .shuffle = true, .seed = 9});
  DataLoader augmented(dataset,
                       {.batch_size = 4, .shuffle = true, .seed = 9, .transform = kAugment});
  DataLoader same(dataset, {.batch_size = 4, .shuffle = true, .seed = 9, .transform = kAugment});
  DataLoader other_seed(dataset,
                        {.batch_size = 4, .shuffle = true, .seed = 10, .transform = kAugment});
  // The labels come in the same order as without augmentation; only the inputs change.
  for (int64_t batch = 0; batch < plain.size(); ++batch) {
    CHECK(augmented.batch(0, batch).target.to_vector() == plain.batch(0, batch).target.to_vector());
    CHECK(augmented.batch(0, batch).input.to_vector() != plain.batch(0, batch).input.to_vector());
  }
  const auto first = served(augmented);
  CHECK(first == served(same));
  CHECK(first != served(other_seed));
}

TEST_CASE("an example's augmentation depends on (seed, epoch, index) only") {
  auto dataset = small_images();
  DataLoader by_four(dataset, {.batch_size = 4, .shuffle = true, .seed = 9, .transform = kAugment});
  DataLoader by_five(dataset, {.batch_size = 5, .shuffle = true, .seed = 9, .transform = kAugment});
  const auto epoch0 = served(by_four);
  CHECK(epoch0 == served(by_five));  // another batch size: the same augmented examples
  const auto epoch1 = served(by_four);
  CHECK(epoch1 != epoch0);  // a new draw every epoch
  by_five.set_epoch(1);     // a resumed run replays epoch 1 exactly
  CHECK(served(by_five) == epoch1);
  // Each example is its own transform with example_generator(seed, epoch, index).
  Generator generator = example_generator(9, 1, 7);
  const std::vector<float> seven = (*kAugment)(dataset->get(7).input, generator).to_vector();
  CHECK(epoch1.at(7) == seven);
}
