# A prediction service for the penguin model saved in step 6.
suppressPackageStartupMessages(library(caret))

model <- readRDS("penguin_model.rds") # (1)!
islands <- c("Biscoe", "Dream", "Torgersen")
limits <- c( # (2)!
  culmen_length_mm = 100, culmen_depth_mm = 40,
  flipper_length_mm = 300, body_mass_g = 10000
)

problem <- function(where, message) {
  list(loc = c("body", where), msg = message)
}

check_bird <- function(bird, index) { # (3)!
  at <- function(field) list("birds", index - 1, field)
  if (!is.list(bird) || is.null(names(bird))) {
    return(list(problem(list("birds", index - 1), "must be an object")))
  }
  problems <- list()
  for (field in setdiff(names(bird), c("island", names(limits), "sex"))) {
    problems <- c(problems, list(problem(at(field), "unknown field")))
  }
  island <- bird[["island"]]
  if (!(is.character(island) && length(island) == 1 && island %in% islands)) {
    message <- paste("must be one of", paste(islands, collapse = ", "))
    problems <- c(problems, list(problem(at("island"), message)))
  }
  for (field in names(limits)) {
    value <- bird[[field]]
    if (is.null(value)) {
      problems <- c(problems, list(problem(at(field), "is required")))
    } else if (!(is.numeric(value) && length(value) == 1 && value > 0 &&
                 value <= limits[[field]])) {
      message <- paste("must be a number above 0 and at most", limits[[field]])
      problems <- c(problems, list(problem(at(field), message)))
    }
  }
  sex <- bird[["sex"]]
  if (!is.null(sex) && !(is.character(sex) && length(sex) == 1 && sex %in% c("female", "male"))) {
    problems <- c(problems, list(problem(at("sex"), "must be female, male or null")))
  }
  problems
}

as_row <- function(bird) {
  data.frame(
    island = bird$island,
    culmen_length_mm = bird$culmen_length_mm, culmen_depth_mm = bird$culmen_depth_mm,
    flipper_length_mm = bird$flipper_length_mm, body_mass_g = bird$body_mass_g,
    sex = if (is.null(bird$sex)) NA_character_ else bird$sex # (4)!
  )
}

#* Is the service up?
#* @get /health
#* @serializer unboxedJSON
function() {
  list(status = "ok", species = I(model$levels))
}

#* Species and probabilities for a batch of birds
#* @post /predict
#* @parser text
#* @serializer unboxedJSON
function(req, res) {
  body <- tryCatch( # (5)!
    jsonlite::fromJSON(req$postBody, simplifyVector = FALSE),
    error = function(error) NULL
  )
  birds <- if (is.list(body)) body[["birds"]]
  if (!is.list(body) || !identical(names(body), "birds") || !is.list(birds) ||
      !is.null(names(birds)) || !length(birds) %in% 1:1000) {
    res$status <- 422
    message <- "the body must be {\"birds\": [...]}, with 1 to 1000 birds"
    return(list(detail = list(problem(list("birds"), message))))
  }
  problems <- do.call(c, Map(check_bird, birds, seq_along(birds)))
  if (length(problems) > 0) {
    res$status <- 422
    return(list(detail = problems))
  }
  new_birds <- do.call(rbind, lapply(birds, as_row))
  probabilities <- predict(model, newdata = new_birds, type = "prob", na.action = na.pass)
  predictions <- lapply(seq_len(nrow(probabilities)), function(row) {
    p <- round(unlist(probabilities[row, ]), 2)
    list(species = names(p)[which.max(p)], probabilities = as.list(p))
  })
  list(predictions = predictions)
}
