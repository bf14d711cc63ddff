# exit 2
run models/gmm.vi --restart 2
