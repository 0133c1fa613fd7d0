import torch

x = torch.tensor([0.2, 1.0, 3.0])
w = torch.tensor(0.7, requires_grad=True)
h = torch.clamp(w * x, min=0.5)
loss = (h * w).sum()
loss.backward()
print(w.grad)
