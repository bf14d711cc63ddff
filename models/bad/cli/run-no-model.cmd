# exit 2
run
