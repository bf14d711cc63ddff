# exit 65
run models/bad/cli/from-missing.vi
