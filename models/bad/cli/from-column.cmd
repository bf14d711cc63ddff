# exit 65
run models/bad/cli/from-column.vi
