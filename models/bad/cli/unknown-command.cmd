# exit 2
chek models/gmm.vi
