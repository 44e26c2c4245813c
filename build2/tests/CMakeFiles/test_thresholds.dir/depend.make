# Empty dependencies file for test_thresholds.
# This may be replaced when dependencies are built.
