# Empty dependencies file for barrage_proto.
# This may be replaced when dependencies are built.
