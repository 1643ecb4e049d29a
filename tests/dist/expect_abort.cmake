# Runs COMMAND (a ;-list) and passes when it fails (non-zero exit) within TIMEOUT seconds and its
# output matches EXPECT: cmake -DCOMMAND=... -DEXPECT=... -DTIMEOUT=... -P expect_abort.cmake
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT ${TIMEOUT})
message("exit: ${result}\nstdout:\n${out}\nstderr:\n${err}")
if(result STREQUAL "0")
  message(FATAL_ERROR "expected a non-zero exit, got 0")
endif()
if(result MATCHES "timeout|Process terminated due to timeout")
  message(FATAL_ERROR "the job hung (still running after ${TIMEOUT} s)")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "stderr does not match '${EXPECT}'")
endif()
