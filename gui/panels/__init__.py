"""One module per dock or bar; each receives the state objects it shows."""
