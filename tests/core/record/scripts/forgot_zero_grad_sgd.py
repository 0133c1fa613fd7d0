import torch

# optimizer.step() without optimizer.zero_grad(): .grad piles up from pass to pass
x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.0, requires_grad=True)
optimizer = torch.optim.SGD([w], lr=0.01)
for _ in range(3):
    loss = ((w * x - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    print(f"{loss.item():.6f} {w.grad.item():.6f}")
