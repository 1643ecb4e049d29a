# Installs the built minidl into a scratch prefix, then configures, builds and runs the
# consumer project against it with find_package(minidl).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix
                        -DMINIDL_EXAMPLES_DIR=${EXAMPLES_DIR} RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "find_package(minidl) failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "building against the installed minidl failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "the consumer program failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/custom_op RESULT_VARIABLE status)
if(status)
  message(FATAL_ERROR "the custom-op example built against the installed minidl failed")
endif()
