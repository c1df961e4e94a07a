"""Extraction accuracy on real postings: the shared corpus, where it sits beside the project."""
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED

CORPUS = SHARED / "corpus"


@pytest.mark.skipif(not (CORPUS / "evaluate.py").is_file(), reason="../shared/corpus is not beside this checkout")
def test_field_accuracy_on_the_public_corpus_is_at_least_95_percent():
    command = f"{sys.executable} -m companion extract"
    result = subprocess.run([sys.executable, str(CORPUS / "evaluate.py"), str(CORPUS / "public"),
                             "--cmd", command, "--min", "95"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, summary
    assert summary.startswith("field accuracy:")
