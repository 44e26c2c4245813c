# Empty dependencies file for replay_capture.
# This may be replaced when dependencies are built.
