"""HTML to an A4 PDF with WeasyPrint, the one way the platform makes PDFs (letters, annual
reports, the paper application form). Nothing is fetched from outside: no protocol (file:,
http:, data:) may be read while laying out, so a text cannot make the server read a file."""

from __future__ import annotations

from gongkai.core import fonts


def from_html(html: str, css: str = "") -> bytes:
    """Raises fonts.MissingFont when no font here can show Chinese (the PDF would be boxes)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fonts.require()
    fetcher = URLFetcher(allowed_protocols=())
    sheets = [CSS(string=css, url_fetcher=fetcher)] if css else []
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=sheets)
