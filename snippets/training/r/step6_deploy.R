# --8<-- [start:save]
saveRDS(model, "penguin_model.rds") # (1)!
# --8<-- [end:save]
# --8<-- [start:load]
suppressPackageStartupMessages({
  library(tidyverse)
  library(caret)
})

model <- readRDS("penguin_model.rds") # (1)!
new_penguins <- read_csv("new_penguins.csv", show_col_types = FALSE)
probabilities <- predict(
  model,
  newdata = new_penguins, type = "prob", na.action = na.pass
)
new_penguins |>
  mutate(
    predicted = predict(model, newdata = new_penguins, na.action = na.pass), # (2)!
    probability = round(apply(probabilities, 1, max), 2)
  ) |>
  select(island, culmen_length_mm, sex, predicted, probability)
#> # A tibble: 4 × 5
#>   island    culmen_length_mm sex    predicted probability
#>   <chr>                <dbl> <chr>  <fct>           <dbl>
#> 1 Torgersen             38.6 female Adelie           1
#> 2 Biscoe                47.8 male   Gentoo           1
#> 3 Dream                 50.9 male   Chinstrap        0.99
#> 4 Dream                 39.2 <NA>   Adelie           1
# --8<-- [end:load]
