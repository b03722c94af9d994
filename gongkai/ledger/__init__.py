"""The Excel ledger (台账) of ../shared/spec/ledger.md: read, check, write, import, export."""
