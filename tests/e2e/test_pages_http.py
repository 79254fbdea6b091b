"""The HTML routes and static files without a browser (fast; runs with the rest of the unit tests)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_catalog_lists_every_algorithm_with_its_days(client: TestClient) -> None:
    from app.catalog import all_algorithms
    from app.pages import journal_days

    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "Stepwise" in html
    for algorithm in all_algorithms():
        assert f'href="/algorithms/{algorithm.id}"' in html
        assert journal_days(algorithm.days) in html
        assert f'src="/previews/{algorithm.id}.svg"' in html
    assert "<script>" not in html  # CSP: modules from /static only
    assert '<script type="module" src="/static/js/catalog-page.js"></script>' in html


def test_player_page_is_thin_and_loads_local_plotly(client: TestClient) -> None:
    response = client.get("/algorithms/kmeans")
    assert response.status_code == 200
    html = response.text
    assert 'data-algorithm-id="kmeans"' in html
    assert '<script src="/static/vendor/plotly.min.js"></script>' in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html and "onclick" not in html.lower()


def test_unknown_algorithm_is_an_html_404(client: TestClient) -> None:
    response = client.get("/algorithms/nope<b>x")
    assert response.status_code == 404
    assert 'href="/algorithms/kmeans"' in response.text  # where to go instead
    assert response.headers["content-type"].startswith("text/html")
    assert "nope<b>x" not in response.text  # autoescaped
    assert "nope&lt;b&gt;x" in response.text


def test_static_files_and_vendored_plotly(client: TestClient) -> None:
    plotly = client.get("/static/vendor/plotly.min.js")
    assert plotly.status_code == 200
    assert "javascript" in plotly.headers["content-type"]
    assert b"plotly.js v" in plotly.content[:200]
    for path in ("/static/css/app.css", "/static/js/algorithm-page.js", "/static/js/api.js"):
        assert client.get(path).status_code == 200, path
    assert client.get("/static/js/missing.js").status_code == 404


def test_journal_days_are_said_in_words() -> None:
    from app.pages import compact_days, journal_days

    assert journal_days((13,)) == "Day 13 of the 66-day journal"
    assert journal_days((1, 56, 57)) == "Days 1 and 56–57 of the 66-day journal"
    assert journal_days((56, 57)) == "Days 56–57 of the 66-day journal"
    assert journal_days((21, 22, 23, 50, 61, 62)) == "Days 21–23, 50 and 61–62 of the 66-day journal"
    assert compact_days((21, 22, 23, 50, 61, 62)) == "21–23, 50, 61–62"  # the README's table


def test_catalog_cards_have_a_preview_one_sentence_and_the_day_in_words(client: TestClient) -> None:
    import re

    from markupsafe import escape

    from app.catalog import all_algorithms
    from app.pages import journal_days, tagline

    html = client.get("/").text
    for algorithm in all_algorithms():
        assert f'src="/previews/{algorithm.id}.svg"' in html
        sentence = tagline(algorithm)
        assert str(escape(sentence)) in html
        assert re.fullmatch(r"[^.!?]+[.!?]", sentence.replace("e.g.", "eg")), f"one sentence: {sentence!r}"
        assert len(sentence) <= 120, sentence
    alts = re.findall(r'<img class="card-preview" src="[^"]+" alt="([^"]+)"', html)
    assert len(alts) == len(all_algorithms()) and all(alt.strip() for alt in alts)
    # the player's header chip says the same words
    kmeans = next(a for a in all_algorithms() if a.id == "kmeans")
    assert journal_days(kmeans.days) in client.get("/algorithms/kmeans").text


def test_families_are_packed_into_full_rows() -> None:
    from app.pages import pack_families

    def families(*sizes: int) -> list[dict[str, object]]:
        return [{"id": f"f{i}", "title": f"f{i}", "cards": list(range(n))} for i, n in enumerate(sizes)]

    packed = pack_families(families(2, 2, 1, 1, 3, 1, 2), 4)  # the catalog's families today
    assert [f["id"] for f in packed] == ["f0", "f1", "f2", "f4", "f3", "f5", "f6"]  # rows 2+2, 1+3, 1+1+2
    # too big for a row: cut into row-sized pieces that share rows; a family's pieces keep their order
    assert [(f["id"], len(f["cards"])) for f in pack_families(families(5, 1), 4)] == [("f0", 4), ("f0", 1), ("f1", 1)]
    packed = pack_families(families(2, 2, 1, 1, 6, 1, 3, 1, 2), 4)  # issue 13's catalog: ensembles of six
    assert _row_sizes(packed)[:-1] == [4] * (len(_row_sizes(packed)) - 1), _row_sizes(packed)
    assert [f["title"] for f in packed if f["id"] == "f4"] == ["f4", "f4 (continued)"]
    # issue 15's: a one-card family before a four-card piece waits for a later row instead of stranding its own
    packed = pack_families(families(2, 2, 1, 3, 1, 1, 2, 6, 2, 1, 5), 4)
    assert _row_sizes(packed) == [4, 4, 4, 4, 4, 4, 2], [(f["id"], len(f["cards"])) for f in packed]


def _row_sizes(packed: list[dict[str, Any]]) -> list[int]:
    """Cards per row of a grid of four columns, pieces placed in order (a piece that does not fit starts a row)."""
    rows: list[int] = []
    for piece in packed:
        n = len(piece["cards"])
        if not rows or rows[-1] + n > 4:
            rows.append(0)
        rows[-1] += n
    return rows
