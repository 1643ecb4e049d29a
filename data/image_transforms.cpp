// Image augmentation: bilinear resampling, affine maps and elastic distortion as raw loops over
// one image (see image_transforms.h). Letters: C channels, H rows, W columns, p = y·W + x.
#include "data/image_transforms.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.h"

namespace minidl::data {

namespace {

// The sizes of one image [C, H, W].
struct ImageDims {
  int64_t channels = 0;
  int64_t height = 0;
  int64_t width = 0;
};

ImageDims image_dims(const char* who, const Shape& shape) {
  MINIDL_CHECK(shape.size() == 3 && shape[0] > 0 && shape[1] > 0 && shape[2] > 0,
               "{}: expected one image [C, H, W], got shape {}", who, shape);
  return {shape[0], shape[1], shape[2]};
}

// out[c][p] = input[c] interpolated bilinearly at (source_x[p], source_y[p]), the source point
// clamped to the image (so outside points take the nearest edge's value).
void resample_image(const float* input,     // [C, H, W]
                    float* output,          // [C, H, W]
                    const float* source_x,  // [H·W]
                    const float* source_y,  // [H·W]
                    const ImageDims& dims) {
  const int64_t plane = dims.height * dims.width;
  const auto last_x = static_cast<float>(dims.width - 1);
  const auto last_y = static_cast<float>(dims.height - 1);
  for (int64_t p = 0; p < plane; ++p) {
    const float x = std::clamp(source_x[p], 0.0F, last_x);
    const float y = std::clamp(source_y[p], 0.0F, last_y);
    const auto x0 = static_cast<int64_t>(x);  // floor, as x >= 0
    const auto y0 = static_cast<int64_t>(y);
    const int64_t x1 = std::min(x0 + 1, dims.width - 1);
    const int64_t y1 = std::min(y0 + 1, dims.height - 1);
    const float fx = x - static_cast<float>(x0);  // weight of column x1
    const float fy = y - static_cast<float>(y0);  // weight of row y1
    for (int64_t c = 0; c < dims.channels; ++c) {
      const float* in = input + c * plane;
      const float top = (1.0F - fx) * in[y0 * dims.width + x0] + fx * in[y0 * dims.width + x1];
      const float bottom = (1.0F - fx) * in[y1 * dims.width + x0] + fx * in[y1 * dims.width + x1];
      output[c * plane + p] = (1.0F - fy) * top + fy * bottom;
    }
  }
}

// The source point of every output pixel under `params`: the inverse of the content's map,
// q = c + R(−θ)·(p − c − shift) / scale.
void affine_sources(const AffineMap& params, const ImageDims& dims,
                    float* source_x,    // [H·W]
                    float* source_y) {  // [H·W]
  const double angle = params.rotation_degrees * std::numbers::pi / 180.0;
  const double cos_a = std::cos(angle) / params.scale;
  const double sin_a = std::sin(angle) / params.scale;
  const double centre_x = static_cast<double>(dims.width - 1) / 2.0;
  const double centre_y = static_cast<double>(dims.height - 1) / 2.0;
  for (int64_t y = 0; y < dims.height; ++y) {
    for (int64_t x = 0; x < dims.width; ++x) {
      const double vx = static_cast<double>(x) - centre_x - params.shift_x;
      const double vy = static_cast<double>(y) - centre_y - params.shift_y;
      source_x[y * dims.width + x] = static_cast<float>(centre_x + cos_a * vx + sin_a * vy);
      source_y[y * dims.width + x] = static_cast<float>(centre_y - sin_a * vx + cos_a * vy);
    }
  }
}

// input [C, H, W] -> output [C, H, W] with its content moved by `params`.
void affine_image(const float* input, float* output, const AffineMap& params,
                  const ImageDims& dims) {
  std::vector<float> source_x(static_cast<size_t>(dims.height * dims.width));
  std::vector<float> source_y(source_x.size());
  affine_sources(params, dims, source_x.data(), source_y.data());
  resample_image(input, output, source_x.data(), source_y.data(), dims);
}

void check_scale(const char* who, double scale) {
  MINIDL_CHECK(scale > 0.0 && std::isfinite(scale), "{}: scale must be positive, got {}", who,
               scale);
}

// The index that position `i` of a row of `n` values reads when the row is mirrored beyond its
// ends (… c b a | a b c … x y z | z y x …), as far out as needed.
int64_t mirrored(int64_t i, int64_t n) {
  const int64_t period = 2 * n;
  const int64_t wrapped = ((i % period) + period) % period;
  return wrapped < n ? wrapped : period - 1 - wrapped;
}

// Convolves `field` [H, W] with `kernel` (odd length, centred) along rows, then along columns,
// mirroring the field beyond the borders. (Repeating the edge value instead would give that one
// random value up to half the weight near a border, and displacements there many times larger
// than inside.) Both passes keep the innermost loop on consecutive floats without bounds tests.
void smooth(std::vector<float>& field, const ImageDims& dims, const std::vector<float>& kernel) {
  const auto radius = static_cast<int64_t>(kernel.size() / 2);
  const int64_t width = dims.width;
  std::vector<float> padded(static_cast<size_t>(width + 2 * radius));  // one row, edges repeated
  std::vector<float> rows(field.size());  // [H, W] after the pass along rows
  for (int64_t y = 0; y < dims.height; ++y) {
    const float* row = field.data() + y * width;
    for (int64_t i = 0; i < width + 2 * radius; ++i)
      padded[static_cast<size_t>(i)] = row[mirrored(i - radius, width)];
    float* out = rows.data() + y * width;
    for (int64_t x = 0; x < width; ++x) {
      float sum = 0.0F;
      for (size_t k = 0; k < kernel.size(); ++k)
        sum += kernel[k] * padded[static_cast<size_t>(x) + k];
      out[x] = sum;
    }
  }
  std::fill(field.begin(), field.end(), 0.0F);
  for (int64_t y = 0; y < dims.height; ++y) {
    float* out = field.data() + y * width;
    for (int64_t k = -radius; k <= radius; ++k) {
      const float weight = kernel[static_cast<size_t>(k + radius)];
      const float* in = rows.data() + mirrored(y + k, dims.height) * width;
      for (int64_t x = 0; x < width; ++x) out[x] += weight * in[x];
    }
  }
}

}  // namespace

Tensor resample(const Tensor& image, std::span<const float> source_x,
                std::span<const float> source_y) {
  const ImageDims dims = image_dims("resample", image.shape());
  const auto plane = static_cast<size_t>(dims.height * dims.width);
  MINIDL_CHECK(source_x.size() == plane && source_y.size() == plane,
               "resample: {} x and {} y source coordinates for an image of {}x{} pixels",
               source_x.size(), source_y.size(), dims.height, dims.width);
  for (size_t p = 0; p < plane; ++p) {
    MINIDL_CHECK(std::isfinite(source_x[p]) && std::isfinite(source_y[p]),
                 "resample: source point {} is ({}, {}), not finite", p, source_x[p], source_y[p]);
  }
  const Tensor source = image.detach().contiguous();
  Tensor output = Tensor::empty(source.shape());
  resample_image(source.data(), output.data(), source_x.data(), source_y.data(), dims);
  return output;
}

Tensor affine_warp(const Tensor& image, const AffineMap& params) {
  const ImageDims dims = image_dims("affine_warp", image.shape());
  check_scale("affine_warp", params.scale);
  const Tensor source = image.detach().contiguous();
  Tensor output = Tensor::empty(source.shape());
  affine_image(source.data(), output.data(), params, dims);
  return output;
}

RandomAffine::RandomAffine(RandomAffineOptions options) : options_(options) {
  MINIDL_CHECK(options_.max_shift >= 0.0 && std::isfinite(options_.max_shift),
               "RandomAffine: max_shift must be >= 0, got {}", options_.max_shift);
  MINIDL_CHECK(options_.max_rotation >= 0.0 && options_.max_rotation <= 180.0,
               "RandomAffine: max_rotation must be in [0, 180] degrees, got {}",
               options_.max_rotation);
  check_scale("RandomAffine", options_.min_scale);
  MINIDL_CHECK(options_.max_scale >= options_.min_scale && std::isfinite(options_.max_scale),
               "RandomAffine: max_scale must be >= min_scale {}, got {}", options_.min_scale,
               options_.max_scale);
}

void RandomAffine::apply(const float* input, float* output, const Shape& shape,
                         Generator& generator) const {
  const ImageDims dims = image_dims("RandomAffine", shape);
  auto draw = [&](double low, double high) {
    return static_cast<double>(
        generator.uniform(static_cast<float>(low), static_cast<float>(high)));
  };
  AffineMap params;
  params.rotation_degrees = draw(-options_.max_rotation, options_.max_rotation);
  params.scale = draw(options_.min_scale, options_.max_scale);
  params.shift_x = draw(-options_.max_shift, options_.max_shift);
  params.shift_y = draw(-options_.max_shift, options_.max_shift);
  affine_image(input, output, params, dims);
}

ElasticDistortion::ElasticDistortion(ElasticDistortionOptions options) : options_(options) {
  MINIDL_CHECK(options_.alpha >= 0.0 && std::isfinite(options_.alpha),
               "ElasticDistortion: alpha must be >= 0, got {}", options_.alpha);
  MINIDL_CHECK(options_.sigma > 0.0 && options_.sigma <= 1000.0,
               "ElasticDistortion: sigma must be in (0, 1000] pixels, got {}", options_.sigma);
  const auto radius = static_cast<int64_t>(std::ceil(3.0 * options_.sigma));
  double total = 0.0;
  for (int64_t k = -radius; k <= radius; ++k) {
    const double weight =
        std::exp(-static_cast<double>(k * k) / (2.0 * options_.sigma * options_.sigma));
    kernel_.push_back(static_cast<float>(weight));
    total += weight;
  }
  for (float& weight : kernel_) weight = static_cast<float>(weight / total);
}

void ElasticDistortion::apply(const float* input, float* output, const Shape& shape,
                              Generator& generator) const {
  const ImageDims dims = image_dims("ElasticDistortion", shape);
  std::vector<float> source_x(static_cast<size_t>(dims.height * dims.width));  // Δx, then x + Δx
  std::vector<float> source_y(source_x.size());                                // Δy, then y + Δy
  for (float& value : source_x) value = generator.uniform(-1.0F, 1.0F);
  for (float& value : source_y) value = generator.uniform(-1.0F, 1.0F);
  smooth(source_x, dims, kernel_);
  smooth(source_y, dims, kernel_);
  const auto alpha = static_cast<float>(options_.alpha);
  for (int64_t y = 0; y < dims.height; ++y) {
    for (int64_t x = 0; x < dims.width; ++x) {
      const auto p = static_cast<size_t>(y * dims.width + x);
      source_x[p] = static_cast<float>(x) + alpha * source_x[p];
      source_y[p] = static_cast<float>(y) + alpha * source_y[p];
    }
  }
  resample_image(input, output, source_x.data(), source_y.data(), dims);
}

}  // namespace minidl::data
