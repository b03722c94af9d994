"""The annual report (年度报告): its data in the shape of docs/annual-report-data.md, the checks of
that shape, and building it from an Excel ledger. Plain Python: no Django needed."""
