"""One hardened XML parser for the JSON APIs' XML bodies (the authentication API's
<CsoAuth>, the PCL searches).

Expat read defensively, as defusedxml would: any DOCTYPE (and so any entity declaration,
internal or external) and any notation is refused outright, external entities are never
resolved, parameter entities are never parsed. Callers add their own element handlers and
bounds on size and depth.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.parsers import expat

DECLARATION_REFUSED = "XML with a DOCTYPE, entity or notation declaration is not accepted."
EXTERNAL_ENTITY_REFUSED = "XML with external entities is not accepted."


def hardened_parser(refuse: Callable[[str], Exception]) -> expat.XMLParserType:
    """An expat parser (namespaces as "uri local-name") that raises `refuse(message)` on
    the first declaration or external entity, in the caller's own error type."""

    def declaration(*args: object) -> None:
        raise refuse(DECLARATION_REFUSED)

    def external_entity(*args: object) -> int:
        raise refuse(EXTERNAL_ENTITY_REFUSED)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = declaration
    parser.EntityDeclHandler = declaration
    parser.UnparsedEntityDeclHandler = declaration
    parser.NotationDeclHandler = declaration
    parser.ExternalEntityRefHandler = external_entity
    return parser
