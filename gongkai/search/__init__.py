"""Chinese full-text search over published documents (政府信息公开栏目的全文检索).

Every searchable public document is one :class:`~gongkai.search.models.Entry`, written by
:func:`gongkai.search.index.update` and found by :func:`gongkai.search.query.search`. The text is
segmented with jieba (``cut_for_search``) into the ``tokens`` column, which feeds SQLite FTS5 on
the embedded default and a ``tsvector`` column with a GIN index on PostgreSQL.
"""
