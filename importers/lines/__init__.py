"""Assignment lines written by the importers' one writer, whichever door they came through.

* :mod:`importers.lines.store` — the writer: the stored columns of validated rows, and their
  insert (COPY / executemany, with history rows), update (one ``UPDATE … FROM``) and delete.
  The Excel results kind (:mod:`importers.kinds.results`) writes through it.
* :mod:`importers.lines.records` — lines given as records (one dict per line, as the integration
  API receives them): checked by the Excel results rules, then upserted by their external id
  through the same writer.

This package imports nothing at load time, so that the results kind may use the writer while
the records module uses the results kind.
"""
