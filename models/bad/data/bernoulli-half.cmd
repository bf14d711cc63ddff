# exit 65
run models/beta-bernoulli.vi --data x=models/bad/data/bernoulli-half.csv
