"""Results that funders and academies can use (issue 18), next to the dashboard:

- ``outcomes``: the routes' results as shares of a stated denominator, per group, route type,
  year and the equal-chances categories (the academy's results page) and per academy and
  branch (the national comparison);
- ``esf``: the ESF+ participant data (reporting.models.EsfRecord): the regisseur's form, its
  service, and the funder's monitoring sheet (one row per indicator, men/women/total);
- ``comparison``: academies and branches side by side, and an academy against the median;
- ``forms`` and ``views``: the pages.
"""
