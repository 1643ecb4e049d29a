// examples/backprop_walkthrough: backprop through a 2-layer network on three samples, step by
// step. It prints every intermediate value, lets autograd narrate its chain-rule steps, works the
// same gradients out by hand (plain loops in double, below) and shows that both agree, then
// writes the graph as DOT (and SVG when Graphviz is installed).
//
//   z1 = x W1 + b1     [3, 3]      h = relu(z1)       [3, 3]
//   p  = h W2 + b2     [3, 1]      loss = mean((p − y)²) + λ·Σ W1²     (λ = 0.01)
//
//   backprop_walkthrough [--out DIR] [--quiet-narration]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "examples/common/cli.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"
#include "minidl.h"

using namespace minidl;

namespace {

constexpr double kLambda = 0.01;  // weight of the L2 penalty on W1

// A small row-major matrix in double, for the hand-written chain rule.
struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> v;
  double& operator()(int64_t r, int64_t c) { return v[static_cast<size_t>(r * cols + c)]; }
  double operator()(int64_t r, int64_t c) const { return v[static_cast<size_t>(r * cols + c)]; }
};

Matrix zeros_matrix(int64_t rows, int64_t cols) {
  return {rows, cols, std::vector<double>(static_cast<size_t>(rows * cols), 0.0)};
}

Matrix from_tensor(const Tensor& t) {
  const int64_t rows = t.dim() == 2 ? t.size(0) : 1;
  Matrix m = zeros_matrix(rows, t.numel() / rows);
  const std::vector<float> values = t.to_vector();
  for (size_t i = 0; i < values.size(); ++i) m.v[i] = values[i];
  return m;
}

// a·b, with either side read transposed.
Matrix product(const Matrix& a, bool transpose_a, const Matrix& b, bool transpose_b) {
  const int64_t n = transpose_a ? a.cols : a.rows, k = transpose_a ? a.rows : a.cols;
  const int64_t m = transpose_b ? b.rows : b.cols;
  Matrix out = zeros_matrix(n, m);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j)
      for (int64_t l = 0; l < k; ++l)
        out(i, j) += (transpose_a ? a(l, i) : a(i, l)) * (transpose_b ? b(j, l) : b(l, j));
  return out;
}

// Sum over the rows: the adjoint of adding a bias row to every sample.
Matrix column_sums(const Matrix& a) {
  Matrix out = zeros_matrix(1, a.cols);
  for (int64_t i = 0; i < a.rows; ++i)
    for (int64_t j = 0; j < a.cols; ++j) out(0, j) += a(i, j);
  return out;
}

// Every gradient of the loss, worked out by hand with the chain rule.
struct HandGradients {
  Matrix z1, h, p, d_p, d_w2, d_b2, d_h, d_z1, d_w1, d_b1;
  double loss = 0.0;
};

HandGradients by_hand(const Matrix& x, const Matrix& y, const Matrix& w1, const Matrix& b1,
                      const Matrix& w2, const Matrix& b2) {
  HandGradients g;
  const int64_t n = x.rows;
  // forward
  g.z1 = product(x, false, w1, false);  // [3, 3]
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < g.z1.cols; ++j) g.z1(i, j) += b1(0, j);
  g.h = g.z1;
  for (double& value : g.h.v) value = std::max(value, 0.0);
  g.p = product(g.h, false, w2, false);  // [3, 1]
  for (double& value : g.p.v) value += b2(0, 0);
  for (int64_t i = 0; i < n; ++i)
    g.loss += std::pow(g.p(i, 0) - y(i, 0), 2) / static_cast<double>(n);
  for (double w : w1.v) g.loss += kLambda * w * w;
  // backward, one chain-rule step per line
  g.d_p = zeros_matrix(n, 1);  // dloss/dp = 2 (p − y) / n
  for (int64_t i = 0; i < n; ++i)
    g.d_p(i, 0) = 2.0 * (g.p(i, 0) - y(i, 0)) / static_cast<double>(n);
  g.d_w2 = product(g.h, true, g.d_p, false);  // p = h W2  =>  dW2 = hᵀ dp
  g.d_b2 = column_sums(g.d_p);                // b2 was broadcast over the rows  =>  sum them
  g.d_h = product(g.d_p, false, w2, true);    // dh = dp W2ᵀ
  g.d_z1 = g.d_h;                             // relu passes the gradient where z1 > 0
  for (size_t i = 0; i < g.d_z1.v.size(); ++i) g.d_z1.v[i] *= g.z1.v[i] > 0.0 ? 1.0 : 0.0;
  g.d_w1 = product(x, true, g.d_z1, false);  // z1 = x W1  =>  dW1 = xᵀ dz1 ...
  for (size_t i = 0; i < g.d_w1.v.size(); ++i) g.d_w1.v[i] += 2.0 * kLambda * w1.v[i];  // + penalty
  g.d_b1 = column_sums(g.d_z1);
  return g;
}

void print_matrix(const std::string& name, const Matrix& m) {
  fmt::print("  {:<6} [{}, {}]\n", name, m.rows, m.cols);
  for (int64_t i = 0; i < m.rows; ++i) {
    fmt::print("         ");
    for (int64_t j = 0; j < m.cols; ++j) fmt::print(" {:>10.6f}", m(i, j) + 0.0);  // no "-0"
    fmt::print("\n");
  }
}

// Prints autograd's and the hand-written gradient side by side; returns the largest difference.
double compare(const std::string& name, const Tensor& autograd_grad, const Matrix& hand) {
  const Matrix mine = from_tensor(autograd_grad);
  const auto width = static_cast<size_t>(11 * hand.cols);
  double worst = 0.0;
  fmt::print("  d loss / d {}\n  {:<{}}   {:<{}}\n", name, "  autograd", width, "  by hand", width);
  for (int64_t i = 0; i < hand.rows; ++i) {
    std::string left, right;
    for (int64_t j = 0; j < hand.cols; ++j) {
      left += fmt::format(" {:>10.6f}", mine(i, j) + 0.0);
      right += fmt::format(" {:>10.6f}", hand(i, j) + 0.0);
      worst = std::max(worst, std::fabs(mine(i, j) - hand(i, j)));
    }
    fmt::print("  {}   {}\n", left, right);
  }
  fmt::print("  largest difference {:.2e}: {}\n\n", worst, worst < 1e-5 ? "agree" : "DISAGREE");
  return worst;
}

// Runs the walkthrough, writing the graph into `out_dir`; 0 when autograd and the hand-written
// chain rule agree.
int walk_through(const std::string& out_dir, bool quiet) {
  const Tensor x = from_vector({1.0F, 2.0F, -1.0F, 0.5F, 0.5F, -1.5F}, {3, 2});  // 3 samples
  const Tensor y = from_vector({1.0F, 0.0F, -1.0F}, {3, 1});
  const Tensor w1 = from_vector({0.5F, -0.3F, 0.8F, -0.6F, 0.4F, 0.2F}, {2, 3}).requires_grad_();
  const Tensor b1 = from_vector({0.1F, -0.1F, 0.0F}).requires_grad_();
  const Tensor w2 = from_vector({0.7F, -0.5F, 0.3F}, {3, 1}).requires_grad_();
  const Tensor b2 = from_vector({0.3F}).requires_grad_();

  fmt::print("== forward, by autograd's ops\n");
  const Tensor z1 = matmul(x, w1) + b1;
  const Tensor h = relu(z1);
  const Tensor p = matmul(h, w2) + b2;
  const Tensor loss = mean(pow(p - y, 2.0F)) + static_cast<float>(kLambda) * sum(w1 * w1);
  for (const auto& [name, t] : std::vector<std::pair<std::string, Tensor>>{{"x", x},
                                                                           {"y", y},
                                                                           {"W1", w1},
                                                                           {"b1", b1},
                                                                           {"W2", w2},
                                                                           {"b2", b2},
                                                                           {"z1", z1},
                                                                           {"h", h},
                                                                           {"p", p}}) {
    print_matrix(name, from_tensor(t));
  }
  fmt::print("  loss = {:.6f}\n\n", loss.item());

  const autograd::TensorNames names = {
      {w1, "W1"}, {b1, "b1"}, {w2, "W2"}, {b2, "b2"}, {loss, "loss"}};
  fmt::print("== backward, narrated by autograd\n");
  {
    std::ostringstream sink;
    autograd::NarrateGuard narrate(quiet ? static_cast<std::ostream&>(sink) : std::cout, names);
    loss.backward({}, /*retain_graph=*/true);  // kept for the drawing below
  }

  fmt::print(
      "\n== the same gradients by hand (chain rule in double, examples/backprop_walkthrough)\n");
  const HandGradients hand = by_hand(from_tensor(x), from_tensor(y), from_tensor(w1),
                                     from_tensor(b1), from_tensor(w2), from_tensor(b2));
  print_matrix("dp", hand.d_p);
  print_matrix("dh", hand.d_h);
  print_matrix("dz1", hand.d_z1);
  fmt::print("  loss by hand = {:.6f}\n\n", hand.loss);
  double worst = std::fabs(hand.loss - loss.item());
  worst = std::max(worst, compare("W2", w2.grad(), hand.d_w2));
  worst = std::max(worst, compare("b2", b2.grad(), hand.d_b2));
  worst = std::max(worst, compare("W1", w1.grad(), hand.d_w1));
  worst = std::max(worst, compare("b1", b1.grad(), hand.d_b1));
  fmt::print("autograd and the hand-written chain rule {} (largest difference {:.2e})\n\n",
             worst < 1e-5 ? "agree" : "DISAGREE", worst);

  std::filesystem::create_directories(out_dir);
  const std::string dot_path = out_dir + "/graph.dot";
  std::ofstream dot(dot_path);
  MINIDL_CHECK(dot.good(), "backprop_walkthrough: cannot write {}", dot_path);
  dot << autograd::to_dot(
      loss, {.values = true,
             .grads = true,
             .names = names,
             .title = "2-layer network on 3 samples: loss = mean((p - y)^2) + 0.01 sum(W1^2)"});
  dot.close();
  fmt::print("wrote {}\n", dot_path);
  examples::render_dot(dot_path, out_dir + "/graph.svg");
  return worst < 1e-5 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Backprop through a 2-layer network, by autograd and by hand"};
  std::string out_dir = "backprop_walkthrough_out";
  bool quiet = false;
  examples::cli::show_defaults(app);
  app.add_option("--out", out_dir, "folder for graph.dot and graph.svg")
      ->check(examples::cli::output_folder());
  app.add_flag("--quiet-narration", quiet, "do not narrate autograd's steps");
  examples::add_threads_option(app);
  if (std::optional<int> code = examples::cli::parse(app, argc, argv)) return *code;
  return examples::cli::run([&] { return walk_through(out_dir, quiet); });
}
