#!/usr/bin/env Rscript
# Train one random forest candidate and record its out-of-bag accuracy.

read_options <- function(defaults) {
  args <- commandArgs(trailingOnly = TRUE)
  flags <- sub("^--", "", args[c(TRUE, FALSE)])
  unknown <- setdiff(flags, names(defaults))
  if (length(args) %% 2 != 0 || length(unknown) > 0) {
    usage <- paste(names(defaults), collapse = " VALUE --")
    stop("usage: --", usage, " VALUE", call. = FALSE)
  }
  values <- modifyList(defaults, as.list(setNames(args[c(FALSE, TRUE)], flags)))
  absent <- names(Filter(is.na, values))
  if (length(absent) > 0) stop("missing option --", absent[1], call. = FALSE)
  values
}

arguments <- read_options(list(
  "data-dir" = NA, "n-trees" = NA, "max-features" = NA, seed = "42",
  "output-dir" = NA
))
n_trees <- as.integer(arguments$`n-trees`)
max_features <- as.integer(arguments$`max-features`)

suppressPackageStartupMessages(library(randomForest))
train <- read.csv(file.path(arguments$`data-dir`, "train.csv"),
                  stringsAsFactors = TRUE)
set.seed(as.integer(arguments$seed))
model <- randomForest(species ~ ., data = train,
                      ntree = n_trees, mtry = max_features)

metrics <- list(
  n_trees = n_trees,
  max_features = max_features,
  oob_accuracy = round(1 - model$err.rate[n_trees, "OOB"], 4) # (1)!
)
dir.create(arguments$`output-dir`, recursive = TRUE, showWarnings = FALSE)
saveRDS(model, file.path(arguments$`output-dir`, "model.rds"))
jsonlite::write_json(metrics, file.path(arguments$`output-dir`, "metrics.json"),
                     auto_unbox = TRUE, pretty = TRUE, digits = NA)
cat("train:", jsonlite::toJSON(metrics, auto_unbox = TRUE, digits = NA), "\n")
