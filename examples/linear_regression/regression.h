// Linear regression six ways: the closed-form least-squares solution, and gradient-based fits
// with full-batch gradient descent, mini-batch SGD, single-sample SGD, momentum, Adam and L-BFGS.
// The example prints them side by side; the tests check each fit against the closed form.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace minidl::examples {

/// Weights and bias of y = x·w + b.
struct Solution {
  std::vector<double> weights;
  double bias = 0.0;
};

/// The least-squares solution, from the normal equations [X 1]ᵀ[X 1] θ = [X 1]ᵀ y solved by
/// Cholesky factorisation in double precision.
Solution least_squares(const data::TensorDataset& data);

/// Euclidean distance between two solutions over (weights, bias).
double distance(const Solution& a, const Solution& b);

/// What one fitting method did.
struct FitResult {
  std::string method;
  Solution solution;
  double loss = 0.0;  ///< final mean squared error on the whole dataset
  int64_t steps = 0;  ///< optimizer steps taken
  double seconds = 0.0;
  std::vector<double> loss_curve;  ///< full-dataset MSE after each epoch (or L-BFGS step)
};

/// How long each method runs.
struct FitOptions {
  int64_t epochs = -1;  ///< passes over the data (L-BFGS: outer steps); -1: the method's default
  uint64_t seed = 0;    ///< model init and shuffling
};

/// The method names, in the order the example runs them:
/// gd, minibatch_sgd, single_sample_sgd, momentum, adam, lbfgs.
const std::vector<std::string>& method_names();

/// Fits y = x·w + b with `method` (one of method_names()).
FitResult fit(const std::string& method, const std::shared_ptr<data::TensorDataset>& data,
              const FitOptions& options);

}  // namespace minidl::examples
