// ConfusionMatrix (see confusion.h).
#include "train/confusion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/ops/reduction.h"

namespace minidl::train {

namespace {

// numerator / denominator, or 0 when the denominator is 0.
double ratio(double numerator, double denominator) {
  return denominator == 0.0 ? 0.0 : numerator / denominator;
}

}  // namespace

ConfusionMatrix::ConfusionMatrix(int64_t classes) : classes_(classes) {
  MINIDL_CHECK(classes > 0 && classes <= 1'000'000,
               "ConfusionMatrix: the number of classes must be in [1, 1000000], got {}", classes);
  counts_.assign(static_cast<size_t>(classes * classes), 0);
}

ConfusionMatrix::ConfusionMatrix(int64_t classes, std::vector<int64_t> counts)
    : ConfusionMatrix(classes) {
  MINIDL_CHECK(static_cast<int64_t>(counts.size()) == classes * classes,
               "ConfusionMatrix: {} counts for {} classes (expected {})", counts.size(), classes,
               classes * classes);
  MINIDL_CHECK(std::all_of(counts.begin(), counts.end(), [](int64_t n) { return n >= 0; }),
               "ConfusionMatrix: negative count");
  counts_ = std::move(counts);
}

void ConfusionMatrix::add(int64_t true_class, int64_t predicted_class) {
  MINIDL_CHECK(true_class >= 0 && true_class < classes_ && predicted_class >= 0 &&
                   predicted_class < classes_,
               "ConfusionMatrix: class pair ({}, {}) is out of range for {} classes", true_class,
               predicted_class, classes_);
  ++counts_[static_cast<size_t>(true_class * classes_ + predicted_class)];
}

void ConfusionMatrix::add(const Tensor& logits, const Tensor& targets) {
  MINIDL_CHECK(logits.dim() == 2 && logits.size(1) == classes_ && targets.dim() == 1 &&
                   targets.size(0) == logits.size(0),
               "ConfusionMatrix: expected logits [N, {}] and targets [N], got {} and {}", classes_,
               logits.shape(), targets.shape());
  const std::vector<float> predicted = argmax(logits.detach(), 1).to_vector();
  const std::vector<float> truth = targets.to_vector();
  for (size_t i = 0; i < truth.size(); ++i) {
    const float target = truth[i];
    MINIDL_CHECK(std::isfinite(target) && std::floor(target) == target,
                 "ConfusionMatrix: target {} at position {} is not a class index", target, i);
    add(static_cast<int64_t>(target), static_cast<int64_t>(predicted[i]));
  }
}

int64_t ConfusionMatrix::count(int64_t true_class, int64_t predicted_class) const {
  MINIDL_CHECK(true_class >= 0 && true_class < classes_ && predicted_class >= 0 &&
                   predicted_class < classes_,
               "ConfusionMatrix: class pair ({}, {}) is out of range for {} classes", true_class,
               predicted_class, classes_);
  return counts_[static_cast<size_t>(true_class * classes_ + predicted_class)];
}

int64_t ConfusionMatrix::total() const {
  int64_t sum = 0;
  for (int64_t value : counts_) sum += value;
  return sum;
}

double ConfusionMatrix::accuracy() const {
  int64_t correct = 0;
  for (int64_t c = 0; c < classes_; ++c) correct += count(c, c);
  return ratio(static_cast<double>(correct), static_cast<double>(total()));
}

ClassScores ConfusionMatrix::scores(int64_t c) const {
  int64_t predicted = 0;  // TP + FP: the column
  int64_t actual = 0;     // TP + FN: the row
  for (int64_t k = 0; k < classes_; ++k) {
    predicted += count(k, c);
    actual += count(c, k);
  }
  const auto true_positives = static_cast<double>(count(c, c));
  ClassScores s;
  s.precision = ratio(true_positives, static_cast<double>(predicted));
  s.recall = ratio(true_positives, static_cast<double>(actual));
  s.f1 = ratio(2.0 * s.precision * s.recall, s.precision + s.recall);
  s.support = actual;
  return s;
}

ClassScores ConfusionMatrix::macro_average() const {
  ClassScores mean;
  for (int64_t c = 0; c < classes_; ++c) {
    const ClassScores s = scores(c);
    mean.precision += s.precision / static_cast<double>(classes_);
    mean.recall += s.recall / static_cast<double>(classes_);
    mean.f1 += s.f1 / static_cast<double>(classes_);
    mean.support += s.support;
  }
  return mean;
}

ClassScores ConfusionMatrix::weighted_average() const {
  ClassScores mean;
  const auto all = static_cast<double>(total());
  for (int64_t c = 0; c < classes_; ++c) {
    const ClassScores s = scores(c);
    const double weight = ratio(static_cast<double>(s.support), all);
    mean.precision += weight * s.precision;
    mean.recall += weight * s.recall;
    mean.f1 += weight * s.f1;
    mean.support += s.support;
  }
  return mean;
}

std::string ConfusionMatrix::report(const std::vector<std::string>& names) const {
  MINIDL_CHECK(names.empty() || static_cast<int64_t>(names.size()) == classes_,
               "ConfusionMatrix::report: {} names for {} classes", names.size(), classes_);
  auto name = [&](int64_t c) {
    return names.empty() ? std::to_string(c) : names[static_cast<size_t>(c)];
  };
  size_t width = 12;  // the widest of the labels and "weighted avg"
  for (int64_t c = 0; c < classes_; ++c) width = std::max(width, name(c).size());
  std::string text =
      fmt::format("confusion matrix (rows: true class, columns: predicted)\n{:>{}}", "", width);
  for (int64_t c = 0; c < classes_; ++c) text += fmt::format(" {:>6}", name(c));
  text += "\n";
  for (int64_t t = 0; t < classes_; ++t) {
    text += fmt::format("{:>{}}", name(t), width);
    for (int64_t p = 0; p < classes_; ++p) text += fmt::format(" {:>6}", count(t, p));
    text += "\n";
  }
  text += fmt::format("\n{:>{}} {:>9} {:>9} {:>9} {:>9}\n", "", width, "precision", "recall", "f1",
                      "support");
  auto row = [&](const std::string& label, const ClassScores& s) {
    return fmt::format("{:>{}} {:>9.4f} {:>9.4f} {:>9.4f} {:>9}\n", label, width, s.precision,
                       s.recall, s.f1, s.support);
  };
  for (int64_t c = 0; c < classes_; ++c) text += row(name(c), scores(c));
  text += fmt::format("\n{:>{}} {:>9} {:>9} {:>9.4f} {:>9}\n", "accuracy", width, "", "",
                      accuracy(), total());
  text += row("macro avg", macro_average());
  text += row("weighted avg", weighted_average());
  return text;
}

}  // namespace minidl::train
