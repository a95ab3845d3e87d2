"""The hostile corpus: small whole atlases of malformed or malicious content, and what each must do.

Each Case is a content folder (paths inside content/; an atlas.yaml with a
title is added unless the case gives one) and its expected outcome:

    expect="error"   `atlas build` exits 1 and prints every line in `errors`
                     (each an exact line or its beginning, `path:line: error: ...`),
                     and a site built before is left byte for byte as it was;
    expect="ok"      the build succeeds, prints every line in `errors` (warnings),
                     and the site is inert (see inert.py): payloads stay text;
    expect="either"  expensive input: success with an inert site, or a clear
                     `path:line: error:` about the case's own file. Never a
                     traceback, a crash or a hang.

Every build must finish within `seconds` (20 s, on 2 cores) and never print a
traceback. Script payloads try to set `window.__pwned` (the browser test opens
every ok case that carries one in Chromium and checks that none ran); they are
written as `__pwned=1` so that they also run inside event handlers and
`javascript:` URLs.

File-level problems (a bad file name, a link out of the folder, a file too
large) have no line in the file: the atlas reports them as `path: error: ...`.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

Files = dict[str, "str | bytes"]


@dataclass(frozen=True)
class Case:
    name: str
    files: Files
    expect: str  # "ok", "error" or "either"
    errors: tuple[str, ...] = ()  # lines (or line beginnings) the build must print
    inert: bool = True  # an ok build's output must pass every check in inert.py
    setup: Callable[[Path], None] | None = None  # gets the content folder: symlinks, FIFOs
    check: Callable[[Path], None] | None = None  # gets the output folder of an ok build
    base_path: str = "/"  # where the site lives, when the case sets base_url
    seconds: float = 20.0  # the longest the build may take

    def __post_init__(self) -> None:
        assert self.expect in ("ok", "error", "either"), self.name
        assert self.expect != "error" or self.errors, f"{self.name}: say which errors"


# --- writing content -----------------------------------------------------------

def md(front: str, body: str = "") -> str:
    """A Markdown entry: line 1 is ---, `front` starts on line 2, then ---, then `body`."""
    return f"---\n{front}---\n{body}"


def q(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON is YAML): any payload, safely written."""
    return json.dumps(text)


LYON = "name: Lyon\ncountry: FR\ncoordinates: [45.76, 4.84]\n"  # lines 2-4; extra front matter starts on line 5


def lyon(extra: str = "", body: str = "") -> str:
    """cities/lyon.md: `extra` starts on line 5; with no extra the body starts on line 6."""
    return md(LYON + extra, body)


def city(name: str, lat: float, lon: float, extra: str = "", body: str = "", country: str = "FR") -> str:
    return md(f"name: {q(name)}\ncountry: {country}\ncoordinates: [{lat}, {lon}]\n{extra}", body)


PARIS = {"cities/paris.md": city("Paris", 48.8566, 2.3522)}
LYON_PATH = "content/cities/lyon.md"


def at(line: int, message: str, path: str = LYON_PATH) -> str:
    return f"{path}:{line}: error: {message}"


def file_error(path: str, message: str = "") -> str:
    return f"{path}: error: {message}"


def page_has(dest: str, *texts: str) -> Callable[[Path], None]:
    """A check: the built file `dest` contains every one of `texts`."""
    def check(output: Path) -> None:
        page = (output / dest).read_text(encoding="utf-8")
        for text in texts:
            assert text in page, f"{dest} should contain {text!r}"
    return check


def page_lacks(dest: str, *texts: str) -> Callable[[Path], None]:
    def check(output: Path) -> None:
        page = (output / dest).read_text(encoding="utf-8")
        for text in texts:
            assert text not in page, f"{dest} should not contain {text!r}"
    return check


def both(*checks: Callable[[Path], None]) -> Callable[[Path], None]:
    def check(output: Path) -> None:
        for one in checks:
            one(output)
    return check


CASES: list[Case] = []


def add(*cases: Case) -> None:
    CASES.extend(cases)


# --- 1. script in Markdown bodies, every way it can be written ---------------------------
# Each payload is the body of its own city (slug b-<name>), so the browser test can put many
# into one site; every one must build and come out inert.

PWN = "__pwned=1"
DATA_HTML = base64.b64encode(b"<script>parent.__pwned=1</script>").decode()
DATA_SVG = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' onload='top.__pwned=1'/>").decode()

BODY_PAYLOADS: dict[str, str] = {
    "script": "<script>__pwned=1</script>",
    "script-mixed-case": "<ScRiPt>__pwned=1</sCrIpT>",
    "script-slash-attribute": "<script/x>__pwned=1</script>",
    "script-split-tag": "<scr<script>ipt>__pwned=1</scr</script>ipt>",
    "script-unclosed": "Text.\n\n<script>__pwned=1",
    "script-inline-in-paragraph": "Text *with* <script>__pwned=1</script> **emphasis**.",
    "script-src-data": '<script src="data:text/javascript,__pwned=1"></script>',
    "svg-onload": "<svg onload=__pwned=1>",
    "svg-animate-onbegin": "<svg><animate onbegin=__pwned=1 attributeName=x dur=1s></svg>",
    "svg-script-href": '<svg><script href="data:,__pwned=1"/></svg>',
    "svg-a-xlink-href": '<svg><a xlink:href="javascript:__pwned=1"><text y="20">x</text></a></svg>',
    "svg-set-href": '<svg><a><set attributeName="href" to="javascript:__pwned=1"/><text y="20">x</text></a></svg>',
    "img-onerror": "<img src=x onerror=__pwned=1>",
    "img-onerror-quoted": '<img src="x" alt="a" onerror="__pwned=1">',
    "img-src-javascript-caps": "<IMG SRC=JaVaScRiPt:__pwned=1>",
    "img-src-backticks": "<IMG SRC=`javascript:__pwned=1`>",
    "img-srcset-javascript": '<img srcset="javascript:__pwned=1 1x" src="https://example.org/a.png" alt="a">',
    "img-data-svg": f'<img alt="a" src="data:image/svg+xml;base64,{DATA_SVG}">',
    "img-alt-breakout": '<img src="https://example.org/a.png" alt="&quot; onerror=&quot;__pwned=1">',
    "a-onclick": '<a href="https://example.org/" onclick="__pwned=1">x</a>',
    "a-tab-entity-in-scheme": '<a href="jav&#x09;ascript:__pwned=1">x</a>',
    "a-decimal-entity-scheme": '<a href="&#106;avascript:__pwned=1">x</a>',
    "a-padded-entities": '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
                         '&#0000112&#0000116&#0000058__pwned=1">x</a>',
    "a-colon-entity": '<a href="javascript&colon;__pwned=1">x</a>',
    "a-named-tab-newline": '<a href="java&Tab;scr&NewLine;ipt:__pwned=1">x</a>',
    "a-leading-space-and-control": '<a href=" \x01\x02javascript:__pwned=1">x</a>',
    "a-newline-in-scheme": '<a href="java\nscript:__pwned=1">x</a>',
    "a-unquoted-javascript": "<a href=javascript:__pwned=1>x</a>",
    "a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a-data-html-base64": f'<a href="data:text/html;base64,{DATA_HTML}">x</a>',
    "iframe-srcdoc": '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "iframe-src-javascript": '<iframe src="javascript:parent.__pwned=1"></iframe>',
    "base-href": '<base href="javascript:__pwned=1//">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:__pwned=1">',
    "form-action": '<form action="javascript:__pwned=1"><button formaction="javascript:__pwned=1">go</button></form>',
    "style-import": '<style>@import url("https://example.org/x.css"); '
                    'body { background: url("javascript:__pwned=1") }</style>',
    "style-attribute": '<div style="background:url(javascript:__pwned=1)">x</div>',
    "object-and-embed": '<object data="javascript:__pwned=1"></object><embed src="javascript:__pwned=1">',
    "link-import": '<link rel="import" href="data:text/html,<script>__pwned=1</script>">',
    "math-xlink-href": '<math><mi xlink:href="javascript:__pwned=1">x</mi></math>',
    "math-mutation-xss": "<math><mtext><table><mglyph><style><img src=x onerror=__pwned=1>"
                         "</style></mglyph></table></mtext></math>",
    "svg-style-mutation-xss": "<svg><style><img src=x onerror=__pwned=1></style></svg>",
    "noscript-title-breakout": '<noscript><p title="</noscript><img src=x onerror=__pwned=1>"></noscript>',
    "template-xmp-textarea": "<template><script>__pwned=1</script></template>"
                             "<xmp><script>__pwned=1</script></xmp>"
                             "<textarea></textarea><script>__pwned=1</script>",
    "details-ontoggle": "<details open ontoggle=__pwned=1><summary>x</summary></details>",
    "event-after-slash": "<p/onclick=__pwned=1>x</p>",
    "comment-closed-early": "<!-- --><script>__pwned=1</script><!-- -->",
    "comment-bang-close": "<!--><img src=x onerror=__pwned=1>-->",
    "comment-conditional": "<!--[if gte IE 4]><script>__pwned=1</script><![endif]-->",
    "comment-in-attribute": '<a title="<!--" href="https://example.org/">--><img src=x onerror=__pwned=1></a>',
    "cdata": "<![CDATA[<script>__pwned=1</script>]]>",
    "md-link-javascript": "[x](javascript:__pwned=1)",
    "md-link-mixed-case-scheme": "[x](JaVaScRiPt:__pwned=1)",
    "md-link-entity-scheme": "[x](&#106;avascript:__pwned=1)",
    "md-link-angle-destination": "[x](<javascript:__pwned=1>)",
    "md-link-title-breakout": '[x](https://example.org/ "t\\" onmouseover=\\"__pwned=1")',
    "md-link-url-with-quotes": '[x](https://example.org/"onmouseover="__pwned=1)',
    "md-link-data-url": "[x](data:text/html,<script>__pwned=1</script>)",
    "md-autolink-javascript": "<javascript:__pwned=1>",
    "md-autolink-with-quotes": '<https://example.org/"onmouseover="__pwned=1>',
    "md-reference-links": '[x][r] and [y]\n\n[r]: javascript:__pwned=1\n[y]: JAVASCRIPT:__pwned=1 "t"',
    "md-image-javascript": "![x](javascript:__pwned=1)",
    "md-image-title-breakout": '![x](https://example.org/a.png "a\\" onerror=\\"__pwned=1")',
    "md-heading-payload": '## <img src=x onerror=__pwned=1> "><svg onload=__pwned=1>\n\nText.',
    "md-footnote-payload": "Claim.[^a]\n\n[^a]: <script>__pwned=1</script> [x](javascript:__pwned=1)",
    "md-abbreviation-payload": 'HTML here.\n\n*[HTML]: "><img src=x onerror=__pwned=1>',
    "md-table-payload": "| a | b |\n|---|---|\n| <img src=x onerror=__pwned=1> | [x](javascript:__pwned=1) |",
    "md-code-span-and-fence": "`<script>__pwned=1</script>`\n\n```html\n<script>__pwned=1</script>\n```",
    "md-definition-list": "Term\n:   <script>__pwned=1</script>",
    "dom-clobbering-map-ids": '<p id="atlas-map-data">{"label":"x","cluster":false,"points":'
                              '[ [0,0,"x","javascript:__pwned=1","focus",""] ],"lineGroups":[],"overlays":[]}</p>'
                              '<div id="map_atlas"></div>',
}

for index, (payload_name, payload) in enumerate(BODY_PAYLOADS.items()):
    slug = f"b-{payload_name}"
    add(Case(f"body-{payload_name}",
             {f"cities/{slug}.md": city(f"Body {payload_name}", round(-60 + (index * 7.3) % 120, 2),
                                        round(-170 + (index * 37.1) % 340, 2), body=f"Before.\n\n{payload}\n\nAfter.\n")},
             "ok"))

add(
    Case("body-in-free-page", {"pages/b-free-page.md": md("title: Free page\n",
                                                          "<script>__pwned=1</script>\n\n[x](javascript:__pwned=1)\n")},
         "ok"),
    Case("body-in-theme", {"themes/b-theme.md": md("name: Theme body\n", "<img src=x onerror=__pwned=1>\n")}, "ok"),
    Case("body-in-network", {"networks/b-network.md": md("name: Network body\n", "<svg onload=__pwned=1>\n")}, "ok"),
    Case("body-in-case-study", {
        "case-studies/b-case-study.md": md("title: Case body\ncities: [b-case-city]\n",
                                           '<a href="javascript:__pwned=1">x</a>\n'),
        "cities/b-case-city.md": city("Case city", 10.5, 20.5)}, "ok"),
)


# --- 2. links and citations carrying markup ------------------------------------------------

add(
    Case("link-label-script", {
        "cities/l-label.md": city("Label", 12.1, 30.2, body="See [[l-target|<script>__pwned=1</script>]].\n"),
        "cities/l-target.md": city("Target", 13.1, 31.2)}, "ok",
        check=page_lacks("cities/l-label/index.html", "<script>__pwned")),
    Case("link-label-attribute-breakout", {
        "cities/l-label-attr.md": city("Label attr", 14.1, 32.2,
                                       body='See [[l-target-attr|"><img src=x onerror=__pwned=1>]].\n'),
        "cities/l-target-attr.md": city("Target attr", 15.1, 33.2)}, "ok"),
    Case("link-title-of-target-is-payload", {
        "cities/l-from.md": city("From", 16.1, 34.2, body="See [[l-to]] and [[cities/l-to]].\n"),
        "cities/l-to.md": city("</a><script>__pwned=1</script>", 17.1, 35.2)}, "ok"),
    Case("link-target-is-markup", {"cities/lyon.md": lyon(body="See [[<script>alert(1)</script>]].\n")},
         "error", (at(6, "link [[<script>alert(1)</script>]]"),)),
    Case("citation-breakout", {"cities/lyon.md": lyon(body='A claim [@x"><script>alert(1)</script>].\n')},
         "error", (at(6, "'[@x\"><script>alert(1)</script>]' is not a citation"),)),
    Case("citation-attribute-breakout", {
        "cities/lyon.md": lyon(body='A claim [@good; @x" onmouseover="alert(1)].\n'),
        "sources.yaml": "- id: good\n  title: Good\n"},
        "error", (at(6, "'[@x\" onmouseover=\"alert(1)]' is not a citation"),)),
    Case("citation-of-source-with-payload-title", {
        "cities/c-cites.md": city("Cites", 18.1, 36.2, body="A claim [@c-payload-source].\n"),
        "sources.yaml": f"- id: c-payload-source\n  title: {q('</script><script>__pwned=1</script>')}\n"}, "ok"),
)


# --- 3. payloads in every front-matter text field --------------------------------------------

PAYLOAD = ("</script><script>__pwned=1</script> \"><img src=x onerror=__pwned=1> '><svg onload=__pwned=1> "
           "`${__pwned=1}` \\\";__pwned=1;// \u2028\u2029 &lt;script&gt;__pwned=1&lt;/script&gt; &#60;b&#62; "
           "\"}]}</script><script>__pwned=1</script> <!--<script>__pwned=1</script>-->")
P = q(PAYLOAD)


def _field_case(name: str, files: Files, dest: str) -> Case:
    """The payload must show as text on `dest`; no part of it may become markup."""
    return Case(f"field-{name}", files, "ok", check=page_lacks(dest, "<script>__pwned", "<img src=x", "<svg onload"))


add(
    _field_case("city-name", {"cities/f-city-name.md": md(f"name: {P}\ncountry: FR\ncoordinates: [1.5, 1.5]\n")},
                "cities/f-city-name/index.html"),
    _field_case("city-summary", {"cities/f-city-summary.md": city("Summary", 2.5, 2.5, f"summary: {P}\n")},
                "cities/f-city-summary/index.html"),
    _field_case("city-office", {"cities/f-city-office.md": city("Office", 3.5, 3.5, f"office: {P}\n")},
                "cities/f-city-office/index.html"),
    _field_case("partner-note", {
        "cities/f-note-a.md": city("Note A", 4.5, 4.5, f"partners:\n  - city: f-note-b\n    note: {P}\n"),
        "cities/f-note-b.md": city("Note B", 5.5, 5.5)}, "partnerships/index.html"),
    _field_case("network-name", {
        "networks/f-network-name.md": md(f"name: {P}\nmembers: [f-network-member]\n"),
        "cities/f-network-member.md": city("Member", 6.5, 6.5)}, "networks/f-network-name/index.html"),
    _field_case("network-short-name", {  # the home map's layer control shows "<short name> members" as HTML
        "networks/f-short-name.md": md(f"name: Short\nshort_name: {P}\nmembers: [f-short-member]\n"),
        "cities/f-short-member.md": city("Short member", 7.5, 7.5)}, "index.html"),
    _field_case("network-summary", {"networks/f-network-summary.md": md(f"name: Summary net\nsummary: {P}\n")},
                "networks/index.html"),
    _field_case("network-website-odd-but-valid", {
        "networks/f-website.md": md('name: Website\nwebsite: "https://example.org/${__pwned=1}/\\\\?a=1&b=%3C/"\n')},
        "networks/f-website/index.html"),
    _field_case("case-study-title", {
        "case-studies/f-study-title.md": md(f"title: {P}\ncities: [f-study-city]\n"),
        "cities/f-study-city.md": city("Study city", 8.5, 8.5)}, "case-studies/f-study-title/index.html"),
    _field_case("case-study-kind", {
        "case-studies/f-study-kind.md": md(f"title: Kind\nkind: {P}\ncities: [f-kind-city]\n"),
        "cities/f-kind-city.md": city("Kind city", 9.5, 9.5)}, "case-studies/f-study-kind/index.html"),
    _field_case("theme-name", {"themes/f-theme-name.md": md(f"name: {P}\n"),
                               "cities/f-theme-city.md": city("Theme city", 10.5, 10.5, "themes: [f-theme-name]\n")},
                "themes/f-theme-name/index.html"),
    _field_case("theme-description", {"themes/f-theme-description.md": md(f"name: Description\ndescription: {P}\n")},
                "themes/f-theme-description/index.html"),
    _field_case("page-title", {"pages/f-page-title.md": md(f"title: {P}\n", "Text.\n")}, "index.html"),
    _field_case("source-title", {"sources.yaml": f"- id: f-source-title\n  title: {P}\n",
                                 "cities/f-source-title-city.md": city("T", 11.5, 11.5, "sources: [f-source-title]\n")},
                "sources/f-source-title/index.html"),
    _field_case("source-authors", {
        "sources.yaml": f"- id: f-source-authors\n  title: Authors\n  authors: [{P}, {q('`${__pwned=1}`')}]\n"},
        "sources/f-source-authors/index.html"),
    _field_case("source-publisher", {
        "sources.yaml": f"- id: f-source-publisher\n  title: Publisher\n  publisher: {P}\n"},
        "sources/f-source-publisher/index.html"),
    _field_case("source-note", {"sources.yaml": f"- id: f-source-note\n  title: Note\n  note: {P}\n"},
                "sources/f-source-note/index.html"),
    _field_case("source-url-odd-but-valid", {
        "sources.yaml": '- id: f-source-url\n  title: URL\n  url: "https://example.org/#javascript:__pwned=1&x=${1}\\\\"\n'},
        "sources/f-source-url/index.html"),
    _field_case("site-title-description-tiles", {
        "atlas.yaml": f"title: {P}\ndescription: {P}\ntile_url: https://tiles.invalid/{{z}}/{{x}}/{{y}}.png\n"
                      f"tile_attribution: {q(PAYLOAD + ' <a href=javascript:__pwned=1 onclick=__pwned=1>t</a>')}\n",
        "cities/f-site-city.md": city("Site city", 12.5, 12.5)}, "index.html"),
    Case("field-city-name-plain-yaml", {
        "cities/f-plain.md": "---\nname: </script><script>__pwned=1</script>\n"
                             "country: FR\ncoordinates: [13.5, 13.5]\n---\n"},
         "ok", check=page_has("cities/f-plain/index.html", "&lt;/script&gt;&lt;script&gt;__pwned=1&lt;/script&gt;")),
    Case("field-city-name-entities-stay-text", {
        "cities/f-entities.md": city("&lt;b&gt;Bold&lt;/b&gt; &amp; &#60;i&#62;", 14.5, 14.5)}, "ok",
         check=page_has("cities/f-entities/index.html", "&amp;lt;b&amp;gt;Bold")),
)

# A javascript: (or otherwise non-web) address is refused where it is written.
for label, value in {
    "javascript": "javascript:alert(1)",
    "javascript-caps": "JaVaScRiPt:alert(1)",
    "javascript-leading-space": "' javascript:alert(1)'",
    "javascript-tab": q("java\tscript:alert(1)"),
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript": "vbscript:msgbox(1)",
    "attribute-breakout": q('https://example.org/" onmouseover="alert(1)'),
    "protocol-relative": "//evil.example/x",
}.items():
    add(Case(f"website-{label}", {"networks/net.md": md(f"name: Net\nwebsite: {value}\n")}, "error",
             (at(3, "website", "content/networks/net.md"),)))
    add(Case(f"source-url-{label}", {"sources.yaml": f"- id: src\n  title: Source\n  url: {value}\n"}, "error",
             (at(3, "url", "content/sources.yaml"),)))

add(
    Case("base-url-javascript", {"atlas.yaml": "title: T\nbase_url: javascript:alert(1)//\n"}, "error",
         (at(2, "base_url", "content/atlas.yaml"),)),
    Case("base-url-breakout",
         {"atlas.yaml": "title: T\nbase_url: " + q('https://example.org/x"><script>alert(1)</script>/') + "\n"},
         "error", (at(2, "base_url", "content/atlas.yaml"),)),
    Case("base-url-percent-encoded-markup", {
        "atlas.yaml": "title: T\nbase_url: https://example.org/%22%3E%3Cscript%3E__pwned=1%3C/script%3E/\n",
        "cities/lyon.md": lyon()}, "ok", base_path="/%22%3E%3Cscript%3E__pwned=1%3C/script%3E/"),
    Case("tile-url-javascript", {
        "atlas.yaml": "title: T\ntile_url: javascript:alert('{z}{x}{y}')\ntile_attribution: x\n"}, "error",
         (at(2, "tile_url", "content/atlas.yaml"),)),
    Case("language-breakout", {"atlas.yaml": "title: T\nlanguage: " + q('en"><script>alert(1)</script>') + "\n"},
         "error", (at(2, "language", "content/atlas.yaml"),)),
    Case("terminal-escape-in-error", {"cities/lyon.md": md('name: Lyon\ncountry: "\\e]0;owned\\a\\e[2J"\n')},
         "error", (at(3, "country"),)),
)


# --- 4. YAML that means something other than it looks ---------------------------------------

BILLION_LAUGHS = ('lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                  + "".join(f"l{i}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)))

add(
    Case("yaml-python-object-apply", {
        "cities/lyon.md": md("name: !!python/object/apply:os.system ['touch pwned-by-yaml']\ncountry: FR\n")},
         "error", (at(2, "YAML tag !!python/object/apply:os.system is not allowed"),)),
    Case("yaml-python-name", {"cities/lyon.md": lyon("office: !!python/name:os.system\n")}, "error",
         (at(5, "YAML tag !!python/name:os.system is not allowed"),)),
    Case("yaml-python-object-new", {"cities/lyon.md": lyon("population: !!python/object/new:builtins.int [5]\n")},
         "error", (at(5, "YAML tag !!python/object/new:builtins.int is not allowed"),)),
    Case("yaml-verbatim-tag", {
        "cities/lyon.md": lyon("office: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch pwned-by-yaml']\n")},
         "error", (at(5, "YAML tag"),)),
    Case("yaml-tag-directive", {"atlas.yaml": "%TAG !p! tag:yaml.org,2002:python/\n---\n"
                                              "title: !p!object/apply:os.system ['touch pwned-by-yaml']\n"},
         "error", (at(3, "YAML tag", "content/atlas.yaml"),)),
    Case("yaml-local-tag", {"cities/lyon.md": lyon("office: !lyon Hotel de Ville\n")}, "error",
         (at(5, "YAML tag !lyon is not allowed"),)),
    Case("yaml-binary-set-timestamp-tags", {
        "cities/lyon.md": lyon("office: !!binary aGVsbG8=\nthemes: !!set {a, b}\nsummary: !!timestamp 2001-12-14\n")},
         "error", (at(5, "YAML tag !!binary"), at(6, "YAML tag !!set"), at(7, "YAML tag !!timestamp"))),
    Case("yaml-billion-laughs", {"cities/lyon.md": lyon(BILLION_LAUGHS)}, "error",
         (at(5, "anchors and aliases"),)),
    Case("yaml-billion-laughs-in-sources", {"sources.yaml": "- id: a\n  title: &t " + q("lol" * 100) + "\n"
                                                            + "".join(f"- id: b{i}\n  title: *t\n" for i in range(50))},
         "error", (at(2, "anchors and aliases", "content/sources.yaml"),)),
    Case("yaml-anchor-and-alias", {"cities/lyon.md": md("name: &n Lyon\ncountry: FR\noffice: *n\n")}, "error",
         (at(2, "anchors and aliases"),)),
    Case("yaml-merge-key", {"cities/lyon.md": lyon("partners:\n  - <<: {city: paris}\n    since: 1990\n"), **PARIS},
         "error", (at(6, "merge keys"),)),
    Case("yaml-duplicate-key", {"cities/lyon.md": md("name: Lyon\ncountry: FR\nname: Paris\n")}, "error",
         (at(4, "duplicate key 'name' (first given on line 2)"),)),
    Case("yaml-duplicate-key-in-partner", {
        "cities/lyon.md": lyon("partners:\n  - city: paris\n    city: paris\n"), **PARIS}, "error",
         (at(7, "duplicate key 'city' (first given on line 6)"),)),
    Case("yaml-nested-1000-flow", {"cities/lyon.md": lyon("office: " + "[" * 1000 + "]" * 1000 + "\n")}, "error",
         (at(5, "YAML is nested"),)),
    Case("yaml-nested-50000-flow", {"cities/lyon.md": lyon("office: " + "[" * 50_000 + "]" * 50_000 + "\n")},
         "error", (at(5, "YAML is nested"),)),
    Case("yaml-nested-40000-block", {"cities/lyon.md": lyon("themes:\n  " + "- " * 40_000 + "x\n")}, "error",
         (at(6, "YAML is nested"),)),
    Case("yaml-nested-mappings", {"cities/lyon.md": lyon("office: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n")},
         "error", (at(5, "YAML is nested"),)),
    Case("yaml-too-many-values", {"cities/lyon.md": lyon("themes: [" + "a, " * 200_001 + "a]\n")}, "error",
         (at(5, ""),)),
    Case("yaml-key-too-long", {"cities/lyon.md": lyon("a" * 2000 + ": 1\n")}, "error", (at(5, "invalid YAML"),)),
    Case("yaml-key-not-text", {"cities/lyon.md": lyon("? [a, b]\n: 1\n")}, "error", (at(5, "a key must be plain text"),)),
    Case("yaml-tab-indentation", {"cities/lyon.md": lyon("partners:\n\t- paris\n"), **PARIS}, "error",
         (at(6, "invalid YAML"),)),
    Case("yaml-unclosed-quote", {"cities/lyon.md": md('name: "Lyon\ncountry: FR\n')}, "error",
         (at(2, "invalid YAML"),)),
    Case("yaml-two-documents", {"atlas.yaml": "title: A\n---\ntitle: B\n"}, "error",
         ("content/atlas.yaml:",)),
    Case("yaml-country-no-is-norway", {"cities/oslo.md": md("name: Oslo\ncountry: NO\ncoordinates: [59.91, 10.75]\n")},
         "ok", check=page_has("cities/oslo/index.html", "Norway")),
    Case("yaml-yes-no-on-off-are-text", {
        "cities/oslo.md": md("name: Oslo\ncountry: NO\ncoordinates: [59.91, 10.75]\noffice: yes\nsummary: off\n")},
         "ok", check=page_has("cities/oslo/index.html", ">yes<")),
    Case("yaml-explicit-str-and-int-tags", {
        "cities/lyon.md": lyon('office: !!str 2016-02-15\npopulation: !!int "522250"\n')}, "ok",
         check=page_has("cities/lyon/index.html", "2016-02-15")),
    Case("yaml-since-leading-zero", {"cities/lyon.md": lyon("partners:\n  - city: paris\n    since: 010\n"), **PARIS},
         "error", (at(7, "the number 010 has a leading zero"),)),
    Case("yaml-sexagesimal-coordinates", {"cities/lyon.md": md("name: Lyon\ncountry: FR\ncoordinates: [45:30, 4]\n")},
         "error", (at(4, "coordinates"),)),
    Case("yaml-draft-yes", {"cities/lyon.md": lyon("draft: yes\n")}, "error", (at(5, "draft must be true or false"),)),
    Case("yaml-boolean-population", {"cities/lyon.md": lyon("population: true\n")}, "error",
         (at(5, "population must be a whole number"),)),
    Case("yaml-float-population", {"cities/lyon.md": lyon("population: 5.2e5\n")}, "error",
         (at(5, "population must be a whole number"),)),
    Case("yaml-huge-population", {"cities/lyon.md": lyon("population: 1" + "0" * 40 + "\n")}, "error",
         (at(5, "the number"),)),
    Case("yaml-boolean-coordinates", {"cities/lyon.md": md("name: Lyon\ncountry: FR\ncoordinates: [true, false]\n")},
         "error", (at(4, "coordinates"),)),
    Case("yaml-nan-coordinates", {"cities/lyon.md": md("name: Lyon\ncountry: FR\ncoordinates: [.nan, 4]\n")},
         "error", (at(4, "coordinates"),)),
    Case("yaml-inf-coordinates", {"cities/lyon.md": md("name: Lyon\ncountry: FR\ncoordinates: [45, -.inf]\n")},
         "error", (at(4, "coordinates"),)),
    Case("coordinates-latitude-out-of-range", {"cities/lyon.md": md("name: Lyon\ncountry: FR\ncoordinates: [95, 4]\n")},
         "error", (at(4, "coordinates"),)),
    Case("coordinates-longitude-out-of-range", {
        "cities/lyon.md": md("name: Lyon\ncountry: FR\ncoordinates: [45, 200]\n")}, "error", (at(4, "coordinates"),)),
    Case("coordinates-as-text", {"cities/lyon.md": md('name: Lyon\ncountry: FR\ncoordinates: "45.76, 4.84"\n')},
         "error", (at(4, "coordinates"),)),
    Case("date-february-29-2019", {"cities/lyon.md": lyon("partners:\n  - city: paris\n    since: 2019-02-29\n"), **PARIS},
         "error", (at(7, "partners item 1, since"),)),
    Case("date-impossible-in-case-study", {
        "case-studies/study.md": md('title: Study\ndate: "2019-04-31"\ncities: [paris]\n'), **PARIS}, "error",
         (at(3, "date", "content/case-studies/study.md"),)),
    Case("date-month-13-in-network", {"networks/net.md": md("name: Net\nfounded: 2019-13\n")}, "error",
         (at(3, "founded", "content/networks/net.md"),)),
    Case("date-year-zero-and-negative", {"cities/lyon.md": lyon("partners:\n  - city: paris\n    since: [0, -5]\n"),
                                         **PARIS}, "error", (at(7, "partners item 1, since"),)),
    Case("name-null", {"cities/lyon.md": md("name: ~\ncountry: FR\ncoordinates: [45.76, 4.84]\n")}, "error",
         (at(2, "name"),)),
    Case("name-list", {"cities/lyon.md": md("name: [Lyon, Paris]\ncountry: FR\ncoordinates: [45.76, 4.84]\n")},
         "error", (at(2, "name"),)),
    Case("name-mapping", {"cities/lyon.md": md("name: {fr: Lyon}\ncountry: FR\ncoordinates: [45.76, 4.84]\n")},
         "error", (at(2, "name"),)),
    Case("unknown-keys-proto", {"cities/lyon.md": lyon("__proto__: {polluted: 1}\nconstructor: x\n")}, "error",
         (at(5, "unknown field '__proto__'"), at(6, "unknown field 'constructor'"))),
    Case("unknown-key-with-bracket", {"cities/lyon.md": lyon("a[b]: 1\n")}, "error", (at(5, "unknown field 'a[b]'"),)),
    Case("unknown-key-named-like-a-type", {"cities/lyon.md": lyon("int: 1\npartners:\n  - city: paris\n    str: 2\n"),
                                           **PARIS}, "error",
         (at(5, "unknown field 'int'"), at(8, "unknown field 'partners item 1, str'"))),
    Case("unknown-key-with-newline", {"cities/lyon.md": lyon('"a\\nb\\rc": 1\n')}, "error", (at(5, "unknown field"),)),
    Case("page-order-infinite", {"pages/about.md": md("title: About\norder: .inf\n")}, "error",
         (at(3, "order", "content/pages/about.md"),)),
    Case("atlas-yaml-is-a-list", {"atlas.yaml": "- title: T\n"}, "error",
         (at(1, "atlas.yaml must be", "content/atlas.yaml"),)),
    Case("atlas-yaml-empty", {"atlas.yaml": ""}, "error", ("content/atlas.yaml:1: error:",)),
    Case("sources-yaml-is-a-mapping", {"sources.yaml": "id: a\ntitle: A\n"}, "error",
         (at(1, "sources.yaml must be", "content/sources.yaml"),)),
)


# --- 5. files that are empty, truncated, mis-encoded or oddly named ---------------------------

LATIN1 = lyon(body="Caf\u00e9 de la Paix.\n").encode("latin-1")

add(
    Case("file-empty", {"cities/lyon.md": b""}, "error", (at(1, "file is empty"),)),
    Case("file-whitespace-only", {"cities/lyon.md": " \n\t\n  \n"}, "error", (at(1, "file is empty"),)),
    Case("file-no-front-matter", {"cities/lyon.md": "name: Lyon\ncountry: FR\n"}, "error",
         (at(1, "file does not start with front matter"),)),
    Case("file-unclosed-front-matter", {"cities/lyon.md": "---\nname: Lyon\ncountry: FR\n\nBody.\n"}, "error",
         (at(1, "front matter is not closed"),)),
    Case("file-front-matter-is-a-list", {"cities/lyon.md": "---\n- Lyon\n---\n"}, "error",
         (at(2, "front matter must be a set of `key: value` lines"),)),
    Case("file-front-matter-empty", {"cities/lyon.md": "---\n---\nBody.\n"}, "error", (f"{LYON_PATH}:",)),
    Case("file-bom", {"cities/lyon.md": "\ufeff" + lyon(body="Body text.\n")}, "ok",
         check=page_has("cities/lyon/index.html", "Body text.")),
    Case("file-bom-keeps-line-numbers", {"cities/lyon.md": "\ufeff" + md("name: Lyon\ncountry: Spain\n")}, "error",
         (at(3, "country: 'Spain' is not an ISO 3166-1 alpha-2 code"),)),
    Case("file-crlf", {"cities/lyon.md": lyon("summary: Windows.\n", "Body text.\n\n## Heading\n").replace("\n", "\r\n")},
         "ok", check=page_has("cities/lyon/index.html", "Body text.", "Heading", "Windows.")),
    Case("file-crlf-keeps-line-numbers", {"cities/lyon.md": md("name: Lyon\ncountry: Spain\n").replace("\n", "\r\n")},
         "error", (at(3, "country"),)),
    Case("file-cr-only", {"cities/lyon.md": lyon(body="Old Mac text.\n").replace("\n", "\r")}, "ok",
         check=page_has("cities/lyon/index.html", "Old Mac text.")),
    Case("file-latin1-body", {"cities/lyon.md": LATIN1}, "error", (at(6, "file is not UTF-8 text (byte 0xe9)"),)),
    Case("file-latin1-front-matter", {"cities/lyon.md": md("name: Gen\u00e8ve\ncountry: CH\n").encode("latin-1")},
         "error", (at(2, "file is not UTF-8 text (byte 0xe8)"),)),
    Case("file-utf16", {"cities/lyon.md": lyon().encode("utf-16")}, "error", (at(1, "file is not UTF-8"),)),
    Case("file-encoded-surrogate", {"cities/lyon.md": lyon(body="a\n").encode() + b"\xed\xa0\x80\n"}, "error",
         (at(7, "file is not UTF-8"),)),
    Case("file-nul-in-body", {"cities/lyon.md": lyon(body="One.\nTwo\x00.\n")}, "error",
         (at(7, "file contains a NUL character"),)),
    Case("file-nul-in-front-matter", {"cities/lyon.md": md("name: Lyon\ncountry: F\x00R\n")}, "error",
         (at(3, "file contains a NUL character"),)),
    Case("file-over-1-mib", {"cities/lyon.md": lyon(body=("x" * 99 + "\n") * 11_000)}, "error",
         (file_error(LYON_PATH, "file is too large"),)),
    Case("file-sub-folder", {"cities/lyon.md/readme.md": lyon(), **PARIS}, "ok",
         ("content/cities/lyon.md: warning: sub-folders are not read",)),
    Case("file-wrong-extension", {"cities/lyon.MD": lyon(), **PARIS}, "ok", ("content/cities/lyon.MD: warning: ignored",)),
    Case("file-hidden-and-backup", {"cities/.lyon.md": "garbage", "cities/lyon.md~": "garbage", **PARIS}, "ok"),
    Case("file-name-reserved-on-windows", {f"cities/{n}.md": city(n.upper(), 40 + i, 5 + i)
                                           for i, n in enumerate(("con", "nul", "aux", "com1", "lpt1", "prn"))}, "ok",
         check=page_has("cities/con/index.html", "CON")),
)

for label, file_name in {"capital": "Lyon.md", "underscore": "a_b.md", "accent": "\u00e9.md",
                         "leading-hyphen": "-lead.md", "double-hyphen": "double--hyphen.md",
                         "trailing-hyphen": "trailing-.md", "space": "saint etienne.md", "dots": "st.etienne.md",
                         "too-long": "a" * 81 + ".md", "ligature": "\ufb01renze.md",
                         "fullwidth": "\uff4c\uff59\uff4f\uff4e.md"}.items():
    add(Case(f"file-name-{label}", {f"cities/{file_name}": lyon()}, "error",
             (file_error(f"content/cities/{file_name}", "file name is not a valid slug"),)))

for reserved in ("assets", "data", "sources", "cities", "404", "search", "pagefind"):
    add(Case(f"page-reserved-{reserved}", {f"pages/{reserved}.md": md("title: Sneaky\n")}, "error",
             (f"content/pages/{reserved}.md: error: a page cannot be called '{reserved}'",)))

add(
    Case("same-slug-two-kinds-ambiguous-link", {
        "cities/lyon.md": lyon(body="See [[geneva]].\n"),
        "cities/geneva.md": city("Geneva", 46.2, 6.14, country="CH"),
        "themes/geneva.md": md("name: Geneva theme\n")}, "error", (at(6, "link [[geneva]] is ambiguous"),)),
)


# --- 6. slugs that try to leave their folder ----------------------------------------------------

add(
    Case("traversal-partner", {"cities/lyon.md": lyon("partners: [../../etc/passwd]\n")}, "error",
         (at(5, "partners item 1"),)),
    Case("traversal-partner-mapping", {"cities/lyon.md": lyon("partners:\n  - city: ../../../tmp/x\n")}, "error",
         (at(6, "partners item 1, city"),)),
    Case("traversal-networks-and-themes", {"cities/lyon.md": lyon("networks: ['..', '.']\nthemes: ['%2e%2e']\n")},
         "error", (at(5, "networks item 1"), at(5, "networks item 2"), at(6, "themes item 1"))),
    Case("traversal-headquarters", {"networks/net.md": md("name: Net\nheadquarters: /etc/passwd\n")}, "error",
         (at(3, "headquarters", "content/networks/net.md"),)),
    Case("traversal-members", {"networks/net.md": md("name: Net\nmembers: ['../cities/lyon', 'C:\\\\x']\n")}, "error",
         (at(3, "members item 1", "content/networks/net.md"), at(3, "members item 2", "content/networks/net.md"))),
    Case("traversal-case-study-cities", {"case-studies/s.md": md("title: S\ncities: [/etc/passwd]\n")}, "error",
         (at(3, "cities item 1", "content/case-studies/s.md"),)),
    Case("traversal-entry-sources", {"cities/lyon.md": lyon("sources: [../../x]\n")}, "error", (at(5, "sources item 1"),)),
    Case("traversal-source-id", {"sources.yaml": "- id: ../../etc/passwd\n  title: X\n"}, "error",
         (at(1, "id", "content/sources.yaml"),)),
    Case("traversal-wiki-link-dots", {"cities/lyon.md": lyon(body="[[../../x]]\n")}, "error", (at(6, "link [[../../x]]"),)),
    Case("traversal-wiki-link-kind-dots", {"cities/lyon.md": lyon(body="\n[[cities/../../x]]\n")}, "error",
         (at(7, "link [[cities/../../x]]"),)),
    Case("traversal-wiki-link-absolute", {"cities/lyon.md": lyon(body="[[/etc/passwd]]\n")}, "error",
         (at(6, "link [[/etc/passwd]]"),)),
    Case("traversal-wiki-link-to-kind-parent", {"cities/lyon.md": lyon(body="[[pages/../cities/lyon]] [[cities/..]]\n")},
         "error", (at(6, "link [[pages/../cities/lyon]]"), at(6, "link [[cities/..]]"))),
    Case("traversal-citation", {"cities/lyon.md": lyon(body="[@../../etc/passwd]\n")}, "error",
         (at(6, "'[@../../etc/passwd]' is not a citation"),)),
)


# --- 7. links in the file system ---------------------------------------------------------------

def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def setup(content: Path) -> None:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    return setup


def _outside_folder(content: Path) -> None:
    elsewhere = content.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "lyon.md").write_text(lyon(), encoding="utf-8")
    os.symlink(elsewhere, content / "cities")


def _inside_link(content: Path) -> None:
    (content / "shared").mkdir()
    (content / "shared" / "lyon.md").write_text(lyon(body="Linked in.\n"), encoding="utf-8")
    (content / "cities").mkdir(exist_ok=True)
    os.symlink("../shared/lyon.md", content / "cities" / "lyon.md")


def _fifo(content: Path) -> None:
    (content / "cities").mkdir(exist_ok=True)
    os.mkfifo(content / "cities" / "pipe.md")


add(
    Case("symlink-file-to-etc-passwd", PARIS, "error",
         (file_error("content/cities/secret.md", "file is a link to a place outside the content folder"),),
         setup=_symlink("cities/secret.md", "/etc/passwd")),
    Case("symlink-file-relative-outside", PARIS, "error",
         (file_error("content/cities/up.md", "file is a link to a place outside the content folder"),),
         setup=_symlink("cities/up.md", "../../../../../../etc/hostname")),
    Case("symlink-folder-outside", {}, "error",
         (file_error("content/cities", "folder is a link to a place outside the content folder"),),
         setup=_outside_folder),
    Case("symlink-atlas-yaml-outside", {"atlas.yaml": None}, "error",  # type: ignore[dict-item]
         (file_error("content/atlas.yaml", "file is a link to a place outside the content folder"),),
         setup=_symlink("atlas.yaml", "/etc/hostname")),
    Case("symlink-sources-yaml-outside", PARIS, "error",
         (file_error("content/sources.yaml", "file is a link to a place outside the content folder"),),
         setup=_symlink("sources.yaml", "/etc/passwd")),
    Case("symlink-inside-content", {}, "ok", ("content/shared: warning: ignored",), setup=_inside_link,
         check=page_has("cities/lyon/index.html", "Linked in.")),
    Case("symlink-loop", PARIS, "error", ("content/cities/loop.md: error:",), setup=_symlink("cities/loop.md", "loop.md")),
    Case("symlink-dangling", PARIS, "error", ("content/cities/gone.md: error:",),
         setup=_symlink("cities/gone.md", "nowhere.md")),
    Case("symlink-to-dev-zero", PARIS, "error",
         (file_error("content/cities/zero.md", "file is a link to a place outside the content folder"),),
         setup=_symlink("cities/zero.md", "/dev/zero")),
    Case("fifo-instead-of-file", PARIS, "error", ("content/cities/pipe.md: error:",), setup=_fifo),
)


# --- 8. input that is expensive to parse or render ------------------------------------------------
# Each must finish in 20 s: built and inert, or refused with a line number.

add(
    Case("expensive-5000-brackets", {"cities/lyon.md": lyon(body="[" * 5000 + "\n")}, "either"),
    Case("expensive-20000-double-brackets", {"cities/lyon.md": lyon(body="[[" * 20_000 + "\n")}, "either"),
    Case("expensive-brackets-in-many-paragraphs", {"cities/lyon.md": lyon(body="[" * 250 + "\n\n" + "[" * 250 + "\n")},
         "either"),
    Case("expensive-1000-deep-blockquote", {"cities/lyon.md": lyon(body=">" * 1000 + " deep\n")}, "either"),
    Case("expensive-1000-deep-blockquote-spaced", {"cities/lyon.md": lyon(body="> " * 1000 + "deep\n")}, "either"),
    Case("expensive-1000-deep-list", {"cities/lyon.md": lyon(body="".join("\t" * i + "- item\n" for i in range(1000)))},
         "either"),
    Case("expensive-200000-stars", {"cities/lyon.md": lyon(body="*" * 200_000 + "\n")}, "either"),
    Case("expensive-10000-footnotes", {"cities/lyon.md": lyon(body="".join(f"Claim {i}.[^{i}]\n" for i in range(10_000))
                                                            + "\n" + "".join(f"[^{i}]: Note {i}.\n" for i in range(10_000)))},
         "either"),
    Case("expensive-20000-identical-headings", {"cities/lyon.md": lyon(body="## a\n\n" * 20_000)}, "either"),
    Case("expensive-20000-table-rows", {"cities/lyon.md": lyon(body="|a|b|\n|-|-|\n" + "|x|y|\n" * 20_000)}, "either"),
    Case("expensive-nested-html", {"cities/lyon.md": lyon(body=("<div>" * 1000 + "\n") * 50)}, "either"),
    Case("expensive-100000-unclosed-inline-tags", {"cities/lyon.md": lyon(body=("<b>" * 500 + "\n") * 200)}, "either"),
    Case("expensive-unclosed-comments", {"cities/lyon.md": lyon(body="<!--\n" * 50_000)}, "either"),
    Case("expensive-emphasis-runs", {"cities/lyon.md": lyon(body=("*" * 1000 + "a" + "_" * 1000 + "\n") * 50)},
         "either"),
    Case("expensive-15000-links", {"cities/lyon.md": lyon(body="[x](https://example.org/)\n\n" * 15_000)}, "either"),
    Case("expensive-10000-unknown-citations", {"cities/lyon.md": lyon(body="[@nope]\n\n" * 10_000)}, "either"),
    Case("expensive-backtick-runs", {"cities/lyon.md": lyon(body=("`" * 1000 + " a ") * 90 + "\n")}, "either"),
    Case("expensive-2000-partners-that-do-not-exist", {
        "cities/lyon.md": lyon("partners:\n" + "".join(f"  - city: nowhere-{i}\n" for i in range(2000)))}, "either"),
)


def by_name() -> dict[str, Case]:
    names = [case.name for case in CASES]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, f"duplicate case names: {duplicates}"
    return {case.name: case for case in CASES}
