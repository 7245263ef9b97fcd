penguins_raw <- read_csv(
  "penguins_raw.csv",
  col_types = cols(`Date Egg` = col_date(format = "%Y-%m-%d")) # (1)!
)
dim(penguins_raw)
#> [1] 344  17

numeric_features <- c(
  "culmen_length_mm", "culmen_depth_mm", "flipper_length_mm", "body_mass_g"
)
categorical_features <- c("island", "sex")

penguins <- penguins_raw |>
  rename_with(to_snake_case) |> # (2)!
  distinct() |> # (3)!
  mutate(
    species = factor(word(species, 1)), # (4)!
    island = factor(island),
    sex = factor(str_to_lower(sex))
  ) |>
  filter(!if_all(all_of(numeric_features), is.na)) |> # (5)!
  select(species, all_of(c(numeric_features, categorical_features)), date_egg)

dim(penguins)
#> [1] 342   8
colSums(is.na(penguins))
#>           species  culmen_length_mm   culmen_depth_mm flipper_length_mm
#>                 0                 0                 0                 0
#>       body_mass_g            island               sex          date_egg
#>                 0                 0                 9                 0
count(penguins, species)
#> # A tibble: 3 × 2
#>   species       n
#>   <fct>     <int>
#> 1 Adelie      151
#> 2 Chinstrap    68
#> 3 Gentoo      123
range(penguins$date_egg)
#> [1] "2007-11-09" "2009-12-01"
