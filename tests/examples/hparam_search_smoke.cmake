# The hyperparameter search's smoke test (cmake -DPROGRAM=... -DOUT=... -P this file): a small
# grid search on the spirals runs twice with the same seed and prints the same ranking (the
# seconds column aside), and its best trial learned: validation loss below 0.7 (chance: ln 3 =
# 1.0986).
set(arguments --dataset spirals --mode grid --grid-points 2 --min-lr 0.03 --max-lr 0.3
              --batch-sizes 32 128 --steps 150 --seed 3 --threads 1 --out ${OUT})
foreach(run first second)
  execute_process(COMMAND ${PROGRAM} ${arguments}
                  OUTPUT_VARIABLE output_${run} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "hparam_search exited with ${status}:\n${output_${run}}")
  endif()
  string(REGEX REPLACE "[0-9]+\\.[0-9][0-9]\n" "<seconds>\n" output_${run} "${output_${run}}")
endforeach()
message("${output_first}")
if(NOT output_first STREQUAL output_second)
  message(FATAL_ERROR "two searches with the same seed differ:\n${output_second}")
endif()
if(NOT output_first MATCHES "best: [^\n]* validation loss ([0-9.]+)")
  message(FATAL_ERROR "no 'best:' line with a validation loss")
endif()
if(NOT CMAKE_MATCH_1 LESS 0.7)
  message(FATAL_ERROR "the best validation loss ${CMAKE_MATCH_1} is not below 0.7")
endif()
