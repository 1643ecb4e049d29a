// The examples' command lines: value checks with short messages that name the option, the value
// and what is allowed ("--batch-size must be a positive integer, got 0"), paths for writing
// checked before any work starts, one exit code per kind of failure (2 for every usage error, 1
// for a runtime failure, with one line each) and warnings for options the chosen mode ignores.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minidl::examples::cli {

/// Makes --help list the default of every option added to `app` afterwards.
void show_defaults(CLI::App& app);

/// A whole number >= `min` ("must be a positive integer" for 1, "a non-negative integer" for 0).
CLI::Validator integer_at_least(int64_t min);
/// A whole number in [low, high].
CLI::Validator integer_in(int64_t low, int64_t high);
/// A finite number > 0.
CLI::Validator positive_number();
/// A finite number >= 0.
CLI::Validator non_negative_number();
/// A finite number in [low, high] (`high_open`: [low, high)).
CLI::Validator number_in(double low, double high, bool high_open = false);
/// Any finite number.
CLI::Validator finite_number();
/// One of `names` ("--model must be one of lenet, mlp, got 'foo'").
CLI::Validator one_of(std::vector<std::string> names);
/// A file to write: not a folder, and its folder exists.
CLI::Validator writable_file();
/// A folder to write into: a folder, or a path whose nearest existing parent is a folder.
CLI::Validator output_folder();
/// A regular file that exists.
CLI::Validator existing_file();
/// A folder that exists.
CLI::Validator existing_folder();

/// Parses the command line, then runs `after` (further checks that may throw
/// CLI::ValidationError). Returns 0 after --help, 2 after a usage error (printed as one line plus
/// a pointer to --help), or nothing when the program should go on.
std::optional<int> parse(CLI::App& app, int argc, char** argv,
                         const std::function<void()>& after = {});

/// Prints "warning: OPTION is ignored REASON" to stderr for each of `options` given on the
/// command line.
void warn_ignored(const CLI::App& app, const std::vector<std::string>& options,
                  std::string_view reason);

/// Runs a program's work: a minidl::Error or another exception becomes one line
/// "error: MESSAGE" on stderr and exit code 1.
int run(const std::function<int()>& body);

}  // namespace minidl::examples::cli
