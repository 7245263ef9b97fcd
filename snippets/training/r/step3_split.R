set.seed(42) # (1)!
in_train <- createDataPartition(penguins$species, p = 0.75, list = FALSE) # (2)!
train_set <- penguins[in_train, ]
test_set <- penguins[-in_train, ]

c(train = nrow(train_set), test = nrow(test_set))
#> train  test
#>   258    84
round(rbind(
  train = prop.table(table(train_set$species)),
  test = prop.table(table(test_set$species))
), 3)
#>       Adelie Chinstrap Gentoo
#> train  0.442     0.198  0.360
#> test   0.440     0.202  0.357
