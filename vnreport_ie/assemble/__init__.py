"""Stage 5: facts of the schema from entities and relations.

- :mod:`.facts`: one fact per course, meeting, document, review, anniversary
  and tally, from the tagger's entities and the relations between them.
- :mod:`.enrich`: the slots of spec v2 read around each fact: :mod:`.dating`
  (when it happened) and :mod:`.clause` (status, duration, graduates, plan
  attainment), and a tally's actor.
"""

from .facts import ORDER, Assembler, clean

__all__ = ["Assembler", "ORDER", "clean"]
