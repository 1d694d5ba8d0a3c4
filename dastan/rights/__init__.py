"""Rights: licences with territory windows, and the playback decisions that obey them.

Where things are (read in this order):

* ``territories.py``, ``timezones.py``, ``windows.py``, ``terms.py`` — value types and
  pure functions: countries and groups, midnight in a country's zones, windows with
  release lags, a licence's terms.
* ``clash.py`` — the exclusivity rule. ``decisions.py`` — ``decide_playback()``, the one
  pure decision function.
* ``models.py`` — rows; ``actions/`` — grant, amend, revoke, record a release, claim a
  seat (``check()`` then ``execute()``); ``selectors.py`` — reads, the DB-loading
  decision, ``catalog_availability()``.
* ``codec.py``, ``avails.py``, ``AVAILS.md`` — the avails columns, CSV/TSV import/export.
* ``resolvers/`` — which country a request comes from; ``playback.py`` — the media
  app's hook and the HTTP 451 refusal.
* ``chart.py``, ``svg.py``, ``views.py`` — the distributor's page; ``api.py``, ``cli.py``,
  ``demo.py`` — the ways in.
"""
