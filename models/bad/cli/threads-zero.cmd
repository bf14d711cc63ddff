# exit 2
run models/gmm.vi --threads 0
