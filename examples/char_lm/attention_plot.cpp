// The attention picture of examples/char_lm (see attention_plot.h).
#include "examples/char_lm/attention_plot.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "core/error.h"
#include "core/factories.h"
#include "core/grad_mode.h"
#include "data/words.h"
#include "examples/common/plot.h"

namespace minidl::examples {

namespace {

// gnuplot tic labels naming each position by its symbol: ("." 0, "c" 1, ...).
std::string symbol_tics(const std::vector<int64_t>& symbols) {
  std::string tics;
  for (size_t i = 0; i < symbols.size(); ++i) {
    tics += fmt::format("{}{} {}", i == 0 ? "" : ", ",
                        gnuplot_quote(std::string(1, data::Words::decode(symbols[i]))), i);
  }
  return "(" + tics + ")";
}

}  // namespace

bool plot_attention(GptModel& model, const std::string& word, const std::string& svg_path) {
  std::vector<int64_t> prefix{0};
  for (const char c : word) prefix.push_back(data::Words::encode(c));
  const std::vector<int64_t> symbols = model.window(prefix);
  const auto length = static_cast<int64_t>(symbols.size());

  std::vector<Tensor> blocks;
  {
    const NoGradGuard no_grad;
    const bool was_training = model.is_training();
    model.eval();
    blocks = model.attention_weights(
        from_vector(std::vector<float>(symbols.begin(), symbols.end()), {1, length}));
    model.train(was_training);
  }

  const std::string csv = std::filesystem::path(svg_path).replace_extension(".csv").string();
  const std::string script_path = std::filesystem::path(svg_path).replace_extension(".gp").string();
  std::ofstream data(csv);
  MINIDL_CHECK(data.good(), "char_lm: cannot write the attention weights to {}", csv);
  // One gnuplot data set per block (separated by two blank lines), the masked future left out.
  data << "# block,query,key,weight\n";
  for (size_t b = 0; b < blocks.size(); ++b) {
    const Tensor weights = blocks[b].contiguous();
    const float* w = weights.data();
    if (b > 0) data << "\n\n";
    for (int64_t query = 0; query < length; ++query) {
      for (int64_t key = 0; key <= query; ++key) {
        data << fmt::format("{},{},{},{:.5f}\n", b, query, key, w[query * length + key]);
      }
    }
  }
  data.close();
  MINIDL_CHECK(data.good(), "char_lm: cannot write the attention weights to {}", csv);

  const auto panels = static_cast<int>(blocks.size());
  const double edge = static_cast<double>(length) - 0.5;  // the last position's outer edge
  std::string script = gnuplot_svg_preamble(svg_path, 420 * panels, 460);
  const std::string tics = symbol_tics(symbols);
  script += fmt::format(
      "set multiplot layout 1,{} title {}\n"
      "unset grid\nset size ratio -1\nset palette defined (0 '#ffffff', 1 '#08519c')\n"
      "set cbrange [0:1]\nset xrange [-0.5:{}]\nset yrange [{}:-0.5]\n"
      "set xtics {} scale 0\nset ytics {} scale 0\n"
      "set xlabel 'attends to (key position)'\nset ylabel 'reading position (query)'\n",
      panels,
      gnuplot_quote(
          fmt::format("Attention of the tiny GPT over \".{}\", averaged over its heads", word)),
      edge, edge, tics, tics);
  for (int b = 0; b < panels; ++b) {
    script += fmt::format(
        "set title 'block {}'\n"
        "plot {} index {} using 3:2:(0.5):(0.5):4 with boxxyerror fs solid 1.0 noborder "
        "lc palette notitle\n",
        b + 1, gnuplot_quote(csv), b);
  }
  script += "unset multiplot\n";
  std::ofstream(script_path) << script;
  return run_gnuplot(script_path, svg_path, csv);
}

}  // namespace minidl::examples
