import torch

# The classic mistake: .grad is never zeroed, so every backward() adds to it.
# Compare the gradients with the autograd lesson: from the second epoch on they pile up.
X = torch.tensor([1.0, 2.0, 3.0, 4.0])
Y = torch.tensor([2.5, 5.0, 7.5, 10.0])
w = torch.tensor(0.0, requires_grad=True)

for epoch in range(6):
    l = ((w * X - Y) ** 2).mean()
    l.backward()
    print(f'epoch {epoch + 1}: loss = {l.item():.4f}, w.grad = {w.grad.item():.4f}')
    with torch.no_grad():
        w -= 0.01 * w.grad
    # forgotten: w.grad.zero_()
