"""gkcorpus: mining the formulaic layer of Chinese government writing.

    >>> import gkcorpus
    >>> corpus = gkcorpus.load_bundled()          # the fifteen 政务公开活动总结
    >>> corpus.kwic("高度重视").head()
"""

from .text.clean.cleaner import Cleaner
from .text.clean.report import CleaningReport, CleanResult
from .corpus import Corpus, Document, Unit, load, load_bundled
from .base.io import LoadError, RawDocument
from .text.tokenize import Tokenizer

__version__ = "0.1.0"

__all__ = [
    "Cleaner",
    "CleaningReport",
    "CleanResult",
    "Corpus",
    "Document",
    "Unit",
    "LoadError",
    "RawDocument",
    "Tokenizer",
    "load",
    "load_bundled",
    "__version__",
]
