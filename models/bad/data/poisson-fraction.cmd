# exit 65
run models/gamma-poisson.vi --data x=models/bad/data/poisson-fraction.csv
