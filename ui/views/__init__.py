"""One module per view; each has a ``render(...)`` that takes what it needs as parameters.

``VIEWS`` (from the library, the one list) names them in the order the page shows them.
"""
