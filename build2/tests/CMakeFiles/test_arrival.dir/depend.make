# Empty dependencies file for test_arrival.
# This may be replaced when dependencies are built.
