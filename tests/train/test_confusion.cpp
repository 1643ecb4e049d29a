// ConfusionMatrix: counts, per-class precision/recall/F1, macro and weighted averages, worked by
// hand on ten examples of three classes:
//   true\predicted   0  1  2     support   precision   recall   F1
//   0                3  1  0     4         3/4         3/4      0.75
//   1                0  2  2     4         2/3         2/4      2·(2/3)(1/2)/(7/6) = 4/7
//   2                1  0  1     2         1/3         1/2      2·(1/3)(1/2)/(5/6) = 0.4
//   accuracy 6/10; macro: P = 0.583333, R = 0.583333, F1 = (0.75 + 4/7 + 0.4)/3 = 0.573810;
//   weighted (0.4, 0.4, 0.2): P = 0.633333, R = 0.6, F1 = 0.3 + 0.228571 + 0.08 = 0.608571
#include <doctest/doctest.h>

#include "minidl.h"

using namespace minidl;

namespace {

train::ConfusionMatrix ten_examples() {
  train::ConfusionMatrix matrix(3);
  const int pairs[][2] = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1},
                          {1, 1}, {1, 2}, {1, 2}, {2, 2}, {2, 0}};
  for (const auto& pair : pairs) matrix.add(pair[0], pair[1]);
  return matrix;
}

}  // namespace

TEST_CASE("per-class precision, recall, F1 and support match the hand-worked table") {
  const train::ConfusionMatrix m = ten_examples();
  CHECK(m.total() == 10);
  CHECK(m.count(1, 2) == 2);
  CHECK(m.accuracy() == doctest::Approx(0.6));
  const train::ClassScores c0 = m.scores(0);
  const train::ClassScores c1 = m.scores(1);
  const train::ClassScores c2 = m.scores(2);
  CHECK(c0.precision == doctest::Approx(0.75));
  CHECK(c0.recall == doctest::Approx(0.75));
  CHECK(c0.f1 == doctest::Approx(0.75));
  CHECK(c0.support == 4);
  CHECK(c1.precision == doctest::Approx(2.0 / 3.0));
  CHECK(c1.recall == doctest::Approx(0.5));
  CHECK(c1.f1 == doctest::Approx(4.0 / 7.0));
  CHECK(c2.precision == doctest::Approx(1.0 / 3.0));
  CHECK(c2.recall == doctest::Approx(0.5));
  CHECK(c2.f1 == doctest::Approx(0.4));
  CHECK(c2.support == 2);
}

TEST_CASE("macro and weighted averages match the hand-worked values") {
  const train::ConfusionMatrix m = ten_examples();
  const train::ClassScores macro = m.macro_average();
  CHECK(macro.precision == doctest::Approx(0.583333).epsilon(1e-5));
  CHECK(macro.recall == doctest::Approx(0.583333).epsilon(1e-5));
  CHECK(macro.f1 == doctest::Approx(0.573810).epsilon(1e-5));
  CHECK(macro.support == 10);
  const train::ClassScores weighted = m.weighted_average();
  CHECK(weighted.precision == doctest::Approx(0.633333).epsilon(1e-5));
  CHECK(weighted.recall == doctest::Approx(0.6));
  CHECK(weighted.f1 == doctest::Approx(0.608571).epsilon(1e-5));
}

TEST_CASE("a class never predicted scores 0 precision instead of dividing by zero") {
  train::ConfusionMatrix m(2);
  m.add(0, 0);
  m.add(1, 0);
  CHECK(m.scores(1).precision == 0.0);
  CHECK(m.scores(1).recall == 0.0);
  CHECK(m.scores(1).f1 == 0.0);
  CHECK(m.scores(0).precision == doctest::Approx(0.5));
}

TEST_CASE("a batch of logits adds its argmax predictions") {
  train::ConfusionMatrix m(3);
  m.add(from_vector({0.1F, 0.9F, 0.0F, 2.0F, 1.0F, 0.0F}, {2, 3}), from_vector({1, 2}));
  CHECK(m.count(1, 1) == 1);
  CHECK(m.count(2, 0) == 1);
}

TEST_CASE("the report prints the matrix, every class and both averages") {
  const std::string report = ten_examples().report({"cat", "dog", "eel"});
  CHECK(report.find("confusion matrix") != std::string::npos);
  CHECK(report.find("         dog      0      2      2") != std::string::npos);
  CHECK(report.find("         dog    0.6667    0.5000    0.5714         4") != std::string::npos);
  CHECK(report.find("    accuracy                        0.6000        10") != std::string::npos);
  CHECK(report.find("   macro avg    0.5833    0.5833    0.5738        10") != std::string::npos);
  CHECK(report.find("weighted avg    0.6333    0.6000    0.6086        10") != std::string::npos);
}

TEST_CASE("bad classes, targets and shapes are refused") {
  train::ConfusionMatrix m(3);
  CHECK_THROWS_WITH_AS(m.add(3, 0),
                       "ConfusionMatrix: class pair (3, 0) is out of range for 3 classes", Error);
  CHECK_THROWS_WITH_AS(m.add(ones({2, 4}), ones({2})),
                       doctest::Contains("expected logits [N, 3] and targets [N]"), Error);
  CHECK_THROWS_WITH_AS(m.add(ones({1, 3}), from_vector({1.5F})),
                       doctest::Contains("target 1.5 at position 0 is not a class index"), Error);
  CHECK_THROWS_AS(train::ConfusionMatrix(0), Error);
  CHECK_THROWS_WITH_AS(m.report({"a"}), doctest::Contains("1 names for 3 classes"), Error);
}
