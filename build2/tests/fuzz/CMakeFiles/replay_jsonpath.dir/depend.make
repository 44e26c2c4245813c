# Empty dependencies file for replay_jsonpath.
# This may be replaced when dependencies are built.
