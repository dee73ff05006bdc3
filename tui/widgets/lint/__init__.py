"""The lint panel: the open model's findings as it is typed, and the project's lint."""
