// The StateFields visitors: collecting state into a StateDict, loading it back with checks, and
// probing one element for the trace.
#include "optim/state_dict.h"

#include "core/error.h"

namespace minidl::optim {

namespace {

std::string_view type_name(StateField::Type type) {
  switch (type) {
    case StateField::Type::Counter:
      return "counter";
    case StateField::Type::Scalar:
      return "scalar";
    case StateField::Type::Buffer:
      return "buffer";
  }
  return "unknown";
}

}  // namespace

void FieldCollector::counter(std::string_view name, int64_t& value) {
  out_.push_back({.name = std::string(name), .type = StateField::Type::Counter, .counter = value});
}

void FieldCollector::choice(std::string_view name, int64_t& value, int64_t /*count*/) {
  counter(name, value);
}

void FieldCollector::scalar(std::string_view name, double& value) {
  out_.push_back({.name = std::string(name), .type = StateField::Type::Scalar, .scalar = value});
}

void FieldCollector::buffer(std::string_view name, std::vector<float>& values, int64_t size) {
  MINIDL_CHECK(static_cast<int64_t>(values.size()) == size,
               "state buffer '{}' holds {} values, expected {}", name, values.size(), size);
  out_.push_back({.name = std::string(name), .type = StateField::Type::Buffer, .buffer = values});
}

FieldLoader::FieldLoader(const std::vector<StateField>& fields, std::string where)
    : fields_(fields), where_(std::move(where)) {}

const StateField& FieldLoader::next(std::string_view name, StateField::Type type) {
  MINIDL_CHECK(position_ < fields_.size(),
               "{}: field {} should be {} '{}', but the entry has only {} fields (was the "
               "optimizer built with other options?)",
               where_, position_, type_name(type), name, fields_.size());
  const StateField& field = fields_[position_];
  MINIDL_CHECK(field.name == name && field.type == type,
               "{}: field {} is {} '{}', expected {} '{}' (was the optimizer built with other "
               "options?)",
               where_, position_, type_name(field.type), field.name, type_name(type), name);
  ++position_;
  return field;
}

void FieldLoader::counter(std::string_view name, int64_t& value) {
  const StateField& field = next(name, StateField::Type::Counter);
  MINIDL_CHECK(field.counter >= 0, "{}: counter '{}' is negative ({})", where_, name,
               field.counter);
  value = field.counter;
}

void FieldLoader::choice(std::string_view name, int64_t& value, int64_t count) {
  const StateField& field = next(name, StateField::Type::Counter);
  MINIDL_CHECK(field.counter >= 0 && field.counter < count,
               "{}: '{}' is {}, which is not one of its {} choices 0..{}", where_, name,
               field.counter, count, count - 1);
  value = field.counter;
}

void FieldLoader::scalar(std::string_view name, double& value) {
  value = next(name, StateField::Type::Scalar).scalar;
}

void FieldLoader::buffer(std::string_view name, std::vector<float>& values, int64_t size) {
  const StateField& field = next(name, StateField::Type::Buffer);
  MINIDL_CHECK(static_cast<int64_t>(field.buffer.size()) == size,
               "{}: buffer '{}' holds {} values, expected {}", where_, name, field.buffer.size(),
               size);
  values = field.buffer;
}

void FieldLoader::finish() const {
  MINIDL_CHECK(position_ == fields_.size(),
               "{}: {} unexpected extra fields, the first is '{}' (was the optimizer built with "
               "other options?)",
               where_, fields_.size() - position_,
               position_ < fields_.size() ? fields_[position_].name : std::string());
}

void FieldProbe::counter(std::string_view /*name*/, int64_t& /*value*/) {
  // Counters (the per-parameter step t) repeat the trace's own step column; not reported.
}

void FieldProbe::choice(std::string_view /*name*/, int64_t& /*value*/, int64_t /*count*/) {
  // Choices are options, not state that changes from step to step; not reported.
}

void FieldProbe::scalar(std::string_view name, double& value) {
  out_.push_back({std::string(name), value});
}

void FieldProbe::buffer(std::string_view name, std::vector<float>& values, int64_t size) {
  if (size != numel_ || static_cast<int64_t>(values.size()) != size) return;
  out_.push_back({std::string(name), static_cast<double>(values[static_cast<size_t>(element_)])});
}

}  // namespace minidl::optim
