"""A small conv net (Conv -> BatchNorm -> ReLU -> MaxPool, twice, then Dropout) on digits.

The 8x8 digits from scikit-learn ship with it, so nothing is downloaded.
"""

import torch
from sklearn.datasets import load_digits
from torch import nn

if "DEVICE" not in globals():  # run alone: pick the device ourselves
    DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)

digits = load_digits()
images = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)  # N x 1 x 8 x 8
labels = torch.tensor(digits.target)
order = torch.randperm(len(images))
train, test = order[:1400], order[1400:]
x_train, y_train = images[train].to(DEVICE), labels[train].to(DEVICE)
x_test, y_test = images[test].to(DEVICE), labels[test].to(DEVICE)


class SmallCNN(nn.Module):
    def __init__(self, n_classes: int = 10) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2),  # 8x8 -> 4x4
            nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2),  # 4x4 -> 2x2
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(16 * 2 * 2, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


model = SmallCNN().to(DEVICE)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(1, 7):
    model.train()
    perm = torch.randperm(len(x_train), device=DEVICE)
    for start in range(0, len(perm), 100):
        batch = perm[start:start + 100]
        loss = loss_fn(model(x_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 3 == 0:
        model.eval()  # BatchNorm uses running statistics, Dropout is off
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch}  loss {loss.item():.4f}  test accuracy {accuracy:.3f}")

print("feature map after the conv stack:", tuple(model.features(x_test[:1]).shape))
