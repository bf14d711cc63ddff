# exit 65
check models
