"""The HTML routes and static files without a browser (fast; runs with the rest of the unit tests)."""

from __future__ import annotations

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


def test_journal_days_are_compact_ranges() -> None:
    from app.pages import journal_days

    assert journal_days((13,)) == "Journal day 13"
    assert journal_days((1, 56, 57)) == "Journal days 1, 56–57"
    assert journal_days((21, 22, 23, 50, 61, 62)) == "Journal days 21–23, 50, 61–62"
