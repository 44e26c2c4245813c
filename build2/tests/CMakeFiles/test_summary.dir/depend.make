# Empty dependencies file for test_summary.
# This may be replaced when dependencies are built.
