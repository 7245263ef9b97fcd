Rscript -e 'plumber::pr_run(plumber::pr("step6_service.R"), host = "127.0.0.1", port = 8000)'
