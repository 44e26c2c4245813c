# Empty dependencies file for replay_proto.
# This may be replaced when dependencies are built.
