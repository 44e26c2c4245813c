# Empty dependencies file for replay_scenario.
# This may be replaced when dependencies are built.
