"""The error conditions of OAI-PMH 2.0 (section 3.6), raised while a request is read and answered."""

from dataclasses import dataclass

BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_RECORDS_MATCH = "noRecordsMatch"
NO_METADATA_FORMATS = "noMetadataFormats"
# noSetHierarchy is never raised: the repository has sets (networks and topics).


@dataclass(frozen=True)
class Problem:
    """One error element of a response: its code and a message in the requester's language."""

    code: str
    message: str


class OaiError(Exception):
    """The request cannot be answered; the response lists the problems (the protocol allows several)."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(f"{problem.code}: {problem.message}" for problem in problems))
        self.problems = problems

    @classmethod
    def of(cls, code: str, message: str) -> "OaiError":
        """An error with a single problem."""
        return cls(Problem(code, message))

    @property
    def hides_arguments(self) -> bool:
        """On badVerb and badArgument the request element must carry no attributes (section 3.2)."""
        return any(problem.code in (BAD_VERB, BAD_ARGUMENT) for problem in self.problems)
