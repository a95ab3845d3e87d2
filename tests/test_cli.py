"""cli.py: `atlas build` and `atlas check` — what editors see, and the exit codes."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT_ROOT, SMALL_ATLAS, city, entry, mtimes, snapshot, write_site

BROKEN = {
    "cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]", extra="population: many\n"),
    "cities/turin.md": city("Turin", "IT", "[45.0703, 7.6869]"),
    "pages/about.md": entry("title: About\n", "A claim [@nobody].\n"),
}
BROKEN_PROBLEMS = [
    "content/cities/lyon.md:5: error: population must be a whole number, not 'many'",
    "content/pages/about.md:4: error: source 'nobody' is not in sources.yaml\n  hint: add it to content/sources.yaml",
]


# --- atlas build -------------------------------------------------------------------

def test_build_prints_a_summary_and_exits_0(tmp_path, make_site, run_cli):
    make_site(tmp_path, SMALL_ATLAS)
    result = run_cli("build")
    assert result.exit_code == 0
    assert result.stdout.startswith("built 28 pages (")  # the as-of pages, the timeline by kind, the new kinds
    assert ", 0 warnings" in result.stdout
    assert (tmp_path / "output/index.html").is_file()


def test_build_timings_name_every_stage_with_its_seconds_and_peak_memory(tmp_path, make_site, run_cli):
    make_site(tmp_path, SMALL_ATLAS)
    result = run_cli("build", "--timings")
    assert result.exit_code == 0 and result.stdout.startswith("built 28 pages (")
    stages = re.findall(r"^ +([\d.]+) s  (.+?) +\(peak memory so far ([\d,]+) MiB\)$", result.stderr, re.M)
    names = [name for _, name, _ in stages]
    for stage in ("load", "validate", "resolve", "entry pages", "data files", "other pages", "feeds", "write"):
        assert stage in names
    assert all(int(peak.replace(",", "")) > 0 for _, _, peak in stages)


def test_build_options_choose_the_folders(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    (tmp_path / "content").rename(tmp_path / "my-content")
    result = run_cli("build", "--content", "my-content", "--output", "site")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site/cities/lyon/index.html").is_file()
    assert not (tmp_path / "output").exists()


def test_a_broken_build_exits_1_prints_every_error_and_keeps_the_old_output(tmp_path, make_site, run_cli):
    make_site(tmp_path, SMALL_ATLAS)
    assert run_cli("build").exit_code == 0
    before, times = snapshot(tmp_path / "output"), mtimes(tmp_path / "output")
    write_site(tmp_path, {"cities/lyon.md": None, "cities/barcelona.md": None, "networks/eurocities.md": None,
                          "case-studies/lyon-barcelona-exchange.md": None, "themes/climate.md": None,
                          "sources.yaml": None, **BROKEN})
    result = run_cli("build")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        *"\n".join(BROKEN_PROBLEMS).splitlines(),
        "build failed: 2 errors; output was left as it was",
    ]
    assert snapshot(tmp_path / "output") == before
    assert mtimes(tmp_path / "output") == times


def test_warnings_do_not_fail_the_build(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR"), "notes.txt": "x",
                         "sources.yaml": "- id: unused\n  title: Unused\n"})
    result = run_cli("build")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "content/notes.txt: warning: ignored: not one of cities, networks, organisations, initiatives, events,"
        " people, surveys, case-studies, themes, pages, atlas.yaml, sources.yaml",
        "content/sources.yaml:1: warning: source 'unused' is never cited",
    ]
    assert result.stdout.rstrip().endswith(", 2 warnings")


def test_a_second_build_reports_nothing_written(tmp_path, make_site, run_cli):
    make_site(tmp_path, SMALL_ATLAS)
    run_cli("build")
    result = run_cli("build")
    assert result.exit_code == 0
    assert "0 written" in result.stdout and "0 removed" in result.stdout


def test_base_url_on_the_command_line_overrides_atlas_yaml(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"atlas.yaml": "title: T\nbase_url: https://example.com/\n",
                         "cities/lyon.md": city("Lyon", "FR")})
    assert run_cli("build", "--base-url", "https://example.org/atlas/").exit_code == 0
    html = (tmp_path / "output/cities/lyon/index.html").read_text(encoding="utf-8")
    assert 'href="/atlas/cities/"' in html
    assert 'href="https://example.org/atlas/cities/lyon/"' in html


def test_an_invalid_base_url_is_an_error(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR")})
    result = run_cli("build", "--base-url", "example.org/atlas")
    assert result.exit_code == 1
    assert "example.org/atlas' is not a web address starting with https:// or http://" in result.stderr
    assert not (tmp_path / "output").exists()


def test_drafts_option(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", extra="draft: true\n"),
                         "cities/turin.md": city("Turin", "IT", "[45.0703, 7.6869]")})
    assert run_cli("build").exit_code == 0
    assert not (tmp_path / "output/cities/lyon").exists()
    assert run_cli("build", "--drafts").exit_code == 0
    assert (tmp_path / "output/cities/lyon/index.html").is_file()


# --- atlas check ---------------------------------------------------------------------

NO_WIKIDATA = "no Wikidata id: registers match cities by it"
NO_WIKIDATA_HINT = "find the city on https://www.wikidata.org/ and add `wikidata: Q…`, its item's number"

def test_check_of_a_clean_atlas_exits_0_and_writes_nothing(tmp_path, make_site, run_cli):
    make_site(tmp_path, SMALL_ATLAS)
    result = run_cli("check")
    assert result.exit_code == 0
    # check also gives advice a build does not: here, a fact without a source
    # and notes, which never fail anything: cities without a Wikidata id, the hint given once
    assert result.stdout == ("content/case-studies/lyon-barcelona-exchange.md:3: warning: date given without a source\n"
                             "  hint: add `sources: [source-id]`\n"
                             f"content/cities/barcelona.md:2: note: {NO_WIKIDATA}\n"
                             f"content/cities/lyon.md:2: note: {NO_WIKIDATA}\n"
                             f"  hint: {NO_WIKIDATA_HINT}\n"
                             "3 citations (3 unclassified); 0.0% to mirrors\n0 errors, 1 warning, 2 notes\n")
    assert not (tmp_path / "output").exists()


def test_check_reports_orphans_and_unsourced_partnerships(tmp_path, make_site, run_cli):
    make_site(tmp_path, {
        "cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]", extra="partners: [turin]\n"),
        "cities/turin.md": city("Turin", "IT", "[45.0703, 7.6869]"),
        "cities/porto.md": city("Porto", "PT", "[41.1496, -8.611]"),
    })
    result = run_cli("check")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [  # Lyon is in Turin's partner table, so no orphan; Porto is
        "content/cities/lyon.md:5: warning: partners given without a source",
        "  hint: add `sources: [source-id]`",
        "content/cities/lyon.md:5: warning: the partnership with 'turin' has no source",
        "  hint: add `sources: [source-id]` to it",
        "content/cities/porto.md:1: warning: no other entry links to this one (an orphan page)",
        "  hint: link to it with [[porto]] where it belongs",
        f"content/cities/lyon.md:2: note: {NO_WIKIDATA}",
        f"content/cities/porto.md:2: note: {NO_WIKIDATA}",
        f"content/cities/turin.md:2: note: {NO_WIKIDATA}",
        f"  hint: {NO_WIKIDATA_HINT}",
        "0 citations (none); 0.0% to mirrors",
        "0 errors, 3 warnings, 3 notes",
    ]


def test_check_lists_every_problem_and_exits_1(tmp_path, make_site, run_cli):
    make_site(tmp_path, BROKEN)
    result = run_cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    problems = [text for i, line in enumerate(lines) if ": error: " in line
                for text in [line, *lines[i + 1:i + 2]] if text == line or text.startswith("  hint")]
    assert "\n".join(problems) == "\n".join(BROKEN_PROBLEMS)
    # and advice: Turin is an orphan (Lyon is invalid); and a note: Turin has no Wikidata id
    assert result.stdout.endswith("2 errors, 1 warning, 1 note\n")
    assert not (tmp_path / "output").exists()


def test_check_leaves_an_existing_output_alone(tmp_path, make_site, run_cli):
    make_site(tmp_path, SMALL_ATLAS)
    run_cli("build")
    before = snapshot(tmp_path / "output")
    write_site(tmp_path, {"pages/about.md": entry("title: Changed\n")})
    assert run_cli("check").exit_code == 0
    assert snapshot(tmp_path / "output") == before


def test_check_as_json(tmp_path, make_site, run_cli):
    make_site(tmp_path, {**BROKEN, "sources.yaml": "- id: unused\n  title: Unused\n"})
    result = run_cli("check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["errors"], report["notes"]) == (2, 1)
    assert [p for p in report["problems"] if "orphan" not in p["message"] and "without a source" not in p["message"]
            and p["severity"] != "note"] == [
        {"file": "content/cities/lyon.md", "line": 5, "severity": "error",
         "message": "population must be a whole number, not 'many'", "hint": None},
        {"file": "content/pages/about.md", "line": 4, "severity": "error",
         "message": "source 'nobody' is not in sources.yaml", "hint": "add it to content/sources.yaml"},
        {"file": "content/sources.yaml", "line": 1, "severity": "warning",
         "message": "source 'unused' is never cited", "hint": None},
    ]


def test_check_as_json_of_a_clean_atlas(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR"), "pages/about.md": entry("title: About\n", "See [[lyon]].\n")})
    result = run_cli("check", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [{"file": "content/cities/lyon.md", "line": 2, "severity": "note",
                                                       "message": NO_WIKIDATA, "hint": NO_WIKIDATA_HINT}],
                                          "errors": 0, "warnings": 0, "notes": 1,
                                          "citations": {}, "mirror_share": 0.0}


def test_a_missing_content_folder(tmp_path, monkeypatch, run_cli):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--content", "nowhere")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "nowhere: error: content folder not found"


def test_python_dash_m_atlas_cli_runs(tmp_path):
    # no cities, so the check is quick: the gazetteer is not needed
    write_site(tmp_path, {"pages/about.md": entry("title: About\n", "A claim [@nobody].\n")})
    result = subprocess.run([sys.executable, "-m", "atlas.cli", "check", "--content", str(tmp_path / "content")],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"{tmp_path}/content/pages/about.md:4: error: source 'nobody' is not in sources.yaml",
                         "  hint: add it to content/sources.yaml"]
    assert lines[2] == "0 citations (none); 0.0% to mirrors"
    assert re.fullmatch(r"1 errors?, 0 warnings", lines[3])


# --- atlas build --strict --------------------------------------------------------------

def test_strict_fails_on_a_broken_link_in_the_built_site_and_writes_nothing(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]",
                                                body="A map: ![Map of Lyon](/media/lyon-map.png)\n"),
                         "pages/about.md": entry("title: About\n", "See [[lyon]].\n")})
    result = run_cli("build", "--strict")
    assert result.exit_code == 1
    assert "cities/lyon/index.html:" in result.stderr
    assert "broken link '/media/lyon-map.png': no such page or file" in result.stderr
    assert "build failed (--strict): 1 broken link; output was left as it was" in result.stderr
    assert not (tmp_path / "output").exists()
    assert run_cli("build").exit_code == 0  # without --strict the build goes ahead


def test_strict_fails_on_warnings_including_checks_advice(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"cities/lyon.md": city("Lyon", "FR", "[45.764, 4.8357]")})
    result = run_cli("build", "--strict")
    assert result.exit_code == 1
    assert "content/cities/lyon.md:1: warning: no other entry links to this one (an orphan page)" in result.stderr
    assert "build failed: 1 warning (--strict)" in result.stderr


def test_strict_passes_on_the_starter_atlas_built_for_its_address(tmp_path, run_cli):
    result = run_cli("build", "--strict", "--content", str(PROJECT_ROOT / "content"), "--base-url",
                     "https://atlas.example.net/", "--output", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.stderr


PLACEHOLDER_WARNING = ("content/atlas.yaml:2: warning: base_url is still the placeholder https://example.org/:"
                       " canonical links, feeds and the sitemap will point there\n"
                       "  hint: set base_url in atlas.yaml to the site's address, or build with --base-url")


def test_a_build_for_the_placeholder_address_warns_and_strict_fails_on_it(tmp_path, make_site, run_cli):
    make_site(tmp_path, {"pages/about.md": entry("title: About\n", "An atlas in progress.\n")})
    (tmp_path / "content" / "atlas.yaml").write_text("title: Atlas\nbase_url: https://example.org/\n")
    result = run_cli("build")
    assert result.exit_code == 0 and PLACEHOLDER_WARNING in result.stderr
    assert run_cli("build", "--strict").exit_code == 1
    built_for_its_address = run_cli("build", "--strict", "--base-url", "https://atlas.example.net/")
    assert built_for_its_address.exit_code == 0, built_for_its_address.stderr
    assert "placeholder" not in built_for_its_address.stderr


# --- the console script: a one-shot command ends without tearing the interpreter down --------------

def _console(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """The installed `atlas` script itself, with its output in pipes (block-buffered, so nothing is flushed early)
    and its own temporary folder."""
    script = Path(sys.executable).with_name("atlas")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run([str(script), *args], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          env={**os.environ, "TMPDIR": str(tmp_path / "tmp")})


def test_the_console_script_ends_a_build_with_its_summary_and_exit_code_0(tmp_path):
    write_site(tmp_path, SMALL_ATLAS)
    result = _console(tmp_path, "build", "--timings")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 28 pages (") and result.stdout.endswith(", 0 warnings\n")
    assert re.search(r"^ +[\d.]+ s  write +\(peak memory so far", result.stderr, re.M)  # stderr flushed too
    assert (tmp_path / "output/index.html").is_file()
    assert list((tmp_path / "tmp").iterdir()) == []  # Pagefind's folder was deleted before the process ended
    again = _console(tmp_path, "build")
    assert again.returncode == 0
    assert re.match(r"built 28 pages \(0 rendered; \d+ files: 0 written, ", again.stdout)


def test_the_console_script_ends_a_broken_build_with_every_error_and_exit_code_1(tmp_path):
    write_site(tmp_path, BROKEN)
    result = _console(tmp_path, "build")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[:3] == [BROKEN_PROBLEMS[0], *BROKEN_PROBLEMS[1].splitlines()]


def test_the_console_script_ends_check_with_its_report_and_exit_code(tmp_path):
    write_site(tmp_path, BROKEN)
    broken = _console(tmp_path, "check", "--format", "json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["errors"] == 2
    (tmp_path / "content/cities/lyon.md").write_text(city("Lyon", "FR", "[45.764, 4.8357]"), encoding="utf-8")
    (tmp_path / "content/pages/about.md").write_text(entry("title: About\n", "No claims.\n"), encoding="utf-8")
    clean = _console(tmp_path, "check")
    assert clean.returncode == 0, clean.stdout
    assert re.search(r"^0 errors, ", clean.stdout, re.M)


def test_the_console_script_still_exits_as_usual_for_usage_errors(tmp_path):
    result = _console(tmp_path, "build", "--no-such-option")
    assert result.returncode == 2
    assert "unrecognized arguments: --no-such-option" in result.stderr
