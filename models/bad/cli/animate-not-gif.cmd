# exit 2
run models/bishop-gmm.vi --animate fit.png
