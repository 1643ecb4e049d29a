// Update rules as some of the articles minidl was specified from print them, where they differ
// from the papers they cite. They are NOT minidl optimizers and must not become any: they live
// here only so that examples/article_formulas can draw what they do next to what minidl's
// optimizers do (docs/optimizers-and-schedules.md, "Formulas you will meet in articles").
// Constants as in Adam: β1 = 0.9, β2 = 0.999, ε = 1e-8.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "examples/optimizer_playground/functions.h"
#include "examples/optimizer_playground/playground.h"

namespace minidl::examples {

/// The running averages an article's rule keeps, one per coordinate of the 2-D point.
struct ArticleRuleState {
  double m[2] = {0.0, 0.0};  ///< average of g
  double v[2] = {0.0, 0.0};  ///< average of g²
};

/// One update of the point θ [2] from its gradient g [2] at step t (from 1) with rate η.
using ArticleRuleStep = void (*)(float* theta, const float* grad, ArticleRuleState& state,
                                 int64_t t, double lr);

/// An update rule as an article prints it.
struct ArticleRule {
  std::string label;    ///< for legends and CSV files (no ' and no ,)
  std::string formula;  ///< the rule as printed
  ArticleRuleStep step;
};

/// The rules: "article Adam" (m not bias-corrected, divided by √(1 − β2ᵗ) + ε), "article Adam
/// without sqrt" (m̂ / (v̂ + ε)) and "article RMSprop" (θ −= η v / √(1 − β2ᵗ), v the average of
/// g²).
const std::vector<ArticleRule>& article_rules();

/// The rule named `label` (throws minidl::Error for another label).
const ArticleRule& article_rule(const std::string& label);

/// Runs `rule` with rate `lr` for `steps` steps from function.start, the gradient from autograd.
Path run_article_rule(const TestFunction& function, const ArticleRule& rule, double lr,
                      int64_t steps, double tolerance);

}  // namespace minidl::examples
