# Empty dependencies file for test_report_csv.
# This may be replaced when dependencies are built.
