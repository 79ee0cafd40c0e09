"""The headless commands of ``linkoptima`` (``cli.py`` parses, these run): the engine as a
service, the store's state, packing from the command line."""
