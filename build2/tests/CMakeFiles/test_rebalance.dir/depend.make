# Empty dependencies file for test_rebalance.
# This may be replaced when dependencies are built.
