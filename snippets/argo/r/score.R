#!/usr/bin/env Rscript
# Score a file of new birds with a saved model: species and probability for each.

read_options <- function(defaults) {
  args <- commandArgs(trailingOnly = TRUE)
  flags <- sub("^--", "", args[c(TRUE, FALSE)])
  unknown <- setdiff(flags, names(defaults))
  if (length(args) %% 2 != 0 || length(unknown) > 0) {
    stop("usage: --", paste(names(defaults), collapse = " VALUE --"), " VALUE", call. = FALSE)
  }
  values <- modifyList(defaults, as.list(setNames(args[c(FALSE, TRUE)], flags)))
  absent <- names(Filter(is.na, values))
  if (length(absent) > 0) stop("missing option --", absent[1], call. = FALSE)
  values
}

arguments <- read_options(list(model = NA, input = NA, output = NA))

suppressPackageStartupMessages(library(caret)) # (1)!
model <- readRDS(arguments$model)
birds <- read.csv(arguments$input, na.strings = "") # (2)!
probabilities <- predict(model, newdata = birds, type = "prob", na.action = na.pass) # (3)!
birds$predicted <- colnames(probabilities)[max.col(probabilities, ties.method = "first")]
birds$probability <- round(apply(probabilities, 1, max), 2)

dir.create(dirname(arguments$output), recursive = TRUE, showWarnings = FALSE)
write.csv(birds, arguments$output, row.names = FALSE, na = "")
counts <- table(birds$predicted)
cat("score:", nrow(birds), "birds,", paste(names(counts), counts, sep = ": ", collapse = ", "), "\n")
