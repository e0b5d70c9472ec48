"""Matchmaking in the application: the index fed from the database (``index``), ranking a demand's
experts, achievements and labs with explanations (``ranking``) and the life of a sent match
(``matches``). Callers use the names re-exported here."""

from accord.services.matching.index import (
    IndexState,
    documents,
    extend_glossary,
    forget,
    get_index,
    glossary_entries,
    index_dir,
    parse_glossary,
    rebuild,
    status,
    sync,
    warm_up,
)
from accord.services.matching.matches import (
    can_handle,
    get_match,
    invitations,
    matches_of,
    respond,
    send_match,
    to_project,
)
from accord.services.matching.ranking import (
    RankFilters,
    Ranking,
    Suggestion,
    demand_query,
    highlight,
    rank,
    term_labels,
)

__all__ = [
    "IndexState",
    "RankFilters",
    "Ranking",
    "Suggestion",
    "can_handle",
    "demand_query",
    "documents",
    "extend_glossary",
    "forget",
    "get_index",
    "get_match",
    "glossary_entries",
    "highlight",
    "index_dir",
    "invitations",
    "matches_of",
    "parse_glossary",
    "rank",
    "rebuild",
    "respond",
    "send_match",
    "status",
    "sync",
    "term_labels",
    "to_project",
    "warm_up",
]
