# CMake generated Testfile for 
# Source directory: /work/wt-engine
# Build directory: /work/wt-engine/build2
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
subdirs("common")
subdirs("proto")
subdirs("scenarios")
subdirs("load")
subdirs("report")
subdirs("worker")
subdirs("master")
subdirs("tests")
subdirs("bench")
