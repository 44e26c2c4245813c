# Empty dependencies file for test_servertiming.
# This may be replaced when dependencies are built.
