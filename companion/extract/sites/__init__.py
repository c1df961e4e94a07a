"""One module per job site, each a small ``JobSite`` subclass; the registry finds them here."""
