# Reference values for perceptiongap's weighted estimates, computed with R's survey package.
#
#   Rscript tests/reference/survey_weighted.R src/perceptiongap/datasets/social_crm_simulated.csv \
#       tests/reference/survey_weighted.json
#
# Design: svydesign(ids = ~1, weights = ~weight) per group (customers, executives), i.e. a
# weighted sample without clusters or strata. svymean(..., na.rm = TRUE) gives each item's
# weighted mean of the answered values with its linearised standard error (missing answers are
# a domain); svyby(~item, ~generation, ...) gives the same within each generation (customers).
# Output: JSON written by hand with 17 significant digits (no extra R packages needed).
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
items <- names(data)[6:ncol(data)]
num <- function(x) sprintf("%.17g", x)
vec <- function(x) paste0("[", paste(num(x), collapse = ", "), "]")

groups <- c()
for (role in c("customer", "business")) {
  design <- svydesign(ids = ~1, weights = ~weight, data = data[data$role == role, ])
  fits <- lapply(items, function(item) svymean(as.formula(paste0("~", item)), design, na.rm = TRUE))
  means <- sapply(fits, coef)
  ses <- sapply(fits, SE)
  groups <- c(groups, sprintf('"%s": {"mean": %s, "se": %s}', role, vec(means), vec(ses)))
}

customers <- svydesign(ids = ~1, weights = ~weight, data = data[data$role == "customer", ])
levels <- c("GenY", "GenX", "Boomer")
by_level <- c()
for (level in levels) {
  means <- c()
  ses <- c()
  for (item in items) {
    fit <- svyby(as.formula(paste0("~", item)), ~generation, customers, svymean, na.rm = TRUE)
    row <- fit[fit$generation == level, ]
    means <- c(means, row[[item]])
    ses <- c(ses, row[["se"]])
  }
  by_level <- c(by_level, sprintf('"%s": {"mean": %s, "se": %s}', level, vec(means), vec(ses)))
}

json <- sprintf(
  '{\n "survey_version": "%s",\n "items": [%s],\n "groups": {%s},\n "customer_by_generation": {%s}\n}\n',
  as.character(packageVersion("survey")),
  paste0('"', items, '"', collapse = ", "),
  paste(groups, collapse = ", "),
  paste(by_level, collapse = ", ")
)
writeLines(json, args[2], sep = "")
