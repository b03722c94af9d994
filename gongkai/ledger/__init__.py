"""The Excel ledger (台账) of docs/ledger.md: read, check, write, import, export."""
