# Empty dependencies file for test_moves.
# This may be replaced when dependencies are built.
