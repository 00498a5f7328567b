"""The notebooks' cells, as data: tools/make-notebooks.py builds, executes and saves them.

Each entry: title, `expect` (what Tests/python/test_notebooks.py checks on the executed notebook) and cells,
a list of ("md", markdown) and ("code", VISTA commands).
"""


def md(text):
    return ("md", text)


def code(text):
    return ("code", text)


QUICKSTART = [
    md("""
# VISTA quickstart: the whole method on the embedded demo set

VISTA (White, *A Panoramic View of Neural Representations*, 2024) maps what one latent of a sparse
autoencoder responds to: it takes the captions that activate the latent most, lays them out with UMAP under a
metric that keeps both their meaning and their activation, scores how faithful the layout is (the mutual-kNN
**gain**), cuts it into tiles that carry the captions they stand for, and draws a map you can read and explore.

This notebook walks the five stages on the **embedded default**: 21.8k ImageNet-21k category definitions
(short visual descriptions), encoded by the built-in MiniLM-L6 encoder, and a small top-k SAE trained here on
its token states, a miniature of the paper's Gemma Scope setting. Every command is one line,
`verb [subject] key=value ...`; `help` lists them and `help VERB` documents every option.
"""),
    code("""
help
"""),
    md("""
## 1. Choose a dataset

`load demo` loads the embedded caption set (no network needed). The table shows a few rows with their
metadata columns (the WordNet lexicographer file, e.g. `noun.animal`, which we can colour maps by later).
"""),
    code("""
set seed=1
load demo
"""),
    md("""
## 2. Encode, and train a sparse autoencoder

`encode` runs MiniLM-L6 over every caption and keeps the token-level hidden states. `sae train` fits a TopK
SAE on them (seeded, so the same latents come back every time), and pools the token codes per caption (max
by default). The reconstruction (fraction of variance explained), L0 and the share of dead latents tell whether
the SAE is usable. Results are cached on disk by a hash of their inputs: re-running this notebook skips the work.
"""),
    code("""
encode
sae train latents=2048 k=16 epochs=2
"""),
    md("""
`latents` lists the latents with their strongest captions and an automatic label (the words that
distinguish the latent's top captions from the rest, by class-based TF-IDF). This is the "automated
interpretability" view the paper starts from; VISTA's maps show where such labels hold and where they do not.
"""),
    code("""
latents top=12
"""),
    md("""
## 3. Select a latent and lay its captions out

`select latent=N top=2%` keeps the 2% of captions that activate latent N the most (the paper used the top
4,000 of 200,000). `layout umap` places them with UMAP under VISTA's metric: cosine distance in SAE space plus
`axis_weight` times the difference in the selected latent's activation, stretched to a 16:9 aspect ratio.
The scatter is coloured by activation.
"""),
    code("""
select latent=LATENT top=2%
layout umap neighbors=15 min_dist=0.1 metric=vista axis_weight=1 aspect=16:9
"""),
    md("""
## 4. How faithful is the map? The gain

For each k (as a percentage of the points), the mutual-kNN alignment is the share of each point's k nearest
neighbours in SAE space (cosine) that are also among its k nearest on the map (euclidean); the **gain**
subtracts what a random layout would score (k%). The paper reports maxima of 0.10 to 0.27; the curve's
maximum and where it is reached are marked.
"""),
    code("""
gain k=0.5%..20%
"""),
    md("""
## 5. Tiles, the map preview and the captions behind a tile

`tiles 32x18` cuts the layout into a grid at the map's aspect ratio; a tile with fewer than 4 captions stays
empty (as in the paper). `preview` draws the map: regions of high density, the clusters of the kNN graph and the
connections between them, labels from the clusters' captions, and the points coloured by activation.
`captions tile=...` lists the captions that fall in one tile, strongest first.
"""),
    code("""
tiles 32x18
preview
"""),
    code("""
captions tile=TILE
"""),
    md("""
## 6. Explore, and plan the panorama

`explore` is an interactive map inside the notebook (self-contained: no network): pan and zoom, hover a point
for its caption, search, and select an area to list its captions (`captions selection` reads the selection
back in the kernel). `render plan` writes the MultiDiffusion plan a GPU worker can execute: for every step and
window, the caption it is conditioned on, varied across steps within each region (VISTA's semantic smoothing).
"""),
    code("""
explore
"""),
    code("""
render plan steps=100
status
"""),
    md("""
## Reproduce it

`save recipe PATH` writes this session as a `.vista` script; `vista run SCRIPT --out DIR` re-runs it headless
and writes every output (PNG, HTML, JSON) into DIR, byte for byte the same for the same seed.
`examples/demo.vista` in the repository is such a recipe.
"""),
]

NOTEBOOKS = {
    "quickstart": {
        "expect": {"min_images": 3, "min_tables": 2, "explorer": True},
        "cells": QUICKSTART,
    },
}
