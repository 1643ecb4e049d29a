// Synthetic datasets for examples and tests, each a function of its Generator.
#pragma once

#include <memory>
#include <vector>

#include "core/generator.h"
#include "data/dataset.h"

namespace minidl::data {

/// y = X·weights + bias + noise·N(0, 1): inputs [samples, weights.size()] drawn from N(0, 1),
/// targets [samples, 1].
std::shared_ptr<TensorDataset> make_linear(int64_t samples, const std::vector<float>& weights,
                                           float bias, float noise, Generator& generator);

/// Two interleaving half circles in 2-D: inputs [samples, 2], targets [samples] in {0, 1}
/// (samples / 2 per class, the first half class 0); noise is the std of added Gaussian jitter.
std::shared_ptr<TensorDataset> make_moons(int64_t samples, float noise, Generator& generator);

/// `classes` interleaved spiral arms in 2-D, `per_class` points each: inputs [classes·per_class,
/// 2], targets the arm index; noise jitters the angle.
std::shared_ptr<TensorDataset> make_spirals(int64_t per_class, int64_t classes, float noise,
                                            Generator& generator);

}  // namespace minidl::data
