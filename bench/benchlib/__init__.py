"""The benchmark harness behind ``make bench``: broadsheet vs Pelican vs Hugo, side by side.

One module per job: ``measure`` times one process, ``schedule`` interleaves the
tools, ``corpus`` makes and edits the inputs, ``tools`` knows how each generator
builds, ``treecmp`` compares two output trees, ``machine`` describes the host,
``report`` turns the figures into the markdown table.
"""
