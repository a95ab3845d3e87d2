"""Load and validate: the first stages of the pipeline.

sources.py is the only module that reads content/ (with yamlfile.py's strict
YAML); schema.py checks each file against its kind's model (from the kinds
registry, atlas/kinds/) and returns the Atlas of valid entries; fields.py
holds the field types the models are made of; links.py finds `[[links]]` and
`[@citations]` in bodies and limits.py bounds their cost; identity.py checks
that no two entries give the same Wikidata id; reference.py makes
docs/field-reference.md; cells.py defuses spreadsheet formulas in the cells of
every CSV the atlas writes (the open data, the reconciliation report). May import: kinds, errors, model.
"""
