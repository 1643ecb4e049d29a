// examples/hparam_search: random or grid search over the learning rate, the weight decay and the
// batch size of a small model, each trial trained for a fixed number of steps from the same
// initial weights and scored on held-out validation data (never the test set). Prints the trials
// ranked by validation loss and writes, into --out:
//   trials.csv          lr, weight_decay, batch_size, validation loss and accuracy, steps, seconds
//   hparam_search.gp / .svg   validation loss against each hyperparameter (log axes)
// Deterministic for --seed (except the seconds, and which trials a --time-budget leaves out).
//   hparam_search                                 random search, MLP on 5,000 MNIST images
//   hparam_search --mode grid --grid-points 3     3 lr x 3 weight decays x every batch size
//   hparam_search --dataset spirals               three spirals, no data files needed
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>

#include "data/mnist.h"
#include "data/synthetic.h"
#include "examples/common/cli.h"
#include "examples/common/plot.h"
#include "examples/common/threads.h"
#include "examples/hparam_search/search.h"
#include "nn/activation.h"
#include "nn/linear.h"
#include "nn/models.h"

using namespace minidl;
using examples::Hyperparameters;
using examples::TrialResult;

namespace {

struct Settings {
  std::string mode = "random";
  int64_t trials = 20;
  int64_t grid_points = 3;
  int64_t steps = 300;
  double time_budget = 0.0;  // seconds; 0: none
  std::string dataset = "mnist";
  std::string data_dir = "data/mnist";
  int64_t train_size = 5000;
  int64_t validation_size = 2000;
  uint64_t seed = 1;
  std::string out_dir = "hparam_search_out";
  examples::SearchSpace space;
  examples::OptimizerOptions optimizer{.momentum = 0.9};
};

// The first train_size MNIST training images to train on and the next validation_size to
// validate on, with the MLP; or three spirals split 80/20 (seeded), with a 2-64-64-3 ReLU network.
examples::SearchProblem make_problem(const Settings& s) {
  if (s.dataset == "spirals") {
    Generator generator(s.seed);
    auto points = data::make_spirals(200, 3, 0.2F, generator);
    auto parts = data::random_split(points, {480, 120}, s.seed);
    return {parts[0], parts[1], [](Generator& init) -> std::shared_ptr<nn::Module> {
              return std::make_shared<nn::Sequential>(
                  nn::Linear({.in = 2, .out = 64}, init), nn::ReLU(),
                  nn::Linear({.in = 64, .out = 64}, init), nn::ReLU(),
                  nn::Linear({.in = 64, .out = 3}, init));
            }};
  }
  auto images =
      std::make_shared<data::MNIST>(s.data_dir, data::Split::Train,
                                    data::MNISTOptions{.limit = s.train_size + s.validation_size});
  MINIDL_CHECK(images->size() == s.train_size + s.validation_size,
               "hparam_search: {} holds {} training images, fewer than --train-size + "
               "--validation-size = {}",
               s.data_dir, images->size(), s.train_size + s.validation_size);
  std::vector<int64_t> train(static_cast<size_t>(s.train_size));
  std::iota(train.begin(), train.end(), 0);
  std::vector<int64_t> validation(static_cast<size_t>(s.validation_size));
  std::iota(validation.begin(), validation.end(), s.train_size);
  return {std::make_shared<data::Subset>(images, train),
          std::make_shared<data::Subset>(images, validation),
          [](Generator& init) -> std::shared_ptr<nn::Module> { return nn::models::mlp(init); }};
}

void add_options(CLI::App& app, Settings& s) {
  namespace cli = examples::cli;
  cli::show_defaults(app);
  app.add_option("--mode", s.mode, "random or grid")->check(cli::one_of({"random", "grid"}));
  app.add_option("--trials", s.trials, "random: number of trials")->check(cli::integer_at_least(1));
  app.add_option("--grid-points", s.grid_points, "grid: values per axis for lr and weight decay")
      ->check(cli::integer_at_least(1));
  app.add_option("--steps", s.steps, "optimizer steps per trial (the budget of each trial)")
      ->check(cli::integer_at_least(1));
  app.add_option("--time-budget", s.time_budget,
                 "seconds: start no trial after this (0: run them all; makes the set of trials "
                 "depend on the machine)")
      ->check(cli::non_negative_number());
  app.add_option("--dataset", s.dataset, "mnist (an MLP) or spirals (no data files needed)")
      ->check(cli::one_of({"mnist", "spirals"}));
  app.add_option("--data", s.data_dir, "mnist: folder with the IDX files (scripts/fetch_mnist.sh)");
  app.add_option("--train-size", s.train_size, "mnist: train on the first N training images")
      ->check(cli::integer_at_least(1));
  app.add_option("--validation-size", s.validation_size,
                 "mnist: validate on the next N training images")
      ->check(cli::integer_at_least(1));
  app.add_option("--min-lr", s.space.min_lr, "lowest learning rate")->check(cli::positive_number());
  app.add_option("--max-lr", s.space.max_lr, "highest learning rate")
      ->check(cli::positive_number());
  app.add_option("--min-weight-decay", s.space.min_weight_decay, "lowest weight decay")
      ->check(cli::positive_number());
  app.add_option("--max-weight-decay", s.space.max_weight_decay, "highest weight decay")
      ->check(cli::positive_number());
  app.add_option("--batch-sizes", s.space.batch_sizes, "batch sizes to try")
      ->check(cli::integer_at_least(1));
  app.add_option("--optimizer", s.optimizer.name, "the optimizer every trial uses")
      ->check(cli::one_of(examples::optimizer_names()));
  app.add_option("--momentum", s.optimizer.momentum, "SGD and RMSprop momentum")
      ->check(cli::number_in(0.0, 1.0, true));
  app.add_option("--seed", s.seed, "seed of the random trials, the weights and the data order")
      ->check(cli::integer_at_least(0));
  app.add_option("--out", s.out_dir, "output folder")->check(cli::output_folder());
  examples::add_threads_option(app);
}

// After parsing: refuses a reversed range (a usage error) and warns about options the chosen
// mode, dataset or optimizer ignores.
void check_settings(const CLI::App& app, const Settings& s) {
  if (s.space.min_lr > s.space.max_lr) {
    throw CLI::ValidationError("--min-lr", fmt::format("must not exceed --max-lr, got {} > {}",
                                                       s.space.min_lr, s.space.max_lr));
  }
  if (s.space.min_weight_decay > s.space.max_weight_decay) {
    throw CLI::ValidationError("--min-weight-decay",
                               fmt::format("must not exceed --max-weight-decay, got {} > {}",
                                           s.space.min_weight_decay, s.space.max_weight_decay));
  }
  if (s.mode == "grid") examples::cli::warn_ignored(app, {"--trials"}, "with --mode grid");
  if (s.mode == "random") {
    examples::cli::warn_ignored(app, {"--grid-points"}, "with --mode random");
  }
  if (s.dataset == "spirals") {
    examples::cli::warn_ignored(app, {"--data", "--train-size", "--validation-size"},
                                "with --dataset spirals");
  }
  if (s.optimizer.name != "sgd" && s.optimizer.name != "rmsprop") {
    examples::cli::warn_ignored(app, {"--momentum"}, "with --optimizer " + s.optimizer.name);
  }
}

// "random search: 20 trials" or "grid search: 3 x 3 x 3 = 27 trials".
std::string describe_search(const Settings& s, size_t trials) {
  if (s.mode == "random") return fmt::format("random search: {} trials", trials);
  return fmt::format("grid search: {0} lr x {0} weight decays x {1} batch sizes = {2} trials",
                     s.grid_points, s.space.batch_sizes.size(), trials);
}

void print_ranking(const std::vector<TrialResult>& ranking) {
  fmt::print("{:>4} {:>10} {:>12} {:>6} {:>9} {:>8} {:>6} {:>8}\n", "rank", "lr", "weight_decay",
             "batch", "val_loss", "val_acc", "steps", "seconds");
  for (size_t i = 0; i < ranking.size(); ++i) {
    const TrialResult& r = ranking[i];
    fmt::print("{:>4} {:>10.4g} {:>12.3g} {:>6} {:>9} {:>7.2f}% {:>6} {:>8.2f}\n", i + 1,
               r.hyperparameters.lr, r.hyperparameters.weight_decay, r.hyperparameters.batch_size,
               r.diverged ? std::string("diverged") : fmt::format("{:.4f}", r.validation_loss),
               r.validation_accuracy * 100.0, r.steps, r.seconds);
  }
}

// trials.csv and the plot of validation loss against each hyperparameter, the best marked.
void write_outputs(const Settings& s, const std::vector<TrialResult>& ranking) {
  std::filesystem::create_directories(s.out_dir);
  const std::string csv = s.out_dir + "/trials.csv";
  std::ofstream table(csv);
  MINIDL_CHECK(table.good(), "hparam_search: cannot write {}", csv);
  table << "rank,lr,weight_decay,batch_size,validation_loss,validation_accuracy,steps,seconds,"
           "diverged\n";
  for (size_t i = 0; i < ranking.size(); ++i) {
    const TrialResult& r = ranking[i];
    table << fmt::format("{},{:.6g},{:.6g},{},{:.6g},{:.6g},{},{:.3f},{}\n", i + 1,
                         r.hyperparameters.lr, r.hyperparameters.weight_decay,
                         r.hyperparameters.batch_size, r.validation_loss, r.validation_accuracy,
                         r.steps, r.seconds, r.diverged ? 1 : 0);
  }
  table.close();
  const std::string svg = s.out_dir + "/hparam_search.svg";
  std::string script = examples::gnuplot_svg_preamble(svg, 1200, 420);
  script += fmt::format(
      "set multiplot layout 1,3 title '{}, {} steps per trial: validation loss (diverged trials "
      "left out; red: the best)'\nunset key\nset ylabel 'validation loss'\nset logscale x\n"
      "set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\n",
      s.mode == "random" ? "Random search" : "Grid search", s.steps);
  const std::string data = examples::gnuplot_quote(csv);
  const auto panel = [&](const std::string& label, int column, const std::string& format) {
    return fmt::format(
        "set xlabel '{0}'\nset format x '{1}'\n"
        "plot {2} using ($9 != 0 ? NaN : ${3}):5 with points pt 7 ps 0.8 lc rgb '#1f77b4', \\\n"
        "  {2} using ($1 == 1 && $9 == 0 ? ${3} : NaN):5 with points pt 7 ps 1.4 "
        "lc rgb '#d62728'\n",
        label, format, data, column);
  };
  script += panel("learning rate", 2, "10^{%L}");
  script += panel("weight decay", 3, "10^{%L}");
  script += "set logscale x 2\n" + panel("batch size", 4, "%g");
  script += "unset multiplot\n";
  const std::string script_path = s.out_dir + "/hparam_search.gp";
  std::ofstream(script_path) << script;
  examples::run_gnuplot(script_path, svg, csv);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Random or grid search over learning rate, weight decay and batch size"};
  Settings s;
  add_options(app, s);
  if (std::optional<int> code =
          examples::cli::parse(app, argc, argv, [&] { check_settings(app, s); })) {
    return *code;
  }
  return examples::cli::run([&] {
    const examples::SearchProblem problem = make_problem(s);
    Generator draws(data::mix_seed(s.seed, 1));  // the random trials (the weights use s.seed)
    const std::vector<Hyperparameters> trials =
        s.mode == "random" ? examples::random_trials(s.space, s.trials, draws)
                           : examples::grid_trials(s.space, s.grid_points);
    fmt::print("{} on {} ({} training, {} validation examples), {} steps each, {}\n",
               describe_search(s, trials.size()), s.dataset, problem.train->size(),
               problem.validation->size(), s.steps, s.optimizer.name);
    const auto start = std::chrono::steady_clock::now();
    std::vector<TrialResult> results;
    for (const Hyperparameters& trial : trials) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (s.time_budget > 0.0 && elapsed >= s.time_budget) {
        fmt::print("time budget of {} s spent: {} of {} trials ran\n", s.time_budget,
                   results.size(), trials.size());
        break;
      }
      results.push_back(examples::run_trial(
          problem, trial, {.optimizer = s.optimizer, .steps = s.steps, .seed = s.seed}));
    }
    const std::vector<TrialResult> ranking = examples::ranked(results);
    print_ranking(ranking);
    const TrialResult& best = ranking.front();
    fmt::print(
        "best: lr {:.4g}, weight decay {:.3g}, batch {}: validation loss {:.4f}, accuracy "
        "{:.2f}%\n",
        best.hyperparameters.lr, best.hyperparameters.weight_decay, best.hyperparameters.batch_size,
        best.validation_loss, best.validation_accuracy * 100.0);
    write_outputs(s, ranking);
    return 0;
  });
}
