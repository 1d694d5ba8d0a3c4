"""A tiny CTranslate2 translation model built from numpy weights, for tests.

Not a language model: its weights are set by hand so that decoding is deterministic and
can be worked out on paper. It follows NLLB's conventions (source
``[src_lang] + tokens + ["</s>"]``, target prefix ``[tgt_lang]``) and "translates" one
word by a small table that depends on the target language::

    hello -> привет (rus_Cyrl) / прывітанне (bel_Cyrl)
    world -> мир (rus_Cyrl)    / свет (bel_Cyrl)

How: the encoder passes one-hot source embeddings through (all attention and feed-forward
weights are zero); the decoder's cross-attention has zero query weights, so it attends
uniformly and adds the mean of the source one-hots; the previous target token's one-hot
sits in the other half of the hidden vector. The output row of a translation is
``onehot(source word) + onehot(previous = target language)``, and ``</s>`` wins once any
word was emitted. Rows have zero mean, so layer norm's centring does not shift them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

LANGS = {"ru": "rus_Cyrl", "be": "bel_Cyrl"}
TABLE = {("▁hello", "rus_Cyrl"): "▁привет", ("▁world", "rus_Cyrl"): "▁мир",
         ("▁hello", "bel_Cyrl"): "▁прывітанне", ("▁world", "bel_Cyrl"): "▁свет"}
VOCABULARY = ["<unk>", "<s>", "</s>", "eng_Latn", "rus_Cyrl", "bel_Cyrl", "▁hello", "▁world",
              "▁привет", "▁мир", "▁прывітанне", "▁свет"]
_EMBEDDING = 10.0  # large against the sinusoidal position encodings (|x| <= 1)
_CONTEXT_GAIN = 20.0


def build_tiny_nllb_model(folder: Path) -> Path:
    """Save the model (CTranslate2 format, float32) into ``folder`` and return it."""
    from ctranslate2.specs import common_spec, transformer_spec

    v = len(VOCABULARY)
    d, ff = 2 * v, 8
    index = {token: i for i, token in enumerate(VOCABULARY)}
    spec = transformer_spec.TransformerSpec.from_config(1, 1)
    eye = np.eye(d, dtype=np.float32)

    source_embeddings = np.zeros((v, d), np.float32)
    target_embeddings = np.zeros((v, d), np.float32)
    for i in range(v):
        source_embeddings[i, i] = _EMBEDDING
        target_embeddings[i, v + i] = _EMBEDDING
    spec.encoder.embeddings[0].weight = source_embeddings
    spec.decoder.embeddings.weight = target_embeddings

    def layer_norm(ln: common_spec.LayerNormSpec) -> None:
        ln.gamma, ln.beta = np.ones(d, np.float32), np.zeros(d, np.float32)

    def linear(spec_: common_spec.LinearSpec, weight: np.ndarray) -> None:
        spec_.weight, spec_.bias = weight.astype(np.float32), np.zeros(len(weight), np.float32)

    def zero_ffn(ffn: transformer_spec.FeedForwardSpec) -> None:
        layer_norm(ffn.layer_norm)
        linear(ffn.linear_0, np.zeros((ff, d)))
        linear(ffn.linear_1, np.zeros((d, ff)))

    def zero_self_attention(attention: object) -> None:
        layer_norm(attention.layer_norm)  # type: ignore[attr-defined]
        linear(attention.linear[0], np.zeros((3 * d, d)))  # type: ignore[attr-defined]
        linear(attention.linear[1], np.zeros((d, d)))  # type: ignore[attr-defined]

    encoder_layer = spec.encoder.layer[0]
    zero_self_attention(encoder_layer.self_attention)
    zero_ffn(encoder_layer.ffn)
    layer_norm(spec.encoder.layer_norm)

    decoder_layer = spec.decoder.layer[0]
    zero_self_attention(decoder_layer.self_attention)
    cross = decoder_layer.attention
    layer_norm(cross.layer_norm)
    linear(cross.linear[0], np.zeros((d, d)))  # queries: uniform attention
    linear(cross.linear[1], np.concatenate([np.zeros((d, d)), eye]))  # keys 0, values = input
    linear(cross.linear[2], eye * _CONTEXT_GAIN)
    zero_ffn(decoder_layer.ffn)
    layer_norm(spec.decoder.layer_norm)

    projection = np.zeros((v, d), np.float32)
    for (word, lang), translation in TABLE.items():
        projection[index[translation], index[word]] = 1.0
        projection[index[translation], v + index[lang]] = 1.0
    for translation in set(TABLE.values()):
        projection[index["</s>"], v + index[translation]] = 1.5
    projection -= projection.mean(axis=1, keepdims=True)
    linear(spec.decoder.projection, projection)

    spec.register_source_vocabulary(VOCABULARY)
    spec.register_target_vocabulary(VOCABULARY)
    spec.validate()
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))
    return folder
