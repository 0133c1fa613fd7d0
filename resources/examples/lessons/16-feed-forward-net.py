import torch
import torch.nn as nn

torch.manual_seed(7)
# A small feed-forward net: 2 inputs -> 4 hidden (tanh) -> 1 output, trained with Adam.
# It learns y = x1 * x2 on six points.
X = torch.tensor([[0.0, 1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 0.5], [0.5, 0.5], [-0.5, -1.0]])
Y = torch.tensor([[0.0], [1.0], [-1.0], [-0.5], [0.25], [0.5]])

model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)

for epoch in range(60):
    prediction = model(X)
    l = criterion(prediction, Y)
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
    if (epoch + 1) % 15 == 0:
        print(f'epoch {epoch + 1}: loss = {l.item():.6f}')
