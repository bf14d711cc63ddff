# exit 2
run models/gmm.vi --at 0,1,last
