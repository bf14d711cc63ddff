# exit 2
run models/gmm.vi --set x=3
