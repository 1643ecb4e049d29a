// The training health report (see health.h).
#include "examples/mnist/health.h"

#include <fmt/format.h>

#include <cmath>
#include <ostream>

#include "core/error.h"
#include "core/grad_mode.h"
#include "nn/activation.h"

namespace minidl::examples {

namespace {

double norm(const Tensor& t) {
  double total = 0.0;
  for (float v : t.contiguous().to_vector()) total += static_cast<double>(v) * v;
  return std::sqrt(total);
}

double distance(const Tensor& a, const Tensor& b) {
  const std::vector<float> x = a.contiguous().to_vector(), y = b.contiguous().to_vector();
  double total = 0.0;
  for (size_t i = 0; i < x.size(); ++i) total += std::pow(static_cast<double>(x[i]) - y[i], 2);
  return std::sqrt(total);
}

}  // namespace

std::vector<Tensor> snapshot_parameters(const nn::Module& model) {
  std::vector<Tensor> copies;
  for (const Tensor& p : model.parameters()) copies.push_back(p.detach().clone());
  return copies;
}

std::vector<ParameterHealth> parameter_health(const nn::Module& model,
                                              const std::vector<Tensor>& before) {
  const std::vector<nn::NamedTensor> named = model.named_parameters();
  MINIDL_CHECK(named.size() == before.size(),
               "parameter_health: {} parameters but a snapshot of {}", named.size(), before.size());
  std::vector<ParameterHealth> report;
  for (size_t i = 0; i < named.size(); ++i) {
    const Tensor& p = named[i].second;
    ParameterHealth h{.name = named[i].first, .weight_norm = norm(p)};
    if (p.grad().defined()) h.grad_norm = norm(p.grad());
    h.update_ratio = h.weight_norm > 0.0 ? distance(p, before[i]) / h.weight_norm : 0.0;
    report.push_back(h);
  }
  return report;
}

std::vector<ReluHealth> relu_health(nn::Sequential& model, const Tensor& batch) {
  NoGradGuard no_grad;
  const bool training = model.is_training();
  model.eval();
  std::vector<ReluHealth> report;
  Tensor x = batch;
  int64_t index = 0;
  for (const auto& layer : model) {
    x = (*layer)(x);
    if (dynamic_cast<nn::ReLU*>(layer.get()) != nullptr) {
      const int64_t samples = x.size(0), units = x.numel() / samples;
      const std::vector<float> values = x.contiguous().to_vector();
      int64_t dead = 0;
      for (int64_t u = 0; u < units; ++u) {
        bool all_zero = true;
        for (int64_t n = 0; n < samples && all_zero; ++n)
          all_zero = values[static_cast<size_t>(n * units + u)] == 0.0F;
        dead += all_zero ? 1 : 0;
      }
      report.push_back({fmt::format("{}", index), units,
                        static_cast<double>(dead) / static_cast<double>(units)});
    }
    ++index;
  }
  if (training) model.train();
  return report;
}

void print_health(std::ostream& out, int64_t epoch, const std::vector<ParameterHealth>& params,
                  const std::vector<ReluHealth>& relus) {
  out << fmt::format("health after epoch {}:\n  {:<12} {:>11} {:>11} {:>13}\n", epoch, "parameter",
                     "grad norm", "weight norm", "update/weight");
  for (const ParameterHealth& h : params) {
    out << fmt::format("  {:<12} {:>11.4g} {:>11.4g} {:>13.3e}\n", h.name, h.grad_norm,
                       h.weight_norm, h.update_ratio);
  }
  for (const ReluHealth& r : relus) {
    out << fmt::format("  ReLU ({}): {:.1f}% of {} units dead on the fixed batch\n", r.name,
                       r.dead_fraction * 100.0, r.units);
  }
}

std::string health_csv_header() {
  return "epoch,layer,grad_norm,weight_norm,update_ratio,dead_relu_fraction\n";
}

std::string health_csv_rows(int64_t epoch, const std::vector<ParameterHealth>& params,
                            const std::vector<ReluHealth>& relus) {
  std::string rows;
  for (const ParameterHealth& h : params) {
    rows += fmt::format("{},{},{:.6g},{:.6g},{:.6g},\n", epoch, h.name, h.grad_norm, h.weight_norm,
                        h.update_ratio);
  }
  for (const ReluHealth& r : relus) {
    rows += fmt::format("{},relu.{},,,,{:.6g}\n", epoch, r.name, r.dead_fraction);
  }
  return rows;
}

}  // namespace minidl::examples
