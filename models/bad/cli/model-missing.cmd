# exit 65
check models/gmm2.vi
