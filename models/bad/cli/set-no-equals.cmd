# exit 2
run models/gmm.vi --set K
