"""Social reporting on the web: login, report forms, review, themes, action proposals.

build_router(state) in routes.py gives the pages; phenomenon_panel(...) in panel.py gives the
public, county-level summary that the phenomenon view shows beside the indicators.
"""
