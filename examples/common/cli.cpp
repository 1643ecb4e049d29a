// The examples' command-line checks (see cli.h).
#include "examples/common/cli.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <system_error>

namespace minidl::examples::cli {

namespace {

// The whole string as an integer, or nothing.
std::optional<int64_t> as_integer(const std::string& text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest != end || text.empty()) return std::nullopt;
  return value;
}

// The whole string as a finite number, or nothing.
std::optional<double> as_finite(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string got(const std::string& text) { return fmt::format(", got '{}'", text); }

// A validator whose check returns "" or what the value must be ("must be ..."); --help shows
// `description` after the option's type (empty for most: the option's own text says it).
CLI::Validator validator(std::string description, std::function<std::string(std::string&)> check) {
  return {std::move(check), std::move(description)};
}

// A number in [low, high] as the message spells it: "a positive integer", "an integer in [1, 9]".
std::string integer_range_text(int64_t low, int64_t high) {
  if (high == INT64_MAX) {
    if (low == 1) return "a positive integer";
    if (low == 0) return "a non-negative integer";
    return fmt::format("an integer >= {}", low);
  }
  return fmt::format("an integer from {} to {}", low, high);
}

CLI::Validator integer_validator(int64_t low, int64_t high) {
  const std::string what = integer_range_text(low, high);
  return validator("", [=](std::string& text) -> std::string {
    const std::optional<int64_t> value = as_integer(text);
    if (value && *value >= low && *value <= high) return "";
    return "must be " + what + got(text);
  });
}

CLI::Validator number_validator(std::string what, std::function<bool(double)> allowed) {
  return validator("", [=](std::string& text) -> std::string {
    const std::optional<double> value = as_finite(text);
    if (value && allowed(*value)) return "";
    return "must be " + what + got(text);
  });
}

// The path's nearest ancestor that exists ("." for a relative path without one).
std::filesystem::path nearest_existing(std::filesystem::path path) {
  std::error_code error;
  while (!path.empty() && !std::filesystem::exists(path, error)) path = path.parent_path();
  return path.empty() ? std::filesystem::path(".") : path;
}

// "--name: must ..." (CLI11's form) -> "--name must ...".
std::string usage_message(const CLI::ParseError& error) {
  std::string message = error.what();
  const size_t colon = message.find(": must ");
  if (colon != std::string::npos) message.erase(colon, 1);
  return message;
}

}  // namespace

void show_defaults(CLI::App& app) { app.option_defaults()->always_capture_default(); }

CLI::Validator integer_at_least(int64_t min) { return integer_validator(min, INT64_MAX); }

CLI::Validator integer_in(int64_t low, int64_t high) { return integer_validator(low, high); }

CLI::Validator positive_number() {
  return number_validator("a finite number > 0", [](double x) { return x > 0; });
}

CLI::Validator non_negative_number() {
  return number_validator("a finite number >= 0", [](double x) { return x >= 0; });
}

CLI::Validator number_in(double low, double high, bool high_open) {
  return number_validator(fmt::format("a number in [{}, {}{}", low, high, high_open ? ")" : "]"),
                          [=](double x) { return x >= low && (high_open ? x < high : x <= high); });
}

CLI::Validator finite_number() {
  return number_validator("a finite number", [](double) { return true; });
}

CLI::Validator one_of(std::vector<std::string> names) {
  const std::string list = fmt::format("{}", fmt::join(names, ", "));
  return validator("{" + list + "}", [names, list](std::string& text) -> std::string {
    for (const std::string& name : names) {
      if (text == name) return "";
    }
    return "must be one of " + list + got(text);
  });
}

CLI::Validator writable_file() {
  return validator("", [](std::string& text) -> std::string {
    std::error_code error;
    const std::filesystem::path path(text);
    if (text.empty()) return "must name a file to write, got ''";
    if (std::filesystem::is_directory(path, error)) {
      return fmt::format("must name a file to write, got '{}', which is a folder", text);
    }
    const std::filesystem::path folder = path.parent_path().empty() ? "." : path.parent_path();
    if (!std::filesystem::is_directory(folder, error)) {
      return fmt::format("must name a file in an existing folder, got '{}' (no folder '{}')", text,
                         folder.string());
    }
    return "";
  });
}

CLI::Validator output_folder() {
  return validator("", [](std::string& text) -> std::string {
    std::error_code error;
    const std::filesystem::path existing = nearest_existing(text);
    if (std::filesystem::is_directory(existing, error)) return "";
    return fmt::format("must name a folder to write into, got '{}' ('{}' is not a folder)", text,
                       existing.string());
  });
}

CLI::Validator existing_file() {
  return validator("", [](std::string& text) -> std::string {
    std::error_code error;
    if (std::filesystem::is_regular_file(text, error)) return "";
    return fmt::format("must name an existing file, got '{}'", text);
  });
}

CLI::Validator existing_folder() {
  return validator("", [](std::string& text) -> std::string {
    std::error_code error;
    if (std::filesystem::is_directory(text, error)) return "";
    return fmt::format("must name an existing folder, got '{}'", text);
  });
}

std::optional<int> parse(CLI::App& app, int argc, char** argv, const std::function<void()>& after) {
  try {
    app.parse(argc, argv);
    if (after) after();
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& error) {
    fmt::print(stderr, "error: {}\nRun with --help for the options and their defaults.\n",
               usage_message(error));
    return 2;
  }
  return std::nullopt;
}

void warn_ignored(const CLI::App& app, const std::vector<std::string>& options,
                  std::string_view reason) {
  for (const std::string& option : options) {
    if (app.count(option) > 0) fmt::print(stderr, "warning: {} is ignored {}\n", option, reason);
  }
}

int run(const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& error) {
    std::fflush(stdout);
    fmt::print(stderr, "error: {}\n", error.what());
    return 1;
  }
}

}  // namespace minidl::examples::cli
