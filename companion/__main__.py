"""`python -m companion` is the same as the `applied` command."""
from .cli import main

main()
