# Empty dependencies file for test_multi.
# This may be replaced when dependencies are built.
