"""The site builds strictly and every page exists in both languages."""

from conftest import LANGUAGES


def test_strict_build_produces_both_languages(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "fr" / "index.html").is_file()
    for lang in LANGUAGES:
        prefix = "" if lang == "en" else "fr/"
        html = (built_site / prefix / "index.html").read_text()
        assert f'<html lang="{lang}"' in html
