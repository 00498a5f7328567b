#!/usr/bin/env python3
"""Builds Sources/VistaData/Resources/imagenet21k-captions.zip, the embedded demo caption set.

Inputs (see Sources/VistaData/Resources/PROVENANCE.md):
  - timm's imagenet_synset_to_definition.txt and imagenet_synset_to_lemma.txt
    (`pip download --no-deps timm -d /tmp/timm`, unzip timm/data/_info/ from the wheel);
  - WordNet 3.0 data.noun from Debian's wordnet-base, for the lexicographer file of each synset
    (the synset id n02885233 is noun offset 02885233).
Output: a zip holding one TSV `imagenet21k-captions.tsv` with a header row
  id <TAB> lemma <TAB> lexfile <TAB> caption
Usage: tools/make-demo-captions.py TIMM_INFO_DIR [WORDNET_DIR]
"""
import os
import sys
import zipfile

# WordNet's lexicographer file numbers (lexnames(5WN)).
LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact", "noun.attribute",
    "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
    "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession",
    "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state", "noun.substance", "noun.time",
    "verb.body", "verb.change", "verb.cognition", "verb.communication", "verb.competition", "verb.consumption",
    "verb.contact", "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession",
    "verb.social", "verb.stative", "verb.weather", "adj.ppl",
]


def read_pairs(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            key, value = line.split("\t", 1)
            out[key] = value.strip()
    return out


def main():
    info = sys.argv[1]
    wordnet = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/wordnet"
    definitions = read_pairs(os.path.join(info, "imagenet_synset_to_definition.txt"))
    lemmas = read_pairs(os.path.join(info, "imagenet_synset_to_lemma.txt"))
    lexfile = {}
    with open(os.path.join(wordnet, "data.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            parts = line.split(" ", 2)
            lexfile["n" + parts[0]] = LEXNAMES[int(parts[1])]
    rows = ["id\tlemma\tlexfile\tcaption"]
    for synset, definition in definitions.items():
        clean = lambda s: s.replace("\t", " ").replace("\n", " ")
        rows.append("\t".join([synset, clean(lemmas.get(synset, "")), lexfile.get(synset, "unknown"), clean(definition)]))
    text = "\n".join(rows) + "\n"
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "Sources", "VistaData", "Resources", "imagenet21k-captions.zip")
    info_entry = zipfile.ZipInfo("imagenet21k-captions.tsv", date_time=(2024, 1, 1, 0, 0, 0))
    info_entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(target, "w") as z:
        z.writestr(info_entry, text.encode("utf-8"), compresslevel=9)
    missing = sum(1 for s in definitions if s not in lexfile)
    print(f"{len(definitions)} captions, {missing} without a lexfile, {os.path.getsize(target)} bytes -> {target}")


if __name__ == "__main__":
    main()
