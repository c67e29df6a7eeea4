"""trustmart: a SQL-first metrics warehouse for Trust & Safety teams."""

__version__ = "0.1.0"
