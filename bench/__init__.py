"""Benchmark: studylog against markdown-exec and mkdocs-jupyter on one corpus.

The stages point one way::

    workloads -> corpus -> sites -> measure -> report, orchestrated by run.py

* ``bench.workloads`` - the PyTorch snippets (MLP, CNN, LSTM, hand-written MHA), two sizes.
* ``bench.corpus`` - a deterministic corpus of N logs x K snippets and its Markdown and
  notebook renderings.
* ``bench.sites`` - one buildable project per variant (studylog, markdown-exec,
  mkdocs-jupyter, the plain page floor, the one-process compute floor) and the edit
  applied in the rebuild scenarios.
* ``bench.measure`` - runs one build or one ``mkdocs serve`` rebuild in a fresh process
  and measures wall time and peak memory.
* ``bench.report`` - medians, ranges, ratios and targets as Markdown and JSON.

Nothing here is part of the ``studylog`` package; see bench/README.md.
"""
