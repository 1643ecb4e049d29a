// The examples' factory builds every optimizer and every schedule their command lines offer.
#include <doctest/doctest.h>

#include <cmath>

#include "examples/common/optim_factory.h"
#include "minidl.h"

using namespace minidl;
using namespace minidl::examples;

TEST_CASE("every optimizer name builds an optimizer that lowers a quadratic") {
  for (const std::string& name : optimizer_names()) {
    Tensor x = from_vector({1.0F, -2.0F}).requires_grad_();
    auto optimizer = make_optimizer({.name = name, .lr = name == "adadelta" ? 1.0 : 0.05}, {x});
    auto loss_of = [&] { return sum(x * x); };
    const float before = loss_of().item();
    for (int i = 0; i < 5; ++i) {
      optimizer->step([&] {
        optimizer->zero_grad();
        Tensor loss = loss_of();
        loss.backward();
        return loss;
      });
    }
    INFO(name);
    CHECK(loss_of().item() < before);
  }
}

TEST_CASE("every schedule name builds a schedule with finite, positive rates") {
  for (const std::string& name : schedule_names()) {
    ScheduleConfig config{.name = name, .milestones = {1.0, 2.0}, .warmup_epochs = 0.5};
    auto schedule = make_schedule(config, 0.01, 10, 3);
    INFO(name);
    for (int64_t step : {0, 5, 15, 29, 40}) {
      const double lr = schedule->lr_at(step);
      CHECK(std::isfinite(lr));
      CHECK(lr >= 0.0);
    }
    CHECK(schedule->lr_at(10) > 0.0);
  }
}

TEST_CASE("an unknown optimizer or schedule is refused by name") {
  Tensor x = ones({1}).requires_grad_();
  CHECK_THROWS_WITH_AS(make_optimizer({.name = "sgdx"}, {x}),
                       doctest::Contains("unknown optimizer 'sgdx'"), Error);
  CHECK_THROWS_WITH_AS(make_schedule({.name = "cosinus"}, 0.1, 10, 1),
                       doctest::Contains("unknown schedule 'cosinus'"), Error);
}
