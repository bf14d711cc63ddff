# exit 65
check models/beta-bernoulli.vi --data x=models/bad/data/bernoulli-two.csv
