// Trace: a per-step CSV record of one parameter element's update, for learners who want to watch
// what an optimizer does. It is a StepObserver: attach it with `opt.add_observer(trace)`, and
// every step then appends
//   step,lr,grad,<state buffers...>,effective_lr,update,param
// where the state columns are the optimizer's own buffers by name (exp_avg, exp_avg_sq, ...),
// `update` is the change applied to the element, `param` its new value, and
// `effective_lr` = -update / grad is the plain-SGD learning rate that would have made the same
// change (empty when grad is 0). Steps where the parameter had no gradient write no row.
#pragma once

#include <cstdint>
#include <fstream>
#include <iosfwd>
#include <string>
#include <vector>

#include "optim/state_dict.h"
#include "optim/step_observer.h"

namespace minidl::optim {

/// Which element to trace: parameter `param_index` of the optimizer, flat element `element`.
struct TraceOptions {
  size_t param_index = 0;
  int64_t element = 0;
};

/// One traced step.
struct TraceRow {
  int64_t step = 0;                 // the optimizer's step count after this update (t)
  double lr = 0.0;                  // learning rate used
  float grad = 0.0F;                // g_t of the element
  std::vector<NamedValue> state{};  // the optimizer's state values after the update
  float update = 0.0F;              // param_after - param_before
  float param = 0.0F;               // param_after
};

/// Writes one element's steps as CSV rows (header first).
class Trace final : public StepObserver {
 public:
  /// Writes to the file at `path` (truncated); throws minidl::Error when it cannot be opened.
  explicit Trace(const std::string& path, TraceOptions options = {});
  /// Writes to `out`, which must outlive the trace.
  explicit Trace(std::ostream& out, TraceOptions options = {});
  /// The traced parameter and element.
  const TraceOptions& options() const { return options_; }
  /// Appends one row (and the header before the first).
  void record(const TraceRow& row);
  /// Number of rows written.
  int64_t rows() const { return rows_; }

  /// Refuses an optimizer without the traced parameter or element.
  void on_attach(const Optimizer& optimizer) override;
  /// Remembers the element's gradient and value (when it has a gradient).
  void before_step(const Optimizer& optimizer) override;
  /// Writes the row of the step that before_step saw begin.
  void after_step(const Optimizer& optimizer) override;

 private:
  std::ofstream file_;
  std::ostream* out_;
  TraceOptions options_;
  int64_t rows_ = 0;
  bool step_has_grad_ = false;  // whether before_step found a gradient for the element
  float grad_before_ = 0.0F;
  float param_before_ = 0.0F;
};

}  // namespace minidl::optim
