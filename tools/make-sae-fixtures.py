#!/usr/bin/env python3
"""Writes tiny SAE fixtures in Tests/VistaEncodeTests/Fixtures/sae/ with numpy and the `safetensors` library
(run with /work/venv-st/bin/python), plus the codes numpy computes for them with the published formulas:

  gemma_scope/params.npz      JumpReLU, Gemma Scope keys (W_enc d_in x d_sae, W_dec, b_enc, b_dec, threshold)
  gemma_scope2/params.npz     same weights under Gemma Scope 2 names (w_enc, w_dec)
  saelens_relu/               cfg.json (architecture standard, apply_b_dec_to_input true) + sae_weights.safetensors
  saelens_topk/               architecture topk, k = 3 (in activation_fn_kwargs), apply_b_dec_to_input false
  saelens_jumprelu/           architecture jumprelu
  activations.npy             float32 (9, 6) inputs
  expected_<name>.npy         float32 (9, 10) dense codes numpy computes for each SAE
"""
import json
import os

import numpy as np
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "VistaEncodeTests", "Fixtures", "sae")
D_IN, D_SAE, TOKENS = 6, 10, 9


def main():
    rng = np.random.default_rng(20240601)
    w_enc = rng.normal(size=(D_IN, D_SAE)).astype(np.float32)
    w_dec = rng.normal(size=(D_SAE, D_IN)).astype(np.float32)
    b_enc = rng.normal(scale=0.3, size=D_SAE).astype(np.float32)
    b_dec = rng.normal(scale=0.3, size=D_IN).astype(np.float32)
    threshold = rng.uniform(0.2, 1.0, size=D_SAE).astype(np.float32)
    x = rng.normal(size=(TOKENS, D_IN)).astype(np.float32)
    os.makedirs(OUT, exist_ok=True)
    np.save(os.path.join(OUT, "activations.npy"), x)

    def jumprelu(pre):
        return (pre > threshold) * np.maximum(pre, 0)

    # Gemma Scope: no b_dec subtraction.
    for folder, enc, dec in [("gemma_scope", "W_enc", "W_dec"), ("gemma_scope2", "w_enc", "w_dec")]:
        os.makedirs(os.path.join(OUT, folder), exist_ok=True)
        np.savez(os.path.join(OUT, folder, "params.npz"), **{enc: w_enc, dec: w_dec, "b_enc": b_enc, "b_dec": b_dec, "threshold": threshold})
    np.save(os.path.join(OUT, "expected_gemma_scope.npy"), jumprelu(x @ w_enc + b_enc).astype(np.float32))

    def saelens(folder, cfg, tensors):
        os.makedirs(os.path.join(OUT, folder), exist_ok=True)
        save_file(tensors, os.path.join(OUT, folder, "sae_weights.safetensors"))
        base = {"d_in": D_IN, "d_sae": D_SAE, "dtype": "float32", "model_name": "fixture", "hook_name": "blocks.0.hook_resid_post",
                "normalize_activations": "none"}
        base.update(cfg)
        with open(os.path.join(OUT, folder, "cfg.json"), "w") as f:
            json.dump(base, f, indent=1)

    weights = {"W_enc": w_enc, "W_dec": w_dec, "b_enc": b_enc, "b_dec": b_dec}
    saelens("saelens_relu", {"architecture": "standard", "apply_b_dec_to_input": True, "activation_fn": "relu"}, weights)
    np.save(os.path.join(OUT, "expected_saelens_relu.npy"), np.maximum((x - b_dec) @ w_enc + b_enc, 0).astype(np.float32))

    k = 3
    saelens("saelens_topk", {"architecture": "topk", "apply_b_dec_to_input": False, "activation_fn": "topk",
                             "activation_fn_kwargs": {"k": k}}, weights)
    pre = x @ w_enc + b_enc
    top = np.zeros_like(pre)
    idx = np.argsort(-pre, axis=1, kind="stable")[:, :k]
    for r in range(TOKENS):
        top[r, idx[r]] = np.maximum(pre[r, idx[r]], 0)
    np.save(os.path.join(OUT, "expected_saelens_topk.npy"), top.astype(np.float32))

    saelens("saelens_jumprelu", {"architecture": "jumprelu", "apply_b_dec_to_input": False, "activation_fn": "relu"},
            dict(weights, threshold=threshold))
    np.save(os.path.join(OUT, "expected_saelens_jumprelu.npy"), jumprelu(x @ w_enc + b_enc).astype(np.float32))
    print("fixtures in", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
