# exit 2
run models/gmm.vi --snapshots grid.png --at 0,first,last
