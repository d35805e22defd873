"""python -m gkcorpus.cli: the command line."""

from . import program

program()
