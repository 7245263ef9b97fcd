#!/usr/bin/env Rscript
# Clean the raw penguins table; split it into training and test sets.

read_options <- function(defaults) { # (1)!
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
  input = NA, "output-dir" = NA, "test-size" = "0.2", seed = "42"
))

columns <- c( # (2)!
  species = "Species",
  bill_length_mm = "Culmen Length (mm)",
  bill_depth_mm = "Culmen Depth (mm)",
  flipper_length_mm = "Flipper Length (mm)",
  body_mass_g = "Body Mass (g)"
)
raw <- read.csv(arguments$input, check.names = FALSE)
data <- na.omit(setNames(raw[columns], names(columns)))
data$species <- sub(" .*", "", data$species) # (3)!

set.seed(as.integer(arguments$seed))
test_share <- as.numeric(arguments$`test-size`)
rows_by_species <- split(seq_len(nrow(data)), data$species)
test_rows <- unlist(lapply(rows_by_species, function(rows) { # (4)!
  rows[sample.int(length(rows), round(length(rows) * test_share))]
}))

dir.create(arguments$`output-dir`, recursive = TRUE, showWarnings = FALSE)
output <- function(name) file.path(arguments$`output-dir`, name)
write.csv(data[-test_rows, ], output("train.csv"), row.names = FALSE)
write.csv(data[test_rows, ], output("test.csv"), row.names = FALSE)
cat("preprocess:", nrow(data) - length(test_rows), "training rows,",
    length(test_rows), "test rows\n")
