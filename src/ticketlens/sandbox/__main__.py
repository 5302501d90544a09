"""``python -m ticketlens.sandbox``: the same as ``ticketlens sandbox``."""

from ticketlens.cli.sandbox import sandbox

if __name__ == "__main__":
    sandbox(prog_name="python -m ticketlens.sandbox")
