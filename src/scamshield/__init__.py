"""scamshield: explained scam verdicts for texts, call transcripts, call audio and caller ID.

    >>> from scamshield import analyze
    >>> analyze("HMRC: pay your tax debt in iTunes vouchers today or face arrest").verdict
    'scam'
"""

from .analyzer import Analysis, Analyzer, analyze
from .errors import InputError, RulesError, ScamshieldError
from .inputs import message_from_dict
from .models import Advice, Contribution, Finding, Flag, Message, Span, Turn, Verdict

__all__ = [
    "Advice",
    "Analysis",
    "Analyzer",
    "Contribution",
    "Finding",
    "Flag",
    "InputError",
    "Message",
    "RulesError",
    "ScamshieldError",
    "Span",
    "Turn",
    "Verdict",
    "analyze",
    "message_from_dict",
]
__version__ = "0.1.0"
