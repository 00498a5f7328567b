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
`latents` lists the latents with how many captions activate them and their strongest captions. Reading a
latent from its few strongest examples is the "automated interpretability" view the paper starts from; VISTA's
maps show the thousands of captions behind it, and where such a reading holds and where it does not.
"""),
    code("""
latents sort=max top=12
"""),
    md("""
## 3. Select a latent and lay its captions out

We map latent **1727**: its strongest captions are about journalism (newspapers, magazines, the press).
`select latent=N top=2%` keeps the 2% of captions that activate latent N the most (the paper used the top
4,000 of 200,000). `layout umap` places them with UMAP under VISTA's metric: cosine distance in SAE space plus
`axis_weight` times the difference in the selected latent's activation, stretched to a 16:9 aspect ratio.
The scatter is coloured by activation.
"""),
    code("""
select latent=1727 top=2%
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
    md("""
`captions` lists the captions behind any part of the map: a tile (`tile=12,4`), a region (`region=N`), a spot
(`near=x,y`) or a search. Here: the captions of region 0, strongest first, and a search across the map.
"""),
    code("""
captions region=0 page_size=5
captions search=newspaper page_size=5
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

With a real model you write the same files from your activations: Gemma Scope's `params.npz` as
downloaded (or an SAELens folder), and activations of shape tokens x d_in with a per-token caption index,
or one row per caption as here.
"""),
    md("""
## 1. The captions
"""),
    code("""
set seed=1
load data/own/captions.tsv
"""),
    md("""
## 2. Your activations, and the Gemma Scope SAE applied to them

`activations load` takes the place of the built-in encoder: a `.npy` or `.safetensors` array, one row per
caption (`rows=captions`) or one row per token. Token-level activations need to say which caption each
row belongs to: `caption_index=PATH` (an integer `.npy`, one caption number per token row, in any order) or
`offsets=PATH` (captions + 1 boundaries, as `vista encode --tokens` writes). The file's size and modification
time are part of the cache key, so editing it and re-running the cell reads it again.
"""),
    code("""
activations load data/own/activations.npy rows=captions
"""),
    md("""
`sae load` reads the Gemma Scope JumpReLU SAE, `pre = x W_enc + b_enc`, `codes = (pre > threshold) * relu(pre)`,
and applies it to the activations, batched through BLAS, into sparse (CSR) caption codes. Token codes are
pooled per caption with `sae apply pooling=max` (the default; `mean` and `sum` too). A d_in that does not match
the activations is an error naming both shapes and both files.
"""),
    code("""
sae load data/own/params.npz
sae apply pooling=max
"""),
    md("""
Outside the kernel, the command-line tool does the same and writes the codes to a file that `codes load`
reads back:

```
vista sae apply --sae data/own/params.npz --activations data/own/activations.npy --out data/own/codes.npz
```

(`Tests/python/test_notebooks.py` checks that this gives exactly the `codes.npz` shipped here.)
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
**What the map shows.** Two sides: birds (orange, `noun.animal`) and a region of plants labelled
*tree · leaves · yellow* (blue, `noun.plant`). Only 46 of the 73 captions contain *bird* (the search below);
25 of the other 27 are plant descriptions. Latent 2 fires on them through superposition: the planted plant
concepts' directions overlap *bird*'s (cosines up to 0.3 in R^96), and captions that carry several of them
cross the threshold. The strongest captions never show this; the map shows it as a region of its own, which
is the pattern to look for in a real SAE. `export layout` writes the map as CSV for pandas or R.
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
sae train latents=2048 k=16 epochs=2
select latent=1727 top=2%
layout umap
"""),
    md("""
The same set-up as the quickstart (cached, so these lines cost nothing on a re-run): latent 1727, the
journalism latent, its 437 strongest captions.

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
On this latent the sweep prefers small neighbourhoods: `neighbors=5 min_dist=0.1` raises the gain's maximum
from 0.094 (UMAP's defaults, 15 and 0.1) to 0.102, the three 5-neighbour maps lead the table (0.099 to
0.102), and the lowest scores are the 50-neighbour maps (0.089 to 0.092) and `neighbors=15 min_dist=0.5` (0.087).
The differences are small, a few hundredths at most, so read the ranking as a tendency rather than a
verdict (another seed can swap neighbours in the table). The contact sheet shows the tendency: with 50 neighbours (more than a tenth of the 437 points) the map becomes
one long band ordered by activation, while 5 neighbours keep separate groups of captions apart.

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
    md("""
The gain compares the map with neighbourhoods in SAE space measured by cosine alone, so `axis_weight=0`
(plain cosine) reproduces them best: 0.44 against 0.10 at weight 1 and 0.06 at weight 4. The axis term is a
deliberate trade: it orders the map by the latent's strength (the paper's "stretch along the latent axis"),
which makes strong and weak activations easy to tell apart, at the cost of neighbourhood fidelity. Choose it
for reading a latent's gradient, and report the gain with the weight it was measured at.
"""),
]

CASE_STUDIES = [
    md("""
# Three case studies: when a latent's label holds, hides a second trigger, or misleads

The VISTA paper maps three Gemma Scope latents and compares each map with the latent's automatic label: one
label holds ("ingredients"), one hides a second trigger (the "muscle" latent also fires on words beginning
with "M"), one misleads ("indebted", which responds to conjunctions such as "sunset or sunrise"). We repeat
the exercise on our own miniature: the SAE trained in the quickstart (2,048 latents, TopK 16, on MiniLM's last
layer over the 21.8k demo captions). We found the three latents with the tool itself: `latents sort=max`
for candidates whose strongest captions look coherent, then for each the map, `captions search=...` and the
exported layout (`export layout`, counted in pandas) to check what the captions share.

The "label" here is what one would write from a latent's strongest captions, the evidence automated
interpretability labels are built from.
"""),
    code("""
set seed=1
load demo
encode
sae train latents=2048 k=16 epochs=2
latents sort=max top=25 captions=3
"""),
    md("""
## 1. A label that holds: latent 1727, "journalism"

Strongest captions: *British journalism*, *sensationalist journalism*, *journalism that presents a story*.
"""),
    code("""
select latent=1727 top=2%
layout umap neighbors=15 min_dist=0.1 metric=vista aspect=16:9
tiles 32x18
"""),
    md("""
**What the map shows.** The strongest activations (yellow) form one region, labelled *newspaper · news ·
magazine*, next to *articles · journal · advertising*: the label holds where the latent is strong. The weaker
bulk of the 2% spreads into neighbouring ideas, each its own region: information and galleries, persons,
places and spectators, the public. Reading the map from strong to weak gives a graded meaning, "the
press, then media and publicity", that a label from the top three captions cannot show. The search below
lists the captions that name newspapers; the gain curve says how far the map's neighbourhoods can be trusted.
"""),
    code("""
captions search=newspaper page_size=8
gain
"""),
    md("""
## 2. A second, hidden trigger: latent 332, "systems" ... and the letter S

Strongest captions: a biennial weed, then *a molding that has the shape of an S*, *a double curve resembling
the letter S*, *a roofing tile with a S-shape*. Further down the list: communication systems, ignition
systems, missile systems.
"""),
    code("""
select latent=332 top=2%
layout umap neighbors=15 min_dist=0.1 metric=vista aspect=16:9
tiles 32x18
"""),
    code("""
captions search=system page_size=8
captions search=shape page_size=8
"""),
    md("""
**What the map shows.** One side of the map is technical systems (*communication system · electronic*,
computer, control and missile systems): the label "systems" fits. In our export, 130 of the 437 captions
(30%) contain *system(s)*. The strongest corner is a small cluster of S-shapes: mouldings, tiles, arches
and wrenches "with an S-shape", and "the letter S". The rest of the map, about 70% of the captions, has
neither: plants and animals described by genus, ferns, corals, scallops, sloops and sails. Words beginning with
*s* are 1.5 times as common in those captions as in the demo set overall (13.7% of their words against 8.9%).
Like the paper's "muscle" latent, which also fired on words beginning with "M", this latent looks partly
**morphological**: it responds to the letter S as a shape and, weakly, to s-words, beside its meaning.
"""),
    md("""
## 3. A misleading label: latent 53, "weapons and parasites"?

Strongest captions: *a rifle or pistol*, *head or body louse*, *mite or tick*. A label written from them
would say weapons and parasites.
"""),
    code("""
select latent=53 top=2%
layout umap neighbors=15 min_dist=0.1 metric=vista aspect=16:9
tiles 32x18
"""),
    code("""
captions search=or page_size=8
captions search=pistol
export layout out/latent-53.csv
"""),
    md("""
**What the map shows.** No region is about weapons or parasites: the regions are kinship (*the child of your
grandson or granddaughter*, *the child of your aunt or uncle*), people (*a native or resident of Texas*),
colours and fish (*black or yellow*), ornaments and trees (*either ...*). What they share is the conjunction.
`captions search=or` matches the letters anywhere (so *for* and *color* count too); counted as a word in the
exported layout, 404 of the 437 captions (92%) contain *or*, and 49 of the 50 strongest. The latent encodes "X or
Y", not what X and Y are; the top three captions happened to be about weapons and lice. This is the
paper's "indebted" case almost exactly: its latent turned out to respond to conjunctions such as "a dramatic
sunset or sunrise".

## What to take away

The same tool found all three patterns in one SAE: read a latent from its map, not from its top captions.
The gain (mutual-kNN alignment above chance) tells how far to trust a map's neighbourhoods; the paper's
maps scored 0.10 to 0.27, and `sweeps.ipynb` shows how to choose layout parameters that raise it.
"""),
]

NOTEBOOKS = {
    "quickstart": {
        "expect": {"min_images": 3, "min_tables": 2, "explorer": True},
        "cells": QUICKSTART,
    },
    "case-studies": {
        "expect": {"min_images": 4, "min_tables": 6, "explorer": False},
        "cells": CASE_STUDIES,
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
