"""Editing one model's entry in a schema YAML file so that every other byte of the file stays:
finding the entry, checking the user's text, refusing files that cannot be edited safely."""
