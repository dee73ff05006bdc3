"""A model's SQL: Jinja rendered harmlessly, the relations it reads (the data-access guard),
and lines of the rendered text mapped back to the file."""
