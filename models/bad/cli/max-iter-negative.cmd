# exit 2
run models/gmm.vi --max-iter -1
