# exit 65
run models/exponential-mixture.vi --data x=models/bad/data/exponential-negative.csv
