library(tidyverse) # (1)!
library(snakecase)
library(caret)
library(randomForest)
