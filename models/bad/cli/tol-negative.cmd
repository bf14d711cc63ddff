# exit 2
run models/gmm.vi --tol -1
