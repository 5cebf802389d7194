"""One module per `ra` command or command group; each exposes `register(app)`."""
