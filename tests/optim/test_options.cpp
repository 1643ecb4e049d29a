// Option and parameter validation: every optimizer checks its options up front and says which
// optimizer, which option and which value was wrong.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/ops/arithmetic.h"
#include "optim/optim.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

namespace {

std::vector<Tensor> one_param() { return {make_param({1.0F})}; }

}  // namespace

TEST_CASE("optimizers refuse a negative, NaN or infinite learning rate") {
  CHECK_THROWS_WITH_AS(SGD(one_param(), {.lr = -0.1}),
                       "SGD: lr must be a finite number >= 0, got -0.1", Error);
  CHECK_THROWS_WITH_AS(Adam(one_param(), {.lr = std::nan("")}),
                       "Adam: lr must be a finite number >= 0, got nan", Error);
  CHECK_THROWS_WITH_AS(RMSprop(one_param(), {.lr = std::numeric_limits<double>::infinity()}),
                       "RMSprop: lr must be a finite number >= 0, got inf", Error);
  CHECK_THROWS_WITH_AS(LBFGS(one_param(), {.lr = -1.0}),
                       "LBFGS: lr must be a finite number >= 0, got -1", Error);
  SGD optimizer(one_param());
  CHECK_THROWS_WITH_AS(optimizer.set_lr(-1.0), "SGD: lr must be a finite number >= 0, got -1",
                       Error);
  optimizer.set_lr(0.5);
  CHECK(optimizer.lr() == 0.5);
}

TEST_CASE("Adam-family optimizers refuse betas outside 0 <= beta < 1") {
  CHECK_THROWS_WITH_AS(Adam(one_param(), {.beta2 = 1.5}), "Adam: beta2 must be in [0, 1), got 1.5",
                       Error);
  CHECK_THROWS_WITH_AS(Adam(one_param(), {.beta1 = -0.1}),
                       "Adam: beta1 must be in [0, 1), got -0.1", Error);
  CHECK_THROWS_WITH_AS(AdamW(one_param(), {.beta1 = 1.0}), "AdamW: beta1 must be in [0, 1), got 1",
                       Error);
  CHECK_THROWS_WITH_AS(NAdam(one_param(), {.beta2 = 2.0}), "NAdam: beta2 must be in [0, 1), got 2",
                       Error);
  CHECK_THROWS_WITH_AS(RAdam(one_param(), {.beta1 = 1.1}),
                       "RAdam: beta1 must be in [0, 1), got 1.1", Error);
}

TEST_CASE("optimizers refuse a negative eps or weight decay") {
  CHECK_THROWS_WITH_AS(Adam(one_param(), {.eps = -1e-8}), "Adam: eps must be >= 0, got -1e-08",
                       Error);
  CHECK_THROWS_WITH_AS(SGD(one_param(), {.weight_decay = -0.1}),
                       "SGD: weight_decay must be >= 0, got -0.1", Error);
  CHECK_THROWS_WITH_AS(Adagrad(one_param(), {.eps = -1.0}), "Adagrad: eps must be >= 0, got -1",
                       Error);
  CHECK_THROWS_WITH_AS(Adagrad(one_param(), {.weight_decay = -1.0}),
                       "Adagrad: weight_decay must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(RMSprop(one_param(), {.eps = -1.0}), "RMSprop: eps must be >= 0, got -1",
                       Error);
  CHECK_THROWS_WITH_AS(Adadelta(one_param(), {.eps = -1.0}), "Adadelta: eps must be >= 0, got -1",
                       Error);
  CHECK_THROWS_WITH_AS(Adadelta(one_param(), {.weight_decay = std::nan("")}),
                       "Adadelta: weight_decay must be >= 0, got nan", Error);
  CHECK_THROWS_WITH_AS(AdamW(one_param(), {.weight_decay = -0.01}),
                       "AdamW: weight_decay must be >= 0, got -0.01", Error);
  CHECK_THROWS_WITH_AS(NAdam(one_param(), {.weight_decay = -1.0}),
                       "NAdam: weight_decay must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(RAdam(one_param(), {.eps = -1.0}), "RAdam: eps must be >= 0, got -1", Error);
}

TEST_CASE("optimizers refuse invalid algorithm-specific options") {
  CHECK_THROWS_WITH_AS(SGD(one_param(), {.momentum = 1.0}),
                       "SGD: momentum must be in [0, 1), got 1", Error);
  CHECK_THROWS_WITH_AS(SGD(one_param(), {.nesterov = true}),
                       "SGD: nesterov needs momentum > 0, got momentum 0", Error);
  CHECK_THROWS_WITH_AS(Adagrad(one_param(), {.lr_decay = -1.0}),
                       "Adagrad: lr_decay must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(Adagrad(one_param(), {.initial_accumulator_value = -1.0}),
                       "Adagrad: initial_accumulator_value must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(RMSprop(one_param(), {.alpha = 1.0}),
                       "RMSprop: alpha must be in [0, 1), got 1", Error);
  CHECK_THROWS_WITH_AS(RMSprop(one_param(), {.momentum = -0.5}),
                       "RMSprop: momentum must be in [0, 1), got -0.5", Error);
  CHECK_THROWS_WITH_AS(Adadelta(one_param(), {.rho = 1.0}),
                       "Adadelta: rho must be in [0, 1), got 1", Error);
  CHECK_THROWS_WITH_AS(NAdam(one_param(), {.momentum_decay = -1.0}),
                       "NAdam: momentum_decay must be >= 0, got -1", Error);
  CHECK_THROWS_WITH_AS(LBFGS(one_param(), {.max_iter = 0}), "LBFGS: max_iter must be >= 1, got 0",
                       Error);
  CHECK_THROWS_WITH_AS(LBFGS(one_param(), {.history_size = 0}),
                       "LBFGS: history_size must be >= 1, got 0", Error);
  CHECK_THROWS_WITH_AS(LBFGS(one_param(), {.tolerance_grad = -1.0}),
                       "LBFGS: tolerance_grad must be >= 0, got -1", Error);
  CHECK(LBFGS(one_param(), {.max_iter = 20}).options().max_eval == 25);  // 0 = max_iter * 5/4
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  CHECK_THROWS_WITH_AS(LBFGS(one_param(), {.max_iter = kMax}),
                       "LBFGS: the default max_eval, max_iter · 5 / 4 (set max_eval): "
                       "9223372036854775807 · 5 does not fit in a 64-bit integer",
                       Error);
  CHECK(LBFGS(one_param(), {.max_iter = kMax, .max_eval = kMax}).options().max_eval == kMax);
}

TEST_CASE("optimizers refuse bad parameter lists") {
  CHECK_THROWS_WITH_AS(SGD(std::vector<Tensor>{}), "SGD: got an empty parameter list", Error);
  CHECK_THROWS_WITH_AS(Adam({Tensor()}), "Adam: parameter 0 is an undefined tensor", Error);
  const Tensor leaf = make_param({1.0F, 2.0F});
  CHECK_THROWS_WITH_AS(SGD({leaf, leaf * 2.0F}), doctest::Contains("parameter 1"), Error);
  CHECK_THROWS_WITH_AS(SGD({leaf, leaf}), "SGD: parameter 1 is the same tensor as parameter 0",
                       Error);
  const Tensor square = make_param({1.0F, 2.0F, 3.0F, 4.0F}).detach().reshape({2, 2});
  CHECK_THROWS_WITH_AS(SGD({square.transpose(0, 1)}),
                       "SGD: parameter 0 (shape [2, 2]) is not contiguous", Error);
}

TEST_CASE("each optimizer reports its kind") {
  CHECK(SGD(one_param()).kind() == "SGD");
  CHECK(Adagrad(one_param()).kind() == "Adagrad");
  CHECK(RMSprop(one_param()).kind() == "RMSprop");
  CHECK(Adadelta(one_param()).kind() == "Adadelta");
  CHECK(Adam(one_param()).kind() == "Adam");
  CHECK(AdamW(one_param()).kind() == "AdamW");
  CHECK(NAdam(one_param()).kind() == "NAdam");
  CHECK(RAdam(one_param()).kind() == "RAdam");
  CHECK(LBFGS(one_param()).kind() == "LBFGS");
}
