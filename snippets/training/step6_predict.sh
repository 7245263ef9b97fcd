curl --silent --show-error --request POST http://127.0.0.1:8000/predict \
  --header "Content-Type: application/json" --data @step6_request.json
