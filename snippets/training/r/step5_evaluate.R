predicted <- predict(model, newdata = test_set, na.action = na.pass) # (1)!
evaluation <- confusionMatrix(predicted, test_set$species) # (2)!
round(evaluation$overall["Accuracy"], 3)
#> Accuracy
#>    0.976
evaluation$table
#>            Reference
#> Prediction  Adelie Chinstrap Gentoo
#>   Adelie        37         2      0
#>   Chinstrap      0        15      0
#>   Gentoo         0         0     30
round(evaluation$byClass[, c("Precision", "Recall", "F1")], 3)
#>                  Precision Recall    F1
#> Class: Adelie        0.949  1.000 0.974
#> Class: Chinstrap     1.000  0.882 0.938
#> Class: Gentoo        1.000  1.000 1.000

importance <- varImp(model)$importance |> # (3)!
  rownames_to_column("feature") |>
  arrange(Overall)
dir.create("figures", showWarnings = FALSE)
dejavu_sans <- list(
  name = "DejaVu Sans", file = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)
svglite::svglite( # (4)!
  "figures/feature_importance_r.svg", width = 6, height = 4,
  user_fonts = list(sans = list(plain = dejavu_sans))
)
par(mar = c(4, 10, 1, 1))
barplot(
  importance$Overall,
  names.arg = importance$feature, horiz = TRUE, las = 1, xlab = "varImp"
)
invisible(dev.off())
