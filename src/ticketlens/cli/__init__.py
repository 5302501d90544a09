"""The ``ticketlens`` command line: thin commands over the service packages."""
