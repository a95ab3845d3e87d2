"""render/pages.py and maps/spec.py at scale: a big atlas's home map loads its data from a file, and the
cities, partnerships and timeline indexes split into one page per country or decade.

A synthetic atlas of 150 cities (benchmarks/generate.py) is built once with the limits of
render/paging.py and maps/spec.py lowered to 100, under a sub-path base URL; a small atlas stays as it was.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from atlas.maps import spec as maps

from atlas.render import paging
from atlas.publish.linkcheck import check_links
from atlas.maps.spec import MapLine, MapPoint, MapSpec, map_data, map_data_file
from atlas.model import Output
from atlas.pipeline import Config, build, check
from conftest import PROJECT_ROOT, SMALL_ATLAS, build_site, write_site

BASE_URL = "https://example.org/atlas/"
BASE = "/atlas/"
LIMIT = 100
CITIES = 150
VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

DATA_FILE = re.compile(r'data-map-src="/atlas/(assets/maps/home\.([0-9a-f]{10})\.json)"')
OVERVIEW_FILE = re.compile(r'data-map-overview="/atlas/(assets/maps/home-overview\.[0-9a-f]{10}\.json)"')
CITY_LINK = re.compile(r'href="/atlas/cities/([^/"]+)/"')
TABLE_ROW = re.compile(r'<th scope="row"><a href="/atlas/cities/([^/"]+)/">.*?</a> – '
                       r'<a href="/atlas/cities/([^/"]+)/">')
TIMELINE_PAIR = re.compile(r'<a href="/atlas/cities/([^/"]+)/">[^<]*</a>(?: <span class="country-code">[^–]*?</span>)?'
                           r' – <a href="/atlas/cities/([^/"]+)/">')  # each city with its country code
TIMELINE_STUDY = re.compile(r'<span class="tag">Case study</span> <a href="/atlas/case-studies/([^/"]+)/">')


def lowered_limits(monkeypatch: pytest.MonkeyPatch, limit: int = LIMIT) -> None:
    monkeypatch.setattr(maps, "INLINE_MAP_LIMIT", limit)
    for name in ("CITY_INDEX_LIMIT", "PARTNERSHIP_INDEX_LIMIT", "TIMELINE_LIMIT"):
        monkeypatch.setattr(paging, name, limit)


def generate(root: Path, cities: int) -> Path:
    content = root / "content"
    subprocess.run([sys.executable, str(PROJECT_ROOT / "benchmarks" / "generate.py"), "--cities", str(cities),
                    "--out", str(content)], check=True, capture_output=True)
    return content


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """(content, output) of the generated atlas, built with the limits lowered."""
    root = tmp_path_factory.mktemp("scale")
    content = generate(root, CITIES)
    with pytest.MonkeyPatch.context() as monkeypatch:
        lowered_limits(monkeypatch)
        build(Config(content_dir=content, output_dir=root / "output", base_url=BASE_URL))
    return content, root / "output"


@pytest.fixture(scope="module")
def site(big) -> Path:
    return big[1]


@pytest.fixture(scope="module")
def graph(big):
    errors, graph, _ = check(Config(content_dir=big[0]))
    assert not errors.errors
    return graph


@pytest.fixture(scope="module")
def countries(site) -> dict[str, set[str]]:
    """country code -> slugs of its cities, from the open data."""
    with open(site / "data" / "cities.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == CITIES
    by_country: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_country[row["country"]].add(row["slug"])
    return by_country


def read(site: Path, dest: str) -> str:
    return (site / dest).read_text(encoding="utf-8")


def decade_dests(site: Path, section: str) -> list[str]:
    """The pages of a split index: a decade's (1990s/) or that of no year (undated/); not the timeline's
    pages of one kind of item (timeline/partnerships/)."""
    return sorted(p.relative_to(site).as_posix() for p in (site / section).glob("*/index.html")
                  if re.fullmatch(r"\d+s|undated", p.parent.name))


# --- the home map -------------------------------------------------------------------------

def test_the_home_page_names_the_map_data_file_instead_of_carrying_the_points(site):
    home = read(site, "index.html")
    assert 'id="atlas-map-data"' not in home
    assert "[[" not in home  # no point or line arrays
    match = DATA_FILE.search(home)
    assert match, "the map names no data file"
    # what the reader sees first is the overview, preloaded; the whole data waits until the reader zooms in
    overview = OVERVIEW_FILE.search(home)
    assert overview, "the map names no overview"
    assert f'<link rel="preload" href="{BASE}{overview.group(1)}" as="fetch" crossorigin="anonymous">' in home
    assert f'href="{BASE}{match.group(1)}"' not in home
    assert 'id="map-alternative"' in home  # the text alternative stays
    assert f'href="{BASE}cities/"' in home and f'href="{BASE}partnerships/"' in home


def test_the_map_data_file_holds_every_city_and_partnership_and_is_named_by_its_bytes(site, graph):
    path, digest = DATA_FILE.search(read(site, "index.html")).groups()
    data = (site / path).read_bytes()
    assert hashlib.sha256(data).hexdigest()[:10] == digest
    files = sorted(p.name for p in (site / "assets" / "maps").iterdir())
    assert [name for name in files if name.startswith("home.")] == [Path(path).name]
    # and one for each as-of page (a page per decade in a big atlas), and an overview of each
    assert all(re.fullmatch(r"(home|as-of-\d{3}0)(-overview|-\d+-\d+)?\.[0-9a-f]{10}\.json", name) for name in files)
    assert sum(name.startswith("home-overview.") for name in files) == 1
    spec = json.loads(data)
    assert spec["cluster"] is True and spec["label"].startswith(f"Map of {CITIES} cities")
    assert len(spec["points"]) == CITIES
    urls = {point[3] for point in spec["points"]}
    assert all(url.startswith(f"{BASE}cities/") for url in urls)
    lines = [line for group in spec["lineGroups"] for line in group["lines"]]
    assert len(lines) == len(graph.partnerships)
    ends = {frozenset(spec["points"][i][3] for i in line[:2]) for line in lines}
    assert ends == {frozenset(f"{BASE}cities/{slug}/" for slug in (p.a, p.b)) for p in graph.partnerships}


def test_the_map_data_file_is_the_same_bytes_for_the_same_map():
    points = tuple(MapPoint(float(i), float(i), f"City {i}", f"/cities/c{i}/") for i in range(3))
    spec = MapSpec("Map", points, (MapLine(0, 1, "sister-city", "City 0 – City 1"),), cluster=True)
    dest, data = map_data_file(spec, "home")
    assert map_data_file(spec, "home") == (dest, data)
    assert re.fullmatch(r"assets/maps/home\.[0-9a-f]{10}\.json", dest)
    assert json.loads(data) == json.loads(json.dumps(map_data(spec)))
    other, _ = map_data_file(MapSpec("Map", points[:2], cluster=True), "home")
    assert other != dest


def test_the_overview_counts_cities_per_cell_and_keeps_the_strongest_links_between_cells(site, graph):
    home = read(site, "index.html")
    overview = json.loads((site / OVERVIEW_FILE.search(home).group(1)).read_text(encoding="utf-8"))
    assert overview["overview"] is True and overview["regions"]
    assert sum(cell[2] for cell in overview["cells"]) == CITIES
    assert overview["ties"] == len(graph.partnerships)
    counts = [link[2] for link in overview["links"]]
    assert counts == sorted(counts, reverse=True) and len(counts) <= maps.OVERVIEW_LINK_LIMIT
    assert all(a != b for a, b, _ in overview["links"])


def test_the_overview_thins_to_the_links_with_most_ties(monkeypatch):
    points = tuple(MapPoint(lat, lon, f"C{i}", f"/c{i}/") for i, (lat, lon) in
                   enumerate([(0.5, 0.5), (1.0, 1.0), (40.5, 40.5), (-30.5, 100.5), (0.7, 179.9), (0.7, -179.9)]))
    lines = (MapLine(0, 2, "sister-city", "x"), MapLine(1, 2, "sister-city", "x"), MapLine(0, 3, "friendship", "x"),
             MapLine(0, 1, "sister-city", "same cell"), MapLine(4, 5, "sister-city", "across 180"))
    monkeypatch.setattr(maps, "OVERVIEW_LINK_LIMIT", 2)
    overview = maps.map_overview(MapSpec("Map", points, lines, cluster=True))
    assert [cell[2] for cell in overview["cells"]] == [1, 1, 2, 1, 1]  # by cell: south to north, west to east
    assert [link[2] for link in overview["links"]] == [2, 1]  # the two ties to cell of (40.5, 40.5) first
    assert overview["ties"] == 5 and overview["shown"] == 3


def test_zooming_in_fetches_the_regions_in_view_which_together_hold_every_city_and_tie_once(site, graph):
    home = read(site, "index.html")
    overview = json.loads((site / OVERVIEW_FILE.search(home).group(1)).read_text(encoding="utf-8"))
    whole = json.loads((site / DATA_FILE.search(home).group(1)).read_text(encoding="utf-8"))
    assert overview["detail"] == f"{BASE}{DATA_FILE.search(home).group(1)}"
    assert overview["detailBytes"] == (site / DATA_FILE.search(home).group(1)).stat().st_size
    points, lines = {}, {}
    for south, west, north, east, url, size in overview["regions"]:
        assert north - south == east - west == maps.REGION_DEGREES
        assert (site / url.removeprefix(BASE)).stat().st_size == size
        region = json.loads((site / url.removeprefix(BASE)).read_text(encoding="utf-8"))
        own = set()
        for index, point in zip(region["ids"], region["points"]):
            if len(point) > 2:  # the region's own city, whole; a far end of a tie is its place alone
                assert point == whole["points"][index] and south <= point[0] <= north and west <= point[1] <= east
                points[index] = point
                own.add(index)
            else:
                assert point == whole["points"][index][:2]
        for group in region["lineGroups"]:
            for line_id, line in zip(group["ids"], group["lines"]):
                a, b = region["ids"][line[0]], region["ids"][line[1]]
                assert a in own or b in own  # a region holds only the ties with an end in it
                lines[line_id] = (whole["points"][a][3], whole["points"][b][3], *line[2:])
    assert len(points) == len(whole["points"]) == CITIES
    assert sorted(lines.values()) == sorted((whole["points"][line[0]][3], whole["points"][line[1]][3], *line[2:])
                                            for group in whole["lineGroups"] for line in group["lines"])
    assert len(lines) == len(graph.partnerships)


def test_a_tie_across_two_regions_is_in_both_and_a_far_city_comes_with_it():
    points = (MapPoint(48.85, 2.35, "Paris", "/paris/"), MapPoint(35.68, 139.69, "Tokyo", "/tokyo/"),
              MapPoint(48.2, 16.37, "Vienna", "/vienna/"))
    spec = MapSpec("Map", points, (MapLine(0, 1, "friendship", "Paris – Tokyo"),
                                   MapLine(0, 2, "sister-city", "Paris – Vienna")), cluster=True)
    regions = maps.map_regions(spec)
    europe, japan = maps.region_of(48.85, 2.35), maps.region_of(35.68, 139.69)
    assert set(regions) == {europe, maps.region_of(48.2, 16.37), japan}
    in_japan = regions[japan]
    assert in_japan["points"] == [[48.85, 2.35], [35.68, 139.69, "Tokyo", "/tokyo/", "city", ""]]
    assert in_japan["ids"] == [0, 1]
    assert [(g["kind"], g["ids"]) for g in in_japan["lineGroups"]] == [("friendship", [0])]
    assert sorted(i for g in regions[europe]["lineGroups"] for i in g["ids"]) == [0, 1]


def test_the_limit_counts_points_and_lines(monkeypatch):
    points = tuple(MapPoint(0.0, 0.0, "C", "/c/") for _ in range(3))
    monkeypatch.setattr(maps, "INLINE_MAP_LIMIT", 4)
    assert maps.inline_map(MapSpec("Map", points, (MapLine(0, 1, "friendship", "x"),)))
    assert not maps.inline_map(MapSpec("Map", points, (MapLine(0, 1, "friendship", "x"),) * 2))


# --- cities by country --------------------------------------------------------------------

def test_the_city_index_lists_countries_with_counts_not_cities(site, countries):
    index = read(site, "cities/index.html")
    assert CITY_LINK.findall(index) == []  # every link to a city page is on a country page
    assert "data-facets" not in index
    for code, slugs in countries.items():
        route = f"{BASE}cities/country/{code.lower()}/"
        assert re.search(rf'<a href="{route}">[^<]+</a> <span class="muted">\({len(slugs)}\)</span>', index), code
    shown = re.findall(r'<h2 id="[^"]+">[^<]+ <span class="muted">\(([\d,]+) cit', index)
    assert sum(int(n.replace(",", "")) for n in shown) == CITIES


def test_each_country_page_lists_exactly_the_cities_of_that_country(site, countries):
    pages = sorted(p.parent.name for p in (site / "cities" / "country").glob("*/index.html"))
    assert pages == sorted(code.lower() for code in countries)
    for code, slugs in countries.items():
        page = read(site, f"cities/country/{code.lower()}/index.html")
        listed = CITY_LINK.findall(page)
        assert sorted(listed) == sorted(slugs), code
        assert f'<p class="eyebrow"><a href="{BASE}cities/">Cities</a> · ' in page
        assert "<title>" in page and f": cities · " in page
        assert 'data-facets="network theme"' in page


# --- partnerships and timeline by decade --------------------------------------------------

def test_partnership_decade_pages_partition_every_partnership(site, graph):
    index = read(site, "partnerships/index.html")
    assert TABLE_ROW.findall(index) == []
    dests = decade_dests(site, "partnerships")
    assert "partnerships/undated/index.html" in dests and len(dests) > 3
    seen: Counter = Counter()
    total = 0
    for dest in dests:
        part = dest.split("/")[1]
        page = read(site, dest)
        rows = TABLE_ROW.findall(page)
        count = int(re.search(rf'<a href="{BASE}{dest[:-len("index.html")]}">[^<]+</a> '
                              r'<span class="muted">\((\d+) partnerships?\)', index).group(1))
        assert count == len(rows), dest
        total += count
        for a, b in rows:
            seen[(a, b)] += 1
            partnership = next(p for p in graph.partnerships if (p.a, p.b) == (a, b))
            expected = f"{partnership.first_year // 10 * 10}s" if partnership.first_year else "undated"
            assert part == expected, (a, b, part)
    assert set(seen) == {(p.a, p.b) for p in graph.partnerships}
    assert max(seen.values()) == 1
    assert total == len(graph.partnerships)


def test_timeline_decade_pages_partition_every_partnership_and_dated_case_study(site, graph, big):
    index = read(site, "timeline/index.html")
    assert TIMELINE_PAIR.findall(index) == []
    seen: Counter = Counter()
    studies: Counter = Counter()
    for dest in decade_dests(site, "timeline"):
        page = read(site, dest)
        starts = re.sub(r'<li class="timeline-end">.*?</li>', "", page, flags=re.S)  # an end is listed apart
        seen.update(TIMELINE_PAIR.findall(starts))
        studies.update(TIMELINE_STUDY.findall(page))
        assert f'<a href="{BASE}{dest[:-len("index.html")]}">' in index  # the overview links to each part
        assert f'<a href="{BASE}{dest[:-len("index.html")]}" aria-current="page">' in page
    assert set(seen) == {(p.a, p.b) for p in graph.partnerships} and max(seen.values()) == 1
    dated = {p.stem for p in (big[0] / "case-studies").glob("*.md") if "\ndate:" in p.read_text(encoding="utf-8")}
    assert set(studies) == dated and max(studies.values()) == 1


# --- the whole site -----------------------------------------------------------------------

def site_outputs(site: Path) -> list[Output]:
    return [Output(p.relative_to(site).as_posix(), p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()]


def test_every_link_of_the_split_site_resolves(site):
    assert check_links(site_outputs(site), BASE) == []


def test_the_new_pages_are_valid_html(site):
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker; ./scripts/test.sh installs it"
    assert VNU.exists(), "vnu.jar is missing; run npm ci"
    pages = ["index.html", "cities/index.html", "cities/country/fr/index.html", "partnerships/index.html",
             "partnerships/1990s/index.html", "partnerships/undated/index.html", "timeline/index.html",
             "timeline/1990s/index.html", "timeline/undated/index.html"]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                             *(str(site / page) for page in pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert errors == []


# --- below the limits nothing changes -------------------------------------------------------

def test_a_small_atlas_keeps_its_inline_map_and_single_index_pages(tmp_path):
    content = write_site(tmp_path, SMALL_ATLAS)
    build_site(content, tmp_path / "output")
    out = tmp_path / "output"
    home = read(out, "index.html")
    assert '<script type="application/json" id="atlas-map-data">' in home
    assert "data-map-src" not in home and 'rel="preload"' not in home
    assert not (out / "assets" / "maps").exists()
    assert 'data-facets="region network theme"' in read(out, "cities/index.html")
    assert not (out / "cities" / "country").exists()
    assert "<table" in read(out, "partnerships/index.html")
    assert decade_dests(out, "partnerships") == [] and decade_dests(out, "timeline") == []
    assert (out / "timeline" / "partnerships" / "index.html").exists()  # a page per kind of item instead
    assert 'id="d2000"' in read(out, "timeline/index.html")


# --- incremental builds ---------------------------------------------------------------------

def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_incremental_build_of_the_split_pages_equals_a_full_one(tmp_path, monkeypatch):
    lowered_limits(monkeypatch)
    content = generate(tmp_path, CITIES)
    config = Config(content_dir=content, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    build(config)
    before = tree(tmp_path / "out")
    first = sorted((content / "cities").glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    name = re.search(r'^name: "?([^"\n]+)"?$', text, re.M).group(1)
    assert f'name: "{name}"' in text
    since = re.search(r"^    since: (\d{4})$", text, re.M)
    assert since, first.name
    first.write_text(text.replace(f"name: \"{name}\"", f"name: \"{name} Renamed\"", 1)
                     .replace(since.group(0), "    since: 1899", 1), encoding="utf-8")
    build(config)
    after = tree(tmp_path / "out")
    changed = {dest for dest in after if before.get(dest) != after[dest]}
    assert "partnerships/1890s/index.html" in changed and "timeline/1890s/index.html" in changed
    country = re.search(r"^country: (\w\w)$", text, re.M).group(1).lower()
    assert f"cities/country/{country}/index.html" in changed
    assert any(dest.startswith("assets/maps/home.") for dest in changed)
    build(Config(content_dir=content, output_dir=tmp_path / "full"))
    assert after == tree(tmp_path / "full")
