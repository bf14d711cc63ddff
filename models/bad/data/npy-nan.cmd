# exit 65
run models/gmm.vi --data x=models/bad/data/nan.npy
