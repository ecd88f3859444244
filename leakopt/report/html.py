"""HTML pieces of the report: escaped text, paragraphs, tables and figures."""
from __future__ import annotations

import html


def esc(text) -> str:
    """HTML-escape any value as text."""
    return html.escape(str(text), quote=True)


def para(text: str, cls: str | None = None) -> str:
    return f'<p class="{cls}">{esc(text)}</p>' if cls else f"<p>{esc(text)}</p>"


def table(caption: str, headers: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """A captioned table; ``headers`` are (label, is_numeric) pairs; cells are plain text."""
    head = "".join(f'<th scope="col"{" class=num" if num else ""}>{esc(h)}</th>' for h, num in headers)
    body = "".join("<tr>" + "".join(f'<td{" class=num" if headers[i][1] else ""}>{esc(c)}</td>'
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(uri: str | None, alt: str, caption: str | None = None) -> str:
    if not uri:
        return ""
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{uri}" alt="{esc(alt)}">{cap}</figure>'
