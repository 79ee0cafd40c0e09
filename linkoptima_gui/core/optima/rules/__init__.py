"""Optima's rules, kept by both writers: the COM writer of a real installation and the simulated
Optima of the demo and the tests.

What they must agree on lives here and nowhere else, so that both find the same card for a
buyer, refuse the same orders with the same codes and put the same texts into the same columns:

- ``contractors``: which card is the buyer's, and the values of a new one;
- ``refusals``: what Optima refuses, before anything is written, and with which code;
- ``master_data``: the warehouse, payment form, register and document definition the settings
  name, and the cash report covering a day;
- ``columns``: how free text, names, streets, codes and countries go into Optima's columns.

The simulated writer (``optima/simulated/``) and ``com_writer`` import from here; neither
imports from the other.
"""
