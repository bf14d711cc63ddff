# exit 2
run models/gmm.vi --data y=models/data/gmm-seed.csv
