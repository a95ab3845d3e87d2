"""Resolve: the validated atlas as one graph of places, ties, memberships, links and citations.

relations.py builds the Graph from what places.py (where cities are; the gazetteer
fills in missing coordinates), ties.py (partnerships, memberships, case studies, themes),
citations.py (body links and citations) and related.py (related entries) resolve, each
looking names up through resolver.py; audit.py gives `atlas check` its advice.
Pure. May import: content, kinds, errors, model.
"""
