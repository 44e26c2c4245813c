# Empty dependencies file for replay_servertiming.
# This may be replaced when dependencies are built.
