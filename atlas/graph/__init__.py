"""Resolve: the validated atlas as one graph of places, ties, memberships, links and citations.

relations.py builds the Graph (the gazetteer fills in missing coordinates);
audit.py gives `atlas check` its advice. Pure. May import: content, kinds, errors, model.
"""
