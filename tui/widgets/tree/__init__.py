"""The model tree and the panel that pairs it with its filter box."""
