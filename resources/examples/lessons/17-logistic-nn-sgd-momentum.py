import torch
from torch import nn

torch.manual_seed(11)
# Logistic regression with nn.Linear, nn.Sigmoid, nn.BCELoss and SGD with momentum.
# Two features: the points above the line x2 = x1 are class 1.
X = torch.tensor([[0.0, 1.0], [1.0, 2.0], [2.0, 2.5], [1.0, 0.0], [2.0, 1.0], [3.0, 2.0]])
Y = torch.tensor([[1.0], [1.0], [1.0], [0.0], [0.0], [0.0]])

model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)

for epoch in range(40):
    p = model(X)
    l = criterion(p, Y)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
    if epoch % 10 == 9:
        print(f'epoch {epoch + 1}: loss = {l.item():.5f}')

w, b = model.parameters()
print(f'w = [{w[0][0].item():.3f}, {w[0][1].item():.3f}], b = {b.item():.3f}')
