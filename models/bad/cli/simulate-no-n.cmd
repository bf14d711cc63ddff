# exit 2
simulate models/gmm.vi
