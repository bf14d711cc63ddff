# exit 2
run models/gmm.vi --restarts 0
