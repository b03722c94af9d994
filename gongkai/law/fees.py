"""信息处理费 by the tiers of 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), in 元.

按件 (art. 4): per applicant per calendar month, items 1–10 free, 11–30 100 元 each, then every
further 10 items (one 档) 100 元 each more: 31–40 200, 41–50 300, …  (docs/law/fees.md).
按量 (art. 5): pages 1–30 free, 31–100 10 元, 101–200 20 元, 201 and more 40 元.
Both are 超额累进: an application pays for the items or pages it adds, at their own tier.
"""

from __future__ import annotations


def item_price(k: int) -> int:
    """The price of the k-th item an applicant asks for in one calendar month."""
    if k <= 10:
        return 0
    if k <= 30:
        return 100
    return 100 * (2 + (k - 31) // 10)


def page_price(k: int) -> int:
    if k <= 30:
        return 0
    if k <= 100:
        return 10
    if k <= 200:
        return 20
    return 40


def per_item(earlier_items: int, items: int) -> int:
    """The fee for ``items`` new items when the applicant already asked for ``earlier_items``
    in the same calendar month."""
    if earlier_items < 0 or items < 1:
        raise ValueError("件数应为正整数。")
    return sum(item_price(k) for k in range(earlier_items + 1, earlier_items + items + 1))


def per_page(pages: int) -> int:
    if pages < 1:
        raise ValueError("页数应为正整数。")
    return sum(page_price(k) for k in range(1, pages + 1))
