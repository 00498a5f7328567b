"""jupyter_kernel_test 0.7 against the installed vista kernelspec, every attribute set.

``test_no_skips`` runs this same file in a subprocess and checks that nothing (and no subtest) is
skipped, so a regression that turns a test into a skip fails loudly.
"""
import os
import re
import subprocess
import sys
import unittest

import jupyter_kernel_test


class VistaKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "vista"
    language_name = "vista"
    file_extension = ".vista"

    code_hello_world = "echo hello, world"
    code_stderr = "echo --stderr oops"
    completion_samples = [
        {"text": "ec", "matches": ["echo"]},
        {"text": "displ", "matches": ["display"]},
    ]
    complete_code_samples = ["echo hi", "6*7", "# only a comment", ""]
    incomplete_code_samples = ["echo hi \\"]
    invalid_code_samples = ['echo "unterminated']
    code_page_something = "page echo"
    code_generate_error = "nosuchverb"
    code_execute_result = [
        {"code": "6*7", "result": "42"},
        {"code": "1+2", "result": "3"},
    ]
    code_display_data = [
        {"code": "display hello", "mime": "text/plain"},
        {"code": "display hello", "mime": "text/html"},
    ]
    code_history_pattern = "6[*]7"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "echo"
    code_clear_output = "clear"


class VistaIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = "vista"
    support_iopub_welcome = True


def test_no_skips():
    """Runs the suite above in a fresh pytest and requires every test to pass with zero skips."""
    if os.environ.get("VISTA_INNER_CONFORMANCE"):
        return
    env = dict(os.environ, VISTA_INNER_CONFORMANCE="1")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", __file__,
         "-k", "VistaKernelTests or VistaIopubWelcomeTests"],
        capture_output=True, text=True, env=env, timeout=300)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout + result.stderr
    # 12 KernelTests + the iopub-welcome test; subtests (history, completion, ...) are counted apart.
    assert re.search(r"\b13 passed\b", summary), summary
    assert re.search(r"\b1[0-9] subtests passed\b", summary), summary
    assert "skip" not in summary.lower(), summary
    assert "fail" not in summary.lower(), summary
