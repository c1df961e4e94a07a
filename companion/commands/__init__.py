"""`applied` subcommands that reach the data through the API (companion.client), one module per area."""
import click

from ..settings import default_data_dir

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False), envvar="APPLIED_HOME", default=default_data_dir,
    show_default="the platform's user data folder, or $APPLIED_HOME",
    help="Folder holding your applications, captured pages, backups and the token.")
