"""The operational store: social reports, review, themes, action proposals, users and audit.

Layered as models -> services -> (web routes, elsewhere). Services take a SQLAlchemy Session
and a Principal, flush but never commit: the caller owns the transaction.
"""
