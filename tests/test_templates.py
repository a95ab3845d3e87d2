"""templates.py: the one environment, and its templates compiled once in the building process.

The entry pages render in forked worker processes (parallel.py): a template the
parent compiled before forking is inherited, one it did not is compiled again in
every worker (base.html and macros.html, which every page uses, among them).
"""

from __future__ import annotations

from atlas.render.templates import compile_templates, make_environment


def test_once_compiled_before_the_workers_fork_no_template_is_compiled_again():
    env = make_environment()
    compile_templates(env)
    compiled_again = []
    env.compile = lambda source, name=None, *rest, **options: compiled_again.append(name)
    for name in env.list_templates():
        env.get_template(name)
    assert compiled_again == []


def test_a_template_no_one_compiled_yet_is_compiled_when_first_asked_for():
    """The check above can fail: without compile_templates, every template is compiled at first use."""
    env = make_environment()
    compiled = []
    compile = env.compile
    env.compile = lambda source, name=None, *rest, **options: (compiled.append(name),
                                                               compile(source, name, *rest, **options))[1]
    env.get_template("base.html")
    assert compiled == ["base.html"]
