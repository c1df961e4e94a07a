"""`applied` subcommands that reach the data through the API (companion.client), one module per area."""
