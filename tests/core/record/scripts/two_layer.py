import torch

torch.manual_seed(2)
x = torch.randn(3, 4)
w1 = torch.randn(4, 5, requires_grad=True)
w2 = torch.randn(5, 1, requires_grad=True)
for _ in range(6):
    h = torch.tanh(x @ w1)
    out = h @ w2
    loss = (out * out).mean()
    loss.backward()
    with torch.no_grad():
        w1 -= 0.1 * w1.grad
        w2 -= 0.1 * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
print(round(loss.item(), 4))
