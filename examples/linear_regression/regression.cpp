// Fitting methods for the linear-regression example. Every gradient method trains the same
// nn::Linear with nn::mse_loss; they differ only in the optimizer, the batch size and the
// learning-rate schedule. The stochastic methods decay their learning rate to zero: with a
// constant rate, SGD keeps jumping around the minimum by an amount proportional to the rate.
#include "examples/linear_regression/regression.h"

#include <chrono>
#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"
#include "data/dataloader.h"
#include "nn/functional.h"
#include "nn/linear.h"
#include "optim/optim.h"

namespace minidl::examples {

namespace {

// How a gradient method is set up.
struct MethodSetup {
  int64_t default_epochs;
  int64_t batch_size;  // 0 = the whole dataset
  std::function<std::unique_ptr<optim::FirstOrderOptimizer>(std::vector<Tensor>)> make_optimizer;
  double lr;
  bool decay_to_zero;  // cosine-anneal the lr from `lr` to 0 over the run
};

MethodSetup setup_for(const std::string& method) {
  using Params = std::vector<Tensor>;
  if (method == "gd") {
    return {300, 0,
            [](Params p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions{.lr = 0.1}); },
            0.1, false};
  }
  if (method == "minibatch_sgd") {
    return {40, 16,
            [](Params p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions{.lr = 0.05}); },
            0.05, true};
  }
  if (method == "single_sample_sgd") {
    return {30, 1,
            [](Params p) { return std::make_unique<optim::SGD>(p, optim::SGDOptions{.lr = 0.01}); },
            0.01, true};
  }
  if (method == "momentum") {
    return {200, 0,
            [](Params p) {
              return std::make_unique<optim::SGD>(p,
                                                  optim::SGDOptions{.lr = 0.05, .momentum = 0.9});
            },
            0.05, false};
  }
  if (method == "adam") {
    return {
        400, 0,
        [](Params p) { return std::make_unique<optim::Adam>(p, optim::AdamOptions{.lr = 0.1}); },
        0.1, true};
  }
  throw Error(fmt::format("linear_regression: unknown method '{}' (expected one of {})", method,
                          method_names()));
}

Solution solution_of(nn::Linear& model) {
  std::vector<float> weights = model.weight().to_vector();
  return {std::vector<double>(weights.begin(), weights.end()), model.bias().item()};
}

double dataset_loss(nn::Linear& model, const data::TensorDataset& data) {
  NoGradGuard no_grad;
  return nn::mse_loss(model(data.inputs()), data.targets()).item();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Solution least_squares(const data::TensorDataset& data) {
  const Tensor x = data.inputs().contiguous();
  const Tensor y = data.targets().contiguous();
  const int64_t n = x.shape()[0];
  const int64_t d = x.shape()[1];
  const int64_t k = d + 1;  // unknowns: the weights, then the bias
  // Normal equations A θ = c with A = Zᵀ Z, c = Zᵀ y and Z = [X 1].
  std::vector<double> a(static_cast<size_t>(k * k), 0.0);
  std::vector<double> c(static_cast<size_t>(k), 0.0);
  auto z = [&](int64_t row, int64_t col) {
    return col < d ? static_cast<double>(x.data()[row * d + col]) : 1.0;
  };
  for (int64_t row = 0; row < n; ++row) {
    for (int64_t i = 0; i < k; ++i) {
      c[static_cast<size_t>(i)] += z(row, i) * y.data()[row];
      for (int64_t j = 0; j < k; ++j) a[static_cast<size_t>(i * k + j)] += z(row, i) * z(row, j);
    }
  }
  // Cholesky: A = L Lᵀ (L stored in the lower triangle of a), then two triangular solves.
  for (int64_t j = 0; j < k; ++j) {
    double diagonal = a[static_cast<size_t>(j * k + j)];
    for (int64_t p = 0; p < j; ++p)
      diagonal -= a[static_cast<size_t>(j * k + p)] * a[static_cast<size_t>(j * k + p)];
    MINIDL_CHECK(diagonal > 0.0, "least_squares: the inputs are collinear (pivot {} is {})", j,
                 diagonal);
    const double l_jj = std::sqrt(diagonal);
    a[static_cast<size_t>(j * k + j)] = l_jj;
    for (int64_t i = j + 1; i < k; ++i) {
      double value = a[static_cast<size_t>(i * k + j)];
      for (int64_t p = 0; p < j; ++p)
        value -= a[static_cast<size_t>(i * k + p)] * a[static_cast<size_t>(j * k + p)];
      a[static_cast<size_t>(i * k + j)] = value / l_jj;
    }
  }
  std::vector<double> theta = c;
  for (int64_t i = 0; i < k; ++i) {  // L u = c
    for (int64_t p = 0; p < i; ++p)
      theta[static_cast<size_t>(i)] -=
          a[static_cast<size_t>(i * k + p)] * theta[static_cast<size_t>(p)];
    theta[static_cast<size_t>(i)] /= a[static_cast<size_t>(i * k + i)];
  }
  for (int64_t i = k - 1; i >= 0; --i) {  // Lᵀ θ = u
    for (int64_t p = i + 1; p < k; ++p)
      theta[static_cast<size_t>(i)] -=
          a[static_cast<size_t>(p * k + i)] * theta[static_cast<size_t>(p)];
    theta[static_cast<size_t>(i)] /= a[static_cast<size_t>(i * k + i)];
  }
  return {std::vector<double>(theta.begin(), theta.end() - 1), theta.back()};
}

double distance(const Solution& a, const Solution& b) {
  MINIDL_CHECK(a.weights.size() == b.weights.size(), "distance: {} weights vs {}", a.weights.size(),
               b.weights.size());
  double total = (a.bias - b.bias) * (a.bias - b.bias);
  for (size_t i = 0; i < a.weights.size(); ++i) {
    total += (a.weights[i] - b.weights[i]) * (a.weights[i] - b.weights[i]);
  }
  return std::sqrt(total);
}

const std::vector<std::string>& method_names() {
  static const std::vector<std::string> names = {"gd",       "minibatch_sgd", "single_sample_sgd",
                                                 "momentum", "adam",          "lbfgs"};
  return names;
}

FitResult fit(const std::string& method, const std::shared_ptr<data::TensorDataset>& data,
              const FitOptions& options) {
  MINIDL_CHECK(
      options.epochs != 0 && options.epochs >= -1,
      "linear_regression: epochs must be positive (or -1 for the method's default), got {}",
      options.epochs);
  const int64_t features = data->inputs().shape()[1];
  Generator generator(options.seed);
  nn::Linear model({.in = features, .out = 1}, generator);
  FitResult result{.method = method};
  const auto start = std::chrono::steady_clock::now();

  if (method == "lbfgs") {
    optim::LBFGS optimizer(
        model.parameters(),
        {.lr = 1.0, .max_iter = 20, .line_search = optim::LineSearch::StrongWolfe});
    auto closure = [&] {
      optimizer.zero_grad();
      Tensor loss = nn::mse_loss(model(data->inputs()), data->targets());
      loss.backward();
      return loss;
    };
    const int64_t epochs = options.epochs > 0 ? options.epochs : 5;
    for (int64_t epoch = 0; epoch < epochs; ++epoch) {
      optimizer.step(closure);
      result.loss_curve.push_back(dataset_loss(model, *data));
    }
    result.steps = epochs;
  } else {
    MethodSetup setup = setup_for(method);
    std::unique_ptr<optim::FirstOrderOptimizer> optimizer =
        setup.make_optimizer(model.parameters());
    const int64_t batch = setup.batch_size == 0 ? data->size() : setup.batch_size;
    data::DataLoader loader(
        data, {.batch_size = batch, .shuffle = batch < data->size(), .seed = options.seed});
    const int64_t epochs = options.epochs > 0 ? options.epochs : setup.default_epochs;
    const int64_t total_steps = epochs * loader.size();
    optim::CosineAnnealingLR schedule({.lr = setup.lr, .total_steps = total_steps, .min_lr = 0.0});
    for (int64_t epoch = 0; epoch < epochs; ++epoch) {
      for (const data::Example& example : loader) {
        if (setup.decay_to_zero) optimizer->set_lr_factor(schedule.factor_at(result.steps));
        optimizer->zero_grad();
        nn::mse_loss(model(example.input), example.target).backward();
        optimizer->step();
        ++result.steps;
      }
      result.loss_curve.push_back(dataset_loss(model, *data));
    }
  }
  result.seconds = seconds_since(start);
  result.solution = solution_of(model);
  result.loss = dataset_loss(model, *data);
  return result;
}

}  // namespace minidl::examples
