// ConfusionMatrix: how a classifier's predictions fall against the true classes, and the
// per-class precision, recall and F1 with their macro and support-weighted averages, printed as a
// report like scikit-learn's classification_report.
//
//   precision_c = TP_c / (TP_c + FP_c)   recall_c = TP_c / (TP_c + FN_c)   support_c = TP_c + FN_c
//   F1_c = 2 precision_c recall_c / (precision_c + recall_c)
//   macro = the plain mean over classes;  weighted = the mean weighted by support
// A ratio whose denominator is 0 (a class never predicted, or absent) counts as 0, as in
// scikit-learn's default.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace minidl::train {

/// Precision, recall, F1 and support of one class (or an average over classes).
struct ClassScores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  int64_t support = 0;  ///< examples whose true class this is (the total for averages)
};

/// Counts of (true class, predicted class) pairs over any number of batches.
class ConfusionMatrix {
 public:
  /// An empty matrix over `classes` classes (> 0).
  explicit ConfusionMatrix(int64_t classes);
  /// A matrix holding `counts` ([true class, predicted class], row-major, classes² values).
  ConfusionMatrix(int64_t classes, std::vector<int64_t> counts);

  /// Adds a batch: logits [N, C] (the prediction is the highest) and class targets [N].
  void add(const Tensor& logits, const Tensor& targets);
  /// Adds one example.
  void add(int64_t true_class, int64_t predicted_class);

  /// The number of classes.
  int64_t classes() const { return classes_; }
  /// Examples of class `true_class` predicted as `predicted_class`.
  int64_t count(int64_t true_class, int64_t predicted_class) const;
  /// Every count, [true class, predicted class] row-major (e.g. to sum over ranks).
  const std::vector<int64_t>& counts() const { return counts_; }
  /// Examples added.
  int64_t total() const;
  /// The fraction predicted correctly (0 when empty).
  double accuracy() const;
  /// The scores of class `c`.
  ClassScores scores(int64_t c) const;
  /// The unweighted mean of every class's scores (support: the total).
  ClassScores macro_average() const;
  /// The mean of every class's scores weighted by its support.
  ClassScores weighted_average() const;
  /// The matrix (rows: true class, columns: predicted class) and the per-class report with both
  /// averages, as aligned text; `names` labels the classes (default: 0, 1, ...).
  std::string report(const std::vector<std::string>& names = {}) const;

 private:
  int64_t classes_;
  std::vector<int64_t> counts_;  // [true class, predicted class], row-major
};

}  // namespace minidl::train
