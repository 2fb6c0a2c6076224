"""The reporting service: tilannekuva, ilmiöstä tiiviisti and ilmiönäkymä as web pages."""
