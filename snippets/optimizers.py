"""SGD vs SGD with momentum vs Adam on the same small regression, loss curves plotted.

Each optimizer trains an identical copy of the same network (same initial
weights) on the same generated data, so only the update rule differs.
"""

import copy

import matplotlib.pyplot as plt
import torch
from torch import nn

if "DEVICE" not in globals():  # run alone: pick the device ourselves
    DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)

x = torch.linspace(-3, 3, 512, device=DEVICE).unsqueeze(1)
y = torch.sin(2 * x) + 0.3 * x + 0.1 * torch.randn_like(x)

template = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                         nn.Linear(32, 1)).to(DEVICE)
recipes = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.05),
    "SGD + momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.01),
}

curves = {}
for name, make in recipes.items():
    model = copy.deepcopy(template)
    optimizer = make(model.parameters())
    losses = []
    for _ in range(300):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    curves[name] = losses
    print(f"{name:<15} final loss {losses[-1]:.4f}  (best {min(losses):.4f})")

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, losses in curves.items():
    ax.plot(losses, label=name)
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("MSE loss")
ax.set_title("Same model, same data: three optimizers")
ax.legend()
fig.tight_layout()
