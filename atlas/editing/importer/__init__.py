"""Import twinnings from a table or a register into the city files, and compare the two.

`atlas import twinnings FILE` and `atlas reconcile twinnings FILE`. An editors'
tool beside the build pipeline, not a stage of it. It reads the file
(registers.py: a Wikidata query result as CSV, TSV or JSON; else a table,
table.py, such as the Twin Cities dataset), each row (rows.py) and content/
(cities.py, through sources.py, plus the raw bytes of the files it will edit),
plans every change first (plan.py: plan_import), and
writes only when asked (cityfile.py: apply_import). New cities get a new file;
a partnership is added to the first city's `partners` list by inserting lines
into its front matter, so every byte an editor wrote stays as it was. Rows that
cannot be used are reported with their row number (the header is row 1), never
dropped silently (report.py). reconcile.py lists where the atlas and a register
disagree, and which of the register's ties an editor marked for import.

    city_a,country_a,city_b,country_b,kind,year,source
    Portland,US,Sapporo,Japan,sister city,1959,portland-sister-cities
"""

from atlas.editing.importer.cityfile import apply_import, flow_partner, insert_partners, render_new_city
from atlas.editing.importer.plan import plan_import
from atlas.editing.importer.report import FileChange, ImportFileError, ImportPlan, RowReport
from atlas.editing.importer.table import normalise_header, parse_kind, parse_since, read_csv

__all__ = ["FileChange", "ImportFileError", "ImportPlan", "RowReport", "apply_import", "flow_partner",
           "insert_partners", "normalise_header", "parse_kind", "parse_since", "plan_import", "read_csv",
           "render_new_city"]
