"""The reader's stages, one module each, in pipeline order.

``decode`` (bytes -> text, PDF pages) -> ``layout`` (pages, running heads and other furniture)
-> ``footnotes`` (body lines apart from footnote lines) -> ``paragraphs`` (lines -> paragraph
line groups) -> ``clean`` (line groups -> exact paragraph text, footnote marks removed) ->
``metadata`` (head and tail fields).  ``analytics.reader`` strings them together.
Every pass is linear in its input: no unbounded nested quantifiers over a whole text and no
repeated string concatenation (a hostile 1 MB file must not freeze the dashboard).
"""
