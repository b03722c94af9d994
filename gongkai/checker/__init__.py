"""The report checker: read a published annual report in any layout (text, HTML, Word, PDF),
extract its tables into the data of docs/annual-report-data.md and check them with the same
checks as the generator (``gongkai.reports.checks``). Plain Python: no Django needed."""
