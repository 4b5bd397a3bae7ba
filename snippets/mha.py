"""Scaled dot-product multi-head attention by hand, checked against nn.MultiheadAttention.

The hand-written version reuses the reference module's weights, so the two must
agree to float precision; the attention weights of one head are plotted.
"""

import math

import matplotlib.pyplot as plt
import torch
from torch import nn

if "DEVICE" not in globals():  # run alone: pick the device ourselves
    DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)


def multi_head_attention(x: torch.Tensor, ref: nn.MultiheadAttention, n_heads: int
                         ) -> tuple[torch.Tensor, torch.Tensor]:
    batch, length, dim = x.shape
    head_dim = dim // n_heads
    q, k, v = nn.functional.linear(x, ref.in_proj_weight, ref.in_proj_bias).chunk(3, dim=-1)

    def split(t: torch.Tensor) -> torch.Tensor:  # B x L x D -> B x H x L x d
        return t.view(batch, length, n_heads, head_dim).transpose(1, 2)

    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(-2, -1) / math.sqrt(head_dim)  # B x H x L x L
    weights = scores.softmax(dim=-1)
    context = (weights @ v).transpose(1, 2).reshape(batch, length, dim)
    return ref.out_proj(context), weights


dim, heads, length = 32, 4, 10
reference = nn.MultiheadAttention(dim, heads, batch_first=True).to(DEVICE).eval()
x = torch.randn(2, length, dim, device=DEVICE)

with torch.no_grad():
    ours, our_weights = multi_head_attention(x, reference, heads)
    theirs, their_weights = reference(x, x, x, need_weights=True, average_attn_weights=False)

print("outputs match:", torch.allclose(ours, theirs, atol=1e-5))
print("weights match:", torch.allclose(our_weights, their_weights, atol=1e-6))
print(f"max |difference| {(ours - theirs).abs().max().item():.2e}")

fig, ax = plt.subplots(figsize=(4, 3.5))
image = ax.imshow(our_weights[0, 0].cpu(), cmap="viridis")
ax.set_xlabel("key position")
ax.set_ylabel("query position")
ax.set_title("attention weights, head 0")
fig.colorbar(image, ax=ax)
fig.tight_layout()
