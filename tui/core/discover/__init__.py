"""Finding things before a model is written: fuzzy search over names today; the duplicate
finder, new-model drafts and "find data" will live here."""
