# Empty dependencies file for test_failure.
# This may be replaced when dependencies are built.
