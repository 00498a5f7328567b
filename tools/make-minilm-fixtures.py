#!/usr/bin/env python3
"""Writes the MiniLM agreement fixtures in Tests/VistaEncodeTests/Fixtures/minilm/ with the REAL
sentence-transformers library (CPU torch), from the same model folder the Swift encoder reads.

  sentences.json        the sentences (varied: accents, punctuation, long words, empty, CJK, emoji, very long)
  token_ids.json        the token ids sentence-transformers feeds the model (after truncation to 256)
  embeddings.npy        float32 (n, 384): mean-pooled, L2-normalised sentence embeddings
  hidden_states.npz     float32 token states of layer 0 (embeddings), 3 and 6 for the first 3 sentences

Usage (in a venv with torch CPU + sentence-transformers, e.g. /work/venv-st):
  HF_HUB_OFFLINE=1 python tools/make-minilm-fixtures.py [MODEL_DIR]
MODEL_DIR defaults to $VISTA_HOME/models/all-MiniLM-L6-v2 (scripts/fetch-minilm.sh puts it there).
"""
import json
import os
import sys

import numpy as np
import torch
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "",
    "a",
    "A dog.",
    "a short coat that hangs loosely from the shoulders",
    "The quick brown fox jumps over the lazy dog.",
    "Café au lait, naïve façade, résumé, coöperate, señor, Ångström, Øresund.",
    "ÀÉÎÕÜ àéîõü ÇçÑñ — accents everywhere!",
    "Hello, world! How's it going? (Fine...) [ok] {yes} <no> @home #tag $5 100% a&b *star* ~tilde~ ^caret^ `tick`",
    "Antidisestablishmentarianism and pneumonoultramicroscopicsilicovolcanoconiosis are long words.",
    "supercalifragilisticexpialidocious" * 4,
    "x" * 120,
    "东京是日本的首都。",
    "北京欢迎你 and English mixed 中文",
    "日本語のテキストとカタカナ、ひらがな。",
    "한국어 문장도 있습니다.",
    "Emoji test 😀🎉👍🏽 rocket 🚀 and flags 🇫🇷.",
    "Tabs\tand\nnewlines\r\nand   multiple    spaces.",
    "   leading and trailing whitespace   ",
    "ALL CAPS SENTENCE WITH SHOUTING",
    "MiXeD CaSe WoRdS iN a SeNtEnCe",
    "Numbers: 3.14159, 2,718, 1e-10, -42, 0x1F, 1/2, 99%.",
    "e-mail: someone@example.com, url: https://example.org/path?q=1&r=2#frag",
    "C++ and C# and F# are languages; so is Objective-C.",
    "Don't won't can't shouldn't y'all'd've",
    "“Curly quotes” and ‘single ones’ and «guillemets» and „low quotes“.",
    "Greek: Αλφα βήτα γάμμα δέλτα. Russian: Привет, как дела?",
    "Arabic: مرحبا بالعالم. Hebrew: שלום עולם.",
    "Hindi: नमस्ते दुनिया। Thai: สวัสดีชาวโลก",
    "Math symbols: ∑ ∫ √ ∞ ≤ ≥ ≠ ± × ÷ π",
    "Currency: € £ ¥ ₹ ₩ ¢",
    "Zero\u200bwidth\u200bspace and soft\u00adhyphen and non\u00a0breaking space",
    "Control chars \u0007 bell \u0000 null \ufffd replacement",
    "Ligatures: ﬁ ﬂ ﬀ and fullwidth ＡＢＣ １２３",
    "a photo of a red sports car parked on a wet street at night",
    "an oil painting of a lighthouse on a cliff during a storm",
    "two children playing with a golden retriever in the snow",
    "a bowl of ramen with a soft boiled egg and green onions",
    "an aerial view of a winding river through an autumn forest",
    "a close-up of a hummingbird feeding from a red flower",
    "the interior of a gothic cathedral with stained glass windows",
    "a vintage typewriter on a wooden desk next to a cup of coffee",
    "a herd of elephants crossing a dusty savanna at sunset",
    "a microscope image of cells dividing",
    "a cartoon robot waving hello",
    "a snowy mountain reflected in a still alpine lake",
    "The mitochondria is the powerhouse of the cell.",
    "Colorless green ideas sleep furiously.",
    "To be, or not to be, that is the question.",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "a",
    "!!!???...,,,;;;:::",
    "--- *** ___ ===",
    "Hyphenated-compound-words and under_scored_names and CamelCaseIdentifiers.",
    "İstanbul ıs a cıty; straße is a German word; ß and ẞ.",
    "Vietnamese: Tiếng Việt có dấu thanh điệu.",
    " ".join(["word%d" % i for i in range(300)]),
    ("This is a very long sentence that keeps going and going, with many clauses, commas, and ideas, "
     "so that it exceeds the maximum sequence length of the model and has to be truncated. ") * 12,
]


def main():
    default = os.path.join(os.environ.get("VISTA_HOME", os.path.expanduser("~/.cache/vista")), "models",
                           "all-MiniLM-L6-v2")
    model_dir = sys.argv[1] if len(sys.argv) > 1 else default
    torch.manual_seed(0)
    model = SentenceTransformer(model_dir, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    embeddings = model.encode(SENTENCES, batch_size=16, convert_to_numpy=True, normalize_embeddings=False)
    tokenizer = model.tokenizer
    token_ids = [tokenizer(s, truncation=True, max_length=model.max_seq_length)["input_ids"] for s in SENTENCES]

    # Token-level hidden states through the underlying BertModel.
    bert = model[0].auto_model
    states = {}
    with torch.no_grad():
        for i in range(3):
            ids = torch.tensor([token_ids[i]])
            out = bert(input_ids=ids, attention_mask=torch.ones_like(ids), output_hidden_states=True)
            for layer in (0, 3, 6):
                states[f"s{i}_layer{layer}"] = out.hidden_states[layer][0].numpy().astype(np.float32)

    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "Tests", "VistaEncodeTests", "Fixtures", "minilm")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "sentences.json"), "w", encoding="utf-8") as f:
        json.dump(SENTENCES, f, ensure_ascii=False, indent=0)
    with open(os.path.join(target, "token_ids.json"), "w") as f:
        json.dump(token_ids, f)
    np.save(os.path.join(target, "embeddings.npy"), embeddings.astype(np.float32))
    np.savez(os.path.join(target, "hidden_states.npz"), **states)
    norms = np.linalg.norm(embeddings, axis=1)
    print(f"{len(SENTENCES)} sentences, norms {norms.min():.6f}..{norms.max():.6f}, "
          f"max length {max(map(len, token_ids))} tokens -> {target}")


if __name__ == "__main__":
    main()
