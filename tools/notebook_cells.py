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

OWN_ACTIVATIONS = [
    md("""
# Your own activations and a Gemma Scope SAE

VISTA's embedded default trains its own small SAE on MiniLM, but the method is meant for the SAEs people
study: Gemma Scope's JumpReLU SAEs on Gemma 2, or any SAELens SAE. This notebook shows the formats VISTA
reads and the path from activations computed elsewhere to a map, on **small files in the real formats**
(in `data/own/`, written by `tools/make-notebook-data.py`):

| file | format | shape |
|---|---|---|
| `captions.tsv` | id, lemma, lexfile, caption (TSV with a header; any extra column is kept as metadata) | 970 rows |
| `params.npz` | Gemma Scope: `W_enc` (d_in x d_sae), `W_dec` (d_sae x d_in), `b_enc`, `b_dec`, `threshold`, float32 | d_in 96, d_sae 128 |
| `activations.npy` | one activation vector per caption (rows x d_in), float16 | 970 x 96 |
| `codes.npz` | the SAE's codes as CSR, scipy's `save_npz` layout (`data`, `indices`, `indptr`, `shape`, `format`) | 970 x 128 |

**The activations are synthetic, with planted structure**, so there is something true to find: each of 128
concepts (24 focus words such as *bird* or *water*, the captions' WordNet categories, a graded "long caption"
feature, and frequent words) has a random direction in R^96; a caption's vector is the sum of the directions
of the concepts it carries, plus noise. The SAE's latent *c* reads along concept *c*'s direction with a
JumpReLU threshold. `data/own/concepts.tsv` is the answer key. 128 directions in 96 dimensions are not
orthogonal, so latents also fire a little on other concepts: superposition, as in real SAEs.

With a real model you would write the same files from your activations: Gemma Scope's `params.npz` as
downloaded, and activations of shape tokens x d_in (token-level, with the caption offsets `vista encode
--tokens` writes, then `--pool max`), or one row per caption.
"""),
    md("""
## 1. The captions
"""),
    code("""
set seed=1
load data/own/captions.tsv
"""),
    md("""
## 2. From activations to codes with the Gemma Scope SAE

JumpReLU: `pre = x W_enc + b_enc`, `codes = (pre > threshold) * relu(pre)`. The command-line tool applies an
SAE to activations, batched through BLAS, and writes CSR codes:

```
vista sae apply --sae data/own/params.npz --activations data/own/activations.npy --out data/own/codes.npz
```

(`Tests/python/test_notebooks.py` checks that this gives exactly the `codes.npz` shipped here.) In the kernel,
`codes load` brings codes computed elsewhere; the table summarises them.
"""),
    code("""
codes load data/own/codes.npz
"""),
    md("""
## 3. Which latents are there?

`latents` ranks latents by how many captions activate them and shows their strongest captions with an
automatic label. Compare with the answer key: latent 2 was planted as *bird*, latent 0 as *water*.
"""),
    code("""
latents top=8 captions=2
"""),
    md("""
## 4. The map of one latent

Latent 2 (*bird*): all captions on which it is active. The vista metric (cosine distance between the captions'
codes plus the difference in latent 2's activation) groups them by the other concepts they carry; the preview
is coloured by the WordNet category column of the TSV.
"""),
    code("""
select latent=2 top=100%
layout umap neighbors=10 min_dist=0.1 metric=vista aspect=16:9
gain
"""),
    code("""
tiles 12x7 min=3
preview color=lexfile
"""),
    md("""
Where does the latent fire without its word? Cross-talk from superposition shows up as captions without
*bird* on the map. `captions search=...` finds words on the map, and `export layout` writes the map as CSV for
pandas or R.
"""),
    code("""
captions search=bird page_size=8
export layout out/own-bird-layout.csv
"""),
]

SWEEPS = [
    md("""
# Choosing UMAP's parameters by gain

A VISTA map is only worth reading if its neighbourhoods are the representation's neighbourhoods. The
mutual-kNN **gain** measures that: for each k (a share of the points), the fraction of each caption's k
nearest neighbours in SAE space (cosine) that stay among its k nearest on the map, minus the k/n a random
layout would keep. UMAP's two main knobs trade local against global structure: `neighbors` (how many
neighbours define a point's surroundings) and `min_dist` (how tightly points may pack). Rather than guess,
sweep them and let the gain choose.
"""),
    code("""
set seed=1
load demo
encode
sae train latents=SAE_LATENTS k=SAE_K epochs=SAE_EPOCHS
select latent=LATENT top=2%
layout umap
"""),
    md("""
## The sweep

`sweep layout neighbors=5,15,50 min_dist=0.0,0.1,0.5` lays the same captions out with the 9 combinations,
in parallel within the machine's cores, and shows a contact sheet (one small map per combination, labelled
with its parameters and gain) and a table sorted by the gain's maximum, with trustworthiness and time.
`pick=best` then sets the layout stage to the winner, so the next commands use it.
"""),
    code("""
sweep layout neighbors=5,15,50 min_dist=0.0,0.1,0.5 pick=best
"""),
    md("""
## The winner, checked

`status` shows the layout stage now holds the best combination; `gain` draws its full curve. Every layout of
the sweep is cached, so re-running this notebook, or choosing another combination by hand, costs nothing.
"""),
    code("""
status
gain
"""),
    code("""
tiles 32x18
preview
"""),
    md("""
## A second axis: how much the latent's own activation counts

VISTA's metric adds `axis_weight` times the difference in the selected latent's activation to the cosine
distance between codes. At 0 the map ignores activation strength; large weights sort the map by activation
and override the codes' neighbourhoods, which the gain penalises.
"""),
    code("""
sweep layout axis_weight=0,1,4 pick=best by=gain
"""),
]

NOTEBOOKS = {
    "quickstart": {
        "expect": {"min_images": 3, "min_tables": 2, "explorer": True},
        "cells": QUICKSTART,
    },
    "sweeps": {
        "expect": {"min_images": 4, "min_tables": 3, "explorer": False},
        "cells": SWEEPS,
    },
    "your-own-activations": {
        "expect": {"min_images": 3, "min_tables": 3, "explorer": False},
        "cells": OWN_ACTIVATIONS,
    },
}
