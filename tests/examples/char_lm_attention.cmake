# char_lm's attention picture and JSON line (cmake -DPROGRAM=... -DWORDS=... -DOUT=folder -P this
# file, with MINIDL_NO_PLOT=1): a short GPT run writes the weights of both blocks for the first
# sampled word, each query's weights sum to 1 over the keys at or before it (none after: causal),
# the gnuplot script draws both blocks, and the run ends with its JSON summary.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${PROGRAM} --model gpt --words ${WORDS} --steps 30 --batch-size 16
                        --samples 3 --seed 1 --threads 1 --attention-plot ${OUT}/attention.svg
                        --json
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "char_lm --attention-plot exited with ${status}")
endif()
if(NOT output MATCHES "\n{\"model\": \"gpt\", \"threads\": 1, \"steps\": 30, \"val_loss\": [0-9]+\\.[0-9]+, \"seconds_per_1000_steps\": [0-9]+\\.[0-9]+}\n$")
  message(FATAL_ERROR "the run does not end with its JSON line")
endif()
if(NOT output MATCHES "3 samples:\n(  \n)*  ([a-z]+)\n")
  message(FATAL_ERROR "no samples printed")
endif()
set(word "${CMAKE_MATCH_2}")
string(LENGTH "${word}" word_length)
math(EXPR positions "${word_length} + 1")  # '.' and the word

file(STRINGS ${OUT}/attention.csv rows REGEX "^[0-9]")
foreach(block 0 1)
  math(EXPR last "${positions} - 1")
  foreach(query RANGE ${last})
    # weights are written d.ddddd: sum them as integers of 1e-5
    string(REGEX MATCHALL "(^|;)${block},${query},[0-9]+,[0-9]\\.[0-9]+" cells "${rows}")
    list(LENGTH cells count)
    math(EXPR expected "${query} + 1")
    if(NOT count EQUAL expected)
      message(FATAL_ERROR "block ${block}, query ${query}: ${count} keys written, expected ${expected} (keys 0..${query})")
    endif()
    set(sum 0)
    foreach(cell ${cells})
      string(REGEX REPLACE ".*,([0-9]+),([0-9])\\.([0-9]+)$" "\\1;\\2\\3" parts "${cell}")
      list(GET parts 0 key)
      list(GET parts 1 weight)
      if(key GREATER query)
        message(FATAL_ERROR "block ${block}: query ${query} attends to the later key ${key}")
      endif()
      math(EXPR sum "${sum} + 1${weight} - 1000000")  # the leading 1 keeps 0.xxxxx decimal
    endforeach()
    if(sum LESS 99990 OR sum GREATER 100010)
      message(FATAL_ERROR "block ${block}, query ${query}: weights sum to ${sum} / 100000, not 1")
    endif()
  endforeach()
endforeach()
file(READ ${OUT}/attention.gp script)
if(NOT script MATCHES "index 0 using" OR NOT script MATCHES "index 1 using")
  message(FATAL_ERROR "the gnuplot script does not draw both blocks")
endif()
