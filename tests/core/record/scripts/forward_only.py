import torch

x = torch.tensor([1.0, -2.0, 3.0])
for name, f in [("relu", torch.relu), ("tanh", torch.tanh)]:
    print(name, f(x * 2))
print(torch.softmax(x, dim=0).sum().item())
