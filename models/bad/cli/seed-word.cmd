# exit 2
run models/gmm.vi --seed abc
