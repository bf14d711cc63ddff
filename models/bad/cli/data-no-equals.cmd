# exit 2
run models/gmm.vi --data models/data/gmm-seed.csv
