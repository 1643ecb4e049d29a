// examples/linear_regression: fits y = 2x + 1 + noise (and a 4-feature variant) with six
// methods and compares each with the closed-form least-squares solution.
//   linear_regression [--samples N] [--noise S] [--epochs E] [--method NAME]... [--csv-dir DIR]
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "core/error.h"
#include "core/parallel.h"
#include "data/synthetic.h"
#include "examples/common/cli.h"
#include "examples/common/threads.h"
#include "examples/linear_regression/regression.h"

using namespace minidl;

namespace {

struct Problem {
  std::string name;
  std::vector<float> weights;
  float bias;
};

std::string format_solution(const examples::Solution& s) {
  return fmt::format("w = [{:.4f}], b = {:.4f}", fmt::join(s.weights, ", "), s.bias);
}

void write_curve(const std::string& dir, const std::string& problem, const examples::FitResult& r) {
  std::filesystem::create_directories(dir);
  const std::string path = fmt::format("{}/loss_{}_{}.csv", dir, problem, r.method);
  std::ofstream out(path);
  MINIDL_CHECK(out.good(), "linear_regression: cannot write {}", path);
  out << "epoch,loss\n";
  for (size_t i = 0; i < r.loss_curve.size(); ++i)
    out << fmt::format("{},{:.9g}\n", i + 1, r.loss_curve[i]);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fits linear regression with six methods and compares them with least squares"};
  int64_t samples = 256;
  float noise = 0.1F;
  int64_t epochs = -1;
  uint64_t seed = 0;
  std::vector<std::string> methods = examples::method_names();
  std::string csv_dir = "linear_regression_out";
  examples::cli::show_defaults(app);
  app.add_option("--samples", samples, "training examples")
      ->check(examples::cli::integer_at_least(1));
  app.add_option("--noise", noise, "std of the Gaussian noise on y")
      ->check(examples::cli::non_negative_number());
  app.add_option("--epochs", epochs, "epochs per method (-1: each method's default)")
      ->check(examples::cli::integer_at_least(-1));
  app.add_option("--method", methods, "methods to run")
      ->check(examples::cli::one_of(examples::method_names()));
  app.add_option("--seed", seed, "seed of the data, the init and the shuffles")
      ->check(examples::cli::integer_at_least(0));
  set_num_threads(1);  // a tiny problem: one thread unless --threads asks for more
  examples::add_threads_option(app);
  app.add_option("--csv-dir", csv_dir, "folder for the loss curves (loss_<problem>_<method>.csv)")
      ->check(examples::cli::output_folder());
  if (std::optional<int> code = examples::cli::parse(app, argc, argv, [&] {
        if (epochs == 0) {
          throw CLI::ValidationError(
              "--epochs", "must be -1 (each method's default) or a positive integer, got '0'");
        }
      })) {
    return *code;
  }
  return examples::cli::run([&] {
    const std::vector<Problem> problems = {{"one_feature", {2.0F}, 1.0F},
                                           {"four_features", {1.5F, -2.0F, 0.5F, 3.0F}, -1.0F}};
    for (const Problem& problem : problems) {
      Generator generator(seed);
      auto dataset = data::make_linear(samples, problem.weights, problem.bias, noise, generator);
      examples::Solution exact = examples::least_squares(*dataset);
      fmt::print("\n{}: y = x·[{}] + {} + {}·N(0, 1), {} samples\n", problem.name,
                 fmt::join(problem.weights, ", "), problem.bias, noise, samples);
      fmt::print("closed form (normal equations): {}\n\n", format_solution(exact));
      fmt::print("{:<18} {:>6} {:>9} {:>11} {:>11}  {}\n", "method", "steps", "time ms", "loss",
                 "distance", "solution");
      for (const std::string& method : methods) {
        examples::FitResult r = examples::fit(method, dataset, {.epochs = epochs, .seed = seed});
        fmt::print("{:<18} {:>6} {:>9.1f} {:>11.6f} {:>11.2e}  {}\n", method, r.steps,
                   r.seconds * 1e3, r.loss, examples::distance(r.solution, exact),
                   format_solution(r.solution));
        write_curve(csv_dir, problem.name, r);
      }
    }
    fmt::print("\nLoss curves written to {0}/ (chart them: plot_curves --regression {0})\n",
               csv_dir);
    return 0;
  });
}
