# CMake generated Testfile for 
# Source directory: /work/wt-engine/tests/fuzz
# Build directory: /work/wt-engine/build2/tests/fuzz
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[fuzz.replay_proto]=] "/work/wt-engine/build2/tests/replay_proto" "/work/wt-engine/tests/fuzz/corpus/proto" "/work/wt-engine/tests/fuzz/regressions/proto")
set_tests_properties([=[fuzz.replay_proto]=] PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt-engine/tests/fuzz/CMakeLists.txt;13;add_test;/work/wt-engine/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz.replay_scenario]=] "/work/wt-engine/build2/tests/replay_scenario" "/work/wt-engine/tests/fuzz/corpus/scenario" "/work/wt-engine/tests/fuzz/regressions/scenario")
set_tests_properties([=[fuzz.replay_scenario]=] PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt-engine/tests/fuzz/CMakeLists.txt;13;add_test;/work/wt-engine/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz.replay_template]=] "/work/wt-engine/build2/tests/replay_template" "/work/wt-engine/tests/fuzz/corpus/template" "/work/wt-engine/tests/fuzz/regressions/template")
set_tests_properties([=[fuzz.replay_template]=] PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt-engine/tests/fuzz/CMakeLists.txt;13;add_test;/work/wt-engine/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz.replay_jsonpath]=] "/work/wt-engine/build2/tests/replay_jsonpath" "/work/wt-engine/tests/fuzz/corpus/jsonpath" "/work/wt-engine/tests/fuzz/regressions/jsonpath")
set_tests_properties([=[fuzz.replay_jsonpath]=] PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt-engine/tests/fuzz/CMakeLists.txt;13;add_test;/work/wt-engine/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz.replay_capture]=] "/work/wt-engine/build2/tests/replay_capture" "/work/wt-engine/tests/fuzz/corpus/capture" "/work/wt-engine/tests/fuzz/regressions/capture")
set_tests_properties([=[fuzz.replay_capture]=] PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt-engine/tests/fuzz/CMakeLists.txt;13;add_test;/work/wt-engine/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz.replay_servertiming]=] "/work/wt-engine/build2/tests/replay_servertiming" "/work/wt-engine/tests/fuzz/corpus/servertiming" "/work/wt-engine/tests/fuzz/regressions/servertiming")
set_tests_properties([=[fuzz.replay_servertiming]=] PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt-engine/tests/fuzz/CMakeLists.txt;13;add_test;/work/wt-engine/tests/fuzz/CMakeLists.txt;0;")
