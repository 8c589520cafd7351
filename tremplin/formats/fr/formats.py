"""French as Django writes it, but for a moment written out in full: "4 janvier 2027 à 09:00"
rather than "4 janvier 2027 09:00" (the first of a month as "1er": tremplin/dates.py)."""

DATETIME_FORMAT = r"j F Y \à H:i"
