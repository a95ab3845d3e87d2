"""Load and validate: the first stages of the pipeline.

sources.py is the only module that reads content/ (with yamlfile.py's strict
YAML); schema.py checks each file against its kind's model and returns the
Atlas of valid entries; links.py finds `[[links]]` and `[@citations]` in
bodies and limits.py bounds their cost. May import: errors, model.
"""
