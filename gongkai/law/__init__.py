"""The rules of the law that the platform applies, each once, named after what it is and
citing its article; everything else reads them here. Plain Python: no Django, no database,
nothing of the platform's own imported, so that the command line, the ledger reader, the
report checker and the site all read the same rules.

docs/law/README.md explains each rule, article by article, with its source and, where the code
follows one reading of the text, which and why.

- ``periods``: the time limits (working days and others) of the 条例 and of the laws it
  defers to;
- ``outcomes``: how an application can end, the rows of table 三 of the annual report;
- ``fees``: the information processing fee (国办函〔2020〕109号);
- ``categories``: what must be published proactively (第二十条、第二十一条);
- ``privacy``: finding and masking personal data;
- ``applicants``: the applicant columns of table 三;
- ``annual_report``: the report's formats, the layout of table 三 and the publication deadlines
  (第四十九条).
"""
