// Trace: CSV rows of one parameter element's update per step (see trace.h).
#include "optim/trace.h"

#include <fmt/format.h>

#include <ostream>

#include "core/error.h"

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

}  // namespace minidl::optim
