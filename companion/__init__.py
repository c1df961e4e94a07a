"""Applied: a job-application tracker that lives on your own machine."""
__version__ = "0.1.0"
