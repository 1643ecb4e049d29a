// The articles' update rules (see article_rules.h), each a few lines on two coordinates.
#include "examples/article_formulas/article_rules.h"

#include <cmath>

#include "core/error.h"
#include "core/grad_mode.h"

namespace minidl::examples {

namespace {

constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEps = 1e-8;

// m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
void update_moments(ArticleRuleState& s, const float* grad) {
  for (int i = 0; i < 2; ++i) {
    s.m[i] = kBeta1 * s.m[i] + (1.0 - kBeta1) * grad[i];
    s.v[i] = kBeta2 * s.v[i] + (1.0 - kBeta2) * grad[i] * grad[i];
  }
}

// θ ← θ − η / (√(1 − β2ᵗ) + ε) · m / (√v + ε): m keeps its bias towards 0, and √(1 − β2ᵗ)
// divides where Adam's efficient form multiplies (η √(1 − β2ᵗ) / (1 − β1ᵗ)), so the first step
// is (1 − β1) / (1 − β2) = 100 times η.
void article_adam(float* theta, const float* grad, ArticleRuleState& s, int64_t t, double lr) {
  update_moments(s, grad);
  const double scale = lr / (std::sqrt(1.0 - std::pow(kBeta2, static_cast<double>(t))) + kEps);
  for (int i = 0; i < 2; ++i)
    theta[i] -= static_cast<float>(scale * s.m[i] / (std::sqrt(s.v[i]) + kEps));
}

// θ ← θ − η m̂ / (v̂ + ε): without the square root the step is about η / |g|, huge where the
// gradient is small (near a minimum) and tiny where it is steep.
void adam_without_sqrt(float* theta, const float* grad, ArticleRuleState& s, int64_t t, double lr) {
  update_moments(s, grad);
  const auto td = static_cast<double>(t);
  for (int i = 0; i < 2; ++i) {
    const double m_hat = s.m[i] / (1.0 - std::pow(kBeta1, td));
    const double v_hat = s.v[i] / (1.0 - std::pow(kBeta2, td));
    theta[i] -= static_cast<float>(lr * m_hat / (v_hat + kEps));
  }
}

// v ← β2 v + (1 − β2) g²;  θ ← θ − η v / √(1 − β2ᵗ): v ≥ 0, so every coordinate only ever
// decreases, whichever way the gradient points.
void article_rmsprop(float* theta, const float* grad, ArticleRuleState& s, int64_t t, double lr) {
  update_moments(s, grad);
  const double scale = lr / std::sqrt(1.0 - std::pow(kBeta2, static_cast<double>(t)));
  for (int i = 0; i < 2; ++i) theta[i] -= static_cast<float>(scale * s.v[i]);
}

}  // namespace

const std::vector<ArticleRule>& article_rules() {
  static const std::vector<ArticleRule> rules = {
      {"article Adam", "θ −= η/(√(1−β2^t)+ε) · m/(√v+ε)", article_adam},
      {"article Adam without sqrt", "θ −= η · m̂/(v̂+ε)", adam_without_sqrt},
      {"article RMSprop", "v = βv + (1−β)g²; θ −= η · v/√(1−β^t)", article_rmsprop},
  };
  return rules;
}

const ArticleRule& article_rule(const std::string& label) {
  for (const ArticleRule& rule : article_rules()) {
    if (rule.label == label) return rule;
  }
  throw Error(fmt::format("article_formulas: no rule labelled '{}'", label));
}

Path run_article_rule(const TestFunction& function, const ArticleRule& rule, double lr,
                      int64_t steps, double tolerance) {
  const Tensor xy = start_point(function);
  ArticleRuleState state;
  return trace_path(function, xy, rule.label, lr, steps, tolerance, [&](int64_t step) {
    xy.zero_grad();
    evaluate_at(function, xy).backward();
    NoGradGuard no_grad;
    rule.step(xy.data(), xy.grad().data(), state, step, lr);
  });
}

}  // namespace minidl::examples
