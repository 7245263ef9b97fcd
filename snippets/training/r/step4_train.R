folds <- trainControl(method = "cv", number = 5) # (1)!

set.seed(42) # (2)!
model <- train(
  species ~ culmen_length_mm + culmen_depth_mm + flipper_length_mm +
    body_mass_g + island + sex,
  data = train_set,
  method = "rf",
  preProcess = c("medianImpute", "center", "scale"), # (3)!
  na.action = na.pass,
  trControl = folds,
  ntree = 100
)
model$results[, c("mtry", "Accuracy", "Kappa")]
#>   mtry  Accuracy     Kappa
#> 1    2 0.9844615 0.9756049
#> 2    4 0.9804615 0.9693077
#> 3    7 0.9687664 0.9508528
model$bestTune
#>   mtry
#> 1    2
