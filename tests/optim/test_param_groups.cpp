// Parameter groups: each group's options reach its update (worked by hand, and bit for bit against
// separate optimizers), groups are read and changed through the optimizer, schedules scale each
// group's own base rate, state files and training checkpoints store the groups, and
// nn::split_decay picks the parameters weight decay should shrink.
#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/dataloader.h"
#include "data/dataset.h"
#include "nn/attention.h"
#include "nn/batchnorm.h"
#include "nn/conv.h"
#include "nn/embedding.h"
#include "nn/flatten.h"
#include "nn/layernorm.h"
#include "nn/linear.h"
#include "nn/recurrent.h"
#include "nn/sequential.h"
#include "nn/split_decay.h"
#include "optim/optim.h"
#include "optim_test_helpers.h"
#include "train/checkpoint.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

/// Sets each parameter's gradient from `gradients` (one list per parameter) and steps.
void step_with(FirstOrderOptimizer& optimizer, const std::vector<Tensor>& params,
               const std::vector<std::vector<float>>& gradients) {
  for (size_t i = 0; i < params.size(); ++i) params[i].set_grad(from_vector(gradients[i]));
  optimizer.step();
}

/// Three steps of fixed gradients on a = kStart in group 0 (the defaults) and b = [4] in group 1
/// (`own` options) give exactly the values of two separate optimizers, one per group.
template <class OptimizerType, class Options>
void check_groups_match_separate_optimizers(const Options& defaults, const Options& own) {
  const std::vector<std::vector<std::vector<float>>> gradients = {
      {{0.5F, -1.0F}, {2.0F}}, {{-0.25F, 2.0F}, {-1.0F}}, {{1.0F, 0.5F}, {0.5F}}};
  const Tensor grouped_a = make_param(kStart);
  const Tensor grouped_b = make_param({4.0F});
  OptimizerType grouped({{.params = {grouped_a}}, {.params = {grouped_b}, .options = own}},
                        defaults);
  const Tensor alone_a = make_param(kStart);
  const Tensor alone_b = make_param({4.0F});
  OptimizerType optimizer_a({alone_a}, defaults);
  OptimizerType optimizer_b({alone_b}, own);
  for (const auto& step : gradients) {
    step_with(grouped, {grouped_a, grouped_b}, step);
    step_with(optimizer_a, {alone_a}, {step[0]});
    step_with(optimizer_b, {alone_b}, {step[1]});
  }
  CHECK(grouped_a.to_vector() == alone_a.to_vector());
  CHECK(grouped_b.to_vector() == alone_b.to_vector());
  CHECK(grouped_b.to_vector() != std::vector<float>{4.0F});
}

}  // namespace

TEST_CASE("SGD parameter groups: each group's lr and weight decay reach its update") {
  // a = [1, -2] in group 0 with the defaults η = 0.1, λ = 0.1; b = [4] in group 1 with η = 0.01,
  // λ = 0; gradients g_a = [0.5, -1] and g_b = [2] at both steps.
  // t=1: g'_a = g_a + 0.1 a = [0.6, -1.2];      a = [1 - 0.06, -2 + 0.12] = [0.94, -1.88]
  //      b = 4 - 0.01·2 = 3.98
  // t=2: g'_a = [0.5 + 0.094, -1 - 0.188] = [0.594, -1.188];  a = [0.8806, -1.7612]
  //      b = 3.98 - 0.02 = 3.96
  // (b with the defaults would move to 4 - 0.1·(2 + 0.4) = 3.76 at t=1)
  const Tensor a = make_param(kStart);
  const Tensor b = make_param({4.0F});
  SGD optimizer({{.params = {a}}, {.params = {b}, .options = SGDOptions{.lr = 0.01}}},
                {.lr = 0.1, .weight_decay = 0.1});
  step_with(optimizer, {a, b}, {{0.5F, -1.0F}, {2.0F}});
  CHECK(a.to_vector()[0] == doctest::Approx(0.94).epsilon(1e-6));
  CHECK(a.to_vector()[1] == doctest::Approx(-1.88).epsilon(1e-6));
  CHECK(b.item() == doctest::Approx(3.98).epsilon(1e-6));
  step_with(optimizer, {a, b}, {{0.5F, -1.0F}, {2.0F}});
  CHECK(a.to_vector()[0] == doctest::Approx(0.8806).epsilon(1e-6));
  CHECK(a.to_vector()[1] == doctest::Approx(-1.7612).epsilon(1e-6));
  CHECK(b.item() == doctest::Approx(3.96).epsilon(1e-6));
}

TEST_CASE("AdamW parameter groups: each group's lr and decoupled weight decay reach its update") {
  // The first Adam step moves by η·sign(g) whatever the size of g (test_adam_family.cpp), so
  // with θ' = θ (1 - η λ):
  // a = [1, -2], group 0 (η = 0.1, λ = 0.1):  a = [0.99 - 0.1, -1.98 + 0.1] = [0.89, -1.88]
  // b = [4],     group 1 (η = 0.01, λ = 0):   b = 4 - 0.01 = 3.99
  const Tensor a = make_param(kStart);
  const Tensor b = make_param({4.0F});
  AdamW optimizer(
      {{.params = {a}}, {.params = {b}, .options = AdamWOptions{.lr = 0.01, .weight_decay = 0.0}}},
      {.lr = 0.1, .weight_decay = 0.1});
  step_with(optimizer, {a, b}, {{0.5F, -1.0F}, {2.0F}});
  CHECK(a.to_vector()[0] == doctest::Approx(0.89).epsilon(1e-6));
  CHECK(a.to_vector()[1] == doctest::Approx(-1.88).epsilon(1e-6));
  CHECK(b.item() == doctest::Approx(3.99).epsilon(1e-6));
}

TEST_CASE("every optimizer's groups step exactly like separate optimizers with their options") {
  check_groups_match_separate_optimizers<SGD>(
      SGDOptions{.lr = 0.1},
      SGDOptions{.lr = 0.05, .momentum = 0.9, .nesterov = true, .weight_decay = 0.1});
  check_groups_match_separate_optimizers<Adagrad>(
      AdagradOptions{.lr = 0.1}, AdagradOptions{.lr = 0.5, .lr_decay = 0.1, .weight_decay = 0.1});
  check_groups_match_separate_optimizers<RMSprop>(
      RMSpropOptions{.lr = 0.01},
      RMSpropOptions{.lr = 0.02, .alpha = 0.9, .momentum = 0.5, .centered = true});
  check_groups_match_separate_optimizers<Adadelta>(
      AdadeltaOptions{.lr = 1.0}, AdadeltaOptions{.lr = 0.5, .rho = 0.8, .weight_decay = 0.1});
  check_groups_match_separate_optimizers<Adam>(
      AdamOptions{.lr = 0.1}, AdamOptions{.lr = 0.2, .beta2 = 0.5, .amsgrad = true});
  check_groups_match_separate_optimizers<AdamW>(
      AdamWOptions{.lr = 0.1}, AdamWOptions{.lr = 0.01, .beta1 = 0.5, .weight_decay = 0.0});
  check_groups_match_separate_optimizers<NAdam>(NAdamOptions{.lr = 0.1},
                                                NAdamOptions{.lr = 0.05, .momentum_decay = 0.01});
  check_groups_match_separate_optimizers<RAdam>(
      RAdamOptions{.lr = 0.1}, RAdamOptions{.lr = 0.3, .beta2 = 0.9, .weight_decay = 0.1});
}

TEST_CASE("an optimizer's groups are read back with their parameters and options") {
  const Tensor a = make_param({1.0F});
  const Tensor b = make_param({2.0F});
  const Tensor c = make_param({3.0F});
  Adam optimizer({{.params = {a, b}}, {.params = {c}, .options = AdamOptions{.lr = 0.01}}},
                 {.lr = 0.1, .amsgrad = true});
  CHECK(optimizer.param_group_count() == 2);
  CHECK(optimizer.params().size() == 3);
  CHECK(optimizer.group_params(0).size() == 2);
  CHECK(optimizer.group_params(1)[0].impl() == c.impl());
  CHECK(optimizer.group_of(1) == 0);
  CHECK(optimizer.group_of(2) == 1);
  CHECK(optimizer.defaults().lr == 0.1);
  CHECK(optimizer.options(0).amsgrad);
  CHECK_FALSE(optimizer.options(1).amsgrad);  // a group's options are whole: no amsgrad here
  CHECK(optimizer.lr(1) == 0.01);
  CHECK(optimizer.initial_lr(1) == 0.01);
  const std::vector<Adam::ParamGroup> groups = optimizer.param_groups();
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].params.size() == 2);
  CHECK(groups[1].options->lr == 0.01);
  CHECK_THROWS_WITH_AS(optimizer.lr(2), "Adam: there is no parameter group 2 (of 2)", Error);
}

TEST_CASE("set_options checks the new options and refuses a change of the state a group keeps") {
  // a = [1] in group 0, b = [1] in group 1, g = 1 for both; after set_options(1, η = 0.5, λ = 1):
  // a = 1 - 0.1 = 0.9;  b = 1 - 0.5·(1 + 1·1) = 0
  const Tensor a = make_param({1.0F});
  const Tensor b = make_param({1.0F});
  SGD optimizer({{.params = {a}}, {.params = {b}}}, {.lr = 0.1});
  optimizer.set_options(1, {.lr = 0.5, .weight_decay = 1.0});
  step_with(optimizer, {a, b}, {{1.0F}, {1.0F}});
  CHECK(a.item() == doctest::Approx(0.9));
  CHECK(b.item() == doctest::Approx(0.0));
  CHECK(optimizer.lr(1) == 0.5);
  CHECK_THROWS_WITH_AS(optimizer.set_options(1, {.momentum = 1.0}),
                       "SGD: parameter group 1: momentum must be in [0, 1), got 1", Error);
  CHECK_THROWS_WITH_AS(
      optimizer.set_options(0, {.lr = 0.1, .momentum = 0.9}),
      "SGD: parameter group 0: the new options would change the state the group keeps "
      "([\"velocity\"] instead of []); build a new optimizer to change them",
      Error);
  CHECK(optimizer.options(0).momentum == 0.0);
}

TEST_CASE("optimizers refuse bad groups and name the group of bad options") {
  const Tensor a = make_param({1.0F});
  const Tensor b = make_param({2.0F});
  CHECK_THROWS_WITH_AS(
      SGD({{.params = {a}}, {.params = {b}, .options = SGDOptions{.momentum = 1.0}}}),
      "SGD: parameter group 1: momentum must be in [0, 1), got 1", Error);
  CHECK_THROWS_WITH_AS(SGD({{.params = {a}}, {.params = {}}}), "SGD: parameter group 1 is empty",
                       Error);
  CHECK_THROWS_WITH_AS(SGD({{.params = {a}}, {.params = {a}}}),
                       "SGD: parameter 1 is the same tensor as parameter 0", Error);
  CHECK_THROWS_WITH_AS(Adam(std::vector<Adam::ParamGroup>{{.params = {a}}}, {.beta1 = 2.0}),
                       "Adam: beta1 must be in [0, 1), got 2", Error);
}

TEST_CASE("a schedule scales each group's own initial rate") {
  // Groups built with 0.1 and 0.01; StepLR α = 0.1, halved every step: factor_at(t) = 0.5^t.
  //   t = 2: factor 0.25 → 0.025 and 0.0025 (the second group keeps a tenth of the first)
  const Tensor a = make_param({1.0F});
  const Tensor b = make_param({1.0F});
  SGD optimizer({{.params = {a}}, {.params = {b}, .options = SGDOptions{.lr = 0.01}}}, {.lr = 0.1});
  const StepLR schedule({.lr = 0.1, .step_size = 1, .gamma = 0.5});
  CHECK(schedule.base_lr() == 0.1);
  CHECK(schedule.factor_at(2) == doctest::Approx(0.25));
  optimizer.set_lr_factor(schedule.factor_at(2));
  CHECK(optimizer.lr(0) == doctest::Approx(0.025));
  CHECK(optimizer.lr(1) == doctest::Approx(0.0025));
  CHECK(optimizer.initial_lr(1) == 0.01);
  optimizer.set_lr(0.3);  // one rate for every group
  CHECK(optimizer.lr(0) == 0.3);
  CHECK(optimizer.lr(1) == 0.3);
  CHECK_THROWS_WITH_AS(optimizer.set_lr_factor(-1.0), "SGD: lr factor must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS((void)ConstantLR({.lr = 0.0}).factor_at(0),
                       doctest::Contains("its base learning rate is 0"), Error);
}

TEST_CASE("one group built with the schedule's base rate follows lr_at exactly") {
  // LinearWarmup's base rate is the one it ramps up to (0.1), not its step-0 rate (0).
  const auto cosine =
      std::make_shared<CosineAnnealingLR>(CosineAnnealingLROptions{.lr = 0.1, .total_steps = 10});
  const LinearWarmup schedule(cosine, {.warmup_steps = 4});
  CHECK(schedule.base_lr() == 0.1);
  SGD optimizer({make_param({1.0F})}, {.lr = 0.1});
  for (int64_t step : {0, 2, 4, 9, 20}) {
    optimizer.set_lr_factor(schedule.factor_at(step));
    CHECK(optimizer.lr() == doctest::Approx(schedule.lr_at(step)).epsilon(1e-15));
  }
  // OneCycleLR starts at max_lr / div_factor, CyclicLR at base_lr.
  CHECK(OneCycleLR({.max_lr = 1.0, .total_steps = 10, .div_factor = 4.0}).base_lr() == 0.25);
  CHECK(CyclicLR({.base_lr = 0.2, .max_lr = 1.0}).base_lr() == 0.2);
}

TEST_CASE("ReduceLROnPlateau's factor scales every group") {
  // initial 0.1, factor 0.5, patience 0: the second (worse) metric halves the rate → factor 0.5
  ReduceLROnPlateau plateau(0.1, {.factor = 0.5, .patience = 0});
  plateau.update(1.0);
  plateau.update(2.0);
  CHECK(plateau.factor() == doctest::Approx(0.5));
  SGD optimizer({{.params = {make_param({1.0F})}},
                 {.params = {make_param({1.0F})}, .options = SGDOptions{.lr = 0.02}}},
                {.lr = 0.1});
  optimizer.set_lr_factor(plateau.factor());
  CHECK(optimizer.lr(0) == doctest::Approx(0.05));
  CHECK(optimizer.lr(1) == doctest::Approx(0.01));
}

TEST_CASE("a state file stores the groups, loading restores their options and rates") {
  const auto make = [](const Tensor& a, const Tensor& b) {
    return std::make_unique<Adam>(std::vector<Adam::ParamGroup>{{.params = {a}}, {.params = {b}}},
                                  AdamOptions{.lr = 0.1});
  };
  const std::vector<std::vector<float>> gradients = {{0.5F, -1.0F}, {2.0F}};
  const Tensor a = make_param(kStart);
  const Tensor b = make_param({4.0F});
  auto saved = make(a, b);
  saved->set_options(1, {.lr = 0.02, .beta1 = 0.5, .weight_decay = 0.1});
  step_with(*saved, {a, b}, gradients);
  // Both groups were built with 0.1 (set_options leaves the base rate): 0.1 · 0.5 = 0.05 each.
  saved->set_lr_factor(0.5);
  const StateDict dict = decode_state(encode_state(saved->state_dict()), "groups.state");
  REQUIRE(dict.groups.size() == 2);
  CHECK(dict.groups[1].lr == doctest::Approx(0.05));
  CHECK(dict.groups[1].initial_lr == 0.1);

  const Tensor resumed_a = make_param(a.to_vector());
  const Tensor resumed_b = make_param(b.to_vector());
  auto resumed = make(resumed_a, resumed_b);
  resumed->load_state_dict(dict);
  CHECK(resumed->options(1).beta1 == 0.5);
  CHECK(resumed->options(1).weight_decay == 0.1);
  CHECK(resumed->lr(1) == doctest::Approx(0.05));
  CHECK(resumed->lr(0) == doctest::Approx(0.05));
  step_with(*saved, {a, b}, gradients);
  step_with(*resumed, {resumed_a, resumed_b}, gradients);
  CHECK(resumed_a.to_vector() == a.to_vector());
  CHECK(resumed_b.to_vector() == b.to_vector());
  CHECK(encode_state(resumed->state_dict()) == encode_state(saved->state_dict()));

  Adam one_group({make_param(kStart), make_param({4.0F})});
  CHECK_THROWS_WITH_AS(one_group.load_state_dict(dict, "groups.state"),
                       "Adam: groups.state holds parameter groups of [1, 1] parameters, but this "
                       "optimizer's groups have [2]",
                       Error);
}

TEST_CASE("a training checkpoint stores the optimizer's groups") {
  const auto make_model = [] { return nn::Linear({.in = 2, .out = 1}); };
  auto dataset = std::make_shared<data::TensorDataset>(from_vector({1.0F, 2.0F}, {1, 2}),
                                                       from_vector({1.0F}, {1, 1}));
  nn::Linear model = make_model();
  data::DataLoader loader(dataset, {.batch_size = 1});
  const nn::DecaySplit split = nn::split_decay(model);
  SGD optimizer({{.params = split.decay}, {.params = split.no_decay}}, {.lr = 0.1});
  optimizer.set_options(1, {.lr = 0.3, .weight_decay = 0.2});
  const std::string bytes = train::encode_training_checkpoint({model, optimizer, loader}, {});

  nn::Linear restored_model = make_model();
  data::DataLoader restored_loader(dataset, {.batch_size = 1});
  const nn::DecaySplit restored_split = nn::split_decay(restored_model);
  SGD restored({{.params = restored_split.decay}, {.params = restored_split.no_decay}},
               {.lr = 0.1});
  train::load_training_checkpoint_bytes({restored_model, restored, restored_loader}, bytes,
                                        "memory");
  CHECK(restored.lr(1) == 0.3);
  CHECK(restored.options(1).weight_decay == 0.2);
  CHECK(restored.lr(0) == 0.1);
}

namespace {

// True when `actual` holds exactly the tensors of `expected`, in order.
bool same_tensors(const std::vector<Tensor>& actual, const std::vector<Tensor>& expected) {
  if (actual.size() != expected.size()) return false;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i].impl() != expected[i].impl()) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("split_decay: Linear and Conv2d weights decay, biases and BatchNorm weights do not") {
  nn::Sequential model(nn::Conv2d({.in = 1, .out = 2, .kernel = 3}),
                       nn::BatchNorm2d({.features = 2}), nn::Flatten(),
                       nn::Linear({.in = 8, .out = 3}));
  const nn::DecaySplit split = nn::split_decay(model);
  CHECK(same_tensors(split.decay, {model.parameter("0.weight"), model.parameter("3.weight")}));
  CHECK(same_tensors(split.no_decay, {model.parameter("0.bias"), model.parameter("1.weight"),
                                      model.parameter("1.bias"), model.parameter("3.bias")}));
}

TEST_CASE("split_decay: recurrent and attention matrices decay, embeddings and LayerNorms do not") {
  nn::Sequential model(nn::Embedding({.num_embeddings = 5, .embedding_dim = 4}),
                       nn::LayerNorm({.normalized_shape = {3, 4}}),
                       nn::LSTM({.input_size = 4, .hidden_size = 4, .batch_first = true}),
                       nn::MultiheadAttention({.embed_dim = 4, .num_heads = 2}));
  const nn::DecaySplit split = nn::split_decay(model);
  CHECK(same_tensors(split.decay,
                     {model.parameter("2.weight_ih_l0"), model.parameter("2.weight_hh_l0"),
                      model.parameter("3.in_proj_weight"), model.parameter("3.out_proj.weight")}));
  CHECK(same_tensors(
      split.no_decay,
      {model.parameter("0.weight"), model.parameter("1.weight"), model.parameter("1.bias"),
       model.parameter("2.bias_ih_l0"), model.parameter("2.bias_hh_l0"),
       model.parameter("3.in_proj_bias"), model.parameter("3.out_proj.bias")}));
}

TEST_CASE("a trace of a parameter in a group reports that group's learning rate") {
  std::ostringstream csv;
  const Tensor a = make_param({1.0F});
  const Tensor b = make_param({1.0F});
  SGD optimizer({{.params = {a}}, {.params = {b}, .options = SGDOptions{.lr = 0.25}}}, {.lr = 0.1});
  optimizer.add_observer(std::make_shared<Trace>(csv, TraceOptions{.param_index = 1}));
  step_with(optimizer, {a, b}, {{1.0F}, {1.0F}});
  CHECK(csv.str() == "step,lr,grad,effective_lr,update,param\n1,0.25,1,0.25,-0.25,0.75\n");
}
