# exit 65
check models/bishop-gmm.vi --data x=models/bad/data/bernoulli-two.csv
