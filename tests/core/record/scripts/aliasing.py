import torch

# issue 21: an in-place op changes the tensor every name for it sees
x = torch.tensor(2.0)
w = torch.tensor(1.0, requires_grad=True)
h = w * x
g = h
h += 2
loss = g + h
loss.backward()
print(loss.item(), w.grad.item())
