import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)
X = torch.randn(8, 4)
y = torch.tensor([0, 1, 2, 1, 0, 2, 1, 0])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(4, 5)
        self.l2 = nn.Linear(5, 3)

    def forward(self, x):
        h = torch.relu(self.l1(x))
        return self.l2(h)


model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(5):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    print(f"{epoch}: {loss.item():.5f}")
