"""Panels of the duplicate finder that live on the main screen."""
