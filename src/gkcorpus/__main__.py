"""python -m gkcorpus: the command line."""

from .cli import program

program()
