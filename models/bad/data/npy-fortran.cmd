# exit 65
run models/bishop-gmm.vi --data x=models/bad/data/fortran.npy
