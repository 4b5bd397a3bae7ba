"""An MLP classifier on scikit-learn's bundled 8x8 digits (no download).

Runs alone (``python snippets/mlp.py``) or from a log with
``file="snippets/mlp.py"``, where studylog defines ``DEVICE`` and the seeds.
"""

import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn

if "DEVICE" not in globals():  # run alone: pick the device ourselves
    DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)

digits = load_digits()
x_train, x_test, y_train, y_test = train_test_split(
    digits.data / 16.0, digits.target, test_size=0.25, random_state=0, stratify=digits.target)
x_train, x_test = (torch.tensor(a, dtype=torch.float32, device=DEVICE) for a in (x_train, x_test))
y_train, y_test = (torch.tensor(a, device=DEVICE) for a in (y_train, y_test))


class MLP(nn.Module):
    def __init__(self, n_in: int, n_hidden: int, n_out: int) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, n_hidden), nn.ReLU(),
            nn.Linear(n_hidden, n_hidden), nn.ReLU(),
            nn.Linear(n_hidden, n_out),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


model = MLP(64, 128, 10).to(DEVICE)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(1, 31):
    model.train()
    order = torch.randperm(len(x_train), device=DEVICE)
    for start in range(0, len(order), 64):
        batch = order[start:start + 64]
        loss = loss_fn(model(x_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 10 == 0:
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch:2d}  loss {loss.item():.4f}  test accuracy {accuracy:.3f}")

params = sum(p.numel() for p in model.parameters())
print(f"{params:,} parameters on {DEVICE}")
