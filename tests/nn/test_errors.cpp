// Errors with provenance: a shape mismatch inside a layer names the layer with its options and
// both shapes; bad options name the layer; Sequential adds the index of the failing layer.
#include <doctest/doctest.h>

#include "minidl.h"

using namespace minidl;

namespace {

// The error message of `action`, or "" when it does not throw.
template <class Action>
std::string message_of(Action action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("Linear names itself and both shapes when the features do not fit") {
  nn::Linear linear({.in = 400, .out = 120});
  CHECK(message_of([&] {
          linear(zeros({2, 256}));
        }) ==
        "Linear(in=400, out=120): expected input of shape [*, 400] (last dim = in features), got "
        "shape [2, 256]");
}

TEST_CASE("the classic LeNet mistake says which layer expected 400 and got 256") {
  // With 28x28 inputs the feature maps end at 16 x 4 x 4 = 256, not the 16 x 5 x 5 = 400 of
  // LeNet's original 32x32 inputs.
  nn::Sequential lenet(
      nn::Conv2d({.in = 1, .out = 6, .kernel = 5}), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
      nn::Conv2d({.in = 6, .out = 16, .kernel = 5}), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
      nn::Flatten(), nn::Linear({.in = 400, .out = 120}), nn::ReLU(),
      nn::Linear({.in = 120, .out = 84}), nn::ReLU(), nn::Linear({.in = 84, .out = 10}));
  CHECK(message_of([&] {
          lenet(zeros({2, 1, 28, 28}));
        }) ==
        "Sequential: layer (7) Linear(in=400, out=120): expected input of shape [*, 400] (last dim "
        "= in features), got shape [2, 256]");
}

TEST_CASE("Conv2d names itself when the channels do not match") {
  nn::Conv2d conv({.in = 3, .out = 6, .kernel = 5});
  CHECK(message_of([&] {
          conv(zeros({2, 1, 28, 28}));
        }) ==
        "Conv2d(in=3, out=6, kernel=5, stride=1, padding=0): expected input of shape [N, 3, H, W], "
        "got shape [2, 1, 28, 28]");
  CHECK(message_of([&] {
          conv(zeros({3, 28, 28}));
        }).find("got shape [3, 28, 28]") != std::string::npos);
}

TEST_CASE("Conv2d names itself when the input is smaller than the kernel") {
  nn::Conv2d conv({.in = 1, .out = 2, .kernel = 5, .dilation = 2});
  const std::string message = message_of([&] { conv(zeros({1, 1, 6, 6})); });
  CHECK(message.find(
            "Conv2d(in=1, out=2, kernel=5, stride=1, padding=0, dilation=2): conv2d: "
            "input [1, 1, 6, 6] with padding 0 is smaller than the (dilated) kernel 9x9") == 0);
}

TEST_CASE("pooling, flatten, softmax and batch-norm layers name themselves") {
  CHECK(message_of([] {
          nn::MaxPool2d({.kernel = 2})(zeros({4, 4}));
        }) ==
        "MaxPool2d(kernel=2, stride=2, padding=0): max_pool2d: input must be 4-D [N, C, H, W], got "
        "shape [4, 4]");
  CHECK(message_of([] {
          nn::AvgPool2d({.kernel = 5})(zeros({1, 1, 3, 3}));
        }).find("AvgPool2d(kernel=5, stride=5, padding=0): avg_pool2d: input [1, 1, 3, 3]") == 0);
  CHECK(message_of([] {
          nn::Flatten({.start_dim = 3})(zeros({2, 3}));
        })
            .find("Flatten(start_dim=3, "
                  "end_dim=-1): ") == 0);
  CHECK(message_of([] { nn::Softmax({.dim = 2})(zeros({2, 3})); }).find("Softmax(dim=2): ") == 0);
  CHECK(message_of([] {
          nn::BatchNorm2d({.features = 3})(zeros({2, 4, 5, 5}));
        }) ==
        "BatchNorm2d(features=3, eps=1e-05, momentum=0.1): expected input of shape [N, 3, H, W], "
        "got shape [2, 4, 5, 5]");
  CHECK(message_of([] {
          nn::BatchNorm1d({.features = 3})(zeros({2, 3, 4, 5}));
        }) ==
        "BatchNorm1d(features=3, eps=1e-05, momentum=0.1): expected input of shape [N, 3] or "
        "[N, 3, L], got shape [2, 3, 4, 5]");
}

TEST_CASE("invalid options are refused with the layer's description") {
  CHECK(message_of([] { nn::Linear({.in = 0, .out = 3}); }) ==
        "Linear(in=0, out=3): in and out must be positive");
  CHECK(message_of([] { nn::Conv2d({.in = 3, .out = 4, .kernel = 3, .groups = 2}); }) ==
        "Conv2d(in=3, out=4, kernel=3, stride=1, padding=0, groups=2): groups 2 must divide both "
        "in 3 and out 4");
  CHECK(message_of([] { nn::Conv2d({.in = 3, .out = 4}); }).find("kernel must be positive") !=
        std::string::npos);
  CHECK(message_of([] { nn::MaxPool2d({.kernel = 2, .padding = 2}); }) ==
        "MaxPool2d(kernel=2, stride=2, padding=2): padding 2 must be between 0 and half the "
        "kernel 2");
  CHECK(message_of([] { nn::Dropout({.p = 1.5F}); }) ==
        "Dropout(p=1.5): p must be in [0, 1], got 1.5");
  CHECK(message_of([] {
          nn::BatchNorm2d({.features = 0});
        }).find("BatchNorm2d(features=0, eps=1e-05, momentum=0.1): features must be positive") ==
        0);
}

TEST_CASE("nested Sequential errors carry every index on the path") {
  auto inner = std::make_shared<nn::Sequential>(nn::ReLU(), nn::Linear({.in = 3, .out = 2}));
  nn::Sequential outer(nn::Flatten(), inner);
  CHECK(message_of([&] {
          outer(zeros({2, 2, 2}));
        }) ==
        "Sequential: layer (1) Sequential: layer (1) Linear(in=3, out=2): expected input of shape "
        "[*, 3] (last dim = in features), got shape [2, 4]");
}
