# Empty dependencies file for test_fdlimit.
# This may be replaced when dependencies are built.
