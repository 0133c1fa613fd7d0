import torch

# The other classic mistake: updating a parameter outside torch.no_grad().
# torch refuses the in-place update of a leaf that requires grad, at that line.
X = torch.tensor([1.0, 2.0, 3.0])
Y = torch.tensor([-2.0, -4.0, -6.0])
w = torch.tensor(1.0, requires_grad=True)

for epoch in range(3):
    l = ((w * X - Y) ** 2).mean()
    l.backward()
    print(f'epoch {epoch + 1}: loss = {l.item():.3f}')
    w -= 0.05 * w.grad
    w.grad.zero_()
