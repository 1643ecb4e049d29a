// Image augmentation for inputs [C, H, W]: random affine maps (translation, rotation, scaling)
// and elastic distortion (Simard, Steinkraus and Platt, "Best Practices for Convolutional Neural
// Networks Applied to Visual Document Analysis", ICDAR 2003). Both move pixels the same way:
// every output pixel (x, y) takes the input's value at a source point, interpolated bilinearly
// between the four nearest pixels; a source point outside the image takes the value of the
// nearest edge (for digits and clothes on a plain background, the background). Pixel (x, y) has
// its centre at integer coordinates, x to the right, y down. Every channel moves alike.
#pragma once

#include <span>

#include "data/transform.h"

namespace minidl::data {

/// `image` [C, H, W] resampled: output pixel p = y·W + x of every channel is the input
/// interpolated bilinearly at (source_x[p], source_y[p]), clamped to the image. A new tensor.
Tensor resample(const Tensor& image, std::span<const float> source_x,
                std::span<const float> source_y);

/// One affine map of an image's content, about the image centre c = ((W − 1)/2, (H − 1)/2): a
/// point q of the content moves to c + scale·R(rotation)·(q − c) + (shift_x, shift_y).
struct AffineMap {
  double rotation_degrees = 0.0;  ///< positive turns clockwise on screen (y points down)
  double scale = 1.0;             ///< > 1 enlarges
  double shift_x = 0.0;           ///< pixels to the right
  double shift_y = 0.0;           ///< pixels down
};

/// `image` [C, H, W] with its content moved by `params` (bilinear). A new tensor.
Tensor affine_warp(const Tensor& image, const AffineMap& params);

/// Ranges of RandomAffine; each parameter is drawn uniformly from its range.
struct RandomAffineOptions {
  double max_shift = 0.0;     ///< shift_x and shift_y each in [−max_shift, max_shift] pixels
  double max_rotation = 0.0;  ///< rotation in [−max_rotation, max_rotation] degrees (<= 180)
  double min_scale = 1.0;     ///< scale in [min_scale, max_scale] (0 < min_scale <= max_scale)
  double max_scale = 1.0;
};

/// A random translation, rotation and scaling of images [C, H, W] (affine_warp with parameters
/// drawn in the order rotation, scale, shift_x, shift_y).
class RandomAffine final : public Transform {
 public:
  /// Validates the options.
  explicit RandomAffine(RandomAffineOptions options);
  void apply(const float* input, float* output, const Shape& shape,
             Generator& generator) const override;

 private:
  RandomAffineOptions options_;
};

/// Elastic distortion's two parameters (Simard et al. used α = 34, σ = 4 on MNIST).
struct ElasticDistortionOptions {
  double alpha = 34.0;  ///< α: the displacement's scale, in pixels (>= 0)
  double sigma = 4.0;   ///< σ: the smoothing Gaussian's standard deviation, in pixels (> 0)
};

/// Elastic distortion of images [C, H, W]: two fields of uniform random numbers in [−1, 1], one
/// per axis (all of x's, then all of y's, drawn row by row), are smoothed by a Gaussian of std σ
/// (truncated at 3σ, weights summing to 1, the field mirrored beyond the borders) and scaled by
/// α; output pixel (x, y) then samples the input at (x + Δx, y + Δy). Small σ gives random
/// noise, large σ nearly a translation; in between, the strokes bend like handwriting.
class ElasticDistortion final : public Transform {
 public:
  /// Validates the options.
  explicit ElasticDistortion(ElasticDistortionOptions options);
  void apply(const float* input, float* output, const Shape& shape,
             Generator& generator) const override;

 private:
  ElasticDistortionOptions options_;
  std::vector<float> kernel_;  // the Gaussian's weights at offsets −radius..radius
};

}  // namespace minidl::data
