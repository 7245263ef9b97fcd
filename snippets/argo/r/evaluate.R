#!/usr/bin/env Rscript
# Keep the candidate with the best out-of-bag accuracy; test it once.

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
  "data-dir" = NA, "candidates-dir" = NA, "output-dir" = NA
))

suppressPackageStartupMessages(library(randomForest)) # (1)!
folders <- sort(list.dirs(arguments$`candidates-dir`, recursive = FALSE))
if (length(folders) == 0) {
  stop("no candidate in ", arguments$`candidates-dir`, call. = FALSE)
}
read_metrics <- function(folder) {
  jsonlite::read_json(file.path(folder, "metrics.json"))
}
candidates <- lapply(folders, read_metrics)
oob_accuracy <- vapply(candidates, function(m) m$oob_accuracy, numeric(1))
best <- which.max(oob_accuracy) # (2)!

model <- readRDS(file.path(folders[best], "model.rds"))
test <- read.csv(file.path(arguments$`data-dir`, "test.csv"))
test_accuracy <- mean(as.character(predict(model, test)) == test$species) # (3)!

final <- c(candidates[[best]], list(
  candidate = basename(folders[best]),
  candidates_compared = length(folders),
  test_accuracy = round(test_accuracy, 4)
))
dir.create(arguments$`output-dir`, recursive = TRUE, showWarnings = FALSE)
invisible(file.copy(file.path(folders[best], "model.rds"),
                    arguments$`output-dir`, overwrite = TRUE))
jsonlite::write_json(final, file.path(arguments$`output-dir`, "metrics.json"),
                     auto_unbox = TRUE, pretty = TRUE, digits = NA)
cat("evaluate:", jsonlite::toJSON(final, auto_unbox = TRUE, digits = NA), "\n")
