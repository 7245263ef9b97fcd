# Runs one session of R blocks in one R process, reprex style.
# Usage: Rscript driver.R manifest.json result.json
# The manifest lists the blocks in page order: {"file": ..., "script": false, "args": [...]}.
# For each top-level expression it records the output it shows (printed value, cat(),
# messages, warnings) with the line where the expression ends; on an error it records the
# block, the line and the message, and stops. Before each expression it writes "@@ block line"
# to stderr, so that a session killed on timeout still says where it was.
args <- commandArgs(trailingOnly = TRUE)
manifest <- jsonlite::fromJSON(args[[1]], simplifyVector = FALSE)
options(width = 80, warn = 1, useFancyQuotes = FALSE)

outputs <- list()
failure <- NULL

save_result <- function() {
  jsonlite::write_json(list(outputs = outputs, error = failure), args[[2]],
                       auto_unbox = TRUE, null = "null")
}

run_expression <- function(expr) {
  shown <- character()
  sink_to <- textConnection("shown", "w", local = TRUE)
  sink(sink_to)
  sink(sink_to, type = "message")
  on.exit({ sink(type = "message"); sink(); close(sink_to) })
  withCallingHandlers(
    {
      value <- withVisible(eval(expr, envir = globalenv()))
      if (value$visible) print(value$value)
    },
    # Startup banners name package versions: noise that would break on every upgrade.
    packageStartupMessage = function(m) invokeRestart("muffleMessage"),
    warning = function(w) {
      cat("Warning: ", conditionMessage(w), "\n", sep = "")
      invokeRestart("muffleWarning")
    }
  )
  sink(type = "message"); sink(); close(sink_to)
  on.exit()
  shown
}

for (b in seq_along(manifest$blocks)) {
  block <- manifest$blocks[[b]]
  if (isTRUE(block$script)) {
    cat(sprintf("@@ %d 1\n", b), file = stderr())
    shown <- suppressWarnings(system2(file.path(R.home("bin"), "Rscript"),
                                      c(block$file, unlist(block$args)), stdout = TRUE, stderr = TRUE))
    status <- if (is.null(attr(shown, "status"))) 0 else attr(shown, "status")
    if (status != 0) {
      failure <- list(block = b, line = NULL,
                      message = paste(c(sprintf("Rscript %s %s exited with %d:", basename(block$file),
                                                paste(unlist(block$args), collapse = " "), status),
                                        tail(shown, 15)), collapse = "\n"))
      break
    }
    next
  }
  exprs <- tryCatch(parse(block$file, keep.source = TRUE), error = function(e) e)
  if (inherits(exprs, "error")) {
    where <- regmatches(conditionMessage(exprs), regexec(":([0-9]+):[0-9]+:", conditionMessage(exprs)))[[1]]
    failure <- list(block = b, line = if (length(where)) as.integer(where[[2]]) else NULL,
                    message = conditionMessage(exprs))
    break
  }
  refs <- attr(exprs, "srcref")
  for (k in seq_along(exprs)) {
    cat(sprintf("@@ %d %d\n", b, refs[[k]][[1]]), file = stderr())
    shown <- tryCatch(run_expression(exprs[[k]]), error = function(e) e)
    if (inherits(shown, "error")) {
      call <- conditionCall(shown)
      failure <- list(block = b, line = refs[[k]][[1]],
                      message = paste0("Error", if (!is.null(call)) paste0(" in ", deparse(call)[[1]]),
                                       ": ", conditionMessage(shown)))
      break
    }
    if (length(shown)) outputs[[length(outputs) + 1]] <- list(block = b, line = refs[[k]][[3]], output = I(shown))
  }
  if (!is.null(failure)) break
}
save_result()
