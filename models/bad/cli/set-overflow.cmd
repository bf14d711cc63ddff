# exit 2
run models/gmm.vi --set sigma=1e400
