// Trace: CSV rows of one parameter element's update per step (see trace.h).
#include "optim/trace.h"

#include <fmt/format.h>

#include <ostream>

#include "core/error.h"
#include "optim/optimizer.h"

namespace minidl::optim {

Trace::Trace(const std::string& path, TraceOptions options)
    : file_(path), out_(&file_), options_(options) {
  MINIDL_CHECK(file_.is_open(), "Trace: cannot open '{}' for writing", path);
}

Trace::Trace(std::ostream& out, TraceOptions options) : out_(&out), options_(options) {}

void Trace::record(const TraceRow& row) {
  std::ostream& out = *out_;
  if (rows_ == 0) {
    out << "step,lr,grad";
    for (const NamedValue& value : row.state) out << ',' << value.name;
    out << ",effective_lr,update,param\n";
  }
  out << fmt::format("{},{},{}", row.step, row.lr, row.grad);
  for (const NamedValue& value : row.state) out << fmt::format(",{:.9g}", value.value);
  const std::string effective_lr =
      row.grad != 0.0F ? fmt::format("{:.9g}", -static_cast<double>(row.update) / row.grad) : "";
  out << fmt::format(",{},{},{}\n", effective_lr, row.update, row.param);
  out.flush();
  MINIDL_CHECK(out.good(), "Trace: writing row {} failed", rows_ + 1);
  ++rows_;
}

void Trace::on_attach(const Optimizer& optimizer) {
  const size_t count = optimizer.params().size();
  MINIDL_CHECK(options_.param_index < count,
               "{}: trace asks for parameter {}, but there are {} parameters", optimizer.kind(),
               options_.param_index, count);
  const int64_t numel = optimizer.params()[options_.param_index].numel();
  MINIDL_CHECK(options_.element >= 0 && options_.element < numel,
               "{}: trace asks for element {} of parameter {}, which has {} elements",
               optimizer.kind(), options_.element, options_.param_index, numel);
}

void Trace::before_step(const Optimizer& optimizer) {
  const Tensor& param = optimizer.params()[options_.param_index];
  const Tensor grad = param.grad();
  step_has_grad_ = grad.defined();
  if (!step_has_grad_) return;
  const int64_t element = options_.element;
  grad_before_ = grad.is_contiguous() ? grad.data()[element] : grad.contiguous().data()[element];
  param_before_ = param.data()[element];
}

void Trace::after_step(const Optimizer& optimizer) {
  if (!step_has_grad_) return;
  const float param = optimizer.params()[options_.param_index].data()[options_.element];
  record({.step = optimizer.step_count(),
          .lr = optimizer.lr(optimizer.group_of(options_.param_index)),
          .grad = grad_before_,
          .state = optimizer.state_values(options_.param_index, options_.element),
          .update = param - param_before_,
          .param = param});
}

}  // namespace minidl::optim
