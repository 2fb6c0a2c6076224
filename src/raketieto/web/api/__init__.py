"""The open REST API under /api/v1 and the view downloads under /vienti."""
