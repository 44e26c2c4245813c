# Empty dependencies file for test_ramp.
# This may be replaced when dependencies are built.
