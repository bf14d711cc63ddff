# exit 65
check models/gmm.vi --data x=models/bad/data/empty.csv
