"""data/datapackage.json: a Frictionless Data Package that describes every CSV file the build publishes.

The starter atlas is built once; the `frictionless` package validates the package
and every resource against its schema, and the package is checked against the
files: each CSV is described, with the columns it has, the types they hold, the
licence of the data and the sources.
"""

from __future__ import annotations

import csv
import json

import frictionless
import pytest


@pytest.fixture(scope="module")
def data(starter_build):
    return starter_build.require() / "data"


@pytest.fixture(scope="module")
def package(data) -> dict:
    return json.loads((data / "datapackage.json").read_text(encoding="utf-8"))


def test_frictionless_finds_the_package_and_every_table_valid(data):
    report = frictionless.validate(str(data / "datapackage.json"))
    problems = report.flatten(["title", "type", "note"])
    assert report.valid, problems[:20]
    assert len(report.tasks) == len(list(data.glob("*.csv")))


def test_every_published_csv_is_a_resource_with_the_columns_it_has(data, package):
    resources = {resource["path"]: resource for resource in package["resources"]}
    assert set(resources) == {path.name for path in data.glob("*.csv")}
    for path, resource in resources.items():
        with open(data / path, encoding="utf-8", newline="") as file:
            header = next(csv.reader(file))
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == header, path
        assert all(field["description"] and field["type"] in {"string", "integer", "number"} for field in fields)
        assert resource["format"] == "csv" and resource["encoding"] == "utf-8"


def test_the_tables_of_the_new_kinds_are_described(package):
    names = {resource["name"] for resource in package["resources"]}
    assert {"organisations", "initiatives", "initiative-participants", "events", "people", "roles", "surveys",
            "findings",
            "cities", "partnerships", "memberships"} <= names
    findings = next(r for r in package["resources"] if r["name"] == "findings")
    assert [f["name"] for f in findings["schema"]["fields"]] == ["survey", "statement", "value", "unit", "year",
                                                                 "source", "url"]
    cities = next(r for r in package["resources"] if r["name"] == "cities")
    assert {f["name"]: f["type"] for f in cities["schema"]["fields"]}["latitude"] == "number"


def test_the_data_is_licensed_cc_by_4_and_names_its_sources(package):
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert package["profile"] == "tabular-data-package" and package["name"] == "city-diplomacy-atlas"
    titles = {source["title"] for source in package["sources"]}
    assert "Conducting City Diplomacy: A Survey of International Engagement in 47 Cities" in titles
    assert all(source.get("path", "https://").startswith("http") for source in package["sources"])


def test_the_open_data_page_lists_the_package_and_every_table(starter_build):
    page = (starter_build.require() / "data/index.html").read_text(encoding="utf-8")
    for name in ("datapackage.json", "findings.csv", "organisations.csv", "events.csv", "roles.csv"):
        assert f">{name}</a>" in page
