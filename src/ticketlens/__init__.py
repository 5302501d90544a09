"""ticketlens ties a software catalog to Jira."""

__version__ = "0.1.0"
