# exit 65
derive models/gmm.vi --data x=models/bad/data/letters.csv
