import torch
import torch.nn as nn

torch.manual_seed(2)
# An nn.Module class with __init__ and forward, as the course writes its models.
X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
Y = torch.tensor([[-1.0], [-3.0], [-5.0], [-7.0]])


class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(LinearRegression, self).__init__()
        self.lin = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.lin(x)


model = LinearRegression(1, 1)
loss = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(30):
    l = loss(Y, model(X))
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
    if epoch % 10 == 0:
        print(f'epoch {epoch + 1}: w = {model.lin.weight[0][0].item():.3f}, loss = {l.item():.5f}')
