# exit 65
check models/gmm.vi --set K=0
