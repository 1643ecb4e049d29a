# One command-line check of an example program:
#   cmake -DPROGRAM=path -DARGS="arg|arg|..." -DCODE=2 [-DMATCH=regex] -P expect_exit.cmake
# runs PROGRAM with ARGS ('|' between arguments) and fails unless it exits with CODE and, when
# MATCH is given, its output (stdout and stderr together) matches MATCH.
string(REPLACE "|" ";" arguments "${ARGS}")
execute_process(COMMAND ${PROGRAM} ${arguments}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
set(output "${out}${err}")
message("${PROGRAM} ${arguments} exited with ${code}:\n${output}")
if(NOT code STREQUAL CODE)
  message(FATAL_ERROR "expected exit code ${CODE}, got ${code}")
endif()
if(DEFINED MATCH AND NOT output MATCHES "${MATCH}")
  message(FATAL_ERROR "the output does not match '${MATCH}'")
endif()
