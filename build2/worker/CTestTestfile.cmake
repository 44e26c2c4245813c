# CMake generated Testfile for 
# Source directory: /work/wt-engine/worker
# Build directory: /work/wt-engine/build2/worker
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
