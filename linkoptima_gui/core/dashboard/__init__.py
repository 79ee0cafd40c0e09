"""The Pulpit: what the manager looks at (the day's flow, packing, money on the way, what to
reorder), the daily report made of the same figures, and the order to a supplier booked from it.

- ``figures``: the figures as plain frozen data, the one shape the screen and the PDF share;
- ``store_figures`` and ``optima_figures``: the reads, a handful of indexed queries each;
- ``reorder``: days of cover and the suggested quantities (pure arithmetic);
- ``service``: ``Dashboard``, what the console and the engine hold to compute them and to book
  a ZD; ``supplier_orders``: the ZD from chosen lines, and the table as CSV;
- ``report_pdf`` and ``daily_report``: the PDF, and its e-mail once a day by the active engine.
"""
