// Adam, AMSGrad, AdamW, NAdam and RAdam: three steps on θ0 = [1, -2] with fixed gradients
// g1 = [0.5, -1], g2 = [-0.25, 2], g3 = [1, 0.5], against values worked out by hand from the
// formulas in each optimizer's header (irrational intermediates rounded to 9 digits).
// Shared first steps: m = β1 m + (1-β1) g, v = β2 v + (1-β2) g² with β1 = 0.9, β2 = 0.999 give
//   m1 = [0.05, -0.1]   m2 = [0.02, 0.11]   m3 = [0.118, 0.149]
//   v1 = [0.00025, 0.001]   v2 = [0.00031225, 0.004999]   v3 = [0.00131193775, 0.005244001]
//   1-β1^t = 0.1, 0.19, 0.271;   1-β2^t = 0.001, 0.001999, 0.002997001
#include <doctest/doctest.h>

#include "optim/adam.h"
#include "optim/adamw.h"
#include "optim/amsgrad.h"
#include "optim/nadam.h"
#include "optim/radam.h"
#include "optim_test_helpers.h"

using namespace minidl;
using namespace minidl::optim;
using namespace minidl::optim::testing;

TEST_CASE("Adam steps along the bias-corrected moments") {
  // η = 0.1, ε = 1e-8
  // t=1: m̂ = m1/0.1 = [0.5, -1];  v̂ = v1/0.001 = [0.25, 1];  θ = θ0 - 0.1 m̂/√v̂ = [0.9, -1.9]
  //      (the first Adam step is η·sign(g), whatever the gradient's size)
  // t=2: m̂ = m2/0.19 = [0.105263158, 0.578947368];  v̂ = v2/0.001999 = [0.156203102, 2.50075038]
  //      θ = [0.9 - 0.0105263158/0.395225381, -1.9 - 0.0578947368/1.58137610] = [0.873366299, -1.93661035]
  // t=3: m̂ = [0.435424354, 0.549815498];  v̂ = [0.437750188, 1.7497495]
  //      θ = [0.873366299 - 0.0435424354/0.661626926, -1.93661035 - 0.0549815498/1.32277341]
  //        = [0.80755514, -1.97817547]
  check_three_steps([](std::vector<Tensor> params) { return Adam(params, {.lr = 0.1}); },
                    {{0.9, -1.9}, {0.873366299, -1.93661035}, {0.80755514, -1.97817547}});
}

TEST_CASE("Adam weight decay is coupled: lambda * theta joins the gradient before the moments") {
  // η = 0.1, λ = 0.1: g' = g + 0.1 θ
  // t=1: g' = [0.6, -1.2];  m = [0.06, -0.12];  v = [0.00036, 0.00144];  m̂/√v̂ = [1, -1]
  //      θ = [0.9, -1.9]   (normalization cancels the decay's size on the first step)
  // t=2: g' = [-0.16, 1.81];  m = [0.038, 0.073];  v = [0.00038524, 0.00471466]
  //      m̂ = [0.2, 0.384210526];  v̂ = [0.192716358, 2.35850925];  θ = [0.854441367, -1.92501788]
  // t=3: g' = [1.08544414, 0.307498212];  m = [0.142744414, 0.0964498212];
  //      v = [0.00156304373, 0.00480450049];  m̂ = [0.526732154, 0.355903399];
  //      v̂ = [0.52153594, 1.60310273];  θ = [0.7815044, -1.95312727]
  check_three_steps(
      [](std::vector<Tensor> params) { return Adam(params, {.lr = 0.1, .weight_decay = 0.1}); },
      {{0.9, -1.9}, {0.854441367, -1.92501788}, {0.7815044, -1.95312727}});
}

// With β2 = 0.5 the second moment can shrink, which is where AMSGrad differs from Adam:
//   v1 = [0.125, 0.5]   v2 = 0.5 v1 + 0.5 g2² = [0.09375, 2.25]   v3 = 0.5 v2 + 0.5 g3² = [0.546875, 1.25]
//   1-β2^t = 0.5, 0.75, 0.875
TEST_CASE("Adam with a small beta2 follows the shrinking second moment") {
  // η = 0.1, β2 = 0.5
  // t=1: m̂ = [0.5, -1];  v̂ = [0.25, 1];  θ = [0.9, -1.9]
  // t=2: m̂ = [0.105263158, 0.578947368];  v̂ = v2/0.75 = [0.125, 3]
  //      θ = [0.9 - 0.0105263158/0.353553391, -1.9 - 0.0578947368/1.73205081] = [0.870227086, -1.93342554]
  // t=3: m̂ = [0.435424354, 0.549815498];  v̂ = v3/0.875 = [0.625, 1.42857143]
  //      θ = [0.870227086 - 0.0435424354/0.790569415, -1.93342554 - 0.0549815498/1.19522861]
  //        = [0.815149778, -1.97942641]
  check_three_steps(
      [](std::vector<Tensor> params) { return Adam(params, {.lr = 0.1, .beta2 = 0.5}); },
      {{0.9, -1.9}, {0.870227086, -1.93342554}, {0.815149778, -1.97942641}});
}

TEST_CASE("Adam amsgrad keeps the running maximum of the second moment") {
  // η = 0.1, β2 = 0.5; v^max = max(v^max, v)
  // t=1: v^max = [0.125, 0.5];   v̂ = [0.25, 1];  θ = [0.9, -1.9]
  // t=2: v^max = [0.125, 2.25] (0.09375 < 0.125 keeps the old value);  v̂ = v^max/0.75 = [0.166666667, 3]
  //      θ = [0.9 - 0.0105263158/0.408248290, -1.93342554] = [0.8742159, -1.93342554]
  // t=3: v^max = [0.546875, 2.25] (1.25 < 2.25);  v̂ = v^max/0.875 = [0.625, 2.57142857]
  //      θ = [0.8742159 - 0.0435424354/0.790569415, -1.93342554 - 0.0549815498/1.60356745]
  //        = [0.819138592, -1.96771256]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return Adam(params, {.lr = 0.1, .beta2 = 0.5, .amsgrad = true});
      },
      {{0.9, -1.9}, {0.8742159, -1.93342554}, {0.819138592, -1.96771256}});
}

TEST_CASE("AMSGrad is Adam with amsgrad on") {
  // The same numbers as the amsgrad case above.
  check_three_steps(
      [](std::vector<Tensor> params) { return AMSGrad(params, {.lr = 0.1, .beta2 = 0.5}); },
      {{0.9, -1.9}, {0.8742159, -1.93342554}, {0.819138592, -1.96771256}});
}

TEST_CASE("AdamW decays theta directly by lr * lambda * theta, outside the moments") {
  // η = 0.1, λ = 0.1: θ' = θ - 0.01 θ = 0.99 θ, then the Adam step of the raw gradient (the
  // moments are those of the shared table above)
  // t=1: θ' = [0.99, -1.98];             θ = θ' - 0.1·[1, -1] = [0.89, -1.88]
  // t=2: θ' = [0.8811, -1.8612];         θ = θ' - [0.0266337012, 0.0366103503] = [0.854466299, -1.89781035]
  // t=3: θ' = [0.845921636, -1.87883225]; θ = θ' - [0.0658111595, 0.0415651188] = [0.780110477, -1.92039737]
  check_three_steps(
      [](std::vector<Tensor> params) { return AdamW(params, {.lr = 0.1, .weight_decay = 0.1}); },
      {{0.89, -1.88}, {0.854466299, -1.89781035}, {0.780110477, -1.92039737}});
}

TEST_CASE("AdamW with amsgrad combines decoupled decay and the running maximum") {
  // η = 0.1, λ = 0.1, β2 = 0.5: θ' = 0.99 θ, then the AMSGrad step of the amsgrad case
  // t=1: θ = [0.99, -1.98] - [0.1, -0.1] = [0.89, -1.88]
  // t=2: θ = [0.8811, -1.8612] - [0.0257841, 0.0334255] = [0.8553159, -1.89462554]
  // t=3: θ = [0.846762741, -1.87567928] - [0.0550773077, 0.0342870272] = [0.791685433, -1.90996631]
  check_three_steps(
      [](std::vector<Tensor> params) {
        return AdamW(params, {.lr = 0.1, .beta2 = 0.5, .weight_decay = 0.1, .amsgrad = true});
      },
      {{0.89, -1.88}, {0.8553159, -1.89462554}, {0.791685433, -1.90996631}});
}

TEST_CASE("NAdam mixes the current gradient and the next momentum coefficient") {
  // η = 0.1, ψ = 0.004: μ_t = 0.9 (1 - 0.5·0.96^(0.004 t))
  //   μ1 = 0.450073474, μ2 = 0.450146935, μ3 = 0.450220385, μ4 = 0.450293822
  //   Π1 = 0.450073474, Π2 = 0.202599195, Π3 = 0.0912142874
  //   c_g = η (1-μ_t)/(1-Π_t) = 0.1, 0.0689556696, 0.0604960672
  //   c_m = η μ_{t+1}/(1-Π_t μ_{t+1}) = 0.0564517784, 0.049540874, 0.0469581032
  //   θ -= c_g g/(√v̂ + ε) + c_m m/(√v̂ + ε),  v̂ = v/(1-β2^t) = [0.25, 1], [0.156203102, 2.50075038], [0.437750188, 1.7497495]
  // t=1: θ = [1 - 0.1·0.5/0.5 - 0.0564517784·0.05/0.5, -2 + 0.1 + 0.00564517784] = [0.894354822, -1.89435482]
  // t=2: θ = [0.894354822 + 0.0689556696·0.25/0.395225381 - 0.049540874·0.02/0.395225381,
  //           -1.89435482 - 0.0689556696·2/1.5813761 - 0.049540874·0.11/1.5813761]
  //        = [0.935465796, -1.98501057]
  // t=3: θ = [0.935465796 - (0.0604960672·1 + 0.0469581032·0.118)/0.661626926,
  //           -1.98501057 - (0.0604960672·0.5 + 0.0469581032·0.149)/1.32277341] = [0.835655586, -2.013167]
  check_three_steps(
      [](std::vector<Tensor> params) { return NAdam(params, {.lr = 0.1}); },
      {{0.894354824, -1.89435482}, {0.935465796, -1.98501057}, {0.835655586, -2.013167}});
}

TEST_CASE("NAdam weight decay is coupled") {
  // η = 0.1, λ = 0.1; μ, Π, c_g, c_m as in the plain case; g' = g + 0.1 θ
  // t=1: g' = [0.6, -1.2];  m = [0.06, -0.12];  v̂ = [0.36, 1.44]
  //      θ = [1 - (0.1·0.6 + 0.0564517784·0.06)/0.6, -2 + (0.1·1.2 + 0.0564517784·0.12)/1.2] = [0.894354822, -1.89435482]
  // t=2: g' = [-0.160564518, 1.81056452];  m = [0.0379435482, 0.0730564518];
  //      v = [0.000385420964, 0.00471670387];  θ = [0.915288832, -1.97798865]
  // t=3: g' = [1.09152888, 0.302201135];  m = [0.143302082, 0.0959709201];
  //      v = [0.00157647085, 0.0048033127];  θ = [0.814964224, -1.99598939]
  check_three_steps(
      [](std::vector<Tensor> params) { return NAdam(params, {.lr = 0.1, .weight_decay = 0.1}); },
      {{0.894354824, -1.89435482}, {0.915288832, -1.97798865}, {0.814964224, -1.99598939}});
}

TEST_CASE("RAdam is momentum SGD on m-hat while rho_t <= 5") {
  // η = 0.1, β2 = 0.999: ρ∞ = 1999, ρ_t = ρ∞ - 2 t β2^t/(1-β2^t) = 1, 1.99949975, 2.998666 (all <= 5)
  // θ -= η m̂,  m̂ = m/(1-β1^t) = [0.5, -1], [0.105263158, 0.578947368], [0.435424354, 0.549815498]
  // t=1: θ = [0.95, -1.9]
  // t=2: θ = [0.939473684, -1.95789474]
  // t=3: θ = [0.895931249, -2.01287629]
  check_three_steps([](std::vector<Tensor> params) { return RAdam(params, {.lr = 0.1}); },
                    {{0.95, -1.9}, {0.939473684, -1.95789474}, {0.895931249, -2.01287629}});
}

TEST_CASE("RAdam weight decay is coupled") {
  // η = 0.1, λ = 0.1 (ρ_t <= 5 as above): θ -= η m̂ of g' = g + 0.1 θ
  // t=1: g' = [0.6, -1.2];  m̂ = [0.6, -1.2];  θ = [0.94, -1.88]
  // t=2: g' = [-0.156, 1.812];  m = [0.0384, 0.0732];  m̂ = [0.202105263, 0.385263158];  θ = [0.919789474, -1.91852632]
  // t=3: g' = [1.09197895, 0.308147368];  m = [0.143757895, 0.0966947368];
  //      m̂ = [0.530471937, 0.356807147];  θ = [0.86674228, -1.95420703]
  check_three_steps(
      [](std::vector<Tensor> params) { return RAdam(params, {.lr = 0.1, .weight_decay = 0.1}); },
      {{0.94, -1.88}, {0.919789474, -1.91852632}, {0.86674228, -1.95420703}});
}

TEST_CASE("RAdam switches to the rectified adaptive step once rho_t exceeds 5") {
  // One element θ0 = 1, constant g = 0.5, η = 0.1, β1 = β2 = 0.9.
  // With a constant gradient m_t = (1-β1^t) g and v_t = (1-β2^t) g², so m̂ = g = 0.5 and
  // √(1-β2^t)/√v_t = 1/|g| = 2: the rectified step is η·r_t·0.5·2 = 0.1 r_t.
  // ρ∞ = 2/(1-0.9) - 1 = 19;  ρ_t = 19 - 2t·0.9^t/(1-0.9^t):
  //   t=1..5: ρ = 1, 1.94736842, 2.8597786, 3.73742367, 4.5805719  → θ -= η m̂ = 0.05 each: θ5 = 0.75
  //   t=6: ρ6 = 19 - 12·0.531441/0.468559 = 5.3895646 > 5
  //        r6 = √((ρ6-4)(ρ6-2)ρ∞ / ((ρ∞-4)(ρ∞-2)ρ6)) = √(1.3895646·3.3895646·19 / (15·17·5.3895646))
  //           = 0.255176807;  θ6 = 0.75 - 0.0255176807 = 0.724482319
  //   t=7: ρ7 = 6.16481347;  r7 = 0.330107019;  θ7 = 0.724482319 - 0.0330107019 = 0.691471617
  const Tensor param = make_param({1.0F});
  RAdam optimizer({param}, {.lr = 0.1, .beta1 = 0.9, .beta2 = 0.9});
  const std::vector<std::vector<float>> gradients(7, std::vector<float>{0.5F});
  const auto trajectory = run_fixed_gradients(optimizer, param, gradients);
  CHECK(trajectory[4][0] == doctest::Approx(0.75).epsilon(1e-6));
  CHECK(trajectory[5][0] == doctest::Approx(0.724482319).epsilon(1e-6));
  CHECK(trajectory[6][0] == doctest::Approx(0.691471617).epsilon(1e-6));
}
