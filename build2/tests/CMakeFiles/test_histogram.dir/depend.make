# Empty dependencies file for test_histogram.
# This may be replaced when dependencies are built.
