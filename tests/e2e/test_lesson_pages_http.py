"""/lessons, /lessons/{day} and /compare without a browser (issue 18)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.lessons import LAST_DAY, all_lessons


def test_the_path_links_every_day_grouped_by_theme(client: TestClient) -> None:
    html = client.get("/lessons").text
    for lesson in all_lessons():
        assert f'href="/lessons/{lesson.day}"' in html
    for theme in ("classic", "ensembles", "clustering", "evaluation", "neural", "convolutions", "sequences"):
        assert f'id="theme-{theme}"' in html
    assert '<script type="module" src="/static/js/lesson-progress.js"></script>' in html


def test_the_catalog_and_every_page_link_the_path(client: TestClient) -> None:
    assert 'href="/lessons"' in client.get("/").text
    assert 'href="/lessons"' in client.get("/algorithms/kmeans").text


def test_a_lesson_opens_at_its_preset_and_shows_its_text_prompts_and_neighbours(client: TestClient) -> None:
    first = client.get("/lessons/32", follow_redirects=False)
    assert first.status_code == 307
    target = first.headers["location"]
    assert target.startswith("/lessons/32?seed=0&surface=quadratic&kappa=50")
    html = client.get(target).text
    lesson = all_lessons()[31]
    assert 'data-algorithm-id="optimizers"' in html and lesson.title in html and lesson.question in html
    assert 'href="/lessons/31"' in html and 'href="/lessons/33"' in html
    assert html.count('data-testid="prompt-') == len(lesson.prompts)
    last = client.get(f"/lessons/{LAST_DAY}?seed=0").text
    assert f'href="/lessons/{LAST_DAY - 1}"' in last and f'href="/lessons/{LAST_DAY + 1}"' not in last


def test_a_day_off_the_path_is_an_html_404_that_points_to_the_path(client: TestClient) -> None:
    for day in ("0", "66", "abc"):
        response = client.get(f"/lessons/{day}")
        assert response.status_code == 404 and 'href="/lessons"' in response.text
        assert "There is no lesson for day" in response.text
