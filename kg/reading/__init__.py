"""Reading: source files -> Article."""
