"""The progress dossier: one participant's route as a PDF, made in the background.

- ``content``: what each variant carries (explicit field lists) and the plain data it holds;
- ``chart``: the well-being chart as SVG, drawn on the server;
- ``render``: the HTML template through WeasyPrint into an A4 PDF;
- ``guard``: the release check on the produced PDF's text before it may leave the academy;
- ``services``: asking for a dossier (permission, consent, then a ReportRun);
- ``kinds``: the ReportRun kinds (one per variant, and the cohort's ZIP);
- ``views``: the request buttons and the cohort page.
"""
