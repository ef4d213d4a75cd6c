"""Domain errors. Each message says what to do next; adapters map them to exit codes / HTTP statuses."""


class RegassistError(Exception):
    """Base class for every error regassist raises on purpose."""


class CatalogError(RegassistError):
    """The catalog file is missing, malformed, or names files that do not exist."""


class RuleError(CatalogError):
    """A rules file or a topic map (checklist.yaml, topics.yaml) does not fit the corpus."""


class ParseError(RegassistError):
    """A source text has no recognisable structure."""


class IngestError(RegassistError):
    """A document could not be read or added to the corpus."""


class IndexNotBuilt(RegassistError):
    """No usable index on disk."""


class NotFound(RegassistError):
    """An unknown document or clause label was asked for."""


class EmbedderUnavailable(RegassistError):
    """The configured embedder cannot be loaded here."""


class LlmUnavailable(RegassistError):
    """The model could not be reached, timed out or answered with an error."""


class VectorStoreUnavailable(RegassistError):
    """The Chroma server (REGASSIST_CHROMA_URL) cannot be reached."""


class InvalidInput(RegassistError):
    """A request the service refuses as given (an empty or over-long question)."""
