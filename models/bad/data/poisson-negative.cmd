# exit 65
plan models/gamma-poisson.vi --data x=models/bad/data/poisson-negative.csv
