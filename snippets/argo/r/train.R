#!/usr/bin/env Rscript
# Train one random forest candidate and record its out-of-bag accuracy.

read_options <- function(defaults) {
  args <- commandArgs(trailingOnly = TRUE)
  flags <- sub("^--", "", args[c(TRUE, FALSE)])
  unknown <- setdiff(flags, names(defaults))
  if (length(args) %% 2 != 0 || length(unknown) > 0) {
    stop("usage: --", paste(names(defaults), collapse = " VALUE --"), " VALUE", call. = FALSE)
  }
  options <- modifyList(defaults, as.list(setNames(args[c(FALSE, TRUE)], flags)))
  missing <- names(Filter(is.na, options))
  if (length(missing) > 0) stop("missing option --", missing[1], call. = FALSE)
  options
}

options <- read_options(list(
  "data-dir" = NA, "n-trees" = NA, "max-features" = NA, seed = "42", "output-dir" = NA
))
n_trees <- as.integer(options$`n-trees`)
max_features <- as.integer(options$`max-features`)

suppressPackageStartupMessages(library(randomForest))
train <- read.csv(file.path(options$`data-dir`, "train.csv"), stringsAsFactors = TRUE)
set.seed(as.integer(options$seed))
model <- randomForest(species ~ ., data = train, ntree = n_trees, mtry = max_features)

metrics <- list(
  n_trees = n_trees,
  max_features = max_features,
  oob_accuracy = round(1 - model$err.rate[n_trees, "OOB"], 4) # (1)!
)
dir.create(options$`output-dir`, recursive = TRUE, showWarnings = FALSE)
saveRDS(model, file.path(options$`output-dir`, "model.rds"))
jsonlite::write_json(metrics, file.path(options$`output-dir`, "metrics.json"),
                     auto_unbox = TRUE, pretty = TRUE, digits = NA)
cat("train:", jsonlite::toJSON(metrics, auto_unbox = TRUE, digits = NA), "\n")
