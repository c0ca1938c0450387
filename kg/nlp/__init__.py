"""spaCy side of kg: our registered pipeline components and the Doc -> record step.

Components talk to each other through Doc extensions (``doc._.kg_*``), registered in
``kg.nlp.extensions``. Each holds plain records from ``kg.records``.
"""
