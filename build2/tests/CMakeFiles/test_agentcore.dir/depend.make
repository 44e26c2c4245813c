# Empty dependencies file for test_agentcore.
# This may be replaced when dependencies are built.
