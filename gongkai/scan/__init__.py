"""The pre-publication scan: ID, mobile and bank card numbers, 密级 marks and configured
sensitive words in a text about to be published (保守国家秘密法第三十五条, docs/law/privacy.md).

Plain Python, no Django: the back office, the API and ``gongkai scan`` call the same function.
"""

from gongkai.scan.scanner import KINDS, LABELS, Finding, scan

__all__ = ["KINDS", "LABELS", "Finding", "scan"]
