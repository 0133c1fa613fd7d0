import torch

# Three ways to update by hand, one per parameter: under no_grad with -= and with sub_,
# and through .data (no no_grad needed)
x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.5, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
c = torch.tensor(1.0, requires_grad=True)
lr = 0.1
for _epoch in range(4):
    loss = ((w * x + b) * c - y).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b.sub_(lr * b.grad)
    c.data -= lr * c.grad
    w.grad.zero_()
    b.grad.zero_()
    c.grad.zero_()
    print(f"{loss.item():.6f}")
