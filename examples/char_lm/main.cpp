// examples/char_lm: a character-level language model trained on a word list, in the style of
// "makemore": an MLP over the last 3 characters (Bengio et al. 2003), an LSTM over whole words or
// a tiny GPT; prints the training and validation loss (mean cross-entropy, nats per character)
// as it goes, then samples new words.
//   char_lm --model mlp|lstm|gpt [--words PATH] [--steps 4000] [--samples 20]
//           [--attention-plot FILE.svg (gpt)] [--json]
// Recipes (docs/char-lm.md):
//   mlp:  context 3, embedding 16, one tanh hidden layer of 256, output 27
//   lstm: embedding 32, one LSTM layer of 128, output 27; whole words, padding ignored by the loss
//   gpt:  context 16, 2 pre-LayerNorm blocks of 4 heads, width 64, GELU MLP of 4x width, learned
//         position embeddings, no dropout
//   all:  AdamW (weight decay 0.01 on weight matrices only, not on biases, norms and embeddings:
//         nn::split_decay), batch 64, linear warmup over 200 steps (a fifth of the steps when
//         fewer than 1000) then cosine decay to lr / 10, gradient clipping at norm 1.0
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "core/error.h"
#include "core/parallel.h"
#include "data/words.h"
#include "examples/char_lm/attention_plot.h"
#include "examples/char_lm/batches.h"
#include "examples/char_lm/gpt_model.h"
#include "examples/char_lm/loss.h"
#include "examples/char_lm/lstm_model.h"
#include "examples/char_lm/mlp_model.h"
#include "examples/char_lm/sampler.h"
#include "examples/common/cli.h"
#include "examples/common/threads.h"
#include "nn/split_decay.h"
#include "optim/adamw.h"
#include "optim/clip_grad.h"
#include "optim/schedules/compose.h"
#include "optim/schedules/cosine.h"

using namespace minidl;
using examples::Batch;
using examples::CharModel;

namespace {

struct Settings {
  std::string model = "mlp";
  std::string words_path = data::kDefaultWordsPath;
  int64_t steps = 4000;
  int64_t batch_size = 64;
  double lr = 3e-3;
  uint64_t seed = 0;
  int64_t eval_every = 500;
  int64_t samples = 20;
  std::string attention_plot;  // gpt: the SVG of its attention over the first sampled word
  bool json = false;           // end with one JSON line for scripts/bench.sh
};

// The model of `name` with its default recipe, and its training and validation examples.
struct Task {
  std::shared_ptr<CharModel> model;
  Batch train;
  Batch validation;
};

Task make_task(const std::string& name, const data::Words& words, Generator& init) {
  if (name == "mlp") {
    const examples::MlpModelOptions options;
    return {std::make_shared<examples::MlpModel>(options, init),
            examples::context_windows(words.train(), options.context),
            examples::context_windows(words.validation(), options.context)};
  }
  if (name == "lstm") {
    const int64_t whole = words.max_length() + 1;
    return {std::make_shared<examples::LstmModel>(examples::LstmModelOptions{}, init),
            examples::word_windows(words.train(), whole),
            examples::word_windows(words.validation(), whole)};
  }
  const examples::GptModelOptions options;
  return {std::make_shared<examples::GptModel>(options, init),
          examples::word_windows(words.train(), options.context),
          examples::word_windows(words.validation(), options.context)};
}

// Warmup over 200 steps (a fifth of the steps when fewer than 1000), then cosine to lr / 10.
std::shared_ptr<const optim::LrSchedule> make_schedule(const Settings& s) {
  const int64_t warmup = std::max<int64_t>(1, std::min<int64_t>(200, s.steps / 5));
  auto cosine = std::make_shared<optim::CosineAnnealingLR>(optim::CosineAnnealingLROptions{
      .lr = s.lr, .total_steps = std::max<int64_t>(1, s.steps - warmup), .min_lr = s.lr / 10});
  return std::make_shared<optim::LinearWarmup>(cosine,
                                               optim::LinearWarmupOptions{.warmup_steps = warmup});
}

int train_and_sample(const Settings& s) {
  const data::Words words(s.words_path);
  MINIDL_CHECK(!words.train().empty(),
               "char_lm: {} holds {} usable word(s); training needs at least 2", s.words_path,
               words.validation().size());
  fmt::print("{}: {} training words, {} validation words\n", s.words_path, words.train().size(),
             words.validation().size());
  Generator init(s.seed);
  Task task = make_task(s.model, words, init);
  CharModel& model = *task.model;
  fmt::print("{}: {} parameters\n", s.model, model.num_parameters());

  const optim::AdamWOptions decay{.lr = s.lr, .weight_decay = 0.01};
  optim::AdamWOptions no_decay = decay;
  no_decay.weight_decay = 0.0;
  const nn::DecaySplit split = nn::split_decay(model);
  optim::AdamW optimizer({{.params = split.decay}, {.params = split.no_decay, .options = no_decay}},
                         decay);
  const auto schedule = make_schedule(s);

  Generator draws(s.seed + 1);
  const auto train_rows = static_cast<uint64_t>(task.train.inputs.shape()[0]);
  std::vector<int64_t> rows(static_cast<size_t>(s.batch_size));
  double loss_sum = 0.0;
  int64_t loss_count = 0;
  double eval_seconds = 0.0;
  double val_loss = 0.0;  // left out of the training time, as bench/torch_char_lm.py does
  const auto start = std::chrono::steady_clock::now();
  const auto seconds_since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  for (int64_t step = 1; step <= s.steps; ++step) {
    optimizer.set_lr_factor(schedule->factor_at(step - 1));
    for (int64_t& row : rows) row = static_cast<int64_t>(draws.below(train_rows));
    const Batch batch = examples::select_rows(task.train, rows);
    optimizer.zero_grad();
    Tensor loss = examples::next_symbol_loss(model(batch.inputs), batch.targets);
    loss.backward();
    optim::clip_grad_norm(optimizer.params(), 1.0);
    optimizer.step();
    loss_sum += loss.item();
    ++loss_count;
    if (step % s.eval_every == 0 || step == s.steps) {
      const auto eval_start = std::chrono::steady_clock::now();
      val_loss = examples::mean_loss(model, task.validation);
      eval_seconds += seconds_since(eval_start);
      fmt::print("step {:5d}  train loss {:.4f}  val loss {:.4f}  lr {:.2e}  {:.1f} s\n", step,
                 loss_sum / static_cast<double>(loss_count), val_loss, optimizer.lr(),
                 seconds_since(start) - eval_seconds);
      std::fflush(stdout);
      loss_sum = 0.0;
      loss_count = 0;
    }
  }
  const double seconds = seconds_since(start) - eval_seconds;
  fmt::print("trained {} steps in {:.1f} s (training only; evaluation took {:.1f} s)\n", s.steps,
             seconds, eval_seconds);

  fmt::print("{} samples:\n", s.samples);
  Generator sampling(s.seed + 2);
  std::string pictured;  // the first non-empty sample: the word of the attention picture
  for (int64_t i = 0; i < s.samples; ++i) {
    const std::string word = examples::sample_word(model, sampling);
    if (pictured.empty()) pictured = word;
    fmt::print("  {}\n", word);
  }
  if (!s.attention_plot.empty()) {
    if (pictured.empty()) pictured = examples::sample_word(model, sampling);
    auto& gpt = dynamic_cast<examples::GptModel&>(model);
    if (examples::plot_attention(gpt, pictured, s.attention_plot)) {
      fmt::print("attention over \".{}\" drawn in {}\n", pictured, s.attention_plot);
    }
  }
  if (s.json) {
    fmt::print(R"({{"model": "{}", "threads": {}, "steps": {}, "val_loss": {:.4f}, )"
               R"("seconds_per_1000_steps": {:.2f}}})"
               "\n",
               s.model, num_threads(), s.steps, val_loss,
               1000.0 * seconds / static_cast<double>(s.steps));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Trains a character-level language model on a word list (mlp: context 3, embedding 16, "
      "tanh hidden 256; lstm: embedding 32, LSTM 128, whole words; gpt: context 16, 2 blocks, 4 "
      "heads, width 64), then samples new words. All: AdamW with weight decay 0.01 on Linear "
      "weights, warmup over 200 steps then cosine to lr / 10, gradient clipping at norm 1"};
  Settings s;
  namespace cli = examples::cli;
  cli::show_defaults(app);
  app.add_option("--model", s.model, "mlp, lstm or gpt")
      ->check(cli::one_of({"mlp", "lstm", "gpt"}));
  app.add_option("--words", s.words_path, "word list, one word per line (lowercase a-z kept)")
      ->check(cli::existing_file());
  app.add_option("--steps", s.steps, "training steps")->check(cli::integer_at_least(1));
  app.add_option("--batch-size", s.batch_size, "examples (mlp) or words (lstm, gpt) per step")
      ->check(cli::integer_at_least(1));
  app.add_option("--lr", s.lr, "peak learning rate of AdamW")->check(cli::positive_number());
  app.add_option("--seed", s.seed, "seed of the init, the batches and the samples")
      ->check(cli::integer_at_least(0));
  examples::add_threads_option(app);
  app.add_option("--eval-every", s.eval_every, "steps between loss reports")
      ->check(cli::integer_at_least(1));
  app.add_option("--samples", s.samples, "words sampled after training")
      ->check(cli::integer_at_least(0));
  app.add_option("--attention-plot", s.attention_plot,
                 "gpt: an SVG of the attention weights over the first sampled word (CSV and "
                 "gnuplot script beside)")
      ->check(cli::writable_file());
  app.add_flag("--json", s.json,
               "end with one JSON line: model, threads, steps, final validation loss, seconds "
               "per 1,000 training steps");
  const auto check_modes = [&] {
    if (!s.attention_plot.empty() && s.model != "gpt") {
      throw CLI::ValidationError("--attention-plot", "draws the attention of --model gpt; the " +
                                                         s.model + " model has none");
    }
  };
  if (std::optional<int> code = cli::parse(app, argc, argv, check_modes)) return *code;
  return cli::run([&] { return train_and_sample(s); });
}
