# Empty dependencies file for test_junit.
# This may be replaced when dependencies are built.
