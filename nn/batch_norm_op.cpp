// functional::batch_norm as one fused op ("batch_norm"): the per-channel statistics in two passes
// over the input (mean, then the biased variance, both summed in double), one pass that
// normalizes, scales and shifts, and a backward of two passes — instead of the eight elementwise
// ops and their temporaries of the composite form (a fifth of a CNN's training step).
//
// Input [N, C, *] is viewed as [N, C, S]; with x̂ = (x − μ_c) · r_c, r_c = 1/√(σ²_c + ε) and
// M = N·S values per channel, the gradients are
//   ∂L/∂w_c = Σ g·x̂,   ∂L/∂b_c = Σ g,
//   ∂L/∂x   = w_c · r_c · (g − Σg/M − x̂ · Σ(g·x̂)/M)   in training (μ and σ² depend on x),
//   ∂L/∂x   = w_c · r_c · g                              in evaluation (running statistics).
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/autograd/node.h"
#include "core/autograd/saved_tensor.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"
#include "core/parallel.h"
#include "nn/functional.h"

namespace minidl::nn::functional {

namespace {

// Elements of work below which a parallel chunk does not pay.
constexpr int64_t kGrain = 32768;

// The input viewed as [batch, channels, inner].
struct ChannelLayout {
  int64_t batch;
  int64_t channels;
  int64_t inner;

  explicit ChannelLayout(const Tensor& input)
      : batch(input.size(0)),
        channels(input.size(1)),
        inner(batch * channels == 0 ? 0 : input.numel() / (batch * channels)) {}
  // Values per channel.
  int64_t per_channel() const { return batch * inner; }
  // Channels per parallel chunk so that a chunk holds about kGrain values.
  int64_t channel_grain() const {
    return std::max<int64_t>(1, kGrain / std::max<int64_t>(per_channel(), 1));
  }
  // Calls f(offset, channel) for the start of every run of `inner` values of each channel in
  // [begin, end).
  template <typename F>
  void for_runs(int64_t begin, int64_t end, F&& f) const {
    for (int64_t c = begin; c < end; ++c) {
      for (int64_t n = 0; n < batch; ++n) f((n * channels + c) * inner, c);
    }
  }
};

// The per-channel values of an optional [C] tensor, or `fill` when it is undefined.
std::vector<float> per_channel_or(const Tensor& tensor, int64_t channels, float fill) {
  if (!tensor.defined()) return std::vector<float>(static_cast<size_t>(channels), fill);
  return tensor.contiguous().to_vector();
}

// Batch mean and biased variance of every channel of x (contiguous).
void batch_statistics(const ChannelLayout& layout, const float* x, std::vector<float>& mean,
                      std::vector<float>& variance) {
  const double count = static_cast<double>(layout.per_channel());
  parallel_for(0, layout.channels, layout.channel_grain(), [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      double sum = 0.0;
      layout.for_runs(c, c + 1, [&](int64_t offset, int64_t) {
        for (int64_t s = 0; s < layout.inner; ++s) sum += x[offset + s];
      });
      const double mu = sum / count;
      double squares = 0.0;
      layout.for_runs(c, c + 1, [&](int64_t offset, int64_t) {
        for (int64_t s = 0; s < layout.inner; ++s) {
          const double d = x[offset + s] - mu;
          squares += d * d;
        }
      });
      mean[static_cast<size_t>(c)] = static_cast<float>(mu);
      variance[static_cast<size_t>(c)] = static_cast<float>(squares / count);
    }
  });
}

// running ← (1 − momentum) · running + momentum · batch value (the variance unbiased).
void update_running(const Tensor& running_mean, const Tensor& running_var,
                    const std::vector<float>& mean, const std::vector<float>& variance,
                    float momentum, int64_t count) {
  NoGradGuard no_grad;
  const float unbias = static_cast<float>(count) / static_cast<float>(count - 1);
  const int64_t channels = static_cast<int64_t>(mean.size());
  running_mean.mul_(1.0F - momentum).add_(from_vector(mean, {channels}), momentum);
  running_var.mul_(1.0F - momentum).add_(from_vector(variance, {channels}), momentum * unbias);
}

// The backward of the fused op (see the formulas at the top of the file).
std::vector<Tensor> batch_norm_backward(const Tensor& grad, const Tensor& input,
                                        const std::vector<float>& mean,
                                        const std::vector<float>& inverse_std,
                                        const std::vector<float>& weight, bool training,
                                        bool has_weight, bool has_bias) {
  const ChannelLayout layout(input);
  const Tensor x_tensor = input.contiguous();
  const Tensor g_tensor = grad.contiguous();
  const float* x = x_tensor.data();
  const float* g = g_tensor.data();
  Tensor dx_tensor = Tensor::empty(input.shape(), "batch_norm backward");
  float* dx = dx_tensor.data();
  std::vector<float> grad_weight(static_cast<size_t>(layout.channels));
  std::vector<float> grad_bias(static_cast<size_t>(layout.channels));
  const double count = static_cast<double>(std::max<int64_t>(layout.per_channel(), 1));
  parallel_for(0, layout.channels, layout.channel_grain(), [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      const auto i = static_cast<size_t>(c);
      const float mu = mean[i];
      const float r = inverse_std[i];
      double sum_g = 0.0;
      double sum_g_xhat = 0.0;
      layout.for_runs(c, c + 1, [&](int64_t offset, int64_t) {
        for (int64_t s = 0; s < layout.inner; ++s) {
          sum_g += g[offset + s];
          sum_g_xhat += static_cast<double>(g[offset + s]) * ((x[offset + s] - mu) * r);
        }
      });
      grad_weight[i] = static_cast<float>(sum_g_xhat);
      grad_bias[i] = static_cast<float>(sum_g);
      const float scale = weight[i] * r;
      const float mean_g = training ? static_cast<float>(sum_g / count) : 0.0F;
      const float mean_g_xhat = training ? static_cast<float>(sum_g_xhat / count) : 0.0F;
      layout.for_runs(c, c + 1, [&](int64_t offset, int64_t) {
        for (int64_t s = 0; s < layout.inner; ++s) {
          const float xhat = (x[offset + s] - mu) * r;
          dx[offset + s] = scale * (g[offset + s] - mean_g - xhat * mean_g_xhat);
        }
      });
    }
  });
  std::vector<Tensor> grads{dx_tensor};
  if (has_weight) grads.push_back(from_vector(grad_weight, {layout.channels}));
  if (has_bias) grads.push_back(from_vector(grad_bias, {layout.channels}));
  return grads;
}

}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, float momentum,
                  float eps) {
  MINIDL_CHECK(input.dim() >= 2, "batch_norm: input must be [N, C, *], got shape {}",
               input.shape());
  const ChannelLayout layout(input);
  for (const Tensor& vector : {running_mean, running_var, weight, bias}) {
    MINIDL_CHECK(!vector.defined() || vector.shape() == Shape{layout.channels},
                 "batch_norm: per-channel tensor of shape {} for input of shape {}; expected [{}]",
                 vector.shape(), input.shape(), layout.channels);
  }
  const Tensor x_tensor = input.contiguous();
  std::vector<float> mean(static_cast<size_t>(layout.channels));
  std::vector<float> variance(static_cast<size_t>(layout.channels));
  if (training) {
    MINIDL_CHECK(layout.channels > 0 && layout.per_channel() > 1,
                 "batch_norm: training needs more than one value per channel, got input of "
                 "shape {}",
                 input.shape());
    batch_statistics(layout, x_tensor.data(), mean, variance);
    if (running_mean.defined() && running_var.defined()) {
      update_running(running_mean, running_var, mean, variance, momentum, layout.per_channel());
    }
  } else {
    MINIDL_CHECK(running_mean.defined() && running_var.defined(),
                 "batch_norm: evaluation mode needs running_mean and running_var");
    mean = running_mean.contiguous().to_vector();
    variance = running_var.contiguous().to_vector();
  }
  std::vector<float> inverse_std(variance.size());
  for (size_t c = 0; c < variance.size(); ++c) inverse_std[c] = 1.0F / std::sqrt(variance[c] + eps);
  const std::vector<float> scale_by = per_channel_or(weight, layout.channels, 1.0F);
  const std::vector<float> shift_by = per_channel_or(bias, layout.channels, 0.0F);

  Tensor out = Tensor::empty(input.shape(), "batch_norm");
  const float* x = x_tensor.data();
  float* y = out.data();
  parallel_for(0, layout.channels, layout.channel_grain(), [&](int64_t begin, int64_t end) {
    layout.for_runs(begin, end, [&](int64_t offset, int64_t c) {
      const auto i = static_cast<size_t>(c);
      const float scale = inverse_std[i] * scale_by[i];
      const float shift = shift_by[i] - mean[i] * scale;
      for (int64_t s = 0; s < layout.inner; ++s) y[offset + s] = x[offset + s] * scale + shift;
    });
  });

  std::vector<Tensor> inputs{input};
  if (weight.defined()) inputs.push_back(weight);
  if (bias.defined()) inputs.push_back(bias);
  return autograd::record(
      "batch_norm", inputs, out,
      [saved = autograd::SavedTensor(input), mean, inverse_std, scale_by, training,
       has_weight = weight.defined(), has_bias = bias.defined()](const Tensor& grad) {
        return batch_norm_backward(grad, saved.unpack(), mean, inverse_std, scale_by, training,
                                   has_weight, has_bias);
      });
}

}  // namespace minidl::nn::functional
