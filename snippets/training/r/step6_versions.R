packages <- c("caret", "randomForest") # (1)!
versions <- c(
  R = paste(R.version$major, R.version$minor, sep = "."),
  vapply(packages, function(name) as.character(packageVersion(name)), character(1))
)
lines <- paste(names(versions), versions)
writeLines(lines, "penguin_model.versions.txt") # (2)!
writeLines(lines)
#> R 4.2.2
#> caret 6.0.93
#> randomForest 4.7.1.1
