# exit 65
run models/bishop-gmm.vi --data x=models/bad/data/three-columns.csv:x1,y
