# Empty dependencies file for test_describe.
# This may be replaced when dependencies are built.
