# Empty dependencies file for test_split.
# This may be replaced when dependencies are built.
