"""The snippets the benchmark corpus is made of: small, real PyTorch workloads.

Each workload is a self-contained snippet (its own imports, synthetic data and
fixed seed), so the very same text runs unchanged under studylog, markdown-exec,
a Jupyter kernel and the one-process floor script. Two sizes are defined:

* ``tiny``: about 0.05 s of compute on one CPU core, where fixed costs
  (process start, torch import, page rendering) dominate a build;
* ``course``: 0.5-2 s on one CPU core, the size of a course exercise, where
  running sessions in parallel matters.

The size parameters were chosen with ``python -m bench.corpus --calibrate``,
which times every workload on one thread (the figures are in bench/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template
from typing import Literal

Size = Literal["tiny", "course"]
SIZES: tuple[Size, ...] = ("tiny", "course")


@dataclass(frozen=True)
class Workload:
    """One kind of snippet: a code template and its parameters per size."""

    name: str
    topic: str  # the keyword a log about it would carry
    template: Template
    params: dict[str, dict[str, object]]  # size -> template parameters

    def code(self, size: Size, seed: int) -> str:
        return self.template.substitute(self.params[size], seed=seed).strip() + "\n"


MLP = Workload(
    name="mlp",
    topic="MLP",
    template=Template(
        """
import torch
from torch import nn

torch.manual_seed($seed)
X = torch.randn($n, $d)
y = (X @ torch.randn($d, $classes)).argmax(dim=1)  # a separable synthetic task
model = nn.Sequential(nn.Linear($d, $hidden), nn.ReLU(), nn.Linear($hidden, $classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
for epoch in range($epochs):
    for i in range(0, $n, $batch):
        opt.zero_grad()
        loss = loss_fn(model(X[i : i + $batch]), y[i : i + $batch])
        loss.backward()
        opt.step()
with torch.no_grad():
    acc = (model(X).argmax(dim=1) == y).float().mean().item()
print(f"MLP after $epochs epochs: loss {loss.item():.4f}, train accuracy {acc:.3f}")
"""
    ),
    params={
        "tiny": {"n": 1024, "d": 32, "hidden": 64, "classes": 4, "batch": 64, "epochs": 4},
        "course": {"n": 8192, "d": 64, "hidden": 256, "classes": 10, "batch": 64, "epochs": 6},
    },
)

CNN = Workload(
    name="cnn",
    topic="CNN",
    template=Template(
        """
import torch
from torch import nn

torch.manual_seed($seed)
images = torch.randn($batch, 1, $side, $side)
labels = torch.randint(0, 10, ($batch,))
model = nn.Sequential(
    nn.Conv2d(1, $c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d($c1, $c2, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear($c2, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for step in range($steps):
    opt.zero_grad()
    logits = model(images)
    loss = nn.functional.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
print(f"CNN after $steps steps: loss {loss.item():.4f}, logits {tuple(logits.shape)}")
"""
    ),
    params={
        "tiny": {"batch": 16, "side": 28, "c1": 8, "c2": 16, "steps": 8},
        "course": {"batch": 64, "side": 28, "c1": 16, "c2": 32, "steps": 40},
    },
)

LSTM = Workload(
    name="lstm",
    topic="LSTM",
    template=Template(
        """
import torch
from torch import nn

torch.manual_seed($seed)
t = torch.linspace(0, 8, $length + 1)
phase = torch.rand($batch, 1) * 6.28
series = torch.sin(t + phase).unsqueeze(-1)  # predict the next value of a sine wave
inputs, targets = series[:, :-1], series[:, 1:]
lstm = nn.LSTM(1, $hidden, batch_first=True)
head = nn.Linear($hidden, 1)
opt = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-2)
for step in range($steps):
    opt.zero_grad()
    out, _ = lstm(inputs)
    loss = nn.functional.mse_loss(head(out), targets)
    loss.backward()
    opt.step()
print(f"LSTM after $steps steps: mse {loss.item():.5f}")
"""
    ),
    params={
        "tiny": {"batch": 16, "length": 20, "hidden": 16, "steps": 16},
        "course": {"batch": 64, "length": 50, "hidden": 64, "steps": 60},
    },
)

MHA = Workload(
    name="mha",
    topic="Attention",
    template=Template(
        """
import math

import torch
from torch import nn

torch.manual_seed($seed)
E, H, L, B = $embed, $heads, $length, $batch
mha = nn.MultiheadAttention(E, H, batch_first=True)
x = torch.randn(B, L, E)


def attention(x):
    # Hand-written multi-head attention with the weights of `mha`.
    wq, wk, wv = mha.in_proj_weight.chunk(3)
    bq, bk, bv = mha.in_proj_bias.chunk(3)
    q, k, v = (
        (x @ w.T + b).view(B, L, H, E // H).transpose(1, 2)
        for w, b in ((wq, bq), (wk, bk), (wv, bv))
    )
    weights = (q @ k.transpose(-2, -1) / math.sqrt(E // H)).softmax(dim=-1)
    out = (weights @ v).transpose(1, 2).reshape(B, L, E)
    return mha.out_proj(out), weights.mean(dim=1)


with torch.no_grad():
    for _ in range($repeat):
        ours, our_weights = attention(x)
        ref, ref_weights = mha(x, x, x)
diff = (ours - ref).abs().max().item()
assert torch.allclose(ours, ref, atol=1e-5) and torch.allclose(our_weights, ref_weights, atol=1e-6)
print(f"hand-written MHA matches nn.MultiheadAttention: max abs diff {diff:.1e}")
"""
    ),
    params={
        "tiny": {"embed": 32, "heads": 4, "length": 16, "batch": 8, "repeat": 50},
        "course": {"embed": 128, "heads": 8, "length": 128, "batch": 32, "repeat": 15},
    },
)

WORKLOADS: tuple[Workload, ...] = (MLP, CNN, LSTM, MHA)
