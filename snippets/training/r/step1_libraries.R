suppressPackageStartupMessages({ # (1)!
  library(tidyverse)
  library(snakecase)
  library(caret)
  library(randomForest)
})
