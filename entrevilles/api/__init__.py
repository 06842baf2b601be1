"""What every app's REST API shares: the id field, the schema of figures, the strict
filter backend, the parsers, the error shape and the throttles. The `api` app holds the
router and the published schema; each app's `api.py` builds on these."""
