"""An LSTM that predicts the next value of a noisy sine wave, compared with a naive baseline."""

import torch
from torch import nn

if "DEVICE" not in globals():  # run alone: pick the device ourselves
    DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(0)

steps = torch.arange(0, 2000, dtype=torch.float32)
series = torch.sin(steps * 0.07) + 0.5 * torch.sin(steps * 0.023) + 0.05 * torch.randn(2000)
window = 30
inputs = series.unfold(0, window, 1)[:-1].unsqueeze(-1)  # N x window x 1
targets = series[window:].unsqueeze(-1)  # the value after each window
split = int(0.8 * len(inputs))
x_train, y_train = inputs[:split].to(DEVICE), targets[:split].to(DEVICE)
x_test, y_test = inputs[split:].to(DEVICE), targets[split:].to(DEVICE)


class NextValue(nn.Module):
    def __init__(self, hidden: int = 32) -> None:
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h_n, _) = self.lstm(x)  # h_n: the last hidden state, 1 x N x hidden
        return self.out(h_n[-1])


model = NextValue().to(DEVICE)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for _ in range(6):
    perm = torch.randperm(len(x_train), device=DEVICE)
    for start in range(0, len(perm), 128):
        batch = perm[start:start + 128]
        loss = nn.functional.mse_loss(model(x_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # LSTMs like clipped gradients
        optimizer.step()

with torch.no_grad():
    test_mse = nn.functional.mse_loss(model(x_test), y_test).item()
naive_mse = nn.functional.mse_loss(x_test[:, -1], y_test).item()  # "tomorrow = today"
print(f"LSTM test MSE {test_mse:.4f} vs repeat-last-value MSE {naive_mse:.4f}")
print("LSTM beats the baseline:", test_mse < naive_mse)
