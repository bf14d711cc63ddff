# exit 2
simulate models/gmm.vi --n 0
