# Empty dependencies file for barrage_report.
# This may be replaced when dependencies are built.
