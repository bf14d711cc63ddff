# exit 2
check models/gmm.vi --data x=models/bad/data/letters.csv --delimiter 1
